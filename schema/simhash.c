/* simhash.c: SimHash over the word shingles of a text's lead (Charikar 2002), as Manku et
 * al. use it for near-duplicate detection. */
#include "simhash.h"

#include <string.h>

#include "hash.h"

/* The length in bytes of the character at s[i] (a stray or truncated byte counts alone),
 * and whether it belongs to a word. */
static size_t char_at(const unsigned char *s, size_t len, size_t i, bool *is_word)
{
    unsigned char c = s[i];
    if (c < 0x80) {
        *is_word = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        return 1;
    }
    size_t want = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1, n = 1;
    while (n < want && i + n < len && (s[i + n] & 0xC0) == 0x80)
        n++;
    /* Separators: U+0080-U+00BF (C1 controls, no-break space, Latin-1 punctuation and signs),
     * U+2000-U+207F (spaces, dashes, curly quotes, ellipsis, bullets), U+3000-U+303F (CJK
     * spaces and punctuation). Everything else non-ASCII is a letter of some script. */
    *is_word = !(n == 2 && c == 0xC2) && !(n == 3 && c == 0xE2 && s[i + 1] <= 0x81) &&
               !(n == 3 && c == 0xE3 && s[i + 1] == 0x80);
    return n;
}

/* The last SIMHASH_SHINGLE_WORDS words read, lower-cased, in a ring: word number n (from 0)
 * is in slot n % SIMHASH_SHINGLE_WORDS. */
struct recent_words {
    unsigned char bytes[SIMHASH_SHINGLE_WORDS][SIMHASH_MAX_WORD_BYTES];
    size_t len[SIMHASH_SHINGLE_WORDS];
};

/* byte_lanes[v] has bit i of v as byte i: adding it to eight byte-wide counters packed in a
 * word counts the eight bits of v at once. */
#define LANES(v)                                                                                   \
    ((uint64_t)((v)&1) | (uint64_t)((v) >> 1 & 1) << 8 | (uint64_t)((v) >> 2 & 1) << 16 |          \
     (uint64_t)((v) >> 3 & 1) << 24 | (uint64_t)((v) >> 4 & 1) << 32 |                             \
     (uint64_t)((v) >> 5 & 1) << 40 | (uint64_t)((v) >> 6 & 1) << 48 |                             \
     (uint64_t)((v) >> 7 & 1) << 56)
#define LANES4(v) LANES(v), LANES((v) + 1), LANES((v) + 2), LANES((v) + 3)
#define LANES16(v) LANES4(v), LANES4((v) + 4), LANES4((v) + 8), LANES4((v) + 12)
#define LANES64(v) LANES16(v), LANES16((v) + 16), LANES16((v) + 32), LANES16((v) + 48)
static const uint64_t byte_lanes[256] = {LANES64(0), LANES64(64), LANES64(128), LANES64(192)};

/* Counts of set bits per bit position, 64 byte-wide counters packed eight to a word so that
 * one addition counts eight bits; moved to `total` before a byte can overflow. */
struct bit_counts {
    uint64_t lanes[8];  /* byte i of lanes[j]: set bits at position 8j + i since the flush */
    size_t pending;     /* hashes counted in lanes, at most 255 */
    uint32_t total[64]; /* set bits at each position, flushed */
    size_t hashes;      /* every hash counted */
};

static void counts_flush(struct bit_counts *c)
{
    for (int j = 0; j < 8; j++) {
        for (int i = 0; i < 8; i++)
            c->total[8 * j + i] += (uint32_t)(c->lanes[j] >> (8 * i)) & 0xFF;
        c->lanes[j] = 0;
    }
    c->pending = 0;
}

static void counts_add(struct bit_counts *c, uint64_t h)
{
    for (int j = 0; j < 8; j++)
        c->lanes[j] += byte_lanes[(h >> (8 * j)) & 0xFF];
    c->hashes++;
    if (++c->pending == 255) counts_flush(c);
}

/* Hashes the shingle that ends with word number last in r: the words' bytes, oldest
 * first, with one space between. */
static uint64_t shingle_hash(const struct recent_words *r, size_t last)
{
    unsigned char text[SIMHASH_SHINGLE_WORDS * (SIMHASH_MAX_WORD_BYTES + 1)];
    size_t n = 0;
    for (size_t w = last + 1 - SIMHASH_SHINGLE_WORDS; w <= last; w++) {
        size_t slot = w % SIMHASH_SHINGLE_WORDS;
        if (n) text[n++] = ' ';
        memcpy(text + n, r->bytes[slot], r->len[slot]);
        n += r->len[slot];
    }
    return hash64(text, n);
}

/* Moves *at past separators and reads the next word into word (when word is not NULL),
 * lower-cased and cut at SIMHASH_MAX_WORD_BYTES, moving *at past it. Returns the bytes
 * written (any number but 0 when word is NULL), or 0 at the end of s. */
static size_t next_word(const unsigned char *s, size_t len, size_t *at,
                        unsigned char word[SIMHASH_MAX_WORD_BYTES])
{
    size_t i = *at, n = 0;
    bool is_word = false;
    while (i < len) {
        size_t k = char_at(s, len, i, &is_word);
        if (is_word) break;
        i += k;
    }
    while (i < len) {
        unsigned char c = s[i];
        if (c < 0x80) { /* most text: one test per byte */
            unsigned char folded = c | 0x20;
            if ((unsigned)(folded - 'a') < 26u)
                c = folded;
            else if ((unsigned)(c - '0') >= 10u)
                break;
            if (word && n < SIMHASH_MAX_WORD_BYTES) word[n] = c;
            n += !word || n < SIMHASH_MAX_WORD_BYTES;
            i++;
            continue;
        }
        size_t k = char_at(s, len, i, &is_word);
        if (!is_word) break;
        for (size_t j = 0; j < k && (!word || n < SIMHASH_MAX_WORD_BYTES); j++, n++)
            if (word) word[n] = s[i + j];
        i += k;
    }
    *at = i;
    return n;
}

/* Whether the line s holds at least SIMHASH_MIN_LINE_WORDS words. */
static bool line_counts(const unsigned char *s, size_t len)
{
    size_t at = 0, words = 0;
    while (words < SIMHASH_MIN_LINE_WORDS && next_word(s, len, &at, NULL) > 0)
        words++;
    return words == SIMHASH_MIN_LINE_WORDS;
}

/* Whether the bytes between two spaces are a dash: -, --, en or em dash. */
static bool is_dash(const unsigned char *s, size_t len)
{
    return (len == 1 && s[0] == '-') || (len == 2 && s[0] == '-' && s[1] == '-') ||
           (len == 3 && s[0] == 0xE2 && s[1] == 0x80 && (s[2] == 0x93 || s[2] == 0x94));
}

/* The length of a space at s (ASCII space or tab, or a no-break space), or 0. */
static size_t space_at(const unsigned char *s, size_t len)
{
    if (len > 0 && (s[0] == ' ' || s[0] == '\t')) return 1;
    return len > 1 && s[0] == 0xC2 && s[1] == 0xA0 ? 2 : 0;
}

/* Where the lead starts in its first line s: after a dash standing alone among its first
 * SIMHASH_MAX_DATELINE_WORDS + 1 space-separated pieces, or at 0. */
static size_t dateline_end(const unsigned char *s, size_t len)
{
    size_t i = 0;
    for (int piece = 0; piece <= SIMHASH_MAX_DATELINE_WORDS; piece++) {
        size_t n;
        while (i < len && (n = space_at(s + i, len - i)) > 0)
            i += n;
        size_t start = i;
        while (i < len && space_at(s + i, len - i) == 0)
            i++;
        if (i == start) break;
        if (piece > 0 && is_dash(s + start, i - start)) return i;
    }
    return 0;
}

/* Adds the words of s to the shingles, up to SIMHASH_LEAD_WORDS words in all. */
static void add_words(const unsigned char *s, size_t len, struct recent_words *recent,
                      struct bit_counts *counts, size_t *words)
{
    size_t at = 0;
    while (*words < SIMHASH_LEAD_WORDS) {
        size_t slot = *words % SIMHASH_SHINGLE_WORDS;
        size_t n = next_word(s, len, &at, recent->bytes[slot]);
        if (n == 0) break;
        recent->len[slot] = n;
        if (++*words >= SIMHASH_SHINGLE_WORDS) counts_add(counts, shingle_hash(recent, *words - 1));
    }
}

bool simhash_text(const char *text, size_t len, uint64_t *fingerprint)
{
    const unsigned char *s = (const unsigned char *)text;
    struct bit_counts counts;
    memset(&counts, 0, sizeof counts);
    struct recent_words recent;
    size_t words = 0;
    bool in_lead = false;
    for (size_t start = 0; start < len && words < SIMHASH_LEAD_WORDS;) {
        const unsigned char *nl = memchr(s + start, '\n', len - start);
        size_t end = nl ? (size_t)(nl - s) : len;
        if (line_counts(s + start, end - start)) {
            size_t from = in_lead ? 0 : dateline_end(s + start, end - start);
            in_lead = true;
            add_words(s + start + from, end - start - from, &recent, &counts, &words);
        }
        start = end + 1;
    }
    if (words < SIMHASH_MIN_WORDS) return false;
    counts_flush(&counts);
    /* A bit is set when most shingle hashes have it set: each votes +1 or -1. */
    uint64_t f = 0;
    for (int b = 0; b < 64; b++)
        if (2 * (size_t)counts.total[b] > counts.hashes) f |= (uint64_t)1 << b;
    *fingerprint = f;
    return true;
}

int simhash_distance(uint64_t a, uint64_t b)
{
    return __builtin_popcountll(a ^ b);
}

unsigned simhash_block(uint64_t fingerprint, int block_no)
{
    return (unsigned)(fingerprint >> (block_no * SIMHASH_BLOCK_BITS)) &
           ((1u << SIMHASH_BLOCK_BITS) - 1);
}
