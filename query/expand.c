/* expand.c: pseudo-relevance feedback over one or several archives. */
#include "expand.h"

#include "rank.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct feedback_term {
    char *term;    /* as the index holds it (stemmed) */
    char *word;    /* a word of the text it was made from: what a query finds it by */
    int doc;       /* before merge_terms: the feedback document it was seen in */
    int docs;      /* after: how many feedback documents hold it */
    int times;     /* after: its occurrences in them, unweighted */
    double tf;     /* occurrences in the feedback documents, each weighted by its document */
    double weight; /* after: Bo1 weight */
    int64_t df;    /* after: articles holding it, in all the archives */
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

/* Adds every word of feedback document doc (news_terms(article_fts, 1): stemmed tokens,
 * each followed by its word, space-separated) to fb, each occurrence counting weight;
 * merge_terms then adds them up. Tokens of fewer than three letters, and those with
 * digits, are not taken. */
static void add_document(struct feedback *fb, int doc, double weight, const char *tokens)
{
    for (const char *p = tokens; *p;) {
        size_t n = strcspn(p, " "), after = n + (p[n] ? 1 : 0);
        const char *word = p + after;
        size_t word_n = strcspn(word, " ");
        bool alpha = n >= 3 && word_n > 0;
        for (size_t i = 0; i < n && alpha; i++)
            alpha = (p[i] >= 'a' && p[i] <= 'z') || (unsigned char)p[i] >= 0x80;
        if (alpha) {
            if (fb->n == fb->cap) {
                fb->cap = fb->cap ? fb->cap * 2 : 1024;
                fb->terms = news_xrealloc(fb->terms, fb->cap * sizeof *fb->terms);
            }
            char *w = news_xstrndup(word, word_n);
            for (char *c = w; *c; c++) /* ASCII to lowercase, for --explain's sake */
                if (*c >= 'A' && *c <= 'Z') *c = (char)(*c - 'A' + 'a');
            fb->terms[fb->n++] =
                (struct feedback_term){news_xstrndup(p, n), w, doc, 1, 1, weight, 0.0, 0};
        }
        p = word + word_n + (word[word_n] ? 1 : 0);
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
            t->times += fb->terms[i].times;
            if (fb->terms[i].doc != t->doc) t->docs++, t->doc = fb->terms[i].doc;
            free(fb->terms[i].term);
            free(fb->terms[i].word);
        } else {
            fb->terms[++out] = fb->terms[i];
        }
    }
    fb->n = out + 1;
}

/* Counting a word's articles in a large archive reads only part of its postings: the rows
 * in EXPAND_WINDOWS windows of rowids spread evenly over the archive, scaled up to the
 * archive. A word is counted first in a sample of EXPAND_SAMPLE_SMALL rows, then, if found
 * fewer than EXPAND_EXACT times there, in one of EXPAND_SAMPLE_LARGE rows, then in full.
 * Common words, which Bo1 weighs little, are estimated from a small sample however large
 * the archive; rare words, the ones feedback is for, are counted exactly, and cheaply,
 * since their postings are short. Counting rows in a window of rowids takes FTS5 a seek
 * and reads no positions: about 0.07 ms a window at 200,000 articles. */
enum {
    EXPAND_WINDOWS = 4,
    EXPAND_SAMPLE_SMALL = 2048,
    EXPAND_SAMPLE_LARGE = 32768,
    EXPAND_EXACT = 16,
    EXPAND_MAX_WORD = 200,            /* bytes: a longer "word" is not one to add */
    EXPAND_RECOUNT = 3 * EXPAND_TERMS /* words whose occurrences are counted */
};

/* What one archive answers during expansion. */
struct expand_source {
    sqlite3_stmt *terms;       /* ?1 query, ?2 rowid: the article's indexed words */
    sqlite3_stmt *count;       /* ?1 word, rowids ?2 to ?3: the articles holding it */
    sqlite3_stmt *hits;        /* the same: its occurrences in each article */
    int64_t rows, first, last; /* its articles, and their first and last rowid */
    struct archive *archive;
};

static enum news_status prepare_source(struct archive *a, struct expand_source *s,
                                       struct news_error *err)
{
    sqlite3 *db = archive_db(a);
    sqlite3_stmt *st = NULL;
    s->archive = a;
    int rc =
        sqlite3_prepare_v2(db, "SELECT count(*), min(id), max(id) FROM article", -1, &st, NULL);
    if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        s->rows = sqlite3_column_int64(st, 0);
        s->first = sqlite3_column_int64(st, 1);
        s->last = sqlite3_column_int64(st, 2);
        rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_OK ||
        sqlite3_prepare_v2(db,
                           "SELECT news_terms(article_fts, 1) FROM article_fts"
                           " WHERE article_fts MATCH ?1 AND rowid = ?2",
                           -1, &s->terms, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db,
                           "SELECT count(*) FROM article_fts"
                           " WHERE article_fts MATCH ?1 AND rowid BETWEEN ?2 AND ?3",
                           -1, &s->count, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db,
                           "SELECT news_hits(article_fts) FROM article_fts"
                           " WHERE article_fts MATCH ?1 AND rowid BETWEEN ?2 AND ?3",
                           -1, &s->hits, NULL) != SQLITE_OK)
        return news_error_set(err, NEWS_ERR_SQL, "%s (%s)", sqlite3_errmsg(db), archive_path(a));
    return NEWS_OK;
}

/* The articles between rowids lo and hi of s holding word (an FTS5 string), into *docs,
 * and, if hits is not NULL, its occurrences there, into *hits (which reads positions). */
static enum news_status count_range(struct expand_source *s, const char *word, int64_t lo,
                                    int64_t hi, double *docs, double *hits)
{
    sqlite3_stmt *st = hits ? s->hits : s->count;
    sqlite3_bind_text(st, 1, word, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, lo);
    sqlite3_bind_int64(st, 3, hi);
    int rc;
    *docs = 0;
    if (hits) *hits = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) { /* aux functions cannot be aggregated */
        if (!hits) {
            *docs = (double)sqlite3_column_int64(st, 0);
            continue;
        }
        *docs += 1;
        *hits += sqlite3_column_double(st, 0);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? NEWS_OK : NEWS_ERR_SQL;
}

/* Adds to *docs the articles of s holding term (a word of the text), and, if hits is not
 * NULL, to *hits its occurrences, counted exactly or estimated (see EXPAND_SAMPLE_SMALL). */
static enum news_status count_term(struct expand_source *s, const char *term, double *docs,
                                   double *hits)
{
    char word[EXPAND_MAX_WORD + 3];
    snprintf(word, sizeof word, "\"%s\"", term); /* the caller checked its length */
    static const double samples[] = {EXPAND_SAMPLE_SMALL, EXPAND_SAMPLE_LARGE};
    double span = (double)(s->last - s->first + 1);
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
        if ((double)s->rows <= 2 * samples[i]) break;
        double found = 0, times = 0, covered = 0, width = span * samples[i] / (double)s->rows;
        for (int w = 0; w < EXPAND_WINDOWS; w++) {
            int64_t lo = s->first + (int64_t)(span * w / EXPAND_WINDOWS);
            int64_t hi = lo + (int64_t)(width / EXPAND_WINDOWS);
            double d = 0, h = 0;
            if (count_range(s, word, lo, hi, &d, hits ? &h : NULL) != NEWS_OK) return NEWS_ERR_SQL;
            found += d;
            times += h;
            covered += (double)(hi - lo + 1);
        }
        if (found >= EXPAND_EXACT) {
            *docs += found * span / covered;
            if (hits) *hits += times * span / covered;
            return NEWS_OK;
        }
    }
    double d = 0, h = 0;
    enum news_status st = count_range(s, word, s->first, s->last, &d, hits ? &h : NULL);
    *docs += d;
    if (hits) *hits += h;
    return st;
}

/* Adds to *docs (and *hits, if not NULL) the articles holding word in each of the n
 * archives of src (and its occurrences); an SQLite error names the word and the archive. */
static enum news_status count_everywhere(struct expand_source *src, size_t n, const char *word,
                                         double *docs, double *hits, struct news_error *err)
{
    for (size_t a = 0; a < n; a++)
        if (count_term(&src[a], word, docs, hits) != NEWS_OK)
            return news_error_set(err, NEWS_ERR_SQL, "cannot count '%s' for --expand: %s (%s)",
                                  word, sqlite3_errmsg(archive_db(src[a].archive)),
                                  archive_path(src[a].archive));
    return NEWS_OK;
}

/* Bo1's weight of a word found tf times in the feedback documents (each occurrence
 * weighted by its document) and on average mean times per article of the archives. */
static double bo1(double tf, double mean)
{
    return mean > 0 ? tf * log2((1.0 + mean) / mean) + log2(1.0 + mean) : 0.0;
}

/* Weighs the words of fb by Amati's Bo1: how far their frequency in the feedback documents
 * exceeds what their frequency in the n archives of src (rows articles) predicts. Words in
 * more than half the articles (no idf in news_rank) and, when several is true (several
 * feedback documents), words found in only one of them weigh 0. Every word's articles are
 * counted, and its occurrences first estimated as its articles times its occurrences per
 * feedback document that holds it; the occurrences of the EXPAND_RECOUNT best are then
 * counted, which reads positions, and fb is left sorted by weight. */
static enum news_status weigh_terms(struct expand_source *src, size_t n, struct feedback *fb,
                                    bool several, double rows, struct news_error *err)
{
    enum news_status st = NEWS_OK;
    rows = rows > 0 ? rows : 1.0;
    for (size_t i = 0; i < fb->n && st == NEWS_OK; i++) {
        struct feedback_term *f = &fb->terms[i];
        double holding = 0;
        f->weight = 0.0;
        if ((several && f->docs < 2) || strlen(f->word) > EXPAND_MAX_WORD || strchr(f->word, '"'))
            continue;
        st = count_everywhere(src, n, f->word, &holding, NULL, err);
        f->df = (int64_t)(holding + 0.5);
        if (holding > 0 && holding <= rows / 2)
            f->weight = bo1(f->tf, holding * f->times / f->docs / rows);
    }
    qsort(fb->terms, fb->n, sizeof *fb->terms, by_weight);
    for (size_t i = 0; i < fb->n && i < EXPAND_RECOUNT && st == NEWS_OK; i++) {
        struct feedback_term *f = &fb->terms[i];
        double holding = 0, occurrences = 0;
        if (f->weight <= 0) break;
        st = count_everywhere(src, n, f->word, &holding, &occurrences, err);
        f->weight = bo1(f->tf, occurrences / rows);
    }
    qsort(fb->terms, fb->n, sizeof *fb->terms, by_weight);
    return st;
}

/* The collection statistics in o's rank expression, news_rank('ROWS T B DF...', ...) as
 * merge_rank_expr makes it: a malloc'd text of counts, with the number of the query's
 * phrases (one DF each) in *phrases; NULL when it has none. */
static char *stats_of(const struct search_options *o, int *phrases)
{
    static const char prefix[] = "news_rank('";
    if (!o->rank_expr || strncmp(o->rank_expr, prefix, sizeof prefix - 1) != 0) return NULL;
    const char *s = o->rank_expr + sizeof prefix - 1, *e = strchr(s, '\'');
    char *stats = e ? news_xstrndup(s, (size_t)(e - s)) : NULL;
    int counts = stats ? rank_stats_read(stats, NULL, 0) : -1;
    if (counts < 3) {
        free(stats);
        return NULL;
    }
    *phrases = counts - 3;
    return stats;
}

/* Makes the expanded query of o's, whose statistics are stats (ROWS T B, then one DF for
 * each of its original phrases), with the first chosen of terms, and its news_rank() call.
 * The added words only rank: "(Q) OR ((Q) AND (w1 OR w2 ...))" matches what Q matches, and
 * where a row holds added words FTS5 reports them. Q's phrases weigh 1, their second copy
 * nothing, each added word by its strength (at most EXPAND_WEIGHT). The statistics go
 * along, with the copy's and the added words' article counts, so that ranking again scans
 * no word's postings to count them. */
static void expanded_query(const struct search_options *o, const char *stats, int original,
                           const struct feedback_term *terms, size_t chosen, char **fts,
                           char **weights)
{
    size_t cap = 2 * strlen(o->fts) + 2 * strlen(stats) + (size_t)original * 8 + 64;
    for (size_t i = 0; i < chosen; i++) /* the word, quoted and OR-ed; its count and weight */
        cap += strlen(terms[i].word) + 8 + 2 * 24;
    char *q = news_xmalloc(cap), *r = news_xmalloc(cap);
    size_t ql = (size_t)snprintf(q, cap, "(%s) OR ((%s) AND (", o->fts, o->fts);
    const char *dfs = stats; /* past ROWS T B: the original phrases' DFs, for the copy */
    for (int skip = 0; skip < 3; skip++)
        dfs += strcspn(dfs, " ") + (dfs[strcspn(dfs, " ")] ? 1 : 0);
    size_t rl = (size_t)snprintf(r, cap, "news_rank('%s %s", stats, dfs);
    for (size_t i = 0; i < chosen; i++)
        rl += (size_t)snprintf(r + rl, cap - rl, " %lld", (long long)terms[i].df);
    rl += (size_t)snprintf(r + rl, cap - rl, "'");
    for (int i = 0; i < 2 * original; i++)
        rl += (size_t)snprintf(r + rl, cap - rl, ", %d", i < original);
    for (size_t i = 0; i < chosen; i++) {
        ql += (size_t)snprintf(q + ql, cap - ql, "%s\"%s\"", i ? " OR " : "", terms[i].word);
        rl += (size_t)snprintf(r + rl, cap - rl, ", %.4f",
                               EXPAND_WEIGHT * terms[i].weight / terms[0].weight);
    }
    snprintf(q + ql, cap - ql, "))");
    snprintf(r + rl, cap - rl, ")");
    *fts = q;
    *weights = r;
}

enum news_status expand_query(const struct merge *m, const struct search_options *o, char **fts,
                              char **weights, int *phrases, struct news_error *err)
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
    *phrases = 0;
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
        rows += (double)src[a].rows;
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
    st = weigh_terms(src, m->n, &fb, hits >= 2, rows, err);
    if (st != NEWS_OK) goto done;
    size_t chosen = fb.n < EXPAND_TERMS ? fb.n : EXPAND_TERMS;
    while (chosen > 0 && fb.terms[chosen - 1].weight <= 0)
        chosen--;
    /* The weights line up with the query's phrases, counted in its statistics. */
    int original = 0;
    char *stats = stats_of(o, &original);
    if (chosen == 0 || !stats) {
        *fts = news_xstrdup(o->fts);
    } else {
        expanded_query(o, stats, original, fb.terms, chosen, fts, weights);
        *phrases = original;
    }
    free(stats);
done:
    for (size_t i = 0; i < fb.n; i++) {
        free(fb.terms[i].term);
        free(fb.terms[i].word);
    }
    free(fb.terms);
    for (size_t a = 0; a < m->n; a++) {
        sqlite3_finalize(src[a].terms);
        sqlite3_finalize(src[a].count);
        sqlite3_finalize(src[a].hits);
    }
    free(src);
    return st;
}
