/* search.c: the query side's SQL. Statements are built from fixed text only; every value
 * from the user is bound. */
#include "search.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec.h"
#include "rank.h"
#include "versions.h"

/* An article's date as searches filter, sort and count by it: with no_captured_dates
 * (?14), a date that only says when a web archive captured the page is no date. */
#define SEARCH_DATE "(CASE WHEN ?14 AND a.date_kind IS NOT NULL THEN NULL ELSE a.date END)"

/* The filters every search shares; ?1 is the MATCH expression. Unless every version counts
 * (?13, every_version), only current versions: the article row is read anyway, for the
 * other filters. */
static const char filters_sql[] =
    " WHERE article_fts MATCH ?1 AND f.rank MATCH ?10" /* the ranking function */
    " AND (?2 IS NULL OR " SEARCH_DATE " >= ?2)"
    " AND (?3 IS NULL OR " SEARCH_DATE " <= ?3 || '~')" /* '~' sorts after every date character */
    " AND (?4 IS NULL OR a.source = ?4 COLLATE NOCASE)"
    " AND (?13 OR a.superseded_by IS NULL)";

/* The same for statements that read the index alone: the superseded versions, few in most
 * archives and none in many, come from their partial index, without reading article rows. */
#define CURRENT_ROWIDS_SQL                                                                         \
    " AND (?13 OR rowid NOT IN (SELECT id FROM article WHERE superseded_by IS NOT NULL))"

/* What search_show and every search report of an article, in the order article_from_row
 * reads: columns 0-10. */
#define ARTICLE_COLUMNS                                                                            \
    "a.id, a.source_id, a.date, a.source, a.title, a.url, a.byline, a.version_of,"                 \
    " a.superseded_by, " VERSIONS_DATE_KIND_SQL ", a.title_derived"

/* What every search reports of a match, in the order hit_from_row reads: columns 0-14. */
#define HIT_COLUMNS                                                                                \
    ARTICLE_COLUMNS                                                                                \
    ", -f.rank,"                                                                                   \
    " news_snippet(article_fts, 1, ?7, ?8, '…', ?9, ?11, ?15)," /* schema/snippet.h */             \
    " hex(a.content_hash), CASE WHEN ?12 THEN"                                                     \
    " (SELECT CAST(news_text(t.text_z) AS TEXT) FROM article_text t WHERE t.id = a.id) END"

static const char search_sql[] =
    "SELECT " HIT_COLUMNS " FROM article_fts f JOIN article a ON a.id = f.rowid";

/* Every match in one pass, for exports (limit 0): the columns of search_sql, then story
 * and copies. With stories, a window over the matches keeps each story's best match;
 * snippets are made for every match, which an export of everything needs anyway. SQLite
 * sorts in bounded memory, spilling to temporary files, so nothing grows with the number
 * of matches. */
static const char stream_all_sql[] = "SELECT " HIT_COLUMNS ", coalesce(a.story, a.id), 0"
                                     " FROM article_fts f JOIN article a ON a.id = f.rowid";

/* With stories, each story's best match is chosen by a window over every match (as in
 * page_stories_sql), and FTS5's auxiliary functions cannot be used in a query with a
 * window: the chosen ids go to a temporary table first (on disk when large), which the
 * pass with snippets then follows. */
static const char stream_choose_sql[] =
    "INSERT INTO temp.stream_page(id, story, copies) SELECT id, story, copies FROM ("
    "SELECT a.id AS id, coalesce(a.story, a.id) AS story, f.rank AS r, " SEARCH_DATE " AS d,"
    " row_number() OVER (PARTITION BY coalesce(a.story, a.id) ORDER BY f.rank, a.id) AS nth,"
    " count(*) OVER (PARTITION BY coalesce(a.story, a.id)) - 1 AS copies"
    " FROM article_fts f JOIN article a ON a.id = f.rowid";

/* The index is scanned first (CROSS JOIN keeps that order): one lookup per match of the
 * chosen ids, rather than one FTS5 lookup per chosen id. */
static const char stream_stories_sql[] =
    "SELECT " HIT_COLUMNS ", p.story, p.copies"
    " FROM article_fts f CROSS JOIN article a CROSS JOIN temp.stream_page p"
    " WHERE article_fts MATCH ?1 AND f.rank MATCH ?10 AND a.id = f.rowid AND p.id = f.rowid"
    " ORDER BY p.pos";

/* The page of matches to show comes from two statements: one to choose the rows by id, and
 * search_sql restricted to them (with ?20, a number clear of the others) to read them with
 * their snippets. FTS5's snippet() only works in the query with the MATCH, and choosing
 * one row per story reads every match, so the snippets are made apart, for the rows shown
 * only. */
static const char page_all_sql[] =
    "SELECT a.id, a.story, 0, NULL, NULL FROM article_fts f JOIN article a ON a.id = f.rowid";

/* One row per story: its best-ranked match (ties: the lower id) with the number of other
 * matches of the story; and, on every row, the number of stories and of copies collapsed
 * into them, for the summary. */
static const char page_stories_sql[] =
    "SELECT id, story, copies, count(*) OVER (), sum(copies) OVER () FROM ("
    "SELECT a.id AS id, coalesce(a.story, a.id) AS story, f.rank AS r, " SEARCH_DATE " AS d,"
    " row_number() OVER (PARTITION BY coalesce(a.story, a.id) ORDER BY f.rank, a.id) AS nth,"
    " count(*) OVER (PARTITION BY coalesce(a.story, a.id)) - 1 AS copies"
    " FROM article_fts f JOIN article a ON a.id = f.rowid";

/* The best matches by rank, from the index alone, then their stories: FTS5 ranks every
 * match, but only the LIMIT rows kept are joined to their article rows. What read_ranked
 * uses when nothing but the rank decides. */
static const char ranked_sql[] =
    "SELECT f.rowid, coalesce(a.story, a.id) FROM (SELECT rowid, rank FROM article_fts"
    " WHERE article_fts MATCH ?1 AND rank MATCH ?10" CURRENT_ROWIDS_SQL
    " ORDER BY rank, rowid LIMIT ?5) f JOIN article a ON a.id = f.rowid ORDER BY f.rank, f.rowid";

/* The other matches of a story: its articles are found through article_story, and each
 * is looked up in the index by rowid. */
static const char story_copies_sql[] =
    "SELECT count(*) FROM article_fts WHERE article_fts MATCH ?1 AND rowid IN"
    " (SELECT id FROM article WHERE story = ?2 AND (?13 OR superseded_by IS NULL))"
    " AND rowid != ?3";

static const char count_sql[] =
    "SELECT count(*) FROM article_fts f JOIN article a ON a.id = f.rowid";

/* Without filters on the article's fields, the index alone answers. */
static const char count_fts_sql[] =
    "SELECT count(*) FROM article_fts WHERE article_fts MATCH ?1" CURRENT_ROWIDS_SQL;

static const char show_sql[] =
    "SELECT " ARTICLE_COLUMNS ", CAST(news_text(t.text_z) AS TEXT), a.lang,"
    " CASE WHEN json_valid(a.meta) THEN a.meta END" /* it is printed as JSON as it is */
    " FROM article a JOIN article_text t ON t.id = a.id WHERE a.id = ?1";

static const char origins_sql[] =
    "SELECT p.path, p.record, p.offset, hex(p.raw_hash), p.source_id, r.started_at"
    " FROM provenance p JOIN run r ON r.id = p.run_id WHERE p.article_id = ?1 ORDER BY p.id";

static enum news_status sql_error(struct archive *a, struct news_error *err)
{
    return news_error_set(err, NEWS_ERR_SQL, "%s (%s)", sqlite3_errmsg(archive_db(a)),
                          archive_path(a));
}

static void bind_opt(sqlite3_stmt *st, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

/* Whether every version of the archive's articles counts (?13): when asked (all_versions),
 * or when the archive holds no superseded version, as most do. Then the statements that
 * read the index alone do not look each match up among the superseded versions, which
 * would double the cost of counting a word found in nearly every article. One probe of
 * the partial index article_superseded. */
static enum news_status every_version(struct archive *a, const struct search_options *o,
                                      bool *every, struct news_error *err)
{
    *every = o->all_versions;
    if (*every) return NEWS_OK;
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(archive_db(a),
                                "SELECT NOT EXISTS (SELECT 1 FROM article"
                                " WHERE superseded_by IS NOT NULL)",
                                -1, &st, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) *every = sqlite3_column_int(st, 0) != 0;
    enum news_status status = rc == SQLITE_ROW ? NEWS_OK : sql_error(a, err);
    sqlite3_finalize(st);
    return status;
}

static void bind_shared(sqlite3_stmt *st, const struct search_options *o, bool every)
{
    sqlite3_bind_text(st, 1, o->fts, -1, SQLITE_STATIC);
    bind_opt(st, 2, o->since);
    bind_opt(st, 3, o->until);
    bind_opt(st, 4, o->source);
    sqlite3_bind_int(st, 13, every);
    sqlite3_bind_int(st, 14, o->no_captured_dates);
    /* news_rank() (rank.h), or bm25 weighting a title hit four times a body hit. */
    sqlite3_bind_text(st, 10,
                      o->rank_expr                     ? o->rank_expr
                      : o->ranking == SEARCH_RANK_BM25 ? "bm25(4.0, 1.0)"
                                                       : "news_rank()",
                      -1, SQLITE_STATIC);
}

/* Prepares fixed SQL text and binds the query and ranking (?1, ?10) and filters. */
static enum news_status prepare_filtered_sql(struct archive *a, const char *sql,
                                             const struct search_options *o, sqlite3_stmt **st,
                                             struct news_error *err)
{
    bool every;
    enum news_status status = every_version(a, o, &every, err);
    if (status != NEWS_OK) return status;
    if (sqlite3_prepare_v2(archive_db(a), sql, -1, st, NULL) != SQLITE_OK) return sql_error(a, err);
    bind_shared(*st, o, every);
    return NEWS_OK;
}

/* Prepares fixed SQL text with the shared filters between head and tail, and binds them. */
static enum news_status prepare_filtered(struct archive *a, const char *head, const char *tail,
                                         const struct search_options *o, sqlite3_stmt **st,
                                         struct news_error *err)
{
    char sql[4096];
    if ((size_t)snprintf(sql, sizeof sql, "%s%s%s", head, filters_sql, tail) >= sizeof sql)
        return news_error_set(err, NEWS_ERR_USAGE, "a search statement is too long to build");
    return prepare_filtered_sql(a, sql, o, st, err);
}

static const char *col_text(sqlite3_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st, i);
}

/* An article as ARTICLE_COLUMNS read it: the fields search_show and searches share. */
static struct search_hit article_from_row(sqlite3_stmt *st)
{
    return (struct search_hit){
        .id = sqlite3_column_int64(st, 0),
        .source_id = col_text(st, 1),
        .date = col_text(st, 2),
        .source = col_text(st, 3),
        .title = col_text(st, 4),
        .url = col_text(st, 5),
        .byline = col_text(st, 6),
        .version_of = sqlite3_column_int64(st, 7), /* NULL reads as 0 */
        .superseded_by = sqlite3_column_int64(st, 8),
        .date_kind = col_text(st, 9),
        .is_title_derived = sqlite3_column_int(st, 10) != 0,
    };
}

/* A match as HIT_COLUMNS read it; the caller sets rank, story and copies. */
static struct search_hit hit_from_row(sqlite3_stmt *st)
{
    struct search_hit hit = article_from_row(st);
    hit.score = sqlite3_column_double(st, 11);
    hit.snippet = col_text(st, 12);
    hit.hash = col_text(st, 13);
    hit.text = col_text(st, 14);
    return hit;
}

/* A row of the page chosen to be shown. */
struct page_row {
    int64_t id, story, copies;
    size_t pos; /* 0-based place on the page */
};

struct page {
    struct page_row *rows;
    size_t n, cap;
};

static void page_add(struct page *p, int64_t id, int64_t story, int64_t copies)
{
    if (p->n == p->cap) {
        p->cap = p->cap ? 2 * p->cap : 16;
        p->rows = news_xrealloc(p->rows, p->cap * sizeof *p->rows);
    }
    p->rows[p->n] = (struct page_row){id, story, copies, p->n};
    p->n++;
}

/* A set of story ids, for read_ranked: open addressing, 0 never stored. */
struct id_set {
    int64_t *slots;
    size_t cap, n;
};

/* Adds id; false if it was there already. */
static bool id_set_add(struct id_set *s, int64_t id)
{
    if (2 * (s->n + 1) > s->cap) {
        struct id_set bigger = {NULL, s->cap ? 2 * s->cap : 64, 0};
        bigger.slots = memset(news_xmalloc(bigger.cap * sizeof *bigger.slots), 0,
                              bigger.cap * sizeof *bigger.slots);
        for (size_t i = 0; i < s->cap; i++)
            if (s->slots[i]) id_set_add(&bigger, s->slots[i]);
        free(s->slots);
        *s = bigger;
    }
    size_t i = (size_t)((uint64_t)id * 0x9E3779B97F4A7C15u >> 20) & (s->cap - 1);
    while (s->slots[i]) {
        if (s->slots[i] == id) return false;
        i = (i + 1) & (s->cap - 1);
    }
    s->slots[i] = id;
    s->n++;
    return true;
}

/* The page when only the rank orders it and nothing filters: the best offset + limit
 * stories, read from the best matches by rank (the index alone) and their stories. A
 * story's first match in rank order is its best, so this is the page read_page gives;
 * when the matches read hold too few stories, four times as many are read. Reading every
 * match's article row, as read_page does, is what made top-10 searches slow. */
static enum news_status read_ranked(struct archive *a, const struct search_options *o,
                                    struct page *p, struct news_error *err)
{
    int64_t want = o->offset + o->limit;
    int64_t asked = want + want / 2 + 16;
    sqlite3_stmt *st = NULL, *copies = NULL;
    enum news_status status = NEWS_OK;
    for (;;) {
        status = prepare_filtered_sql(a, ranked_sql, o, &st, err);
        if (status != NEWS_OK) return status;
        sqlite3_bind_int64(st, 5, o->all_copies ? want : asked);
        struct id_set seen = {NULL, 0, 0};
        int64_t rows = 0, stories = 0;
        int rc;
        p->n = 0;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW && stories < want) {
            rows++;
            int64_t id = sqlite3_column_int64(st, 0), story = sqlite3_column_int64(st, 1);
            if (!o->all_copies && !id_set_add(&seen, story)) continue;
            if (stories++ >= o->offset) page_add(p, id, story, 0);
        }
        if (rc == SQLITE_ROW) {
            rows++;
            rc = SQLITE_DONE; /* enough stories before the last row */
        }
        free(seen.slots);
        sqlite3_finalize(st);
        st = NULL;
        if (rc != SQLITE_DONE) return sql_error(a, err);
        /* Done when the page is full, or every match was read. */
        if (o->all_copies || stories >= want || rows < asked) break;
        asked *= 4;
    }
    if (o->all_copies || p->n == 0) return NEWS_OK;
    bool every;
    status = every_version(a, o, &every, err);
    if (status != NEWS_OK) return status;
    if (sqlite3_prepare_v2(archive_db(a), story_copies_sql, -1, &copies, NULL) != SQLITE_OK)
        return sql_error(a, err);
    sqlite3_bind_text(copies, 1, o->fts, -1, SQLITE_STATIC);
    sqlite3_bind_int(copies, 13, every);
    for (size_t i = 0; i < p->n && status == NEWS_OK; i++) {
        sqlite3_bind_int64(copies, 2, p->rows[i].story);
        sqlite3_bind_int64(copies, 3, p->rows[i].id);
        if (sqlite3_step(copies) == SQLITE_ROW)
            p->rows[i].copies = sqlite3_column_int64(copies, 0);
        else
            status = sql_error(a, err);
        sqlite3_reset(copies);
    }
    sqlite3_finalize(copies);
    return status;
}

/* Reads the ids of the page to show, in order, with their stories and the number of
 * copies each stands for; and the totals (see search_run). The page has at most o->limit
 * rows, or as many as there are stories (articles, with all_copies) for limit 0. */
static enum news_status read_page(struct archive *a, const struct search_options *o, struct page *p,
                                  struct search_totals *totals, struct news_error *err)
{
    /* The order, limit and offset are of stories, or with all_copies of articles. */
    static const char *const orders[2][2] = {
        {") WHERE nth = 1 ORDER BY r, id LIMIT ?5 OFFSET ?6",
         ") WHERE nth = 1 ORDER BY d IS NULL, d DESC, r, id LIMIT ?5 OFFSET ?6"},
        {" ORDER BY f.rank, a.id LIMIT ?5 OFFSET ?6",
         " ORDER BY " SEARCH_DATE " IS NULL, " SEARCH_DATE
         " DESC, f.rank, a.id LIMIT ?5 OFFSET ?6"}};
    sqlite3_stmt *st = NULL;
    enum news_status status =
        prepare_filtered(a, o->all_copies ? page_all_sql : page_stories_sql,
                         orders[o->all_copies][o->sort == SEARCH_BY_DATE], o, &st, err);
    if (status != NEWS_OK) return status;
    sqlite3_bind_int64(st, 5, o->limit > 0 ? o->limit : -1);
    sqlite3_bind_int64(st, 6, o->offset);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (totals && !o->all_copies && p->n == 0) {
            totals->stories = sqlite3_column_int64(st, 3);
            totals->articles = totals->stories + sqlite3_column_int64(st, 4);
        }
        page_add(p, sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
                 sqlite3_column_int64(st, 2));
    }
    if (rc != SQLITE_DONE) status = sql_error(a, err);
    sqlite3_finalize(st);
    return status;
}

static int by_id(const void *x, const void *y)
{
    const struct page_row *a = x, *b = y;
    return (a->id > b->id) - (a->id < b->id);
}

/* The page's ids as a JSON array, for json_each(); the caller frees it. */
static char *page_ids_json(const struct page *p)
{
    size_t cap = 2 + p->n * 21, len = 0;
    char *json = news_xmalloc(cap);
    json[len++] = '[';
    for (size_t i = 0; i < p->n; i++)
        len += (size_t)snprintf(json + len, cap - len, "%s%lld", i ? "," : "",
                                (long long)p->rows[i].id);
    snprintf(json + len, cap - len, "]");
    return json;
}

/* Pages of up to this many rows are read one row at a time with search_sql restricted to
 * its id; larger ones in one pass over the matches restricted to the page's ids, since a
 * lookup costs FTS5 about 0.3 ms (it prepares the ranking function's arguments and finds
 * the row in the term's list), which for an export of thousands of rows is more than
 * the pass. */
enum { PAGE_LOOKUP_ROWS = 100 };

enum news_status search_run(struct archive *a, const struct search_options *o,
                            bool (*each)(void *ctx, const struct search_hit *hit), void *ctx,
                            int64_t *hits, struct search_totals *totals, struct news_error *err)
{
    *hits = 0;
    if (totals) *totals = (struct search_totals){0, 0};
    if (o->limit == 0) { /* everything: one pass, in bounded memory */
        struct search_stream *s = NULL;
        enum news_status status = search_stream_open(a, o, &s, err);
        struct search_hit hit;
        while (status == NEWS_OK && search_stream_next(s, &hit, &status, err)) {
            ++*hits;
            if (!each(ctx, &hit)) break;
        }
        search_stream_close(s);
        return status;
    }
    struct page p = {NULL, 0, 0};
    char *ids = NULL;
    sqlite3_stmt *st = NULL;
    /* Ranked, unfiltered pages need not read every match's article row. */
    bool ranked = o->sort == SEARCH_BY_RANK && o->limit > 0 && !o->since && !o->until && !o->source;
    enum news_status status =
        ranked ? read_ranked(a, o, &p, err) : read_page(a, o, &p, totals, err);
    /* The rows in the page's order: the same order and ties as read_page. */
    static const char *const in_page[] = {
        " AND a.id IN (SELECT value FROM json_each(?20)) ORDER BY f.rank, a.id",
        " AND a.id IN (SELECT value FROM json_each(?20))"
        " ORDER BY " SEARCH_DATE " IS NULL, " SEARCH_DATE " DESC, f.rank, a.id"};
    bool lookup = p.n <= PAGE_LOOKUP_ROWS;
    if (status == NEWS_OK && p.n > 0)
        status = prepare_filtered(a, search_sql,
                                  lookup ? " AND a.id = ?20" : in_page[o->sort == SEARCH_BY_DATE],
                                  o, &st, err);
    if (status != NEWS_OK || p.n == 0) goto done;
    bind_opt(st, 7, SEARCH_MARK_OPEN);
    bind_opt(st, 8, SEARCH_MARK_CLOSE);
    sqlite3_bind_int(st, 9, o->snippet_tokens);
    sqlite3_bind_int(st, 11, o->fragments > 0 ? o->fragments : 1);
    sqlite3_bind_int(st, 12, o->full_text);
    sqlite3_bind_int(st, 15, o->marked_phrases);
    if (!lookup) {
        ids = page_ids_json(&p);
        sqlite3_bind_text(st, 20, ids, -1, SQLITE_STATIC);
        qsort(p.rows, p.n, sizeof *p.rows, by_id);
    }
    int rc = SQLITE_DONE;
    for (size_t i = 0; lookup ? i < p.n : true; i++) {
        const struct page_row *row = &p.rows[lookup ? i : 0];
        if (lookup) sqlite3_bind_int64(st, 20, row->id);
        rc = sqlite3_step(st);
        if (rc != SQLITE_ROW) {
            if (lookup && rc == SQLITE_DONE) { /* cannot happen: one read transaction */
                sqlite3_reset(st);
                continue;
            }
            break;
        }
        if (!lookup) {
            struct page_row key = {.id = sqlite3_column_int64(st, 0)};
            row = bsearch(&key, p.rows, p.n, sizeof *p.rows, by_id);
            if (!row) continue; /* cannot happen either */
        }
        struct search_hit hit = hit_from_row(st);
        hit.rank = o->offset + (int64_t)row->pos + 1;
        hit.story = row->story;
        hit.copies = row->copies;
        ++*hits;
        bool go_on = each(ctx, &hit);
        if (lookup) {
            sqlite3_reset(st);
            rc = SQLITE_DONE; /* this row's lookup is done */
        }
        if (!go_on) {
            rc = SQLITE_DONE;
            break;
        }
    }
    if (rc != SQLITE_DONE) status = sql_error(a, err);
done:
    sqlite3_finalize(st);
    free(ids);
    free(p.rows);
    return status;
}

struct search_stream {
    struct archive *archive;
    sqlite3_stmt *st;
    int64_t rank; /* of the last match read */
};

/* The archive is opened read-only with query_only set. Statements that write only the
 * connection's temporary tables run between begin_temp_writes and end_temp_writes, which
 * sets query_only again whatever happened and returns status (or its own failure). */
static enum news_status begin_temp_writes(struct archive *a, struct news_error *err)
{
    if (sqlite3_exec(archive_db(a), "PRAGMA query_only = 0", NULL, NULL, NULL) == SQLITE_OK)
        return NEWS_OK;
    return sql_error(a, err);
}

static enum news_status end_temp_writes(struct archive *a, enum news_status status,
                                        struct news_error *err)
{
    if (sqlite3_exec(archive_db(a), "PRAGMA query_only = 1", NULL, NULL, NULL) != SQLITE_OK &&
        status == NEWS_OK)
        return sql_error(a, err);
    return status;
}

/* Fills temp.stream_page with the ids of the stories' best matches, in order. */
static enum news_status choose_stories(struct archive *a, const struct search_options *o,
                                       struct news_error *err)
{
    static const char *const orders[2] = {
        ") WHERE nth = 1 ORDER BY r, id LIMIT -1 OFFSET ?6",
        ") WHERE nth = 1 ORDER BY d IS NULL, d DESC, r, id LIMIT -1 OFFSET ?6"};
    enum news_status status = begin_temp_writes(a, err);
    if (status == NEWS_OK &&
        sqlite3_exec(archive_db(a),
                     "CREATE TEMP TABLE IF NOT EXISTS stream_page (pos INTEGER PRIMARY KEY,"
                     " id INTEGER NOT NULL, story INTEGER NOT NULL, copies INTEGER NOT NULL);"
                     "CREATE INDEX IF NOT EXISTS temp.stream_page_id ON stream_page(id);"
                     "DELETE FROM temp.stream_page;",
                     NULL, NULL, NULL) != SQLITE_OK)
        status = sql_error(a, err);
    sqlite3_stmt *st = NULL;
    if (status == NEWS_OK)
        status =
            prepare_filtered(a, stream_choose_sql, orders[o->sort == SEARCH_BY_DATE], o, &st, err);
    if (status == NEWS_OK) {
        sqlite3_bind_int64(st, 6, o->offset);
        if (sqlite3_step(st) != SQLITE_DONE) status = sql_error(a, err);
    }
    sqlite3_finalize(st);
    return end_temp_writes(a, status, err);
}

enum news_status search_stream_open(struct archive *a, const struct search_options *o,
                                    struct search_stream **out, struct news_error *err)
{
    static const char *const orders[2] = {" ORDER BY f.rank, a.id LIMIT -1 OFFSET ?6",
                                          " ORDER BY " SEARCH_DATE " IS NULL, " SEARCH_DATE
                                          " DESC, f.rank, a.id LIMIT -1 OFFSET ?6"};
    sqlite3_stmt *st = NULL;
    enum news_status status;
    if (o->all_copies) {
        status =
            prepare_filtered(a, stream_all_sql, orders[o->sort == SEARCH_BY_DATE], o, &st, err);
        if (status == NEWS_OK) sqlite3_bind_int64(st, 6, o->offset);
    } else {
        status = choose_stories(a, o, err);
        if (status == NEWS_OK) status = prepare_filtered_sql(a, stream_stories_sql, o, &st, err);
    }
    if (status != NEWS_OK) return status;
    bind_opt(st, 7, SEARCH_MARK_OPEN);
    bind_opt(st, 8, SEARCH_MARK_CLOSE);
    sqlite3_bind_int(st, 9, o->snippet_tokens);
    sqlite3_bind_int(st, 11, o->fragments > 0 ? o->fragments : 1);
    sqlite3_bind_int(st, 12, o->full_text);
    sqlite3_bind_int(st, 15, o->marked_phrases);
    struct search_stream *s = news_xmalloc(sizeof *s);
    *s = (struct search_stream){a, st, o->offset};
    *out = s;
    return NEWS_OK;
}

bool search_stream_next(struct search_stream *s, struct search_hit *hit, enum news_status *status,
                        struct news_error *err)
{
    *status = NEWS_OK;
    int rc = sqlite3_step(s->st);
    if (rc != SQLITE_ROW) {
        if (rc != SQLITE_DONE) *status = sql_error(s->archive, err);
        return false;
    }
    *hit = hit_from_row(s->st);
    hit->rank = ++s->rank;
    hit->story = sqlite3_column_int64(s->st, 15);
    hit->copies = sqlite3_column_int64(s->st, 16);
    return true;
}

void search_stream_close(struct search_stream *s)
{
    if (!s) return;
    sqlite3_finalize(s->st);
    free(s);
}

enum news_status search_count(struct archive *a, const struct search_options *o, int64_t *count,
                              struct news_error *err)
{
    sqlite3_stmt *st = NULL;
    enum news_status status = NEWS_OK;
    if (o->since || o->until || o->source) {
        status = prepare_filtered(a, count_sql, "", o, &st, err);
    } else {
        status = prepare_filtered_sql(a, count_fts_sql, o, &st, err);
    }
    if (status != NEWS_OK) return status;
    if (sqlite3_step(st) == SQLITE_ROW)
        *count = sqlite3_column_int64(st, 0);
    else
        status = sql_error(a, err);
    sqlite3_finalize(st);
    return status;
}

/* The period after key ("1987", "1987-03" or "1987-03-31"), written to next. */
static void next_period(const char *key, char next[SEARCH_PERIOD_BYTES])
{
    int y = 0, m = 1, d = 1;
    size_t n = strlen(key);
    sscanf(key, "%d-%d-%d", &y, &m, &d);
    if (n == 4) {
        snprintf(next, SEARCH_PERIOD_BYTES, "%04d", y + 1);
    } else if (n == 7) {
        snprintf(next, SEARCH_PERIOD_BYTES, "%04d-%02d", m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1);
    } else {
        static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        int last = m >= 1 && m <= 12 ? days[m - 1] + (m == 2 && leap) : 31;
        if (++d > last) d = 1, m++;
        if (m > 12) m = 1, y++;
        snprintf(next, SEARCH_PERIOD_BYTES, "%04d-%02d-%02d", y, m, d);
    }
}

bool search_fill_gap(char prev[SEARCH_PERIOD_BYTES], const char *key,
                     bool (*each)(void *ctx, const char *key, int64_t count), void *ctx)
{
    bool go_on = true;
    if (prev[0] && strlen(key) == strlen(prev)) {
        char gap[SEARCH_PERIOD_BYTES];
        next_period(prev, gap);
        for (int n = 0; go_on && n < SEARCH_MAX_GAP_PERIODS && strcmp(gap, key) < 0; n++) {
            go_on = each(ctx, gap, 0);
            next_period(gap, gap);
        }
    }
    snprintf(prev, SEARCH_PERIOD_BYTES, "%s", key);
    return go_on;
}

enum news_status search_group(struct archive *a, const struct search_options *o,
                              enum search_group by, int64_t limit,
                              bool (*each)(void *ctx, const char *key, int64_t count), void *ctx,
                              struct news_error *err)
{
    /* Fixed SQL only: the group is chosen from this table, never from user text. */
    static const char *const heads[] = {
        [SEARCH_BY_YEAR] = "SELECT substr(" SEARCH_DATE ", 1, 4) AS k, count(*)"
                           " FROM article_fts f JOIN article a ON a.id = f.rowid",
        [SEARCH_BY_MONTH] = "SELECT substr(" SEARCH_DATE ", 1, 7) AS k, count(*)"
                            " FROM article_fts f JOIN article a ON a.id = f.rowid",
        [SEARCH_BY_DAY] = "SELECT substr(" SEARCH_DATE ", 1, 10) AS k, count(*)"
                          " FROM article_fts f JOIN article a ON a.id = f.rowid",
        [SEARCH_BY_SOURCE] = "SELECT a.source AS k, count(*) FROM article_fts f"
                             " JOIN article a ON a.id = f.rowid",
        [SEARCH_BY_BYLINE] = "SELECT a.byline AS k, count(*) FROM article_fts f"
                             " JOIN article a ON a.id = f.rowid",
        [SEARCH_BY_LANG] = "SELECT a.lang AS k, count(*) FROM article_fts f"
                           " JOIN article a ON a.id = f.rowid"};
    bool period = by <= SEARCH_BY_DAY;
    const char *tail = period ? " GROUP BY k ORDER BY k IS NULL, k"
                              : " GROUP BY k ORDER BY k IS NULL, count(*) DESC, k LIMIT ?5";
    sqlite3_stmt *st = NULL;
    enum news_status status = prepare_filtered(a, heads[by], tail, o, &st, err);
    if (status != NEWS_OK) return status;
    if (!period) sqlite3_bind_int64(st, 5, limit > 0 ? limit + 1 : -1); /* + the NULL group */
    char prev[SEARCH_PERIOD_BYTES] = "";
    int rc;
    int64_t shown = 0;
    bool go_on = true;
    while (go_on && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *key = col_text(st, 0);
        int64_t count = sqlite3_column_int64(st, 1);
        if (!period && key && limit > 0 && shown == limit) continue;
        if (period && key) go_on = search_fill_gap(prev, key, each, ctx);
        if (go_on) go_on = each(ctx, key, count);
        shown += key != NULL;
    }
    if (go_on && rc != SQLITE_DONE) status = sql_error(a, err);
    sqlite3_finalize(st);
    return status;
}

/* Column text lives only until the next step: rows kept longer are copied. */
static char *dup_or_null(const char *s)
{
    return s ? news_xstrdup(s) : NULL;
}

static void free_origins(struct search_origin *origins, size_t count)
{
    for (size_t i = 0; origins && i < count; i++) {
        free(origins[i].path);
        free(origins[i].source_id);
        free(origins[i].loaded_at);
    }
    free(origins);
}

/* Reads where article id came from into *out (*count of them; free_origins frees them). */
static enum news_status read_origins(struct archive *a, int64_t id, struct search_origin **out,
                                     size_t *count, struct news_error *err)
{
    sqlite3_stmt *st = NULL;
    struct search_origin *origins = NULL;
    size_t n = 0, cap = 0;
    *out = NULL;
    *count = 0;
    if (sqlite3_prepare_v2(archive_db(a), origins_sql, -1, &st, NULL) != SQLITE_OK)
        return sql_error(a, err);
    sqlite3_bind_int64(st, 1, id);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            cap = cap ? cap * 2 : 4;
            origins = news_xrealloc(origins, cap * sizeof *origins);
        }
        struct search_origin *o = &origins[n++];
        o->path = dup_or_null(col_text(st, 0));
        o->record = sqlite3_column_int64(st, 1);
        o->offset = sqlite3_column_int64(st, 2);
        snprintf(o->raw_hash, sizeof o->raw_hash, "%s", col_text(st, 3) ? col_text(st, 3) : "");
        o->source_id = dup_or_null(col_text(st, 4));
        o->loaded_at = dup_or_null(col_text(st, 5));
    }
    enum news_status status = rc == SQLITE_DONE ? NEWS_OK : sql_error(a, err);
    sqlite3_finalize(st);
    if (status != NEWS_OK) {
        free_origins(origins, n);
        return status;
    }
    *out = origins;
    *count = n;
    return NEWS_OK;
}

enum news_status search_show(struct archive *a, int64_t id,
                             void (*show)(void *ctx, const struct search_article *art), void *ctx,
                             bool *found, char removed_at[32], struct news_error *err)
{
    sqlite3_stmt *st = NULL;
    struct search_origin *origins = NULL;
    struct search_replaced *replaced = NULL;
    struct search_version *versions = NULL;
    size_t origin_count = 0, replaced_count = 0, version_count = 0;
    char *text = NULL;
    enum news_status status = NEWS_OK;
    *found = false;
    removed_at[0] = '\0';
    if (sqlite3_prepare_v2(archive_db(a), show_sql, -1, &st, NULL) != SQLITE_OK)
        return sql_error(a, err);
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) status = versions_removed_at(a, id, removed_at, err);
    if (rc != SQLITE_ROW) {
        if (rc != SQLITE_DONE) status = sql_error(a, err);
        goto done;
    }
    struct search_hit row = article_from_row(st);
    text = news_xstrndup(col_text(st, 11), (size_t)sqlite3_column_bytes(st, 11));
    status = read_origins(a, id, &origins, &origin_count, err);
    if (status == NEWS_OK) status = versions_replaced(a, id, &replaced, &replaced_count, err);
    if (status == NEWS_OK)
        status = versions_stored(a, row.version_of ? row.version_of : id, &versions, &version_count,
                                 err);
    if (status != NEWS_OK) goto done;
    *found = true;
    struct search_article art = {
        .id = row.id,
        .source_id = row.source_id,
        .date = row.date,
        .source = row.source,
        .title = row.title,
        .url = row.url,
        .byline = row.byline,
        .text = text,
        .lang = col_text(st, 12),
        .meta = col_text(st, 13),
        .version_of = row.version_of,
        .superseded_by = row.superseded_by,
        .date_kind = row.date_kind,
        .is_title_derived = row.is_title_derived,
        .origins = origins,
        .origin_count = origin_count,
        .replaced = replaced,
        .replaced_count = replaced_count,
        .versions = versions,
        .version_count = version_count,
    };
    show(ctx, &art);
done:
    free_origins(origins, origin_count);
    versions_free_replaced(replaced, replaced_count);
    versions_free(versions, version_count);
    free(text);
    sqlite3_finalize(st);
    return status;
}

enum news_status search_vocab(struct archive *a, struct news_error *err)
{
    enum news_status st = begin_temp_writes(a, err);
    if (st == NEWS_OK && sqlite3_exec(archive_db(a),
                                      "CREATE VIRTUAL TABLE IF NOT EXISTS temp.article_vocab"
                                      " USING fts5vocab(main, article_fts, row)",
                                      NULL, NULL, NULL) != SQLITE_OK)
        st = news_error_set(err, NEWS_ERR_SQL, "cannot read the vocabulary: %s (%s)",
                            sqlite3_errmsg(archive_db(a)), archive_path(a));
    return end_temp_writes(a, st, err);
}

/* ---- statistics for searching several archives as one ---- */

enum news_status search_stats(struct archive *a, const char *fts, struct search_stats *stats,
                              struct news_error *err)
{
    sqlite3 *db = archive_db(a);
    sqlite3_stmt *st = NULL;
    memset(stats, 0, sizeof *stats);
    const char *sql = "SELECT news_stats(article_fts), news_phrases(article_fts) FROM article_fts"
                      " WHERE article_fts MATCH ?1 LIMIT 1";
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) return sql_error(a, err);
    sqlite3_bind_text(st, 1, fts, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        int phrases = sqlite3_column_int(st, 1);
        sqlite3_int64 *v = news_xmalloc((size_t)(3 + phrases) * sizeof *v);
        if (rank_stats_read(col_text(st, 0), v, 3 + phrases) == 3 + phrases) {
            stats->rows = v[0];
            stats->tokens[0] = v[1];
            stats->tokens[1] = v[2];
            stats->phrases = phrases;
            stats->df = news_xmalloc((size_t)(phrases > 0 ? phrases : 1) * sizeof *stats->df);
            for (int p = 0; p < phrases; p++)
                stats->df[p] = v[3 + p];
            rc = SQLITE_DONE;
        }
        free(v);
    }
    sqlite3_finalize(st);
    if (rc == SQLITE_ROW) /* news_stats() gave something else than it promises */
        return news_error_set(err, NEWS_ERR_SQL, "unreadable statistics in %s", archive_path(a));
    if (rc != SQLITE_DONE) return sql_error(a, err);
    if (stats->df) return NEWS_OK;
    /* Nothing matches here, but the archive's size still counts: take it from a search for
     * any indexed word. */
    enum news_status status = search_vocab(a, err);
    if (status != NEWS_OK) return status;
    sql = "SELECT news_stats(article_fts) FROM article_fts WHERE article_fts MATCH"
          " (SELECT '\"' || replace(term, '\"', '\"\"') || '\"' FROM temp.article_vocab LIMIT 1)"
          " LIMIT 1";
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) return sql_error(a, err);
    rc = sqlite3_step(st);
    sqlite3_int64 v[3] = {0, 0, 0};
    if (rc == SQLITE_ROW && rank_stats_read(col_text(st, 0), v, 3) >= 3) rc = SQLITE_DONE;
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) return sql_error(a, err);
    stats->rows = v[0];
    stats->tokens[0] = v[1];
    stats->tokens[1] = v[2];
    return NEWS_OK;
}
