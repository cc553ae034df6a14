/* test_report.c: news-index's messages: repeated problems of one kind in one file come out
 * as one line with a count, listings in full, and the summary says what was read. */
#include <string.h>

#include "check.h"
#include "report.h"

/* What r wrote to its file so far; the buffer lives until the next call. */
static const char *written(struct report *r)
{
    static char buf[8192];
    fflush(r->out);
    long n = ftell(r->out);
    rewind(r->out);
    size_t got =
        fread(buf, 1, n > 0 && (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1, r->out);
    buf[got] = '\0';
    fseek(r->out, 0, SEEK_END);
    return buf;
}

static void test_problems_collapse(void)
{
    struct report r;
    report_init(&r, tmpfile(), "news.db", false);
    report_problem(&r, "a.rss", 10, "same id, unrelated", "article 1 has the same own id");
    for (size_t record = 11; record <= 131; record++)
        report_problem(&r, "a.rss", record, "same id, unrelated", "article 1 again");
    report_problem(&r, "a.rss", 40, "date not understood", "warning: date not understood");
    CHECK_STR(written(&r), ""); /* held back while the file goes on */
    report_problem(&r, "b.txt", 0, "empty file", "empty file");
    CHECK_STR(written(&r), "news-index: a.rss: record 10: article 1 has the same own id (and 121 "
                           "more like it, to record 131)\n"
                           "news-index: a.rss: record 40: warning: date not understood\n");
    report_listing(&r, "c.jsonl", 3, "would replace article 7");
    CHECK_STR(written(&r), "news-index: a.rss: record 10: article 1 has the same own id (and 121 "
                           "more like it, to record 131)\n"
                           "news-index: a.rss: record 40: warning: date not understood\n"
                           "news-index: b.txt: empty file\n"
                           "news-index: c.jsonl: record 3: would replace article 7\n");
    report_finish(&r);
    fclose(r.out);
}

static void test_many_kinds_are_not_held_back(void)
{
    struct report r;
    report_init(&r, tmpfile(), "news.db", false);
    char kind[32];
    for (int i = 0; i < REPORT_MAX_GROUPS + 2; i++) {
        snprintf(kind, sizeof kind, "kind %d", i);
        report_problem(&r, "a", (size_t)i + 1, kind, kind);
    }
    const char *out = written(&r);
    CHECK(strstr(out, "record 17: kind 16\n") != NULL);
    CHECK(strstr(out, "kind 0") == NULL);
    report_flush(&r);
    CHECK(strstr(written(&r), "record 1: kind 0\n") != NULL);
    report_finish(&r);
    fclose(r.out);
}

static void test_summary(void)
{
    struct report r;
    report_init(&r, tmpfile(), "news.db", false);
    struct ingest_stats s;
    memset(&s, 0, sizeof s);
    s.files = 4;
    s.records = 3;
    s.added = 3;
    s.format_records[INPUT_TEXT] = 2;
    s.format_records[INPUT_WARC] = 1;
    s.fallback_files = 5;
    for (int i = 0; i < INGEST_FALLBACK_NAMES; i++)
        snprintf(s.fallback_names[i], sizeof s.fallback_names[i], "f%d", i);
    s.versions = 1;
    s.apart = 2;
    report_summary(&r, &s, true);
    const char *out = written(&r);
    CHECK(strstr(out, "a dry run: nothing was stored") != NULL);
    CHECK(strstr(out, "  read:       text 2, warc 1 records\n") != NULL);
    CHECK(strstr(out, "  as text:    5 files read as plain text only because nothing else "
                      "matched: f0, f1, f2 and 2 more\n") != NULL);
    CHECK(strstr(out, "  versions:   1 of them new versions") != NULL);
    CHECK(strstr(out, "  apart:      2 of them") != NULL);
    CHECK(strstr(out, "replaced") == NULL);
    report_finish(&r);
    fclose(r.out);
}

int main(void)
{
    char buf[32];
    CHECK_STR(report_bytes(812, buf), "812 B");
    CHECK_STR(report_bytes(12345678, buf), "12.3 MB");
    CHECK_STR(report_time(425, buf), "7m05s");
    CHECK_STR(report_time(3 * 3600 + 12 * 60, buf), "3h12m");
    test_problems_collapse();
    test_many_kinds_are_not_held_back();
    test_summary();
    return check_report("test_report");
}
