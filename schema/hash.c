/* hash.c: two 64-bit lanes of multiply-rotate mixing over 8-byte words, finished with the
 * murmur3 fmix64 avalanche. Not for adversaries, only for telling articles apart. */
#include "hash.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

static const uint64_t K1 = 0x87c37b91114253d5ULL;
static const uint64_t K2 = 0x4cf5ad432745937fULL;

static uint64_t rotl(uint64_t x, int r)
{
    return (x << r) | (x >> (64 - r));
}

static uint64_t fmix64(uint64_t k)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    k *= 0xc4ceb9fe1a85ec53ULL;
    k ^= k >> 33;
    return k;
}

static uint64_t load64(const unsigned char *p, size_t n)
{
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

struct hash128 hash128(const void *data, size_t len)
{
    const unsigned char *p = data;
    uint64_t h1 = 0x9e3779b97f4a7c15ULL ^ len, h2 = 0x6a09e667f3bcc909ULL ^ (len * K1);
    size_t i = 0;
    for (; i + 16 <= len; i += 16) {
        uint64_t k1 = load64(p + i, 8), k2 = load64(p + i + 8, 8);
        k1 *= K1;
        k1 = rotl(k1, 31);
        k1 *= K2;
        h1 ^= k1;
        h1 = rotl(h1, 27) + h2;
        h1 = h1 * 5 + 0x52dce729;
        k2 *= K2;
        k2 = rotl(k2, 33);
        k2 *= K1;
        h2 ^= k2;
        h2 = rotl(h2, 31) + h1;
        h2 = h2 * 5 + 0x38495ab5;
    }
    size_t rest = len - i;
    uint64_t k1 = load64(p + i, rest < 8 ? rest : 8);
    uint64_t k2 = rest > 8 ? load64(p + i + 8, rest - 8) : 0;
    h1 ^= rotl(k1 * K1, 31) * K2;
    h2 ^= rotl(k2 * K2, 33) * K1;
    h1 += h2;
    h2 += h1;
    h1 = fmix64(h1);
    h2 = fmix64(h2);
    h1 += h2;
    h2 += h1;
    return (struct hash128){h1, h2};
}

uint64_t hash64(const void *data, size_t len)
{
    return hash128(data, len).lo;
}

void hash128_bytes(struct hash128 h, unsigned char out[16])
{
    for (int i = 0; i < 8; i++) {
        out[i] = (unsigned char)(h.lo >> (8 * i));
        out[8 + i] = (unsigned char)(h.hi >> (8 * i));
    }
}

void hash128_hex(struct hash128 h, char out[33])
{
    unsigned char b[16];
    hash128_bytes(h, b);
    for (int i = 0; i < 16; i++)
        snprintf(out + 2 * i, 3, "%02x", b[i]);
}

void hash_article(const char *title, const char *text, size_t text_len, unsigned char out[16])
{
    size_t title_len = strlen(title);
    char *keyed = news_xmalloc(title_len + 1 + text_len);
    memcpy(keyed, title, title_len);
    keyed[title_len] = '\n';
    memcpy(keyed + title_len + 1, text, text_len);
    hash128_bytes(hash128(keyed, title_len + 1 + text_len), out);
    free(keyed);
}
