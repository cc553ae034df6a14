/* highlight.c: a snippet's matches taken apart from its text and put back between the
 * markers chosen for the output. */
#include "highlight.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "search.h"

bool highlight_when_parse(const char *s, enum highlight_when *out)
{
    static const char *const names[] = {"auto", "always", "never"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strcmp(s, names[i]) == 0) {
            *out = (enum highlight_when)i;
            return true;
        }
    return false;
}

bool highlight_use_escapes(enum highlight_when when, bool is_terminal, const char *no_color)
{
    bool no_color_set = no_color && no_color[0];
    return when == HIGHLIGHT_ALWAYS || (when == HIGHLIGHT_AUTO && is_terminal && !no_color_set);
}

/* Bytes of the UTF-8 character at s (at most n bytes), or 0 if none is there: a bad lead or
 * continuation byte, an overlong form, a surrogate, or a code point past U+10FFFF. */
static size_t utf8_char_bytes(const unsigned char *s, size_t n)
{
    if (s[0] < 0x80) return 1;
    size_t len = s[0] >= 0xC2 && s[0] <= 0xDF   ? 2
                 : s[0] >= 0xE0 && s[0] <= 0xEF ? 3
                 : s[0] >= 0xF0 && s[0] <= 0xF4 ? 4
                                                : 0;
    if (len == 0 || len > n) return 0;
    for (size_t i = 1; i < len; i++)
        if ((s[i] & 0xC0) != 0x80) return 0;
    if ((s[0] == 0xE0 && s[1] < 0xA0) || (s[0] == 0xED && s[1] > 0x9F) ||
        (s[0] == 0xF0 && s[1] < 0x90) || (s[0] == 0xF4 && s[1] > 0x8F))
        return 0;
    return len;
}

/* Checks one marker of --highlight; side is "OPEN" or "CLOSE", for the message. */
static enum news_status check_marker(const char *m, size_t bytes, const char *side,
                                     struct news_error *err)
{
    if (bytes == 0)
        return news_error_set(
            err, NEWS_ERR_USAGE,
            "--highlight needs a marker before and after the comma (OPEN,CLOSE); %s is empty",
            side);
    if (bytes > HIGHLIGHT_MAX_MARKER_BYTES)
        return news_error_set(err, NEWS_ERR_USAGE,
                              "--highlight markers are at most %d bytes; %s has %zu",
                              HIGHLIGHT_MAX_MARKER_BYTES, side, bytes);
    const unsigned char *u = (const unsigned char *)m;
    for (size_t i = 0, n; i < bytes; i += n) {
        n = utf8_char_bytes(u + i, bytes - i);
        if (n == 0)
            return news_error_set(err, NEWS_ERR_USAGE,
                                  "--highlight markers must be UTF-8 text; %s is not", side);
        bool c0 = u[i] < 0x20 && u[i] != 0x1B, c1 = u[i] == 0xC2 && u[i + 1] < 0xA0;
        if (c0 || c1 || u[i] == 0x7F)
            return news_error_set(
                err, NEWS_ERR_USAGE,
                "--highlight markers may hold no control character but ESC; %s does", side);
    }
    return NEWS_OK;
}

enum news_status highlight_markers_parse(const char *spec, struct highlight_markers *out,
                                         struct news_error *err)
{
    const char *comma = strchr(spec, ',');
    if (!comma || strchr(comma + 1, ','))
        return news_error_set(
            err, NEWS_ERR_USAGE,
            "--highlight needs OPEN,CLOSE: two markers and one comma between them, not '%s'", spec);
    size_t open_bytes = (size_t)(comma - spec), close_bytes = strlen(comma + 1);
    enum news_status st = check_marker(spec, open_bytes, "OPEN", err);
    if (st == NEWS_OK) st = check_marker(comma + 1, close_bytes, "CLOSE", err);
    if (st != NEWS_OK) return st;
    memcpy(out->open, spec, open_bytes);
    out->open[open_bytes] = '\0';
    memcpy(out->close, comma + 1, close_bytes + 1);
    return NEWS_OK;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* The state of a split: what is written, and the match being read. */
struct splitter {
    struct highlight_split *out;
    size_t span_cap, chars;
    bool one_line, pending_space, in_match, match_started;
    struct highlight_span span;
};

/* Appends one byte of text, after the space that one_line holds back; a match that has
 * begun starts at the first byte after its open mark. */
static void put_byte(struct splitter *sp, char c)
{
    struct highlight_split *s = sp->out;
    if (sp->pending_space && s->text_bytes > 0) {
        s->text[s->text_bytes++] = ' ';
        sp->chars++;
    }
    sp->pending_space = false;
    if (sp->in_match && !sp->match_started) {
        sp->span.start_byte = s->text_bytes;
        sp->span.start_char = sp->chars;
        sp->match_started = true;
    }
    s->text[s->text_bytes++] = c;
    sp->chars += ((unsigned char)c & 0xC0) != 0x80; /* a UTF-8 sequence's first byte */
}

/* Ends the match being read, keeping it if it holds a character. */
static void end_match(struct splitter *sp)
{
    struct highlight_split *s = sp->out;
    if (sp->match_started) {
        sp->span.end_byte = s->text_bytes;
        sp->span.end_char = sp->chars;
        if (s->span_count == sp->span_cap) {
            sp->span_cap = sp->span_cap ? sp->span_cap * 2 : 8;
            s->spans = news_xrealloc(s->spans, sp->span_cap * sizeof *s->spans);
        }
        s->spans[s->span_count++] = sp->span;
    }
    sp->in_match = sp->match_started = false;
}

void highlight_split(const char *snippet, bool one_line, struct highlight_split *out)
{
    const char *p = snippet ? snippet : "";
    memset(out, 0, sizeof *out);
    /* The text is never longer than the snippet: marks are dropped, spaces only merged. */
    out->text = news_xmalloc(strlen(p) + 1);
    struct splitter sp = {out, 0, 0, one_line, false, false, false, {0, 0, 0, 0}};
    for (; *p; p++) {
        if (*p == SEARCH_MARK_OPEN[0]) {
            sp.in_match = true; /* a second open inside a match changes nothing */
        } else if (*p == SEARCH_MARK_CLOSE[0]) {
            if (sp.in_match) end_match(&sp);
        } else if (one_line && is_space(*p)) {
            sp.pending_space = true;
        } else {
            put_byte(&sp, *p);
        }
    }
    if (sp.in_match) end_match(&sp);
    out->text[out->text_bytes] = '\0';
}

char *highlight_join(const struct highlight_split *s, const char *open, const char *close)
{
    size_t open_bytes = strlen(open), close_bytes = strlen(close);
    char *out = news_xmalloc(s->text_bytes + s->span_count * (open_bytes + close_bytes) + 1);
    size_t o = 0, from = 0;
    for (size_t i = 0; i <= s->span_count; i++) {
        size_t to = i < s->span_count ? s->spans[i].start_byte : s->text_bytes;
        memcpy(out + o, s->text + from, to - from);
        o += to - from;
        if (i == s->span_count) break;
        size_t match_bytes = s->spans[i].end_byte - to;
        memcpy(out + o, open, open_bytes);
        memcpy(out + o + open_bytes, s->text + to, match_bytes);
        memcpy(out + o + open_bytes + match_bytes, close, close_bytes);
        o += open_bytes + match_bytes + close_bytes;
        from = s->spans[i].end_byte;
    }
    out[o] = '\0';
    return out;
}

void highlight_split_free(struct highlight_split *s)
{
    if (!s) return;
    free(s->text);
    free(s->spans);
    s->text = NULL;
    s->spans = NULL;
    s->text_bytes = s->span_count = 0;
}
