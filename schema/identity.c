/* identity.c: identity keys and the test of whether two versions have anything in common. */
#include "identity.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "hash.h"

enum {
    /* Pairs of words compared, from the start of each text: enough to tell a correction from
     * another story, and a bound on the work for long texts. */
    MAX_PAIRS = 4096,
    MAX_TITLE_WORDS = 64
};

static bool has_text(const char *s)
{
    return s && s[0];
}

/* hash64 of the parts joined by 0x1F (which none of them holds, being text from a record),
 * as a key that is never 0. lower_second folds ASCII upper case in the second part. */
static int64_t key_of(const char *const parts[], size_t n, bool lower_second)
{
    size_t len = 0;
    for (size_t i = 0; i < n; i++)
        len += strlen(parts[i]) + 1;
    char *buf = news_xmalloc(len);
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        size_t plen = strlen(parts[i]);
        for (size_t j = 0; j < plen; j++) {
            char c = parts[i][j];
            buf[o++] = lower_second && i == 1 && c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
        }
        if (i + 1 < n) buf[o++] = '\x1f';
    }
    int64_t key = (int64_t)hash64(buf, o);
    free(buf);
    return key ? key : 1;
}

struct identity identity_of(const struct identity_input *in)
{
    if (has_text(in->captured_url)) {
        const char *parts[] = {"capture", in->captured_url};
        return (struct identity){IDENTITY_CAPTURE, key_of(parts, 2, false)};
    }
    if (has_text(in->source_id) && has_text(in->source)) {
        const char *parts[] = {"source", in->source, in->source_id};
        return (struct identity){IDENTITY_ID, key_of(parts, 3, true)};
    }
    if (has_text(in->source_id) && has_text(in->file) && strcmp(in->file, "-") != 0) {
        const char *parts[] = {"file", in->file, in->source_id};
        return (struct identity){IDENTITY_ID, key_of(parts, 3, false)};
    }
    if (has_text(in->url)) {
        const char *parts[] = {"url", in->url};
        return (struct identity){IDENTITY_URL, key_of(parts, 2, false)};
    }
    return (struct identity){IDENTITY_NONE, 0};
}

/* ---- what two versions have in common ---- */

static bool word_byte(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

/* The next word of s[*i..len) hashed in ASCII lower case; false at the end. */
static bool next_word(const char *s, size_t len, size_t *i, uint64_t *h)
{
    while (*i < len && !word_byte((unsigned char)s[*i]))
        (*i)++;
    if (*i >= len) return false;
    uint64_t x = 1469598103934665603u; /* FNV-1a: cheap, and only compared in memory */
    while (*i < len && word_byte((unsigned char)s[*i])) {
        unsigned char c = (unsigned char)s[(*i)++];
        if (c >= 'A' && c <= 'Z') c = (unsigned char)(c - 'A' + 'a');
        x = (x ^ c) * 1099511628211u;
    }
    *h = x;
    return true;
}

static int by_value(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return (a > b) - (a < b);
}

/* Sorts and removes repeats; returns the new count. */
static size_t distinct(uint64_t *v, size_t n)
{
    if (n == 0) return 0;
    qsort(v, n, sizeof *v, by_value);
    size_t out = 1;
    for (size_t i = 1; i < n; i++)
        if (v[i] != v[out - 1]) v[out++] = v[i];
    return out;
}

/* The distinct pairs of consecutive words of the text (words alone when pairs is false),
 * at most max; returns their count. */
static size_t shingles(const char *s, size_t len, bool pairs, uint64_t *out, size_t max)
{
    size_t n = 0, i = 0;
    uint64_t prev = 0, h;
    bool first = true;
    while (n < max && next_word(s, len, &i, &h)) {
        if (!pairs)
            out[n++] = h;
        else if (!first)
            out[n++] = (prev * 0x9E3779B97F4A7C15u) ^ h;
        prev = h;
        first = false;
    }
    return distinct(out, n);
}

/* How many values two sorted, distinct lists share. */
static size_t common(const uint64_t *a, size_t na, const uint64_t *b, size_t nb)
{
    size_t i = 0, j = 0, c = 0;
    while (i < na && j < nb) {
        if (a[i] < b[j])
            i++;
        else if (a[i] > b[j])
            j++;
        else
            c++, i++, j++;
    }
    return c;
}

/* Whether the shared shingles make at least num/den of the smaller set, and at least two
 * (one, if the smaller set has one): two titles that share only "the" have nothing in
 * common. */
static bool share(const char *a, size_t la, const char *b, size_t lb, bool pairs, size_t max,
                  size_t num, size_t den)
{
    uint64_t *va = news_xmalloc(max * sizeof *va), *vb = news_xmalloc(max * sizeof *vb);
    size_t na = shingles(a, la, pairs, va, max), nb = shingles(b, lb, pairs, vb, max);
    size_t smaller = na < nb ? na : nb, c = common(va, na, vb, nb);
    free(va);
    free(vb);
    return c > 0 && c >= (smaller < 2 ? smaller : 2) && c * den >= smaller * num;
}

bool identity_related(const char *title_a, const char *text_a, size_t len_a, const char *title_b,
                      const char *text_b, size_t len_b)
{
    if (title_a && title_b &&
        share(title_a, strlen(title_a), title_b, strlen(title_b), false, MAX_TITLE_WORDS, 1, 2))
        return true;
    return text_a && text_b && share(text_a, len_a, text_b, len_b, true, MAX_PAIRS, 2, 5);
}
