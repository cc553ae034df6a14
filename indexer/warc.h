/* warc.h: WARC 1.0/1.1 (and 0.17) record headers and the HTTP responses they carry. The
 * caller reads records from the stream; these functions only parse bytes. */
#ifndef NEWS_WARC_H
#define NEWS_WARC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

/* Longest WARC or HTTP header block accepted. */
#define WARC_MAX_HEADER_BYTES (64 * 1024)

struct warc_header {
    char version[16];       /* "1.0" */
    char type[32];          /* "response", "request", "warcinfo", ... */
    char target_uri[2048];  /* WARC-Target-URI, or "" */
    char date[64];          /* WARC-Date as found */
    char record_id[256];    /* WARC-Record-ID without the angle brackets */
    char content_type[256]; /* e.g. "application/http; msgtype=response" */
    uint64_t content_length;
};

/* True if data starts like a WARC file ("WARC/"). */
bool warc_sniff(const char *data, size_t len);

/* Parses a header block: the version line, then "Name: value" lines, ending with an empty
 * line. len covers the block up to and including the blank line ("\r\n\r\n", tolerating
 * bare "\n"). Fails with NEWS_ERR_FORMAT (what is wrong) on a missing version line or a
 * missing or malformed Content-Length. Over-long values are cut, not errors. */
enum news_status warc_parse_header(const char *buf, size_t len, struct warc_header *h,
                                   struct news_error *err);

/* Returns the length of the header block at the start of buf (through the blank line),
 * or 0 if buf does not yet hold a complete one. */
size_t warc_header_length(const char *buf, size_t len);

/* An HTTP response as stored in a WARC response record. */
struct warc_http {
    int status;             /* 200 */
    char content_type[128]; /* "text/html", lowercased, without parameters */
    char charset[64];       /* from Content-Type, or "" */
    char *body;             /* malloc'd: de-chunked and gunzipped as the headers say */
    size_t body_len;
};

/* Parses the HTTP response in a record's content block: status line, headers, body.
 * Undoes Transfer-Encoding: chunked and Content-Encoding: gzip/deflate (with a hard limit
 * on the decoded size). Fails with NEWS_ERR_FORMAT on a malformed status line or
 * headers. On success the caller frees out->body. */
enum news_status warc_parse_http(const char *buf, size_t len, struct warc_http *out,
                                 struct news_error *err);

#endif
