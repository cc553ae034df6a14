/* test_highlight.c: a snippet's marked matches become plain text with spans whose byte and
 * character offsets slice out the matches, and are put back between any markers; marks out
 * of place never unbalance what is shown. */
#include <stdbool.h>
#include <stdlib.h>

#include "check.h"
#include "highlight.h"
#include "search.h"

#define O SEARCH_MARK_OPEN
#define C SEARCH_MARK_CLOSE

struct split_case {
    const char *snippet;
    bool one_line;
    const char *text;   /* the plain text */
    const char *joined; /* with matches between < and > */
    size_t spans;
    size_t chars[4][2]; /* each span's characters, start and end */
};

static const struct split_case cases[] = {
    {O "peace" C " talks", false, "peace talks", "<peace> talks", 1, {{0, 5}}},
    {O "peace talks" C " resume",
     false,
     "peace talks resume",
     "<peace talks> resume",
     1,
     {{0, 11}}},
    /* Characters, not bytes: "ü" and "«" are two bytes each, "…" three. */
    {"Talks in " O "Zürich" C " and «" O "Zürich" C "» …",
     false,
     "Talks in Zürich and «Zürich» …",
     "Talks in <Zürich> and «<Zürich>» …",
     2,
     {{9, 15}, {21, 27}}},
    /* A character outside the Basic Multilingual Plane is one code point. */
    {"\xF0\x9F\x98\x80 " O "x" C, false, "\xF0\x9F\x98\x80 x", "\xF0\x9F\x98\x80 <x>", 1, {{2, 3}}},
    /* As it is for JSON; as one line for text, the spans following the text. */
    {"a\n\n" O "b" C " c", false, "a\n\nb c", "a\n\n<b> c", 1, {{3, 4}}},
    {"a\n\n " O "b  c" C " \n d", true, "a b c d", "a <b c> d", 1, {{2, 5}}},
    {"  " O "x" C "  ", true, "x", "<x>", 1, {{0, 1}}},
    /* Marks out of place: a close outside a match and an open inside one are dropped, a
     * match open at the end ends there, an empty match is none. */
    {C "a" O "b" O "c" C "d" C, false, "abcd", "a<bc>d", 1, {{1, 3}}},
    {"a" O "bc", false, "abc", "a<bc>", 1, {{1, 3}}},
    {"a" O C "b", false, "ab", "ab", 0, {{0, 0}}},
    {"a " O " " C "b", true, "a b", "a b", 0, {{0, 0}}},
    {"", false, "", "", 0, {{0, 0}}},
};

/* Byte offsets agree with character offsets: both slice out the same match. */
static void check_bytes(const struct highlight_split *s, size_t i)
{
    const struct highlight_span *sp = &s->spans[i];
    size_t chars = 0, start = 0, end = 0;
    for (size_t b = 0; b <= s->text_bytes; b++) {
        if (b == sp->start_byte) start = chars;
        if (b == sp->end_byte) end = chars;
        if (b < s->text_bytes) chars += ((unsigned char)s->text[b] & 0xC0) != 0x80;
    }
    CHECK_INT(start, sp->start_char);
    CHECK_INT(end, sp->end_char);
}

static void test_split(void)
{
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const struct split_case *c = &cases[i];
        struct highlight_split s;
        highlight_split(c->snippet, c->one_line, &s);
        CHECK_STR(s.text, c->text);
        CHECK_INT(s.text_bytes, strlen(c->text));
        CHECK_INT(s.span_count, c->spans);
        for (size_t k = 0; k < s.span_count && k < c->spans; k++) {
            CHECK_INT(s.spans[k].start_char, c->chars[k][0]);
            CHECK_INT(s.spans[k].end_char, c->chars[k][1]);
            check_bytes(&s, k);
        }
        char *joined = highlight_join(&s, "<", ">");
        CHECK_STR(joined, c->joined);
        free(joined);
        highlight_split_free(&s);
    }
    struct highlight_split s;
    highlight_split(NULL, true, &s);
    CHECK_STR(s.text, "");
    char *joined = highlight_join(&s, HIGHLIGHT_PLAIN_OPEN, HIGHLIGHT_PLAIN_CLOSE);
    CHECK_STR(joined, "");
    free(joined);
    highlight_split_free(&s);
    highlight_split_free(NULL);
    /* Markers of any length, escapes included. */
    highlight_split("the " O "peace" C " " O "talks" C, false, &s);
    joined = highlight_join(&s, HIGHLIGHT_ESCAPE_OPEN, HIGHLIGHT_ESCAPE_CLOSE);
    CHECK_STR(joined, "the \033[1;31mpeace\033[0m \033[1;31mtalks\033[0m");
    free(joined);
    highlight_split_free(&s);
}

/* --highlight's OPEN,CLOSE: NULL open means the spec is refused with a message naming
 * what is wrong. */
struct markers_case {
    const char *spec, *open, *close, *message;
};

static const struct markers_case markers[] = {
    {"<b>,</b>", "<b>", "</b>", NULL},
    {"[,]", "[", "]", NULL},
    {"«,»", "«", "»", NULL},
    {"\033[7m,\033[0m", "\033[7m", "\033[0m", NULL}, /* ESC is allowed */
    {"< , >", "< ", " >", NULL},
    {"12345678901234567890123456789012,x", "12345678901234567890123456789012", "x", NULL},
    {"", NULL, NULL, "two markers and one comma"},
    {"<b>", NULL, NULL, "two markers and one comma"},
    {"a,b,c", NULL, NULL, "two markers and one comma"},
    {",</b>", NULL, NULL, "OPEN is empty"},
    {"<b>,", NULL, NULL, "CLOSE is empty"},
    {"123456789012345678901234567890123,x", NULL, NULL, "at most 32 bytes; OPEN has 33"},
    {"\x01,b", NULL, NULL, "no control character but ESC; OPEN does"},
    {"a,\tb", NULL, NULL, "no control character but ESC; CLOSE does"},
    {"a,\x7f", NULL, NULL, "no control character but ESC; CLOSE does"},
    {"a,\xC2\x85", NULL, NULL, "no control character but ESC; CLOSE does"}, /* C1: NEL */
    {"\xFF,b", NULL, NULL, "UTF-8 text; OPEN is not"},
    {"\xC3,b", NULL, NULL, "UTF-8 text; OPEN is not"},          /* cut short */
    {"\xC0\xAF,b", NULL, NULL, "UTF-8 text; OPEN is not"},      /* overlong */
    {"a,\xED\xA0\x80", NULL, NULL, "UTF-8 text; CLOSE is not"}, /* a surrogate */
};

static void test_markers(void)
{
    for (size_t i = 0; i < sizeof markers / sizeof *markers; i++) {
        const struct markers_case *c = &markers[i];
        struct highlight_markers m = {"unset", "unset"};
        struct news_error err = {""};
        enum news_status st = highlight_markers_parse(c->spec, &m, &err);
        if (c->open) {
            CHECK_INT(st, NEWS_OK);
            CHECK_STR(m.open, c->open);
            CHECK_STR(m.close, c->close);
        } else {
            CHECK_INT(st, NEWS_ERR_USAGE);
            CHECK_STR(m.open, "unset"); /* untouched */
            if (!strstr(err.msg, c->message)) CHECK_STR(err.msg, c->message);
        }
    }
}

static void test_when(void)
{
    enum highlight_when when = HIGHLIGHT_NEVER;
    CHECK(highlight_when_parse("auto", &when) && when == HIGHLIGHT_AUTO);
    CHECK(highlight_when_parse("always", &when) && when == HIGHLIGHT_ALWAYS);
    CHECK(highlight_when_parse("never", &when) && when == HIGHLIGHT_NEVER);
    CHECK(!highlight_when_parse("yes", &when) && when == HIGHLIGHT_NEVER);
    CHECK(!highlight_when_parse("", &when));
    /* when, stdout a terminal, NO_COLOR: escapes */
    static const struct {
        enum highlight_when when;
        bool is_terminal;
        const char *no_color;
        bool escapes;
    } escapes[] = {
        {HIGHLIGHT_AUTO, true, NULL, true},    {HIGHLIGHT_AUTO, false, NULL, false},
        {HIGHLIGHT_AUTO, true, "1", false},    {HIGHLIGHT_AUTO, true, "no", false},
        {HIGHLIGHT_AUTO, true, "", true}, /* set but empty: as unset */
        {HIGHLIGHT_ALWAYS, false, NULL, true}, {HIGHLIGHT_ALWAYS, true, "1", true},
        {HIGHLIGHT_NEVER, true, NULL, false},  {HIGHLIGHT_NEVER, false, "", false},
    };
    for (size_t i = 0; i < sizeof escapes / sizeof *escapes; i++)
        CHECK_INT(
            highlight_use_escapes(escapes[i].when, escapes[i].is_terminal, escapes[i].no_color),
            escapes[i].escapes);
}

int main(void)
{
    test_split();
    test_markers();
    test_when();
    return check_report("test_highlight");
}
