/* suggest.c: spelling suggestions from the index's own vocabulary. Terms in the index are
 * stems (porter), so a word is compared stem to stem: the word's own stem is what the
 * tokenizer makes of it, read back through fts5vocab; a suggested stem is shown as it is
 * written in an article that contains it. */
#include "suggest.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "search.h"

enum { MAX_WORD_BYTES = 64, MAX_CANDIDATES_SCANNED = 200000 };

/* Edit distance of two short strings, counting a swap of neighbours as one edit (optimal
 * string alignment), giving up (returning limit + 1) early. */
static int edit_distance(const char *a, const char *b, int limit)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > MAX_WORD_BYTES || lb > MAX_WORD_BYTES) return limit + 1;
    if ((la > lb ? la - lb : lb - la) > (size_t)limit) return limit + 1;
    int rows[3][MAX_WORD_BYTES + 1]; /* row i is rows[i % 3] */
    for (size_t j = 0; j <= lb; j++)
        rows[0][j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        int *cur = rows[i % 3], *prev = rows[(i + 2) % 3], *prev2 = rows[(i + 1) % 3];
        cur[0] = (int)i;
        int best = cur[0];
        for (size_t j = 1; j <= lb; j++) {
            int cost = a[i - 1] == b[j - 1] ? 0 : 1;
            int v = prev[j - 1] + cost;
            if (prev[j] + 1 < v) v = prev[j] + 1;
            if (cur[j - 1] + 1 < v) v = cur[j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                prev2[j - 2] + 1 < v)
                v = prev2[j - 2] + 1;
            cur[j] = v;
            if (v < best) best = v;
        }
        if (best > limit) return limit + 1;
    }
    return rows[la % 3][lb];
}

/* Runs a one-integer query with one text parameter. */
static int64_t int_query(sqlite3 *db, const char *sql, const char *param)
{
    sqlite3_stmt *st = NULL;
    int64_t v = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, param, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW) v = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    return v;
}

struct candidate {
    char term[MAX_WORD_BYTES + 1];
    int distance;
    int64_t docs;
};

/* The closest indexed stems to stem, best first, into best[SUGGEST_MAX]; returns how many. */
static int closest_terms(sqlite3 *db, const char *stem, struct candidate *best)
{
    int found = 0, limit = strlen(stem) <= 4 ? 1 : 2;
    char lo[2] = {stem[0], 0}, hi[2] = {(char)(stem[0] + 1), 0};
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(
            db, "SELECT term, doc FROM temp.article_vocab WHERE term >= ?1 AND term < ?2", -1, &st,
            NULL) != SQLITE_OK)
        return 0;
    sqlite3_bind_text(st, 1, lo, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, hi, -1, SQLITE_STATIC);
    for (int n = 0; n < MAX_CANDIDATES_SCANNED && sqlite3_step(st) == SQLITE_ROW; n++) {
        const char *term = (const char *)sqlite3_column_text(st, 0);
        if (!term || strlen(term) > MAX_WORD_BYTES || strcmp(term, stem) == 0) continue;
        int d = edit_distance(stem, term, limit);
        if (d > limit) continue;
        struct candidate c = {"", d, sqlite3_column_int64(st, 1)};
        snprintf(c.term, sizeof c.term, "%s", term);
        /* Insert in order: nearer first, then more documents. */
        int at = found;
        while (at > 0 && (best[at - 1].distance > c.distance ||
                          (best[at - 1].distance == c.distance && best[at - 1].docs < c.docs)))
            at--;
        if (at >= SUGGEST_MAX) continue;
        memmove(best + at + 1, best + at,
                (size_t)((found < SUGGEST_MAX ? found : SUGGEST_MAX - 1) - at) * sizeof *best);
        best[at] = c;
        if (found < SUGGEST_MAX) found++;
    }
    sqlite3_finalize(st);
    return found;
}

/* The archive's tokenizer on a throwaway in-memory FTS5 table: a word that matches nothing
 * has no vocabulary entry to read its stem from. Opened once per suggest_words() call,
 * when a word first needs it. */
struct stemmer {
    sqlite3 *db;
    sqlite3_stmt *clear, *add, *terms;
};

static bool stemmer_open(struct stemmer *s)
{
    return sqlite3_open(":memory:", &s->db) == SQLITE_OK &&
           sqlite3_exec(s->db,
                        "CREATE VIRTUAL TABLE t USING fts5(x, tokenize = 'porter unicode61 "
                        "remove_diacritics 2');"
                        "CREATE VIRTUAL TABLE v USING fts5vocab(t, row);",
                        NULL, NULL, NULL) == SQLITE_OK &&
           sqlite3_prepare_v2(s->db, "DELETE FROM t", -1, &s->clear, NULL) == SQLITE_OK &&
           sqlite3_prepare_v2(s->db, "INSERT INTO t(x) VALUES (?1)", -1, &s->add, NULL) ==
               SQLITE_OK &&
           sqlite3_prepare_v2(s->db, "SELECT term FROM v LIMIT 2", -1, &s->terms, NULL) ==
               SQLITE_OK;
}

static void stemmer_close(struct stemmer *s)
{
    sqlite3_finalize(s->clear);
    sqlite3_finalize(s->add);
    sqlite3_finalize(s->terms);
    sqlite3_close(s->db);
}

/* The stem the index holds for word: the vocabulary entry of the one token it makes. */
static bool stem_of(struct stemmer *s, const char *word, char stem[MAX_WORD_BYTES + 1])
{
    if (!s->db && !stemmer_open(s)) {
        stemmer_close(s);
        *s = (struct stemmer){NULL, NULL, NULL, NULL};
        return false;
    }
    bool ok = sqlite3_step(s->clear) == SQLITE_DONE;
    sqlite3_reset(s->clear);
    sqlite3_bind_text(s->add, 1, word, -1, SQLITE_STATIC);
    ok = ok && sqlite3_step(s->add) == SQLITE_DONE;
    sqlite3_reset(s->add);
    ok = ok && sqlite3_step(s->terms) == SQLITE_ROW;
    const char *t = ok ? (const char *)sqlite3_column_text(s->terms, 0) : NULL;
    ok = t && strlen(t) <= MAX_WORD_BYTES;
    if (ok) snprintf(stem, MAX_WORD_BYTES + 1, "%s", t);
    ok = ok && sqlite3_step(s->terms) == SQLITE_DONE; /* one token, not several */
    sqlite3_reset(s->terms);
    return ok;
}

/* A word the tokenizer turns into stem, to search for it with: the stem itself, unless the
 * stemmer changes it again ("coffe", the stem of "coffee", becomes "coff"), or the stem
 * with one of the endings the stemmer takes off. False if none is found. */
static bool word_for_stem(struct stemmer *stemmer, const char *stem, char word[MAX_WORD_BYTES + 1])
{
    static const char *const endings[] = {"", "e", "s", "y", "ed", "es", "ing", "ate", "ation"};
    for (size_t i = 0; i < sizeof endings / sizeof *endings; i++) {
        char again[MAX_WORD_BYTES + 1];
        if ((size_t)snprintf(word, MAX_WORD_BYTES + 1, "%s%s", stem, endings[i]) > MAX_WORD_BYTES)
            break;
        if (stem_of(stemmer, word, again) && strcmp(again, stem) == 0) return true;
    }
    return false;
}

/* The word as an article writes it, for stem (a match marked by highlight()), other than
 * typed: a misspelling the articles happen to contain would be no suggestion. Falls back
 * to the stem itself. */
static char *surface_form(sqlite3 *db, struct stemmer *stemmer, const char *stem, const char *typed)
{
    char search[MAX_WORD_BYTES + 1], match[MAX_WORD_BYTES + 3];
    if (!word_for_stem(stemmer, stem, search)) return news_xstrdup(stem);
    snprintf(match, sizeof match, "\"%s\"", search);
    sqlite3_stmt *st = NULL;
    char *word = NULL;
    if (sqlite3_prepare_v2(db,
                           "SELECT highlight(article_fts, 1, char(1), char(2)) FROM article_fts"
                           " WHERE article_fts MATCH ?1 LIMIT 20",
                           -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
        while (!word && sqlite3_step(st) == SQLITE_ROW) {
            const char *text = (const char *)sqlite3_column_text(st, 0);
            for (const char *open = text ? strchr(text, 1) : NULL; open && !word;
                 open = strchr(open + 1, 1)) {
                const char *close = strchr(open, 2);
                if (!close) break;
                size_t n = (size_t)(close - open - 1);
                if (n <= MAX_WORD_BYTES &&
                    !(n == strlen(typed) && strncasecmp(open + 1, typed, n) == 0))
                    word = news_xstrndup(open + 1, n);
            }
        }
    }
    sqlite3_finalize(st);
    return word ? word : news_xstrdup(stem);
}

/* True for the query language's operators and field names, which are not words. */
static bool is_operator(const char *w)
{
    return strcmp(w, "AND") == 0 || strcmp(w, "OR") == 0 || strcmp(w, "NOT") == 0 ||
           strcmp(w, "NEAR") == 0;
}

enum news_status suggest_words(struct archive *a, const char *query,
                               void (*each)(void *ctx, const char *word, const char *suggestions),
                               void *ctx, struct news_error *err)
{
    sqlite3 *db = archive_db(a);
    enum news_status st = search_vocab(a, err);
    if (st != NEWS_OK) return st;
    struct stemmer stemmer = {NULL, NULL, NULL, NULL};
    bool quoted = false;
    for (const char *p = query; *p;) {
        if (*p == '"') quoted = !quoted;
        unsigned char c = (unsigned char)*p;
        bool word_char =
            (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
        if (!word_char || quoted) {
            p++;
            continue;
        }
        const char *start = p;
        while (*p && (((unsigned char)*p >= 0x80) || (*p >= '0' && *p <= '9') ||
                      (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
            p++;
        size_t n = (size_t)(p - start);
        if (*p == ':' || *p == '*' || n > MAX_WORD_BYTES) continue; /* field name, prefix */
        char word[MAX_WORD_BYTES + 1], quoted_word[MAX_WORD_BYTES + 3], stem[MAX_WORD_BYTES + 1];
        memcpy(word, start, n);
        word[n] = '\0';
        if (is_operator(word)) continue;
        snprintf(quoted_word, sizeof quoted_word, "\"%s\"", word);
        if (int_query(db, "SELECT count(*) FROM article_fts WHERE article_fts MATCH ?1",
                      quoted_word) != 0)
            continue;
        char list[SUGGEST_MAX * (MAX_WORD_BYTES + 2) + 1] = "";
        struct candidate best[SUGGEST_MAX];
        int found = stem_of(&stemmer, word, stem) ? closest_terms(db, stem, best) : 0;
        for (int i = 0; i < found; i++) {
            char *form = surface_form(db, &stemmer, best[i].term, word);
            size_t len = strlen(list);
            snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "", form);
            free(form);
        }
        each(ctx, word, list);
    }
    stemmer_close(&stemmer);
    return NEWS_OK;
}
