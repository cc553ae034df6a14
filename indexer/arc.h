/* arc.h: ARC files (the Internet Archive's web archive format before WARC, versions 1 and 2):
 * recognising one, its record header lines and their capture dates. The caller reads the
 * file and the records' content; these functions only parse bytes. */
#ifndef NEWS_ARC_H
#define NEWS_ARC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

/* Longest URL accepted. URLs identify captures, so a longer one is an error, never cut. */
#define ARC_MAX_URL_BYTES 4096

/* Longest header line accepted, its newline included (16 KiB): a v2 line holds two URLs
 * (the capture's and a redirect's) and a file name. */
#define ARC_MAX_LINE_BYTES 16384

/* "YYYY-MM-DDTHH:MM:SSZ" and its NUL. */
#define ARC_ISO_DATE_BYTES 21

/* One record's header line. v1: "URL IP-address Archive-date Content-type Archive-length";
 * v2 adds Result-code Checksum Location Offset Filename before the length, which comes last
 * in both (v2's extra fields are not kept). */
struct arc_header {
    char
        url[ARC_MAX_URL_BYTES + 1]; /* "http://example.com/", "dns:example.com", "filedesc://..." */
    char ip[64];                    /* as found: "207.241.229.39", "0.0.0.0" */
    char date[32];                  /* Archive-date as found: "20080430204825" */
    char content_type[256];         /* as found: "text/html", "text/dns", "no-type" */
    uint64_t length;                /* Archive-length: bytes of content after the line */
    int version;                    /* 1 (five fields) or 2 (ten) */
};

/* True if data starts like an ARC file: its version block's "filedesc://" URL. */
bool arc_sniff(const char *data, size_t len);

/* Returns the length of the header line at the start of buf, through its newline, or 0 if
 * buf does not yet hold a whole one. Looks at no more than ARC_MAX_LINE_BYTES: 0 with len at
 * or past that means the line is too long, not that more data is needed. */
size_t arc_header_length(const char *buf, size_t len);

/* Parses one header line (len bytes, its "\n" or "\r\n" included or not). Fields are
 * separated by spaces; five make a v1 line, ten a v2 line. Fails with NEWS_ERR_FORMAT and
 * a message saying what is wrong on: a line longer than ARC_MAX_LINE_BYTES, a control
 * character, another number of fields, a URL without a scheme or longer than
 * ARC_MAX_URL_BYTES, another field longer than its place in *h, or a length that is not a
 * decimal number of at most 64 bits. The date is kept as found, not checked (see
 * arc_date_iso). *h is zeroed first, and stays zeroed on failure. err may be NULL. */
enum news_status arc_parse_header(const char *line, size_t len, struct arc_header *h,
                                  struct news_error *err);

/* Converts an Archive-date ("20080430204825", UTC) to ISO 8601 ("2008-04-30T20:48:25Z").
 * Returns false, leaving out as the empty string, unless date is exactly 14 digits making
 * a real date and time in the years 1000-9999. */
bool arc_date_iso(const char *date, char out[ARC_ISO_DATE_BYTES]);

#endif
