/* fuzz_arc.c: libFuzzer target for the ARC header line parser and the capture-date
 * conversion: any bytes as a header line and as an Archive-date. They must never crash or
 * read past the input, and must keep their contracts on every input. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A fixed-size field is NUL-terminated within its array. */
#define TERMINATED(field) (memchr((field), '\0', sizeof(field)) != NULL)

/* Checks arc_parse_header's contract on one line: success gives terminated fields, a URL
 * with a scheme that starts the line (after spaces) whole, and a version; failure says why,
 * with the header zeroed. */
static void parse_line(const char *line, size_t len)
{
    struct arc_header h;
    struct news_error err;
    err.msg[0] = '\0';
    enum news_status st = arc_parse_header(line, len, &h, &err);
    if (st == NEWS_OK) {
        if (!TERMINATED(h.url) || !TERMINATED(h.ip) || !TERMINATED(h.date) ||
            !TERMINATED(h.content_type))
            abort();
        if (h.version != 1 && h.version != 2) abort();
        if (len > ARC_MAX_LINE_BYTES + 1) abort();
        size_t skip = 0;
        while (skip < len && line[skip] == ' ')
            skip++;
        size_t url_len = strlen(h.url);
        if (url_len == 0 || url_len > ARC_MAX_URL_BYTES || !strchr(h.url, ':')) abort();
        if (url_len > len - skip || memcmp(line + skip, h.url, url_len) != 0) abort();
        if (!h.ip[0] || !h.date[0] || !h.content_type[0]) abort();
    } else {
        if (h.url[0] || h.ip[0] || h.date[0] || h.content_type[0] || h.length || h.version) abort();
        if (err.msg[0] == '\0') abort();
        if (st != NEWS_ERR_FORMAT) abort();
    }
}

/* Checks arc_date_iso's contract: a date is exactly 14 digits, and the ISO form holds the
 * same digits with the separators between; anything else leaves the empty string. */
static void convert_date(const char *date)
{
    char out[ARC_ISO_DATE_BYTES];
    memset(out, 'x', sizeof out);
    if (!arc_date_iso(date, out)) {
        if (out[0] != '\0') abort();
        return;
    }
    if (strlen(date) != 14) abort();
    char want[ARC_ISO_DATE_BYTES];
    snprintf(want, sizeof want, "%.4s-%.2s-%.2sT%.2s:%.2s:%.2sZ", date, date + 4, date + 6,
             date + 8, date + 10, date + 12);
    if (strcmp(out, want) != 0) abort();
}

/* Each function gets an exact-size copy, so the sanitizer sees any over-read. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = malloc(size ? size : 1);
    if (!buf) return 0;
    if (size) memcpy(buf, data, size);
    size_t line = arc_header_length(buf, size);
    if (line > size || line > ARC_MAX_LINE_BYTES || (line > 0 && buf[line - 1] != '\n')) abort();
    if (line > 0) parse_line(buf, line);
    parse_line(buf, size);
    if (arc_sniff(buf, size) != (size >= 11 && memcmp(buf, "filedesc://", 11) == 0)) abort();
    /* The first bytes as an Archive-date (NUL-terminated). */
    size_t n = size < 32 ? size : 32;
    char date[33];
    memcpy(date, buf, n);
    date[n] = '\0';
    convert_date(date);
    free(buf);
    return 0;
}
