/* fuzz_xmlnews.c: libFuzzer target for the XML news readers: any bytes through the sniffer,
 * the feed parser and the NewsML parser must give articles, rejects or an error, never a
 * crash, a leak, or an article that breaks the reader contract. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"
#include "xmlnews.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A field is absent, or non-empty valid UTF-8. */
static void check_field(const char *s)
{
    if (!s) return;
    size_t n = strlen(s);
    if (n == 0 || !utf8_is_valid(s, n)) abort();
}

/* Checks the article against the contract, then clears it. */
static bool fuzz_emit(void *ctx, struct reader_record *rec)
{
    struct article *a = &rec->article;
    (void)ctx;
    check_field(a->title);
    check_field(a->date);
    check_field(a->source);
    check_field(a->byline);
    check_field(a->url);
    check_field(a->source_id);
    check_field(a->lang);
    check_field(a->meta);
    check_field(a->text);
    if (!a->title && !a->text) abort();
    if (rec->record == 0 || !rec->raw || rec->raw_len == 0) abort();
    article_clear(a);
    return true;
}

static void fuzz_reject(void *ctx, size_t record, uint64_t offset, const char *message)
{
    (void)ctx;
    (void)offset;
    if (record == 0 || !message || !message[0]) abort();
}

/* A failure says why, and is one of the documented statuses. */
static void check_status(enum news_status st, const struct news_error *err)
{
    if (st == NEWS_OK) return;
    if (err->msg[0] == '\0' || (st != NEWS_ERR_FORMAT && st != NEWS_ERR_LIMIT)) abort();
}

/* Runs the input from an exact-size copy, so the sanitizer sees any over-read. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *copy = malloc(size ? size : 1);
    if (!copy) return 0;
    if (size) memcpy(copy, data, size);
    enum xmlnews_kind kind = xmlnews_sniff(copy, size);
    if (kind != XMLNEWS_NONE && kind != XMLNEWS_FEED && kind != XMLNEWS_NEWSML) abort();
    struct reader_sink sink = {fuzz_emit, fuzz_reject, NULL};
    struct news_error err = {{0}};
    check_status(xmlnews_parse_feed(copy, size, &sink, &err), &err);
    err.msg[0] = '\0';
    check_status(xmlnews_parse_newsml(copy, size, &sink, &err), &err);
    free(copy);
    return 0;
}
