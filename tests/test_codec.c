/* test_codec.c: stored text round-trips, damaged blobs are errors, SQL sees the text. */
#include <stdlib.h>

#include "check.h"
#include "codec.h"

static void round_trip(const char *text, size_t len)
{
    unsigned char *blob = NULL;
    size_t blob_len = 0;
    struct news_error err;
    CHECK_INT(codec_compress(NULL, text, len, &blob, &blob_len, &err), NEWS_OK);
    char *back = NULL;
    size_t back_len = 0;
    CHECK_INT(codec_decompress(blob, blob_len, &back, &back_len, &err), NEWS_OK);
    CHECK_INT(back_len, len);
    CHECK(back && memcmp(back, text, len) == 0 && back[len] == '\0');
    free(back);
    free(blob);
}

int main(void)
{
    round_trip("", 0);
    round_trip("Peace talks in Riyadh.", 22);
    size_t big = 1 << 20;
    char *text = malloc(big);
    for (size_t i = 0; i < big; i++)
        text[i] = (char)('a' + (i * 7919) % 26);
    round_trip(text, big);

    /* One compressor reused for many texts gives the same blobs as fresh ones. */
    struct codec *c = codec_new();
    CHECK(c != NULL);
    for (size_t n = 0; n < 3000; n += 1000) {
        unsigned char *reused = NULL, *fresh = NULL;
        size_t reused_len = 0, fresh_len = 0;
        struct news_error e;
        CHECK_INT(codec_compress(c, text + n, 2000, &reused, &reused_len, &e), NEWS_OK);
        CHECK_INT(codec_compress(NULL, text + n, 2000, &fresh, &fresh_len, &e), NEWS_OK);
        CHECK(reused_len == fresh_len && memcmp(reused, fresh, fresh_len) == 0);
        free(reused);
        free(fresh);
    }
    codec_free(c);

    /* Damaged blobs: every truncation, a bad format byte, a lying length. */
    unsigned char *blob = NULL;
    size_t blob_len = 0;
    struct news_error err;
    CHECK_INT(codec_compress(NULL, text, 5000, &blob, &blob_len, &err), NEWS_OK);
    CHECK(blob_len < 5000);
    int failures = 0;
    for (size_t n = 0; n < blob_len; n++) {
        char *out = NULL;
        size_t out_len;
        failures += codec_decompress(blob, n, &out, &out_len, &err) != NEWS_OK;
        free(out);
    }
    CHECK_INT(failures, blob_len);
    char *out = NULL;
    size_t out_len;
    blob[0] = 9;
    CHECK_INT(codec_decompress(blob, blob_len, &out, &out_len, &err), NEWS_ERR_FORMAT);
    blob[0] = CODEC_FORMAT_ZLIB;
    blob[1] ^= 1; /* length off by one */
    CHECK_INT(codec_decompress(blob, blob_len, &out, &out_len, &err), NEWS_ERR_FORMAT);
    blob[1] ^= 1;
    blob[4] = 0x7F; /* claims more than the limit */
    CHECK_INT(codec_decompress(blob, blob_len, &out, &out_len, &err), NEWS_ERR_FORMAT);
    blob[4] = 0;

    /* The SQL function, as the FTS5 view uses it. */
    sqlite3 *db;
    CHECK_INT(sqlite3_open(":memory:", &db), SQLITE_OK);
    CHECK_INT(codec_register(db), SQLITE_OK);
    sqlite3_stmt *st;
    CHECK_INT(sqlite3_prepare_v2(db, "SELECT news_text(?1), news_text(NULL), news_text(x'00')", -1,
                                 &st, NULL),
              SQLITE_OK);
    sqlite3_bind_blob(st, 1, blob, (int)blob_len, SQLITE_STATIC);
    CHECK_INT(sqlite3_step(st), SQLITE_ERROR); /* x'00' is damaged: an error, not a crash */
    sqlite3_finalize(st);
    CHECK_INT(sqlite3_prepare_v2(db, "SELECT news_text(?1), news_text(NULL)", -1, &st, NULL),
              SQLITE_OK);
    sqlite3_bind_blob(st, 1, blob, (int)blob_len, SQLITE_STATIC);
    CHECK_INT(sqlite3_step(st), SQLITE_ROW);
    CHECK_INT(sqlite3_column_bytes(st, 0), 5000);
    CHECK(memcmp(sqlite3_column_text(st, 0), text, 5000) == 0);
    CHECK_INT(sqlite3_column_type(st, 1), SQLITE_NULL);
    sqlite3_finalize(st);
    sqlite3_close(db);
    free(blob);
    free(text);
    return check_report("test_codec");
}
