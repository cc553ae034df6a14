/* fuzz_sgml.c: libFuzzer target for the SGML record parser: any bytes, decoded as the
 * reader decodes them, read as a Reuters record and as a TREC record. It must never crash,
 * leak or read past the record, and must keep its contract on every input. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sgml.h"
#include "utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A field is absent or a non-empty line with no surrounding spaces and no control
 * characters; the text may hold single blank lines between paragraphs, nothing more. */
static void check_field(const char *s, int is_text)
{
    if (!s) return;
    size_t n = strlen(s);
    if (n == 0 || s[0] == ' ' || s[n - 1] == ' ' || s[0] == '\n' || s[n - 1] == '\n') abort();
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\n' && !is_text) abort();
        if ((c < 0x20 && c != '\n') || c == 0x7F) abort();
    }
    if (is_text && strstr(s, "\n\n\n")) abort();
    if (!utf8_is_valid(s, n)) abort();
}

/* Parses one exact-size copy of the record, so the sanitizer sees any over-read. */
static void parse_as(enum sgml_kind kind, const char *text, size_t len)
{
    char *rec = malloc(len ? len : 1);
    if (!rec) return;
    if (len) memcpy(rec, text, len);
    struct article a = {0};
    struct news_error err;
    err.msg[0] = '\0';
    enum news_status st = sgml_parse_record(kind, rec, len, &a, &err);
    if (st == NEWS_OK) {
        if (!a.title && !a.text) abort();
        check_field(a.title, 0);
        check_field(a.source_id, 0);
        check_field(a.byline, 0);
        check_field(a.text, 1);
        if (a.date && (a.date[0] == ' ' || !utf8_is_valid(a.date, strlen(a.date)))) abort();
        if (a.meta) {
            size_t n = strlen(a.meta);
            if (n < 2 || a.meta[0] != '{' || a.meta[n - 1] != '}') abort();
            if (!utf8_is_valid(a.meta, n)) abort();
        }
    } else {
        struct article zero = {0};
        if (memcmp(&a, &zero, sizeof a) != 0 || err.msg[0] == '\0') abort();
        if (st != NEWS_ERR_FORMAT && st != NEWS_ERR_LIMIT) abort();
    }
    article_clear(&a);
    free(rec);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t len;
    enum utf8_source how;
    char *text = utf8_decode((const char *)data, size, &len, &how);
    (void)sgml_sniff(text, len);
    parse_as(SGML_REUTERS, text, len);
    parse_as(SGML_TREC, text, len);
    free(text);
    /* The raw bytes too: invalid UTF-8 must not crash (only the contract checks that
     * assume valid input are skipped). */
    struct article a = {0};
    struct news_error err;
    if (sgml_parse_record(SGML_REUTERS, (const char *)data, size, &a, &err) == NEWS_OK &&
        !a.title && !a.text)
        abort();
    article_clear(&a);
    return 0;
}
