/* extract.c: runs html_extract on each file named and prints one JSON Lines object per
 * file, {"file","title","date","byline","url","source","lang","text"} or {"file","error"},
 * for the quality harness (tests/quality/run). Exit status: 0 all extracted, 1 some file
 * failed, 2 usage. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "output.h"
#include "utf8.h"

#define EXTRACT_MAX_FILE_BYTES ((size_t)64 << 20)

/* Prints s as a JSON string with news-query's own writer; bytes that are not UTF-8 (in a
 * file name) are read as windows-1252 first, so the line is always valid JSON. */
static void put_json_string(FILE *out, const char *s)
{
    char *fixed = NULL;
    if (s && !utf8_is_valid(s, strlen(s))) {
        size_t len;
        enum utf8_source how;
        fixed = utf8_decode(s, strlen(s), &len, &how);
        s = fixed;
    }
    output_json_string(out, s);
    free(fixed);
}

/* Prints ,"key":value. */
static void put_field(FILE *out, const char *key, const char *value)
{
    fprintf(out, ",\"%s\":", key);
    put_json_string(out, value);
}

/* Reads the whole file into a malloc'd buffer (at most EXTRACT_MAX_FILE_BYTES). Returns
 * NULL with errno set on failure. */
static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) break;
        if (n == cap) {
            if (cap >= EXTRACT_MAX_FILE_BYTES) {
                free(buf);
                buf = NULL;
                errno = EFBIG;
                break;
            }
            char *bigger = realloc(buf, cap * 2);
            if (!bigger) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = bigger;
            cap *= 2;
        }
    }
    if (buf && ferror(f)) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    *len = n;
    return buf;
}

/* Extracts one file and prints its line. Returns 0 on success, 1 on failure. */
static int extract_one(const char *path)
{
    size_t len = 0;
    char *html = read_file(path, &len);
    fputs("{\"file\":", stdout);
    put_json_string(stdout, path);
    if (!html) {
        put_field(stdout, "error", strerror(errno));
        fputs("}\n", stdout);
        return 1;
    }
    struct article a = {0};
    struct news_error err = {{0}};
    int rc = 0;
    if (html_extract(html, len, NULL, &a, &err) != NEWS_OK) {
        put_field(stdout, "error", err.msg);
        rc = 1;
    } else {
        put_field(stdout, "title", a.title);
        put_field(stdout, "date", a.date);
        put_field(stdout, "byline", a.byline);
        put_field(stdout, "url", a.url);
        put_field(stdout, "source", a.source);
        put_field(stdout, "lang", a.lang);
        put_field(stdout, "text", a.text);
    }
    fputs("}\n", stdout);
    article_clear(&a);
    free(html);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--help") == 0) {
        puts("usage: extract FILE...\nPrints what html_extract finds in each HTML file, as JSON "
             "Lines.");
        return 0;
    }
    if (argc < 2) {
        fputs("extract: error: no file given\nTry 'extract --help'\n", stderr);
        return 2;
    }
    int rc = 0;
    for (int i = 1; i < argc; i++)
        rc |= extract_one(argv[i]);
    if (ferror(stdout) || fclose(stdout) != 0) {
        fputs("extract: error: writing the output failed\n", stderr);
        return 1;
    }
    return rc;
}
