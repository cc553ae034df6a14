/* expand.c: pseudo-relevance feedback over one or several archives. */
#include "expand.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct feedback_term {
    char *term;
    int doc;       /* before merge_terms: the feedback document it was seen in */
    int docs;      /* after: how many feedback documents hold it */
    double tf;     /* occurrences in the feedback documents, each weighted by its document */
    double weight; /* after: Bo1 weight */
};

static int by_weight(const void *x, const void *y)
{
    const struct feedback_term *a = x, *b = y;
    if (a->weight != b->weight) return a->weight < b->weight ? 1 : -1;
    return strcmp(a->term, b->term);
}

struct feedback {
    struct feedback_term *terms;
    size_t n, cap;
};

/* The best matches of the first search: which archive, which article, what score. */
struct feedback_docs {
    const struct merge *m;
    size_t archive[EXPAND_DOCS];
    int64_t id[EXPAND_DOCS];
    double score[EXPAND_DOCS];
};

static bool collect_doc(void *ctx, const struct search_hit *hit)
{
    struct feedback_docs *d = ctx;
    size_t i = (size_t)hit->rank - 1, a = 0;
    while (a + 1 < d->m->n && d->m->paths[a] != hit->archive)
        a++;
    d->archive[i] = a;
    d->id[i] = hit->id;
    d->score[i] = hit->score;
    return true;
}

/* Adds every word of feedback document doc (stemmed tokens, space-separated) to fb, each
 * occurrence counting weight; merge_terms then adds them up. Words of fewer than three
 * letters, and those with digits, are not taken. */
static void add_document(struct feedback *fb, int doc, double weight, const char *tokens)
{
    for (const char *p = tokens; *p;) {
        const char *e = strchr(p, ' ');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        bool alpha = n >= 3;
        for (size_t i = 0; i < n && alpha; i++)
            alpha = (p[i] >= 'a' && p[i] <= 'z') || (unsigned char)p[i] >= 0x80;
        if (alpha) {
            if (fb->n == fb->cap) {
                fb->cap = fb->cap ? fb->cap * 2 : 1024;
                fb->terms = news_xrealloc(fb->terms, fb->cap * sizeof *fb->terms);
            }
            fb->terms[fb->n++] = (struct feedback_term){news_xstrndup(p, n), doc, 1, weight, 0.0};
        }
        p += n + (e ? 1 : 0);
    }
}

static int by_term(const void *x, const void *y)
{
    const struct feedback_term *a = x, *b = y;
    int c = strcmp(a->term, b->term);
    return c ? c : (a->doc > b->doc) - (a->doc < b->doc);
}

/* Sorts the occurrences by word and adds them up, leaving one entry per word with its
 * occurrences and the number of feedback documents that hold it. */
static void merge_terms(struct feedback *fb)
{
    if (fb->n == 0) return;
    qsort(fb->terms, fb->n, sizeof *fb->terms, by_term);
    size_t out = 0;
    for (size_t i = 1; i < fb->n; i++) {
        struct feedback_term *t = &fb->terms[out];
        if (strcmp(fb->terms[i].term, t->term) == 0) {
            t->tf += fb->terms[i].tf;
            if (fb->terms[i].doc != t->doc) t->docs++, t->doc = fb->terms[i].doc;
            free(fb->terms[i].term);
        } else {
            fb->terms[++out] = fb->terms[i];
        }
    }
    fb->n = out + 1;
}

/* Articles in an archive. */
static int64_t count_articles(sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    int64_t n = 0;
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM article", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

/* What one archive answers during expansion. */
struct expand_source {
    sqlite3_stmt *terms; /* ?1 query, ?2 rowid: the article's indexed words */
    sqlite3_stmt *df;    /* ?1 term: articles holding it, occurrences */
};

static enum news_status prepare_source(struct archive *a, struct expand_source *s,
                                       struct news_error *err)
{
    enum news_status st = search_vocab(a, err);
    if (st != NEWS_OK) return st;
    sqlite3 *db = archive_db(a);
    if (sqlite3_prepare_v2(db,
                           "SELECT news_terms(article_fts) FROM article_fts"
                           " WHERE article_fts MATCH ?1 AND rowid = ?2",
                           -1, &s->terms, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT doc, cnt FROM temp.article_vocab WHERE term = ?1", -1,
                           &s->df, NULL) != SQLITE_OK)
        return news_error_set(err, NEWS_ERR_SQL, "%s (%s)", sqlite3_errmsg(db), archive_path(a));
    return NEWS_OK;
}

/* The number of phrases news_rank() sees in the query fts, in archive a (which matches it),
 * into *phrases. The weights given to news_rank() line up with them, so a failure here is
 * an error, not a guess. */
static enum news_status count_phrases(struct archive *a, const char *fts, int *phrases,
                                      struct news_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(archive_db(a),
                                "SELECT news_phrases(article_fts) FROM article_fts"
                                " WHERE article_fts MATCH ?1 LIMIT 1",
                                -1, &st, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(st, 1, fts, -1, SQLITE_STATIC);
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) *phrases = sqlite3_column_int(st, 0);
    }
    sqlite3_finalize(st);
    if (rc == SQLITE_ROW) return NEWS_OK;
    return news_error_set(err, NEWS_ERR_SQL, "cannot count the query's phrases: %s (%s)",
                          rc == SQLITE_DONE ? "no match" : sqlite3_errmsg(archive_db(a)),
                          archive_path(a));
}

enum news_status expand_query(const struct merge *m, const struct search_options *o, char **fts,
                              char **weights, struct news_error *err)
{
    struct search_options first = *o;
    first.offset = 0;
    first.limit = EXPAND_DOCS;
    first.sort = SEARCH_BY_RANK;
    struct feedback_docs docs = {.m = m};
    int64_t hits = 0;
    struct feedback fb = {NULL, 0, 0};
    *fts = NULL;
    *weights = NULL;
    enum news_status st = merge_run(m, &first, collect_doc, &docs, &hits, NULL, err);
    if (st != NEWS_OK) return st;
    if (hits == 0) {
        *fts = news_xstrdup(o->fts);
        return NEWS_OK;
    }
    struct expand_source *src = news_xmalloc(m->n * sizeof *src);
    memset(src, 0, m->n * sizeof *src);
    double rows = 0;
    for (size_t a = 0; a < m->n && st == NEWS_OK; a++) {
        st = prepare_source(m->archives[a], &src[a], err);
        rows += (double)count_articles(archive_db(m->archives[a]));
    }
    if (st != NEWS_OK) goto done;
    /* Each document counts by how likely it is to be relevant: BM25 scores are log-odds, so
     * exp(score), normalised (the document weights of Lavrenko's relevance model, RM3),
     * scaled so that equal scores would count each document once. */
    double norm = 0;
    for (int64_t i = 0; i < hits; i++)
        norm += exp(docs.score[i] - docs.score[0]);
    for (int64_t i = 0; i < hits; i++) {
        sqlite3_stmt *terms = src[docs.archive[i]].terms;
        sqlite3_bind_text(terms, 1, o->fts, -1, SQLITE_STATIC);
        sqlite3_bind_int64(terms, 2, docs.id[i]);
        if (sqlite3_step(terms) == SQLITE_ROW) {
            const char *t = (const char *)sqlite3_column_text(terms, 0);
            double weight = (double)hits * exp(docs.score[i] - docs.score[0]) / norm;
            if (t) add_document(&fb, (int)i, weight, t);
        }
        sqlite3_reset(terms);
    }
    merge_terms(&fb);
    /* Amati's Bo1: how far a word's frequency in the feedback documents exceeds what its
     * frequency in the archives predicts. Words in more than half the articles (no idf in
     * news_rank) and, with several feedback documents, words found in only one of them are
     * not taken. */
    for (size_t i = 0; i < fb.n; i++) {
        double holding = 0, occurrences = 0;
        for (size_t a = 0; a < m->n; a++) {
            sqlite3_bind_text(src[a].df, 1, fb.terms[i].term, -1, SQLITE_STATIC);
            if (sqlite3_step(src[a].df) == SQLITE_ROW) {
                holding += (double)sqlite3_column_int64(src[a].df, 0);
                occurrences += (double)sqlite3_column_int64(src[a].df, 1);
            }
            sqlite3_reset(src[a].df);
        }
        double mean = occurrences / (rows > 0 ? rows : 1.0);
        bool useful = holding > 0 && holding <= rows / 2 && (hits < 2 || fb.terms[i].docs >= 2);
        fb.terms[i].weight =
            useful ? fb.terms[i].tf * log2((1.0 + mean) / mean) + log2(1.0 + mean) : 0.0;
    }
    qsort(fb.terms, fb.n, sizeof *fb.terms, by_weight);
    size_t chosen = fb.n < EXPAND_TERMS ? fb.n : EXPAND_TERMS;
    while (chosen > 0 && fb.terms[chosen - 1].weight <= 0)
        chosen--;
    int original = 0;
    st = count_phrases(m->archives[docs.archive[0]], o->fts, &original, err);
    if (st != NEWS_OK) goto done;
    /* The expanded query and its weights: fixed text and the index's own terms only. */
    size_t cap = strlen(o->fts) + 16 + chosen * 80 + (size_t)original * 6 + 32;
    char *q = news_xmalloc(cap), *r = news_xmalloc(cap);
    size_t ql = (size_t)snprintf(q, cap, "(%s)", o->fts);
    size_t rl = (size_t)snprintf(r, cap, "news_rank(");
    for (int i = 0; i < original; i++)
        rl += (size_t)snprintf(r + rl, cap - rl, "%s1", i ? ", " : "");
    double top = chosen ? fb.terms[0].weight : 1.0;
    for (size_t i = 0; i < chosen; i++) {
        ql += (size_t)snprintf(q + ql, cap - ql, " OR \"%s\"", fb.terms[i].term);
        rl += (size_t)snprintf(r + rl, cap - rl, "%s%.4f", original || i ? ", " : "",
                               EXPAND_WEIGHT * fb.terms[i].weight / top);
    }
    snprintf(r + rl, cap - rl, ")");
    *fts = q;
    *weights = r;
done:
    for (size_t i = 0; i < fb.n; i++)
        free(fb.terms[i].term);
    free(fb.terms);
    for (size_t a = 0; a < m->n; a++) {
        sqlite3_finalize(src[a].terms);
        sqlite3_finalize(src[a].df);
    }
    free(src);
    return st;
}
