/* fuzz_input.c: arbitrary bytes as a file given to news-index: format recognition, gzip,
 * tar members, WARC and ARC records and the splitting of JSON Lines and SGML into records. The
 * records themselves go to the readers' own fuzzers. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t bytes_seen;

static bool on_record(void *ctx, const struct input_record *rec)
{
    (void)ctx;
    /* A page an ARC file captured comes from an http(s) URL, with no record id and either
     * no capture date or an ISO one. */
    if (rec->container == INPUT_ARC) {
        if (rec->format != INPUT_HTML || !rec->url || rec->record_id) abort();
        if (strncasecmp(rec->url, "http:", 5) != 0 && strncasecmp(rec->url, "https:", 6) != 0)
            abort();
        if (rec->crawl_date && (strlen(rec->crawl_date) != 20 || rec->crawl_date[10] != 'T'))
            abort();
    }
    /* Touch every byte, so that a record pointing outside its buffer is caught. */
    for (size_t i = 0; i < rec->len; i++)
        bytes_seen += (unsigned char)rec->data[i] & 1;
    return true;
}

static void on_reject(void *ctx, const char *path, size_t record, const char *kind,
                      const char *message)
{
    (void)ctx, (void)path, (void)record, (void)kind, (void)message;
}

static void on_skip(void *ctx, const char *path, const char *what)
{
    (void)ctx, (void)path, (void)what;
}

static void on_file(void *ctx, const char *path, uint64_t bytes)
{
    (void)ctx, (void)path, (void)bytes;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char path[64];
    if (!path[0]) snprintf(path, sizeof path, "/tmp/fuzz_input.%ld", (long)getpid());
    FILE *f = fopen(path, "wb");
    if (!f) return 0;
    fwrite(data, 1, size, f);
    fclose(f);
    struct input_callbacks cb = {on_record, on_reject, on_skip, on_file, NULL};
    input_read_path(path, INPUT_AUTO, &cb, NULL);
    unlink(path);
    return 0;
}
