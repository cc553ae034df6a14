/* hash.h: a fast non-cryptographic 128-bit hash for duplicate detection and provenance. */
#ifndef NEWS_HASH_H
#define NEWS_HASH_H

#include <stddef.h>
#include <stdint.h>

struct hash128 {
    uint64_t lo, hi;
};

/* Hashes len bytes. Deterministic across runs and machines (the bytes are read as
 * little-endian words), since hashes are stored in archives. */
struct hash128 hash128(const void *data, size_t len);

/* 64-bit hash, for in-memory tables and stored line hashes. */
uint64_t hash64(const void *data, size_t len);

/* Writes the 16 bytes of h in a fixed order (lo then hi, little-endian). */
void hash128_bytes(struct hash128 h, unsigned char out[16]);

/* Writes 32 lowercase hex digits and a NUL. */
void hash128_hex(struct hash128 h, char out[33]);

/* An article's duplicate key (article.content_hash): the hash of its title, a newline and
 * its cleaned text, as stored. */
void hash_article(const char *title, const char *text, size_t text_len, unsigned char out[16]);

#endif
