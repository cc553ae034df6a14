/* title.c: the title made from an article's text, and recognising one afterwards. */
#include "title.h"

#include <string.h>

size_t title_from_line(const char *line, size_t len)
{
    if (len <= TITLE_FROM_TEXT_BYTES) return len;
    size_t n = TITLE_FROM_TEXT_BYTES;
    while (n > 0 && line[n] != ' ')
        n--;
    if (n > 0) return n;
    /* No space: cut before the character that byte TITLE_FROM_TEXT_BYTES is part of. */
    n = TITLE_FROM_TEXT_BYTES;
    while (n > 0 && ((unsigned char)line[n] & 0xC0) == 0x80)
        n--;
    return n;
}

bool title_is_from_text(const char *title, size_t title_len, const char *text, size_t text_len)
{
    if (title_len == 0 || title_len > TITLE_FROM_TEXT_BYTES || title_len > text_len) return false;
    const char *newline = memchr(text, '\n', text_len);
    size_t line_len = newline ? (size_t)(newline - text) : text_len;
    return title_from_line(text, line_len) == title_len && memcmp(title, text, title_len) == 0;
}
