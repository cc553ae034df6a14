/* test_archive.c: archives are created, recognised, and everything else is refused with a
 * message that names the file. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "archive.h"
#include "check.h"
#include "codec.h"
#include "identity.h"
#include "simhash.h"
#include "story.h"
#include "title.h"

static char dir[] = "/tmp/test_archive.XXXXXX";

/* Returns a path in the test directory; the strings live until the test ends. */
static const char *path_in_dir(const char *name)
{
    static char paths[8][256];
    static int next;
    char *path = paths[next++ % 8];
    snprintf(path, sizeof paths[0], "%s/%s", dir, name);
    return path;
}

static void write_file(const char *path, const char *content, size_t len)
{
    FILE *f = fopen(path, "wb");
    fwrite(content, 1, len, f);
    fclose(f);
}

/* Stores article id with a fingerprint and story, and records its blocks. */
static void add_fingerprinted(struct archive *a, struct story_index *s, int64_t id,
                              uint64_t fingerprint, int64_t story)
{
    sqlite3_stmt *st;
    struct news_error err;
    CHECK_INT(sqlite3_prepare_v2(archive_db(a),
                                 "INSERT INTO article(id, title, text_bytes, content_hash,"
                                 " simhash, story) VALUES (?1, 't', 0, randomblob(16), ?2, ?3)",
                                 -1, &st, NULL),
              SQLITE_OK);
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)fingerprint);
    sqlite3_bind_int64(st, 3, story);
    CHECK_INT(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
    struct story_place place = {true, fingerprint, story};
    CHECK_INT(story_index_add(s, id, &place, &err), NEWS_OK);
}

/* The story a fingerprint would join (0: none). */
static int64_t story_of(struct story_index *s, uint64_t fingerprint)
{
    struct news_error err;
    int64_t story = -1;
    CHECK_INT(story_index_find(s, fingerprint, &story, &err), NEWS_OK);
    return story;
}

/* Copies are found within 3 bits wherever the bits differ, not at 4, and a text close to
 * two stories joins the older. */
static void test_story_index(void)
{
    const char *path = path_in_dir("stories.db");
    struct archive *a = NULL;
    struct news_error err;
    struct story_index *s = NULL;
    CHECK_INT(archive_open(path, ARCHIVE_WRITE, &a, &err), NEWS_OK);
    if (!a) return;
    CHECK_INT(story_index_open(a, &s, &err), NEWS_OK);
    if (s) {
        const uint64_t base = UINT64_C(0x0123456789ABCDEF);
        /* One bit flipped in each of three blocks: only block 3 still matches. */
        const uint64_t three = (uint64_t)1 << 0 | (uint64_t)1 << 20 | (uint64_t)1 << 40;
        CHECK_INT(story_of(s, base), 0);
        add_fingerprinted(a, s, 5, base, 5);
        CHECK_INT(story_of(s, base), 5);
        CHECK_INT(story_of(s, base ^ three), 5);
        CHECK_INT(story_of(s, base ^ three ^ (uint64_t)1 << 63), 0); /* 4 bits, all blocks */
        CHECK_INT(story_of(s, ~base), 0);
        /* Story 2 is 6 bits from story 5: two stories. A text 3 bits from each joins the
         * lower story id, whichever article is found first. */
        const uint64_t other = base ^ ((uint64_t)0x3F << 48);
        add_fingerprinted(a, s, 12, other, 2);
        CHECK_INT(story_of(s, other), 2);
        CHECK_INT(story_of(s, base ^ ((uint64_t)0x7 << 48)), 2);
        CHECK_INT(story_of(s, base ^ ((uint64_t)0x3 << 48)), 5); /* 2 bits from 5, 4 from 2 */
        story_index_close(s);
    }
    archive_close(a);
}

static enum news_status open_and_close(const char *path, enum archive_mode mode,
                                       struct news_error *err)
{
    struct archive *a = NULL;
    enum news_status st = archive_open(path, mode, &a, err);
    CHECK(st == NEWS_OK ? a != NULL : a == NULL);
    archive_close(a);
    return st;
}

/* Writes `words` words of a text made from seed into buf (which must hold words * 12
 * bytes). The same seed gives the same words. */
static void make_text(char *buf, int words, unsigned seed)
{
    static const char *const vocab[] = {"grain", "exports", "rose",     "after",  "the",
                                        "port",  "opened",  "talks",    "on",     "wheat",
                                        "deal",  "said",    "minister", "prices", "fell",
                                        "ships", "sailed",  "from",     "odesa",  "week"};
    buf[0] = '\0';
    for (int i = 0; i < words; i++) {
        seed = seed * 1103515245u + 12345u;
        strcat(buf, vocab[(seed >> 16) % 20]);
        strcat(buf, " ");
    }
}

/* Stores an article with text as a version 2 archive would have it. */
static void add_v2_article(sqlite3 *db, int64_t id, const char *text)
{
    unsigned char *blob = NULL;
    size_t blob_len = 0;
    struct news_error err;
    CHECK_INT(codec_compress(NULL, NULL, text, strlen(text), &blob, &blob_len, &err), NEWS_OK);
    sqlite3_stmt *st;
    CHECK_INT(sqlite3_prepare_v2(db,
                                 "INSERT INTO article(id, title, text_bytes, text_z, content_hash)"
                                 " VALUES (?1, 't', ?2, ?3, randomblob(16))",
                                 -1, &st, NULL),
              SQLITE_OK);
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)strlen(text));
    sqlite3_bind_blob(st, 3, blob, (int)blob_len, SQLITE_STATIC);
    CHECK_INT(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
    free(blob);
}

/* Reads one integer (NULL as -1) from the first row of sql. */
static int64_t query_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st;
    int64_t v = -2;
    CHECK_INT(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_type(st, 0) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* A version 2 archive is upgraded to 3 with its stored articles fingerprinted and grouped
 * in id order, as news-index would have grouped them, and on to the current version. */
static void test_upgrade_groups_copies(void)
{
    struct news_error err;
    const char *path = path_in_dir("v2.db");
    sqlite3 *db;
    sqlite3_open(path, &db);
    /* What upgrading to version 3 reads of a version 2 archive. */
    CHECK_INT(sqlite3_exec(db,
                           "PRAGMA application_id = 1313167187; PRAGMA user_version = 2;"
                           "CREATE TABLE article(id INTEGER PRIMARY KEY, title TEXT, date TEXT,"
                           " source TEXT, url TEXT, source_id TEXT, text_bytes INTEGER,"
                           " text_z BLOB, content_hash BLOB, lang TEXT, meta TEXT);"
                           "CREATE VIRTUAL TABLE article_fts USING fts5(title, body,"
                           " content = 'article_doc', content_rowid = 'id');"
                           "CREATE TABLE provenance(id INTEGER PRIMARY KEY, article_id INTEGER,"
                           " path TEXT);",
                           NULL, NULL, NULL),
              SQLITE_OK);
    static char story[300 * 12], lead[200 * 12], reprint[200 * 12 + 32], other[300 * 12],
        brief[20 * 12];
    make_text(story, 300, 1);
    make_text(lead, 200, 1); /* cut short, with a byline: a reprint */
    snprintf(reprint, sizeof reprint, "By Anna Berg\n%s", lead);
    make_text(other, 300, 2);
    make_text(brief, 20, 1);
    add_v2_article(db, 1, story);
    add_v2_article(db, 2, other);
    add_v2_article(db, 3, reprint);
    add_v2_article(db, 4, brief);
    sqlite3_close(db);

    CHECK_INT(open_and_close(path, ARCHIVE_READ, &err), NEWS_ERR_ARCHIVE);
    CHECK(strstr(err.msg, "news-index --upgrade") != NULL);
    CHECK_INT(open_and_close(path, ARCHIVE_WRITE, &err), NEWS_OK);
    sqlite3_open(path, &db);
    CHECK_INT(query_int(db, "PRAGMA user_version"), ARCHIVE_SCHEMA_VERSION);
    /* Version 4 moved the text to a table of its own, blobs unchanged. */
    CHECK_INT(query_int(db, "SELECT count(*) FROM article_text"), 4);
    CHECK_INT(query_int(db, "SELECT count(*) FROM pragma_table_info('article')"
                            " WHERE name = 'text_z'"),
              0);
    CHECK_INT(query_int(db, "SELECT count(*) FROM article_text t JOIN article a ON a.id = t.id"
                            " WHERE length(t.text_z) > 5"),
              4);
    CHECK_INT(query_int(db, "SELECT story FROM article WHERE id = 1"), 1);
    CHECK_INT(query_int(db, "SELECT story FROM article WHERE id = 2"), 2);
    CHECK_INT(query_int(db, "SELECT story FROM article WHERE id = 3"), 1); /* the reprint */
    CHECK_INT(query_int(db, "SELECT story FROM article WHERE id = 4"), 4);
    CHECK_INT(query_int(db, "SELECT simhash FROM article WHERE id = 4"), -1); /* too short */
    uint64_t f = 0;
    CHECK(simhash_text(story, strlen(story), &f));
    CHECK_INT(query_int(db, "SELECT simhash FROM article WHERE id = 1"), (int64_t)f);
    CHECK_INT(query_int(db, "SELECT count(*) FROM simhash_block"), 3 * SIMHASH_BLOCKS);
    CHECK_INT(query_int(db, "SELECT count(*) FROM simhash_block WHERE article_id = 4"), 0);
    CHECK_INT(query_int(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'article_story'"), 1);
    /* Version 5: no foreign key on the blocks (a delete would scan them), history table. */
    CHECK_INT(query_int(db, "SELECT count(*) FROM pragma_foreign_key_list('simhash_block')"), 0);
    CHECK_INT(query_int(db, "SELECT count(*) FROM article_history"), 0);
    sqlite3_close(db);
}

/* Turns a current archive back into version 6: no mark on titles made from the text, and
 * a view that gives every title to the index. */
static void to_version_6(sqlite3 *db)
{
    CHECK_INT(sqlite3_exec(db,
                           "DROP VIEW article_doc;"
                           "CREATE VIEW article_doc (id, title, body) AS"
                           " SELECT a.id, a.title, CAST(news_text(t.text_z) AS TEXT)"
                           " FROM article AS a JOIN article_text AS t ON t.id = a.id;"
                           "ALTER TABLE article DROP COLUMN title_derived;"
                           "PRAGMA user_version = 6;",
                           NULL, NULL, NULL),
              SQLITE_OK);
}

/* The identity upgrading to version 6 gives article id, as identity_of() would. */
static void check_identity(sqlite3 *db, int id, const struct identity_input *in)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT coalesce(identity, 0) FROM article WHERE id = %d", id);
    CHECK_INT(query_int(db, sql), identity_of(in).key);
}

/* A version 5 archive is upgraded to 6: each article gets the identity news-index would
 * give its record (a page from a web archive is a capture; an own id without a source is
 * scoped by the file it came from), and a page without a date its capture date. */
static void test_upgrade_identifies(void)
{
    struct news_error err;
    const char *path = path_in_dir("v5.db");
    CHECK_INT(open_and_close(path, ARCHIVE_WRITE, &err), NEWS_OK);
    sqlite3 *db;
    sqlite3_open(path, &db);
    to_version_6(db);
    /* Back to version 5's article and history tables. */
    CHECK_INT(sqlite3_exec(db,
                           "DROP INDEX article_identity; DROP INDEX article_version_of;"
                           "DROP INDEX article_superseded;"
                           "ALTER TABLE article DROP COLUMN identity;"
                           "ALTER TABLE article DROP COLUMN version_of;"
                           "ALTER TABLE article DROP COLUMN superseded_by;"
                           "ALTER TABLE article DROP COLUMN date_kind;"
                           "DROP TABLE article_history;"
                           "CREATE TABLE article_history (id INTEGER PRIMARY KEY,"
                           " article_id INTEGER NOT NULL, event TEXT NOT NULL, run_id INTEGER"
                           " NOT NULL, content_hash BLOB NOT NULL, title TEXT,"
                           " provenance TEXT NOT NULL);"
                           "CREATE INDEX article_url ON article(url) WHERE url IS NOT NULL;"
                           "PRAGMA user_version = 5;"
                           "INSERT INTO run(id, started_at, command) VALUES (1, 'now', 'x');"
                           "INSERT INTO article(id, title, text_bytes, content_hash, url, meta)"
                           " VALUES (1, 'page', 0, randomblob(16), 'http://a.example/',"
                           " '{\"crawled\":\"2012-01-18T10:00:00Z\"}');"
                           "INSERT INTO article(id, title, text_bytes, content_hash, source_id)"
                           " VALUES (2, 'numbered', 0, randomblob(16), '7');"
                           "INSERT INTO article(id, title, text_bytes, content_hash, source_id,"
                           " source, url, date) VALUES (3, 'sourced', 0, randomblob(16), '7',"
                           " 'Wire', 'http://b.example/', '2020-01-01');"
                           "INSERT INTO article(id, title, text_bytes, content_hash)"
                           " VALUES (4, 'nothing', 0, randomblob(16));"
                           "INSERT INTO provenance(article_id, run_id, path, record, offset,"
                           " raw_hash) VALUES (2, 1, '/data/a.jsonl', 1, 0, randomblob(16));",
                           NULL, NULL, NULL),
              SQLITE_OK);
    sqlite3_close(db);
    CHECK_INT(open_and_close(path, ARCHIVE_WRITE, &err), NEWS_OK);
    sqlite3_open(path, &db);
    CHECK_INT(query_int(db, "PRAGMA user_version"), ARCHIVE_SCHEMA_VERSION);
    check_identity(db, 1, &(struct identity_input){.captured_url = "http://a.example/"});
    check_identity(db, 2, &(struct identity_input){.source_id = "7", .file = "/data/a.jsonl"});
    check_identity(db, 3, &(struct identity_input){.source_id = "7", .source = "Wire"});
    CHECK_INT(query_int(db, "SELECT count(*) FROM article WHERE id = 4 AND identity IS NULL"), 1);
    CHECK_INT(query_int(db, "SELECT count(*) FROM article WHERE id = 1"
                            " AND date = '2012-01-18T10:00:00Z' AND date_kind = 'captured'"),
              1);
    CHECK_INT(query_int(db, "SELECT count(*) FROM article WHERE id = 3"
                            " AND date = '2020-01-01' AND date_kind IS NULL"),
              1);
    CHECK_INT(query_int(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'article_url'"), 0);
    CHECK_INT(query_int(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'article_identity'"),
              1);
    sqlite3_close(db);
}

/* Stores article id of a version 6 archive, its text compressed (with dict when not NULL)
 * and indexed as version 6 indexed every article: title and text. */
static void add_v6_article(sqlite3 *db, int64_t id, const char *title, const char *text,
                           const struct codec_dict *dict)
{
    unsigned char *blob = NULL;
    size_t blob_len = 0;
    struct news_error err;
    CHECK_INT(codec_compress(NULL, dict, text, strlen(text), &blob, &blob_len, &err), NEWS_OK);
    static const char *const sql[] = {
        "INSERT INTO article(id, title, text_bytes, content_hash) VALUES (?1, ?2, 0,"
        " randomblob(16))",
        "INSERT INTO article_text(id, text_z) VALUES (?1, ?4)",
        "INSERT INTO article_fts(rowid, title, body) VALUES (?1, ?2, ?3)",
    };
    for (size_t i = 0; i < sizeof sql / sizeof *sql; i++) {
        sqlite3_stmt *st;
        CHECK_INT(sqlite3_prepare_v2(db, sql[i], -1, &st, NULL), SQLITE_OK);
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_text(st, 2, title, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, text, -1, SQLITE_STATIC);
        sqlite3_bind_blob(st, 4, blob, (int)blob_len, SQLITE_STATIC);
        CHECK_INT(sqlite3_step(st), SQLITE_DONE);
        sqlite3_finalize(st);
    }
    free(blob);
}

/* What an upgrade said of its stages: the last call of the first. */
struct upgrade_progress {
    const char *first_stage;
    uint64_t done, total, calls;
};

static void on_upgrade_progress(void *ctx, const char *stage, uint64_t done, uint64_t total)
{
    struct upgrade_progress *p = ctx;
    if (!p->first_stage) p->first_stage = stage;
    if (stage == p->first_stage) p->done = done, p->total = total;
    p->calls++;
}

/* Articles of id 1 to 5 (1 and 3 titled from their text) in a version 6 archive, which
 * indexed every title; and a replaced version of article 2 whose title is its text's. */
static void make_v6_titles(const char *path, const char *long_line)
{
    struct news_error err;
    CHECK_INT(open_and_close(path, ARCHIVE_WRITE, &err), NEWS_OK);
    sqlite3 *db;
    sqlite3_open(path, &db);
    to_version_6(db);
    static struct codec_dict dict = {.id = 1, .len = 11, .bytes = "harbour pay"};
    CHECK_INT(sqlite3_exec(db,
                           "INSERT INTO dictionary(id, created_at, articles, sample_bytes, bytes)"
                           " VALUES (1, 'now', 1, 11, CAST('harbour pay' AS BLOB));"
                           "INSERT INTO run(id, started_at, command) VALUES (1, 'now', 'x');",
                           NULL, NULL, NULL),
              SQLITE_OK);
    add_v6_article(db, 1, "Grain exports rose", "Grain exports rose\n\nThe port opened.", NULL);
    add_v6_article(db, 2, "Beauty", "Beauty versus the world", NULL);
    char title[TITLE_FROM_TEXT_BYTES + 1] = {0}, text[400];
    memcpy(title, long_line, title_from_line(long_line, strlen(long_line)));
    snprintf(text, sizeof text, "%s\n\nNothing else.", long_line);
    add_v6_article(db, 3, title, text, &dict);
    add_v6_article(db, 4, "Wheat harvest begins", "Farmers began to cut the wheat.", NULL);
    /* Its text does not read: the title stays a title. */
    add_v6_article(db, 5, "Broken", "Broken", NULL);
    CHECK_INT(sqlite3_exec(db,
                           "UPDATE article_text SET text_z = x'0102030405' WHERE id = 5;"
                           "INSERT INTO article_history(article_id, event, run_id, content_hash,"
                           " title, provenance, fields, text_z) SELECT 2, 'replaced', 1,"
                           " randomblob(16), 'Grain exports rose', '[]', '{\"lang\":null}',"
                           " text_z FROM article_text WHERE id = 1;",
                           NULL, NULL, NULL),
              SQLITE_OK);
    sqlite3_close(db);
}

/* Ids the index returns for an FTS5 query, as a number: one decimal digit per id. */
static int64_t fts_ids(sqlite3 *db, const char *match)
{
    char sql[200];
    snprintf(sql, sizeof sql,
             "SELECT coalesce(group_concat(rowid, ''), 0) FROM (SELECT rowid FROM article_fts"
             " WHERE article_fts MATCH '%s' ORDER BY rowid)",
             match);
    return query_int(db, sql);
}

/* A version 6 archive is upgraded to 7: the titles news-index made from the text, and only
 * those, are marked, and indexed again as no title; the index stays whole. */
static void test_upgrade_marks_titles_from_text(void)
{
    const char *path = path_in_dir("v6.db");
    const char *long_line = "Harbour dues rose again this year as the port authority said the "
                            "costs of dredging the channel and repairing the quays had doubled "
                            "since the storms";
    make_v6_titles(path, long_line);
    struct news_error err;
    struct upgrade_progress seen = {NULL, 0, 0, 0};
    struct archive_reporter rep = {on_upgrade_progress, &seen};
    struct archive *a = NULL;
    CHECK_INT(archive_open_reporting(path, ARCHIVE_WRITE, &rep, &a, &err), NEWS_OK);
    CHECK(seen.first_stage != NULL && seen.calls >= 2);
    CHECK_INT(seen.done, 5);
    CHECK_INT(seen.total, 5);
    if (!a) return;
    sqlite3 *db = archive_db(a);
    CHECK_INT(query_int(db, "PRAGMA user_version"), 7);
    CHECK_INT(query_int(db, "SELECT group_concat(title_derived, '') FROM"
                            " (SELECT title_derived FROM article ORDER BY id)"),
              10100);
    CHECK_INT(query_int(db, "SELECT json_extract(fields, '$.title_derived') FROM article_history"),
              1);
    CHECK_INT(fts_ids(db, "title:grain"), 0);
    CHECK_INT(fts_ids(db, "grain"), 1);
    CHECK_INT(fts_ids(db, "title:harbour"), 0);
    CHECK_INT(fts_ids(db, "harbour"), 3);
    CHECK_INT(fts_ids(db, "title:beauty"), 2);
    CHECK_INT(fts_ids(db, "title:wheat"), 4);
    CHECK_INT(fts_ids(db, "title:broken"), 5);
    /* The index is what the view gives, once the unreadable text is gone. */
    CHECK_INT(
        archive_exec(a,
                     "INSERT INTO article_fts(article_fts, rowid, title, body)"
                     " VALUES ('delete', 5, 'Broken', 'Broken');"
                     "DELETE FROM article_text WHERE id = 5; DELETE FROM article WHERE id = 5;"
                     "INSERT INTO article_fts(article_fts, rank) VALUES ('integrity-check', 1);",
                     &err),
        NEWS_OK);
    archive_close(a);
    /* Nothing to upgrade: nothing reported. */
    seen.calls = 0;
    CHECK_INT(archive_open_reporting(path, ARCHIVE_WRITE, &rep, &a, &err), NEWS_OK);
    CHECK_INT(seen.calls, 0);
    archive_close(a);
}

/* A version 1 archive is upgraded when opened for writing, and refused for reading
 * with the command that upgrades it. */
static void test_upgrade_from_version_1(void)
{
    struct news_error err;
    sqlite3 *db;
    const char *old = path_in_dir("v1.db");
    sqlite3_open(old, &db);
    sqlite3_exec(db,
                 "PRAGMA application_id = 1313167187; PRAGMA user_version = 1;"
                 "CREATE TABLE article(id INTEGER PRIMARY KEY, title TEXT, date TEXT,"
                 " source TEXT, url TEXT, source_id TEXT, text_z BLOB);"
                 "CREATE VIRTUAL TABLE article_fts USING fts5(title, body,"
                 " content = 'article_doc', content_rowid = 'id');"
                 "CREATE TABLE provenance(id INTEGER PRIMARY KEY, article_id INTEGER, path TEXT);",
                 NULL, NULL, NULL);
    sqlite3_close(db);
    CHECK_INT(open_and_close(old, ARCHIVE_READ, &err), NEWS_ERR_ARCHIVE);
    CHECK(strstr(err.msg, "news-index --upgrade") != NULL);
    CHECK_INT(open_and_close(old, ARCHIVE_WRITE, &err), NEWS_OK);
    CHECK_INT(open_and_close(old, ARCHIVE_READ, &err), NEWS_OK);
    sqlite3_open(old, &db);
    CHECK_INT(sqlite3_exec(db, "SELECT lang, meta FROM article", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

/* What is not an archive of this version is refused, with a message that says why; path
 * is an archive. */
static void test_refusals(const char *path)
{
    struct news_error err;
    /* A text file is not an archive, for reading or writing, and is left alone. */
    const char *text = path_in_dir("notes.txt");
    write_file(text, "just some notes, not a database\n", 32);
    CHECK_INT(open_and_close(text, ARCHIVE_READ, &err), NEWS_ERR_ARCHIVE);
    CHECK(strstr(err.msg, "not a news archive") != NULL);
    CHECK_INT(open_and_close(text, ARCHIVE_WRITE, &err), NEWS_ERR_ARCHIVE);

    /* Another program's database is refused too. */
    const char *other = path_in_dir("other.db");
    sqlite3 *db;
    sqlite3_open(other, &db);
    sqlite3_exec(db, "CREATE TABLE t(x)", NULL, NULL, NULL);
    sqlite3_close(db);
    CHECK_INT(open_and_close(other, ARCHIVE_WRITE, &err), NEWS_ERR_ARCHIVE);
    CHECK(strstr(err.msg, "something else") != NULL);

    /* A newer schema version is refused with the versions named. */
    sqlite3_open(path, &db);
    sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL);
    sqlite3_close(db);
    CHECK_INT(open_and_close(path, ARCHIVE_READ, &err), NEWS_ERR_ARCHIVE);
    CHECK(strstr(err.msg, "version 99") != NULL);
}

int main(void)
{
    CHECK(mkdtemp(dir) != NULL);
    struct news_error err;

    /* Reading a missing archive fails and names it; writing creates it. */
    const char *path = path_in_dir("news.db");
    CHECK_INT(open_and_close(path, ARCHIVE_READ, &err), NEWS_ERR_ARCHIVE);
    CHECK(strstr(err.msg, path) != NULL);
    CHECK_INT(open_and_close(path, ARCHIVE_WRITE, &err), NEWS_OK);
    CHECK_INT(open_and_close(path, ARCHIVE_READ, &err), NEWS_OK);
    CHECK_INT(open_and_close(path, ARCHIVE_WRITE, &err), NEWS_OK); /* reopen, no re-create */

    /* One writer at a time; readers meanwhile see the archive. */
    struct archive *writer = NULL;
    CHECK_INT(archive_open(path, ARCHIVE_WRITE, &writer, &err), NEWS_OK);
    CHECK_INT(open_and_close(path, ARCHIVE_WRITE, &err), NEWS_ERR_BUSY);
    CHECK(strstr(err.msg, "in use by another news-index") != NULL);
    CHECK_INT(open_and_close(path, ARCHIVE_READ, &err), NEWS_OK);
    archive_close(writer);
    CHECK_INT(open_and_close(path, ARCHIVE_WRITE_WAIT, &err), NEWS_OK);

    /* The schema is in place and the text view decompresses. */
    struct archive *a = NULL;
    CHECK_INT(archive_open(path, ARCHIVE_READ, &a, &err), NEWS_OK);
    if (a) {
        sqlite3_stmt *st;
        CHECK_INT(sqlite3_prepare_v2(archive_db(a),
                                     "SELECT count(*) FROM article_doc JOIN article_fts "
                                     "ON article_fts.rowid = article_doc.id",
                                     -1, &st, NULL),
                  SQLITE_OK);
        CHECK_INT(sqlite3_step(st), SQLITE_ROW);
        sqlite3_finalize(st);
        /* Read-only really is read-only. */
        CHECK_INT(archive_exec(a, "DELETE FROM article", &err), NEWS_ERR_SQL);
        archive_close(a);
    }

    test_refusals(path);

    test_upgrade_from_version_1();
    test_upgrade_groups_copies();
    test_upgrade_identifies();
    test_upgrade_marks_titles_from_text();
    test_story_index();

    /* An empty file is not an archive to read, but may become one. */
    const char *empty = path_in_dir("empty.db");
    write_file(empty, "", 0);
    CHECK_INT(open_and_close(empty, ARCHIVE_READ, &err), NEWS_ERR_ARCHIVE);
    CHECK_INT(open_and_close(empty, ARCHIVE_WRITE, &err), NEWS_OK);

    /* A directory is named as such. */
    CHECK_INT(open_and_close(dir, ARCHIVE_READ, &err), NEWS_ERR_ARCHIVE);
    CHECK(strstr(err.msg, "directory") != NULL);

    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    CHECK_INT(system(cmd), 0);
    return check_report("test_archive");
}
