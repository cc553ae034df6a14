/* test_input.c: what news-index takes a file to be, from its first bytes, and the records
 * it cuts ARC files into: files written here, then, when the shared data is present, the
 * UK Web Archive's ARC files against the WARC files of the same crawl.
 * Usage: test_input [shared-data-dir]; the default is ../shared/data beside the repository
 * (found from this file's path), or $NEWS_SHARED_DATA. */
#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "check.h"
#include "input.h"

struct sniff_case {
    const char *data;
    size_t len; /* 0: strlen */
    enum input_format want;
};

static const struct sniff_case cases[] = {
    {"Headline\n\nBody text.\n", 0, INPUT_TEXT},
    {" date 2025-02-18 Title\n", 0, INPUT_TEXT},
    {"{\"title\":\"a\"}\n{\"title\":\"b\"}\n", 0, INPUT_JSONL},
    {"\xEF\xBB\xBF  {\"title\":\"a\"}  \r\n", 0, INPUT_JSONL},
    {"{\"title\":\"one line, no newline\"}", 0, INPUT_JSONL},
    {"{\n  \"title\": \"pretty\"\n}\n", 0, INPUT_JSON},
    {"[{\"title\":\"a\"}]", 0, INPUT_JSON},
    {"<!DOCTYPE html><html><body><p>x</p></body></html>", 0, INPUT_HTML},
    {"<!-- saved page -->\n<HTML><HEAD><TITLE>x</TITLE>", 0, INPUT_HTML},
    {"<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel/></rss>", 0, INPUT_FEED},
    {"<feed xmlns=\"http://www.w3.org/2005/Atom\"></feed>", 0, INPUT_FEED},
    {"<?xml version=\"1.0\"?><newsItem xmlns=\"http://iptc.org/std/nar/2006-10-01/\"/>", 0,
     INPUT_NEWSML},
    {"<!DOCTYPE lewis SYSTEM \"lewis.dtd\">\n<REUTERS NEWID=\"1\">", 0, INPUT_REUTERS},
    {"<DOC>\n<DOCNO> X-1 </DOCNO>\n", 0, INPUT_TREC},
    {"WARC/1.0\r\nWARC-Type: warcinfo\r\n", 0, INPUT_WARC},
    {"filedesc://IAH-1.arc 0.0.0.0 20080430204825 text/plain 76\n1 1 InternetArchive\n", 0,
     INPUT_ARC},
    /* An image early in an ARC file: its bytes do not make the file binary. */
    {"filedesc://a.arc 0.0.0.0 20240102030405 text/plain 0\n\n"
     "http://a.example/i.png 192.0.2.1 20240102030405 image/png 8\n\x89PNG\0\0\0\0\n",
     123, INPUT_ARC},
    {"filedesc is a word\n", 0, INPUT_TEXT},
    {"\x7f"
     "ELF\x02\x01\x01\0\0\0",
     10, INPUT_BINARY},
    {"\x01\x02\x03\x04\x05\x06\x07\x08 text", 13, INPUT_BINARY},
    {"\xFF\xFEH\0i\0", 6, INPUT_TEXT}, /* UTF-16: NUL bytes are not binary */
    /* Fragments of pages (a feed item's content, a saved extract) are HTML... */
    {"<p>There's lots to like about <a href=\"x\">it</a>.</p>", 0, INPUT_HTML},
    {"<img width=\"100\" src=\"a.png\"/> Text", 0, INPUT_HTML},
    {"<section class=\"story\"><h2>Title</h2>", 0, INPUT_HTML},
    /* ...but not markup that merely starts like an element. */
    {"<paragraph>Some XML</paragraph>", 0, INPUT_TEXT},
    {"<CINRAM LTD> 4TH QTR NET\n\nShr 1.06 dlrs.\n", 0, INPUT_TEXT},
};

/* What input_read_path passed to the callbacks for one file. */
struct got_record {
    size_t record;
    uint64_t offset;
    enum input_format format, container;
    char *url, *charset, *crawl_date, *data;
    size_t len;
    bool has_record_id;
};

enum { MAX_GOT = 8 };

struct got {
    struct got_record recs[MAX_GOT];
    size_t records;     /* all of them, also those past recs[] */
    char skips[512];    /* the kinds skipped, each followed by '|' */
    char rejects[2048]; /* "RECORD KIND: MESSAGE\n" each */
};

static char *dup_or_null(const char *s, size_t n)
{
    if (!s) return NULL;
    char *d = malloc(n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

static bool on_record(void *ctx, const struct input_record *rec)
{
    struct got *g = ctx;
    if (g->records < MAX_GOT) {
        struct got_record *r = &g->recs[g->records];
        r->record = rec->record;
        r->offset = rec->offset;
        r->format = rec->format;
        r->container = rec->container;
        r->url = dup_or_null(rec->url, rec->url ? strlen(rec->url) : 0);
        r->charset = dup_or_null(rec->charset, rec->charset ? strlen(rec->charset) : 0);
        r->crawl_date = dup_or_null(rec->crawl_date, rec->crawl_date ? strlen(rec->crawl_date) : 0);
        r->data = dup_or_null(rec->data, rec->len);
        r->len = rec->len;
        r->has_record_id = rec->record_id != NULL;
    }
    g->records++;
    return true;
}

static void on_reject(void *ctx, const char *path, size_t record, const char *kind,
                      const char *message)
{
    struct got *g = ctx;
    (void)path;
    size_t n = strlen(g->rejects);
    snprintf(g->rejects + n, sizeof g->rejects - n, "%zu %s: %s\n", record, kind, message);
}

static void on_skip(void *ctx, const char *path, const char *what)
{
    struct got *g = ctx;
    (void)path;
    size_t n = strlen(g->skips);
    snprintf(g->skips + n, sizeof g->skips - n, "%s|", what);
}

static void on_file(void *ctx, const char *path, uint64_t bytes)
{
    (void)ctx, (void)path, (void)bytes;
}

/* Reads path with input_read_path into *g. */
static void read_into(const char *path, enum input_format forced, struct got *g)
{
    struct input_callbacks cb = {on_record, on_reject, on_skip, on_file, NULL};
    memset(g, 0, sizeof *g);
    input_read_path(path, forced, &cb, g);
}

static void got_free(struct got *g)
{
    for (size_t i = 0; i < g->records && i < MAX_GOT; i++) {
        free(g->recs[i].url);
        free(g->recs[i].charset);
        free(g->recs[i].crawl_date);
        free(g->recs[i].data);
    }
}

/* How long check_arc_line_limits' long header line is: past the limit news-index reads. */
#define ARC_LINE_TEST_BYTES (16 * 1024 + 100)

/* An ARC file being written in memory. */
struct arc_text {
    char buf[256 * 1024];
    size_t len;
};

static void add(struct arc_text *t, const char *s)
{
    size_t n = strlen(s);
    if (t->len + n > sizeof t->buf) abort();
    memcpy(t->buf + t->len, s, n);
    t->len += n;
}

/* Appends a record: its header line (fields, then the content's length), the content,
 * and sep. Returns the record's offset. */
static uint64_t add_record(struct arc_text *t, const char *fields, const char *content,
                           const char *sep)
{
    uint64_t offset = t->len;
    char line[512];
    int n = snprintf(line, sizeof line, "%s %zu\n", fields, strlen(content));
    if (n < 0 || (size_t)n >= sizeof line) abort();
    add(t, line);
    add(t, content);
    add(t, sep);
    return offset;
}

/* Starts t (or, if NULL, a new one, to free) as a v1.0 ARC file: its version block. */
static struct arc_text *arc_text_start(struct arc_text *t)
{
    if (!t) t = calloc(1, sizeof *t);
    t->len = 0;
    add_record(t, "filedesc://test.arc 0.0.0.0 20240102030405 text/plain",
               "1 0 news-archive\nURL IP-address Archive-date Content-type Archive-length\n", "\n");
    return t;
}

/* Writes len bytes to a new file in /tmp; returns its path (malloc'd). With gzip, each
 * of the n_cuts + 1 pieces that cuts[] delimit is a gzip member of its own, as in a
 * .arc.gz. */
static char *write_file(const char *data, size_t len, bool gzip, const uint64_t *cuts,
                        size_t n_cuts)
{
    char *path = malloc(64);
    snprintf(path, 64, "/tmp/test_input.XXXXXX");
    int fd = mkstemp(path);
    if (fd < 0) abort();
    if (!gzip) {
        if (write(fd, data, len) != (ssize_t)len) abort();
        close(fd);
        return path;
    }
    gzFile z = gzdopen(fd, "wb");
    uint64_t from = 0;
    for (size_t i = 0; i <= n_cuts; i++) {
        uint64_t to = i < n_cuts ? cuts[i] : len;
        gzwrite(z, data + from, (unsigned)(to - from));
        gzflush(z, Z_FINISH); /* ends the member: the next write starts another */
        from = to;
    }
    gzclose(z);
    return path;
}

/* The pages of check_arc_file, as their HTTP responses carry them. */
#define PAGE_ONE "<html><head><title>First</title></head><body><p>One.</p></body></html>"
#define PAGE_TWO "<!DOCTYPE html><p>Two.</p>"

/* A page an ARC file must yield: its record number, where it is (an index into the
 * offsets the test noted), and what it carries. */
struct want_page {
    size_t record, at;
    const char *url, *crawl_date, *charset, *data;
};

/* What check_arc_file's file must yield. */
static const struct want_page arc_file_pages[] = {
    {3, 1, "http://news.example/one", "2024-01-02T03:04:06Z", "iso-8859-1", PAGE_ONE},
    {5, 3, "https://news.example/two", "2024-01-02T03:04:08Z", NULL, PAGE_TWO},
};

/* Checks one record against what it must be: an HTML page from an ARC file, at offset. */
static void check_page(const struct got_record *r, const struct want_page *w, uint64_t offset)
{
    CHECK_INT(r->record, w->record);
    CHECK_INT(r->offset, offset);
    CHECK_INT(r->format, INPUT_HTML);
    CHECK_INT(r->container, INPUT_ARC);
    CHECK(!r->has_record_id);
    CHECK_STR(r->url, w->url);
    CHECK_STR(r->crawl_date, w->crawl_date);
    CHECK_STR(r->charset, w->charset);
    CHECK_STR(r->data, w->data);
}

/* Two pages, a DNS lookup, a 404, an image; a record that runs straight into the next
 * header line without a newline, as some ARC writers do. */
static void check_arc_file(void)
{
    struct arc_text *t = arc_text_start(NULL);
    uint64_t at[5];
    at[0] = add_record(t, "dns:news.example 192.0.2.53 20240102030405 text/dns",
                       "20240102030405\nnews.example.\t3600\tIN\tA\t192.0.2.1\n", "\n");
    at[1] = add_record(
        t, "http://news.example/one 192.0.2.1 20240102030406 text/html",
        "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=ISO-8859-1\r\n\r\n" PAGE_ONE, "\n");
    at[2] =
        add_record(t, "http://news.example/gone 192.0.2.1 20240102030407 text/html",
                   "HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\n\r\n<p>Gone</p>", "\n");
    at[3] = add_record(t, "https://news.example/two 192.0.2.1 20240102030408 text/html",
                       "HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n" PAGE_TWO, "");
    at[4] = add_record(t, "http://news.example/logo.png 192.0.2.1 20240102030409 image/png",
                       "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n\x89PNG", "\n");
    for (int gzip = 0; gzip <= 1; gzip++) {
        char *path = write_file(t->buf, t->len, gzip, at, 5);
        /* --format never applies to the container: the second read forces text. */
        for (int forced = 0; forced <= 1; forced++) {
            struct got g;
            read_into(path, forced ? INPUT_TEXT : INPUT_AUTO, &g);
            int before = check_failures;
            CHECK_INT(g.records, 2);
            CHECK_STR(g.skips, "filedesc|dns|response not 2xx|response not HTML|");
            CHECK_STR(g.rejects, "");
            for (size_t i = 0; i < 2 && i < g.records; i++)
                check_page(&g.recs[i], &arc_file_pages[i], at[arc_file_pages[i].at]);
            if (check_failures != before)
                fprintf(stderr, "  in the ARC file (gzip %d, forced %d)\n", gzip, forced);
            got_free(&g);
        }
        unlink(path);
        free(path);
    }
    free(t);
}

/* A malformed header line is reported with its record number and offset, and reading
 * resumes at the next header line, past 100 KB of lines that are not one (more than is read
 * at a time); a v2 line; a date that is not one; a record cut short. */
static void check_broken_arc_file(void)
{
    struct arc_text *t = arc_text_start(NULL);
    uint64_t at[4];
    at[0] = add_record(t, "http://news.example/one 192.0.2.1 20240102030406 text/html",
                       "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>One.</p>", "\n");
    at[1] = t->len;
    add(t, "http://news.example/bad 192.0.2.1 20240102030406 text/html twelve\n");
    add(t, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>Lost</p>\nthe cat sat on 5\n\n");
    while (t->len < at[1] + 100000)
        add(t, "<p>A line of the page that is lost with its record, 1 2 3 4 5 6 7</p>\n");
    at[2] =
        add_record(t, "http://news.example/v2 192.0.2.1 20240230120000 text/html 200 - - 0 t.arc",
                   "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>Two.</p>", "\n");
    at[3] = t->len;
    add(t, "http://news.example/cut 192.0.2.1 20240102030406 text/html 500\nHTTP/1.1 200 OK\r\n");
    char *path = write_file(t->buf, t->len, false, NULL, 0);
    struct got g;
    read_into(path, INPUT_AUTO, &g);
    CHECK_INT(g.records, 2);
    CHECK_STR(g.skips, "filedesc|");
    char want[512];
    snprintf(want, sizeof want,
             "3 malformed: ARC record at offset %llu: malformed length \"twelve\"\n"
             "5 unreadable: ARC record at offset %llu is cut short\n",
             (unsigned long long)at[1], (unsigned long long)at[3]);
    CHECK_STR(g.rejects, want);
    static const struct want_page pages[] = {
        {2, 0, "http://news.example/one", "2024-01-02T03:04:06Z", NULL, "<p>One.</p>"},
        {4, 2, "http://news.example/v2", NULL, NULL, "<p>Two.</p>"}, /* February 30th */
    };
    for (size_t i = 0; i < 2 && i < g.records; i++)
        check_page(&g.recs[i], &pages[i], at[pages[i].at]);
    got_free(&g);
    unlink(path);
    free(path);
    free(t);
}

/* After a malformed header line, the next one is found wherever a read of the file ends:
 * the lines between grow a byte at a time over 200 bytes, so that in some of these files
 * the next header line lies across the end of a read. */
static void check_arc_resync_sweep(void)
{
    struct arc_text *t = NULL;
    size_t missed = 0;
    for (size_t shift = 0; shift < 200; shift++) {
        t = arc_text_start(t);
        add(t, "http://news.example/bad 192.0.2.1 20240102030406 text/html twelve\n");
        while (t->len < 20300)
            add(t, "<p>A line of the page that is lost with its record.</p>\n");
        for (size_t i = 0; i < shift; i++)
            add(t, "x");
        add(t, "\n");
        add_record(t, "http://news.example/one 192.0.2.1 20240102030406 text/html",
                   "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>One.</p>", "\n");
        char *path = write_file(t->buf, t->len, false, NULL, 0);
        struct got g;
        read_into(path, INPUT_AUTO, &g);
        if (g.records != 1 || !g.recs[0].url ||
            strcmp(g.recs[0].url, "http://news.example/one") != 0)
            missed++;
        got_free(&g);
        unlink(path);
        free(path);
    }
    CHECK_INT(missed, 0);
    free(t);
}

/* A header line longer than ARC_MAX_LINE_BYTES is reported and the next record read; a
 * file that ends inside a header line is cut short there. */
static void check_arc_line_limits(void)
{
    struct arc_text *t = arc_text_start(NULL);
    uint64_t long_at = t->len;
    add(t, "http://news.example/");
    while (t->len < long_at + ARC_LINE_TEST_BYTES)
        add(t, "0123456789abcdef");
    add(t, " 192.0.2.1 20240102030406 text/html 5\nHTTP/\n");
    uint64_t page_at =
        add_record(t, "http://news.example/one 192.0.2.1 20240102030406 text/html",
                   "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>One.</p>", "\n");
    uint64_t cut_at = t->len;
    add(t, "http://news.example/two 192.0.2.1 2024");
    char *path = write_file(t->buf, t->len, false, NULL, 0);
    struct got g;
    read_into(path, INPUT_AUTO, &g);
    CHECK_INT(g.records, 1);
    char want[512];
    snprintf(want, sizeof want,
             "2 malformed: ARC record at offset %llu: header line longer than 16383 bytes\n"
             "4 unreadable: ARC record at offset %llu is cut short\n",
             (unsigned long long)long_at, (unsigned long long)cut_at);
    CHECK_STR(g.rejects, want);
    if (g.records == 1) {
        CHECK_INT(g.recs[0].record, 3);
        CHECK_INT(g.recs[0].offset, page_at);
    }
    got_free(&g);
    unlink(path);
    free(path);
    free(t);
}

/* Appends n bytes of filler to f. */
static void add_filler(FILE *f, size_t n)
{
    static char filler[1 << 16];
    memset(filler, 'x', sizeof filler);
    while (n > 0) {
        size_t k = n < sizeof filler ? n : sizeof filler;
        fwrite(filler, 1, k, f);
        n -= k;
    }
}

/* Records larger than INPUT_MAX_RECORD_BYTES are passed over without being held: a page
 * is reported as too large, a DNS record skipped as usual; the next record is read. The
 * first runs straight into the next header line, so one byte too many or too few is seen.
 * The last is cut short. */
static void check_large_arc_records(void)
{
    struct arc_text *t = arc_text_start(NULL);
    char *path = write_file(t->buf, t->len, false, NULL, 0);
    FILE *f = fopen(path, "ab");
    uint64_t at = t->len, big_at = at;
    const size_t big = INPUT_MAX_RECORD_BYTES + 1;
    at += (uint64_t)fprintf(f, "http://news.example/big 192.0.2.1 20240102030406 text/html %zu\n",
                            big);
    add_filler(f, big);
    at += big;
    at += (uint64_t)fprintf(f, "dns:news.example 192.0.2.53 20240102030405 text/dns %zu\n", big);
    add_filler(f, big);
    at += big + (uint64_t)fprintf(f, "\n");
    const char *page = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>One.</p>";
    uint64_t cut_at =
        at +
        (uint64_t)fprintf(f, "http://news.example/one 192.0.2.1 20240102030406 text/html %zu\n%s\n",
                          strlen(page), page);
    fprintf(f, "http://news.example/end 192.0.2.1 20240102030406 text/html %zu\nHTTP/1.1", big);
    fclose(f);
    struct got g;
    read_into(path, INPUT_AUTO, &g);
    CHECK_INT(g.records, 1);
    CHECK_STR(g.skips, "filedesc|dns|");
    char want[256];
    snprintf(want, sizeof want,
             "2 too large: ARC record at offset %llu is larger than 32 MiB\n"
             "5 too large: ARC record at offset %llu is larger than 32 MiB\n"
             "5 unreadable: ARC record at offset %llu is cut short\n",
             (unsigned long long)big_at, (unsigned long long)cut_at, (unsigned long long)cut_at);
    CHECK_STR(g.rejects, want);
    if (g.records == 1) {
        CHECK_INT(g.recs[0].record, 4);
        CHECK_INT(g.recs[0].offset, at);
        CHECK_STR(g.recs[0].data, "<p>One.</p>");
    }
    got_free(&g);
    unlink(path);
    free(path);
    free(t);
}

/* A WARC file that ends inside a record too large to hold says so, as an ARC file does. */
static void check_warc_cut_short(void)
{
    char text[512];
    int n = snprintf(text, sizeof text,
                     "WARC/1.0\r\nWARC-Type: response\r\nContent-Type: application/http\r\n"
                     "Content-Length: %zu\r\n\r\nHTTP/1.1 200 OK\r\n",
                     INPUT_MAX_RECORD_BYTES + 1);
    char *path = write_file(text, (size_t)n, false, NULL, 0);
    struct got g;
    read_into(path, INPUT_AUTO, &g);
    CHECK_INT(g.records, 0);
    CHECK_STR(g.rejects, "1 too large: WARC record at offset 0 is larger than 32 MiB\n"
                         "1 unreadable: WARC record at offset 0 is cut short\n");
    got_free(&g);
    unlink(path);
    free(path);
}

/* The UK Web Archive's ARC file, plain and gzipped, against the WARC file of the same
 * crawl: the same pages, addresses and capture times. */
static void check_shared_arc(const char *data)
{
    static const char *const suffixes[] = {".arc", ".arc.gz", ".warc.gz"};
    char dir[4200];
    snprintf(dir, sizeof dir, "%s/ukwa-warc-test-corpus/small-arcs-and-warcs", data);
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        printf("test_input: ARC files against WARC: skipped: no data (%s)\n", dir);
        return;
    }
    struct got g[3];
    for (size_t i = 0; i < 3; i++) {
        char path[4400];
        snprintf(path, sizeof path, "%s/IAH-20080430204825-00000-blackbook-truncated%s", dir,
                 suffixes[i]);
        read_into(path, INPUT_AUTO, &g[i]);
        printf("test_input: %s: %zu HTML pages (", path + strlen(dir) + 1, g[i].records);
        for (size_t k = 0; k < g[i].records && k < MAX_GOT; k++)
            printf("%s%s %s", k ? ", " : "", g[i].recs[k].url ? g[i].recs[k].url : "(no URL)",
                   g[i].recs[k].crawl_date ? g[i].recs[k].crawl_date : "(no date)");
        printf(")\n");
        CHECK_STR(g[i].rejects, "");
        CHECK_INT(g[i].records, 2);
    }
    CHECK_STR(g[0].skips, "filedesc|dns|response not HTML|response not HTML|response not "
                          "HTML|response not HTML|response not HTML|");
    CHECK_STR(g[1].skips, g[0].skips);
    if (g[0].records == 2) {
        CHECK_STR(g[0].recs[0].url, "http://www.archive.org/");
        CHECK_STR(g[0].recs[1].url, "http://www.archive.org/index.php");
        CHECK_STR(g[0].recs[0].crawl_date, "2008-04-30T20:48:26Z");
        CHECK_INT(g[0].recs[0].container, INPUT_ARC);
        CHECK(!g[0].recs[0].has_record_id);
    }
    for (size_t i = 1; i < 3; i++) {
        for (size_t k = 0; k < 2 && g[i].records == 2 && g[0].records == 2; k++) {
            const struct got_record *a = &g[0].recs[k], *b = &g[i].recs[k];
            CHECK_STR(b->url, a->url);
            CHECK_STR(b->crawl_date, a->crawl_date);
            CHECK_STR(b->charset, a->charset);
            CHECK_INT(b->format, a->format);
            CHECK(b->len == a->len && memcmp(b->data, a->data, a->len) == 0);
            CHECK_INT(b->container, i == 2 ? INPUT_WARC : INPUT_ARC);
        }
    }
    for (size_t i = 0; i < 3; i++)
        got_free(&g[i]);
}

int main(int argc, char **argv)

{
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const struct sniff_case *c = &cases[i];
        size_t len = c->len ? c->len : strlen(c->data);
        enum input_format got = input_sniff(c->data, len);
        CHECK_INT(got, c->want);
        if (got != c->want) fprintf(stderr, "  case %zu\n", i);
    }
    /* A tar header: "ustar" at offset 257. */
    char tar[1024] = "member.txt";
    memcpy(tar + 257, "ustar", 5);
    CHECK_INT(input_sniff(tar, sizeof tar), INPUT_TAR);
    /* Every format has a name, and the names are what --format takes. */
    for (int f = INPUT_AUTO; f < INPUT_FORMAT_COUNT; f++)
        CHECK(strcmp(input_format_name((enum input_format)f), "?") != 0);
    CHECK_STR(input_format_name(INPUT_JSON), "json");
    CHECK_STR(input_format_name(INPUT_ARC), "arc");

    check_arc_file();
    check_broken_arc_file();
    check_arc_resync_sweep();
    check_arc_line_limits();
    check_large_arc_records();
    check_warc_cut_short();
    char data[4096];
    check_data_dir(argc, argv, data, sizeof data);
    check_shared_arc(data);
    return check_report("test_input");
}
