/* test_match.c: the query language: translations, messages and limits, and that a real FTS5
 * table (SQLite, the archive's tokenizer) accepts every translation and finds what a person
 * means. */
#include "match.h"

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

/* One query and what it must become: the exact FTS5 text, or an error whose message
 * contains err. */
struct match_case {
    const char *query;
    enum match_mode mode;
    const char *want; /* NULL when an error is expected */
    const char *err;
};

static const struct match_case cases[] = {
    /* NEAR(): words and phrases within N tokens of each other (FTS5's default 10) */
    {"NEAR(peace talks, 5)", MATCH_ALL, "NEAR(\"peace\" \"talks\", 5)", NULL},
    {"NEAR(peace \"ceasefire deal\")", MATCH_ALL, "NEAR(\"peace\" \"ceasefire deal\", 10)", NULL},
    {"title:NEAR(a b,3)", MATCH_ALL, "({title} : NEAR(\"a\" \"b\", 3))", NULL},
    {"-NEAR(a b) c", MATCH_ALL, "(\"c\" NOT NEAR(\"a\" \"b\", 10))", NULL},
    {"NEAR(a b, 99999)", MATCH_ALL, "NEAR(\"a\" \"b\", 1000)", NULL},
    {"near(a b)", MATCH_ALL, "(\"near\" AND (\"a\" AND \"b\"))", NULL},
    {"NEAR(,)", MATCH_ALL, NULL, "no words"},
    /* words, phrases, literals with punctuation */
    {"Ukraine peace talks", MATCH_ALL, "(\"Ukraine\" AND \"peace\" AND \"talks\")", NULL},
    {"Ukraine peace talks", MATCH_ANY, "(\"Ukraine\" OR \"peace\" OR \"talks\")", NULL},
    {"\"peace talks\" Ukraine", MATCH_ALL, "(\"peace talks\" AND \"Ukraine\")", NULL},
    {"U.S. sanctions", MATCH_ALL, "(\"U.S.\" AND \"sanctions\")", NULL},
    {"a\u2014b", MATCH_ALL, "\"a\u2014b\"", NULL},
    /* possessives match the bare word; joined words are their parts; a phrase is exact */
    {"Putin's war", MATCH_ALL, "(\"Putin\" AND \"war\")", NULL},
    {"Putin\u2019s war", MATCH_ALL, "(\"Putin\" AND \"war\")", NULL},
    {"FRANCE'S FORCE", MATCH_ANY, "(\"FRANCE\" OR \"FORCE\")", NULL},
    {"ministers' talks", MATCH_ALL, "(\"ministers'\" AND \"talks\")", NULL},
    {"'s", MATCH_ALL, "\"'s\"", NULL},
    {"\"Putin's war\"", MATCH_ALL, "\"Putin's war\"", NULL},
    {"peace-talks", MATCH_ALL, "(\"peace\" AND \"talks\")", NULL},
    {"e-mail", MATCH_ALL, "(\"e\" AND \"mail\")", NULL},
    {"oil/gas prices", MATCH_ALL, "((\"oil\" AND \"gas\") AND \"prices\")", NULL},
    {"oil/gas prices", MATCH_ANY, "((\"oil\" OR \"gas\") OR \"prices\")", NULL},
    {"Anglo-Irish's*", MATCH_ALL, "(\"Anglo\" AND \"Irish\" *)", NULL},
    {"U.S.-led", MATCH_ALL, "(\"U.S.\" AND \"led\")", NULL},
    {"title:anglo-irish", MATCH_ALL, "({title} : (\"anglo\" AND \"irish\"))", NULL},
    {"\"peace-talks\"", MATCH_ALL, "\"peace-talks\"", NULL},
    {"-peace-talks war", MATCH_ALL, "(\"war\" NOT \"peace-talks\")", NULL},
    {"war NOT peace-talks", MATCH_ALL, "(\"war\" NOT \"peace-talks\")", NULL},
    {"a-", MATCH_ALL, "\"a\"", NULL},
    /* a query written in capitals has no operators */
    {"SYRIA AND IRAQ", MATCH_ALL, "(\"SYRIA\" AND \"AND\" AND \"IRAQ\")", NULL},
    {"SYRIA AND IRAQ OR EGYPT", MATCH_ANY,
     "(\"SYRIA\" OR \"AND\" OR \"IRAQ\" OR \"OR\" OR \"EGYPT\")", NULL},
    {"\u041f\u0423\u0422\u0418\u041d NOT \u0426\u0410\u0420\u042c", MATCH_ALL,
     "(\"\u041f\u0423\u0422\u0418\u041d\" AND \"NOT\" AND \"\u0426\u0410\u0420\u042c\")", NULL},
    {"\u041f\u0443\u0442\u0438\u043d NOT \u0446\u0430\u0440\u044c", MATCH_ALL,
     "(\"\u041f\u0443\u0442\u0438\u043d\" NOT \"\u0446\u0430\u0440\u044c\")", NULL},
    {"\u5317\u4eac OR \u4e0a\u6d77", MATCH_ALL, "(\"\u5317\u4eac\" OR \"\u4e0a\u6d77\")", NULL},
    {"Syria AND IRAQ", MATCH_ALL, "(\"Syria\" AND \"IRAQ\")", NULL},
    {"\"AND\"", MATCH_ALL, "\"AND\"", NULL},
    {"\"NOT\" peace", MATCH_ALL, "(\"NOT\" AND \"peace\")", NULL},
    {"and", MATCH_ALL, "\"and\"", NULL},
    {"or not", MATCH_ALL, "(\"or\" AND \"not\")", NULL},
    {"caf\u00e9", MATCH_ALL, "\"caf\u00e9\"", NULL},
    {"na\u00efve Z\u00fcrich", MATCH_ALL, "(\"na\u00efve\" AND \"Z\u00fcrich\")", NULL},
    {"\u5317\u4eac", MATCH_ALL, "\"\u5317\u4eac\"", NULL},
    {"10:30", MATCH_ALL, "\"10:30\"", NULL},
    {"foo:bar", MATCH_ALL, "\"foo:bar\"", NULL},
    {"\u201cpeace talks\u201d Ukraine", MATCH_ALL, "(\"peace talks\" AND \"Ukraine\")", NULL},
    {"a\tb\n", MATCH_ALL, "(\"a\" AND \"b\")", NULL},
    {"a\u00a0b\u3000c", MATCH_ALL, "(\"a\" AND \"b\" AND \"c\")", NULL},
    /* punctuation-only words are dropped */
    {"a - b", MATCH_ALL, "(\"a\" AND \"b\")", NULL},
    {"a -- b", MATCH_ALL, "(\"a\" AND \"b\")", NULL},
    {"a * b", MATCH_ALL, "(\"a\" AND \"b\")", NULL},
    {"x \"\" y", MATCH_ALL, "(\"x\" AND \"y\")", NULL},
    {"x \",\" y", MATCH_ALL, "(\"x\" AND \"y\")", NULL},
    {"-\"\" y", MATCH_ALL, "\"y\"", NULL},
    {"peace , \u2014 ?", MATCH_ALL, "\"peace\"", NULL},
    /* operators and precedence */
    {"a OR b c", MATCH_ALL, "(\"a\" OR (\"b\" AND \"c\"))", NULL},
    {"a b OR c", MATCH_ALL, "((\"a\" AND \"b\") OR \"c\")", NULL},
    {"a OR b c", MATCH_ANY, "(\"a\" OR \"b\" OR \"c\")", NULL},
    {"a OR b AND c", MATCH_ANY, "(\"a\" OR (\"b\" AND \"c\"))", NULL},
    {"a AND b c", MATCH_ANY, "((\"a\" AND \"b\") OR \"c\")", NULL},
    {"(a OR b) c", MATCH_ALL, "((\"a\" OR \"b\") AND \"c\")", NULL},
    {"(a b", MATCH_ALL, "(\"a\" AND \"b\")", NULL},
    {"((a OR b) c", MATCH_ALL, "((\"a\" OR \"b\") AND \"c\")", NULL},
    {"a ((((b))))", MATCH_ALL, "(\"a\" AND \"b\")", NULL},
    {"a () b", MATCH_ALL, "(\"a\" AND \"b\")", NULL},
    {"a AND () b", MATCH_ALL, "(\"a\" AND \"b\")", NULL},
    /* exclusion */
    {"-word alone", MATCH_ALL, "(\"alone\" NOT \"word\")", NULL},
    {"ukraine -russia", MATCH_ALL, "(\"ukraine\" NOT \"russia\")", NULL},
    {"ukraine NOT russia", MATCH_ALL, "(\"ukraine\" NOT \"russia\")", NULL},
    {"a b -c -d", MATCH_ALL, "((\"a\" AND \"b\") NOT (\"c\" OR \"d\"))", NULL},
    {"a b -c", MATCH_ANY, "((\"a\" OR \"b\") NOT \"c\")", NULL},
    {"NOT a b", MATCH_ALL, "(\"b\" NOT \"a\")", NULL},
    {"a AND NOT b", MATCH_ALL, "(\"a\" NOT \"b\")", NULL},
    {"a -b OR c -d", MATCH_ALL, "((\"a\" NOT \"b\") OR (\"c\" NOT \"d\"))", NULL},
    {"-\"peace talks\" ukraine", MATCH_ALL, "(\"ukraine\" NOT \"peace talks\")", NULL},
    {"-(a b) c", MATCH_ALL, "(\"c\" NOT (\"a\" AND \"b\"))", NULL},
    {"--a b", MATCH_ALL, "(\"b\" NOT \"-a\")", NULL},
    {"(a)-b", MATCH_ALL, "(\"a\" AND \"b\")", NULL},
    {"\"a\"-b", MATCH_ALL, "(\"a\" AND \"b\")", NULL},
    /* prefixes */
    {"talk*", MATCH_ALL, "\"talk\" *", NULL},
    {"talk**", MATCH_ALL, "\"talk\" *", NULL},
    {"\"peace talk\"*", MATCH_ALL, "\"peace talk\" *", NULL},
    {"U.S.*", MATCH_ALL, "\"U.S.\" *", NULL},
    /* fields */
    {"title:ukraine", MATCH_ALL, "({title} : \"ukraine\")", NULL},
    {"title:\"peace talks\"", MATCH_ALL, "({title} : \"peace talks\")", NULL},
    {"TITLE:(a OR b)", MATCH_ALL, "({title} : (\"a\" OR \"b\"))", NULL},
    {"Body:war", MATCH_ALL, "({body} : \"war\")", NULL},
    {"text:war", MATCH_ALL, "({body} : \"war\")", NULL},
    {"title:talk*", MATCH_ALL, "({title} : \"talk\" *)", NULL},
    {"-title:war peace", MATCH_ALL, "(\"peace\" NOT ({title} : \"war\"))", NULL},
    {"title:(body:war)", MATCH_ALL, "({title} : ({body} : \"war\"))", NULL},
    {"title:", MATCH_ALL, "\"title:\"", NULL},
    {"title:-x", MATCH_ALL, "({title} : \"x\")", NULL},
    /* errors */
    {"", MATCH_ALL, NULL, "the query has no words to search for"},
    {" \t\n ", MATCH_ALL, NULL, "the query has no words to search for"},
    {",", MATCH_ALL, NULL, "the query has no words to search for"},
    {"?", MATCH_ALL, NULL, "the query has no words to search for"},
    {"% / + @ &", MATCH_ANY, NULL, "the query has no words to search for"},
    {"\u2014 \u2026 \u00ab\u00bb \u00bf \u3001\u3002", MATCH_ALL, NULL,
     "the query has no words to search for"},
    {"\xf0\x9f\x98\x80", MATCH_ALL, NULL, "the query has no words to search for"},
    {"*", MATCH_ALL, NULL, "the query has no words to search for"},
    {"(())", MATCH_ALL, NULL, "the query has no words to search for"},
    {"AND", MATCH_ALL, NULL,
     "to search for the word itself, write it in lowercase or in quotes: \"and\""},
    {"OR", MATCH_ANY, NULL, "write it in lowercase or in quotes: \"or\""},
    {"NOT", MATCH_ALL, NULL, "write it in lowercase or in quotes: \"not\""},
    {"AND OR NOT", MATCH_ALL, NULL, "'AND' is an operator and needs a word on both sides"},
    {"peace AND", MATCH_ALL, NULL, "'AND' needs a word on both sides (column 7)"},
    {"OR talks", MATCH_ALL, NULL, "'OR' needs a word on both sides (column 1)"},
    {"peace AND AND talks", MATCH_ALL, NULL, "'AND' needs a word on both sides (column 7)"},
    {"peace OR AND talks", MATCH_ALL, NULL, "'OR' needs a word on both sides (column 7)"},
    {"(OR a)", MATCH_ALL, NULL, "'OR' needs a word on both sides (column 2)"},
    {"(a AND) b", MATCH_ALL, NULL, "'AND' needs a word on both sides (column 4)"},
    {"a NOT", MATCH_ALL, NULL, "'NOT' needs a word after it (column 3)"},
    {"a NOT NOT b", MATCH_ALL, NULL, "'NOT' needs a word after it (column 3)"},
    {"NOT ()", MATCH_ALL, NULL, "'NOT' is an operator and needs a word after it"},
    {"-word", MATCH_ALL, NULL, "a query needs at least one word that is not excluded"},
    {"-a", MATCH_ANY, NULL, "a query needs at least one word that is not excluded"},
    {"-a -b", MATCH_ALL, NULL, "a query needs at least one word that is not excluded"},
    {"NOT a", MATCH_ALL, NULL, "a query needs at least one word that is not excluded"},
    {"a OR -b", MATCH_ALL, NULL, "a query needs at least one word that is not excluded"},
    {"a (-b)", MATCH_ALL, NULL, "a query needs at least one word that is not excluded"},
    {"a b)", MATCH_ALL, NULL, "unmatched ')' at column 4"},
    {")", MATCH_ALL, NULL, "unmatched ')' at column 1"},
    {"(a)) b", MATCH_ANY, NULL, "unmatched ')' at column 4"},
    {"caf\u00e9 \u00e0 b)", MATCH_ALL, NULL, "unmatched ')' at column 9"},
    {"\"unbalanced", MATCH_ALL, NULL,
     "the quote at column 1 is never closed; close the phrase or drop the quote"},
    {"a \"b c", MATCH_ANY, NULL, "the quote at column 3 is never closed"},
    {"a \"b\" \u201cc", MATCH_ALL, NULL, "the quote at column 7 is never closed"},
    {"NEAR(a \"b c, 3)", MATCH_ALL, NULL, "the quote at column 8 is never closed"},
    {"caf\xe9", MATCH_ALL, NULL, "the query is not valid UTF-8 (byte 4, column 4)"},
    {"a \xc0\xaf", MATCH_ALL, NULL, "not valid UTF-8"},
    {"a \xed\xa0\x80", MATCH_ALL, NULL, "not valid UTF-8"},
    {"a \xe2\x80", MATCH_ALL, NULL, "not valid UTF-8"},
};

/* The archive's tokenizer on a small table; every translation is checked against it. */
static sqlite3 *db;
static sqlite3_stmt *match_stmt;

/* rowids 1-4, in order */
static const struct {
    const char *title, *body;
} docs[] = {
    {"Ukraine", "talk Ukraine peace"},
    {"Sanctions news",
     "The U.S. sanctions on Russia and Putin's war; peace-talks stalled at 10:30."},
    {"Caf\u00e9 culture", "An e-mail about the cafe in Kyiv."},
    {"Russia and Ukraine", "Russia said nothing about peace."},
};

/* Creates the table and the statement every check runs. */
static void fts_open(void)
{
    CHECK_INT(sqlite3_open(":memory:", &db), SQLITE_OK);
    CHECK_INT(sqlite3_exec(db,
                           "CREATE VIRTUAL TABLE doc USING fts5(title, body, "
                           "tokenize = 'porter unicode61 remove_diacritics 2')",
                           NULL, NULL, NULL),
              SQLITE_OK);
    sqlite3_stmt *insert = NULL;
    CHECK_INT(
        sqlite3_prepare_v2(db, "INSERT INTO doc(title, body) VALUES (?, ?)", -1, &insert, NULL),
        SQLITE_OK);
    for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
        sqlite3_bind_text(insert, 1, docs[i].title, -1, SQLITE_STATIC);
        sqlite3_bind_text(insert, 2, docs[i].body, -1, SQLITE_STATIC);
        CHECK_INT(sqlite3_step(insert), SQLITE_DONE);
        sqlite3_reset(insert);
    }
    sqlite3_finalize(insert);
    CHECK_INT(sqlite3_prepare_v2(db, "SELECT rowid FROM doc WHERE doc MATCH ? ORDER BY rowid", -1,
                                 &match_stmt, NULL),
              SQLITE_OK);
}

/* Runs expr as a MATCH. Returns whether FTS5 accepted it; on acceptance rows gets the
 * matching rowids as "1,4" (empty when none). Prints FTS5's complaint otherwise. */
static bool fts_run(const char *expr, char *rows, size_t rows_size)
{
    size_t used = 0;
    int rc;
    rows[0] = '\0';
    sqlite3_bind_text(match_stmt, 1, expr, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(match_stmt)) == SQLITE_ROW) {
        int n = snprintf(rows + used, rows_size - used, "%s%lld", used ? "," : "",
                         (long long)sqlite3_column_int64(match_stmt, 0));
        if (n > 0 && (size_t)n < rows_size - used) used += (size_t)n;
    }
    if (rc != SQLITE_DONE) fprintf(stderr, "FTS5 rejected %s: %s\n", expr, sqlite3_errmsg(db));
    sqlite3_reset(match_stmt);
    sqlite3_clear_bindings(match_stmt);
    return rc == SQLITE_DONE;
}

/* Translates query and checks the contract: on success a string FTS5 accepts, on failure
 * NEWS_ERR_USAGE, *out untouched and a message free of SQLite's words. Returns the
 * translation (caller frees) or NULL, with the message in err. */
static char *translate_checked(const char *query, enum match_mode mode, struct news_error *err)
{
    char *out = NULL;
    char rows[256];
    err->msg[0] = '\0';
    enum news_status status = match_translate(query, mode, &out, err);
    if (status != NEWS_OK) {
        CHECK_INT(status, NEWS_ERR_USAGE);
        CHECK(out == NULL);
        CHECK(err->msg[0] != '\0');
        CHECK(strstr(err->msg, "fts5") == NULL && strstr(err->msg, "FTS5") == NULL);
        CHECK(strstr(err->msg, "syntax error") == NULL && strstr(err->msg, "SQL") == NULL);
        return NULL;
    }
    CHECK(out != NULL);
    if (out) CHECK(fts_run(out, rows, sizeof rows));
    return out;
}

static void test_cases(void)
{
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct match_case *c = &cases[i];
        struct news_error err;
        char *out = translate_checked(c->query, c->mode, &err);
        if (c->want) {
            CHECK_STR(out, c->want);
            if (!out) fprintf(stderr, "  query: %s\n  error: %s\n", c->query, err.msg);
        } else {
            CHECK_STR(out, NULL);
            CHECK(out == NULL && strstr(err.msg, c->err) != NULL);
            if (out || !strstr(err.msg, c->err))
                fprintf(stderr, "  query: %s\n  message: %s\n  want: %s\n", c->query, err.msg,
                        c->err);
        }
        free(out);
    }
}

/* What a person means is what FTS5 finds: stemming, punctuation inside words, diacritics,
 * fields, exclusion. */
static void test_meaning(void)
{
    static const struct {
        const char *query;
        enum match_mode mode;
        const char *rows;
    } finds[] = {
        {"Ukraine peace talks", MATCH_ALL, "1"}, /* porter: talks = talk */
        {"ukraine -russia", MATCH_ALL, "1"},
        {"U.S. sanctions", MATCH_ALL, "2"},
        {"Putin's war", MATCH_ALL, "2"},
        {"Russia's war", MATCH_ALL, "2"},  /* the possessive finds the bare word... */
        {"Putin's peace", MATCH_ALL, "2"}, /* ...and the possessive itself */
        {"\"Putin's war\"", MATCH_ALL, "2"},
        {"\"Russia's\"", MATCH_ALL, ""},   /* a quoted phrase stays exact */
        {"peace-talks", MATCH_ALL, "1,2"}, /* joined words need not be adjacent */
        {"\"peace-talks\"", MATCH_ALL, "2"},
        {"peace-nothing", MATCH_ALL, "4"},
        {"\"peace-nothing\"", MATCH_ALL, ""},
        {"SANCTIONS AND RUSSIA", MATCH_ALL, "2"},
        {"SANCTIONS AND UKRAINE", MATCH_ANY, "1,2,4"},
        {"e-mail", MATCH_ALL, "3"},
        {"caf\u00e9", MATCH_ALL, "3"},
        {"cafe", MATCH_ALL, "3"},
        {"10:30", MATCH_ALL, "2"},
        {"talk*", MATCH_ALL, "1,2"},
        {"NEAR(sanctions war, 5)", MATCH_ALL, "2"},
        {"NEAR(sanctions war, 4)", MATCH_ALL, ""},
        {"title:ukraine", MATCH_ALL, "1,4"},
        {"title:\"peace talks\"", MATCH_ALL, ""},
        {"russia caf\u00e9 -sanctions", MATCH_ANY, "3,4"},
        {"(russia OR caf\u00e9) NOT title:russia", MATCH_ALL, "2,3"},
        {"peace AND", MATCH_ALL, NULL},
    };
    for (size_t i = 0; i < sizeof finds / sizeof finds[0]; i++) {
        struct news_error err;
        char rows[256] = "";
        char *out = translate_checked(finds[i].query, finds[i].mode, &err);
        if (out) CHECK(fts_run(out, rows, sizeof rows));
        CHECK_STR(out ? rows : NULL, finds[i].rows);
        free(out);
    }
}

/* Which queries have their AND, OR and NOT read as words, for news-query's note. */
static void test_operators_as_words(void)
{
    CHECK(match_operators_are_words("SYRIA AND IRAQ"));
    CHECK(match_operators_are_words("U.S . POLICY OR NOT"));
    CHECK(!match_operators_are_words("SYRIA IRAQ"));     /* no operator to read */
    CHECK(!match_operators_are_words("Syria AND Iraq")); /* operators */
    CHECK(!match_operators_are_words("AND OR NOT"));     /* nothing but operators */
    CHECK(!match_operators_are_words("\u5317\u4eac AND \u4e0a\u6d77"));
    CHECK(!match_operators_are_words("caf\xe9 AND X")); /* not UTF-8 */
}

/* Fills buf (size bytes) with count repetitions of piece followed by tail, cut to fit. */
static void repeat(char *buf, size_t size, const char *piece, size_t count, const char *tail)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < count && used < size; i++)
        used += (size_t)snprintf(buf + used, size - used, "%s", piece);
    if (used < size) snprintf(buf + used, size - used, "%s", tail);
}

static void test_limits(void)
{
    static char query[MATCH_MAX_QUERY_BYTES + 100];
    struct news_error err;
    char *out;

    /* the longest query, made of the most expensive pieces, still reaches FTS5 intact */
    repeat(query, sizeof query, "a ", MATCH_MAX_QUERY_BYTES / 2, "");
    CHECK_INT(strlen(query), MATCH_MAX_QUERY_BYTES);
    free(translate_checked(query, MATCH_ALL, &err));
    repeat(query, sizeof query, "-b ", MATCH_MAX_QUERY_BYTES / 3 - 1, "a");
    out = translate_checked(query, MATCH_ANY, &err);
    CHECK(out != NULL);
    free(out);
    repeat(query, sizeof query, "x title:y* OR ", MATCH_MAX_QUERY_BYTES / 14 - 1, "z");
    out = translate_checked(query, MATCH_ANY, &err);
    CHECK(out != NULL);
    free(out);
    repeat(query, sizeof query, "U.S.", MATCH_MAX_QUERY_BYTES / 4, "");
    out = translate_checked(query, MATCH_ALL, &err);
    CHECK(out != NULL);
    free(out);

    /* one byte too long */
    repeat(query, sizeof query, "a", MATCH_MAX_QUERY_BYTES + 1, "");
    CHECK(translate_checked(query, MATCH_ALL, &err) == NULL);
    CHECK(strstr(err.msg, "longer than 10000 bytes") != NULL);

    /* nesting: 32 levels are fine, 33 are refused, however the groups are written */
    repeat(query, sizeof query, "(", MATCH_MAX_DEPTH, "a");
    out = translate_checked(query, MATCH_ALL, &err);
    CHECK_STR(out, "\"a\"");
    free(out);
    repeat(query, sizeof query, "(", MATCH_MAX_DEPTH + 1, "a");
    CHECK(translate_checked(query, MATCH_ALL, &err) == NULL);
    CHECK_STR(err.msg, "the query nests parentheses more than 32 deep (column 33)");
    repeat(query, sizeof query, "title:(", MATCH_MAX_DEPTH + 1, "a");
    CHECK(translate_checked(query, MATCH_ALL, &err) == NULL);
    CHECK(strstr(err.msg, "more than 32 deep") != NULL);
    repeat(query, sizeof query, "(", 5000, "");
    CHECK(translate_checked(query, MATCH_ALL, &err) == NULL);
    CHECK(strstr(err.msg, "more than 32 deep") != NULL);
    repeat(query, sizeof query, ")", 5000, "");
    CHECK(translate_checked(query, MATCH_ALL, &err) == NULL);
    CHECK_STR(err.msg, "unmatched ')' at column 1");

    /* the deepest shapes FTS5's parser can hold: accepted if translated, else a message */
    static const char *const levels[] = {
        "a (", "a -(", "x -title:(", "x AND NOT body:(", "title:(a b ", "a OR (b -c ", "-a (b OR "};
    for (size_t i = 0; i < sizeof levels / sizeof levels[0]; i++) {
        for (size_t depth = 1; depth <= MATCH_MAX_DEPTH; depth++) {
            for (int mode = 0; mode < 2; mode++) {
                repeat(query, sizeof query, levels[i], depth, "z");
                out = translate_checked(query, mode ? MATCH_ANY : MATCH_ALL, &err);
                if (!out) CHECK(strstr(err.msg, "too deeply") != NULL);
                if (depth <= 15) CHECK(out != NULL);
                free(out);
            }
        }
    }
    repeat(query, sizeof query, "a (", MATCH_MAX_DEPTH, "z");
    out = translate_checked(query, MATCH_ALL, &err);
    CHECK(out != NULL);
    free(out);
}

/* Encodes code point cp as UTF-8 into buf (at least 5 bytes), NUL-terminated. */
static void utf8_encode(uint32_t cp, char *buf)
{
    unsigned char *b = (unsigned char *)buf;
    if (cp < 0x80) {
        b[0] = (unsigned char)cp, b[1] = 0;
    } else if (cp < 0x800) {
        b[0] = (unsigned char)(0xC0 | cp >> 6), b[1] = (unsigned char)(0x80 | (cp & 0x3F));
        b[2] = 0;
    } else if (cp < 0x10000) {
        b[0] = (unsigned char)(0xE0 | cp >> 12);
        b[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
        b[2] = (unsigned char)(0x80 | (cp & 0x3F)), b[3] = 0;
    } else {
        b[0] = (unsigned char)(0xF0 | cp >> 18);
        b[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3F));
        b[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
        b[3] = (unsigned char)(0x80 | (cp & 0x3F)), b[4] = 0;
    }
}

/* The xTokenize callback of test_token_chars: counts tokens. */
static int count_token(void *ctx, int flags, const char *token, int len, int start, int end)
{
    (void)flags, (void)token, (void)len, (void)start, (void)end;
    (*(int *)ctx)++;
    return SQLITE_OK;
}

/* A one-character word is kept exactly when FTS5's tokenizer makes a token of it: kept
 * punctuation would be an empty phrase matching nothing, a dropped letter a lost word. The
 * archive's tokenizer itself is asked, through the fts5_api. Covers Unicode's planes 0-2
 * and 14 whole, and a sample of the rest. */
static void test_token_chars(void)
{
    fts5_api *api = NULL;
    sqlite3_stmt *stmt = NULL;
    CHECK_INT(sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, NULL), SQLITE_OK);
    sqlite3_bind_pointer(stmt, 1, (void *)&api, "fts5_api_ptr", NULL);
    sqlite3_step(stmt);
    sqlite3_finalize(stmt);
    CHECK(api != NULL);
    if (!api) return;
    void *tok_ctx = NULL;
    fts5_tokenizer tok;
    Fts5Tokenizer *tokenizer = NULL;
    const char *args[] = {"unicode61", "remove_diacritics", "2"};
    CHECK_INT(api->xFindTokenizer(api, "porter", &tok_ctx, &tok), SQLITE_OK);
    CHECK_INT(tok.xCreate(tok_ctx, args, 3, &tokenizer), SQLITE_OK);
    if (!tokenizer) return;
    size_t tested = 0, mismatches = 0;
    for (uint32_t cp = 1; cp <= 0x10FFFF; cp++) {
        bool in_sample = cp < 0x30000 || (cp >= 0xE0000 && cp < 0xE0200) || cp % 61 == 0;
        if ((cp >= 0xD800 && cp <= 0xDFFF) || !in_sample) continue;
        char text[8];
        utf8_encode(cp, text);
        int tokens = 0;
        tok.xTokenize(tokenizer, &tokens, FTS5_TOKENIZE_DOCUMENT, text, (int)strlen(text),
                      count_token);
        char *out = NULL;
        struct news_error err;
        bool is_kept = match_translate(text, MATCH_ALL, &out, &err) == NEWS_OK;
        free(out);
        if (is_kept != (tokens > 0) && mismatches++ < 10)
            fprintf(stderr, "U+%04X: %d FTS5 tokens, kept %d\n", (unsigned)cp, tokens, is_kept);
        tested++;
    }
    CHECK(tested > 200000);
    CHECK_INT(mismatches, 0);
    tok.xDelete(tokenizer);
}

/* Queries put together from awkward pieces: whatever the translation, FTS5 accepts it. */
static void test_generated(void)
{
    static const char *const pieces[] = {
        "a",     "peace",     "U.S.",   "\"p q",  "\"",     "(",       ")",  "-",      "-x",
        "OR",    "AND",       "NOT",    "title:", "body:(", "text:\"", "*",  "x*",     ",",
        "10:30", "caf\u00e9", "\u2014", "\u201c", " ",      " ",       "  ", "NOT -y", "-(",
    };
    enum { PIECE_COUNT = sizeof pieces / sizeof pieces[0] };
    uint32_t seed = 12345;
    size_t ok = 0;
    for (int i = 0; i < 20000; i++) {
        char query[256] = "";
        size_t used = 0;
        int count = 1 + i % 12;
        for (int k = 0; k < count; k++) {
            seed = seed * 1103515245u + 12345u;
            const char *piece = pieces[(seed >> 16) % PIECE_COUNT];
            size_t len = strlen(piece);
            if (used + len + 1 >= sizeof query) break;
            memcpy(query + used, piece, len);
            used += len;
            if ((seed >> 8) & 1) query[used++] = ' ';
            query[used] = '\0';
        }
        struct news_error err;
        char *out = translate_checked(query, i & 1 ? MATCH_ANY : MATCH_ALL, &err);
        if (out) ok++;
        free(out);
    }
    CHECK(ok > 2000);
}

/* date: words: taken out of the query, narrowing the bounds. */
static void check_dates(const char *query, const char *since0, const char *until0, const char *rest,
                        const char *since, const char *until)
{
    char q[256], lo[MATCH_DATE_BYTES], hi[MATCH_DATE_BYTES];
    snprintf(q, sizeof q, "%s", query);
    snprintf(lo, sizeof lo, "%s", since0);
    snprintf(hi, sizeof hi, "%s", until0);
    struct news_error err;
    enum news_status st = match_take_dates(q, lo, hi, &err);
    if (!rest) {
        CHECK_INT(st, NEWS_ERR_USAGE);
        return;
    }
    CHECK_INT(st, NEWS_OK);
    CHECK_STR(q, rest);
    CHECK_STR(lo, since);
    CHECK_STR(hi, until);
}

static void check_date_words(void)
{
    check_dates("cocoa date:1987-03..1987-06", "", "", "cocoa ", "1987-03", "1987-06");
    check_dates("date:1987 cocoa", "", "", " cocoa", "1987", "1987");
    check_dates("cocoa date:1987-03..", "", "", "cocoa ", "1987-03", "");
    check_dates("cocoa date:..1987-06-30", "", "", "cocoa ", "", "1987-06-30");
    check_dates("(a date:1987) b", "", "", "(a ) b", "1987", "1987");
    check_dates("\"date:1987\" cocoa", "", "", "\"date:1987\" cocoa", "", "");
    check_dates("update:1987 x", "", "", "update:1987 x", "", "");
    /* Narrowing: the later start, the earlier end, a finer period within a coarser one. */
    check_dates("x date:1987", "1987-04", "1988", "x ", "1987-04", "1987");
    check_dates("x date:1987..1987-03 date:1987-02..1987-12", "", "", "x  ", "1987-02", "1987-03");
    check_dates("x date:1986..1988 date:1987", "", "", "x  ", "1987", "1987");
    check_dates("x date:1987-13", "", "", NULL, NULL, NULL);
    check_dates("x date:1988..1987", "", "", NULL, NULL, NULL);
    check_dates("x date:", "", "", NULL, NULL, NULL);
    check_dates("x date:..", "", "", NULL, NULL, NULL);
    check_dates("x date:87", "", "", NULL, NULL, NULL);
    CHECK(match_date_valid("1987-02-28"));
    CHECK(!match_date_valid("1987-2-28"));
}

int main(void)
{
    fts_open();
    test_cases();
    test_meaning();
    test_operators_as_words();
    test_limits();
    test_generated();
    test_token_chars();
    sqlite3_finalize(match_stmt);
    sqlite3_close(db);
    check_date_words();
    return check_report("test_match");
}
