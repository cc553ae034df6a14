/* fuzz_warc.c: libFuzzer target for the WARC header and HTTP response parsers: any bytes as
 * a header block and as a response. They must never crash, leak, hang or read past the
 * input, and must keep their contracts on every input. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "warc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A fixed-size field is NUL-terminated within its array. */
#define TERMINATED(field) (memchr((field), '\0', sizeof(field)) != NULL)

/* Checks warc_parse_header's contract on one block: success gives a known version and
 * terminated fields; failure says why, with the header zeroed. */
static void parse_header(const char *block, size_t len)
{
    struct warc_header h;
    struct news_error err;
    err.msg[0] = '\0';
    enum news_status st = warc_parse_header(block, len, &h, &err);
    if (st == NEWS_OK) {
        if (!TERMINATED(h.version) || !TERMINATED(h.type) || !TERMINATED(h.target_uri) ||
            !TERMINATED(h.date) || !TERMINATED(h.record_id) || !TERMINATED(h.content_type))
            abort();
        if (strcmp(h.version, "1.0") != 0 && strcmp(h.version, "1.1") != 0 &&
            strcmp(h.version, "0.17") != 0 && strcmp(h.version, "0.18") != 0)
            abort();
        if (len < 5 || memcmp(block, "WARC/", 5) != 0) abort();
    } else {
        struct warc_header zero;
        memset(&zero, 0, sizeof zero);
        if (memcmp(&h, &zero, sizeof h) != 0 || err.msg[0] == '\0') abort();
        if (st != NEWS_ERR_FORMAT && st != NEWS_ERR_LIMIT) abort();
    }
}

/* Checks warc_parse_http's contract: success gives a body within the limit, a lowercase
 * media type and terminated fields; failure leaves no body and says why. */
static void parse_http(const char *buf, size_t len)
{
    struct warc_http r;
    struct news_error err;
    err.msg[0] = '\0';
    enum news_status st = warc_parse_http(buf, len, &r, &err);
    if (st == NEWS_OK) {
        if (!r.body || r.body_len > ((size_t)64 << 20) || r.body[r.body_len] != '\0') abort();
        if (r.status < 0 || r.status > 999) abort();
        if (!TERMINATED(r.content_type) || !TERMINATED(r.charset)) abort();
        for (const char *p = r.content_type; *p; p++)
            if (*p >= 'A' && *p <= 'Z') abort();
        free(r.body);
    } else {
        if (r.body || r.body_len || err.msg[0] == '\0') abort();
        if (st != NEWS_ERR_FORMAT && st != NEWS_ERR_LIMIT) abort();
    }
}

/* Each parser gets an exact-size copy, so the sanitizer sees any over-read. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = malloc(size ? size : 1);
    if (!buf) return 0;
    if (size) memcpy(buf, data, size);
    size_t block = warc_header_length(buf, size);
    if (block > size || (block > 0 && buf[block - 1] != '\n')) abort();
    if (block > 0) parse_header(buf, block);
    parse_header(buf, size);
    (void)warc_sniff(buf, size);
    parse_http(buf, size);
    /* The content after a header block, as a reader hands it over. */
    if (block > 0) parse_http(buf + block, size - block);
    free(buf);
    return 0;
}
