/* test_rank.c: news_rank() rewards title hits and query words close together in the query's
 * order, passes over common words, and with news_stats() scores several tables as one. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "rank.h"

static sqlite3 *db;

static void exec(const char *sql)
{
    char *msg = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) fprintf(stderr, "%s: %s\n", sql, msg ? msg : "?");
    CHECK_INT(rc, SQLITE_OK);
    sqlite3_free(msg);
}

/* Adds a row to FTS5 table t (title, body), with a body padded to 30 words so that lengths
 * hardly differ. */
static void add(const char *t, long long id, const char *title, const char *body)
{
    char sql[1024];
    snprintf(sql, sizeof sql,
             "INSERT INTO %s(rowid, title, body) VALUES (%lld, '%s', '%s"
             " pad pad pad pad pad pad pad pad pad pad pad pad pad pad pad pad pad pad pad')",
             t, id, title, body);
    exec(sql);
}

/* The rowids matching query in table t, best first by rank_fn; at most 8. Returns how many. */
static int ranking(const char *t, const char *query, const char *rank_fn, long long ids[8])
{
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT rowid FROM %s WHERE %s MATCH ?1 AND rank MATCH ?2 ORDER BY rank LIMIT 8", t,
             t);
    sqlite3_stmt *st = NULL;
    CHECK_INT(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_text(st, 1, query, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, rank_fn, -1, SQLITE_STATIC);
    int n = 0;
    while (n < 8 && sqlite3_step(st) == SQLITE_ROW)
        ids[n++] = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

/* The value of call (an auxiliary function call on table t) for row id and query; *rc is
 * the step's result code. A text result is also copied into text (256 bytes) if given. */
static double value(const char *t, const char *call, long long id, const char *query,
                    char text[256], int *rc)
{
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT %s FROM %s WHERE %s MATCH ?1 AND rowid = ?2", call, t, t);
    sqlite3_stmt *st = NULL;
    CHECK_INT(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_text(st, 1, query, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, id);
    double v = NAN;
    *rc = sqlite3_step(st);
    if (*rc == SQLITE_ROW) {
        v = sqlite3_column_double(st, 0);
        if (text) snprintf(text, 256, "%s", (const char *)sqlite3_column_text(st, 0));
    }
    sqlite3_finalize(st);
    return v;
}

static void test_order_and_fields(void)
{
    exec("CREATE VIRTUAL TABLE t USING fts5(title, body, tokenize='porter unicode61')");
    /* Bodies of equal length, so that only the order and distance of the words differ; the
     * rows go in the opposite order of the ranking, so that ties cannot pass for it. */
    add("t", 1, "report", "peace came first and much later after a long time talks");
    add("t", 2, "report", "talks on peace began in the old capital on a day");
    add("t", 3, "report", "peace talks began in the old capital on a cold day");
    add("t", 4, "peace talks", "a report began in the capital");
    /* Row 6 is the longer: only the words' order can put it first. */
    add("t", 5, "report", "malaysia joined and a long time after that a federation");
    add("t", 6, "report", "federation of malaysia was proposed by the british in london today");
    for (int i = 7; i <= 12; i++)
        add("t", i, "weather", "rain of the day");
    long long ids[8];
    /* A title hit first; then the words in the query's order; then near; then far. */
    CHECK_INT(ranking("t", "peace AND talks", "news_rank()", ids), 4);
    CHECK_INT(ids[0], 4);
    CHECK_INT(ids[1], 3);
    CHECK_INT(ids[2], 2);
    CHECK_INT(ids[3], 1);
    /* "of" is in most rows: federation and malaysia still make a pair, and the row with
     * them as in the query comes first. */
    CHECK_INT(ranking("t", "federation AND of AND malaysia", "news_rank()", ids), 1);
    CHECK_INT(ranking("t", "federation OR of OR malaysia", "news_rank()", ids), 8);
    CHECK_INT(ids[0], 6);
    CHECK_INT(ids[1], 5);
    /* Weights scale phrases: with talks weighed 0, only peace counts. */
    int rc;
    double both = value("t", "news_rank(t, 1, 1)", 3, "peace talks", NULL, &rc);
    double one = value("t", "news_rank(t, 1, 0)", 3, "peace talks", NULL, &rc);
    CHECK(both < one && one < 0); /* lower is better */
}

static void test_statistics(void)
{
    char text[256];
    int rc;
    value("t", "news_stats(t)", 1, "peace talks", text, &rc);
    CHECK_INT(rc, SQLITE_ROW);
    /* 12 rows; title tokens 1 each except row 4's 2 = 13; 4 rows with peace, 4 with talks. */
    CHECK(strncmp(text, "12 13 ", 6) == 0);
    CHECK(strlen(text) > 6 && strcmp(text + strlen(text) - 4, " 4 4") == 0);
    /* Its own statistics given back: the same score. */
    char call[320];
    snprintf(call, sizeof call, "news_rank(t, '%s')", text);
    double given = value("t", call, 2, "peace talks", NULL, &rc);
    double own = value("t", "news_rank(t)", 2, "peace talks", NULL, &rc);
    CHECK(fabs(given - own) < 1e-12);
    /* Wrong statistics are an error, not a score. */
    value("t", "news_rank(t, '12 13')", 2, "peace talks", NULL, &rc);
    CHECK_INT(rc, SQLITE_ERROR);
    CHECK(strstr(sqlite3_errmsg(db), "statistics do not fit") != NULL);

    /* Two tables scored with their summed statistics score as one table holding both. */
    exec("CREATE VIRTUAL TABLE a USING fts5(title, body, tokenize='porter unicode61')");
    exec("CREATE VIRTUAL TABLE b USING fts5(title, body, tokenize='porter unicode61')");
    exec("CREATE VIRTUAL TABLE ab USING fts5(title, body, tokenize='porter unicode61')");
    const char *bodies[] = {"peace talks began", "talks about talks", "peace at last",
                            "rain all day",      "peace talks again", "snow and rain"};
    for (int i = 0; i < 6; i++) {
        add(i < 3 ? "a" : "b", i + 1, "news", bodies[i]);
        add("ab", i + 1, "news", bodies[i]);
    }
    long long sum[5] = {0, 0, 0, 0, 0};
    for (int t = 0; t < 2; t++) {
        value(t ? "b" : "a", t ? "news_stats(b)" : "news_stats(a)", t ? 5 : 1, "peace OR talks",
              text, &rc);
        CHECK_INT(rc, SQLITE_ROW);
        long long v[5];
        CHECK_INT(sscanf(text, "%lld %lld %lld %lld %lld", &v[0], &v[1], &v[2], &v[3], &v[4]), 5);
        for (int i = 0; i < 5; i++)
            sum[i] += v[i];
    }
    for (long long id = 1; id <= 6; id++) {
        if (id == 4 || id == 6) continue; /* no peace, no talks */
        const char *t = id <= 3 ? "a" : "b";
        snprintf(call, sizeof call, "news_rank(%s, '%lld %lld %lld %lld %lld')", t, sum[0], sum[1],
                 sum[2], sum[3], sum[4]);
        double merged = value(t, call, id, "peace OR talks", NULL, &rc);
        double whole = value("ab", "news_rank(ab)", id, "peace OR talks", NULL, &rc);
        CHECK(fabs(merged - whole) < 1e-9);
    }
}

static void test_stats_text(void)
{
    sqlite3_int64 v[3] = {0, 0, 0};
    CHECK_INT(rank_stats_read("12 13 140 4 4", v, 3), 5); /* counts past max are counted */
    CHECK(v[0] == 12 && v[1] == 13 && v[2] == 140);
    CHECK_INT(rank_stats_read("", v, 3), 0);
    CHECK_INT(rank_stats_read("1 -2", v, 3), -1);
    CHECK_INT(rank_stats_read("1 2x", v, 3), -1);
    CHECK_INT(rank_stats_read("1 99999999999999999999", v, 3), -1);
}

int main(void)
{
    CHECK_INT(sqlite3_open(":memory:", &db), SQLITE_OK);
    CHECK_INT(rank_register(db), SQLITE_OK);
    test_order_and_fields();
    test_statistics();
    test_stats_text();
    sqlite3_close(db);
    return check_report("test_rank");
}
