/* fuzz_clean.c: libFuzzer target for the cleaner alone: a batch of articles (the input cut
 * at NUL bytes, each decoded as the reader decodes it) from three sources, through every
 * decision: splitting and normalising lines, promos, captions, repeats, lines recurring
 * across articles (with a small table, so forgetting is exercised), and joining. The
 * first byte chooses the table's size. Checks what must hold for any text: normalised
 * lines, output that is valid UTF-8 and no more than one byte per kept line longer than
 * its input, made of exactly the kept lines, each new boilerplate line reported once, and
 * the same output when the batch is cleaned again. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "clean.h"
#include "utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { MAX_ARTICLES = 64, MAX_NEW_LINES = 4096, SOURCES = 3 };

/* A line as clean_doc_split must leave it: non-empty, valid UTF-8, single spaces inside,
 * none at either end, no control characters or no-break spaces, and already normalised. */
static void check_line(const struct clean_line *l)
{
    const unsigned char *s = (const unsigned char *)l->text;
    if (l->len == 0 || strlen(l->text) != l->len || !utf8_is_valid(l->text, l->len)) abort();
    if (s[0] == ' ' || s[l->len - 1] == ' ') abort();
    for (size_t i = 0; i < l->len; i++) {
        if (s[i] < 0x20 || s[i] == 0x7F) abort();
        if (s[i] == ' ' && s[i + 1] == ' ') abort();
        if (s[i] == 0xC2 && i + 1 < l->len && (s[i + 1] <= 0x9F || s[i + 1] == 0xA0)) abort();
    }
    if (l->words != clean_word_count(l->text, l->len)) abort();
    size_t again_len;
    char *again = clean_normalize(l->text, l->len, &again_len);
    if (again_len != l->len || memcmp(again, l->text, l->len) != 0) abort();
    free(again);
}

/* A line marked as repeated is short and appears again in the article. Quadratic, so only
 * checked on articles of a few hundred lines. */
static void check_repeat(const struct clean_doc *doc, size_t i)
{
    const struct clean_line *l = &doc->lines[i];
    if (l->words > CLEAN_REPEAT_MAX_WORDS) abort();
    if (doc->count > 500) return;
    for (size_t j = 0; j < doc->count; j++)
        if (j != i && doc->lines[j].len == l->len &&
            memcmp(doc->lines[j].text, l->text, l->len) == 0)
            return;
    abort();
}

/* The stored text: exactly the kept lines in order, each joined to the one before by a
 * space (a hard-wrapped paragraph) or a blank line, so valid UTF-8 with nothing around it;
 * and no longer than the input plus one byte per kept line (a line that is a paragraph of
 * its own gains a blank line where the input may have had one newline). */
static void check_output(const struct clean_doc *doc, const char *out, size_t out_len,
                         size_t in_len)
{
    if (strlen(out) != out_len || !utf8_is_valid(out, out_len)) abort();
    size_t o = 0, kept = 0;
    for (size_t i = 0; i < doc->count; i++) {
        const struct clean_line *l = &doc->lines[i];
        if (l->verdict != CLEAN_KEEP) continue;
        if (kept++ > 0) {
            if (out[o] == ' ')
                o++;
            else if (out[o] == '\n' && out[o + 1] == '\n')
                o += 2;
            else
                abort();
        }
        if (l->len > out_len - o || memcmp(out + o, l->text, l->len) != 0) abort();
        o += l->len;
    }
    if (o != out_len || out_len > in_len + kept) abort();
}

/* The lines reported as newly found boilerplate, to check that none is reported twice. */
struct learned {
    uint64_t source;
    uint64_t hashes[MAX_NEW_LINES];
    uint64_t sources[MAX_NEW_LINES];
    size_t count;
};

static void on_new(void *ctx, uint64_t line_hash)
{
    struct learned *l = ctx;
    for (size_t i = 0; i < l->count; i++)
        if (l->hashes[i] == line_hash && l->sources[i] == l->source) abort();
    if (l->count < MAX_NEW_LINES) {
        l->hashes[l->count] = line_hash;
        l->sources[l->count++] = l->source;
    }
}

/* Cleans the batch and returns every article's text, each followed by a NUL. */
static char *clean_batch(const uint8_t *data, size_t size, size_t max_entries, size_t *out_len)
{
    static struct clean_doc docs[MAX_ARTICLES];
    static size_t in_lens[MAX_ARTICLES];
    static struct learned learned;
    size_t n = 0;
    for (size_t pos = 0; pos <= size && n < MAX_ARTICLES; n++) {
        const uint8_t *nul = memchr(data + pos, 0, size - pos);
        size_t piece = nul ? (size_t)(nul - (data + pos)) : size - pos;
        size_t len;
        enum utf8_source how;
        char *text = utf8_decode((const char *)data + pos, piece, &len, &how);
        memset(&docs[n], 0, sizeof docs[n]);
        clean_doc_split(&docs[n], text, len);
        free(text);
        in_lens[n] = len;
        size_t sum = 0;
        for (size_t i = 0; i < docs[n].count; i++) {
            check_line(&docs[n].lines[i]);
            if (i > 0 && docs[n].lines[i].block < docs[n].lines[i - 1].block) abort();
            sum += docs[n].lines[i].len;
        }
        if (sum > len) abort();
        size_t marked = clean_doc_mark(&docs[n]);
        for (size_t i = 0; i < docs[n].count; i++) {
            marked -= docs[n].lines[i].verdict != CLEAN_KEEP;
            if (docs[n].lines[i].verdict == CLEAN_REPEAT) check_repeat(&docs[n], i);
        }
        if (marked != 0) abort();
        pos += piece + 1;
    }

    struct recur *r = recur_new(max_entries);
    if (n > 0 && docs[0].count > 0) recur_mark_known(r, 1, docs[0].lines[0].hash);
    for (size_t i = 0; i < n; i++)
        recur_count(r, i % SOURCES + 1, &docs[i]);
    learned.count = 0;
    struct buf all = {0};
    for (size_t i = 0; i < n; i++) {
        learned.source = i % SOURCES + 1;
        size_t kept_before = 0, kept_after = 0;
        for (size_t j = 0; j < docs[i].count; j++)
            kept_before += docs[i].lines[j].verdict == CLEAN_KEEP;
        size_t marked = recur_mark_doc(r, learned.source, &docs[i], on_new, &learned);
        for (size_t j = 0; j < docs[i].count; j++) {
            const struct clean_line *l = &docs[i].lines[j];
            kept_after += l->verdict == CLEAN_KEEP;
            if (l->verdict == CLEAN_RECUR && l->words > CLEAN_RECUR_MAX_WORDS) abort();
        }
        if (kept_before - kept_after != marked) abort();
        size_t len;
        char *out = clean_doc_join(&docs[i], &len);
        check_output(&docs[i], out, len, in_lens[i]);
        buf_add(&all, out, len + 1);
        free(out);
        clean_doc_free(&docs[i]);
    }
    recur_free(r);
    *out_len = all.len;
    return buf_take(&all);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0) return 0;
    size_t max_entries = (size_t)16 << (data[0] % 8); /* 16 to 2048 lines remembered */
    size_t len1, len2;
    char *first = clean_batch(data + 1, size - 1, max_entries, &len1);
    char *second = clean_batch(data + 1, size - 1, max_entries, &len2);
    if (len1 != len2 || memcmp(first, second, len1) != 0) abort();
    free(first);
    free(second);
    return 0;
}
