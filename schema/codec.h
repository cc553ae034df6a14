/* codec.h: how article text is stored: compressed, self-describing, and readable from SQL. */
#ifndef NEWS_CODEC_H
#define NEWS_CODEC_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

/* Largest text one article may hold, compressed or not; bigger input is rejected. */
#define CODEC_MAX_TEXT_BYTES ((size_t)64 << 20)

/* Stored forms. Every blob starts with a format byte and the text length as 4 bytes
 * little-endian:
 *   1  zlib stream, no preset dictionary
 *   2  the id of a preset dictionary (4 bytes little-endian, a row of the archive's
 *      dictionary table), then a zlib stream made with that dictionary
 * A blob names what it needs to be read, so articles stored under an earlier dictionary,
 * or none, read as well as new ones. */
enum {
    CODEC_FORMAT_ZLIB = 1,
    CODEC_FORMAT_ZLIB_DICT = 2,
    CODEC_HEADER_BYTES = 5,
    CODEC_DICT_HEADER_BYTES = 9,
    CODEC_DICT_MAX = 32768 /* zlib's window: a longer dictionary is never used */
};

/* A preset dictionary: text typical of the archive, the most useful at the end, where
 * zlib's back references are cheapest. */
struct codec_dict {
    uint32_t id; /* dictionary.id in the archive; never 0 */
    size_t len;
    unsigned char bytes[CODEC_DICT_MAX];
};

/* A reusable compressor: zlib's deflate state is a quarter of a megabyte, zeroed on every
 * set-up, so a writer keeps one rather than paying that for each article. One per thread. */
struct codec;

struct codec *codec_new(void);
void codec_free(struct codec *c); /* accepts NULL */

/* Compresses len bytes of text with c (or, when c is NULL, a compressor made for this
 * call), under dict when it is not NULL. On success *out is a malloc'd blob the caller
 * frees. */
enum news_status codec_compress(struct codec *c, const struct codec_dict *dict, const char *text,
                                size_t len, unsigned char **out, size_t *out_len,
                                struct news_error *err);

/* The dictionary id a blob needs, 0 for none (or for a blob too short to tell). */
uint32_t codec_blob_dict(const void *blob, size_t len);

/* Decompresses a stored blob; dict must be the dictionary codec_blob_dict names (NULL when
 * it names none). On success *out is a malloc'd NUL-terminated string the caller frees and
 * *out_len its length. A damaged blob, or the wrong dictionary, is an error, never a crash. */
enum news_status codec_decompress(const void *blob, size_t len, const struct codec_dict *dict,
                                  char **out, size_t *out_len, struct news_error *err);

/* The preset dictionaries of one archive, each read from its dictionary table the first
 * time a blob names it, and kept (news_text() reads with them). */
struct codec_dicts;

struct codec_dicts *codec_dicts_new(void);
void codec_dicts_free(struct codec_dicts *c); /* accepts NULL */

/* Decompresses a blob stored in db's archive, as codec_decompress does, with the dictionary
 * it names; of its text only the first max bytes, or all of it when it is no longer (a
 * start may end inside a character). */
enum news_status codec_dicts_read(struct codec_dicts *c, sqlite3 *db, const void *blob, size_t len,
                                  size_t max, char **out, size_t *out_len, struct news_error *err);

/* How much text a dictionary is trained from: enough to learn from (a few hundred news
 * articles), and at most this much. */
#define CODEC_TRAIN_MIN_SAMPLE ((size_t)256 << 10)
#define CODEC_TRAIN_MAX_SAMPLE ((size_t)8 << 20)

/* Builds a preset dictionary from a sample of texts: the 8-byte strings found in the most
 * texts, taken as segments from the sample (a simplified form of zstd's COVER trainer), the
 * best last. Writes at most CODEC_DICT_MAX bytes to out and returns how many; 0 when the
 * sample is empty. Deterministic: the same sample gives the same dictionary. */
size_t codec_train(const char *const *texts, const size_t *lens, size_t count,
                   unsigned char out[CODEC_DICT_MAX]);

/* Texts gathered to train a dictionary from: codec_sample_add copies each until the
 * sample holds CODEC_TRAIN_MAX_SAMPLE bytes (then it returns false and keeps nothing
 * more). */
struct codec_sample {
    char **texts;
    size_t *lens;
    size_t count, cap, bytes;
};

bool codec_sample_add(struct codec_sample *s, const char *text, size_t len);

/* codec_train over the sample. */
size_t codec_sample_train(const struct codec_sample *s, unsigned char out[CODEC_DICT_MAX]);

/* Frees what the sample holds and empties it. */
void codec_sample_clear(struct codec_sample *s);

/* Registers news_text(blob) -> TEXT on db. The archive's FTS5 view calls it, so every
 * connection that reads the index needs it (archive_open does this). Dictionaries are
 * read from db's dictionary table the first time a blob names them, and kept. */
int codec_register(sqlite3 *db);

#endif
