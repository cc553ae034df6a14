/* fuzz_highlight.c: libFuzzer target for how matches are shown: any bytes as a snippet with
 * marks, in both modes, and as --highlight's OPEN,CLOSE. It must never crash, leak or hang,
 * and must keep highlight.h's contract on every input. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "highlight.h"
#include "search.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t chars_before(const char *s, size_t bytes)
{
    size_t chars = 0;
    for (size_t i = 0; i < bytes; i++)
        chars += ((unsigned char)s[i] & 0xC0) != 0x80;
    return chars;
}

/* The text holds no mark (and with one_line no line break, tab, doubled space or space at
 * either end); the spans are in order, apart, not empty, within the text, and count the
 * same characters as their bytes. */
static void check_split(const struct highlight_split *s, bool one_line)
{
    if (strlen(s->text) != s->text_bytes || strpbrk(s->text, SEARCH_MARK_OPEN SEARCH_MARK_CLOSE))
        abort();
    if (one_line &&
        (strpbrk(s->text, "\t\n\r\f\v") || strstr(s->text, "  ") ||
         (s->text_bytes > 0 && (s->text[0] == ' ' || s->text[s->text_bytes - 1] == ' '))))
        abort();
    size_t from = 0;
    for (size_t i = 0; i < s->span_count; i++) {
        const struct highlight_span *sp = &s->spans[i];
        if (sp->start_byte < from || sp->end_byte <= sp->start_byte || sp->end_byte > s->text_bytes)
            abort();
        if (sp->start_char != chars_before(s->text, sp->start_byte) ||
            sp->end_char != chars_before(s->text, sp->end_byte))
            abort();
        from = sp->end_byte;
    }
}

/* Split, marked again, and split once more: the same text and spans. */
static void split_one(const char *snippet, bool one_line)
{
    struct highlight_split s, again;
    highlight_split(snippet, one_line, &s);
    check_split(&s, one_line);
    char *marked = highlight_join(&s, SEARCH_MARK_OPEN, SEARCH_MARK_CLOSE);
    highlight_split(marked, one_line, &again);
    if (strcmp(s.text, again.text) != 0 || s.span_count != again.span_count ||
        (s.span_count && memcmp(s.spans, again.spans, s.span_count * sizeof *s.spans) != 0))
        abort();
    free(marked);
    highlight_split_free(&again);
    highlight_split_free(&s);
}

/* Accepted markers are what was given, on either side of its one comma, within bounds. */
static void markers_one(const char *spec)
{
    struct highlight_markers m;
    struct news_error err;
    err.msg[0] = '\0';
    enum news_status st = highlight_markers_parse(spec, &m, &err);
    if (st != NEWS_OK) {
        if (st != NEWS_ERR_USAGE || !err.msg[0]) abort();
        return;
    }
    size_t open_bytes = strlen(m.open), close_bytes = strlen(m.close);
    if (!open_bytes || !close_bytes || open_bytes > HIGHLIGHT_MAX_MARKER_BYTES ||
        close_bytes > HIGHLIGHT_MAX_MARKER_BYTES || strchr(m.open, ',') || strchr(m.close, ','))
        abort();
    if (strncmp(spec, m.open, open_bytes) != 0 || spec[open_bytes] != ',' ||
        strcmp(spec + open_bytes + 1, m.close) != 0)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = news_xstrndup((const char *)data, size); /* a C string: up to a NUL */
    split_one(s, false);
    split_one(s, true);
    markers_one(s);
    free(s);
    return 0;
}
