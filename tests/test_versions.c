/* test_versions.c: --show finds every version of an article from any of them, says which is
 * current, and tells the replaced versions whose text news-index kept from those whose text
 * a takedown erased. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "archive.h"
#include "check.h"
#include "versions.h"

/* Article 1 in three versions (1, first; 4, its current version, dated by a capture; 2, a
 * version in between), article 3 in one, and article 5's history: replaced three times,
 * the last replaced text kept, the first's erased; article 6 removed. */
static const char rows_sql[] =
    "INSERT INTO run(id, started_at, command) VALUES (1, '2025-01-01T00:00:00Z', 'x'),"
    " (2, '2025-02-01T00:00:00Z', 'x'), (3, '2025-03-01T00:00:00Z', 'x');"
    "INSERT INTO article(id, title, date, text_bytes, content_hash, version_of, superseded_by,"
    " date_kind) VALUES (1, 'First', '2012-01-18', 1, randomblob(16), NULL, 2, NULL),"
    " (2, 'Second', NULL, 1, randomblob(16), 1, 4, NULL),"
    " (3, 'Alone', '2012-01-01', 1, randomblob(16), NULL, NULL, NULL),"
    " (4, 'Third', '2012-01-19T10:02:03Z', 1, randomblob(16), 1, NULL, 'captured'),"
    " (5, 'Corrected', '2012-01-01', 1, randomblob(16), NULL, NULL, NULL);"
    "INSERT INTO article_history(article_id, event, run_id, content_hash, title, provenance,"
    " fields, text_z) VALUES"
    " (5, 'replaced', 1, randomblob(16), NULL, '[{\"path\":\"/a\",\"record\":2}]', NULL, NULL),"
    " (5, 'replaced', 2, randomblob(16), 'Two', '[{\"path\":\"/b\",\"record\":3},{}]', '{}', "
    "x'00'),"
    " (5, 'replaced', 3, randomblob(16), 'Three', 'not json', '{}', x'00'),"
    " (6, 'removed', 2, randomblob(16), NULL, '[]', NULL, NULL);";

static void test_stored(struct archive *a)
{
    struct news_error err;
    struct search_version *v = NULL;
    size_t n = 0;
    CHECK_INT(versions_stored(a, 1, &v, &n, &err), NEWS_OK);
    CHECK_INT(n, 3);
    if (n == 3) {
        CHECK_INT(v[0].id, 1);
        CHECK_INT(v[1].id, 2);
        CHECK_INT(v[2].id, 4);
        CHECK(!v[0].is_current && !v[1].is_current && v[2].is_current);
        CHECK_STR(v[0].date_kind, "published");
        CHECK_STR(v[1].date, NULL);
        CHECK_STR(v[1].date_kind, NULL); /* no date, no kind */
        CHECK_STR(v[2].date_kind, "captured");
        CHECK_STR(v[2].title, "Third");
    }
    versions_free(v, n);
    /* An article with no other version: nothing to list. */
    CHECK_INT(versions_stored(a, 3, &v, &n, &err), NEWS_OK);
    CHECK_INT(n, 0);
    CHECK(v == NULL);
}

static void test_history(struct archive *a)
{
    struct news_error err;
    struct search_replaced *r = NULL;
    size_t n = 0;
    CHECK_INT(versions_replaced(a, 5, &r, &n, &err), NEWS_OK);
    CHECK_INT(n, 3);
    if (n == 3) {
        CHECK(!r[0].is_text_kept && !r[0].is_restorable);
        CHECK(r[1].is_text_kept && !r[1].is_restorable);
        CHECK(r[2].is_text_kept && r[2].is_restorable); /* the one --restore puts back */
        CHECK_STR(r[0].replaced_at, "2025-01-01T00:00:00Z");
        CHECK_STR(r[1].first_path, "/b");
        CHECK_INT(r[1].first_record, 3);
        CHECK_INT(r[1].records, 2);
        CHECK_STR(r[1].title, "Two");
        /* Damaged provenance costs that value only. */
        CHECK_STR(r[2].provenance, "[]");
        CHECK_STR(r[2].first_path, NULL);
    }
    versions_free_replaced(r, n);
    CHECK_INT(versions_replaced(a, 1, &r, &n, &err), NEWS_OK);
    CHECK_INT(n, 0);
    char removed_at[32];
    CHECK_INT(versions_removed_at(a, 6, removed_at, &err), NEWS_OK);
    CHECK_STR(removed_at, "2025-02-01T00:00:00Z");
    CHECK_INT(versions_removed_at(a, 5, removed_at, &err), NEWS_OK);
    CHECK_STR(removed_at, "");
}

int main(void)
{
    char dir[] = "/tmp/test_versions.XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char path[64];
    snprintf(path, sizeof path, "%s/news.db", dir);
    struct archive *a = NULL;
    struct news_error err;
    CHECK_INT(archive_open(path, ARCHIVE_WRITE, &a, &err), NEWS_OK);
    if (a) {
        CHECK_INT(archive_exec(a, rows_sql, &err), NEWS_OK);
        test_stored(a);
        test_history(a);
        archive_close(a);
    }
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    CHECK_INT(system(cmd), 0);
    return check_report("test_versions");
}
