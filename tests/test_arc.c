/* test_arc.c: ARC header lines (v1 and v2), their capture dates, and recognising an ARC
 * file, on self-written input. Whole ARC files are read in test_input. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arc.h"
#include "check.h"

/* A header line and what it must give; msg non-NULL: the parse fails with NEWS_ERR_FORMAT
 * and a message that contains msg. len 0: strlen. */
struct header_case {
    const char *name;
    const char *input;
    size_t len;
    const char *msg;
    const char *url, *ip, *date, *content_type;
    uint64_t length;
    int version;
};

/* The tail of a row whose parse fails. */
#define FAILS(msg) msg, NULL, NULL, NULL, NULL, 0, 0

static const struct header_case header_cases[] = {
    {"v1, as Heritrix writes it",
     "http://www.archive.org/ 207.241.229.39 20080430204826 text/html 680\n", 0, NULL,
     "http://www.archive.org/", "207.241.229.39", "20080430204826", "text/html", 680, 1},
    {"v1 version block", "filedesc://IAH-1.arc 0.0.0.0 20080430204825 text/plain 1300\n", 0, NULL,
     "filedesc://IAH-1.arc", "0.0.0.0", "20080430204825", "text/plain", 1300, 1},
    {"v1 DNS record", "dns:www.archive.org 68.87.76.178 20080430204825 text/dns 56\n", 0, NULL,
     "dns:www.archive.org", "68.87.76.178", "20080430204825", "text/dns", 56, 1},
    {"v1 with CRLF", "https://a.example/x?y=1 192.0.2.1 20240102030405 text/html 7\r\n", 0, NULL,
     "https://a.example/x?y=1", "192.0.2.1", "20240102030405", "text/html", 7, 1},
    {"v1 without a line end", "http://a.example/ 192.0.2.1 20240102030405 image/png 0", 0, NULL,
     "http://a.example/", "192.0.2.1", "20240102030405", "image/png", 0, 1},
    {"v2: the length is the last of ten fields",
     "http://a.example/p 192.0.2.1 20240102030405 text/html 200 "
     "3TVB2ZFAPFWS4E5GYTZ5GDRBAV2QB3RE http://a.example/q 1234 IAH-2.arc.gz 5678\n",
     0, NULL, "http://a.example/p", "192.0.2.1", "20240102030405", "text/html", 5678, 2},
    {"v2 with '-' for unknown fields",
     "ftp://a.example/f 192.0.2.1 20240102030405 no-type - - - 0 f.arc 12\n", 0, NULL,
     "ftp://a.example/f", "192.0.2.1", "20240102030405", "no-type", 12, 2},
    {"runs of spaces, leading and trailing spaces",
     "  http://a.example/   192.0.2.1  20240102030405 text/html   9  \n", 0, NULL,
     "http://a.example/", "192.0.2.1", "20240102030405", "text/html", 9, 1},
    {"a date that is not one is kept as found",
     "http://a.example/ 192.0.2.1 2024-01-02 text/html 1\n", 0, NULL, "http://a.example/",
     "192.0.2.1", "2024-01-02", "text/html", 1, 1},
    {"leading zeros, the largest length",
     "http://a.example/ - 20240102030405 text/html 018446744073709551615\n", 0, NULL,
     "http://a.example/", "-", "20240102030405", "text/html", UINT64_MAX, 1},
    {"a scheme with digits, '+', '-' and '.'",
     "svn+ssh.v-2:a 192.0.2.1 20240102030405 text/plain 3\n", 0, NULL, "svn+ssh.v-2:a", "192.0.2.1",
     "20240102030405", "text/plain", 3, 1},
    {"length with letters", "http://a.example/ 192.0.2.1 20240102030405 text/html 12a\n", 0,
     FAILS("malformed length \"12a\"")},
    {"negative length", "http://a.example/ 192.0.2.1 20240102030405 text/html -5\n", 0,
     FAILS("malformed length \"-5\"")},
    {"signed length", "http://a.example/ 192.0.2.1 20240102030405 text/html +5\n", 0,
     FAILS("malformed length \"+5\"")},
    {"hex length", "http://a.example/ 192.0.2.1 20240102030405 text/html 0x10\n", 0,
     FAILS("malformed length \"0x10\"")},
    {"length one past UINT64_MAX",
     "http://a.example/ 192.0.2.1 20240102030405 text/html 18446744073709551616\n", 0,
     FAILS("length \"18446744073709551616\" is out of range")},
    {"v2 whose last field is not the length",
     "http://a.example/ 192.0.2.1 20240102030405 text/html 200 - - 0 5678 f.arc\n", 0,
     FAILS("malformed length \"f.arc\"")},
    {"four fields: no length", "http://a.example/ 192.0.2.1 20240102030405 text/html\n", 0,
     FAILS("header line has 4 fields, not 5 (ARC v1) or 10 (ARC v2)")},
    {"one field", "http://a.example/\n", 0, FAILS("header line has 1 fields")},
    {"six fields: a URL with a space",
     "http://a.example/a b 192.0.2.1 20240102030405 text/html 5\n", 0,
     FAILS("header line has 6 fields")},
    {"nine fields", "http://a.example/ 192.0.2.1 20240102030405 text/html 200 - - 0 5\n", 0,
     FAILS("header line has 9 fields")},
    {"eleven fields", "http://a.example/ 192.0.2.1 20240102030405 text/html 200 - - 0 f x 5\n", 0,
     FAILS("header line has 11 fields")},
    {"empty line", "\n", 0, FAILS("empty header line")},
    {"spaces only", "   \r\n", 0, FAILS("empty header line")},
    {"empty input", "", 0, FAILS("empty header line")},
    {"no scheme", "www.archive.org/ 192.0.2.1 20240102030405 text/html 5\n", 0,
     FAILS("URL \"www.archive.org/\" has no scheme")},
    {"a path, no scheme", "/index.html 192.0.2.1 20240102030405 text/html 5\n", 0,
     FAILS("has no scheme")},
    {"an empty scheme", ":x 192.0.2.1 20240102030405 text/html 5\n", 0, FAILS("has no scheme")},
    {"a scheme that starts with a digit", "1http://a/ 192.0.2.1 20240102030405 text/html 5\n", 0,
     FAILS("has no scheme")},
    {"a line of a page with five words", "the cat sat on 5\n", 0, FAILS("has no scheme")},
    {"a tab between fields", "http://a.example/\t192.0.2.1 20240102030405 text/html 5\n", 0,
     FAILS("control character 0x09 at byte 18 of the header line")},
    {"a NUL inside the URL", "http://a\0b/ 192.0.2.1 20240102030405 text/html 5\n", 49,
     FAILS("control character 0x00 at byte 9")},
    {"a bare CR inside the line", "http://a.example/ 192.0.2.1\r20240102030405 text/html 5\n", 0,
     FAILS("control character 0x0D")},
    {"DEL", "http://a.example/\x7F 192.0.2.1 20240102030405 text/html 5\n", 0,
     FAILS("control character 0x7F")},
    {"an IP field longer than its place",
     "http://a.example/ 1111111111222222222233333333334444444444555555555566666666667777 "
     "20240102030405 text/html 5\n",
     0, FAILS("IP address of 64 bytes is longer than 63")},
    {"a date field longer than its place",
     "http://a.example/ 192.0.2.1 20240102030405202401020304052024 text/html 5\n", 0,
     FAILS("date of 32 bytes is longer than 31")},
};

/* Runs one row of header_cases. */
static void run_header_case(const struct header_case *c)
{
    struct arc_header *h = malloc(sizeof *h);
    struct news_error err = {{0}};
    memset(h, 0x55, sizeof *h);
    size_t len = c->len ? c->len : strlen(c->input);
    enum news_status st = arc_parse_header(c->input, len, h, &err);
    int before = check_failures;
    if (c->msg) {
        CHECK_INT(st, NEWS_ERR_FORMAT);
        CHECK(strstr(err.msg, c->msg) != NULL);
        CHECK(h->url[0] == '\0' && h->date[0] == '\0' && h->length == 0 && h->version == 0);
    } else {
        CHECK_INT(st, NEWS_OK);
        CHECK_STR(h->url, c->url);
        CHECK_STR(h->ip, c->ip);
        CHECK_STR(h->date, c->date);
        CHECK_STR(h->content_type, c->content_type);
        CHECK(h->length == c->length);
        CHECK_INT(h->version, c->version);
    }
    if (check_failures != before) fprintf(stderr, "  in case: %s (%s)\n", c->name, err.msg);
    free(h);
}

/* A v1 line with a URL of url_n bytes (17 or more) and a content type of type_n bytes: the
 * parse fails with a message containing msg, or (msg NULL) keeps both whole. */
static void check_field_limit(size_t url_n, size_t type_n, const char *msg)
{
    char *line = malloc(url_n + type_n + 64);
    memcpy(line, "http://a.example/", 17);
    memset(line + 17, 'x', url_n - 17);
    size_t n = url_n + (size_t)sprintf(line + url_n, " 192.0.2.1 20240102030405 ");
    memset(line + n, 't', type_n);
    n += type_n;
    n += (size_t)sprintf(line + n, " 5\n");
    struct arc_header *h = malloc(sizeof *h);
    struct news_error err = {{0}};
    enum news_status st = arc_parse_header(line, n, h, &err);
    if (msg) {
        CHECK_INT(st, NEWS_ERR_FORMAT);
        CHECK(strstr(err.msg, msg) != NULL);
        if (!strstr(err.msg, msg)) fprintf(stderr, "  got: %s\n  want: %s\n", err.msg, msg);
    } else {
        CHECK_INT(st, NEWS_OK);
        CHECK_INT(strlen(h->url), url_n);
        CHECK(memcmp(h->url, line, url_n) == 0);
        CHECK_INT(strlen(h->content_type), type_n);
    }
    free(h);
    free(line);
}

/* Over-long fields are errors, never cut; the longest that fit are kept whole. */
static void check_limits(void)
{
    check_field_limit(ARC_MAX_URL_BYTES, 9, NULL);
    check_field_limit(ARC_MAX_URL_BYTES + 1, 9, "URL of 4097 bytes is longer than 4096");
    check_field_limit((size_t)3 * ARC_MAX_URL_BYTES, 9, "URL of 12288 bytes is longer than 4096");
    check_field_limit(17, 255, NULL);
    check_field_limit(17, 256, "content type of 256 bytes is longer than 255");

    /* The whole line: one of ARC_MAX_LINE_BYTES with its newline is read (and fails on its
     * fields), one byte more is refused as too long. */
    size_t n = ARC_MAX_LINE_BYTES + 1;
    char *line = malloc(n);
    memset(line, 'x', n);
    memcpy(line, "http://a.example/ ", 18);
    line[ARC_MAX_LINE_BYTES - 1] = '\n';
    struct arc_header *h = malloc(sizeof *h);
    struct news_error err = {{0}};
    CHECK_INT(arc_parse_header(line, ARC_MAX_LINE_BYTES, h, &err), NEWS_ERR_FORMAT);
    CHECK(strstr(err.msg, "URL of") == NULL && strstr(err.msg, "header line has 2 fields"));
    line[ARC_MAX_LINE_BYTES - 1] = 'x';
    line[ARC_MAX_LINE_BYTES] = '\n';
    CHECK_INT(arc_parse_header(line, n, h, &err), NEWS_ERR_FORMAT);
    CHECK(strstr(err.msg, "header line of 16384 bytes is longer than 16383") != NULL);
    /* err may be NULL. */
    CHECK_INT(arc_parse_header(line, n, h, NULL), NEWS_ERR_FORMAT);

    /* arc_header_length looks no further than the limit. */
    line[ARC_MAX_LINE_BYTES] = 'x';
    line[ARC_MAX_LINE_BYTES - 1] = '\n';
    CHECK_INT(arc_header_length(line, n), ARC_MAX_LINE_BYTES);
    line[ARC_MAX_LINE_BYTES - 1] = 'x';
    line[ARC_MAX_LINE_BYTES] = '\n';
    CHECK_INT(arc_header_length(line, n), 0);
    free(h);
    free(line);
}

/* arc_header_length: through the first newline, or 0. */
static void check_header_length(void)
{
    static const struct {
        const char *input;
        size_t want;
    } cases[] = {
        {"http://a/ 1 2 3 4\nbody", 18}, {"a b\r\n", 5}, {"\n", 1}, {"", 0},
        {"no newline at all", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        size_t got = arc_header_length(cases[i].input, strlen(cases[i].input));
        CHECK_INT(got, cases[i].want);
        if (got != cases[i].want) fprintf(stderr, "  header length of: %s\n", cases[i].input);
    }
}

/* Archive-dates and what they become; want NULL: not a date. */
static const struct {
    const char *date, *want;
} date_cases[] = {
    {"20080430204825", "2008-04-30T20:48:25Z"},
    {"19960101000000", "1996-01-01T00:00:00Z"},
    {"20240229235959", "2024-02-29T23:59:59Z"}, /* leap year */
    {"20000229120000", "2000-02-29T12:00:00Z"}, /* divisible by 400 */
    {"99991231235959", "9999-12-31T23:59:59Z"},
    {"10000101000000", "1000-01-01T00:00:00Z"},
    {"19000229120000", NULL}, /* divisible by 100, not 400 */
    {"20230229120000", NULL},
    {"20080431000000", NULL}, /* April has 30 days */
    {"20081301000000", NULL},
    {"20080001000000", NULL},
    {"20080100000000", NULL},
    {"20080430240000", NULL},
    {"20080430236000", NULL},
    {"20080430235960", NULL},
    {"09991231235959", NULL},
    {"2008043020482", NULL}, /* 13 digits */
    {"200804302048250", NULL},
    {"20080430", NULL},
    {"2008043020482a", NULL},
    {" 20080430204825", NULL},
    {"20080430204825 ", NULL},
    {"2008-04-30T20:48:25Z", NULL},
    {"-", NULL},
    {"", NULL},
};

static void check_dates(void)
{
    for (size_t i = 0; i < sizeof date_cases / sizeof *date_cases; i++) {
        char out[ARC_ISO_DATE_BYTES];
        memset(out, 'x', sizeof out);
        bool ok = arc_date_iso(date_cases[i].date, out);
        CHECK_INT(ok, date_cases[i].want != NULL);
        CHECK_STR(out, date_cases[i].want ? date_cases[i].want : "");
        if (ok != (date_cases[i].want != NULL)) fprintf(stderr, "  date: %s\n", date_cases[i].date);
    }
}

/* Sniffing: the version block's "filedesc://", exactly, within the length given. */
static void check_sniff(void)
{
    static const struct {
        const char *data;
        bool want;
    } cases[] = {
        {"filedesc://IAH-1.arc 0.0.0.0 20080430204825 text/plain 76\n", true},
        {"filedesc://", true},
        {"filedesc:/x", false},
        {"FILEDESC://x", false},
        {" filedesc://x", false},
        {"\nfiledesc://x", false},
        {"http://a.example/ 192.0.2.1 20240102030405 text/html 5\n", false},
        {"WARC/1.0\r\n", false},
        {"", false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        bool got = arc_sniff(cases[i].data, strlen(cases[i].data));
        CHECK_INT(got, cases[i].want);
        if (got != cases[i].want) fprintf(stderr, "  sniffing: %s\n", cases[i].data);
    }
    CHECK(!arc_sniff("filedesc://", 10)); /* reads only the length it is given */
}

int main(void)
{
    for (size_t i = 0; i < sizeof header_cases / sizeof *header_cases; i++)
        run_header_case(&header_cases[i]);
    check_limits();
    check_header_length();
    check_dates();
    check_sniff();
    return check_report("test_arc");
}
