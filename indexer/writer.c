/* writer.c: the indexer's SQL. Every statement is in the table below, prepared once in
 * writer_open, reset after each use and finalized in writer_close; the fingerprint blocks'
 * are story.c's, which the upgrade to schema version 3 shares. */
#include "writer.h"

#include <stdlib.h>
#include <string.h>

#include "codec.h"
#include "hash.h"
#include "identity.h"
#include "story.h"
#include "utf8.h"

enum stmt_id {
    ST_BEGIN,
    ST_COMMIT,
    ST_RUN_START,
    ST_RUN_FINISH,
    ST_FIND_RAW,
    ST_FIND_CONTENT,
    ST_NEXT_ID,
    ST_ADD_ARTICLE,
    ST_ADD_TEXT,
    ST_ADD_FTS,
    ST_ADD_PROVENANCE,
    ST_EACH_BOILERPLATE,
    ST_ADD_BOILERPLATE,
    ST_LAST_DICTIONARY,
    ST_ADD_DICTIONARY,
    ST_COUNT_TEXTS,
    ST_SAMPLE_TEXTS,
    ST_FIND_WITHDRAWN,
    ST_FIND_VERSIONS,
    ST_ARTICLE_BODY,
    ST_SUPERSEDE,
    ST_ARTICLE_STORY,
    ST_ARTICLE_VERSION,
    ST_KEEP_HISTORY,
    ST_ERASE_HISTORY,
    ST_UNINDEX,
    ST_DROP_BLOCKS,
    ST_DROP_PROVENANCE,
    ST_DROP_TEXT,
    ST_DROP_ARTICLE,
    ST_STORY_HEAD,
    ST_MOVE_STORY,
    ST_MOVE_STORY_BLOCKS,
    ST_NEWEST_VERSION,
    ST_UNSUPERSEDE,
    ST_REPOINT_SUPERSEDED,
    ST_VERSION_HEAD,
    ST_MOVE_VERSIONS,
    ST_SOURCE_ARTICLES,
    ST_FIND_REPLACED,
    ST_HISTORY_TEXT,
    ST_HISTORY_PROVENANCE,
    ST_RESTORE_ARTICLE,
    ST_RESTORE_TEXT,
    ST_DROP_HISTORY,
    ST_COUNT
};

/* The four 16-bit blocks of an article's fingerprint, as simhash_block holds them
 * (simhash_block() in simhash.c), for the articles the WHERE clause that follows picks. */
#define ARTICLE_BLOCKS                                                                             \
    "SELECT b.n, (a.simhash >> (16 * b.n)) & 65535, a.id FROM article AS a,"                       \
    " (SELECT 0 AS n UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3) AS b"               \
    " WHERE a.simhash IS NOT NULL AND "

static const char *const stmt_sql[ST_COUNT] = {
    [ST_BEGIN] = "BEGIN IMMEDIATE",
    [ST_COMMIT] = "COMMIT",
    [ST_RUN_START] = "INSERT INTO run(started_at, command) "
                     "VALUES (strftime('%Y-%m-%dT%H:%M:%SZ','now'), ?1)",
    [ST_RUN_FINISH] = "UPDATE run SET finished_at = strftime('%Y-%m-%dT%H:%M:%SZ','now'), "
                      "files = ?2, added = ?3, duplicates = ?4, rejected = ?5 WHERE id = ?1",
    /* A raw record seen before: the article its first copy produced. */
    [ST_FIND_RAW] = "SELECT article_id FROM provenance WHERE raw_hash = ?1 LIMIT 1",
    /* The exact-duplicate test: same cleaned title and text. */
    [ST_FIND_CONTENT] = "SELECT id FROM article WHERE content_hash = ?1",
    /* Ids are never given twice, not even those of articles removed since. */
    [ST_NEXT_ID] = "SELECT max(coalesce((SELECT max(id) FROM article), 0),"
                   " coalesce((SELECT max(article_id) FROM article_history), 0)) + 1",
    [ST_ADD_ARTICLE] = "INSERT INTO article(title, date, source, byline, url, source_id, "
                       "text_bytes, content_hash, lang, meta, id, simhash, story, identity, "
                       "version_of, superseded_by, date_kind, title_derived) "
                       "VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18)",
    [ST_ADD_TEXT] = "INSERT INTO article_text(id, text_z) VALUES (?1, ?2)",
    /* External-content FTS5: index exactly what article_doc will return for the row (see
     * index_text). */
    [ST_ADD_FTS] = "INSERT INTO article_fts(rowid, title, body) VALUES (?1, ?2, ?3)",
    [ST_ADD_PROVENANCE] = "INSERT OR IGNORE INTO provenance(article_id, run_id, path, record, "
                          "offset, raw_hash, source_id) VALUES (?1,?2,?3,?4,?5,?6,?7)",
    [ST_EACH_BOILERPLATE] = "SELECT source, line_hash FROM boilerplate_line",
    [ST_ADD_BOILERPLATE] = "INSERT OR IGNORE INTO boilerplate_line(source, line_hash) "
                           "VALUES (?1, ?2)",
    [ST_LAST_DICTIONARY] = "SELECT id, bytes FROM dictionary ORDER BY id DESC LIMIT 1",
    [ST_ADD_DICTIONARY] = "INSERT INTO dictionary(created_at, articles, sample_bytes, bytes) "
                          "VALUES (strftime('%Y-%m-%dT%H:%M:%SZ','now'), ?1, ?2, ?3)",
    [ST_COUNT_TEXTS] = "SELECT count(*) FROM article_text",
    /* Every ?1-th article: a sample spread over the whole archive, the same every time. */
    [ST_SAMPLE_TEXTS] = "SELECT CAST(news_text(text_z) AS TEXT) FROM article_text"
                        " WHERE id % ?1 = 0 ORDER BY id",
    /* A version removed or replaced earlier, which loading it again must not restore. */
    [ST_FIND_WITHDRAWN] = "SELECT article_id FROM article_history WHERE content_hash = ?1"
                          " LIMIT 1",
    /* The current versions of the articles with an identity (identity.h): one, unless
     * records with the same identity had nothing in common. */
    [ST_FIND_VERSIONS] = "SELECT id, title, date, version_of FROM article"
                         " WHERE identity = ?1 AND superseded_by IS NULL ORDER BY id LIMIT 64",
    [ST_ARTICLE_BODY] = "SELECT body FROM article_doc WHERE id = ?1",
    [ST_SUPERSEDE] = "UPDATE article SET superseded_by = ?2 WHERE id = ?1",
    [ST_ARTICLE_STORY] = "SELECT story FROM article WHERE id = ?1",
    [ST_ARTICLE_VERSION] = "SELECT version_of, superseded_by FROM article WHERE id = ?1",
    /* A replaced version keeps its title, fields and text; a removed one none of them. */
    [ST_KEEP_HISTORY] = "INSERT INTO article_history(article_id, event, run_id, content_hash,"
                        " title, provenance, fields, text_z)"
                        " SELECT a.id, ?2, ?3, a.content_hash, CASE WHEN ?2 = 'replaced'"
                        " THEN a.title END, (SELECT json_group_array(json_object('path',"
                        " p.path, 'record', p.record, 'offset', p.offset, 'raw_hash',"
                        " lower(hex(p.raw_hash)), 'source_id', p.source_id, 'run_id',"
                        " p.run_id)) FROM (SELECT * FROM provenance WHERE article_id = a.id"
                        " ORDER BY id) AS p),"
                        " CASE WHEN ?2 = 'replaced' THEN json_object('date', a.date, 'source',"
                        " a.source, 'byline', a.byline, 'url', a.url, 'source_id', a.source_id,"
                        " 'lang', a.lang, 'meta', a.meta, 'text_bytes', a.text_bytes,"
                        " 'identity', a.identity, 'date_kind', a.date_kind,"
                        " 'title_derived', a.title_derived) END,"
                        " CASE WHEN ?2 = 'replaced' THEN (SELECT text_z FROM article_text"
                        " WHERE id = a.id) END"
                        " FROM article AS a WHERE a.id = ?1",
    /* A takedown leaves no words behind, not even those of versions replaced earlier. */
    [ST_ERASE_HISTORY] = "UPDATE article_history SET title = NULL, fields = NULL, text_z = NULL"
                         " WHERE article_id = ?1",
    /* External content: FTS5 forgets a row given exactly the values it indexed. */
    [ST_UNINDEX] = "INSERT INTO article_fts(article_fts, rowid, title, body)"
                   " SELECT 'delete', id, title, body FROM article_doc WHERE id = ?1",
    [ST_DROP_BLOCKS] = "DELETE FROM simhash_block WHERE (block_no, value, article_id) IN"
                       " (" ARTICLE_BLOCKS "a.id = ?1)",
    [ST_DROP_PROVENANCE] = "DELETE FROM provenance WHERE article_id = ?1",
    [ST_DROP_TEXT] = "DELETE FROM article_text WHERE id = ?1",
    [ST_DROP_ARTICLE] = "DELETE FROM article WHERE id = ?1",
    /* A story whose first article goes is named after its next. */
    [ST_STORY_HEAD] = "SELECT min(id) FROM article WHERE story = ?1",
    [ST_MOVE_STORY] = "UPDATE article SET story = ?2 WHERE story = ?1",
    [ST_MOVE_STORY_BLOCKS] = "UPDATE simhash_block SET story = ?1"
                             " WHERE (block_no, value, article_id) IN"
                             " (" ARTICLE_BLOCKS "a.story = ?1)",
    /* When the current version goes, the newest left of its article takes its place. */
    [ST_NEWEST_VERSION] = "SELECT id FROM article WHERE (id = ?1 OR version_of = ?1)"
                          " AND id != ?2 ORDER BY coalesce(date, '') DESC, id DESC LIMIT 1",
    [ST_UNSUPERSEDE] = "UPDATE article SET superseded_by = NULL WHERE id = ?1",
    [ST_REPOINT_SUPERSEDED] = "UPDATE article SET superseded_by = ?2 WHERE superseded_by = ?1",
    /* When the first version goes, its versions are named after the next. */
    [ST_VERSION_HEAD] = "SELECT min(id) FROM article WHERE version_of = ?1",
    [ST_MOVE_VERSIONS] = "UPDATE article SET version_of = CASE WHEN id = ?2 THEN NULL ELSE ?2 END"
                         " WHERE version_of = ?1",
    /* Any case, as news-query --source matches. */
    [ST_SOURCE_ARTICLES] = "SELECT id FROM article WHERE source = ?1 COLLATE NOCASE ORDER BY id",
    /* The version of an article that the last --replace took out, if its text is kept. */
    [ST_FIND_REPLACED] = "SELECT id, title FROM article_history WHERE article_id = ?1"
                         " AND event = 'replaced' AND text_z IS NOT NULL ORDER BY id DESC LIMIT 1",
    [ST_HISTORY_TEXT] = "SELECT title, CAST(news_text(text_z) AS TEXT),"
                        " coalesce(json_extract(fields, '$.title_derived'), 0)"
                        " FROM article_history WHERE id = ?1",
    [ST_HISTORY_PROVENANCE] = "SELECT json_extract(j.value, '$.run_id'),"
                              " json_extract(j.value, '$.path'), json_extract(j.value, '$.record'),"
                              " json_extract(j.value, '$.offset'),"
                              " json_extract(j.value, '$.raw_hash'),"
                              " json_extract(j.value, '$.source_id')"
                              " FROM article_history AS h, json_each(h.provenance) AS j"
                              " WHERE h.id = ?1 ORDER BY j.key",
    [ST_RESTORE_ARTICLE] =
        "INSERT INTO article(id, title, date, source, byline, url, source_id,"
        " lang, meta, text_bytes, content_hash, identity, date_kind, title_derived,"
        " version_of, superseded_by, simhash, story)"
        " SELECT h.article_id, h.title, json_extract(h.fields, '$.date'),"
        " json_extract(h.fields, '$.source'), json_extract(h.fields, '$.byline'),"
        " json_extract(h.fields, '$.url'), json_extract(h.fields, '$.source_id'),"
        " json_extract(h.fields, '$.lang'), json_extract(h.fields, '$.meta'), ?2,"
        " h.content_hash, json_extract(h.fields, '$.identity'),"
        " json_extract(h.fields, '$.date_kind'),"
        " coalesce(json_extract(h.fields, '$.title_derived'), 0), ?3, ?4, ?5, ?6"
        " FROM article_history AS h WHERE h.id = ?1",
    [ST_RESTORE_TEXT] = "INSERT INTO article_text(id, text_z)"
                        " SELECT article_id, text_z FROM article_history WHERE id = ?1",
    [ST_DROP_HISTORY] = "DELETE FROM article_history WHERE id = ?1",
};

struct writer {
    struct archive *archive;
    sqlite3 *db;
    sqlite3_stmt *st[ST_COUNT];
    struct codec_dict *dict;     /* the newest preset dictionary, or NULL */
    struct story_index *stories; /* finds the stories new articles are copies of */
    int64_t run_id;
    bool in_transaction;
    bool replace; /* store a new version of an article in its place (writer_replace) */
    bool erasing; /* secure_delete is on (take_out) */
    bool dry_run; /* one transaction, rolled back by writer_close */
};

static enum news_status sql_error(struct writer *w, struct news_error *err, const char *what)
{
    if (sqlite3_errcode(w->db) == SQLITE_FULL)
        return news_error_set(err, NEWS_ERR_SQL,
                              "%s: the disk is full (or the file system's largest file is "
                              "reached): %s",
                              archive_path(w->archive), what);
    return news_error_set(err, NEWS_ERR_SQL, "%s: %s (%s)", what, sqlite3_errmsg(w->db),
                          archive_path(w->archive));
}

/* Steps a statement that returns no rows (or whose rows are ignored), then resets it. */
static enum news_status run_stmt(struct writer *w, enum stmt_id id, struct news_error *err,
                                 const char *what)
{
    int rc = sqlite3_step(w->st[id]);
    sqlite3_reset(w->st[id]);
    sqlite3_clear_bindings(w->st[id]);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) return sql_error(w, err, what);
    return NEWS_OK;
}

/* Binds a string or NULL. */
static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

enum news_status writer_open(struct archive *a, const char *command, bool dry_run,
                             struct writer **out, struct news_error *err)
{
    struct writer *w = news_xmalloc(sizeof *w);
    memset(w, 0, sizeof *w);
    w->archive = a;
    w->db = archive_db(a);
    w->dry_run = dry_run;
    enum news_status status = NEWS_OK;
    for (int i = 0; i < ST_COUNT; i++) {
        if (sqlite3_prepare_v3(w->db, stmt_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &w->st[i],
                               NULL) != SQLITE_OK) {
            status = sql_error(w, err, "cannot prepare the archive's statements");
            goto done;
        }
    }
    status = story_index_open(a, &w->stories, err);
    if (status != NEWS_OK) goto done;
    sqlite3_stmt *st = w->st[ST_LAST_DICTIONARY];
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        size_t len = (size_t)sqlite3_column_bytes(st, 1);
        if (len <= CODEC_DICT_MAX) {
            w->dict = news_xmalloc(sizeof *w->dict);
            w->dict->id = (uint32_t)sqlite3_column_int64(st, 0);
            w->dict->len = len;
            if (len) memcpy(w->dict->bytes, sqlite3_column_blob(st, 1), len);
        }
    }
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        status = sql_error(w, err, "cannot read the preset dictionary");
        goto done;
    }
    /* A dry run's transaction begins before its run is recorded, so nothing stays. */
    if (dry_run) status = writer_begin(w, err);
    if (status != NEWS_OK) goto done;
    bind_text(w->st[ST_RUN_START], 1, command);
    status = run_stmt(w, ST_RUN_START, err, "cannot record the run");
    w->run_id = sqlite3_last_insert_rowid(w->db);
done:
    if (status != NEWS_OK) {
        writer_close(w);
        return status;
    }
    *out = w;
    return NEWS_OK;
}

void writer_close(struct writer *w)
{
    if (!w) return;
    if (w->in_transaction) sqlite3_exec(w->db, "ROLLBACK", NULL, NULL, NULL);
    for (int i = 0; i < ST_COUNT; i++)
        sqlite3_finalize(w->st[i]);
    free(w->dict);
    story_index_close(w->stories);
    free(w);
}

enum news_status writer_begin(struct writer *w, struct news_error *err)
{
    if (w->in_transaction) return NEWS_OK;
    enum news_status status = run_stmt(w, ST_BEGIN, err, "cannot start a transaction");
    w->in_transaction = status == NEWS_OK;
    return status;
}

enum news_status writer_commit(struct writer *w, struct news_error *err)
{
    if (!w->in_transaction || w->dry_run) return NEWS_OK;
    enum news_status status = run_stmt(w, ST_COMMIT, err, "cannot commit");
    if (status == NEWS_OK) w->in_transaction = false;
    return status;
}

/* Runs a statement whose ?1 is bound and that returns at most one integer: *value, or 0
 * when there is no row (ids, the only values read so, start at 1). */
static enum news_status first_integer(struct writer *w, enum stmt_id id_stmt, int64_t *value,
                                      struct news_error *err, const char *what)
{
    sqlite3_stmt *st = w->st[id_stmt];
    int rc = sqlite3_step(st);
    *value = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? NEWS_OK : sql_error(w, err, what);
}

/* first_integer with ?1 = id. */
static enum news_status lookup(struct writer *w, enum stmt_id id_stmt, int64_t id, int64_t *value,
                               struct news_error *err, const char *what)
{
    sqlite3_bind_int64(w->st[id_stmt], 1, id);
    return first_integer(w, id_stmt, value, err, what);
}

/* first_integer with ?1 = a 16-byte hash. */
static enum news_status lookup_hash(struct writer *w, enum stmt_id id_stmt,
                                    const unsigned char hash[16], int64_t *value,
                                    struct news_error *err, const char *what)
{
    sqlite3_bind_blob(w->st[id_stmt], 1, hash, 16, SQLITE_STATIC);
    return first_integer(w, id_stmt, value, err, what);
}

enum news_status writer_find_raw(struct writer *w, const unsigned char raw_hash[16],
                                 int64_t *article_id, struct news_error *err)
{
    return lookup_hash(w, ST_FIND_RAW, raw_hash, article_id, err, "cannot look up a record");
}

enum news_status writer_add_provenance(struct writer *w, int64_t article_id,
                                       const struct writer_provenance *p, bool *is_new,
                                       struct news_error *err)
{
    sqlite3_stmt *st = w->st[ST_ADD_PROVENANCE];
    sqlite3_bind_int64(st, 1, article_id);
    sqlite3_bind_int64(st, 2, w->run_id);
    bind_text(st, 3, p->abs_path);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)p->record);
    sqlite3_bind_int64(st, 5, (sqlite3_int64)p->offset);
    sqlite3_bind_blob(st, 6, p->raw_hash, 16, SQLITE_STATIC);
    bind_text(st, 7, p->source_id);
    enum news_status status = run_stmt(w, ST_ADD_PROVENANCE, err, "cannot record provenance");
    *is_new = status == NEWS_OK && sqlite3_changes(w->db) > 0;
    return status;
}

enum news_status writer_text_prepare(struct writer_text *t, const char *title, struct codec *c,
                                     const struct codec_dict *dict, struct news_error *err)
{
    hash_article(title, t->text, t->len, t->content_hash);
    story_place_fingerprint(t->text, t->len, &t->place);
    return codec_compress(c, dict, t->text, t->len, &t->blob, &t->blob_len, err);
}

void writer_text_free(struct writer_text *t)
{
    free(t->text);
    free(t->blob);
    memset(t, 0, sizeof *t);
}

/* Runs a statement with ?1 = id. */
static enum news_status run_on(struct writer *w, enum stmt_id id_stmt, int64_t id,
                               struct news_error *err, const char *what)
{
    sqlite3_bind_int64(w->st[id_stmt], 1, id);
    return run_stmt(w, id_stmt, err, what);
}

/* Reads article id's version_of and superseded_by (0 for NULL). */
static enum news_status read_version(struct writer *w, int64_t id, int64_t *version_of,
                                     int64_t *superseded_by, struct news_error *err)
{
    sqlite3_stmt *st = w->st[ST_ARTICLE_VERSION];
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    *version_of = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    *superseded_by = rc == SQLITE_ROW ? sqlite3_column_int64(st, 1) : 0;
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE
               ? NEWS_OK
               : sql_error(w, err, "cannot read an article's versions");
}

/* Runs a statement with ?1 = a and ?2 = b. */
static enum news_status run_on2(struct writer *w, enum stmt_id id_stmt, int64_t a, int64_t b,
                                struct news_error *err, const char *what)
{
    sqlite3_bind_int64(w->st[id_stmt], 1, a);
    sqlite3_bind_int64(w->st[id_stmt], 2, b);
    return run_stmt(w, id_stmt, err, what);
}

/* After article id, which was version_of (0: the first) and superseded_by (0: current) in
 * its article's versions, has been removed: the newest version left becomes the current one,
 * and when the first went, the versions are named after the next. */
static enum news_status settle_versions(struct writer *w, int64_t id, int64_t version_of,
                                        int64_t superseded_by, struct news_error *err)
{
    int64_t first = version_of ? version_of : id, next = superseded_by;
    enum news_status status = NEWS_OK;
    if (!superseded_by) {
        sqlite3_bind_int64(w->st[ST_NEWEST_VERSION], 2, id);
        status = lookup(w, ST_NEWEST_VERSION, first, &next, err, "cannot read the versions");
        if (status == NEWS_OK && next)
            status = run_on(w, ST_UNSUPERSEDE, next, err, "cannot make a version current");
    }
    if (status == NEWS_OK && next)
        status = run_on2(w, ST_REPOINT_SUPERSEDED, id, next, err, "cannot relink versions");
    int64_t head = 0;
    if (status == NEWS_OK && !version_of)
        status = lookup(w, ST_VERSION_HEAD, id, &head, err, "cannot read the versions");
    if (status == NEWS_OK && head)
        status = run_on2(w, ST_MOVE_VERSIONS, id, head, err, "cannot relink versions");
    return status;
}

/* Takes article id out of the archive, text, index, fingerprint and provenance, leaving
 * its history (event: "removed" or "replaced"). The story it was first of is named after
 * its next article. A removed article's other versions are settled (settle_versions); a
 * replaced one's id is about to be given to its new version, which takes its place. */
static enum news_status take_out(struct writer *w, int64_t id, const char *event,
                                 struct news_error *err)
{
    /* What is taken out is overwritten where it lay in the file, not only unlinked: a
     * takedown should not leave the text readable with a hex editor. Only from the first
     * removal on, since it costs writes whenever a page is freed. */
    if (!w->erasing &&
        sqlite3_exec(w->db, "PRAGMA secure_delete = ON", NULL, NULL, NULL) != SQLITE_OK)
        return sql_error(w, err, "cannot turn on secure_delete");
    w->erasing = true;
    bool removing = strcmp(event, "removed") == 0;
    int64_t story = 0, version_of = 0, superseded_by = 0;
    enum news_status status =
        lookup(w, ST_ARTICLE_STORY, id, &story, err, "cannot read an article's story");
    if (status == NEWS_OK) status = read_version(w, id, &version_of, &superseded_by, err);
    if (status == NEWS_OK && removing)
        status = run_on(w, ST_ERASE_HISTORY, id, err, "cannot erase an article's history");
    if (status != NEWS_OK) return status;
    sqlite3_stmt *st = w->st[ST_KEEP_HISTORY];
    sqlite3_bind_int64(st, 1, id);
    bind_text(st, 2, event);
    sqlite3_bind_int64(st, 3, w->run_id);
    status = run_stmt(w, ST_KEEP_HISTORY, err, "cannot record an article's history");
    /* The index entry first: it is deleted with the values the row still holds. */
    if (status == NEWS_OK) status = run_on(w, ST_UNINDEX, id, err, "cannot unindex an article");
    if (status == NEWS_OK)
        status = run_on(w, ST_DROP_BLOCKS, id, err, "cannot remove a fingerprint");
    if (status == NEWS_OK)
        status = run_on(w, ST_DROP_PROVENANCE, id, err, "cannot remove provenance");
    if (status == NEWS_OK) status = run_on(w, ST_DROP_TEXT, id, err, "cannot remove a text");
    if (status == NEWS_OK) status = run_on(w, ST_DROP_ARTICLE, id, err, "cannot remove an article");
    if (status == NEWS_OK && removing)
        status = settle_versions(w, id, version_of, superseded_by, err);
    int64_t head = 0;
    if (status == NEWS_OK && story == id)
        status = lookup(w, ST_STORY_HEAD, id, &head, err, "cannot read a story");
    if (status == NEWS_OK && head) {
        status = run_on2(w, ST_MOVE_STORY, id, head, err, "cannot rename a story");
        if (status == NEWS_OK)
            status = run_on(w, ST_MOVE_STORY_BLOCKS, head, err, "cannot rename a story");
    }
    return status;
}

void writer_replace(struct writer *w, bool replace)
{
    w->replace = replace;
}

enum news_status writer_remove(struct writer *w, int64_t id, bool *found, struct news_error *err)
{
    int64_t story = 0; /* never 0 for a stored article: its own id, or its story's first */
    enum news_status status =
        lookup(w, ST_ARTICLE_STORY, id, &story, err, "cannot find an article");
    *found = status == NEWS_OK && story != 0;
    return *found ? take_out(w, id, "removed", err) : status;
}

enum news_status writer_source_articles(struct writer *w, const char *source, int64_t **ids,
                                        size_t *count, struct news_error *err)
{
    sqlite3_stmt *st = w->st[ST_SOURCE_ARTICLES];
    bind_text(st, 1, source);
    size_t cap = 0;
    *ids = NULL;
    *count = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*count == cap) *ids = news_xrealloc(*ids, (cap = cap ? 2 * cap : 64) * sizeof **ids);
        (*ids)[(*count)++] = sqlite3_column_int64(st, 0);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? NEWS_OK : sql_error(w, err, "cannot list a source's articles");
}

/* Copies a title for a message, cut at a character boundary. */
static void copy_title(char out[200], const char *title)
{
    size_t n = title ? strlen(title) : 0;
    if (n > 199) n = utf8_cut(title, 199);
    if (n) memcpy(out, title, n);
    out[n] = '\0';
}

/* The stored article that the new one is a version of. */
struct version_match {
    int64_t id;         /* its current version, or 0 */
    int64_t version_of; /* that version's version_of (0: it is the first) */
    char *date;         /* that version's date, or NULL (owned) */
};

/* Whether the text of stored article id has anything in common with title and t. */
static enum news_status related_to(struct writer *w, int64_t id, const char *stored_title,
                                   const char *title, const struct writer_text *t, bool *related,
                                   struct news_error *err)
{
    sqlite3_stmt *st = w->st[ST_ARTICLE_BODY];
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    const char *body = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
    *related = identity_related(title, t->text, t->len, stored_title, body,
                                body ? (size_t)sqlite3_column_bytes(st, 0) : 0);
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? NEWS_OK
                                                 : sql_error(w, err, "cannot read an article");
}

/* Finds the current version of the stored article that a is a new version of (m->id 0 when
 * there is none). When articles with a's identity have nothing in common with it, the first
 * of them is out->unrelated. */
static enum news_status find_version(struct writer *w, const struct article *a,
                                     const struct writer_text *t, struct version_match *m,
                                     struct writer_result *out, struct news_error *err)
{
    memset(m, 0, sizeof *m);
    if (a->identity.kind == IDENTITY_NONE) return NEWS_OK;
    sqlite3_stmt *st = w->st[ST_FIND_VERSIONS];
    sqlite3_bind_int64(st, 1, a->identity.key);
    enum news_status status = NEWS_OK;
    int rc;
    while (status == NEWS_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        const char *title = (const char *)sqlite3_column_text(st, 1);
        /* Captures of one address are versions of one page, whatever they hold. */
        bool related = a->identity.kind == IDENTITY_CAPTURE;
        if (!related) status = related_to(w, id, title, a->title ? a->title : "", t, &related, err);
        if (status == NEWS_OK && related) {
            const char *date = (const char *)sqlite3_column_text(st, 2);
            *m = (struct version_match){id, sqlite3_column_int64(st, 3),
                                        date ? news_xstrdup(date) : NULL};
            copy_title(out->other_title, title);
            break;
        }
        if (status == NEWS_OK && !out->unrelated) {
            out->unrelated = id;
            copy_title(out->other_title, title);
        }
    }
    sqlite3_reset(st);
    if (status == NEWS_OK && rc != SQLITE_ROW && rc != SQLITE_DONE)
        status = sql_error(w, err, "cannot look up an article's versions");
    if (m->id) out->unrelated = 0;
    return status;
}

/* Indexes article id's title and text as article_doc gives them: a title made from the
 * text (is_title_derived) as none. */
static enum news_status index_text(struct writer *w, int64_t id, const char *title,
                                   bool is_title_derived, const char *text, size_t len,
                                   struct news_error *err)
{
    sqlite3_stmt *st = w->st[ST_ADD_FTS];
    sqlite3_bind_int64(st, 1, id);
    bind_text(st, 2, is_title_derived ? "" : title);
    sqlite3_bind_text64(st, 3, text, len, SQLITE_STATIC, SQLITE_UTF8);
    return run_stmt(w, ST_ADD_FTS, err, "cannot index an article");
}

/* The next article id: never one given before, not even to an article removed since. */
static enum news_status next_id(struct writer *w, int64_t *id, struct news_error *err)
{
    sqlite3_stmt *st = w->st[ST_NEXT_ID];
    int rc = sqlite3_step(st);
    *id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? NEWS_OK : sql_error(w, err, "cannot number an article");
}

/* Inserts article id's row, text, fingerprint blocks, index entry and provenance. */
static enum news_status store(struct writer *w, const struct article *a, struct writer_text *t,
                              const struct writer_provenance *p, int64_t id, int64_t version_of,
                              int64_t superseded_by, struct news_error *err)
{
    enum news_status status = story_index_settle(w->stories, id, &t->place, err);
    if (status != NEWS_OK) return status;
    const char *title = a->title ? a->title : "";
    sqlite3_stmt *st = w->st[ST_ADD_ARTICLE];
    bind_text(st, 1, title);
    bind_text(st, 2, a->date);
    bind_text(st, 3, a->source);
    bind_text(st, 4, a->byline);
    bind_text(st, 5, a->url);
    bind_text(st, 6, a->source_id);
    sqlite3_bind_int64(st, 7, (sqlite3_int64)t->len);
    sqlite3_bind_blob(st, 8, t->content_hash, 16, SQLITE_STATIC);
    bind_text(st, 9, a->lang);
    bind_text(st, 10, a->meta);
    sqlite3_bind_int64(st, 11, id);
    story_place_bind(&t->place, st, 12, 13);
    if (a->identity.kind != IDENTITY_NONE) sqlite3_bind_int64(st, 14, a->identity.key);
    if (version_of) sqlite3_bind_int64(st, 15, version_of);
    if (superseded_by) sqlite3_bind_int64(st, 16, superseded_by);
    bind_text(st, 17, a->date && a->is_date_captured ? "captured" : NULL);
    sqlite3_bind_int(st, 18, a->is_title_derived);
    status = run_stmt(w, ST_ADD_ARTICLE, err, "cannot store an article");
    if (status == NEWS_OK) {
        st = w->st[ST_ADD_TEXT];
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_blob64(st, 2, t->blob, t->blob_len, SQLITE_STATIC);
        status = run_stmt(w, ST_ADD_TEXT, err, "cannot store an article's text");
    }
    if (status == NEWS_OK) status = story_index_add(w->stories, id, &t->place, err);
    if (status != NEWS_OK) return status;
    status = index_text(w, id, title, a->is_title_derived, t->text, t->len, err);
    bool ignored;
    if (status == NEWS_OK) status = writer_add_provenance(w, id, p, &ignored, err);
    return status;
}

/* Stores a as a new version of m->id, beside it or (replacing) in its place. */
static enum news_status store_version(struct writer *w, const struct article *a,
                                      struct writer_text *t, const struct writer_provenance *p,
                                      const struct version_match *m, struct writer_result *out,
                                      struct news_error *err)
{
    out->other = m->id;
    if (w->replace) {
        out->outcome = WRITER_REPLACED;
        out->id = m->id;
        out->is_current = true;
        enum news_status status = take_out(w, m->id, "replaced", err);
        return status == NEWS_OK ? store(w, a, t, p, m->id, m->version_of, 0, err) : status;
    }
    out->outcome = WRITER_VERSION;
    enum news_status status = next_id(w, &out->id, err);
    if (status != NEWS_OK) return status;
    /* The newer by date is the current version; of two with the same date, the later
     * stored. */
    out->is_current = strcmp(a->date ? a->date : "", m->date ? m->date : "") >= 0;
    if (out->is_current)
        status = run_on2(w, ST_SUPERSEDE, m->id, out->id, err, "cannot link a version");
    if (status != NEWS_OK) return status;
    return store(w, a, t, p, out->id, m->version_of ? m->version_of : m->id,
                 out->is_current ? 0 : m->id, err);
}

enum news_status writer_add_article(struct writer *w, const struct article *a,
                                    struct writer_text *t, const struct writer_provenance *p,
                                    struct writer_result *out, struct news_error *err)
{
    memset(out, 0, sizeof *out);
    int64_t existing = 0;
    enum news_status status =
        lookup_hash(w, ST_FIND_CONTENT, t->content_hash, &existing, err, "cannot look up text");
    if (status != NEWS_OK) return status;
    bool ignored;
    if (existing) {
        out->outcome = WRITER_DUPLICATE;
        out->other = existing;
        return writer_add_provenance(w, existing, p, &ignored, err);
    }
    status = lookup_hash(w, ST_FIND_WITHDRAWN, t->content_hash, &existing, err,
                         "cannot look up history");
    if (status != NEWS_OK) return status;
    if (existing) {
        out->outcome = WRITER_WITHDRAWN;
        out->other = existing;
        return NEWS_OK;
    }
    struct version_match m;
    status = find_version(w, a, t, &m, out, err);
    if (status == NEWS_OK && m.id) {
        status = store_version(w, a, t, p, &m, out, err);
    } else if (status == NEWS_OK) {
        /* The id is chosen before the article is stored, because an article that is no
         * copy is a story of its own: story = id. */
        out->outcome = WRITER_ADDED;
        status = next_id(w, &out->id, err);
        if (status == NEWS_OK) status = store(w, a, t, p, out->id, 0, 0, err);
    }
    free(m.date);
    if (status == NEWS_OK) out->is_copy = t->place.story != out->id;
    return status;
}

/* The value of a hexadecimal digit (0 for anything else). */
static unsigned hex_digit(char c)
{
    return c >= '0' && c <= '9'   ? (unsigned)(c - '0')
           : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
           : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10)
                                  : 0;
}

/* Puts back the provenance records that history row h keeps, for article id. */
static enum news_status bring_back_provenance(struct writer *w, int64_t h, int64_t id,
                                              struct news_error *err)
{
    sqlite3_stmt *rows = w->st[ST_HISTORY_PROVENANCE], *add = w->st[ST_ADD_PROVENANCE];
    sqlite3_bind_int64(rows, 1, h);
    enum news_status status = NEWS_OK;
    int rc;
    while (status == NEWS_OK && (rc = sqlite3_step(rows)) == SQLITE_ROW) {
        const char *hex = (const char *)sqlite3_column_text(rows, 4);
        unsigned char raw_hash[16] = {0};
        for (size_t i = 0; hex && i < 32 && hex[i]; i++)
            raw_hash[i / 2] = (unsigned char)(raw_hash[i / 2] << 4 | hex_digit(hex[i]));
        sqlite3_bind_int64(add, 1, id);
        sqlite3_bind_value(add, 2, sqlite3_column_value(rows, 0));
        sqlite3_bind_value(add, 3, sqlite3_column_value(rows, 1));
        sqlite3_bind_value(add, 4, sqlite3_column_value(rows, 2));
        sqlite3_bind_value(add, 5, sqlite3_column_value(rows, 3));
        sqlite3_bind_blob(add, 6, raw_hash, 16, SQLITE_TRANSIENT);
        sqlite3_bind_value(add, 7, sqlite3_column_value(rows, 5));
        status = run_stmt(w, ST_ADD_PROVENANCE, err, "cannot restore provenance");
    }
    sqlite3_reset(rows);
    if (status == NEWS_OK && rc != SQLITE_DONE)
        status = sql_error(w, err, "cannot read a replaced version's provenance");
    return status;
}

/* Puts back history row h as article id, at version_of and superseded_by in its
 * article's versions: row, text, fingerprint, index entry and provenance. */
static enum news_status bring_back(struct writer *w, int64_t h, int64_t id, int64_t version_of,
                                   int64_t superseded_by, struct news_error *err)
{
    sqlite3_stmt *st = w->st[ST_HISTORY_TEXT];
    sqlite3_bind_int64(st, 1, h);
    int rc = sqlite3_step(st);
    const char *column = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 1) : NULL;
    size_t len = column ? (size_t)sqlite3_column_bytes(st, 1) : 0;
    char *text = column ? news_xstrndup(column, len) : NULL;
    column = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
    char *title = news_xstrdup(column ? column : "");
    bool is_title_derived = rc == SQLITE_ROW && sqlite3_column_int(st, 2) != 0;
    sqlite3_reset(st);
    enum news_status status =
        text ? NEWS_OK : sql_error(w, err, "cannot read a replaced version's text");
    struct story_place place;
    if (status == NEWS_OK) {
        story_place_fingerprint(text, len, &place);
        status = story_index_settle(w->stories, id, &place, err);
    }
    if (status == NEWS_OK) {
        st = w->st[ST_RESTORE_ARTICLE];
        sqlite3_bind_int64(st, 1, h);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)len);
        if (version_of) sqlite3_bind_int64(st, 3, version_of);
        if (superseded_by) sqlite3_bind_int64(st, 4, superseded_by);
        story_place_bind(&place, st, 5, 6);
        status = run_stmt(w, ST_RESTORE_ARTICLE, err, "cannot restore an article");
    }
    if (status == NEWS_OK) status = run_on(w, ST_RESTORE_TEXT, h, err, "cannot restore a text");
    if (status == NEWS_OK) status = story_index_add(w->stories, id, &place, err);
    /* External content: the title and text the restored row holds. */
    if (status == NEWS_OK) status = index_text(w, id, title, is_title_derived, text, len, err);
    if (status == NEWS_OK) status = bring_back_provenance(w, h, id, err);
    free(title);
    free(text);
    return status;
}

enum news_status writer_restore(struct writer *w, int64_t id, bool *found, char restored_title[200],
                                struct news_error *err)
{
    *found = false;
    restored_title[0] = '\0';
    int64_t story = 0, h = 0, version_of = 0, superseded_by = 0;
    enum news_status status =
        lookup(w, ST_ARTICLE_STORY, id, &story, err, "cannot find an article");
    if (status != NEWS_OK || !story) return status;
    sqlite3_stmt *st = w->st[ST_FIND_REPLACED];
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        h = sqlite3_column_int64(st, 0);
        copy_title(restored_title, (const char *)sqlite3_column_text(st, 1));
    }
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return sql_error(w, err, "cannot read history");
    if (!h) return NEWS_OK;
    *found = true;
    /* The version in place goes to history as replaced, so that this can be undone too. */
    status = read_version(w, id, &version_of, &superseded_by, err);
    if (status == NEWS_OK) status = take_out(w, id, "replaced", err);
    if (status == NEWS_OK) status = bring_back(w, h, id, version_of, superseded_by, err);
    if (status == NEWS_OK) status = run_on(w, ST_DROP_HISTORY, h, err, "cannot update history");
    if (status != NEWS_OK) { /* say which article, for a run given many */
        struct news_error why = *err;
        news_error_set(err, status, "restoring article %lld: %s", (long long)id, why.msg);
    }
    return status;
}

const struct codec_dict *writer_dictionary(const struct writer *w)
{
    return w->dict;
}

enum news_status writer_add_dictionary(struct writer *w, const unsigned char *bytes, size_t len,
                                       uint64_t articles, uint64_t sample_bytes,
                                       struct news_error *err)
{
    if (len > CODEC_DICT_MAX)
        return news_error_set(err, NEWS_ERR_USAGE, "a preset dictionary holds at most %d bytes",
                              CODEC_DICT_MAX);
    sqlite3_stmt *st = w->st[ST_ADD_DICTIONARY];
    sqlite3_bind_int64(st, 1, (sqlite3_int64)articles);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)sample_bytes);
    sqlite3_bind_blob(st, 3, bytes, (int)len, SQLITE_STATIC);
    enum news_status status = run_stmt(w, ST_ADD_DICTIONARY, err, "cannot store a dictionary");
    if (status != NEWS_OK) return status;
    if (!w->dict) w->dict = news_xmalloc(sizeof *w->dict);
    w->dict->id = (uint32_t)sqlite3_last_insert_rowid(w->db);
    w->dict->len = len;
    memcpy(w->dict->bytes, bytes, len);
    return NEWS_OK;
}

enum news_status writer_retrain_dictionary(struct writer *w, uint64_t *articles, uint64_t *bytes,
                                           struct news_error *err)
{
    /* About this many articles are read: news articles of a few KB fill the sample. */
    enum { SAMPLE_ARTICLES = 4000 };
    *articles = *bytes = 0;
    sqlite3_stmt *st = w->st[ST_COUNT_TEXTS];
    int rc = sqlite3_step(st);
    int64_t stored = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    if (rc != SQLITE_ROW) return sql_error(w, err, "cannot count the articles");
    struct codec_sample sample = {0};
    st = w->st[ST_SAMPLE_TEXTS];
    sqlite3_bind_int64(st, 1, stored / SAMPLE_ARTICLES + 1);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW &&
           codec_sample_add(&sample, (const char *)sqlite3_column_text(st, 0),
                            (size_t)sqlite3_column_bytes(st, 0))) {
        /* until the sample is full or the articles are all read */
    }
    sqlite3_reset(st);
    enum news_status status = NEWS_OK;
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        status = sql_error(w, err, "cannot read the archive's text");
    } else if (sample.bytes < CODEC_TRAIN_MIN_SAMPLE) {
        status = news_error_set(err, NEWS_ERR_USAGE,
                                "%s holds %zu bytes of text, too little to train a dictionary "
                                "from (at least %zu)",
                                archive_path(w->archive), sample.bytes, CODEC_TRAIN_MIN_SAMPLE);
    } else {
        unsigned char dict[CODEC_DICT_MAX];
        size_t len = codec_sample_train(&sample, dict);
        status = writer_add_dictionary(w, dict, len, sample.count, sample.bytes, err);
    }
    *articles = sample.count;
    *bytes = sample.bytes;
    codec_sample_clear(&sample);
    return status;
}

enum news_status writer_each_boilerplate(struct writer *w,
                                         void (*each)(void *ctx, const char *source,
                                                      uint64_t line_hash),
                                         void *ctx, struct news_error *err)
{
    sqlite3_stmt *st = w->st[ST_EACH_BOILERPLATE];
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *source = (const char *)sqlite3_column_text(st, 0);
        each(ctx, source ? source : "", (uint64_t)sqlite3_column_int64(st, 1));
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) return sql_error(w, err, "cannot read learned boilerplate");
    return NEWS_OK;
}

enum news_status writer_add_boilerplate(struct writer *w, const char *source, uint64_t line_hash,
                                        struct news_error *err)
{
    sqlite3_stmt *st = w->st[ST_ADD_BOILERPLATE];
    bind_text(st, 1, source);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)line_hash);
    return run_stmt(w, ST_ADD_BOILERPLATE, err, "cannot record boilerplate");
}

enum news_status writer_finish_run(struct writer *w, const struct writer_totals *t,
                                   struct news_error *err)
{
    sqlite3_stmt *st = w->st[ST_RUN_FINISH];
    sqlite3_bind_int64(st, 1, w->run_id);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)t->files);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)t->added);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)t->duplicates);
    sqlite3_bind_int64(st, 5, (sqlite3_int64)t->rejected);
    return run_stmt(w, ST_RUN_FINISH, err, "cannot record the end of the run");
}
