/* fuzz_textfmt.c: arbitrary bytes through the plain-text path: recognising an article's
 * shape, decoding, the reader, and every cleaner decision. The output must always be
 * valid UTF-8. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "clean.h"
#include "textfmt.h"
#include "utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t len;
    enum utf8_source how;
    char *text = utf8_decode((const char *)data, size, &len, &how);
    if (!utf8_is_valid(text, len)) abort();
    struct article a = {0};
    struct news_error err;
    /* What has the shape of an article has a title to read: text with a letter in it. */
    if (textfmt_is_article(text, len) && textfmt_parse(text, len, &a, &err) != NEWS_OK) abort();
    article_clear(&a);
    if (textfmt_parse(text, len, &a, &err) == NEWS_OK) {
        struct clean_doc doc = {0};
        clean_doc_split(&doc, a.text, strlen(a.text));
        clean_doc_mark(&doc);
        struct recur *r = recur_new(64);
        recur_count(r, 1, &doc);
        recur_count(r, 1, &doc);
        recur_mark_doc(r, 1, &doc, NULL, NULL);
        size_t out_len;
        char *out = clean_doc_join(&doc, &out_len);
        if (!utf8_is_valid(out, out_len) || strlen(out) != out_len) abort();
        free(out);
        recur_free(r);
        clean_doc_free(&doc);
        article_clear(&a);
    }
    free(text);
    return 0;
}
