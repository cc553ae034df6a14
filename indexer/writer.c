/* writer.c: the indexer's SQL. Every statement is in the table below, prepared once in
 * writer_open, reset after each use and finalized in writer_close; the fingerprint blocks'
 * are story.c's, which the upgrade to schema version 3 shares. */
#include "writer.h"

#include <stdlib.h>
#include <string.h>

#include "codec.h"
#include "hash.h"
#include "story.h"

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
    ST_FIND_VERSION,
    ST_ARTICLE_STORY,
    ST_KEEP_HISTORY,
    ST_UNINDEX,
    ST_DROP_BLOCKS,
    ST_DROP_PROVENANCE,
    ST_DROP_TEXT,
    ST_DROP_ARTICLE,
    ST_STORY_HEAD,
    ST_MOVE_STORY,
    ST_MOVE_STORY_BLOCKS,
    ST_SOURCE_ARTICLES,
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
                       "text_bytes, content_hash, lang, meta, id, simhash, story) "
                       "VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13)",
    [ST_ADD_TEXT] = "INSERT INTO article_text(id, text_z) VALUES (?1, ?2)",
    /* External-content FTS5: index exactly what article_doc will return for the row. */
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
    /* A stored version of the same article: the same URL, or the same source's own id. */
    [ST_FIND_VERSION] = "SELECT id FROM article WHERE url = ?1"
                        " UNION SELECT id FROM article WHERE source_id = ?2 AND source IS ?3"
                        " ORDER BY 1 LIMIT 1",
    [ST_ARTICLE_STORY] = "SELECT story FROM article WHERE id = ?1",
    [ST_KEEP_HISTORY] = "INSERT INTO article_history(article_id, event, run_id, content_hash,"
                        " title, provenance)"
                        " SELECT a.id, ?2, ?3, a.content_hash, CASE WHEN ?2 = 'replaced'"
                        " THEN a.title END, (SELECT json_group_array(json_object('path',"
                        " p.path, 'record', p.record, 'offset', p.offset, 'raw_hash',"
                        " lower(hex(p.raw_hash)), 'source_id', p.source_id, 'run_id',"
                        " p.run_id)) FROM (SELECT * FROM provenance WHERE article_id = a.id"
                        " ORDER BY id) AS p)"
                        " FROM article AS a WHERE a.id = ?1",
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
    /* Any case, as news-query --source matches. */
    [ST_SOURCE_ARTICLES] = "SELECT id FROM article WHERE source = ?1 COLLATE NOCASE ORDER BY id",
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

enum news_status writer_open(struct archive *a, const char *command, struct writer **out,
                             struct news_error *err)
{
    struct writer *w = news_xmalloc(sizeof *w);
    memset(w, 0, sizeof *w);
    w->archive = a;
    w->db = archive_db(a);
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
    if (!w->in_transaction) return NEWS_OK;
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

/* Takes article id out of the archive, text, index, fingerprint and provenance, leaving
 * its history (event: "removed" or "replaced"). The story it was first of is named after
 * its next article. */
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
    int64_t story = 0;
    enum news_status status =
        lookup(w, ST_ARTICLE_STORY, id, &story, err, "cannot read an article's story");
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
    int64_t head = 0;
    if (status == NEWS_OK && story == id)
        status = lookup(w, ST_STORY_HEAD, id, &head, err, "cannot read a story");
    if (status == NEWS_OK && head) {
        st = w->st[ST_MOVE_STORY];
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_int64(st, 2, head);
        status = run_stmt(w, ST_MOVE_STORY, err, "cannot rename a story");
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

/* The stored article another version of a is: same URL, or same source and own id. */
static enum news_status find_version(struct writer *w, const struct article *a, int64_t *id,
                                     struct news_error *err)
{
    *id = 0;
    if (!a->url && !a->source_id) return NEWS_OK;
    sqlite3_stmt *st = w->st[ST_FIND_VERSION];
    bind_text(st, 1, a->url);
    bind_text(st, 2, a->source_id);
    bind_text(st, 3, a->source);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) *id = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? NEWS_OK
                                                 : sql_error(w, err, "cannot look up a URL");
}

enum news_status writer_add_article(struct writer *w, const struct article *a,
                                    struct writer_text *t, const struct writer_provenance *p,
                                    struct writer_result *out, struct news_error *err)
{
    memset(out, 0, sizeof *out);
    const char *title = a->title ? a->title : "";
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
    int64_t id = 0;
    status = find_version(w, a, &id, err);
    if (status != NEWS_OK) return status;
    if (id && !w->replace) {
        out->outcome = WRITER_CONFLICT;
        out->other = id;
        return NEWS_OK;
    }
    if (id) {
        out->outcome = WRITER_REPLACED;
        out->other = id;
        status = take_out(w, id, "replaced", err);
        if (status != NEWS_OK) return status;
    } else {
        /* The id is chosen before the article is stored, because an article that is no
         * copy is a story of its own: story = id. */
        sqlite3_stmt *st = w->st[ST_NEXT_ID];
        int rc = sqlite3_step(st);
        id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
        sqlite3_reset(st);
        if (rc != SQLITE_ROW) return sql_error(w, err, "cannot number an article");
        out->outcome = WRITER_ADDED;
    }
    status = story_index_settle(w->stories, id, &t->place, err);
    if (status != NEWS_OK) return status;
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
    status = run_stmt(w, ST_ADD_ARTICLE, err, "cannot store an article");
    if (status == NEWS_OK) {
        st = w->st[ST_ADD_TEXT];
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_blob64(st, 2, t->blob, t->blob_len, SQLITE_STATIC);
        status = run_stmt(w, ST_ADD_TEXT, err, "cannot store an article's text");
    }
    if (status == NEWS_OK) status = story_index_add(w->stories, id, &t->place, err);
    if (status != NEWS_OK) return status;

    st = w->st[ST_ADD_FTS];
    sqlite3_bind_int64(st, 1, id);
    bind_text(st, 2, title);
    sqlite3_bind_text64(st, 3, t->text, t->len, SQLITE_STATIC, SQLITE_UTF8);
    status = run_stmt(w, ST_ADD_FTS, err, "cannot index an article");
    if (status == NEWS_OK) status = writer_add_provenance(w, id, p, &ignored, err);
    if (status == NEWS_OK) out->is_copy = t->place.story != id;
    if (status == NEWS_OK && out->outcome == WRITER_ADDED) out->other = id;
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
