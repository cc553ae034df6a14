/* codec.c: zlib compression of article text, preset dictionaries (training and use), and
 * the news_text() SQL function. */
#include "codec.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "extension.h" /* last: in news_ext.so, routes the sqlite3_* calls below */

/* Level 5, not zlib's default 6: with a 32 KiB preset dictionary, 6 spends 60% more time
 * per news article (most of it taking in the dictionary) for 1.5% smaller text (measured
 * on make-corpus articles: 0.422 against 0.416 of the text). */
enum { CODEC_LEVEL = 5 };

/* zlib's allocations for a codec's streams, kept for reuse: a stream copied for every
 * article would otherwise allocate and free a quarter of a megabyte each time. */
enum { POOL_BLOCKS = 16 };

struct pool_block {
    void *p;
    size_t size;
    bool used;
};

struct codec {
    z_stream z;      /* without a dictionary */
    z_stream primed; /* has taken in dictionary primed_id; only ever copied */
    uint32_t primed_id;
    size_t primed_len;
    bool has_primed;
    struct pool_block pool[POOL_BLOCKS];
};

static voidpf pool_alloc(voidpf opaque, uInt items, uInt size)
{
    struct codec *c = opaque;
    size_t want = (size_t)items * size;
    struct pool_block *empty = NULL;
    for (int i = 0; i < POOL_BLOCKS; i++) {
        struct pool_block *b = &c->pool[i];
        if (b->p && !b->used && b->size == want) {
            b->used = true;
            return b->p;
        }
        if (!b->p && !empty) empty = b;
    }
    void *p = malloc(want);
    if (p && empty) *empty = (struct pool_block){p, want, true};
    return p;
}

static void pool_free(voidpf opaque, voidpf p)
{
    struct codec *c = opaque;
    for (int i = 0; i < POOL_BLOCKS; i++) {
        if (c->pool[i].p == p) {
            c->pool[i].used = false;
            return;
        }
    }
    free(p);
}

struct codec *codec_new(void)
{
    struct codec *c = news_xmalloc(sizeof *c);
    memset(c, 0, sizeof *c);
    c->z.zalloc = c->primed.zalloc = pool_alloc;
    c->z.zfree = c->primed.zfree = pool_free;
    c->z.opaque = c->primed.opaque = c;
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
    if (c->has_primed) deflateEnd(&c->primed);
    for (int i = 0; i < POOL_BLOCKS; i++)
        free(c->pool[i].p);
    free(c);
}

/* Sets *out to a stream ready to compress under dict. Taking in a 32 KiB dictionary costs
 * more than compressing a news article, so c takes it in once, into c->primed, and each
 * article gets a copy of that stream (a third less time per article, measured); the copy
 * must be ended with deflateEnd. A codec takes a dictionary id to name the same bytes,
 * as it does within an archive. */
static bool start_with_dict(struct codec *c, const struct codec_dict *dict, z_stream *out)
{
    if (!c->has_primed || c->primed_id != dict->id || c->primed_len != dict->len) {
        if (c->has_primed) deflateEnd(&c->primed);
        c->has_primed = deflateInit(&c->primed, CODEC_LEVEL) == Z_OK;
        if (!c->has_primed) return false;
        if (deflateSetDictionary(&c->primed, dict->bytes, (uInt)dict->len) != Z_OK) {
            deflateEnd(&c->primed);
            c->has_primed = false;
            return false;
        }
        c->primed_id = dict->id;
        c->primed_len = dict->len;
    }
    memset(out, 0, sizeof *out);
    return deflateCopy(out, &c->primed) == Z_OK;
}

static void put32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static uint32_t get32(const unsigned char *p)
{
    uint32_t v = 0;
    for (int i = 0; i < 4; i++)
        v |= (uint32_t)p[i] << (8 * i);
    return v;
}

enum news_status codec_compress(struct codec *c, const struct codec_dict *dict, const char *text,
                                size_t len, unsigned char **out, size_t *out_len,
                                struct news_error *err)
{
    if (len > CODEC_MAX_TEXT_BYTES)
        return news_error_set(err, NEWS_ERR_LIMIT, "text of %zu bytes exceeds the %zu-byte limit",
                              len, CODEC_MAX_TEXT_BYTES);
    struct codec *own = c ? NULL : codec_new();
    if (!c) c = own;
    z_stream copy;
    z_stream *z = NULL;
    if (c && dict && start_with_dict(c, dict, &copy))
        z = &copy;
    else if (c && !dict && deflateReset(&c->z) == Z_OK)
        z = &c->z;
    if (!z) {
        codec_free(own);
        return news_error_set(err, NEWS_ERR_FORMAT, "cannot start zlib compression");
    }
    size_t header = dict ? CODEC_DICT_HEADER_BYTES : CODEC_HEADER_BYTES;
    size_t bound = deflateBound(z, (uLong)len);
    unsigned char *blob = news_xmalloc(header + bound);
    blob[0] = dict ? CODEC_FORMAT_ZLIB_DICT : CODEC_FORMAT_ZLIB;
    put32(blob + 1, (uint32_t)len);
    if (dict) put32(blob + CODEC_HEADER_BYTES, dict->id);
    z->next_in = (Bytef *)(uintptr_t)text; /* zlib's API is not const-correct */
    z->avail_in = (uInt)len;
    z->next_out = blob + header;
    z->avail_out = (uInt)bound;
    int rc = deflate(z, Z_FINISH);
    size_t z_len = bound - z->avail_out;
    if (z == &copy) deflateEnd(&copy);
    codec_free(own);
    if (rc != Z_STREAM_END) {
        free(blob);
        return news_error_set(err, NEWS_ERR_FORMAT, "zlib compress failed (%d)", rc);
    }
    *out = blob;
    *out_len = header + z_len;
    return NEWS_OK;
}

uint32_t codec_blob_dict(const void *blob, size_t len)
{
    const unsigned char *b = blob;
    if (len < CODEC_DICT_HEADER_BYTES || b[0] != CODEC_FORMAT_ZLIB_DICT) return 0;
    return get32(b + CODEC_HEADER_BYTES);
}

/* Decompresses the first max bytes of a stored blob's text (all of it when shorter); see
 * codec_decompress. All of it must be the whole stream, and nothing after it. */
static enum news_status inflate_blob(const void *blob, size_t len, const struct codec_dict *dict,
                                     size_t max, char **out, size_t *out_len,
                                     struct news_error *err)
{
    const unsigned char *b = blob;
    if (len < CODEC_HEADER_BYTES || (b[0] != CODEC_FORMAT_ZLIB && b[0] != CODEC_FORMAT_ZLIB_DICT))
        return news_error_set(err, NEWS_ERR_FORMAT, "stored text has an unknown format");
    size_t header = CODEC_HEADER_BYTES;
    if (b[0] == CODEC_FORMAT_ZLIB_DICT) {
        if (len < CODEC_DICT_HEADER_BYTES)
            return news_error_set(err, NEWS_ERR_FORMAT, "stored text is damaged (short header)");
        uint32_t id = get32(b + CODEC_HEADER_BYTES);
        if (!dict || dict->id != id)
            return news_error_set(err, NEWS_ERR_FORMAT,
                                  "stored text needs preset dictionary %lu, which is missing",
                                  (unsigned long)id);
        header = CODEC_DICT_HEADER_BYTES;
    } else {
        dict = NULL;
    }
    size_t text_len = get32(b + 1);
    if (text_len > CODEC_MAX_TEXT_BYTES)
        return news_error_set(err, NEWS_ERR_FORMAT, "stored text claims %zu bytes", text_len);
    bool all = text_len <= max;
    size_t want = all ? text_len : max;
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit(&z) != Z_OK)
        return news_error_set(err, NEWS_ERR_FORMAT, "cannot start zlib decompression");
    char *text = news_xmalloc(want + 1);
    z.next_in = (Bytef *)(uintptr_t)(b + header);
    z.avail_in = (uInt)(len - header);
    z.next_out = (Bytef *)text;
    z.avail_out = (uInt)want;
    /* The start only: inflate stops when the output is full, short of the stream's end. */
    int flush = all ? Z_FINISH : Z_NO_FLUSH;
    int rc = inflate(&z, flush);
    if (rc == Z_NEED_DICT && dict) {
        /* zlib checks the dictionary's Adler-32 against the one the stream names. */
        rc = inflateSetDictionary(&z, dict->bytes, (uInt)dict->len);
        if (rc == Z_OK) rc = inflate(&z, flush);
    }
    size_t got = want - z.avail_out;
    bool read = all ? rc == Z_STREAM_END && got == text_len && z.avail_in == 0
                    : (rc == Z_OK || rc == Z_STREAM_END || rc == Z_BUF_ERROR) && got == want;
    inflateEnd(&z);
    if (!read) {
        free(text);
        return news_error_set(err, NEWS_ERR_FORMAT, "stored text is damaged (zlib %d)", rc);
    }
    text[want] = '\0';
    *out = text;
    *out_len = want;
    return NEWS_OK;
}

enum news_status codec_decompress(const void *blob, size_t len, const struct codec_dict *dict,
                                  char **out, size_t *out_len, struct news_error *err)
{
    return inflate_blob(blob, len, dict, CODEC_MAX_TEXT_BYTES, out, out_len, err);
}

/* Training. Strings of TRAIN_D bytes are counted once per text they occur in, in a table
 * of 2^TRAIN_HASH_BITS counters (collisions only blur the counts). The sample is cut into
 * CODEC_DICT_MAX / TRAIN_SEGMENT epochs; from each, the TRAIN_SEGMENT-byte window whose
 * strings have the highest counts is taken, and its strings' counts are zeroed so that no
 * later window repeats it. */
enum { TRAIN_D = 8, TRAIN_SEGMENT = 256, TRAIN_HASH_BITS = 20 };

static uint32_t dmer_hash(const unsigned char *p)
{
    uint64_t v;
    memcpy(&v, p, sizeof v);
    return (uint32_t)((v * 0x9E3779B97F4A7C15u) >> (64 - TRAIN_HASH_BITS));
}

struct segment {
    uint64_t score;
    size_t start, epoch;
};

static int by_score(const void *x, const void *y)
{
    const struct segment *a = x, *b = y;
    if (a->score != b->score) return a->score < b->score ? -1 : 1;
    return a->epoch < b->epoch ? -1 : a->epoch > b->epoch;
}

size_t codec_train(const char *const *texts, const size_t *lens, size_t count,
                   unsigned char out[CODEC_DICT_MAX])
{
    size_t total = 0;
    for (size_t i = 0; i < count; i++)
        total += lens[i];
    unsigned char *all = news_xmalloc(total + 1);
    size_t at = 0;
    for (size_t i = 0; i < count; i++) {
        memcpy(all + at, texts[i], lens[i]);
        at += lens[i];
    }
    if (total <= CODEC_DICT_MAX) { /* the whole sample fits: nothing to choose */
        memcpy(out, all, total);
        free(all);
        return total;
    }
    uint32_t *df = news_xmalloc(sizeof *df << TRAIN_HASH_BITS);
    uint32_t *last = news_xmalloc(sizeof *last << TRAIN_HASH_BITS);
    memset(df, 0, sizeof *df << TRAIN_HASH_BITS);
    memset(last, 0, sizeof *last << TRAIN_HASH_BITS);
    at = 0;
    for (size_t i = 0; i < count; i++) {
        for (size_t p = 0; p + TRAIN_D <= lens[i]; p++) {
            uint32_t h = dmer_hash(all + at + p);
            if (last[h] != (uint32_t)i + 1) {
                last[h] = (uint32_t)i + 1;
                df[h]++;
            }
        }
        at += lens[i];
    }
    free(last);

    size_t epochs = CODEC_DICT_MAX / TRAIN_SEGMENT;
    size_t epoch_len = total / epochs;
    struct segment *chosen = news_xmalloc(epochs * sizeof *chosen);
    size_t used = 0;
    for (size_t e = 0; e < epochs; e++) {
        size_t from = e * epoch_len, to = from + epoch_len;
        if (to > total) to = total;
        if (to - from < TRAIN_SEGMENT) continue;
        /* Window [s, s + TRAIN_SEGMENT) scores the strings starting in it that fit in it. */
        size_t span = TRAIN_SEGMENT - TRAIN_D + 1;
        uint64_t score = 0, best = 0;
        size_t best_start = from;
        for (size_t p = from; p < from + span; p++)
            score += df[dmer_hash(all + p)];
        best = score;
        for (size_t s = from + 1; s + TRAIN_SEGMENT <= to; s++) {
            score += df[dmer_hash(all + s + span - 1)];
            score -= df[dmer_hash(all + s - 1)];
            if (score > best) {
                best = score;
                best_start = s;
            }
        }
        for (size_t p = best_start; p < best_start + span; p++)
            df[dmer_hash(all + p)] = 0;
        chosen[used++] = (struct segment){best, best_start, e};
    }
    qsort(chosen, used, sizeof *chosen, by_score);
    size_t len = 0;
    for (size_t i = 0; i < used; i++) {
        memcpy(out + len, all + chosen[i].start, TRAIN_SEGMENT);
        len += TRAIN_SEGMENT;
    }
    free(chosen);
    free(df);
    free(all);
    return len;
}

bool codec_sample_add(struct codec_sample *s, const char *text, size_t len)
{
    if (s->bytes >= CODEC_TRAIN_MAX_SAMPLE) return false;
    if (s->count == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 256;
        s->texts = news_xrealloc(s->texts, s->cap * sizeof *s->texts);
        s->lens = news_xrealloc(s->lens, s->cap * sizeof *s->lens);
    }
    s->texts[s->count] = news_xstrndup(text, len);
    s->lens[s->count++] = len;
    s->bytes += len;
    return true;
}

size_t codec_sample_train(const struct codec_sample *s, unsigned char out[CODEC_DICT_MAX])
{
    return codec_train((const char *const *)s->texts, s->lens, s->count, out);
}

void codec_sample_clear(struct codec_sample *s)
{
    for (size_t i = 0; i < s->count; i++)
        free(s->texts[i]);
    free(s->texts);
    free(s->lens);
    memset(s, 0, sizeof *s);
}

struct codec_dicts {
    struct codec_dict **dicts;
    size_t count;
};

struct codec_dicts *codec_dicts_new(void)
{
    struct codec_dicts *c = news_xmalloc(sizeof *c);
    memset(c, 0, sizeof *c);
    return c;
}

void codec_dicts_free(struct codec_dicts *c)
{
    if (!c) return;
    for (size_t i = 0; i < c->count; i++)
        free(c->dicts[i]);
    free(c->dicts);
    free(c);
}

/* codec_dicts_free for SQLite, which frees news_text()'s dictionaries with the connection. */
static void dicts_destroy(void *p)
{
    codec_dicts_free(p);
}

/* Sets *out to dictionary id, reading it from db the first time. */
static enum news_status dicts_find(struct codec_dicts *c, sqlite3 *db, uint32_t id,
                                   const struct codec_dict **out, struct news_error *err)
{
    for (size_t i = 0; i < c->count; i++) {
        if (c->dicts[i]->id == id) {
            *out = c->dicts[i];
            return NEWS_OK;
        }
    }
    sqlite3_stmt *st = NULL;
    struct codec_dict *d = NULL;
    enum news_status status = NEWS_OK;
    int rc = sqlite3_prepare_v2(db, "SELECT bytes FROM dictionary WHERE id = ?1", -1, &st, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, id);
        rc = sqlite3_step(st);
    }
    if (rc == SQLITE_ROW && (size_t)sqlite3_column_bytes(st, 0) <= CODEC_DICT_MAX) {
        d = news_xmalloc(sizeof *d);
        d->id = id;
        d->len = (size_t)sqlite3_column_bytes(st, 0);
        if (d->len) memcpy(d->bytes, sqlite3_column_blob(st, 0), d->len);
    } else if (rc == SQLITE_ROW || rc == SQLITE_DONE) {
        status = news_error_set(err, NEWS_ERR_FORMAT, "preset dictionary %lu is missing or damaged",
                                (unsigned long)id);
    } else {
        status = news_error_set(err, NEWS_ERR_SQL, "cannot read preset dictionary %lu: %s",
                                (unsigned long)id, sqlite3_errmsg(db));
    }
    sqlite3_finalize(st);
    if (!d) return status;
    c->dicts = news_xrealloc(c->dicts, (c->count + 1) * sizeof *c->dicts);
    c->dicts[c->count++] = d;
    *out = d;
    return NEWS_OK;
}

enum news_status codec_dicts_read(struct codec_dicts *c, sqlite3 *db, const void *blob, size_t len,
                                  size_t max, char **out, size_t *out_len, struct news_error *err)
{
    const struct codec_dict *dict = NULL;
    uint32_t id = codec_blob_dict(blob, len);
    enum news_status status = id ? dicts_find(c, db, id, &dict, err) : NEWS_OK;
    if (status != NEWS_OK) return status;
    return inflate_blob(blob, len, dict, max, out, out_len, err);
}

static void news_text_func(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
        sqlite3_result_null(ctx);
        return;
    }
    const void *blob = sqlite3_value_blob(argv[0]);
    size_t len = (size_t)sqlite3_value_bytes(argv[0]);
    char *text = NULL;
    size_t text_len = 0;
    struct news_error err;
    if (codec_dicts_read(sqlite3_user_data(ctx), sqlite3_context_db_handle(ctx), blob, len,
                         CODEC_MAX_TEXT_BYTES, &text, &text_len, &err) != NEWS_OK) {
        sqlite3_result_error(ctx, err.msg, -1);
        return;
    }
    sqlite3_result_text64(ctx, text, text_len, free, SQLITE_UTF8);
}

int codec_register(sqlite3 *db)
{
    /* Deterministic for a given archive: a dictionary, once stored, never changes. The
     * dictionaries are freed by SQLite, also when registering fails. */
    return sqlite3_create_function_v2(db, "news_text", 1,
                                      SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
                                      codec_dicts_new(), news_text_func, NULL, NULL, dicts_destroy);
}
