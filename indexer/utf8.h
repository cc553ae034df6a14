/* utf8.h: making input text valid UTF-8, whatever encoding it arrived in. */
#ifndef NEWS_UTF8_H
#define NEWS_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* True if the len bytes are valid UTF-8 (no overlongs, surrogates or code points past
 * U+10FFFF). */
bool utf8_is_valid(const char *s, size_t len);

/* How utf8_decode read its input. */
enum utf8_source { UTF8_AS_IS, UTF8_FROM_CP1252, UTF8_FROM_UTF16 };

/* Returns a malloc'd NUL-terminated valid UTF-8 copy of the len bytes and sets *out_len:
 * a UTF-8 byte order mark is dropped; UTF-16 with a byte order mark is converted; in
 * other input, each byte that is not part of a valid UTF-8 sequence is decoded as
 * windows-1252 (which covers ISO-8859-1, the usual mislabelled case). *how says which
 * happened. */
char *utf8_decode(const char *s, size_t len, size_t *out_len, enum utf8_source *how);

/* The length of the longest start of s of at most max bytes that does not end inside a
 * character (s holds at least max bytes, or a NUL before): where to cut UTF-8 text. */
size_t utf8_cut(const char *s, size_t max);

/* Appends the UTF-8 encoding of code point cp (which must be valid) to out; returns the
 * number of bytes written (1-4). */
size_t utf8_put(char *out, unsigned cp);

#endif
