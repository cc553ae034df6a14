/* test_codec.c: stored text round-trips, damaged blobs are errors, SQL sees the text. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "codec.h"

static void round_trip(const char *text, size_t len)
{
    unsigned char *blob = NULL;
    size_t blob_len = 0;
    struct news_error err;
    CHECK_INT(codec_compress(NULL, NULL, text, len, &blob, &blob_len, &err), NEWS_OK);
    char *back = NULL;
    size_t back_len = 0;
    CHECK_INT(codec_decompress(blob, blob_len, NULL, &back, &back_len, &err), NEWS_OK);
    CHECK_INT(back_len, len);
    CHECK(back && memcmp(back, text, len) == 0 && back[len] == '\0');
    free(back);
    free(blob);
}

/* Sentences of a made-up wire service, shuffled into articles: text with the kind of
 * repetition across articles that a preset dictionary is for. */
static char *make_article(unsigned seed, size_t *len)
{
    static const char *const sentences[] = {
        "The central bank left interest rates unchanged on Thursday. ",
        "Shares in the company rose 3 per cent in early trading in London. ",
        "The minister told reporters that talks would resume next week. ",
        "Oil prices fell after the cartel agreed to raise production. ",
        "Analysts said the figures were better than expected. ",
        "The government is expected to announce its budget in March. ",
        "Officials declined to comment on the report, a spokesman said. ",
        "Unemployment fell to its lowest level since the records began. ",
    };
    size_t cap = 4096, n = 0;
    char *text = malloc(cap);
    for (unsigned i = 0; i < 40; i++) {
        const char *s = sentences[(seed * 7 + i * (seed % 5 + 1)) % 8];
        size_t l = strlen(s);
        if (n + l + 1 > cap) break;
        memcpy(text + n, s, l);
        n += l;
    }
    text[n] = '\0';
    *len = n;
    return text;
}

/* codec_dicts_read, on db holding dictionary 7: the whole text or its start, from a blob
 * with the dictionary (with) and one without. */
static void test_dicts_read(sqlite3 *db, const unsigned char *with, size_t with_len,
                            const unsigned char *without, size_t without_len, const char *text,
                            size_t len)
{
    struct codec_dicts *dicts = codec_dicts_new();
    struct news_error err;
    const struct {
        const unsigned char *blob;
        size_t blob_len, max, want;
    } cases[] = {
        {with, with_len, CODEC_MAX_TEXT_BYTES, len},
        {with, with_len, 121, 121},
        {without, without_len, 121, 121},
        {without, without_len, len, len},
        {with, with_len, len + 1, len},
        {with, with_len, 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *out = NULL;
        size_t out_len = 0;
        CHECK_INT(codec_dicts_read(dicts, db, cases[i].blob, cases[i].blob_len, cases[i].max, &out,
                                   &out_len, &err),
                  NEWS_OK);
        CHECK_INT(out_len, cases[i].want);
        CHECK(out && memcmp(out, text, out_len) == 0 && out[out_len] == '\0');
        free(out);
    }
    /* The start of a damaged stream does not read either; nor does a missing dictionary. */
    char *out = NULL;
    size_t out_len = 0;
    CHECK_INT(
        codec_dicts_read(dicts, db, with, CODEC_DICT_HEADER_BYTES + 2, 121, &out, &out_len, &err),
        NEWS_ERR_FORMAT);
    unsigned char *other = malloc(with_len);
    memcpy(other, with, with_len);
    other[CODEC_HEADER_BYTES] = 9; /* dictionary 9 */
    CHECK_INT(codec_dicts_read(dicts, db, other, with_len, 121, &out, &out_len, &err),
              NEWS_ERR_FORMAT);
    CHECK(strstr(err.msg, "dictionary 9") != NULL);
    free(other);
    codec_dicts_free(dicts);
    codec_dicts_free(NULL);
}

/* news_text() reads dictionary 7 (dict) from the archive's table, once; and what
 * codec_dicts_read reads with it. */
static void test_news_text_dictionary(const struct codec_dict *dict, const unsigned char *with,
                                      size_t with_len, const unsigned char *without,
                                      size_t without_len, const char *text, size_t len)
{
    sqlite3 *db;
    CHECK_INT(sqlite3_open(":memory:", &db), SQLITE_OK);
    CHECK_INT(codec_register(db), SQLITE_OK);
    sqlite3_stmt *st;
    CHECK_INT(sqlite3_prepare_v2(db, "SELECT news_text(?1)", -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_blob(st, 1, with, (int)with_len, SQLITE_STATIC);
    CHECK_INT(sqlite3_step(st), SQLITE_ERROR); /* no dictionary table: an error */
    CHECK(strstr(sqlite3_errmsg(db), "dictionary 7") != NULL);
    sqlite3_finalize(st);
    CHECK_INT(sqlite3_exec(db, "CREATE TABLE dictionary(id INTEGER PRIMARY KEY, bytes BLOB)", NULL,
                           NULL, NULL),
              SQLITE_OK);
    CHECK_INT(sqlite3_prepare_v2(db, "INSERT INTO dictionary VALUES (7, ?1)", -1, &st, NULL),
              SQLITE_OK);
    sqlite3_bind_blob(st, 1, dict->bytes, (int)dict->len, SQLITE_STATIC);
    CHECK_INT(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
    CHECK_INT(sqlite3_prepare_v2(db, "SELECT news_text(?1), news_text(?2)", -1, &st, NULL),
              SQLITE_OK);
    sqlite3_bind_blob(st, 1, with, (int)with_len, SQLITE_STATIC);
    sqlite3_bind_blob(st, 2, without, (int)without_len, SQLITE_STATIC);
    CHECK_INT(sqlite3_step(st), SQLITE_ROW);
    CHECK_INT(sqlite3_column_bytes(st, 0), len);
    CHECK(memcmp(sqlite3_column_text(st, 0), text, len) == 0);
    CHECK(memcmp(sqlite3_column_text(st, 1), text, len) == 0);
    sqlite3_finalize(st);
    test_dicts_read(db, with, with_len, without, without_len, text, len);
    sqlite3_close(db);
}

/* Preset dictionaries: trained from a sample, they make articles smaller; a blob names its
 * dictionary and reads only with it; news_text() finds it in the archive's table. */
static void test_dictionary(void)
{
    enum { SAMPLE = 400 };
    char *texts[SAMPLE];
    size_t lens[SAMPLE], total = 0;
    for (unsigned i = 0; i < SAMPLE; i++) {
        texts[i] = make_article(i, &lens[i]);
        total += lens[i];
    }
    CHECK(total > CODEC_DICT_MAX);
    static struct codec_dict dict, again;
    dict.id = 7;
    dict.len = codec_train((const char *const *)texts, lens, SAMPLE, dict.bytes);
    again.len = codec_train((const char *const *)texts, lens, SAMPLE, again.bytes);
    CHECK(dict.len > 0 && dict.len <= CODEC_DICT_MAX);
    CHECK(dict.len == again.len && memcmp(dict.bytes, again.bytes, dict.len) == 0);
    /* A sample smaller than a dictionary is the dictionary; none gives none. */
    CHECK_INT(codec_train((const char *const *)texts, lens, 2, again.bytes), lens[0] + lens[1]);
    CHECK_INT(codec_train(NULL, NULL, 0, again.bytes), 0);

    size_t len;
    char *text = make_article(1001, &len);
    struct news_error err;
    unsigned char *with = NULL, *without = NULL;
    size_t with_len = 0, without_len = 0;
    CHECK_INT(codec_compress(NULL, &dict, text, len, &with, &with_len, &err), NEWS_OK);
    CHECK_INT(codec_compress(NULL, NULL, text, len, &without, &without_len, &err), NEWS_OK);
    CHECK(with_len < without_len / 2);
    CHECK_INT(with[0], CODEC_FORMAT_ZLIB_DICT);
    CHECK_INT(codec_blob_dict(with, with_len), 7);
    CHECK_INT(codec_blob_dict(without, without_len), 0);
    char *out = NULL;
    size_t out_len = 0;
    CHECK_INT(codec_decompress(with, with_len, &dict, &out, &out_len, &err), NEWS_OK);
    CHECK(out_len == len && memcmp(out, text, len) == 0);
    free(out);
    /* Without its dictionary, or with another one of the same id, it does not read. */
    CHECK_INT(codec_decompress(with, with_len, NULL, &out, &out_len, &err), NEWS_ERR_FORMAT);
    CHECK(strstr(err.msg, "dictionary 7") != NULL);
    again = dict;
    again.bytes[again.len - 1] ^= 1;
    CHECK_INT(codec_decompress(with, with_len, &again, &out, &out_len, &err), NEWS_ERR_FORMAT);
    /* A reused compressor (which keeps the dictionary taken in, and copies it for each
     * text) gives the same blobs as fresh ones, also when the dictionary changes. */
    struct codec *c = codec_new();
    static struct codec_dict other;
    other = dict;
    other.id = 8;
    other.len = dict.len / 2;
    const struct codec_dict *order[] = {&dict, &dict, &other, NULL, &dict, &other};
    for (size_t k = 0; k < sizeof order / sizeof *order; k++) {
        unsigned char *reused = NULL, *fresh = NULL;
        size_t reused_len = 0, fresh_len = 0;
        CHECK_INT(codec_compress(c, order[k], text, len, &reused, &reused_len, &err), NEWS_OK);
        CHECK_INT(codec_compress(NULL, order[k], text, len, &fresh, &fresh_len, &err), NEWS_OK);
        CHECK(reused_len == fresh_len && memcmp(reused, fresh, fresh_len) == 0);
        CHECK_INT(codec_decompress(reused, reused_len, order[k], &out, &out_len, &err), NEWS_OK);
        CHECK(out_len == len && memcmp(out, text, len) == 0);
        free(out);
        free(reused);
        free(fresh);
    }
    codec_free(c);

    /* Every truncation is an error. */
    int failures = 0;
    for (size_t n = 0; n < with_len; n++)
        failures += codec_decompress(with, n, &dict, &out, &out_len, &err) != NEWS_OK;
    CHECK_INT(failures, with_len);

    test_news_text_dictionary(&dict, with, with_len, without, without_len, text, len);

    free(with);
    free(without);
    free(text);
    for (unsigned i = 0; i < SAMPLE; i++)
        free(texts[i]);
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
        CHECK_INT(codec_compress(c, NULL, text + n, 2000, &reused, &reused_len, &e), NEWS_OK);
        CHECK_INT(codec_compress(NULL, NULL, text + n, 2000, &fresh, &fresh_len, &e), NEWS_OK);
        CHECK(reused_len == fresh_len && memcmp(reused, fresh, fresh_len) == 0);
        free(reused);
        free(fresh);
    }
    codec_free(c);

    /* Damaged blobs: every truncation, a bad format byte, a lying length. */
    unsigned char *blob = NULL;
    size_t blob_len = 0;
    struct news_error err;
    CHECK_INT(codec_compress(NULL, NULL, text, 5000, &blob, &blob_len, &err), NEWS_OK);
    CHECK(blob_len < 5000);
    int failures = 0;
    for (size_t n = 0; n < blob_len; n++) {
        char *out = NULL;
        size_t out_len;
        failures += codec_decompress(blob, n, NULL, &out, &out_len, &err) != NEWS_OK;
        free(out);
    }
    CHECK_INT(failures, blob_len);
    char *out = NULL;
    size_t out_len;
    blob[0] = 9;
    CHECK_INT(codec_decompress(blob, blob_len, NULL, &out, &out_len, &err), NEWS_ERR_FORMAT);
    blob[0] = CODEC_FORMAT_ZLIB;
    blob[1] ^= 1; /* length off by one */
    CHECK_INT(codec_decompress(blob, blob_len, NULL, &out, &out_len, &err), NEWS_ERR_FORMAT);
    blob[1] ^= 1;
    blob[4] = 0x7F; /* claims more than the limit */
    CHECK_INT(codec_decompress(blob, blob_len, NULL, &out, &out_len, &err), NEWS_ERR_FORMAT);
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
    test_dictionary();
    return check_report("test_codec");
}
