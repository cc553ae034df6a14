/* test_snippet.c: news_snippet() picks the passages that hold the most query phrases, cuts
 * them at sentence or word boundaries, highlights every matched form, and stays bounded on
 * huge articles. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "archive.h"
#include "check.h"
#include "codec.h"
#include "snippet.h"

static char dir[] = "/tmp/test_snippet.XXXXXX";
static struct archive *archive;

/* Adds an article the way the indexer stores one: compressed text, then the index row. */
static void add(int64_t id, const char *title, const char *body)
{
    sqlite3 *db = archive_db(archive);
    unsigned char *blob = NULL;
    size_t blob_len = 0, body_len = strlen(body);
    CHECK_INT(codec_compress(NULL, NULL, body, body_len, &blob, &blob_len, NULL), NEWS_OK);
    sqlite3_stmt *st = NULL;
    CHECK_INT(sqlite3_prepare_v2(db,
                                 "INSERT INTO article(id, title, text_bytes, content_hash)"
                                 " VALUES (?1, ?2, ?3, randomblob(16))",
                                 -1, &st, NULL),
              SQLITE_OK);
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, title, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)body_len);
    CHECK_INT(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
    CHECK_INT(sqlite3_prepare_v2(db, "INSERT INTO article_text(id, text_z) VALUES (?1, ?2)", -1,
                                 &st, NULL),
              SQLITE_OK);
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_blob(st, 2, blob, (int)blob_len, SQLITE_STATIC);
    CHECK_INT(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
    free(blob);
    CHECK_INT(sqlite3_prepare_v2(db,
                                 "INSERT INTO article_fts(rowid, title, body) VALUES (?1, ?2, ?3)",
                                 -1, &st, NULL),
              SQLITE_OK);
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, title, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, body, (int)body_len, SQLITE_STATIC);
    CHECK_INT(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
}

/* The snippet of article id for an FTS5 expression, marking its first phrases (0: all),
 * malloc'd; NULL if the article does not match. *rc is the step's result code. */
static char *snippet_marking(int64_t id, const char *match, int words, int fragments, int phrases,
                             int *rc)
{
    sqlite3_stmt *st = NULL;
    CHECK_INT(sqlite3_prepare_v2(archive_db(archive),
                                 "SELECT news_snippet(article_fts, 1, '[', ']', '…', ?3, ?4, ?5)"
                                 " FROM article_fts WHERE article_fts MATCH ?1 AND rowid = ?2",
                                 -1, &st, NULL),
              SQLITE_OK);
    sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, id);
    sqlite3_bind_int(st, 3, words);
    sqlite3_bind_int(st, 4, fragments);
    sqlite3_bind_int(st, 5, phrases);
    char *out = NULL;
    *rc = sqlite3_step(st);
    if (*rc == SQLITE_ROW) out = strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return out;
}

static char *snippet_rc(int64_t id, const char *match, int words, int fragments, int *rc)
{
    return snippet_marking(id, match, words, fragments, 0, rc);
}

static char *snippet(int64_t id, const char *match, int words, int fragments)
{
    int rc;
    char *out = snippet_rc(id, match, words, fragments, &rc);
    CHECK_INT(rc, SQLITE_ROW);
    return out;
}

/* Checks one snippet against the expected text. */
static void expect(int64_t id, const char *match, int words, int fragments, const char *want)
{
    char *got = snippet(id, match, words, fragments);
    CHECK_STR(got, want);
    free(got);
}

/* Words "F1 F2 ... FN" with no sentence end among them. */
static char *filler(int n)
{
    char *s = malloc((size_t)n * 8 + 1);
    size_t len = 0;
    for (int i = 1; i <= n; i++)
        len += (size_t)sprintf(s + len, "%sF%d", i > 1 ? " " : "", i);
    return s;
}

static bool valid_utf8(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        int extra = *p < 0x80             ? 0
                    : (*p & 0xE0) == 0xC0 ? 1
                    : (*p & 0xF0) == 0xE0 ? 2
                    : (*p & 0xF8) == 0xF0 ? 3
                                          : -1;
        if (extra < 0) return false;
        p++;
        for (int i = 0; i < extra; i++, p++)
            if ((*p & 0xC0) != 0x80) return false;
    }
    return true;
}

/* The passage with the most distinct phrases wins over an earlier one with fewer, and
 * starts at its sentence; ties go to more hits, then to the earlier passage. */
static void test_choice(void)
{
    char *f = filler(40), body[1024];
    snprintf(body, sizeof body,
             "Alpha appeared early in the report. %s. Later alpha, beta and "
             "gamma were discussed together. %s.",
             f, f);
    add(1, "Choice", body);
    expect(1, "alpha OR beta OR gamma", 32, 1,
           "… Later [alpha], [beta] and [gamma] were discussed together. …");
    expect(1, "alpha AND beta AND gamma", 32, 1,
           "… Later [alpha], [beta] and [gamma] were discussed together. …");

    snprintf(body, sizeof body, "Alpha met beta once. %s. Alpha met beta, and beta met alpha. %s.",
             f, f);
    add(2, "More hits", body);
    expect(2, "alpha OR beta", 16, 1, "… [Alpha] met [beta], and [beta] met [alpha]. …");

    snprintf(body, sizeof body, "%s. Alpha met beta here. %s. Alpha met beta there.", f, f);
    add(3, "Earlier", body);
    expect(3, "alpha OR beta", 16, 1, "… [Alpha] met [beta] here. …");
    free(f);
}

/* Passages start at a sentence when it fits (not after an initial or a title) and end at
 * the last sentence end that fits; otherwise they are cut between words. */
static void test_boundaries(void)
{
    add(10, "Sentences",
        "Reporters waited outside. The U.S. Senate passed the budget bill on Friday. Mr. Smith "
        "voted against it. Nobody else did.");
    expect(10, "budget", 32, 1,
           "… The U.S. Senate passed the [budget] bill on Friday. Mr. Smith voted against it. "
           "Nobody else did.");
    expect(10, "budget", 12, 1, "… The U.S. Senate passed the [budget] bill on Friday. …");
    expect(10, "smith", 8, 1, "… Mr. [Smith] voted against it. Nobody else did.");
    expect(10, "smith", 7, 1, "… Mr. [Smith] voted against it. …");

    char *f = filler(20), body[512];
    snprintf(body, sizeof body, "%s harbour %s.", f, f);
    add(11, "Words", body);
    /* Eight words: a quarter of the seven spare ones before the match, the rest after. */
    expect(11, "harbour", 8, 1, "…F20 [harbour] F1 F2 F3 F4 F5 F6…");
    expect(11, "harbour", 1, 1, "…[harbour]…");
    /* Near the end of the text the spare words go before the match. */
    snprintf(body, sizeof body, "%s harbour.", f);
    add(13, "End", body);
    expect(13, "harbour", 8, 1, "…F14 F15 F16 F17 F18 F19 F20 [harbour].");
    free(f);

    add(12, "Quotes", "He left. \"Peace talks are over,\" she said. Then nothing.");
    expect(12, "peace", 7, 1, "… \"[Peace] talks are over,\" she said. …");
}

/* Every matched form is highlighted; a phrase is one span, separate words separate ones. */
static void test_highlighting(void)
{
    add(20, "Stems", "Officials said the talk went well, and they talked again on Monday.");
    expect(20, "talks", 32, 1,
           "Officials said the [talk] went well, and they [talked] again on Monday.");
    add(21, "Phrases", "The peace talks resumed. Peace was near; talks went on.");
    expect(21, "\"peace talks\"", 32, 1,
           "The [peace talks] resumed. Peace was near; talks went on.");
    expect(21, "peace AND talks", 5, 1, "The [peace] [talks] resumed. …");
    /* A phrase longer than the window is shown as far as the window goes. */
    expect(21, "\"peace talks resumed\"", 2, 1, "…[peace talks]…");
    expect(21, "\"peace talks resumed\"", 3, 1, "…[peace talks resumed]. …");
}

/* With PHRASES, only the query's first phrases are marked and chosen for: query expansion
 * adds words that rank but were not asked for. */
static void test_marked_phrases(void)
{
    add(90, "Expanded", "Envoys met in Geneva. Later the ceasefire talks resumed there.");
    static const struct {
        int phrases;
        const char *want;
    } cases[] = {{0, "…[Geneva]. Later the [ceasefire] talks resumed…"},
                 {1, "… Later the [ceasefire] talks resumed there."},
                 {5, "…[Geneva]. Later the [ceasefire] talks resumed…"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int rc;
        char *got =
            snippet_marking(90, "ceasefire OR (ceasefire AND geneva)", 6, 1, cases[i].phrases, &rc);
        CHECK_STR(got, cases[i].want);
        free(got);
    }
}

/* Control characters (that cleaned text never holds, but an archive written by other
 * means might) are left out, so that markers made of them are unambiguous; a long word
 * cut inside a match is still closed. */
static void test_controls(void)
{
    add(22, "Controls", "Stray\x02 control\x03 bytes\x01 near\ttalks.");
    expect(22, "talks", 32, 1, "Stray control bytes near\t[talks].");
    char word[SNIPPET_MAX_RUN_BYTES + 101], body[sizeof word + 16];
    memset(word, 'x', sizeof word - 1);
    word[sizeof word - 1] = '\0';
    snprintf(body, sizeof body, "Long %s word.", word);
    add(23, "Long match", body);
    char *s = snippet(23, word, 4, 1);
    CHECK(s && strncmp(s, "Long [", 6) == 0 && strstr(s, "…]") && !strchr(s + 6, '['));
    free(s);
}

/* More passages add the phrases the first lacks, in text order, and stop when none is
 * left to add. */
static void test_fragments(void)
{
    char *f = filler(40), body[1024];
    snprintf(body, sizeof body, "Gamma came first. Then %s. Alpha and beta met here.", f);
    add(30, "Fragments", body);
    const char *q = "alpha OR beta OR gamma";
    expect(30, q, 8, 1, "… [Alpha] and [beta] met here.");
    expect(30, q, 8, 2, "[Gamma] came first. … [Alpha] and [beta] met here.");
    expect(30, q, 8, 8, "[Gamma] came first. … [Alpha] and [beta] met here.");
    free(f);
}

/* No match in the body: its lead; an empty body: an empty snippet. */
static void test_lead(void)
{
    add(40, "Chess final", "A sixteen-year-old from Leeds won the title on Sunday.");
    expect(40, "title:chess", 5, 1, "A sixteen-year-old from…");
    expect(40, "title:chess", 32, 3, "A sixteen-year-old from Leeds won the title on Sunday.");
    add(41, "Chess problem", "");
    expect(41, "title:chess", 32, 1, "");
}

/* UTF-8 text is cut between characters and words only, whatever the length. */
static void test_utf8(void)
{
    add(50, "UTF-8",
        "Talks in Zürich on the Kyiv–Moscow line went on. Über alles, «Zürich» "
        "said: Kyiv–Moscow trains run again.");
    expect(50, "zurich", 32, 1,
           "Talks in [Zürich] on the Kyiv–Moscow line went on. Über alles, «[Zürich]» said: "
           "Kyiv–Moscow trains run again.");
    expect(50, "moscow", 3, 2, "…[Moscow] line went…"); /* nothing new for a second */
    expect(50, "kyiv OR uber", 3, 2, "…[Kyiv]–Moscow line … [Über] alles, «Zürich»…");
    const char *queries[] = {"zurich", "kyiv", "moscow", "uber", "kyiv OR uber"};
    for (size_t q = 0; q < sizeof queries / sizeof *queries; q++) {
        for (int words = 1; words <= 12; words++) {
            char *s = snippet(50, queries[q], words, 2);
            CHECK(s && valid_utf8(s));
            /* A name is there whole or not at all. */
            CHECK(!s || !strstr(s, "Z") || strstr(s, "Zürich"));
            CHECK(!s || !strstr(s, "Ky") || strstr(s, "Kyiv"));
            free(s);
        }
    }
    /* A "word" over SNIPPET_MAX_RUN_BYTES is cut at a character boundary. */
    char body[4096] = "Long ";
    for (int i = 0; i < 700; i++)
        strcat(body, "é");
    strcat(body, " word.");
    add(51, "Long word", body);
    char *s = snippet(51, "long", 4, 1);
    CHECK(s && valid_utf8(s));
    CHECK(s && strlen(s) < SNIPPET_MAX_RUN_BYTES + 64);
    free(s);
}

/* Many phrases, and a huge article with a hundred thousand matches, work and stay bounded. */
static void test_bounds(void)
{
    char query[4096] = "", body[4096] = "Words: ";
    for (int i = 0; i < 60; i++) {
        char w[16];
        snprintf(w, sizeof w, "w%d", i);
        strcat(query, i ? " OR " : "");
        strcat(query, w);
        strcat(body, w);
        strcat(body, i % 7 == 6 ? ". " : " ");
    }
    add(60, "Many phrases", body);
    char *s = snippet(60, query, 64, 8);
    CHECK(s && strstr(s, "[w0]") && strstr(s, "[w59]"));
    free(s);

    const char unit[] = "Alpha and some filler words go here now. "; /* 41 bytes */
    size_t units = (5u << 20) / (sizeof unit - 1), len = 0;
    char *big = malloc(units * (sizeof unit - 1) + 64);
    for (size_t i = 0; i < units; i++, len += sizeof unit - 1)
        memcpy(big + len, unit, sizeof unit - 1);
    strcpy(big + len, "Beta came at the very end.");
    add(61, "Huge", big);
    free(big);
    clock_t t0 = clock();
    expect(61, "alpha", 16, 1,
           "[Alpha] and some filler words go here now. [Alpha] and some filler words go here "
           "now. …");
    expect(61, "alpha OR beta", 16, 1,
           "… [Alpha] and some filler words go here now. [Beta] came at the very end.");
    s = snippet(61, "alpha OR beta", 64, 8);
    CHECK(s && strstr(s, "[Beta]") && strstr(s, "[Alpha]"));
    free(s);
    printf("test_snippet: 5 MB article, %zu matches: %.0f ms for three snippets\n", units,
           (double)(clock() - t0) * 1000.0 / CLOCKS_PER_SEC);
}

/* Arguments out of range are errors, not crashes. */
static void test_arguments(void)
{
    int rc;
    char *s = snippet_rc(40, "title:chess", 0, 1, &rc);
    CHECK_INT(rc, SQLITE_ERROR);
    free(s);
    s = snippet_rc(40, "title:chess", 32, SNIPPET_MAX_FRAGMENTS + 1, &rc);
    CHECK_INT(rc, SQLITE_ERROR);
    free(s);
    s = snippet_rc(40, "title:chess", SNIPPET_MAX_WORDS + 1, 1, &rc);
    CHECK_INT(rc, SQLITE_ERROR);
    free(s);
}

int main(void)
{
    CHECK(mkdtemp(dir) != NULL);
    char path[256];
    snprintf(path, sizeof path, "%s/news.db", dir);
    struct news_error err;
    CHECK_INT(archive_open(path, ARCHIVE_WRITE, &archive, &err), NEWS_OK);
    if (archive) {
        test_choice();
        test_boundaries();
        test_highlighting();
        test_marked_phrases();
        test_controls();
        test_fragments();
        test_lead();
        test_utf8();
        test_bounds();
        test_arguments();
        archive_close(archive);
    }
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    CHECK_INT(system(cmd), 0);
    return check_report("test_snippet");
}
