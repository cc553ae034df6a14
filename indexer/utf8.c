/* utf8.c: UTF-8 validation and the windows-1252 / UTF-16 fallbacks. */
#include "utf8.h"

#include <string.h>

#include "error.h"

/* windows-1252 0x80-0x9F; the five unassigned bytes become U+FFFD. */
static const unsigned short cp1252_high[32] = {
    0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD, 0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178};

/* Length of the valid UTF-8 sequence at s (at most avail bytes), or 0 if invalid. */
static size_t seq_len(const unsigned char *s, size_t avail)
{
    unsigned char c = s[0];
    if (c < 0x80) return 1;
    size_t n;
    unsigned cp;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
        cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    if (avail < n) return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if ((n == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
        (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
        return 0;
    return n;
}

bool utf8_is_valid(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < len;) {
        size_t n = seq_len(p + i, len - i);
        if (n == 0) return false;
        i += n;
    }
    return true;
}

size_t utf8_cut(const char *s, size_t max)
{
    while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
        max--;
    return max;
}

size_t utf8_put(char *out, unsigned cp)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

static char *from_utf16(const unsigned char *p, size_t len, bool big_endian, size_t *out_len)
{
    char *out = news_xmalloc(len / 2 * 3 + 4);
    size_t o = 0;
    for (size_t i = 0; i + 1 < len; i += 2) {
        unsigned u =
            big_endian ? (unsigned)(p[i] << 8 | p[i + 1]) : (unsigned)(p[i + 1] << 8 | p[i]);
        if (u >= 0xD800 && u <= 0xDBFF && i + 3 < len) {
            unsigned lo = big_endian ? (unsigned)(p[i + 2] << 8 | p[i + 3])
                                     : (unsigned)(p[i + 3] << 8 | p[i + 2]);
            if (lo >= 0xDC00 && lo <= 0xDFFF) {
                u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
                i += 2;
            }
        }
        if (u >= 0xD800 && u <= 0xDFFF) u = 0xFFFD;
        o += utf8_put(out + o, u);
    }
    out[o] = '\0';
    *out_len = o;
    return out;
}

char *utf8_decode(const char *s, size_t len, size_t *out_len, enum utf8_source *how)
{
    const unsigned char *p = (const unsigned char *)s;
    if (len >= 2 && ((p[0] == 0xFF && p[1] == 0xFE) || (p[0] == 0xFE && p[1] == 0xFF))) {
        *how = UTF8_FROM_UTF16;
        return from_utf16(p + 2, len - 2, p[0] == 0xFE, out_len);
    }
    if (len >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) {
        s += 3;
        p += 3;
        len -= 3;
    }
    if (utf8_is_valid(s, len)) {
        *how = UTF8_AS_IS;
        *out_len = len;
        return news_xstrndup(s, len);
    }
    /* Valid sequences stay as they are: a file that is UTF-8 but for one stray byte keeps
     * its other characters. Each invalid byte is read as windows-1252. */
    *how = UTF8_FROM_CP1252;
    char *out = news_xmalloc(len * 3 + 1);
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        size_t n = seq_len(p + i, len - i);
        if (n > 0) {
            memcpy(out + o, p + i, n);
            o += n;
            i += n;
            continue;
        }
        unsigned c = p[i++];
        o += utf8_put(out + o, c < 0xA0 ? cp1252_high[c - 0x80] : c);
    }
    out[o] = '\0';
    *out_len = o;
    return out;
}
