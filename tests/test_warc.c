/* test_warc.c: WARC header blocks and HTTP responses on self-written input, then, when the
 * shared data is present, every record of every WARC in the UK Web Archive test corpus.
 * Usage: test_warc [shared-data-dir]; the default is ../shared/data beside the repository
 * (found from this file's path), or $NEWS_SHARED_DATA. */
#define ZLIB_CONST
#include <dirent.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#include "check.h"
#include "warc.h"

/* A WARC header block and what it must give; msg non-NULL: the parse fails with status and
 * a message that contains msg. */
struct header_case {
    const char *name;
    const char *input;
    enum news_status status;
    const char *msg;
    const char *version, *type, *target_uri, *date, *record_id, *content_type;
    uint64_t content_length;
};

/* The tail of a row whose parse fails. */
#define FAILS(status, msg) status, msg, NULL, NULL, NULL, NULL, NULL, NULL, 0

static const struct header_case header_cases[] = {
    {"WARC/1.0 with CRLF",
     "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: http://example.com/a?b=c\r\n"
     "WARC-Date: 2024-01-02T03:04:05Z\r\nWARC-Record-ID: <urn:uuid:0000-1111>\r\n"
     "Content-Type: application/http; msgtype=response\r\nContent-Length: 1234\r\n\r\n",
     NEWS_OK, NULL, "1.0", "response", "http://example.com/a?b=c", "2024-01-02T03:04:05Z",
     "urn:uuid:0000-1111", "application/http; msgtype=response", 1234},
    {"WARC/1.1, bare LF, any case, spaces, a continuation line",
     "WARC/1.1\nwarc-type:request\ncontent-type:  application/http;\n\tmsgtype=request  \n"
     "CONTENT-LENGTH:   42  \nwarc-record-id: urn:x:1\n\n",
     NEWS_OK, NULL, "1.1", "request", "", "", "urn:x:1", "application/http; msgtype=request", 42},
    {"WARC/0.17 (Heritrix 1.x drafts), target in angle brackets, length 0",
     "WARC/0.17\r\nWARC-Type: warcinfo\r\nWARC-Target-URI: <dns:example.org>\r\n"
     "Content-Length: 0\r\n\r\n",
     NEWS_OK, NULL, "0.17", "warcinfo", "dns:example.org", "", "", "", 0},
    {"WARC/0.18, leading zeros, the largest length",
     "WARC/0.18\r\nContent-Length: 018446744073709551615\r\n\r\n", NEWS_OK, NULL, "0.18", "", "",
     "", "", "", UINT64_MAX},
    {"first of a repeated field wins; equal lengths agree",
     "WARC/1.0\r\nWARC-Type: a\r\nWARC-Type: b\r\nContent-Length: 5\r\nContent-Length: 5\r\n"
     "\r\n",
     NEWS_OK, NULL, "1.0", "a", "", "", "", "", 5},
    {"mixed line ends, trailing spaces on the version line", "WARC/1.0 \r\nContent-Length: 7\n\r\n",
     NEWS_OK, NULL, "1.0", "", "", "", "", "", 7},
    {"unsupported version", "WARC/2.0\r\nContent-Length: 1\r\n\r\n",
     FAILS(NEWS_ERR_FORMAT, "unsupported WARC version \"WARC/2.0\"")},
    {"no version line", "WARC-Type: response\r\nContent-Length: 1\r\n\r\n",
     FAILS(NEWS_ERR_FORMAT, "missing WARC version line")},
    {"blank first line", "\r\nWARC/1.0\r\nContent-Length: 1\r\n\r\n",
     FAILS(NEWS_ERR_FORMAT, "missing WARC version line")},
    {"space before the version", " WARC/1.0\r\nContent-Length: 1\r\n\r\n",
     FAILS(NEWS_ERR_FORMAT, "missing WARC version line (found \" WARC/1.0\")")},
    {"missing Content-Length", "WARC/1.0\r\nWARC-Type: response\r\n\r\n",
     FAILS(NEWS_ERR_FORMAT, "missing Content-Length")},
    {"Content-Length with letters", "WARC/1.0\r\nContent-Length: 12a\r\n\r\n",
     FAILS(NEWS_ERR_FORMAT, "malformed Content-Length \"12a\"")},
    {"negative Content-Length", "WARC/1.0\r\nContent-Length: -5\r\n\r\n",
     FAILS(NEWS_ERR_FORMAT, "malformed Content-Length \"-5\"")},
    {"signed Content-Length", "WARC/1.0\r\nContent-Length: +5\r\n\r\n",
     FAILS(NEWS_ERR_FORMAT, "malformed Content-Length \"+5\"")},
    {"hex Content-Length", "WARC/1.0\r\nContent-Length: 0x10\r\n\r\n",
     FAILS(NEWS_ERR_FORMAT, "malformed Content-Length \"0x10\"")},
    {"Content-Length with a space inside", "WARC/1.0\r\nContent-Length: 1 2\r\n\r\n",
     FAILS(NEWS_ERR_FORMAT, "malformed Content-Length \"1 2\"")},
    {"empty Content-Length", "WARC/1.0\r\nContent-Length:\r\n\r\n",
     FAILS(NEWS_ERR_FORMAT, "malformed Content-Length \"\"")},
    {"Content-Length one past UINT64_MAX",
     "WARC/1.0\r\nContent-Length: 18446744073709551616\r\n\r\n",
     FAILS(NEWS_ERR_FORMAT, "Content-Length \"18446744073709551616\" is out of range")},
    {"huge Content-Length", "WARC/1.0\r\nContent-Length: 99999999999999999999999999\r\n\r\n",
     FAILS(NEWS_ERR_FORMAT, "is out of range")},
    {"conflicting Content-Length", "WARC/1.0\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n",
     FAILS(NEWS_ERR_FORMAT, "conflicting Content-Length values (5, then 6)")},
    {"a line without a colon", "WARC/1.0\r\nContent-Length: 5\r\ngarbage here\r\n\r\n",
     FAILS(NEWS_ERR_FORMAT, "malformed WARC header line 3")},
    {"a continuation with nothing to continue", "WARC/1.0\r\n  Content-Length: 5\r\n\r\n",
     FAILS(NEWS_ERR_FORMAT, "malformed WARC header line 2")},
    {"no blank line", "WARC/1.0\r\nContent-Length: 5\r\n",
     FAILS(NEWS_ERR_FORMAT, "no blank line after the WARC header")},
    {"empty input", "", FAILS(NEWS_ERR_FORMAT, "no blank line")},
};

/* Runs one row of header_cases. */
static void run_header_case(const struct header_case *c)
{
    struct warc_header h;
    struct news_error err = {{0}};
    memset(&h, 0x55, sizeof h);
    enum news_status st = warc_parse_header(c->input, strlen(c->input), &h, &err);
    int before = check_failures;
    CHECK_INT(st, c->status);
    if (c->msg) {
        CHECK(strstr(err.msg, c->msg) != NULL);
        CHECK(h.version[0] == '\0' && h.type[0] == '\0' && h.content_length == 0);
    } else {
        CHECK_STR(h.version, c->version);
        CHECK_STR(h.type, c->type);
        CHECK_STR(h.target_uri, c->target_uri);
        CHECK_STR(h.date, c->date);
        CHECK_STR(h.record_id, c->record_id);
        CHECK_STR(h.content_type, c->content_type);
        CHECK(h.content_length == c->content_length);
    }
    if (check_failures != before) fprintf(stderr, "  in case: %s (%s)\n", c->name, err.msg);
}

/* warc_header_length: where the block ends, or 0. */
static void check_header_length(void)
{
    static const struct {
        const char *input;
        size_t want;
    } cases[] = {
        {"WARC/1.0\r\n\r\nbody", 12},
        {"WARC/1.0\n\nbody", 10},
        {"WARC/1.0\r\n\nbody", 11},
        {"WARC/1.0\n\r\nbody", 11},
        {"WARC/1.0\r\nA: b\r\n", 0},
        {"WARC/1.0\r\nA: b\r\n\r", 0},
        {"\r\n", 2},
        {"", 0},
        {"no newline at all", 0},
        {"A: b\r\n \r\n\r\n", 11},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        size_t got = warc_header_length(cases[i].input, strlen(cases[i].input));
        CHECK_INT(got, cases[i].want);
        if (got != cases[i].want) fprintf(stderr, "  header length of: %s\n", cases[i].input);
    }

    /* The limit: a blank line just inside it is found, one just past it is not, and a
     * block over the limit is refused. */
    size_t n = WARC_MAX_HEADER_BYTES + 16;
    char *big = malloc(n);
    memcpy(big, "WARC/1.0\r\nX-Pad: ", 17);
    memset(big + 17, 'x', n - 17);
    memcpy(big + WARC_MAX_HEADER_BYTES - 4, "\r\n\r\n", 4);
    CHECK_INT(warc_header_length(big, n), WARC_MAX_HEADER_BYTES);
    big[WARC_MAX_HEADER_BYTES - 4] = 'x';
    memcpy(big + WARC_MAX_HEADER_BYTES - 3, "\r\n\r\n", 4);
    CHECK_INT(warc_header_length(big, n), 0);
    struct warc_header h;
    struct news_error err;
    CHECK_INT(warc_parse_header(big, n, &h, &err), NEWS_ERR_LIMIT);
    struct warc_http http;
    memcpy(big, "HTTP/1.1 200 OK\r\nX-Pad: ", 24);
    CHECK_INT(warc_parse_http(big, n, &http, &err), NEWS_ERR_LIMIT);
    CHECK(http.body == NULL);
    free(big);

    CHECK(warc_sniff("WARC/1.0\r\n", 10));
    CHECK(warc_sniff("WARC/", 5));
    CHECK(!warc_sniff("WARC", 4));
    CHECK(!warc_sniff("warc/1.0", 8));
    CHECK(!warc_sniff("filedesc://x.arc", 16));
}

/* Over-long values are cut at a character boundary, not refused. */
static void check_cut_values(void)
{
    char block[8192];
    char uri[3000];
    /* "é" is two bytes: 2046 bytes of 'a' then "é" puts its second byte past 2047. */
    memset(uri, 'a', 2046);
    memcpy(uri + 2046, "\xc3\xa9tail", 6);
    uri[2052] = '\0';
    snprintf(block, sizeof block,
             "WARC/1.0\r\nWARC-Target-URI: %s\r\nWARC-Type: %s\r\nContent-Length: 1\r\n\r\n", uri,
             "a-type-name-that-is-longer-than-thirty-one-bytes");
    struct warc_header h;
    struct news_error err;
    CHECK_INT(warc_parse_header(block, strlen(block), &h, &err), NEWS_OK);
    CHECK_INT(strlen(h.target_uri), 2046);
    CHECK_STR(h.type, "a-type-name-that-is-longer-than");
}

/* Compresses n bytes with zlib's deflate; window_bits 15+16 gives gzip, 15 zlib, -15 raw. */
static char *compress_bytes(const char *in, size_t n, int window_bits, size_t *out_len)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY) !=
        Z_OK)
        abort();
    size_t cap = deflateBound(&zs, (uLong)n) + 32;
    char *out = malloc(cap);
    zs.next_in = (const Bytef *)in;
    zs.avail_in = (uInt)n;
    zs.next_out = (Bytef *)out;
    zs.avail_out = (uInt)cap;
    if (deflate(&zs, Z_FINISH) != Z_STREAM_END) abort();
    *out_len = zs.total_out;
    deflateEnd(&zs);
    return out;
}

/* Builds "headers + body" in one malloc'd buffer. */
static char *response(const char *headers, const char *body, size_t body_len, size_t *len)
{
    size_t h = strlen(headers);
    char *r = malloc(h + body_len + 1);
    memcpy(r, headers, h);
    memcpy(r + h, body, body_len);
    *len = h + body_len;
    return r;
}

/* An HTTP response (NUL-terminated; bodies here hold no NUL) and what it must give. */
struct http_case {
    const char *name;
    const char *input;
    enum news_status status;
    const char *msg;
    int http_status;
    const char *content_type, *charset, *body;
};

/* The tail of a row whose parse fails. */
#define HTTP_FAILS(status, msg) status, msg, 0, NULL, NULL, NULL

static const struct http_case http_cases[] = {
    {"plain 200 with a charset",
     "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=UTF-8\r\nContent-Length: 5\r\n\r\n"
     "<p>x\n",
     NEWS_OK, NULL, 200, "text/html", "utf-8", "<p>x\n"},
    {"quoted charset, other parameters, case",
     "HTTP/1.0 200 OK\r\nContent-Type: Text/HTML;foo=\"a;b\" ; CharSet=\"ISO-8859-1\"\r\n\r\nb",
     NEWS_OK, NULL, 200, "text/html", "iso-8859-1", "b"},
    {"content type folded over two lines, bare LF",
     "HTTP/1.1 404 Not Found\ncontent-type: text/plain;\n charset=windows-1252\n\nnope", NEWS_OK,
     NULL, 404, "text/plain", "windows-1252", "nope"},
    {"no reason phrase, no content type, empty body", "HTTP/1.1 204\r\n\r\n", NEWS_OK, NULL, 204,
     "", "", ""},
    {"HTTP/2 and lowercase protocol", "http/2 301 Moved\r\nLocation: /x\r\n\r\n", NEWS_OK, NULL,
     301, "", "", ""},
    {"a junk header line is skipped",
     "HTTP/1.1 200 OK\r\nthis is junk\r\n  and its continuation\r\nContent-Type: text/html\r\n\r\n"
     "ok",
     NEWS_OK, NULL, 200, "text/html", "", "ok"},
    {"chunked, with extensions and trailers",
     "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/html\r\n\r\n"
     "5\r\nhello\r\n6;name=value\r\n world\r\n0\r\nX-Trailer: yes\r\n\r\n",
     NEWS_OK, NULL, 200, "text/html", "", "hello world"},
    {"chunked, uppercase hex, bare LF, padded size",
     "HTTP/1.1 200 OK\nTransfer-Encoding: gzip, Chunked\n\nA \n0123456789\n3\nabc\n0\n\n", NEWS_OK,
     NULL, 200, "", "", "0123456789abc"},
    {"chunked stream cut inside a chunk keeps what was read",
     "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n10\r\nabc", NEWS_OK, NULL,
     200, "", "", "helloabc"},
    {"chunked stream cut after a chunk",
     "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n", NEWS_OK, NULL, 200, "",
     "", "hello"},
    {"chunked stream with a bad size line later keeps what was read",
     "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\nzz\r\ncd\r\n", NEWS_OK, NULL,
     200, "", "", "ab"},
    {"said chunked, stored de-chunked",
     "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n<html>x</html>", NEWS_OK, NULL, 200, "",
     "", "<html>x</html>"},
    {"chunk size overflow",
     "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
     "fffffffffffffffff\r\nx",
     NEWS_OK, NULL, 200, "", "", "fffffffffffffffff\r\nx"},
    {"said gzip, not compressed",
     "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n<html>plain</html>", NEWS_OK, NULL, 200, "",
     "", "<html>plain</html>"},
    {"unknown content coding left alone", "HTTP/1.1 200 OK\r\nContent-Encoding: br\r\n\r\nxyz",
     NEWS_OK, NULL, 200, "", "", "xyz"},
    {"HTTP/0.9 body", "<html>\r\n\r\n</html>",
     HTTP_FAILS(NEWS_ERR_FORMAT, "malformed HTTP status line \"<html>\"")},
    {"four-digit status", "HTTP/1.1 2000 OK\r\n\r\n",
     HTTP_FAILS(NEWS_ERR_FORMAT, "malformed HTTP status line")},
    {"no status", "HTTP/1.1 OK\r\n\r\n", HTTP_FAILS(NEWS_ERR_FORMAT, "malformed HTTP status line")},
    {"other protocol", "ICY 200 OK\r\n\r\n",
     HTTP_FAILS(NEWS_ERR_FORMAT, "malformed HTTP status line")},
    {"version without digits", "HTTP/ 200 OK\r\n\r\n",
     HTTP_FAILS(NEWS_ERR_FORMAT, "malformed HTTP status line")},
    {"no blank line after the headers", "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n",
     HTTP_FAILS(NEWS_ERR_FORMAT, "no blank line after the HTTP headers")},
    {"empty", "", HTTP_FAILS(NEWS_ERR_FORMAT, "no blank line after the HTTP headers")},
};

/* Runs one row of http_cases. */
static void run_http_case(const struct http_case *c)
{
    struct warc_http r;
    struct news_error err = {{0}};
    memset(&r, 0x55, sizeof r);
    enum news_status st = warc_parse_http(c->input, strlen(c->input), &r, &err);
    int before = check_failures;
    CHECK_INT(st, c->status);
    if (c->msg) {
        CHECK(strstr(err.msg, c->msg) != NULL);
        CHECK(r.body == NULL && r.body_len == 0);
    } else if (st == NEWS_OK) {
        CHECK_INT(r.status, c->http_status);
        CHECK_STR(r.content_type, c->content_type);
        CHECK_STR(r.charset, c->charset);
        CHECK_STR(r.body, c->body);
        CHECK_INT(r.body_len, strlen(c->body ? c->body : ""));
        free(r.body);
    }
    if (check_failures != before) fprintf(stderr, "  in case: %s (%s)\n", c->name, err.msg);
}

/* Parses headers + body and checks the decoded body. */
static void check_decoded(const char *headers, const char *body, size_t body_len, const char *want,
                          size_t want_len)
{
    size_t len;
    char *in = response(headers, body, body_len, &len);
    struct warc_http r;
    struct news_error err = {{0}};
    enum news_status st = warc_parse_http(in, len, &r, &err);
    CHECK_INT(st, NEWS_OK);
    if (st == NEWS_OK) {
        CHECK_INT(r.body_len, want_len);
        CHECK(r.body_len == want_len && memcmp(r.body, want, want_len) == 0);
        CHECK(r.body[r.body_len] == '\0');
        free(r.body);
    } else {
        fprintf(stderr, "  %s\n", err.msg);
    }
    free(in);
}

/* Content coding: gzip, x-gzip, zlib and raw deflate, with chunking, members, truncation
 * and the decoded-size limit. */
static void check_content_coding(void)
{
    char text[20000];
    size_t n = 0;
    for (int i = 0; n + 64 < sizeof text; i++)
        n += (size_t)snprintf(text + n, sizeof text - n, "<p>Paragraph %d of the page.</p>\n", i);
    size_t gz_len, zl_len, raw_len;
    char *gz = compress_bytes(text, n, 15 + 16, &gz_len);
    char *zl = compress_bytes(text, n, 15, &zl_len);
    char *raw = compress_bytes(text, n, -15, &raw_len);

    check_decoded("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n", gz, gz_len, text, n);
    check_decoded("HTTP/1.1 200 OK\r\nContent-Encoding:  X-GZIP \r\n\r\n", gz, gz_len, text, n);
    check_decoded("HTTP/1.1 200 OK\r\nContent-Encoding: deflate\r\n\r\n", zl, zl_len, text, n);
    check_decoded("HTTP/1.1 200 OK\r\nContent-Encoding: deflate\r\n\r\n", raw, raw_len, text, n);
    /* Servers that say deflate and send gzip are decoded too. */
    check_decoded("HTTP/1.1 200 OK\r\nContent-Encoding: deflate\r\n\r\n", gz, gz_len, text, n);

    /* Chunked and gzipped: chunks of 1000 bytes of the gzip stream. */
    char *chunked = malloc(gz_len * 2 + 64);
    size_t c = 0;
    for (size_t i = 0; i < gz_len; i += 1000) {
        size_t k = gz_len - i < 1000 ? gz_len - i : 1000;
        c += (size_t)sprintf(chunked + c, "%zx\r\n", k);
        memcpy(chunked + c, gz + i, k);
        c += k;
        memcpy(chunked + c, "\r\n", 2);
        c += 2;
    }
    memcpy(chunked + c, "0\r\n\r\n", 5);
    c += 5;
    check_decoded("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n\r\n",
                  chunked, c, text, n);
    free(chunked);

    /* Two gzip members, one after the other. */
    char *two = malloc(gz_len * 2);
    memcpy(two, gz, gz_len);
    memcpy(two + gz_len, gz, gz_len);
    char *twice = malloc(n * 2);
    memcpy(twice, text, n);
    memcpy(twice + n, text, n);
    check_decoded("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n", two, gz_len * 2, twice,
                  n * 2);
    free(two);
    free(twice);

    /* A gzip stream cut in half keeps a non-empty prefix of the text. */
    size_t len;
    char *in = response("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n", gz, gz_len / 2, &len);
    struct warc_http r;
    struct news_error err;
    CHECK_INT(warc_parse_http(in, len, &r, &err), NEWS_OK);
    CHECK(r.body_len > 0 && r.body_len < n && memcmp(r.body, text, r.body_len) == 0);
    free(r.body);
    free(in);

    /* Damaged part way: what was decoded before the damage is kept (after it, deflate may
     * decode garbage until the checksum fails). */
    char *bad = malloc(gz_len);
    memcpy(bad, gz, gz_len);
    memset(bad + gz_len / 2, 0xFF, 16);
    in = response("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n", bad, gz_len, &len);
    CHECK_INT(warc_parse_http(in, len, &r, &err), NEWS_OK);
    CHECK(r.body_len >= 1000 && memcmp(r.body, text, 1000) == 0);
    free(r.body);
    free(in);
    free(bad);
    free(gz);
    free(zl);
    free(raw);

    /* The decoded-size limit: exactly 64 MiB is accepted, one byte more is refused. */
    size_t limit = (size_t)64 << 20;
    char *zeros = calloc(limit + 1, 1);
    char *bomb = compress_bytes(zeros, limit, 15 + 16, &gz_len);
    in = response("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n", bomb, gz_len, &len);
    CHECK_INT(warc_parse_http(in, len, &r, &err), NEWS_OK);
    CHECK(r.body_len == limit);
    free(r.body);
    free(in);
    free(bomb);
    bomb = compress_bytes(zeros, limit + 1, 15 + 16, &gz_len);
    in = response("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n", bomb, gz_len, &len);
    memset(&r, 0x55, sizeof r);
    CHECK_INT(warc_parse_http(in, len, &r, &err), NEWS_ERR_LIMIT);
    CHECK(strstr(err.msg, "more than 64 MiB") != NULL);
    CHECK(r.body == NULL && r.body_len == 0);
    free(in);
    free(bomb);
    free(zeros);
}

/* Largest file the corpus walk reads, after decompression. */
#define MAX_FILE_BYTES ((size_t)256 << 20)

/* Reads a whole file into memory; a .gz file is inflated member by member (inflateReset
 * after each, as .warc.gz has one member per record). Returns it malloc'd, or NULL. */
static char *load(const char *path, bool gz, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 20, n = 0, got;
    char *raw = malloc(cap);
    while ((got = fread(raw + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap && cap < MAX_FILE_BYTES) raw = realloc(raw, cap *= 2);
        if (n == cap) break;
    }
    fclose(f);
    if (!gz) {
        *len = n;
        return raw;
    }
    size_t out_cap = n * 4 + 4096, out_len = 0, members = 0;
    char *out = malloc(out_cap);
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (inflateInit2(&zs, 15 + 16) != Z_OK) abort();
    zs.next_in = (const Bytef *)raw;
    zs.avail_in = (uInt)n;
    bool ok = true;
    while (ok) {
        if (out_len == out_cap) {
            if (out_cap >= MAX_FILE_BYTES) {
                ok = false;
                break;
            }
            out = realloc(out, out_cap *= 2);
        }
        zs.next_out = (Bytef *)out + out_len;
        zs.avail_out = (uInt)(out_cap - out_len);
        int rc = inflate(&zs, Z_NO_FLUSH);
        out_len = out_cap - zs.avail_out;
        if (rc == Z_STREAM_END) {
            members++;
            if (zs.avail_in == 0) break;
            if (inflateReset(&zs) != Z_OK) ok = false;
        } else if (rc != Z_OK && !(rc == Z_BUF_ERROR && zs.avail_out == 0)) {
            fprintf(stderr, "%s: gzip member %zu: %s\n", path, members + 1,
                    zs.msg ? zs.msg : "truncated");
            ok = false;
        }
    }
    inflateEnd(&zs);
    free(raw);
    CHECK(ok);
    *len = out_len;
    return out;
}

/* Record counts for one WARC file. */
struct warc_counts {
    size_t records;
    char types[16][32];
    size_t type_count[16];
    size_t types_seen;
    size_t http, html_200;
    size_t html_tag;           /* 200 text/html bodies that hold "<html" once decoded */
    size_t chunked, dechunked; /* chunked responses, and those whose body lost its framing */
    size_t errors;             /* header or HTTP parse failures */
    size_t truncated;          /* a record running past the end of the file */
    size_t bad_ends;           /* a record not followed by its two CRLFs */
};

/* Adds one record of this type. */
static void count_type(struct warc_counts *c, const char *type)
{
    size_t i = 0;
    while (i < c->types_seen && strcmp(c->types[i], type) != 0)
        i++;
    if (i == c->types_seen) {
        if (i == 16) return;
        snprintf(c->types[i], sizeof c->types[i], "%s", type[0] ? type : "(none)");
        c->types_seen++;
    }
    c->type_count[i]++;
}

/* True if the len bytes hold the lowercase ASCII word in any case. */
static bool find_ci(const char *s, size_t len, const char *word)
{
    size_t n = strlen(word);
    for (size_t i = 0; i + n <= len; i++) {
        size_t k = 0;
        while (k < n &&
               ((s[i + k] >= 'A' && s[i + k] <= 'Z') ? s[i + k] + 32 : s[i + k]) == word[k])
            k++;
        if (k == n) return true;
    }
    return false;
}

/* True if the body holds "<html" in any case. */
static bool has_html_tag(const char *body, size_t len)
{
    return find_ci(body, len, "<html");
}

/* Splits a WARC in memory into records, as a reader does: header block, Content-Length
 * bytes of content, then "\r\n\r\n". */
static void walk_warc(const char *name, const char *data, size_t len, struct warc_counts *c)
{
    size_t pos = 0;
    while (pos < len) {
        size_t hl = warc_header_length(data + pos, len - pos);
        struct warc_header h;
        struct news_error err;
        if (hl == 0 || warc_parse_header(data + pos, hl, &h, &err) != NEWS_OK) {
            fprintf(stderr, "%s: offset %zu: %s\n", name, pos,
                    hl == 0 ? "no complete WARC header" : err.msg);
            c->errors++;
            return;
        }
        c->records++;
        count_type(c, h.type);
        if (h.content_length > len - pos - hl) {
            c->truncated++;
            return;
        }
        const char *content = data + pos + hl;
        size_t content_len = (size_t)h.content_length;
        if (strcmp(h.type, "response") == 0 &&
            strncmp(h.content_type, "application/http", 16) == 0) {
            struct warc_http r;
            if (warc_parse_http(content, content_len, &r, &err) != NEWS_OK) {
                fprintf(stderr, "%s: HTTP response at offset %zu: %s\n", name, pos, err.msg);
                c->errors++;
            } else {
                c->http++;
                size_t head = warc_header_length(content, content_len);
                if (find_ci(content, head, "transfer-encoding: chunked")) {
                    c->chunked++;
                    size_t framed = content_len - head;
                    if (r.body_len < framed && !find_ci(r.body, r.body_len, "\r\n0\r\n"))
                        c->dechunked++;
                }
                if (r.status == 200 && strcmp(r.content_type, "text/html") == 0) {
                    c->html_200++;
                    if (has_html_tag(r.body, r.body_len)) c->html_tag++;
                }
                free(r.body);
            }
        }
        pos += hl + content_len;
        if (len - pos >= 4 && memcmp(data + pos, "\r\n\r\n", 4) == 0) {
            pos += 4;
        } else {
            c->bad_ends++;
            while (pos < len && (data[pos] == '\r' || data[pos] == '\n'))
                pos++;
        }
    }
}

/* What each WARC of the corpus holds: the response records (PROVENANCE.md) and the HTTP
 * 200 text/html responses among them (counted independently with a Python script). */
static const struct {
    const char *name;
    size_t records, responses, html_200;
} expected[] = {
    {"IAH-20080430204825-00000-blackbook-truncated.warc", 23, 8, 2},
    {"IAH-20080430204825-00000-blackbook-truncated.warc.gz", 23, 8, 2},
    {"IAH-urls-wget.warc.gz", 36, 16, 2},
    {"sopa-wikipedia-homepage.warc.gz", 164, 74, 1},
    {"main-page.warc.gz", 151, 70, 1},
    {"post-blackout.warc.gz", 117, 51, 1},
};

/* Checks one file's counts against the table, if it is there. */
static void check_expected(const char *name, const struct warc_counts *c)
{
    for (size_t i = 0; i < sizeof expected / sizeof *expected; i++) {
        if (strcmp(name, expected[i].name) != 0) continue;
        size_t responses = 0;
        for (size_t k = 0; k < c->types_seen; k++)
            if (strcmp(c->types[k], "response") == 0) responses = c->type_count[k];
        CHECK_INT(c->records, expected[i].records);
        CHECK_INT(responses, expected[i].responses);
        CHECK_INT(c->html_200, expected[i].html_200);
        CHECK_INT(c->html_tag, c->html_200);
        CHECK_INT(c->dechunked, c->chunked);
    }
}

/* True if name ends with suffix. */
static bool ends_with(const char *name, const char *suffix)
{
    size_t n = strlen(name), k = strlen(suffix);
    return n >= k && strcmp(name + n - k, suffix) == 0;
}

/* Totals over the corpus walk. */
struct corpus {
    size_t warc_files, arc_files, records, errors, truncated, bad_ends;
    const char *root;
};

/* Walks dir (recursively, in name order): counts and checks every .warc and .warc.gz,
 * counts .arc and .arc.gz. */
static void walk_dir(const char *dir, struct corpus *t, int depth)
{
    struct dirent **names;
    int n = scandir(dir, &names, NULL, alphasort);
    if (n < 0) return;
    for (int i = 0; i < n; i++) {
        const char *name = names[i]->d_name;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, name);
        struct stat st;
        if (name[0] == '.' || stat(path, &st) != 0) {
        } else if (S_ISDIR(st.st_mode)) {
            if (depth < 8) walk_dir(path, t, depth + 1);
        } else if (ends_with(name, ".arc") || ends_with(name, ".arc.gz")) {
            t->arc_files++;
        } else if (ends_with(name, ".warc") || ends_with(name, ".warc.gz")) {
            size_t len = 0;
            char *data = load(path, ends_with(name, ".gz"), &len);
            CHECK(data != NULL);
            if (data) {
                struct warc_counts c;
                memset(&c, 0, sizeof c);
                walk_warc(name, data, len, &c);
                printf("test_warc: %s: %zu records (", path + strlen(t->root) + 1, c.records);
                for (size_t k = 0; k < c.types_seen; k++)
                    printf("%s%s %zu", k ? ", " : "", c.types[k], c.type_count[k]);
                printf("); %zu HTTP responses, %zu of them 200 text/html, %zu chunked", c.http,
                       c.html_200, c.chunked);
                if (c.errors || c.truncated || c.bad_ends)
                    printf("; %zu errors, %zu truncated, %zu without CRLF CRLF", c.errors,
                           c.truncated, c.bad_ends);
                printf("\n");
                CHECK(c.records > 0);
                check_expected(name, &c);
                t->warc_files++;
                t->records += c.records;
                t->errors += c.errors;
                t->truncated += c.truncated;
                t->bad_ends += c.bad_ends;
                free(data);
            }
        }
        free(names[i]);
    }
    free(names);
}

/* The UK Web Archive test corpus, when it is there. */
static void check_corpus(const char *data)
{
    char dir[4200];
    snprintf(dir, sizeof dir, "%s/ukwa-warc-test-corpus", data);
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        printf("test_warc: UKWA WARC test corpus: skipped: no data (%s)\n", dir);
        return;
    }
    struct corpus t = {0, 0, 0, 0, 0, 0, dir};
    walk_dir(dir, &t, 0);
    printf("test_warc: UKWA WARC test corpus: %zu WARC files, %zu records, %zu errors, "
           "%zu truncated, %zu without CRLF CRLF; %zu ARC files (read in test_input)\n",
           t.warc_files, t.records, t.errors, t.truncated, t.bad_ends, t.arc_files);
    CHECK_INT(t.warc_files, 6);
    CHECK_INT(t.arc_files, 2);
    CHECK_INT(t.errors, 0);
    CHECK_INT(t.truncated, 0);
    CHECK_INT(t.bad_ends, 0);
}

int main(int argc, char **argv)
{
    for (size_t i = 0; i < sizeof header_cases / sizeof *header_cases; i++)
        run_header_case(&header_cases[i]);
    check_header_length();
    check_cut_values();
    for (size_t i = 0; i < sizeof http_cases / sizeof *http_cases; i++)
        run_http_case(&http_cases[i]);
    check_content_coding();

    char data[4096];
    check_data_dir(argc, argv, data, sizeof data);
    check_corpus(data);
    return check_report("test_warc");
}
