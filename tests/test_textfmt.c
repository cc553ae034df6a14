/* test_textfmt.c: the plain-text reader: title and date lines, bodies, empty files. */
#include <stdlib.h>

#include "check.h"
#include "textfmt.h"

struct text_case {
    const char *input;
    const char *title, *date, *text; /* NULL: absent; text NULL: parse fails */
};

static const struct text_case cases[] = {
    /* The seed's format: a leading space, the date, the title. */
    {" date 2025-02-18 Russia and the US agree\n\nFirst.\n\nSecond.\n", "Russia and the US agree",
     "2025-02-18", "First.\n\nSecond.\n"},
    /* BBC: the headline, a blank line, paragraphs. */
    {"Ad sales boost Time Warner profit\n\nQuarterly profits rose.\n",
     "Ad sales boost Time Warner profit", NULL, "Quarterly profits rose.\n"},
    /* Leading blank lines and CRLF line ends. */
    {"\n\r\n  Headline  \r\n\r\nBody line\r\n", "Headline", NULL, "Body line\r\n"},
    /* Old dates are dates. */
    {"date 1863-11-19 Address at Gettysburg\n\nFour score.", "Address at Gettysburg", "1863-11-19",
     "Four score."},
    /* "date" not followed by a date is a title. */
    {"date night ideas\n\ntext", "date night ideas", NULL, "text"},
    {"date 2025-2-18 short\n", "date 2025-2-18 short", NULL, ""},
    /* A date and no title. */
    {"date 2025-02-18\n\nBody.", NULL, "2025-02-18", "Body."},
    /* Only a title. */
    {"Headline only", "Headline only", NULL, ""},
    /* Nothing. */
    {"", NULL, NULL, NULL},
    {" \n\t\n\n", NULL, NULL, NULL},
};

/* What has the shape of a plain-text article, and what is read as text only because
 * nothing else matched. */
static const struct {
    const char *text;
    bool is_article;
} shapes[] = {
    {" date 2025-02-18 Russia and the US agree\n\nFirst paragraph of the test.\n", true},
    {"Ad sales boost Time Warner profit\n\nQuarterly profits at US media giant TimeWarner "
     "jumped 76% to $1.13bn for the three months to December.\n",
     true},
    {"Headline only", true},
    {"Ministers meet\n\nTalks went on late into the night\n", true},
    {"# A README\n\nThis folder holds the sample data for the tests of the project.\n", false},
    {"<!-- 23-Jan-97 This is v1.1 of lewis.dtd -->\n<!ELEMENT LEWIS (REUTERS*)>\n", false},
    {"http://bits.example/a.png\nhttp://bits.example/b.css\nhttp://bits.example/c.js\n", false},
    {"acq\nalum\nbarley\nbop\ncarcass\ncocoa\n", false},
    {"Request {\n    \"headers\": [\n        {\n            \"name\": \"User-Agent\",\n"
     "            \"value\": \"Mozilla/5.0 (Macintosh; PPC Mac OS X) like Gecko and more\"\n",
     false},
    {"", false},
    {"\n\n  \n", false},
};

int main(void)
{
    for (size_t i = 0; i < sizeof shapes / sizeof *shapes; i++) {
        bool got = textfmt_is_article(shapes[i].text, strlen(shapes[i].text));
        CHECK_INT(got, shapes[i].is_article);
        if (got != shapes[i].is_article) fprintf(stderr, "  shape %zu\n", i);
    }
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const struct text_case *c = &cases[i];
        struct article a = {0};
        struct news_error err;
        enum news_status st = textfmt_parse(c->input, strlen(c->input), &a, &err);
        if (!c->text) {
            CHECK_INT(st, NEWS_ERR_FORMAT);
            CHECK(a.title == NULL && a.text == NULL);
            continue;
        }
        CHECK_INT(st, NEWS_OK);
        CHECK_STR(a.title, c->title);
        CHECK_STR(a.date, c->date);
        CHECK_STR(a.text, c->text);
        article_clear(&a);
    }

    /* An overlong first line is cut at a word, under the limit. */
    size_t n = 3000;
    char *long_line = malloc(n + 1);
    for (size_t i = 0; i < n; i++)
        long_line[i] = i % 10 == 9 ? ' ' : 'x';
    long_line[n] = '\0';
    struct article a = {0};
    struct news_error err;
    CHECK_INT(textfmt_parse(long_line, n, &a, &err), NEWS_OK);
    CHECK(a.title && strlen(a.title) <= TEXTFMT_MAX_TITLE_BYTES && strlen(a.title) > 900);
    article_clear(&a);
    free(long_line);
    return check_report("test_textfmt");
}
