/* highlight.h: how the matches that search marks in a snippet are shown, so that they
 * cannot be taken for the article's own text: between markers news text hardly ever holds
 * (or the user's), as terminal escapes, or as offsets into the snippet's plain text. */
#ifndef NEWS_HIGHLIGHT_H
#define NEWS_HIGHLIGHT_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

/* The markers of plain output: Markdown's bold, which reads as emphasis in plain text too,
 * and which news text, unlike brackets, quotes and guillemets, hardly ever holds. */
#define HIGHLIGHT_PLAIN_OPEN "**"
#define HIGHLIGHT_PLAIN_CLOSE "**"

/* On a terminal: bold red, as grep and ripgrep show matches (readable on dark and light
 * backgrounds, and apart from the bold titles), then every attribute reset. */
#define HIGHLIGHT_ESCAPE_OPEN "\033[1;31m"
#define HIGHLIGHT_ESCAPE_CLOSE "\033[0m"

/* Markers of the user's own (--highlight OPEN,CLOSE), in place of the defaults and of the
 * escapes: each 1 to HIGHLIGHT_MAX_MARKER_BYTES bytes. */
#define HIGHLIGHT_MAX_MARKER_BYTES 32
struct highlight_markers {
    char open[HIGHLIGHT_MAX_MARKER_BYTES + 1], close[HIGHLIGHT_MAX_MARKER_BYTES + 1];
};

/* Reads OPEN,CLOSE: two markers and the one comma between them, each of 1 to
 * HIGHLIGHT_MAX_MARKER_BYTES bytes of UTF-8 text with no control character but ESC (for
 * escapes of one's own). Anything else is NEWS_ERR_USAGE with a message saying what is
 * wrong; *out is set only on success. */
enum news_status highlight_markers_parse(const char *spec, struct highlight_markers *out,
                                         struct news_error *err);

/* --color: whether text output is for a terminal's reader. */
enum highlight_when { HIGHLIGHT_AUTO, HIGHLIGHT_ALWAYS, HIGHLIGHT_NEVER };

/* Reads "auto", "always" or "never" into *out; false for anything else. */
bool highlight_when_parse(const char *s, enum highlight_when *out);

/* Whether to write ANSI escapes (bold titles, highlighted matches): always, never, or with
 * auto when stdout is a terminal and no_color, the NO_COLOR variable (https://no-color.org),
 * is NULL or empty; an explicit always wins over NO_COLOR, as no-color.org asks. news-query
 * decides this here and nowhere else. */
bool highlight_use_escapes(enum highlight_when when, bool is_terminal, const char *no_color);

/* One match in a snippet's plain text, as bytes and as characters (Unicode code points),
 * start inclusive, end exclusive. */
struct highlight_span {
    size_t start_byte, end_byte;
    size_t start_char, end_char;
};

/* A snippet taken apart: its text without marks, and its matches in text order, none
 * empty, none overlapping. Owned by the caller: highlight_split_free. */
struct highlight_split {
    char *text;
    size_t text_bytes;
    struct highlight_span *spans;
    size_t span_count;
};

/* Takes apart snippet (search_hit.snippet: valid UTF-8, each match between
 * SEARCH_MARK_OPEN and SEARCH_MARK_CLOSE; NULL is read as empty). With one_line, runs of
 * white space (line breaks included) become one space, and none is kept at either end.
 * Marks out of place cannot unbalance what is shown: an open mark inside a match and a
 * close mark outside one are dropped, a match still open at the end ends there, and a
 * match of no characters is no match. */
void highlight_split(const char *snippet, bool one_line, struct highlight_split *out);

/* The text of s with each match between open and close; malloc'd, the caller frees. */
char *highlight_join(const struct highlight_split *s, const char *open, const char *close);

void highlight_split_free(struct highlight_split *s); /* accepts NULL */

#endif
