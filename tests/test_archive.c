/* test_archive.c: archives are created, recognised, and everything else is refused with a
 * message that names the file. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "archive.h"
#include "check.h"

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

static enum news_status open_and_close(const char *path, enum archive_mode mode,
                                       struct news_error *err)
{
    struct archive *a = NULL;
    enum news_status st = archive_open(path, mode, &a, err);
    CHECK(st == NEWS_OK ? a != NULL : a == NULL);
    archive_close(a);
    return st;
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

    /* A version 1 archive is upgraded when opened for writing, and refused for reading
     * with the command that upgrades it. */
    const char *old = path_in_dir("v1.db");
    sqlite3_open(old, &db);
    sqlite3_exec(db,
                 "PRAGMA application_id = 1313167187; PRAGMA user_version = 1;"
                 "CREATE TABLE article(id INTEGER PRIMARY KEY, title TEXT);",
                 NULL, NULL, NULL);
    sqlite3_close(db);
    CHECK_INT(open_and_close(old, ARCHIVE_READ, &err), NEWS_ERR_ARCHIVE);
    CHECK(strstr(err.msg, "news-index --upgrade") != NULL);
    CHECK_INT(open_and_close(old, ARCHIVE_WRITE, &err), NEWS_OK);
    CHECK_INT(open_and_close(old, ARCHIVE_READ, &err), NEWS_OK);
    sqlite3_open(old, &db);
    CHECK_INT(sqlite3_exec(db, "SELECT lang, meta FROM article", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);

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
