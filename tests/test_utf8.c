/* test_utf8.c: what is valid UTF-8, and how everything else becomes it. */
#include <stdlib.h>

#include "check.h"
#include "utf8.h"

struct validity_case {
    const char *bytes;
    size_t len;
    bool valid;
};

static const struct validity_case validity[] = {
    {"", 0, true},
    {"plain ascii", 11, true},
    {"\xC2\xA3"
     "600m",
     6, true}, /* £ */
    {"\xE2\x80\x9C"
     "q"
     "\xE2\x80\x9D",
     7, true},                     /* curly quotes */
    {"\xF0\x9F\x93\xB0", 4, true}, /* newspaper emoji */
    {"\xA3"
     "600m",
     5, false},                     /* Latin-1 £ */
    {"\xC0\xAF", 2, false},         /* overlong / */
    {"\xED\xA0\x80", 3, false},     /* surrogate */
    {"\xF4\x90\x80\x80", 4, false}, /* past U+10FFFF */
    {"\xE2\x80", 2, false},         /* truncated */
    {"\x80", 1, false},             /* stray continuation */
};

static void check_decode(const char *in, size_t len, const char *want, enum utf8_source want_how)
{
    size_t out_len;
    enum utf8_source how;
    char *out = utf8_decode(in, len, &out_len, &how);
    CHECK_STR(out, want);
    CHECK_INT(out_len, strlen(want));
    CHECK_INT(how, want_how);
    CHECK(utf8_is_valid(out, out_len));
    free(out);
}

int main(void)
{
    /* Cutting never leaves half a character: "caf\xC3\xA9!" cut at 4 bytes is "caf". */
    CHECK_INT(utf8_cut("caf\xC3\xA9!", 4), 3);
    CHECK_INT(utf8_cut("caf\xC3\xA9!", 5), 5);
    CHECK_INT(utf8_cut("\xE2\x80\x94x", 2), 0);
    CHECK_INT(utf8_cut("abc", 3), 3);
    for (size_t i = 0; i < sizeof validity / sizeof *validity; i++)
        CHECK_INT(utf8_is_valid(validity[i].bytes, validity[i].len), validity[i].valid);

    check_decode("caf\xC3\xA9", 5, "caf\xC3\xA9", UTF8_AS_IS);
    check_decode("\xEF\xBB\xBFtitle", 8, "title", UTF8_AS_IS); /* BOM dropped */
    check_decode("\xA3"
                 "15.8m",
                 6,
                 "\xC2\xA3"
                 "15.8m",
                 UTF8_FROM_CP1252); /* BBC sport/199 */
    check_decode("\x93quoted\x94", 8, "\xE2\x80\x9Cquoted\xE2\x80\x9D", UTF8_FROM_CP1252);
    check_decode("\x80", 1, "\xE2\x82\xAC", UTF8_FROM_CP1252); /* euro */
    check_decode("\x81", 1, "\xEF\xBF\xBD", UTF8_FROM_CP1252); /* unassigned */
    /* One stray byte in a UTF-8 file does not disturb the rest (Reuters' 0xFC). */
    check_decode("caf\xC3\xA9 M\xFCller", 12, "caf\xC3\xA9 M\xC3\xBCller", UTF8_FROM_CP1252);
    /* UTF-16 with byte order marks, both orders, with a surrogate pair. */
    check_decode("\xFF\xFEh\0i\0", 6, "hi", UTF8_FROM_UTF16);
    check_decode("\xFE\xFF\0h\0i", 6, "hi", UTF8_FROM_UTF16);
    check_decode("\xFF\xFE\x3D\xD8\xF0\xDC", 6, "\xF0\x9F\x93\xB0", UTF8_FROM_UTF16);
    check_decode("\xFF\xFE\x3D\xD8", 4, "\xEF\xBF\xBD", UTF8_FROM_UTF16); /* lone surrogate */

    char buf[4];
    CHECK_INT(utf8_put(buf, 0x41), 1);
    CHECK_INT(utf8_put(buf, 0xA3), 2);
    CHECK_INT(utf8_put(buf, 0x20AC), 3);
    CHECK_INT(utf8_put(buf, 0x1F4F0), 4);
    return check_report("test_utf8");
}
