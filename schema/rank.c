/* rank.c: news_rank(): BM25F over the title and body columns, plus a term-proximity bonus.
 *
 * For each query phrase p with document frequency n_p among N rows,
 *   idf_p = ln((N - n_p + 0.5) / (n_p + 0.5))
 *   tf'_p = sum over columns c of  w_c tf_pc / (1 - b_c + b_c len_c / avglen_c)
 *   bm25f = sum_p idf_p tf'_p (k1 + 1) / (k1 + tf'_p)
 * (idf floored at RANK_MIN_IDF, as SQLite's bm25() does), and for proximity, each pair of
 * neighbouring matches of different phrases in a column, d tokens apart, adds idf of the other
 * phrase / d^2 to each phrase's accumulator acc_p: prox = sum_p min(1, idf_p) acc_p (k1 + 1) /
 * (acc_p + k1 K)  with K the body's length normalisation, as in Buttcher et al. The score is
 * -(bm25f + prox). */
#include "rank.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "snippet.h"

enum { RANK_COLUMNS = 2, MAX_STACK_PHRASES = 32 };

/* Robertson and Sparck Jones' idf is negative for terms in more than half the rows; like
 * SQLite's bm25(), such terms get a token weight instead. */
#define RANK_MIN_IDF 1e-6

static const double column_weight[RANK_COLUMNS] = {RANK_W_TITLE, RANK_W_BODY};
static const double column_b[RANK_COLUMNS] = {RANK_B_TITLE, RANK_B_BODY};

/* What one query needs for every row: idf per phrase and average column lengths. */
struct rank_query {
    int phrases;
    double avg_len[RANK_COLUMNS];
    double idf[]; /* phrases entries */
};

static int count_row(const Fts5ExtensionApi *api, Fts5Context *fts, void *ctx)
{
    (void)api, (void)fts;
    (*(sqlite3_int64 *)ctx)++;
    return SQLITE_OK;
}

/* Computes the per-query data once and keeps it as the query's auxiliary data. */
static int query_data(const Fts5ExtensionApi *api, Fts5Context *fts, struct rank_query **out)
{
    struct rank_query *q = api->xGetAuxdata(fts, 0);
    if (q) {
        *out = q;
        return SQLITE_OK;
    }
    int phrases = api->xPhraseCount(fts);
    q = news_xmalloc(sizeof *q + (size_t)phrases * sizeof q->idf[0]);
    q->phrases = phrases;
    sqlite3_int64 rows = 0;
    int rc = api->xRowCount(fts, &rows);
    for (int c = 0; rc == SQLITE_OK && c < RANK_COLUMNS; c++) {
        sqlite3_int64 total = 0;
        rc = api->xColumnTotalSize(fts, c, &total);
        q->avg_len[c] = rows > 0 && total > 0 ? (double)total / (double)rows : 1.0;
    }
    for (int p = 0; rc == SQLITE_OK && p < phrases; p++) {
        sqlite3_int64 hits = 0;
        rc = api->xQueryPhrase(fts, p, &hits, count_row);
        double idf = log(((double)rows - (double)hits + 0.5) / ((double)hits + 0.5));
        q->idf[p] = idf > RANK_MIN_IDF ? idf : RANK_MIN_IDF;
    }
    if (rc == SQLITE_OK)
        rc = api->xSetAuxdata(fts, q, free);
    else
        free(q);
    if (rc == SQLITE_OK) *out = q;
    return rc;
}

static void news_rank(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx, int argc,
                      sqlite3_value **argv)
{
    (void)argc, (void)argv;
    struct rank_query *q = NULL;
    int rc = query_data(api, fts, &q);
    if (rc == SQLITE_OK && api->xColumnCount(fts) < RANK_COLUMNS) rc = SQLITE_ERROR;
    double stack_tf[MAX_STACK_PHRASES * RANK_COLUMNS], stack_acc[MAX_STACK_PHRASES];
    double *tf = stack_tf, *acc = stack_acc;
    if (rc == SQLITE_OK && q->phrases > MAX_STACK_PHRASES) {
        tf = news_xmalloc((size_t)q->phrases * RANK_COLUMNS * sizeof *tf);
        acc = news_xmalloc((size_t)q->phrases * sizeof *acc);
    }
    double norm[RANK_COLUMNS] = {1.0, 1.0};
    int insts = 0;
    if (rc == SQLITE_OK) {
        memset(tf, 0, (size_t)q->phrases * RANK_COLUMNS * sizeof *tf);
        memset(acc, 0, (size_t)q->phrases * sizeof *acc);
        for (int c = 0; rc == SQLITE_OK && c < RANK_COLUMNS; c++) {
            int len = 0;
            rc = api->xColumnSize(fts, c, &len);
            norm[c] = 1.0 - column_b[c] + column_b[c] * (double)len / q->avg_len[c];
        }
    }
    if (rc == SQLITE_OK) rc = api->xInstCount(fts, &insts);
    /* Instances come ordered by column, then offset: neighbours are adjacent. */
    int prev_phrase = -1, prev_col = -1, prev_off = 0;
    for (int i = 0; rc == SQLITE_OK && i < insts; i++) {
        int phrase, col, off;
        rc = api->xInst(fts, i, &phrase, &col, &off);
        if (rc != SQLITE_OK || phrase < 0 || phrase >= q->phrases || col < 0 || col >= RANK_COLUMNS)
            break;
        tf[phrase * RANK_COLUMNS + col] += 1.0;
        if (prev_phrase >= 0 && prev_col == col && prev_phrase != phrase && off > prev_off) {
            double d = (double)(off - prev_off);
            acc[phrase] += q->idf[prev_phrase] / (d * d);
            acc[prev_phrase] += q->idf[phrase] / (d * d);
        }
        prev_phrase = phrase, prev_col = col, prev_off = off;
    }
    if (rc == SQLITE_OK) {
        double score = 0.0;
        for (int p = 0; p < q->phrases; p++) {
            /* Optional arguments weigh the phrases in order (query expansion). */
            double weight = p < argc ? sqlite3_value_double(argv[p]) : 1.0;
            double t = 0.0;
            for (int c = 0; c < RANK_COLUMNS; c++)
                t += column_weight[c] * tf[p * RANK_COLUMNS + c] / norm[c];
            score += weight * q->idf[p] * t * (RANK_K1 + 1.0) / (RANK_K1 + t);
            double a = acc[p];
            if (a > 0)
                score +=
                    weight * fmin(1.0, q->idf[p]) * a * (RANK_K1 + 1.0) / (a + RANK_K1 * norm[1]);
        }
        sqlite3_result_double(ctx, -score);
    } else {
        sqlite3_result_error_code(ctx, rc);
    }
    if (tf != stack_tf) free(tf);
    if (acc != stack_acc) free(acc);
}

/* Collects the tokens of a column as the index's tokenizer makes them. */
struct token_sink {
    char *text;
    size_t len, cap;
};

static int collect_token(void *ctx, int flags, const char *token, int n, int start, int end)
{
    struct token_sink *t = ctx;
    (void)start, (void)end;
    if (flags & FTS5_TOKEN_COLOCATED || n <= 0) return SQLITE_OK;
    if (t->len + (size_t)n + 2 > t->cap) {
        t->cap = (t->cap + (size_t)n + 2) * 2;
        t->text = news_xrealloc(t->text, t->cap);
    }
    memcpy(t->text + t->len, token, (size_t)n);
    t->len += (size_t)n;
    t->text[t->len++] = ' ';
    t->text[t->len] = '\0';
    return SQLITE_OK;
}

/* news_terms(): the row's title and body as the index holds them (stemmed tokens separated
 * by spaces), for query expansion. */
static void news_terms(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
                       int argc, sqlite3_value **argv)
{
    (void)argc, (void)argv;
    struct token_sink sink = {NULL, 0, 0};
    int rc = SQLITE_OK;
    for (int c = 0; rc == SQLITE_OK && c < api->xColumnCount(fts); c++) {
        const char *text = NULL;
        int len = 0;
        rc = api->xColumnText(fts, c, &text, &len);
        if (rc == SQLITE_OK && text) rc = api->xTokenize(fts, text, len, &sink, collect_token);
    }
    if (rc == SQLITE_OK)
        sqlite3_result_text(ctx, sink.text ? sink.text : "", -1, SQLITE_TRANSIENT);
    else
        sqlite3_result_error_code(ctx, rc);
    free(sink.text);
}

/* news_phrases(): how many phrases the query has, in the order news_rank() weighs them. */
static void news_phrases(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
                         int argc, sqlite3_value **argv)
{
    (void)argc, (void)argv;
    sqlite3_result_int(ctx, api->xPhraseCount(fts));
}

int rank_register(sqlite3 *db)
{
    fts5_api *fts5 = NULL;
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_pointer(st, 1, (void *)&fts5, "fts5_api_ptr", NULL);
        rc = sqlite3_step(st) == SQLITE_ROW ? SQLITE_OK : sqlite3_errcode(db);
        if (rc == SQLITE_DONE) rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    if (rc == SQLITE_OK && (!fts5 || fts5->iVersion < 2)) rc = SQLITE_ERROR;
    if (rc == SQLITE_OK) rc = fts5->xCreateFunction(fts5, "news_rank", NULL, news_rank, NULL);
    if (rc == SQLITE_OK) rc = fts5->xCreateFunction(fts5, "news_terms", NULL, news_terms, NULL);
    if (rc == SQLITE_OK) rc = fts5->xCreateFunction(fts5, "news_phrases", NULL, news_phrases, NULL);
    if (rc == SQLITE_OK) rc = snippet_register(fts5);
    return rc;
}
