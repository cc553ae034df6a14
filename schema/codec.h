/* codec.h: how article text is stored: compressed, self-describing, and readable from SQL. */
#ifndef NEWS_CODEC_H
#define NEWS_CODEC_H

#include <sqlite3.h>
#include <stddef.h>

#include "error.h"

/* Largest text one article may hold, compressed or not; bigger input is rejected. */
#define CODEC_MAX_TEXT_BYTES ((size_t)64 << 20)

/* Stored form: one format byte (1 = zlib stream, no preset dictionary), the text length as
 * 4 bytes little-endian, then the zlib stream. The format byte lets later versions add a
 * preset dictionary while old rows stay readable. */
enum { CODEC_FORMAT_ZLIB = 1, CODEC_HEADER_BYTES = 5 };

/* Compresses len bytes of text. On success *out is a malloc'd blob the caller frees. */
enum news_status codec_compress(const char *text, size_t len, unsigned char **out,
                                size_t *out_len, struct news_error *err);

/* Decompresses a stored blob. On success *out is a malloc'd NUL-terminated string the
 * caller frees and *out_len its length. A damaged blob is an error, never a crash. */
enum news_status codec_decompress(const void *blob, size_t len, char **out, size_t *out_len,
                                  struct news_error *err);

/* Registers news_text(blob) -> TEXT on db. The archive's FTS5 view calls it, so every
 * connection that reads the index needs it (archive_open does this). */
int codec_register(sqlite3 *db);

#endif
