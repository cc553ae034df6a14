/* fuzz_jsonl.c: libFuzzer target for jsonl_parse: any bytes must give an article or an error,
 * never a crash, a leak or a read past the line. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jsonl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A field a successful parse returns is absent or non-empty, with no surrounding spaces. */
static void check_field(const char *s)
{
    if (!s) return;
    size_t n = strlen(s);
    if (n == 0 || s[0] == ' ' || s[n - 1] == ' ') abort();
}

/* Parses the input as one line from an exact-size copy, so the sanitizer sees any
 * over-read, and checks the contract: a failure leaves the article zeroed and says why. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *line = malloc(size ? size : 1);
    if (!line) return 0;
    if (size) memcpy(line, data, size);
    struct article a = {0};
    struct news_error err = {{0}};
    enum news_status st = jsonl_parse(line, size, &a, &err);
    if (st == NEWS_OK) {
        check_field(a.title);
        check_field(a.text);
        check_field(a.date);
        check_field(a.url);
        check_field(a.source);
        check_field(a.byline);
        check_field(a.source_id);
    } else {
        struct article zero = {0};
        if (memcmp(&a, &zero, sizeof a) != 0 || err.msg[0] == '\0') abort();
        if (st != NEWS_ERR_FORMAT && st != NEWS_ERR_LIMIT) abort();
    }
    article_clear(&a);
    free(line);
    return 0;
}
