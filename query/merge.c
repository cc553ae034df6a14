/* merge.c: several archives searched as one. */
#include "merge.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- comparable scores ---- */

enum news_status merge_rank_expr(const struct merge *m, const struct search_options *o, bool always,
                                 char **expr, struct news_error *err)
{
    *expr = NULL;
    if ((m->n < 2 && !always) || o->ranking == SEARCH_RANK_BM25) return NEWS_OK;
    struct search_stats sum = {0, {0, 0}, 0, NULL};
    enum news_status st = NEWS_OK;
    for (size_t i = 0; i < m->n && st == NEWS_OK; i++) {
        struct search_stats s;
        st = search_stats(m->archives[i], o->fts, &s, err);
        if (st != NEWS_OK) break;
        sum.rows += s.rows;
        sum.tokens[0] += s.tokens[0];
        sum.tokens[1] += s.tokens[1];
        if (s.df && !sum.df) {
            sum.phrases = s.phrases;
            size_t bytes = (size_t)(s.phrases > 0 ? s.phrases : 1) * sizeof *sum.df;
            sum.df = memset(news_xmalloc(bytes), 0, bytes);
        }
        for (int p = 0; s.df && p < s.phrases && p < sum.phrases; p++)
            sum.df[p] += s.df[p];
        free(s.df);
    }
    if (st == NEWS_OK) {
        /* news_rank('ROWS TITLE_TOKENS BODY_TOKENS DF...'[, weights]): numbers only. */
        const char *args = "";
        if (o->rank_expr && strncmp(o->rank_expr, "news_rank(", 10) == 0) args = o->rank_expr + 10;
        size_t cap = 64 + (size_t)sum.phrases * 22 + strlen(args);
        char *e = news_xmalloc(cap);
        size_t len = (size_t)snprintf(e, cap, "news_rank('%lld %lld %lld", (long long)sum.rows,
                                      (long long)sum.tokens[0], (long long)sum.tokens[1]);
        for (int p = 0; p < sum.phrases; p++)
            len += (size_t)snprintf(e + len, cap - len, " %lld", (long long)sum.df[p]);
        snprintf(e + len, cap - len, "'%s%s", args[0] && args[0] != ')' ? ", " : "",
                 args[0] ? args : ")");
        *expr = e;
    }
    free(sum.df);
    return st;
}

/* ---- one ranking ---- */

/* A match copied out of its archive's callback: hit's strings point into owned. */
enum { HELD_STRINGS = 10 };
struct held_hit {
    struct search_hit hit;
    char *owned[HELD_STRINGS];
    size_t archive; /* index in the merge */
};

struct held {
    struct held_hit *hits;
    size_t n, cap;
    size_t archive;
    const char *path;
};

static char *dup_or_null(const char *s)
{
    return s ? news_xstrdup(s) : NULL;
}

static bool hold_hit(void *ctx, const struct search_hit *hit)
{
    struct held *h = ctx;
    if (h->n == h->cap) {
        h->cap = h->cap ? h->cap * 2 : 64;
        h->hits = news_xrealloc(h->hits, h->cap * sizeof *h->hits);
    }
    struct held_hit *held = &h->hits[h->n++];
    const char **fields[HELD_STRINGS] = {&held->hit.source_id, &held->hit.date, &held->hit.source,
                                         &held->hit.title,     &held->hit.url,  &held->hit.byline,
                                         &held->hit.snippet,   &held->hit.hash, &held->hit.text,
                                         &held->hit.date_kind};
    held->hit = *hit;
    held->hit.archive = h->path;
    held->archive = h->archive;
    for (int i = 0; i < HELD_STRINGS; i++)
        *fields[i] = held->owned[i] = dup_or_null(*fields[i]);
    return true;
}

/* Best score first; ties by archive, then by the order within the archive. */
static int hit_by_score(const struct search_hit *a, size_t a_archive, const struct search_hit *b,
                        size_t b_archive)
{
    if (a->score != b->score) return a->score < b->score ? 1 : -1;
    if (a_archive != b_archive) return a_archive < b_archive ? -1 : 1;
    return (a->rank > b->rank) - (a->rank < b->rank);
}

/* A match's date as --sort date takes it: with no_captured_dates, a date that is only
 * when a web archive captured the page is none (search.h). */
static const char *sort_date(const struct search_hit *h, bool no_captured_dates)
{
    if (no_captured_dates && h->date_kind && strcmp(h->date_kind, "captured") == 0) return NULL;
    return h->date;
}

/* Newest first, undated last, then by score: what --sort date asks of one archive. */
static int hit_by_date(const struct search_hit *a, size_t a_archive, const struct search_hit *b,
                       size_t b_archive, bool no_captured_dates)
{
    const char *a_date = sort_date(a, no_captured_dates), *b_date = sort_date(b, no_captured_dates);
    if (!a_date != !b_date) return a_date ? -1 : 1;
    int c = a_date ? strcmp(b_date, a_date) : 0;
    return c ? c : hit_by_score(a, a_archive, b, b_archive);
}

static int by_score(const void *x, const void *y)
{
    const struct held_hit *a = x, *b = y;
    return hit_by_score(&a->hit, a->archive, &b->hit, b->archive);
}

static int by_date(const void *x, const void *y)
{
    const struct held_hit *a = x, *b = y;
    return hit_by_date(&a->hit, a->archive, &b->hit, b->archive, false);
}

static int by_own_date(const void *x, const void *y)
{
    const struct held_hit *a = x, *b = y;
    return hit_by_date(&a->hit, a->archive, &b->hit, b->archive, true);
}

/* Every match of several archives (limit 0) in one order, without holding them: each
 * archive's matches come in order from its stream, and the best of the streams' next
 * matches goes out first. Memory does not grow with the number of matches. */
static enum news_status merge_streams(const struct merge *m, const struct search_options *o,
                                      bool (*each)(void *ctx, const struct search_hit *hit),
                                      void *ctx, int64_t *hits, struct news_error *err)
{
    struct search_options each_o = *o;
    each_o.offset = 0;
    struct search_stream **streams = news_xmalloc(m->n * sizeof *streams);
    struct search_hit *next = news_xmalloc(m->n * sizeof *next);
    bool *has = news_xmalloc(m->n * sizeof *has);
    enum news_status st = NEWS_OK;
    size_t opened = 0;
    for (; opened < m->n && st == NEWS_OK; opened++) {
        st = search_stream_open(m->archives[opened], &each_o, &streams[opened], err);
        if (st != NEWS_OK) break;
        has[opened] = search_stream_next(streams[opened], &next[opened], &st, err);
    }
    int64_t skipped = 0;
    while (st == NEWS_OK) {
        size_t best = m->n;
        for (size_t i = 0; i < m->n; i++) {
            if (!has[i]) continue;
            int c = best == m->n ? -1
                    : o->sort == SEARCH_BY_DATE
                        ? hit_by_date(&next[i], i, &next[best], best, o->no_captured_dates)
                        : hit_by_score(&next[i], i, &next[best], best);
            if (c < 0) best = i;
        }
        if (best == m->n) break; /* every stream is done */
        if (skipped < o->offset) {
            skipped++;
        } else {
            struct search_hit hit = next[best];
            hit.rank = o->offset + ++*hits;
            hit.archive = m->paths[best];
            if (!each(ctx, &hit)) break;
        }
        has[best] = search_stream_next(streams[best], &next[best], &st, err);
    }
    for (size_t i = 0; i < opened; i++)
        search_stream_close(streams[i]);
    free(streams);
    free(next);
    free(has);
    return st;
}

/* Passes each hit on with its archive named. */
struct named {
    bool (*each)(void *ctx, const struct search_hit *hit);
    void *ctx;
    const char *path;
};

static bool name_hit(void *ctx, const struct search_hit *hit)
{
    const struct named *n = ctx;
    struct search_hit named = *hit;
    named.archive = n->path;
    return n->each(n->ctx, &named);
}

enum news_status merge_run(const struct merge *m, const struct search_options *o,
                           bool (*each)(void *ctx, const struct search_hit *hit), void *ctx,
                           int64_t *hits, struct search_totals *totals, struct news_error *err)
{
    *hits = 0;
    if (m->n == 1) {
        struct named n = {each, ctx, m->paths[0]};
        return search_run(m->archives[0], o, name_hit, &n, hits, totals, err);
    }
    if (totals) *totals = (struct search_totals){0, 0};
    if (o->limit == 0) return merge_streams(m, o, each, ctx, hits, err);
    /* Each archive's best offset + limit matches can make up the merged page. */
    struct search_options each_o = *o;
    each_o.offset = 0;
    each_o.limit = o->limit > 0 ? o->offset + o->limit : 0;
    struct held h = {NULL, 0, 0, 0, NULL};
    enum news_status st = NEWS_OK;
    for (size_t i = 0; i < m->n && st == NEWS_OK; i++) {
        int64_t found = 0;
        struct search_totals t;
        h.archive = i;
        h.path = m->paths[i];
        st = search_run(m->archives[i], &each_o, hold_hit, &h, &found, &t, err);
        if (totals) totals->articles += t.articles, totals->stories += t.stories;
    }
    if (st == NEWS_OK && h.n > 0) {
        qsort(h.hits, h.n, sizeof *h.hits,
              o->sort != SEARCH_BY_DATE ? by_score
              : o->no_captured_dates    ? by_own_date
                                        : by_date);
        size_t end = o->limit > 0 && (size_t)(o->offset + o->limit) < h.n
                         ? (size_t)(o->offset + o->limit)
                         : h.n;
        for (size_t i = (size_t)o->offset; i < end; i++) {
            h.hits[i].hit.rank = (int64_t)i + 1;
            ++*hits;
            if (!each(ctx, &h.hits[i].hit)) break;
        }
    }
    for (size_t i = 0; i < h.n; i++)
        for (int k = 0; k < HELD_STRINGS; k++)
            free(h.hits[i].owned[k]);
    free(h.hits);
    return st;
}

enum news_status merge_count(const struct merge *m, const struct search_options *o, int64_t *count,
                             struct news_error *err)
{
    *count = 0;
    for (size_t i = 0; i < m->n; i++) {
        int64_t n = 0;
        enum news_status st = search_count(m->archives[i], o, &n, err);
        if (st != NEWS_OK) return st;
        *count += n;
    }
    return NEWS_OK;
}

/* ---- groups ---- */

struct group_row {
    char *key; /* NULL: no value */
    int64_t count;
};

struct group_rows {
    struct group_row *rows;
    size_t n, cap;
};

static bool hold_group(void *ctx, const char *key, int64_t count)
{
    struct group_rows *g = ctx;
    if (g->n == g->cap) {
        g->cap = g->cap ? g->cap * 2 : 64;
        g->rows = news_xrealloc(g->rows, g->cap * sizeof *g->rows);
    }
    g->rows[g->n++] = (struct group_row){dup_or_null(key), count};
    return true;
}

/* By key, no value last. */
static int by_key(const void *x, const void *y)
{
    const struct group_row *a = x, *b = y;
    if (!a->key || !b->key) return !a->key - !b->key;
    return strcmp(a->key, b->key);
}

/* Largest first, then by key, no value last. */
static int by_count(const void *x, const void *y)
{
    const struct group_row *a = x, *b = y;
    if (!a->key != !b->key) return !a->key - !b->key;
    if (a->count != b->count) return a->count < b->count ? 1 : -1;
    return by_key(x, y);
}

enum news_status merge_group(const struct merge *m, const struct search_options *o,
                             enum search_group by, int64_t limit,
                             bool (*each)(void *ctx, const char *key, int64_t count), void *ctx,
                             struct news_error *err)
{
    if (m->n == 1) return search_group(m->archives[0], o, by, limit, each, ctx, err);
    struct group_rows g = {NULL, 0, 0};
    enum news_status st = NEWS_OK;
    bool period = by <= SEARCH_BY_DAY;
    /* Every value of every archive: a value can lead overall without leading anywhere. */
    for (size_t i = 0; i < m->n && st == NEWS_OK; i++)
        st = search_group(m->archives[i], o, by, 0, hold_group, &g, err);
    size_t n = 0;
    if (st == NEWS_OK && g.n > 0) {
        qsort(g.rows, g.n, sizeof *g.rows, by_key);
        for (size_t i = 1; i < g.n; i++) { /* add up equal keys */
            if (by_key(&g.rows[i], &g.rows[n]) == 0) {
                g.rows[n].count += g.rows[i].count;
                free(g.rows[i].key);
            } else {
                g.rows[++n] = g.rows[i];
            }
        }
        n++;
        if (!period) qsort(g.rows, n, sizeof *g.rows, by_count);
    }
    bool go_on = true;
    int64_t shown = 0;
    char prev[SEARCH_PERIOD_BYTES] = "";
    for (size_t i = 0; st == NEWS_OK && go_on && i < n; i++) {
        const char *key = g.rows[i].key;
        if (!period && key && limit > 0 && shown == limit) continue;
        /* Periods between archives' ranges are empty, not absent. */
        if (period && key) go_on = search_fill_gap(prev, key, each, ctx);
        if (go_on) go_on = each(ctx, key, g.rows[i].count);
        shown += key != NULL;
    }
    for (size_t i = 0; i < n; i++)
        free(g.rows[i].key);
    free(g.rows);
    return st;
}
