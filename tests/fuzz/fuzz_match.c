/* fuzz_match.c: libFuzzer target for the query translator: any bytes, both modes; it must
 * never crash, leak or hang, and must keep its contract on every input. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "match.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Checks what holds for every translation: success gives a non-empty string with balanced
 * double quotes; failure is a usage error with a message and leaves *out alone. */
static void translate_one(const char *query, enum match_mode mode)
{
    char *out = NULL;
    struct news_error err;
    err.msg[0] = '\0';
    enum news_status status = match_translate(query, mode, &out, &err);
    if (status == NEWS_OK) {
        size_t quotes = 0;
        if (!out || !out[0]) abort();
        for (const char *p = out; *p; p++)
            quotes += *p == '"';
        if (quotes % 2 != 0) abort();
    } else if (status != NEWS_ERR_USAGE || out || !err.msg[0]) {
        abort();
    }
    free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *query = malloc(size + 1);
    if (!query) return 0;
    memcpy(query, data, size);
    query[size] = '\0';
    translate_one(query, MATCH_ALL);
    translate_one(query, MATCH_ANY);
    free(query);
    return 0;
}
