/* textfmt.c: the plain-text article reader. */
#include "textfmt.h"

#include <stdlib.h>
#include <string.h>

#include "utf8.h"

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Returns a copy of s[0..len) without surrounding whitespace. */
static char *trimmed_copy(const char *s, size_t len)
{
    while (len > 0 && is_space(*s))
        s++, len--;
    while (len > 0 && is_space(s[len - 1]))
        len--;
    return news_xstrndup(s, len);
}

/* Matches "date YYYY-MM-DD" at s (leading whitespace already skipped); returns the length
 * of the match including the space after the date, or 0. */
static size_t date_prefix(const char *s, size_t len)
{
    static const char shape[] = "date dddd-dd-dd";
    size_t n = sizeof shape - 1;
    if (len < n) return 0;
    for (size_t i = 0; i < n; i++) {
        if (shape[i] == 'd' && i >= 5 ? !is_digit(s[i]) : s[i] != shape[i]) return 0;
    }
    if (len > n && !is_space(s[n])) return 0;
    return n;
}

/* Cuts an overlong title at the last space before the limit (never inside a character). */
static size_t title_cut(const char *s, size_t len)
{
    if (len <= TEXTFMT_MAX_TITLE_BYTES) return len;
    size_t cut = TEXTFMT_MAX_TITLE_BYTES;
    while (cut > 0 && s[cut] != ' ')
        cut--;
    return cut ? cut : utf8_cut(s, TEXTFMT_MAX_TITLE_BYTES);
}

enum news_status textfmt_parse(const char *buf, size_t len, struct article *out,
                               struct news_error *err)
{
    size_t pos = 0;
    /* The first line with something on it. */
    for (;;) {
        while (pos < len && is_space(buf[pos]) && buf[pos] != '\n')
            pos++;
        if (pos >= len) return news_error_set(err, NEWS_ERR_FORMAT, "no text in the file");
        if (buf[pos] != '\n') break;
        pos++;
    }
    const char *line = buf + pos;
    const char *nl = memchr(line, '\n', len - pos);
    size_t line_len = nl ? (size_t)(nl - line) : len - pos;
    size_t body_start = nl ? pos + line_len + 1 : len;

    size_t skip = date_prefix(line, line_len);
    if (skip > 0) {
        out->date = news_xstrndup(line + 5, 10);
        line += skip;
        line_len -= skip;
    }
    out->title = trimmed_copy(line, title_cut(line, line_len));
    if (out->title[0] == '\0') {
        free(out->title);
        out->title = NULL;
    }
    /* The body keeps its line structure; leading blank lines go. */
    while (body_start < len && is_space(buf[body_start]))
        body_start++;
    out->text = news_xstrndup(buf + body_start, len - body_start);
    return NEWS_OK;
}

/* Whether s[0..len) is a word of letters: ASCII letters or UTF-8 sequences, with hyphens
 * and apostrophes inside, and punctuation before and after. */
static bool letter_word(const char *s, size_t len)
{
    static const char around[] = "\"'([.,;:!?)]";
    while (len > 0 && strchr(around, s[0]))
        s++, len--;
    while (len > 0 && strchr(around, s[len - 1]))
        len--;
    if (len == 0) return false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
        if (!letter && !((c == '-' || c == '\'') && i > 0 && i + 1 < len)) return false;
    }
    return true;
}

/* A line of prose: three in four of its words are words of letters, nothing of JSON, and
 * it has five words or more, or three or more and ends a sentence. */
static bool prose_line(const char *s, size_t len)
{
    size_t words = 0, letters = 0;
    for (size_t i = 0; i < len;) {
        while (i < len && is_space(s[i]))
            i++;
        size_t start = i;
        while (i < len && !is_space(s[i])) {
            if (s[i] == '{' || s[i] == '}' || (s[i] == '"' && i + 1 < len && s[i + 1] == ':'))
                return false;
            i++;
        }
        if (i == start) break;
        words++;
        letters += letter_word(s + start, i - start);
    }
    while (len > 0 && is_space(s[len - 1]))
        len--;
    bool sentence = len > 0 && strchr(".!?\"'", s[len - 1]);
    return (words >= 5 || (words >= 3 && sentence)) && 4 * letters >= 3 * words;
}

bool textfmt_is_article(const char *buf, size_t len)
{
    size_t pos = 0;
    while (pos < len && is_space(buf[pos]))
        pos++;
    if (pos >= len || buf[pos] == '<' || buf[pos] == '{' || buf[pos] == '[' || buf[pos] == '#')
        return false;
    const char *nl = memchr(buf + pos, '\n', len - pos);
    size_t title_len = nl ? (size_t)(nl - (buf + pos)) : len - pos;
    if (title_len > TEXTFMT_MAX_TITLE_BYTES) return false;
    bool letter = false;
    for (size_t i = pos; i < pos + title_len && !letter; i++)
        letter = letter_word(buf + i, 1);
    if (!letter) return false;
    /* A one-line file is a title alone: an article, if a short one. */
    if (!nl) return true;
    for (size_t i = pos + title_len + 1; i < len;) {
        const char *end = memchr(buf + i, '\n', len - i);
        size_t line_len = end ? (size_t)(end - (buf + i)) : len - i;
        if (prose_line(buf + i, line_len)) return true;
        i += line_len + 1;
    }
    return false;
}
