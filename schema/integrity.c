/* integrity.c: news-index --check. Reads everything once, in id order; touches nothing. */
#include "integrity.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec.h"
#include "hash.h"

struct checker {
    struct archive *a;
    const struct check_reporter *rep;
    struct check_totals *totals;
    struct codec_dict **dicts;
    size_t dict_count;
    const char *stage;    /* what is being checked, for on_sqlite_progress */
    uint64_t stage_total; /* articles to read in this stage, or 0 */
    uint64_t unreadable;  /* articles whose text is missing or does not read */
};

/* Counts a problem of a kind (seen: how many of that kind so far) and describes the
 * first CHECK_MAX_DESCRIBED. */
static void report(struct checker *c, uint64_t *seen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void report(struct checker *c, uint64_t *seen, const char *fmt, ...)
{
    c->totals->problems++;
    if (++*seen > CHECK_MAX_DESCRIBED) return;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    c->rep->problem(c->rep->ctx, msg);
}

static void report_rest(struct checker *c, uint64_t seen, const char *what)
{
    if (seen <= CHECK_MAX_DESCRIBED) return;
    char msg[160];
    snprintf(msg, sizeof msg, "... and %llu more %s",
             (unsigned long long)(seen - CHECK_MAX_DESCRIBED), what);
    c->rep->problem(c->rep->ctx, msg);
}

static bool stopped(struct checker *c)
{
    if (c->rep->interrupt && *c->rep->interrupt) c->totals->interrupted = true;
    return c->totals->interrupted;
}

static void progress(struct checker *c, const char *stage, uint64_t done, uint64_t total)
{
    if (c->rep->progress) c->rep->progress(c->rep->ctx, stage, done, total);
}

/* SQLite's progress handler during its own checks: tells the caller the check is alive
 * and stops the statement (SQLITE_INTERRUPT) on an interrupt. */
static int on_sqlite_progress(void *ctx)
{
    struct checker *c = ctx;
    progress(c, c->stage, c->stage_total ? c->totals->articles : 0, c->stage_total);
    return stopped(c);
}

static enum news_status sql_error(struct checker *c, struct news_error *err, const char *what)
{
    return news_error_set(err, NEWS_ERR_SQL, "%s: %s (%s)", what, sqlite3_errmsg(archive_db(c->a)),
                          archive_path(c->a));
}

/* Runs sql, which returns one integer. */
static enum news_status count(struct checker *c, const char *sql, int64_t *n,
                              struct news_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(archive_db(c->a), sql, -1, &st, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_step(st);
    *n = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || stopped(c) ? NEWS_OK : sql_error(c, err, "cannot count");
}

static enum news_status check_sqlite(struct checker *c, struct news_error *err)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(archive_db(c->a), "PRAGMA integrity_check", -1, &st, NULL) != SQLITE_OK)
        return sql_error(c, err, "cannot run SQLite's integrity check");
    uint64_t seen = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *line = (const char *)sqlite3_column_text(st, 0);
        if (line && strcmp(line, "ok") != 0) report(c, &seen, "SQLite: %s", line);
    }
    /* A damaged file can stop the check itself: that is a finding, not a failure. */
    if (rc != SQLITE_DONE && !stopped(c))
        report(c, &seen, "SQLite: %s", sqlite3_errmsg(archive_db(c->a)));
    sqlite3_finalize(st);
    report_rest(c, seen, "problems found by SQLite");
    return NEWS_OK;
}

/* Also gives the number of articles. */
static enum news_status check_index(struct checker *c, int64_t *articles_out,
                                    struct news_error *err)
{
    uint64_t seen = 0;
    char *msg = NULL;
    /* FTS5's check is a command (an INSERT): a read-only archive cannot run it. Here, of
     * the index's own structure only (see check_index_text). */
    c->totals->index_check_skipped = sqlite3_db_readonly(archive_db(c->a), "main") == 1;
    if (!c->totals->index_check_skipped &&
        sqlite3_exec(archive_db(c->a),
                     "INSERT INTO article_fts(article_fts) VALUES ('integrity-check')", NULL, NULL,
                     &msg) != SQLITE_OK &&
        !stopped(c))
        report(c, &seen, "full-text index: %s", msg ? msg : sqlite3_errmsg(archive_db(c->a)));
    sqlite3_free(msg);
    if (stopped(c)) return NEWS_OK;
    int64_t articles = 0, rows = 0, orphans = 0, unsourced = 0;
    int64_t blocks = 0, fingerprinted = 0, stray_blocks = 0;
    enum news_status st = count(c, "SELECT count(*) FROM article", &articles, err);
    if (st == NEWS_OK) st = count(c, "SELECT count(*) FROM article_fts_docsize", &rows, err);
    if (st == NEWS_OK)
        st = count(c,
                   "SELECT count(*) FROM article_text t"
                   " WHERE NOT EXISTS (SELECT 1 FROM article a WHERE a.id = t.id)",
                   &orphans, err);
    if (st == NEWS_OK)
        st = count(c,
                   "SELECT count(*) FROM article a"
                   " WHERE NOT EXISTS (SELECT 1 FROM provenance p WHERE p.article_id = a.id)",
                   &unsourced, err);
    if (st == NEWS_OK) st = count(c, "SELECT count(*) FROM simhash_block", &blocks, err);
    if (st == NEWS_OK)
        st =
            count(c, "SELECT count(*) FROM article WHERE simhash IS NOT NULL", &fingerprinted, err);
    if (st == NEWS_OK)
        st = count(c,
                   "SELECT count(*) FROM simhash_block b"
                   " WHERE NOT EXISTS (SELECT 1 FROM article a WHERE a.id = b.article_id)",
                   &stray_blocks, err);
    if (st != NEWS_OK || stopped(c)) return st;
    *articles_out = articles;
    if (stray_blocks)
        report(c, &seen, "%lld fingerprint blocks belong to no article", (long long)stray_blocks);
    else if (blocks != 4 * fingerprinted)
        report(c, &seen, "%lld fingerprint blocks for %lld fingerprinted articles (4 each)",
               (long long)blocks, (long long)fingerprinted);
    if (rows != articles)
        report(c, &seen, "full-text index: %lld rows for %lld articles", (long long)rows,
               (long long)articles);
    if (orphans) report(c, &seen, "%lld texts belong to no article", (long long)orphans);
    if (unsourced)
        report(c, &seen, "%lld articles have no provenance (where they came from)",
               (long long)unsourced);
    return NEWS_OK;
}

static enum news_status load_dictionaries(struct checker *c, struct news_error *err)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(archive_db(c->a), "SELECT id, bytes FROM dictionary ORDER BY id", -1,
                           &st, NULL) != SQLITE_OK)
        return sql_error(c, err, "cannot read the dictionaries");
    int rc;
    uint64_t seen = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        size_t len = (size_t)sqlite3_column_bytes(st, 1);
        int64_t id = sqlite3_column_int64(st, 0);
        if (len > CODEC_DICT_MAX || id <= 0 || id > UINT32_MAX) {
            report(c, &seen, "dictionary %lld is damaged (%zu bytes)", (long long)id, len);
            continue;
        }
        struct codec_dict *d = news_xmalloc(sizeof *d);
        d->id = (uint32_t)id;
        d->len = len;
        if (len) memcpy(d->bytes, sqlite3_column_blob(st, 1), len);
        c->dicts = news_xrealloc(c->dicts, (c->dict_count + 1) * sizeof *c->dicts);
        c->dicts[c->dict_count++] = d;
    }
    sqlite3_finalize(st);
    c->totals->dictionaries = c->dict_count;
    return rc == SQLITE_DONE ? NEWS_OK : sql_error(c, err, "cannot read the dictionaries");
}

static const struct codec_dict *find_dict(const struct checker *c, uint32_t id)
{
    for (size_t i = 0; i < c->dict_count; i++)
        if (c->dicts[i]->id == id) return c->dicts[i];
    return NULL;
}

static enum news_status check_texts(struct checker *c, struct news_error *err)
{
    static const char sql[] =
        "SELECT a.id, a.title, a.text_bytes, a.content_hash, t.text_z"
        " FROM article a LEFT JOIN article_text t ON t.id = a.id ORDER BY a.id";
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(archive_db(c->a), sql, -1, &st, NULL) != SQLITE_OK)
        return sql_error(c, err, "cannot read the articles");
    uint64_t missing = 0, damaged = 0, sizes = 0, hashes = 0;
    int rc = SQLITE_DONE; /* if interrupted before the first row */
    while (!stopped(c) && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (c->totals->articles++ % 1024 == 0)
            progress(c, c->stage, c->totals->articles - 1, c->stage_total);
        long long id = sqlite3_column_int64(st, 0);
        if (sqlite3_column_type(st, 4) == SQLITE_NULL) {
            report(c, &missing, "article %lld has no text", id);
            continue;
        }
        const void *blob = sqlite3_column_blob(st, 4);
        size_t len = (size_t)sqlite3_column_bytes(st, 4);
        uint32_t dict_id = codec_blob_dict(blob, len);
        const struct codec_dict *dict = dict_id ? find_dict(c, dict_id) : NULL;
        char *text = NULL;
        size_t text_len = 0;
        struct news_error why;
        if (dict_id && !dict) {
            report(c, &damaged, "article %lld: its text needs dictionary %lu, which is missing", id,
                   (unsigned long)dict_id);
            continue;
        }
        if (codec_decompress(blob, len, dict, &text, &text_len, &why) != NEWS_OK) {
            report(c, &damaged, "article %lld: %s", id, why.msg);
            continue;
        }
        if ((int64_t)text_len != sqlite3_column_int64(st, 2))
            report(c, &sizes, "article %lld: text of %zu bytes, recorded as %lld", id, text_len,
                   (long long)sqlite3_column_int64(st, 2));
        const char *title = (const char *)sqlite3_column_text(st, 1);
        unsigned char hash[16];
        hash_article(title ? title : "", text, text_len, hash);
        if (sqlite3_column_bytes(st, 3) != 16 || memcmp(sqlite3_column_blob(st, 3), hash, 16) != 0)
            report(c, &hashes, "article %lld: title and text do not match its content hash", id);
        free(text);
    }
    sqlite3_finalize(st);
    c->unreadable = missing + damaged;
    report_rest(c, missing, "articles without text");
    report_rest(c, damaged, "articles whose text does not read");
    report_rest(c, sizes, "articles of the wrong size");
    report_rest(c, hashes, "articles that do not match their hash");
    return rc == SQLITE_DONE || c->totals->interrupted
               ? NEWS_OK
               : sql_error(c, err, "cannot read the articles");
}

/* FTS5's check of the index against what article_doc gives for every article: of an
 * external-content index it is made only when asked for (rank 1). It finds an article
 * indexed, or unindexed, with other values than the view gives (schema.sql), and costs a
 * reading of every text. Made only when every text reads: the texts' problems are named
 * already, and FTS5 would only say that the view failed. */
static void check_index_text(struct checker *c)
{
    if (c->totals->index_check_skipped || c->unreadable) return;
    uint64_t seen = 0;
    char *msg = NULL;
    if (sqlite3_exec(archive_db(c->a),
                     "INSERT INTO article_fts(article_fts, rank) VALUES ('integrity-check', 1)",
                     NULL, NULL, &msg) != SQLITE_OK &&
        !stopped(c))
        report(c, &seen,
               "full-text index: does not hold what the articles' titles and texts are (%s)",
               msg ? msg : sqlite3_errmsg(archive_db(c->a)));
    sqlite3_free(msg);
}

/* Versions are linked as writer.c links them: each names a first version that exists and
 * is a first, and each article (a first version and those naming it) has exactly one
 * current version, the one superseded by no other; a newer version named exists. */
static enum news_status check_versions(struct checker *c, struct news_error *err)
{
    static const struct {
        const char *sql, *what;
    } checks[] = {
        {"SELECT count(*) FROM article v WHERE v.version_of IS NOT NULL AND NOT EXISTS"
         " (SELECT 1 FROM article f WHERE f.id = v.version_of AND f.version_of IS NULL)",
         "versions name a first version that is missing or is not a first"},
        {"SELECT count(*) FROM article v WHERE v.superseded_by IS NOT NULL AND NOT EXISTS"
         " (SELECT 1 FROM article n WHERE n.id = v.superseded_by)",
         "versions are superseded by an article that is missing"},
        {"SELECT count(*) FROM (SELECT coalesce(version_of, id) AS first,"
         " count(*) FILTER (WHERE superseded_by IS NULL) AS current FROM article"
         " GROUP BY first HAVING current != 1)",
         "articles do not have exactly one current version"},
    };
    uint64_t seen = 0;
    for (size_t i = 0; i < sizeof checks / sizeof *checks && !stopped(c); i++) {
        int64_t n = 0;
        enum news_status st = count(c, checks[i].sql, &n, err);
        if (st != NEWS_OK) return st;
        if (n) report(c, &seen, "%lld %s", (long long)n, checks[i].what);
    }
    return NEWS_OK;
}

enum news_status archive_check(struct archive *a, const struct check_reporter *rep,
                               struct check_totals *totals, struct news_error *err)
{
    memset(totals, 0, sizeof *totals);
    struct checker c = {a, rep, totals, NULL, 0, NULL, 0, 0};
    /* Every 100,000 virtual machine steps: a few times a second. */
    sqlite3_progress_handler(archive_db(a), 100000, on_sqlite_progress, &c);
    int64_t articles = 0;
    c.stage = "tables";
    enum news_status st = check_sqlite(&c, err);
    c.stage = "full-text index";
    if (st == NEWS_OK && !stopped(&c)) st = check_index(&c, &articles, err);
    c.stage = "versions";
    if (st == NEWS_OK && !stopped(&c)) st = check_versions(&c, err);
    if (st == NEWS_OK && !stopped(&c)) st = load_dictionaries(&c, err);
    c.stage = "texts";
    c.stage_total = (uint64_t)articles;
    if (st == NEWS_OK && !stopped(&c)) st = check_texts(&c, err);
    c.stage = "full-text index against the texts";
    c.stage_total = 0;
    if (st == NEWS_OK && !stopped(&c)) check_index_text(&c);
    sqlite3_progress_handler(archive_db(a), 0, NULL, NULL);
    for (size_t i = 0; i < c.dict_count; i++)
        free(c.dicts[i]);
    free(c.dicts);
    return st;
}
