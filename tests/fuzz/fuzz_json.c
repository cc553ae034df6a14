/* fuzz_json.c: libFuzzer target for the JSON document reader (an array of articles, a feed
 * or export holding one, or one article object): any bytes, decoded as the reader decodes
 * them. Each article and each rejected element must keep the reader contract, and a sink
 * that asks to stop must hear of no further article. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jsonl.h"
#include "utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* What the sink has seen of one document. */
struct seen {
    const char *doc;
    size_t len;
    size_t last_record; /* records come in increasing order */
    size_t articles;
    size_t stop_after; /* articles after which emit asks to stop; 0 never */
    bool stopped;
};

/* A field is absent, or non-empty valid UTF-8 with no surrounding spaces. */
static void check_field(const char *s)
{
    if (!s) return;
    size_t n = strlen(s);
    if (n == 0 || s[0] == ' ' || s[n - 1] == ' ' || !utf8_is_valid(s, n)) abort();
}

static void check_record(struct seen *w, size_t record, uint64_t offset)
{
    if (record <= w->last_record || offset >= w->len) abort();
    w->last_record = record;
}

static bool fuzz_emit(void *ctx, struct reader_record *rec)
{
    struct seen *w = ctx;
    const struct article *a = &rec->article;
    if (w->stopped) abort();
    check_record(w, rec->record, rec->offset);
    if (rec->raw != w->doc + rec->offset || rec->raw_len == 0 ||
        rec->raw_len > w->len - rec->offset || rec->raw[0] != '{')
        abort();
    const char *fields[] = {a->title, a->date,      a->source, a->byline, a->url,
                            a->lang,  a->source_id, a->meta,   a->text};
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
        check_field(fields[i]);
    w->articles++;
    w->stopped = w->stop_after && w->articles == w->stop_after;
    return !w->stopped;
}

static void fuzz_reject(void *ctx, size_t record, uint64_t offset, const char *message)
{
    struct seen *w = ctx;
    check_record(w, record, offset);
    if (!message || !message[0]) abort();
}

/* Reads the document once; returns how many articles the sink took. */
static size_t read_document(const char *doc, size_t len, size_t stop_after)
{
    struct seen w = {doc, len, 0, 0, stop_after, false};
    struct reader_sink sink = {fuzz_emit, fuzz_reject, &w};
    struct news_error err;
    err.msg[0] = '\0';
    enum news_status st = jsonl_parse_document(doc, len, &sink, &err);
    if (st != NEWS_OK && (err.msg[0] == '\0' || (st != NEWS_ERR_FORMAT && st != NEWS_ERR_LIMIT)))
        abort();
    return w.articles;
}

/* Runs the decoded input from an exact-size copy, so the sanitizer sees any over-read. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t len;
    enum utf8_source how;
    char *text = utf8_decode((const char *)data, size, &len, &how);
    char *doc = malloc(len ? len : 1);
    if (!doc) return 0;
    memcpy(doc, text, len);
    free(text);
    if (read_document(doc, len, 0) > 1 && read_document(doc, len, 1) != 1) abort();
    free(doc);
    return 0;
}
