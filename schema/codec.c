/* codec.c: zlib compression of article text and the news_text() SQL function. */
#include "codec.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

enum { CODEC_LEVEL = 6 };

struct codec {
    z_stream z;
};

struct codec *codec_new(void)
{
    struct codec *c = news_xmalloc(sizeof *c);
    memset(c, 0, sizeof *c);
    if (deflateInit(&c->z, CODEC_LEVEL) != Z_OK) {
        free(c);
        return NULL;
    }
    return c;
}

void codec_free(struct codec *c)
{
    if (!c) return;
    deflateEnd(&c->z);
    free(c);
}

enum news_status codec_compress(struct codec *c, const char *text, size_t len, unsigned char **out,
                                size_t *out_len, struct news_error *err)
{
    if (len > CODEC_MAX_TEXT_BYTES)
        return news_error_set(err, NEWS_ERR_LIMIT, "text of %zu bytes exceeds the %zu-byte limit",
                              len, CODEC_MAX_TEXT_BYTES);
    struct codec *own = c ? NULL : codec_new();
    if (!c) c = own;
    if (!c || deflateReset(&c->z) != Z_OK) {
        codec_free(own);
        return news_error_set(err, NEWS_ERR_FORMAT, "cannot start zlib compression");
    }
    size_t bound = deflateBound(&c->z, (uLong)len);
    unsigned char *blob = news_xmalloc(CODEC_HEADER_BYTES + bound);
    blob[0] = CODEC_FORMAT_ZLIB;
    for (int i = 0; i < 4; i++)
        blob[1 + i] = (unsigned char)(len >> (8 * i));
    c->z.next_in = (Bytef *)(uintptr_t)text; /* zlib's API is not const-correct */
    c->z.avail_in = (uInt)len;
    c->z.next_out = blob + CODEC_HEADER_BYTES;
    c->z.avail_out = (uInt)bound;
    int rc = deflate(&c->z, Z_FINISH);
    size_t z_len = bound - c->z.avail_out;
    codec_free(own);
    if (rc != Z_STREAM_END) {
        free(blob);
        return news_error_set(err, NEWS_ERR_FORMAT, "zlib compress failed (%d)", rc);
    }
    *out = blob;
    *out_len = CODEC_HEADER_BYTES + z_len;
    return NEWS_OK;
}

enum news_status codec_decompress(const void *blob, size_t len, char **out, size_t *out_len,
                                  struct news_error *err)
{
    const unsigned char *b = blob;
    if (len < CODEC_HEADER_BYTES || b[0] != CODEC_FORMAT_ZLIB)
        return news_error_set(err, NEWS_ERR_FORMAT, "stored text has an unknown format");
    size_t text_len = 0;
    for (int i = 0; i < 4; i++)
        text_len |= (size_t)b[1 + i] << (8 * i);
    if (text_len > CODEC_MAX_TEXT_BYTES)
        return news_error_set(err, NEWS_ERR_FORMAT, "stored text claims %zu bytes", text_len);
    char *text = news_xmalloc(text_len + 1);
    uLongf got = (uLongf)text_len;
    int rc =
        uncompress((Bytef *)text, &got, b + CODEC_HEADER_BYTES, (uLong)(len - CODEC_HEADER_BYTES));
    if (rc != Z_OK || got != text_len) {
        free(text);
        return news_error_set(err, NEWS_ERR_FORMAT, "stored text is damaged (zlib %d)", rc);
    }
    text[text_len] = '\0';
    *out = text;
    *out_len = text_len;
    return NEWS_OK;
}

static void news_text_func(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
        sqlite3_result_null(ctx);
        return;
    }
    const void *blob = sqlite3_value_blob(argv[0]);
    int len = sqlite3_value_bytes(argv[0]);
    char *text = NULL;
    size_t text_len = 0;
    struct news_error err;
    if (codec_decompress(blob, (size_t)len, &text, &text_len, &err) != NEWS_OK) {
        sqlite3_result_error(ctx, err.msg, -1);
        return;
    }
    sqlite3_result_text64(ctx, text, text_len, free, SQLITE_UTF8);
}

int codec_register(sqlite3 *db)
{
    return sqlite3_create_function_v2(db, "news_text", 1,
                                      SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
                                      news_text_func, NULL, NULL, NULL);
}
