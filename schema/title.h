/* title.h: the title an article without one is given, made from the start of its text, and
 * how to recognise such a title in an archive stored before titles were marked. */
#ifndef NEWS_TITLE_H
#define NEWS_TITLE_H

#include <stdbool.h>
#include <stddef.h>

/* A title made from the text is at most this long, in bytes. */
enum { TITLE_FROM_TEXT_BYTES = 120 };

/* How much of line (len bytes, one line of an article's text, no newline in it) the title
 * made from it takes: all of it when it fits in TITLE_FROM_TEXT_BYTES; else up to the last
 * space within them, so that the title ends with a whole word; else, for a line with no
 * space that early, as many whole characters as fit. A line longer than
 * TITLE_FROM_TEXT_BYTES is read up to byte TITLE_FROM_TEXT_BYTES included. */
size_t title_from_line(const char *line, size_t len);

/* Whether title (title_len bytes) is exactly the title title_from_line makes of the first
 * line of an article's text (up to its first newline). text holds the text's first
 * text_len bytes: all of it, or at least TITLE_FROM_TEXT_BYTES + 1 of them. An empty title
 * is never one. A title of the publisher's own that happens to be the same words is
 * indistinguishable, and is one too. */
bool title_is_from_text(const char *title, size_t title_len, const char *text, size_t text_len);

#endif
