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

/* A reusable compressor: zlib's deflate state is a quarter of a megabyte, zeroed on every
 * set-up, so a writer keeps one rather than paying that for each article. */
struct codec;

struct codec *codec_new(void);
void codec_free(struct codec *c); /* accepts NULL */

/* Compresses len bytes of text with c (or, when c is NULL, a compressor made for this
 * call). On success *out is a malloc'd blob the caller frees. */
enum news_status codec_compress(struct codec *c, const char *text, size_t len, unsigned char **out,
                                size_t *out_len, struct news_error *err);

/* Decompresses a stored blob. On success *out is a malloc'd NUL-terminated string the
 * caller frees and *out_len its length. A damaged blob is an error, never a crash. */
enum news_status codec_decompress(const void *blob, size_t len, char **out, size_t *out_len,
                                  struct news_error *err);

/* Registers news_text(blob) -> TEXT on db. The archive's FTS5 view calls it, so every
 * connection that reads the index needs it (archive_open does this). */
int codec_register(sqlite3 *db);

#endif
