/* archive.c: open an archive, create it from schema.sql, and refuse anything else. */
#include "archive.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "codec.h"
#include "identity.h"
#include "rank.h"
#include "story.h"
#include "title.h"

struct archive {
    sqlite3 *db;
    char *path;
    int lock_fd; /* holds the writers' lock (flock) while open for writing; -1 if none */
    const struct archive_reporter *rep; /* told how an upgrade goes; NULL after opening */
};

sqlite3 *archive_db(const struct archive *a)
{
    return a->db;
}

const char *archive_path(const struct archive *a)
{
    return a->path;
}

enum news_status archive_exec(struct archive *a, const char *sql, struct news_error *err)
{
    char *msg = NULL;
    if (sqlite3_exec(a->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        news_error_set(err, NEWS_ERR_SQL, "%s (%s)", msg ? msg : sqlite3_errmsg(a->db), a->path);
        sqlite3_free(msg);
        return NEWS_ERR_SQL;
    }
    return NEWS_OK;
}

/* Fingerprints and groups the articles of an archive being upgraded to version 3, in id
 * order, exactly as news-index does when it adds them (see writer.c). */
static enum news_status group_stored_articles(struct archive *a, struct news_error *err);

/* Gives the articles of an archive being upgraded to version 6 their identity. */
static enum news_status identify_stored_articles(struct archive *a, struct news_error *err);

/* Marks the titles made from the text in an archive being upgraded to version 7, and
 * indexes those articles anew with no title. */
static enum news_status mark_derived_titles(struct archive *a, struct news_error *err);

/* The steps from each schema version to the next: migrations[v - 1] takes version v to
 * v + 1 by running sql, then fill if it is set. schema.sql always holds the current schema
 * in full. */
static const struct migration {
    const char *sql;
    enum news_status (*fill)(struct archive *a, struct news_error *err);
} migrations[] = {
    /* 1 -> 2: language and further metadata (topics, dateline, crawl date) */
    {"ALTER TABLE article ADD COLUMN lang TEXT;"
     "ALTER TABLE article ADD COLUMN meta TEXT;"
     "PRAGMA user_version = 2;",
     NULL},
    /* 2 -> 3: wire copies: a fingerprint per article, and the story it belongs to */
    {"ALTER TABLE article ADD COLUMN simhash INTEGER;"
     "ALTER TABLE article ADD COLUMN story INTEGER;"
     "CREATE TABLE simhash_block (block_no INTEGER NOT NULL, value INTEGER NOT NULL,"
     " article_id INTEGER NOT NULL REFERENCES article(id), simhash INTEGER NOT NULL,"
     " story INTEGER NOT NULL, PRIMARY KEY (block_no, value, article_id)) WITHOUT ROWID;"
     "PRAGMA user_version = 3;",
     group_stored_articles},
    /* 3 -> 4: the text moves to a table of its own, so that article rows are small; preset
     * dictionaries for compression. The view FTS5 reads is rebuilt over the new table, and
     * the index gets the merge settings for bulk loading (schema.sql). */
    {"CREATE TABLE article_text (id INTEGER PRIMARY KEY REFERENCES article(id),"
     " text_z BLOB NOT NULL);"
     "CREATE TABLE dictionary (id INTEGER PRIMARY KEY, created_at TEXT NOT NULL,"
     " articles INTEGER NOT NULL, sample_bytes INTEGER NOT NULL, bytes BLOB NOT NULL);"
     "INSERT INTO article_text(id, text_z) SELECT id, text_z FROM article ORDER BY id;"
     "DROP VIEW IF EXISTS article_doc;"
     "ALTER TABLE article DROP COLUMN text_z;"
     "CREATE VIEW article_doc (id, title, body) AS"
     " SELECT a.id, a.title, CAST(news_text(t.text_z) AS TEXT)"
     " FROM article AS a JOIN article_text AS t ON t.id = a.id;"
     "INSERT INTO article_fts(article_fts, rank) VALUES ('automerge', 16);"
     "INSERT INTO article_fts(article_fts, rank) VALUES ('crisismerge', 64);"
     "PRAGMA user_version = 4;",
     NULL},
    /* 4 -> 5: takedowns and corrections: what was removed or replaced, and the indexes
     * that find an earlier version of an article by URL or identifier. simhash_block
     * loses its foreign key, which made each deleted article cost a scan of the table. */
    {"CREATE TABLE simhash_block_5 (block_no INTEGER NOT NULL, value INTEGER NOT NULL,"
     " article_id INTEGER NOT NULL, simhash INTEGER NOT NULL, story INTEGER NOT NULL,"
     " PRIMARY KEY (block_no, value, article_id)) WITHOUT ROWID;"
     "INSERT INTO simhash_block_5 SELECT * FROM simhash_block ORDER BY 1, 2, 3;"
     "DROP TABLE simhash_block;"
     "ALTER TABLE simhash_block_5 RENAME TO simhash_block;"
     "CREATE INDEX article_url ON article(url) WHERE url IS NOT NULL;"
     "CREATE INDEX article_source_id ON article(source_id) WHERE source_id IS NOT NULL;"
     "CREATE TABLE article_history (id INTEGER PRIMARY KEY, article_id INTEGER NOT NULL,"
     " event TEXT NOT NULL CHECK (event IN ('removed', 'replaced')),"
     " run_id INTEGER NOT NULL REFERENCES run(id), content_hash BLOB NOT NULL, title TEXT,"
     " provenance TEXT NOT NULL);"
     "CREATE INDEX article_history_hash ON article_history(content_hash);"
     "CREATE INDEX article_history_article ON article_history(article_id);"
     "PRAGMA user_version = 5;",
     NULL},
    /* 5 -> 6: versions. Identity (identity.h) replaces the look-ups by URL and by own id,
     * which joined records of unrelated collections; versions are linked rather than
     * refused or overwritten; a replaced version keeps its text; a web page without a date
     * of its own takes its capture date (kept in meta until now), marked as such. The
     * identities are filled in by identify_stored_articles. */
    {"ALTER TABLE article ADD COLUMN identity INTEGER;"
     "ALTER TABLE article ADD COLUMN version_of INTEGER;"
     "ALTER TABLE article ADD COLUMN superseded_by INTEGER;"
     "ALTER TABLE article ADD COLUMN date_kind TEXT CHECK (date_kind IN ('captured'));"
     "DROP INDEX IF EXISTS article_url;"
     "DROP INDEX IF EXISTS article_source_id;"
     "ALTER TABLE article_history ADD COLUMN fields TEXT;"
     "ALTER TABLE article_history ADD COLUMN text_z BLOB;"
     "UPDATE article SET date = strftime('%Y-%m-%dT%H:%M:%SZ', json_extract(meta, '$.crawled')),"
     " date_kind = 'captured' WHERE date IS NULL AND json_valid(meta)"
     " AND strftime('%Y-%m-%dT%H:%M:%SZ', json_extract(meta, '$.crawled')) IS NOT NULL;"
     "PRAGMA user_version = 6;",
     identify_stored_articles},
    /* 6 -> 7: a title that news-index made from the start of the text, for a record
     * without one, is marked, and the index holds no title for it (see article_doc in
     * schema.sql): its words counted twice in the ranking, once with a title's weight.
     * mark_derived_titles finds them. */
    {"ALTER TABLE article ADD COLUMN title_derived INTEGER NOT NULL DEFAULT 0"
     " CHECK (title_derived IN (0, 1));"
     "DROP VIEW article_doc;"
     "CREATE VIEW article_doc (id, title, body) AS"
     " SELECT a.id, CASE WHEN a.title_derived THEN '' ELSE a.title END,"
     " CAST(news_text(t.text_z) AS TEXT)"
     " FROM article AS a JOIN article_text AS t ON t.id = a.id;"
     "PRAGMA user_version = 7;",
     mark_derived_titles},
};

_Static_assert(sizeof migrations / sizeof *migrations == ARCHIVE_SCHEMA_VERSION - 1,
               "a migration step for every version");

/* Brings an archive of an older version up to date, all or nothing. */
static enum news_status migrate(struct archive *a, int version, struct news_error *err)
{
    enum news_status st = archive_exec(a, "BEGIN IMMEDIATE", err);
    for (int v = version; st == NEWS_OK && v < ARCHIVE_SCHEMA_VERSION; v++) {
        st = archive_exec(a, migrations[v - 1].sql, err);
        if (st == NEWS_OK && migrations[v - 1].fill) st = migrations[v - 1].fill(a, err);
    }
    if (st == NEWS_OK) st = archive_exec(a, "COMMIT", err);
    if (st != NEWS_OK) sqlite3_exec(a->db, "ROLLBACK", NULL, NULL, NULL);
    return st;
}

static enum news_status group_stored_articles(struct archive *a, struct news_error *err)
{
    /* One article at a time by id, rather than one statement over the table, since the
     * table is updated as it is read. Each row is rewritten once: on a large archive the
     * write-ahead log grows to about the size of the article table until the commit. */
    static const char next_sql[] =
        "SELECT id, text_z FROM article WHERE id > ?1 ORDER BY id LIMIT 1";
    static const char set_sql[] = "UPDATE article SET simhash = ?2, story = ?3 WHERE id = ?1";
    sqlite3_stmt *next = NULL, *set = NULL;
    struct story_index *stories = NULL;
    enum news_status st = story_index_open(a, &stories, err);
    if (st != NEWS_OK) return st;
    if (sqlite3_prepare_v2(a->db, next_sql, -1, &next, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(a->db, set_sql, -1, &set, NULL) != SQLITE_OK) {
        st = news_error_set(err, NEWS_ERR_SQL, "%s (%s)", sqlite3_errmsg(a->db), a->path);
        goto done;
    }
    int64_t id = 0;
    int rc = SQLITE_DONE;
    while (st == NEWS_OK) {
        sqlite3_bind_int64(next, 1, id);
        rc = sqlite3_step(next);
        if (rc != SQLITE_ROW) break;
        id = sqlite3_column_int64(next, 0);
        char *text = NULL;
        size_t text_len = 0;
        struct news_error why;
        /* Version 3 archives hold no preset dictionaries. */
        st = codec_decompress(sqlite3_column_blob(next, 1), (size_t)sqlite3_column_bytes(next, 1),
                              NULL, &text, &text_len, &why);
        sqlite3_reset(next);
        if (st != NEWS_OK) {
            news_error_set(err, st, "article %lld: %s (%s)", (long long)id, why.msg, a->path);
            break;
        }
        struct story_place place;
        st = story_index_place(stories, id, text, text_len, &place, err);
        free(text);
        if (st != NEWS_OK) break;
        sqlite3_bind_int64(set, 1, id);
        story_place_bind(&place, set, 2, 3);
        rc = sqlite3_step(set);
        sqlite3_reset(set);
        if (rc != SQLITE_DONE) {
            st = news_error_set(err, NEWS_ERR_SQL, "%s (%s)", sqlite3_errmsg(a->db), a->path);
            break;
        }
        st = story_index_add(stories, id, &place, err);
    }
    if (st == NEWS_OK && rc != SQLITE_DONE)
        st = news_error_set(err, NEWS_ERR_SQL, "%s (%s)", sqlite3_errmsg(a->db), a->path);
    /* Built once the column is filled: cheaper than keeping it up to date row by row. */
    if (st == NEWS_OK) st = archive_exec(a, "CREATE INDEX article_story ON article(story)", err);
done:
    sqlite3_finalize(next);
    sqlite3_finalize(set);
    story_index_close(stories);
    return st;
}

/* news_identity(captured_url, source_id, source, file, url): identity_of() in SQL, for the
 * upgrade to version 6 only. */
static void sql_identity(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const char *v[5];
    for (int i = 0; i < 5; i++)
        v[i] = (const char *)sqlite3_value_text(argv[i]);
    struct identity_input in = {v[0], v[1], v[2], v[3], v[4]};
    struct identity id = identity_of(&in);
    if (id.kind == IDENTITY_NONE)
        sqlite3_result_null(ctx);
    else
        sqlite3_result_int64(ctx, id.key);
}

static enum news_status identify_stored_articles(struct archive *a, struct news_error *err)
{
    /* What news-index knows of a record when it loads it, as far as the archive kept it: a
     * page from a web archive has its crawl date in meta, and its file is the path of its
     * first provenance record. The index is built once the column is filled. */
    static const char fill_sql[] =
        "UPDATE article SET identity = news_identity("
        " CASE WHEN json_valid(meta) AND json_extract(meta, '$.crawled') IS NOT NULL THEN url END,"
        " source_id, source,"
        " (SELECT path FROM provenance p WHERE p.article_id = article.id ORDER BY p.id LIMIT 1),"
        " url);"
        "CREATE INDEX article_identity ON article(identity) WHERE identity IS NOT NULL;"
        "CREATE INDEX article_version_of ON article(version_of) WHERE version_of IS NOT NULL;"
        "CREATE INDEX article_superseded ON article(superseded_by)"
        " WHERE superseded_by IS NOT NULL;";
    if (sqlite3_create_function(a->db, "news_identity", 5, SQLITE_UTF8, NULL, sql_identity, NULL,
                                NULL) != SQLITE_OK)
        return news_error_set(err, NEWS_ERR_SQL, "cannot register news_identity(): %s (%s)",
                              sqlite3_errmsg(a->db), a->path);
    enum news_status st = archive_exec(a, fill_sql, err);
    /* Gone again: the function is for this upgrade, not for the connection's users. */
    sqlite3_create_function(a->db, "news_identity", 5, SQLITE_UTF8, NULL, NULL, NULL, NULL);
    return st;
}

static void progress(struct archive *a, const char *stage, uint64_t done, uint64_t total)
{
    if (a->rep && a->rep->progress) a->rep->progress(a->rep->ctx, stage, done, total);
}

/* Adds to the temporary table of insert_sql the ids of the rows of sql (id, title, text_z)
 * whose title is what news-index makes from the text when a record has none (title.h),
 * telling a->rep about them as stage (total rows, 0 when unknown). Only the start of each
 * text is read. A text that does not read is passed over: its title stays a title. */
static enum news_status find_derived_titles(struct archive *a, const char *sql,
                                            const char *insert_sql, const char *stage,
                                            uint64_t total, struct news_error *err)
{
    sqlite3_stmt *st = NULL, *insert = NULL;
    struct codec_dicts *dicts = codec_dicts_new();
    uint64_t done = 0;
    int rc = sqlite3_prepare_v2(a->db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_prepare_v2(a->db, insert_sql, -1, &insert, NULL);
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        rc = SQLITE_OK;
        if (done++ % 1024 == 0) progress(a, stage, done - 1, total);
        const char *title = (const char *)sqlite3_column_text(st, 1);
        size_t title_len = (size_t)sqlite3_column_bytes(st, 1);
        if (!title || title_len == 0 || title_len > TITLE_FROM_TEXT_BYTES) continue;
        char *head = NULL;
        size_t head_len = 0;
        struct news_error why;
        if (codec_dicts_read(dicts, a->db, sqlite3_column_blob(st, 2),
                             (size_t)sqlite3_column_bytes(st, 2), TITLE_FROM_TEXT_BYTES + 1, &head,
                             &head_len, &why) != NEWS_OK)
            continue;
        if (title_is_from_text(title, title_len, head, head_len)) {
            sqlite3_bind_int64(insert, 1, sqlite3_column_int64(st, 0));
            rc = sqlite3_step(insert) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
            sqlite3_reset(insert);
        }
        free(head);
    }
    enum news_status status = NEWS_OK;
    if (rc == SQLITE_DONE)
        progress(a, stage, done, total);
    else
        status = news_error_set(err, NEWS_ERR_SQL, "%s (%s)", sqlite3_errmsg(a->db), a->path);
    sqlite3_finalize(st);
    sqlite3_finalize(insert);
    codec_dicts_free(dicts);
    return status;
}

/* SQLite's progress handler while the titles found are indexed anew. */
static int on_reindex_progress(void *ctx)
{
    progress(ctx, "indexing them as no title", 0, 0);
    return 0;
}

static enum news_status mark_derived_titles(struct archive *a, struct news_error *err)
{
    /* The ids found are gathered first. The index entries are then deleted with the title
     * version 6 indexed, read through the view before the mark changes what it gives, and
     * made again with none: a statement each over all the articles, in id order, which
     * FTS5 takes in about a third of the time one article after another takes. A replaced
     * version keeps its mark for news-index --restore. */
    static const char reindex_sql[] =
        "INSERT INTO article_fts(article_fts, rowid, title, body)"
        " SELECT 'delete', id, title, body FROM article_doc"
        " WHERE id IN (SELECT id FROM temp.derived_article);"
        "UPDATE article SET title_derived = 1 WHERE id IN (SELECT id FROM temp.derived_article);"
        "INSERT INTO article_fts(rowid, title, body) SELECT id, title, body FROM article_doc"
        " WHERE id IN (SELECT id FROM temp.derived_article);"
        "UPDATE article_history SET fields = json_set(fields, '$.title_derived', 1)"
        " WHERE id IN (SELECT id FROM temp.derived_history);"
        "DROP TABLE temp.derived_article; DROP TABLE temp.derived_history;";
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(a->db, "SELECT count(*) FROM article", -1, &st, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_step(st);
    uint64_t total = rc == SQLITE_ROW ? (uint64_t)sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW)
        return news_error_set(err, NEWS_ERR_SQL, "%s (%s)", sqlite3_errmsg(a->db), a->path);
    enum news_status status = archive_exec(a,
                                           "CREATE TEMP TABLE derived_article (id INTEGER PRIMARY"
                                           " KEY); CREATE TEMP TABLE derived_history (id INTEGER"
                                           " PRIMARY KEY);",
                                           err);
    if (status == NEWS_OK)
        status = find_derived_titles(
            a,
            "SELECT a.id, a.title, t.text_z FROM article a JOIN article_text t ON t.id = a.id"
            " ORDER BY a.id",
            "INSERT INTO temp.derived_article(id) VALUES (?1)", "finding titles made from the text",
            total, err);
    if (status == NEWS_OK)
        status =
            find_derived_titles(a,
                                "SELECT id, title, text_z FROM article_history"
                                " WHERE text_z IS NOT NULL AND json_valid(fields)",
                                "INSERT INTO temp.derived_history(id) VALUES (?1)",
                                "finding titles made from the text of replaced versions", 0, err);
    /* Every 100,000 virtual machine steps: a few times a second. */
    sqlite3_progress_handler(a->db, 100000, on_reindex_progress, a);
    if (status == NEWS_OK) status = archive_exec(a, reindex_sql, err);
    sqlite3_progress_handler(a->db, 0, NULL, NULL);
    return status;
}

/* Reads one integer PRAGMA; SQLITE_NOTADB here is how a non-database file shows itself. */
static int pragma_int(sqlite3 *db, const char *sql, int *value)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            *value = sqlite3_column_int(st, 0);
            rc = SQLITE_OK;
        }
    }
    sqlite3_finalize(st);
    return rc;
}

/* The directory path is in (a copy for dirname to change). */
static bool directory_writable(const char *path)
{
    char *copy = news_xstrdup(path);
    bool writable = access(dirname(copy), W_OK) == 0;
    free(copy);
    return writable;
}

/* An archive opened for writing that cannot be written: the file, or its directory. */
static enum news_status read_only(const struct archive *a, struct news_error *err)
{
    if (access(a->path, W_OK) == 0 && !directory_writable(a->path))
        return news_error_set(err, NEWS_ERR_READ_ONLY,
                              "cannot write to %s: its directory is not writable, and SQLite "
                              "keeps %s-wal and %s-shm beside the archive while writing",
                              a->path, a->path, a->path);
    return news_error_set(err, NEWS_ERR_READ_ONLY,
                          "%s is read-only: news-index cannot change it (check its "
                          "permissions; news-query can still search it)",
                          a->path);
}

/* Explains why an opened file cannot be read or written, after the first statement on it
 * failed with something other than "not a database". */
static enum news_status cannot_use(struct archive *a, enum archive_mode mode,
                                   struct news_error *err)
{
    int rc = sqlite3_extended_errcode(a->db);
    if (mode != ARCHIVE_READ && (rc & 0xff) == SQLITE_READONLY) return read_only(a, err);
    if ((rc & 0xff) == SQLITE_CANTOPEN && !directory_writable(a->path))
        return news_error_set(err, NEWS_ERR_ARCHIVE,
                              "cannot open %s: its directory is not writable, and SQLite keeps "
                              "%s-wal and %s-shm beside the archive while it is in use",
                              a->path, a->path, a->path);
    return news_error_set(err, NEWS_ERR_ARCHIVE, "cannot read %s: %s", a->path,
                          sqlite3_errmsg(a->db));
}

/* Checks the header of an opened file: ours, empty, or something else. Creates the schema
 * in an empty file when writing. */
static enum news_status check_or_create(struct archive *a, enum archive_mode mode,
                                        struct news_error *err)
{
    int app_id = 0, version = 0, objects = 0;
    int rc = pragma_int(a->db, "PRAGMA application_id", &app_id);
    if (rc == SQLITE_OK) rc = pragma_int(a->db, "PRAGMA user_version", &version);
    if (rc == SQLITE_OK) rc = pragma_int(a->db, "SELECT count(*) FROM sqlite_schema", &objects);
    if (rc == SQLITE_NOTADB)
        return news_error_set(err, NEWS_ERR_ARCHIVE,
                              "%s is not a news archive (not an SQLite database)", a->path);
    if (rc != SQLITE_OK) return cannot_use(a, mode, err);
    if (app_id == ARCHIVE_APPLICATION_ID) {
        if (version == ARCHIVE_SCHEMA_VERSION) return NEWS_OK;
        if (version >= 1 && version < ARCHIVE_SCHEMA_VERSION && mode != ARCHIVE_READ)
            return migrate(a, version, err);
        if (version >= 1 && version < ARCHIVE_SCHEMA_VERSION)
            return news_error_set(err, NEWS_ERR_ARCHIVE,
                                  "%s is a version %d archive, older than this program's %d; "
                                  "upgrade it with: news-index --upgrade %s",
                                  a->path, version, ARCHIVE_SCHEMA_VERSION, a->path);
        return news_error_set(err, NEWS_ERR_ARCHIVE,
                              "%s is a version %d archive; this program knows versions 1 to %d "
                              "(a newer news-index made it?)",
                              a->path, version, ARCHIVE_SCHEMA_VERSION);
    }
    if (app_id != 0 || objects != 0)
        return news_error_set(err, NEWS_ERR_ARCHIVE,
                              "%s is not a news archive (an SQLite database of something else)",
                              a->path);
    if (mode == ARCHIVE_READ)
        return news_error_set(err, NEWS_ERR_ARCHIVE, "%s is an empty file, not a news archive",
                              a->path);
    /* An empty file: give it the schema, all or nothing. Pages of 16 KiB, set before the
     * first table: rows of compressed text (1 to 3 KiB each) then fill pages with little
     * left over, which 4 KiB pages do not (measured: a fifth of the text table wasted). */
    enum news_status st = archive_exec(a, "PRAGMA page_size = 16384", err);
    if (st != NEWS_OK) return st;
    st = archive_exec(a, "BEGIN IMMEDIATE", err);
    if (st != NEWS_OK) return st;
    st = archive_exec(a, archive_schema_sql, err);
    if (st == NEWS_OK) st = archive_exec(a, "COMMIT", err);
    if (st != NEWS_OK) sqlite3_exec(a->db, "ROLLBACK", NULL, NULL, NULL);
    return st;
}

/* Opens a->db: read-only, or read-write and created if missing. immutable: read a file
 * that nothing writes to without the WAL's shared memory (see read_only_media). */
static enum news_status open_connection(struct archive *a, enum archive_mode mode, bool immutable,
                                        struct news_error *err)
{
    int flags =
        mode == ARCHIVE_READ ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    char *name = a->path;
    if (immutable) {
        /* file:PATH?immutable=1, the path percent-encoded but for what URIs allow. */
        size_t len = strlen(a->path);
        name = news_xmalloc(3 * len + 32);
        char *o = name + sprintf(name, "file:");
        for (const unsigned char *p = (const unsigned char *)a->path; *p; p++) {
            if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
                strchr("/._-~", *p))
                *o++ = (char)*p;
            else
                o += sprintf(o, "%%%02X", *p);
        }
        strcpy(o, "?immutable=1");
        flags |= SQLITE_OPEN_URI;
    }
    int rc = sqlite3_open_v2(name, &a->db, flags, NULL);
    if (name != a->path) free(name);
    if (rc != SQLITE_OK)
        return news_error_set(err, NEWS_ERR_ARCHIVE, "cannot open archive %s: %s", a->path,
                              a->db ? sqlite3_errmsg(a->db) : "out of memory");
    return NEWS_OK;
}

/* A WAL archive on a read-only medium (a disc, a read-only mount or share, a directory
 * the reader may not write to) cannot be read the usual way: readers share an index in
 * PATH-shm, which cannot be created there. When there is no PATH-wal either, no writer
 * is at work (a writer's connection keeps one), and the file can be read as immutable. */
static bool read_only_media(const struct archive *a)
{
    int rc = sqlite3_extended_errcode(a->db);
    if ((rc & 0xff) != SQLITE_READONLY && (rc & 0xff) != SQLITE_CANTOPEN) return false;
    size_t len = strlen(a->path) + 5;
    char *wal = news_xmalloc(len);
    snprintf(wal, len, "%s-wal", a->path);
    struct stat sb;
    bool no_writer = stat(wal, &sb) != 0 && errno == ENOENT;
    free(wal);
    return no_writer;
}

/* One news-index at a time may write to an archive: two would each decide, from what the
 * archive held when they looked, that the same new article is theirs to add. The lock is
 * flock() on the file, which the kernel drops when the process ends however it ends; it is
 * independent of SQLite's own (fcntl) locks, which readers keep using. */
static enum news_status take_writer_lock(struct archive *a, bool wait, struct news_error *err)
{
    a->lock_fd = open(a->path, O_RDONLY | O_CLOEXEC);
    if (a->lock_fd < 0)
        return news_error_set(err, NEWS_ERR_ARCHIVE, "cannot open archive %s: %s", a->path,
                              strerror(errno));
    int rc;
    while ((rc = flock(a->lock_fd, wait ? LOCK_EX : LOCK_EX | LOCK_NB)) != 0 && errno == EINTR &&
           wait) {
    }
    if (rc == 0) return NEWS_OK;
    if (errno == EWOULDBLOCK)
        return news_error_set(err, NEWS_ERR_BUSY,
                              "%s is in use by another news-index (loading, checking or "
                              "upgrading it); try again when it has finished, or use --wait",
                              a->path);
    return news_error_set(err, NEWS_ERR_ARCHIVE, "cannot lock archive %s: %s", a->path,
                          strerror(errno));
}

enum news_status archive_open(const char *path, enum archive_mode mode, struct archive **out,
                              struct news_error *err)
{
    return archive_open_reporting(path, mode, NULL, out, err);
}

enum news_status archive_open_reporting(const char *path, enum archive_mode mode,
                                        const struct archive_reporter *rep, struct archive **out,
                                        struct news_error *err)
{
    struct stat sb;
    if (stat(path, &sb) != 0) {
        if (mode == ARCHIVE_READ || errno != ENOENT)
            return news_error_set(err, NEWS_ERR_ARCHIVE, "cannot open archive %s: %s", path,
                                  strerror(errno));
    } else if (S_ISDIR(sb.st_mode)) {
        return news_error_set(err, NEWS_ERR_ARCHIVE, "%s is a directory, not a news archive", path);
    }

    struct archive *a = news_xmalloc(sizeof *a);
    a->db = NULL;
    a->path = news_xstrdup(path);
    a->lock_fd = -1;
    a->rep = rep;
    enum news_status st = open_connection(a, mode, false, err);
    if (st == NEWS_OK && mode == ARCHIVE_READ &&
        sqlite3_exec(a->db, "SELECT 1 FROM sqlite_schema", NULL, NULL, NULL) != SQLITE_OK &&
        read_only_media(a)) {
        sqlite3_close(a->db);
        a->db = NULL;
        st = open_connection(a, mode, true, err);
    }
    if (st != NEWS_OK) goto done;
    if (mode != ARCHIVE_READ && sqlite3_db_readonly(a->db, "main") == 1) {
        st = read_only(a, err);
        goto done;
    }
    if (mode != ARCHIVE_READ) st = take_writer_lock(a, mode == ARCHIVE_WRITE_WAIT, err);
    if (st != NEWS_OK) goto done;
    sqlite3_extended_result_codes(a->db, 1);
    sqlite3_busy_timeout(a->db, 10000);
    if (codec_register(a->db) != SQLITE_OK) {
        st = news_error_set(err, NEWS_ERR_SQL, "cannot register news_text() on %s: %s", path,
                            sqlite3_errmsg(a->db));
        goto done;
    }
    if (rank_register(a->db) != SQLITE_OK) {
        st = news_error_set(err, NEWS_ERR_SQL,
                            "cannot register news_rank() and news_snippet() on %s"
                            " (is SQLite built with FTS5?)",
                            path);
        goto done;
    }
    st = check_or_create(a, mode, err);
    a->rep = NULL;
    if (st != NEWS_OK) goto done;
    if (mode != ARCHIVE_READ) {
        /* WAL keeps readers working during an ingest; with synchronous=NORMAL a crash may
         * lose the last transaction but never corrupts the file. A 256 MiB page cache
         * holds more of the indexes that new articles land at random places in (content
         * hashes, provenance, fingerprints): loading 1,000,000 articles took 417 s
         * instead of 458 s with 64 MiB, peaking at 454 MB instead of 270 MB. */
        st = archive_exec(a,
                          "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                          "PRAGMA cache_size=-262144; PRAGMA foreign_keys=ON;",
                          err);
    } else {
        /* Readers map up to 256 MiB of the file rather than copying each page they read
         * (a search on 200,000 articles reading 2,600 pages: 0.29 s to 0.15 s); the bound
         * keeps a long export's memory from growing with the pages it touches. */
        /* One read transaction for as long as the archive is open: every statement of a
         * search (the count, the page, the snippets, the export) sees the same archive,
         * even while news-index commits more. */
        st = archive_exec(a,
                          "PRAGMA query_only=1; PRAGMA cache_size=-65536;"
                          "PRAGMA mmap_size=268435456; BEGIN;",
                          err);
    }
done:
    if (st != NEWS_OK) {
        archive_close(a);
        return st;
    }
    *out = a;
    return NEWS_OK;
}

void archive_close(struct archive *a)
{
    if (!a) return;
    sqlite3_close(a->db);
    /* Only now: closing any descriptor of the file drops the process's fcntl locks on it,
     * SQLite's included. */
    if (a->lock_fd >= 0) close(a->lock_fd);
    free(a->path);
    free(a);
}
