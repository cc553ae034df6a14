/* fuzz_html.c: arbitrary bytes through the web-page extractor and the fragment converter,
 * under each way of naming a character set. Every string they return must be valid UTF-8,
 * and a failure must leave the article zeroed. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Aborts unless s is NULL or valid UTF-8. */
static void check_utf8(const char *s)
{
    if (s && !utf8_is_valid(s, strlen(s))) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const charsets[] = {NULL,           "utf-8",     "iso-8859-1",
                                           "windows-1251", "shift_jis", "x-no-such-charset"};
    const char *html = (const char *)data;
    struct html_context ctx = {
        .url = "https://example.com/news/2020/02/29/story.html",
        .charset = charsets[size ? data[0] % (sizeof charsets / sizeof *charsets) : 0],
    };
    struct article a = {0};
    struct news_error err;
    if (html_extract(html, size, &ctx, &a, &err) == NEWS_OK) {
        if (!a.text) abort();
        const char *fields[] = {a.title, a.date, a.source, a.byline, a.url, a.lang, a.text};
        for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
            check_utf8(fields[i]);
        article_clear(&a);
    } else if (a.title || a.text || a.url || a.date || a.byline || a.source || a.lang) {
        abort();
    }
    if (html_extract(html, size, NULL, &a, &err) == NEWS_OK) article_clear(&a);

    size_t len;
    char *text = html_fragment_text(html, size, &len);
    if (!text || strlen(text) != len || !utf8_is_valid(text, len)) abort();
    free(text);
    return 0;
}
