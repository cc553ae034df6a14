/* rank.c: news_rank(): BM25F over the title and body columns, plus a term-proximity bonus.
 *
 * For each query phrase p with document frequency n_p among N rows,
 *   idf_p = ln((N - n_p + 0.5) / (n_p + 0.5))
 *   tf'_p = sum over columns c of  w_c tf_pc / (1 - b_c + b_c len_c / avglen_c)
 *   bm25f = sum_p idf_p tf'_p (k1 + 1) / (k1 + tf'_p)
 * (idf floored at RANK_MIN_IDF, as SQLite's bm25() does).
 *
 * Proximity follows Metzler and Croft's sequential dependence model: each pair of content
 * phrases next to each other in the query (phrases in more than half the rows, such as
 * "of", are skipped, and so are phrases added by query expansion) is counted in a row
 *   u = times they occur within RANK_NEAR_WINDOW tokens of each other, in either order,
 *   o = times they occur in the query's order, no further apart than in the query,
 * and adds  min(idf_a, idf_b) (w_u sat(u) + w_o sat(o)),  sat(x) = x (k1 + 1) / (x + k1 K),
 * K the body's length normalisation. w_o and w_u are the model's published weights for
 * ordered and unordered windows relative to single terms (0.10 and 0.05 against 0.85).
 * The score is -(bm25f + proximity): lower is better, as with bm25(). */
#include "rank.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "snippet.h"
#include "extension.h" /* last: in news_ext.so, routes the sqlite3_* calls below */

enum { RANK_COLUMNS = 2, MAX_STACK_PHRASES = 32 };

/* Robertson and Sparck Jones' idf is negative for terms in more than half the rows; like
 * SQLite's bm25(), such terms get a token weight instead. */
#define RANK_MIN_IDF 1e-6

static const double column_weight[RANK_COLUMNS] = {RANK_W_TITLE, RANK_W_BODY};
static const double column_b[RANK_COLUMNS] = {RANK_B_TITLE, RANK_B_BODY};

/* What one query needs for every row: idf per phrase, average column lengths, and the
 * pairs of neighbouring query phrases that earn the proximity bonus. */
struct rank_query {
    int phrases;
    int pairs;
    double avg_len[RANK_COLUMNS];
    int *left;        /* phrases entries: the pair whose left phrase this is, or -1 */
    int *right;       /* phrases entries: the pair whose right phrase this is, or -1 */
    int *pair_phrase; /* 2 * pairs entries: left and right phrase of each pair */
    double idf[];     /* phrases entries */
};

static void free_query(void *p)
{
    struct rank_query *q = p;
    if (!q) return;
    free(q->left);
    free(q->right);
    free(q->pair_phrase);
    free(q);
}

static int count_row(const Fts5ExtensionApi *api, Fts5Context *fts, void *ctx)
{
    (void)api, (void)fts;
    (*(sqlite3_int64 *)ctx)++;
    return SQLITE_OK;
}

/* Pairs each content phrase with the next one in query order, skipping phrases too common to
 * carry meaning (idf floored) and phrases weighted below 1 (added by query expansion). */
static void make_pairs(struct rank_query *q, int argc, sqlite3_value **argv)
{
    size_t n = (size_t)(q->phrases > 0 ? q->phrases : 1);
    q->left = news_xmalloc(n * sizeof *q->left);
    q->right = news_xmalloc(n * sizeof *q->right);
    q->pair_phrase = news_xmalloc(2 * n * sizeof *q->pair_phrase);
    int prev = -1;
    q->pairs = 0;
    for (int p = 0; p < q->phrases; p++) {
        q->left[p] = q->right[p] = -1;
        double weight = p < argc ? sqlite3_value_double(argv[p]) : 1.0;
        if (q->idf[p] <= RANK_MIN_IDF || weight < 1.0) continue;
        if (prev >= 0) {
            q->left[prev] = q->right[p] = q->pairs;
            q->pair_phrase[2 * q->pairs] = prev;
            q->pair_phrase[2 * q->pairs + 1] = p;
            q->pairs++;
        }
        prev = p;
    }
}

/* The collection statistics a query's scores rest on: rows, tokens per column, and the
 * rows holding each phrase (df, phrases entries). */
static int local_stats(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_int64 *rows,
                       sqlite3_int64 total[RANK_COLUMNS], sqlite3_int64 *df)
{
    int rc = api->xRowCount(fts, rows);
    for (int c = 0; rc == SQLITE_OK && c < RANK_COLUMNS; c++)
        rc = api->xColumnTotalSize(fts, c, &total[c]);
    for (int p = 0; rc == SQLITE_OK && p < api->xPhraseCount(fts); p++) {
        df[p] = 0;
        rc = api->xQueryPhrase(fts, p, &df[p], count_row);
    }
    return rc;
}

int rank_stats_read(const char *text, sqlite3_int64 *counts, int max)
{
    int n = 0;
    while (text && *text) {
        if (*text == ' ') {
            text++;
            continue;
        }
        char *end;
        errno = 0;
        long long v = strtoll(text, &end, 10);
        if (end == text || errno || v < 0 || (*end && *end != ' ')) return -1;
        if (n < max) counts[n] = v;
        n++;
        text = end;
    }
    return n;
}

/* Reads statistics in news_stats()'s format, as summed over several archives by the
 * caller. Returns false unless the text holds exactly one count per phrase. */
static bool parse_stats(const char *text, int phrases, sqlite3_int64 *rows,
                        sqlite3_int64 total[RANK_COLUMNS], sqlite3_int64 *df)
{
    int want = 1 + RANK_COLUMNS + phrases;
    sqlite3_int64 *v = news_xmalloc((size_t)want * sizeof *v);
    bool ok = rank_stats_read(text, v, want) == want;
    if (ok) {
        *rows = v[0];
        memcpy(total, v + 1, RANK_COLUMNS * sizeof *total);
        memcpy(df, v + 1 + RANK_COLUMNS, (size_t)phrases * sizeof *df);
    }
    free(v);
    return ok;
}

/* Computes the per-query data once and keeps it as the query's auxiliary data. With stats
 * (news_stats() text), idf and average lengths come from it instead of this table. */
static int query_data(const Fts5ExtensionApi *api, Fts5Context *fts, const char *stats, int argc,
                      sqlite3_value **argv, struct rank_query **out)
{
    struct rank_query *q = api->xGetAuxdata(fts, 0);
    if (q) {
        *out = q;
        return SQLITE_OK;
    }
    int phrases = api->xPhraseCount(fts);
    q = news_xmalloc(sizeof *q + (size_t)phrases * sizeof q->idf[0]);
    memset(q, 0, sizeof *q);
    q->phrases = phrases;
    sqlite3_int64 rows = 0, total[RANK_COLUMNS] = {0, 0};
    sqlite3_int64 *df = news_xmalloc((size_t)(phrases > 0 ? phrases : 1) * sizeof *df);
    int rc = SQLITE_OK;
    if (stats) {
        if (!parse_stats(stats, phrases, &rows, total, df)) rc = SQLITE_MISMATCH;
    } else {
        rc = local_stats(api, fts, &rows, total, df);
    }
    for (int c = 0; rc == SQLITE_OK && c < RANK_COLUMNS; c++)
        q->avg_len[c] = rows > 0 && total[c] > 0 ? (double)total[c] / (double)rows : 1.0;
    for (int p = 0; rc == SQLITE_OK && p < phrases; p++) {
        double n = (double)df[p];
        double idf = log(((double)rows - n + 0.5) / (n + 0.5));
        q->idf[p] = idf > RANK_MIN_IDF ? idf : RANK_MIN_IDF;
    }
    free(df);
    if (rc == SQLITE_OK) {
        make_pairs(q, argc, argv);
        rc = api->xSetAuxdata(fts, q, free_query);
    } else {
        free_query(q);
    }
    if (rc == SQLITE_OK) *out = q;
    return rc;
}

/* Per-row scratch space: on the stack for short queries. */
struct rank_row {
    double tf[MAX_STACK_PHRASES * RANK_COLUMNS];
    double near[2 * MAX_STACK_PHRASES]; /* per pair: in the window, as the bigram */
    int last_end[MAX_STACK_PHRASES];    /* per phrase: its last token in this column, or -1 */
};

static void news_rank(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx, int argc,
                      sqlite3_value **argv)
{
    /* news_rank([stats,] [weight, ...]): a text first argument is news_stats() output. */
    const char *stats = NULL;
    if (argc > 0 && sqlite3_value_type(argv[0]) == SQLITE_TEXT) {
        stats = (const char *)sqlite3_value_text(argv[0]);
        argc--, argv++;
    }
    struct rank_query *q = NULL;
    int rc = query_data(api, fts, stats, argc, argv, &q);
    if (rc == SQLITE_OK && api->xColumnCount(fts) < RANK_COLUMNS) rc = SQLITE_ERROR;
    struct rank_row stack;
    double *tf = stack.tf, *near = stack.near;
    int *last_end = stack.last_end;
    if (rc == SQLITE_OK && q->phrases > MAX_STACK_PHRASES) {
        tf = news_xmalloc((size_t)q->phrases * RANK_COLUMNS * sizeof *tf);
        near = news_xmalloc(2 * (size_t)q->phrases * sizeof *near);
        last_end = news_xmalloc((size_t)q->phrases * sizeof *last_end);
    }
    double norm[RANK_COLUMNS] = {1.0, 1.0};
    int insts = 0;
    if (rc == SQLITE_OK) {
        memset(tf, 0, (size_t)q->phrases * RANK_COLUMNS * sizeof *tf);
        memset(near, 0, 2 * (size_t)q->phrases * sizeof *near);
        for (int c = 0; rc == SQLITE_OK && c < RANK_COLUMNS; c++) {
            int len = 0;
            rc = api->xColumnSize(fts, c, &len);
            norm[c] = 1.0 - column_b[c] + column_b[c] * (double)len / q->avg_len[c];
        }
        rc = rc == SQLITE_OK ? api->xInstCount(fts, &insts) : rc;
    }
    /* Instances come ordered by column, then offset. */
    int col_now = -1;
    for (int i = 0; rc == SQLITE_OK && i < insts; i++) {
        int phrase, col, off;
        rc = api->xInst(fts, i, &phrase, &col, &off);
        if (rc != SQLITE_OK || phrase < 0 || phrase >= q->phrases || col < 0 || col >= RANK_COLUMNS)
            break;
        tf[phrase * RANK_COLUMNS + col] += 1.0;
        if (q->pairs == 0) continue;
        if (col != col_now) {
            for (int p = 0; p < q->phrases; p++)
                last_end[p] = -1;
            col_now = col;
        }
        for (int side = 0; side < 2; side++) {
            int pair = side ? q->right[phrase] : q->left[phrase];
            if (pair < 0) continue;
            int other = side ? q->pair_phrase[2 * pair] : q->pair_phrase[2 * pair + 1];
            int d = off - last_end[other];
            if (last_end[other] < 0 || d < 1 || d > RANK_NEAR_WINDOW) continue;
            near[2 * pair] += 1.0; /* within the window, either order */
            if (side && d <= phrase - other) near[2 * pair + 1] += 1.0; /* in the query's order */
        }
        last_end[phrase] = off + api->xPhraseSize(fts, phrase) - 1;
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
        }
        for (int k = 0; k < q->pairs; k++) {
            double idf = fmin(q->idf[q->pair_phrase[2 * k]], q->idf[q->pair_phrase[2 * k + 1]]);
            double u = near[2 * k], b = near[2 * k + 1];
            score += RANK_W_WINDOW * idf * u * (RANK_K1 + 1.0) / (u + RANK_K1 * norm[1]);
            score += RANK_W_BIGRAM * idf * b * (RANK_K1 + 1.0) / (b + RANK_K1 * norm[1]);
        }
        sqlite3_result_double(ctx, -score);
    } else if (rc == SQLITE_MISMATCH) {
        sqlite3_result_error(ctx, "news_rank: the statistics do not fit the query", -1);
    } else {
        sqlite3_result_error_code(ctx, rc);
    }
    if (tf != stack.tf) {
        free(tf);
        free(near);
        free(last_end);
    }
}

/* Collects the tokens of a column as the index's tokenizer makes them, each followed by
 * the word it was made from (column[start..end)) when with_words is set. */
struct token_sink {
    char *text;
    size_t len, cap;
    const char *column;
    bool with_words;
};

static void sink_add(struct token_sink *t, const char *s, size_t n)
{
    if (t->len + n + 2 > t->cap) {
        t->cap = (t->cap + n + 2) * 2;
        t->text = news_xrealloc(t->text, t->cap);
    }
    memcpy(t->text + t->len, s, n);
    t->len += n;
    t->text[t->len++] = ' ';
    t->text[t->len] = '\0';
}

static int collect_token(void *ctx, int flags, const char *token, int n, int start, int end)
{
    struct token_sink *t = ctx;
    if (flags & FTS5_TOKEN_COLOCATED || n <= 0) return SQLITE_OK;
    sink_add(t, token, (size_t)n);
    if (t->with_words) sink_add(t, t->column + start, end > start ? (size_t)(end - start) : 0);
    return SQLITE_OK;
}

/* news_terms([with_words]): the row's title and body as the index holds them (stemmed
 * tokens separated by spaces), for query expansion; with a true argument each token is
 * followed by the word it was made from, which a query can use to find that token (a
 * stem such as "coffe" is itself stemmed again when it is searched). */
static void news_terms(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
                       int argc, sqlite3_value **argv)
{
    struct token_sink sink = {NULL, 0, 0, NULL, argc > 0 && sqlite3_value_int(argv[0])};
    int rc = SQLITE_OK;
    for (int c = 0; rc == SQLITE_OK && c < api->xColumnCount(fts); c++) {
        const char *text = NULL;
        int len = 0;
        rc = api->xColumnText(fts, c, &text, &len);
        sink.column = text;
        if (rc == SQLITE_OK && text) rc = api->xTokenize(fts, text, len, &sink, collect_token);
    }
    if (rc == SQLITE_OK)
        sqlite3_result_text(ctx, sink.text ? sink.text : "", -1, SQLITE_TRANSIENT);
    else
        sqlite3_result_error_code(ctx, rc);
    free(sink.text);
}

/* news_stats(): the statistics news_rank() would use for this query, as text:
 * "ROWS TITLE_TOKENS BODY_TOKENS DF..." with one DF per phrase. Summed over several
 * archives and passed back as news_rank()'s first argument, they make scores comparable
 * across archives. */
static void news_stats(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
                       int argc, sqlite3_value **argv)
{
    (void)argc, (void)argv;
    int phrases = api->xPhraseCount(fts);
    sqlite3_int64 rows = 0, total[RANK_COLUMNS] = {0, 0};
    sqlite3_int64 *df = news_xmalloc((size_t)(phrases > 0 ? phrases : 1) * sizeof *df);
    int rc = local_stats(api, fts, &rows, total, df);
    char *text = NULL;
    if (rc == SQLITE_OK) {
        sqlite3_str *out = sqlite3_str_new(NULL);
        sqlite3_str_appendf(out, "%lld %lld %lld", rows, total[0], total[1]);
        for (int p = 0; p < phrases; p++)
            sqlite3_str_appendf(out, " %lld", df[p]);
        rc = sqlite3_str_errcode(out);
        text = sqlite3_str_finish(out);
    }
    if (rc == SQLITE_OK)
        sqlite3_result_text(ctx, text, -1, SQLITE_TRANSIENT);
    else
        sqlite3_result_error_code(ctx, rc);
    sqlite3_free(text);
    free(df);
}

/* news_phrases(): how many phrases the query has, in the order news_rank() weighs them. */
static void news_phrases(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
                         int argc, sqlite3_value **argv)
{
    (void)argc, (void)argv;
    sqlite3_result_int(ctx, api->xPhraseCount(fts));
}

/* news_hits(): how many times the query's phrases occur in the row (query expansion counts
 * a word's occurrences with it). */
static void news_hits(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx, int argc,
                      sqlite3_value **argv)
{
    (void)argc, (void)argv;
    int insts = 0, rc = api->xInstCount(fts, &insts);
    if (rc == SQLITE_OK)
        sqlite3_result_int(ctx, insts);
    else
        sqlite3_result_error_code(ctx, rc);
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
    if (rc == SQLITE_OK) rc = fts5->xCreateFunction(fts5, "news_stats", NULL, news_stats, NULL);
    if (rc == SQLITE_OK) rc = fts5->xCreateFunction(fts5, "news_hits", NULL, news_hits, NULL);
    if (rc == SQLITE_OK) rc = snippet_register(fts5);
    return rc;
}
