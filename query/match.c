/* match.c: the query language: a lexer that turns the query into tokens, and a parser that
 * builds a fully parenthesised FTS5 expression from them, one group at a time. */
#include "match.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Code points (>= U+0080) that SQLite 3.40.1's unicode61 tokenizer (remove_diacritics 2)
 * treats as separators: a word made only of these and ASCII non-alphanumerics yields no
 * token, so FTS5 would read it as an empty phrase that matches nothing. Sorted, disjoint.
 * Measured by tokenizing every code point alone; test_match checks it against SQLite. */
static const struct {
    uint32_t first, last;
} separator_ranges[] = {
    {0x0080, 0x00A9},   {0x00AB, 0x00B1},   {0x00B4, 0x00B4},   {0x00B6, 0x00B8},
    {0x00BB, 0x00BB},   {0x00BF, 0x00BF},   {0x00D7, 0x00D7},   {0x00F7, 0x00F7},
    {0x02C2, 0x02C5},   {0x02D2, 0x02DF},   {0x02E5, 0x02EB},   {0x02ED, 0x02ED},
    {0x02EF, 0x036F},   {0x0375, 0x0375},   {0x037E, 0x037E},   {0x0384, 0x0385},
    {0x0387, 0x0387},   {0x03F6, 0x03F6},   {0x0482, 0x0489},   {0x055A, 0x055F},
    {0x0589, 0x058A},   {0x058F, 0x058F},   {0x0591, 0x05C7},   {0x05F3, 0x05F4},
    {0x0600, 0x0604},   {0x0606, 0x061B},   {0x061E, 0x061F},   {0x064B, 0x065F},
    {0x066A, 0x066D},   {0x0670, 0x0670},   {0x06D4, 0x06D4},   {0x06D6, 0x06E4},
    {0x06E7, 0x06ED},   {0x06FD, 0x06FE},   {0x0700, 0x070D},   {0x070F, 0x070F},
    {0x0711, 0x0711},   {0x0730, 0x074A},   {0x07A6, 0x07B0},   {0x07EB, 0x07F3},
    {0x07F6, 0x07F9},   {0x0816, 0x0819},   {0x081B, 0x0823},   {0x0825, 0x0827},
    {0x0829, 0x082D},   {0x0830, 0x083E},   {0x0859, 0x085B},   {0x085E, 0x085E},
    {0x08E4, 0x08FE},   {0x0900, 0x0903},   {0x093A, 0x093C},   {0x093E, 0x094F},
    {0x0951, 0x0957},   {0x0962, 0x0965},   {0x0970, 0x0970},   {0x0981, 0x0983},
    {0x09BC, 0x09BC},   {0x09BE, 0x09C4},   {0x09C7, 0x09C8},   {0x09CB, 0x09CD},
    {0x09D7, 0x09D7},   {0x09E2, 0x09E3},   {0x09F2, 0x09F3},   {0x09FA, 0x09FB},
    {0x0A01, 0x0A03},   {0x0A3C, 0x0A3C},   {0x0A3E, 0x0A42},   {0x0A47, 0x0A48},
    {0x0A4B, 0x0A4D},   {0x0A51, 0x0A51},   {0x0A70, 0x0A71},   {0x0A75, 0x0A75},
    {0x0A81, 0x0A83},   {0x0ABC, 0x0ABC},   {0x0ABE, 0x0AC5},   {0x0AC7, 0x0AC9},
    {0x0ACB, 0x0ACD},   {0x0AE2, 0x0AE3},   {0x0AF0, 0x0AF1},   {0x0B01, 0x0B03},
    {0x0B3C, 0x0B3C},   {0x0B3E, 0x0B44},   {0x0B47, 0x0B48},   {0x0B4B, 0x0B4D},
    {0x0B56, 0x0B57},   {0x0B62, 0x0B63},   {0x0B70, 0x0B70},   {0x0B82, 0x0B82},
    {0x0BBE, 0x0BC2},   {0x0BC6, 0x0BC8},   {0x0BCA, 0x0BCD},   {0x0BD7, 0x0BD7},
    {0x0BF3, 0x0BFA},   {0x0C01, 0x0C03},   {0x0C3E, 0x0C44},   {0x0C46, 0x0C48},
    {0x0C4A, 0x0C4D},   {0x0C55, 0x0C56},   {0x0C62, 0x0C63},   {0x0C7F, 0x0C7F},
    {0x0C82, 0x0C83},   {0x0CBC, 0x0CBC},   {0x0CBE, 0x0CC4},   {0x0CC6, 0x0CC8},
    {0x0CCA, 0x0CCD},   {0x0CD5, 0x0CD6},   {0x0CE2, 0x0CE3},   {0x0D02, 0x0D03},
    {0x0D3E, 0x0D44},   {0x0D46, 0x0D48},   {0x0D4A, 0x0D4D},   {0x0D57, 0x0D57},
    {0x0D62, 0x0D63},   {0x0D79, 0x0D79},   {0x0D82, 0x0D83},   {0x0DCA, 0x0DCA},
    {0x0DCF, 0x0DD4},   {0x0DD6, 0x0DD6},   {0x0DD8, 0x0DDF},   {0x0DF2, 0x0DF4},
    {0x0E31, 0x0E31},   {0x0E34, 0x0E3A},   {0x0E3F, 0x0E3F},   {0x0E47, 0x0E4F},
    {0x0E5A, 0x0E5B},   {0x0EB1, 0x0EB1},   {0x0EB4, 0x0EB9},   {0x0EBB, 0x0EBC},
    {0x0EC8, 0x0ECD},   {0x0F01, 0x0F1F},   {0x0F34, 0x0F3F},   {0x0F71, 0x0F87},
    {0x0F8D, 0x0F97},   {0x0F99, 0x0FBC},   {0x0FBE, 0x0FCC},   {0x0FCE, 0x0FDA},
    {0x102B, 0x103E},   {0x104A, 0x104F},   {0x1056, 0x1059},   {0x105E, 0x1060},
    {0x1062, 0x1064},   {0x1067, 0x106D},   {0x1071, 0x1074},   {0x1082, 0x108D},
    {0x108F, 0x108F},   {0x109A, 0x109F},   {0x10FB, 0x10FB},   {0x135D, 0x1368},
    {0x1390, 0x1399},   {0x1400, 0x1400},   {0x166D, 0x166E},   {0x1680, 0x1680},
    {0x169B, 0x169C},   {0x16EB, 0x16ED},   {0x1712, 0x1714},   {0x1732, 0x1736},
    {0x1752, 0x1753},   {0x1772, 0x1773},   {0x17B4, 0x17D6},   {0x17D8, 0x17DB},
    {0x17DD, 0x17DD},   {0x1800, 0x180E},   {0x18A9, 0x18A9},   {0x1920, 0x192B},
    {0x1930, 0x193B},   {0x1940, 0x1940},   {0x1944, 0x1945},   {0x19B0, 0x19C0},
    {0x19C8, 0x19C9},   {0x19DE, 0x19FF},   {0x1A17, 0x1A1B},   {0x1A1E, 0x1A1F},
    {0x1A55, 0x1A5E},   {0x1A60, 0x1A7C},   {0x1A7F, 0x1A7F},   {0x1AA0, 0x1AA6},
    {0x1AA8, 0x1AAD},   {0x1B00, 0x1B04},   {0x1B34, 0x1B44},   {0x1B5A, 0x1B7C},
    {0x1B80, 0x1B82},   {0x1BA1, 0x1BAD},   {0x1BE6, 0x1BF3},   {0x1BFC, 0x1BFF},
    {0x1C24, 0x1C37},   {0x1C3B, 0x1C3F},   {0x1C7E, 0x1C7F},   {0x1CC0, 0x1CC7},
    {0x1CD0, 0x1CE8},   {0x1CED, 0x1CED},   {0x1CF2, 0x1CF4},   {0x1DC0, 0x1DE6},
    {0x1DFC, 0x1DFF},   {0x1FBD, 0x1FBD},   {0x1FBF, 0x1FC1},   {0x1FCD, 0x1FCF},
    {0x1FDD, 0x1FDF},   {0x1FED, 0x1FEF},   {0x1FFD, 0x1FFE},   {0x2000, 0x2064},
    {0x206A, 0x206F},   {0x207A, 0x207E},   {0x208A, 0x208E},   {0x20A0, 0x20B9},
    {0x20D0, 0x20F0},   {0x2100, 0x2101},   {0x2103, 0x2106},   {0x2108, 0x2109},
    {0x2114, 0x2114},   {0x2116, 0x2118},   {0x211E, 0x2123},   {0x2125, 0x2125},
    {0x2127, 0x2127},   {0x2129, 0x2129},   {0x212E, 0x212E},   {0x213A, 0x213B},
    {0x2140, 0x2144},   {0x214A, 0x214D},   {0x214F, 0x214F},   {0x2190, 0x23F3},
    {0x2400, 0x2426},   {0x2440, 0x244A},   {0x249C, 0x24E9},   {0x2500, 0x26FF},
    {0x2701, 0x2775},   {0x2794, 0x2B4C},   {0x2B50, 0x2B59},   {0x2CE5, 0x2CEA},
    {0x2CEF, 0x2CF1},   {0x2CF9, 0x2CFC},   {0x2CFE, 0x2CFF},   {0x2D70, 0x2D70},
    {0x2D7F, 0x2D7F},   {0x2DE0, 0x2E2E},   {0x2E30, 0x2E3B},   {0x2E80, 0x2E99},
    {0x2E9B, 0x2EF3},   {0x2F00, 0x2FD5},   {0x2FF0, 0x2FFB},   {0x3000, 0x3004},
    {0x3008, 0x3020},   {0x302A, 0x3030},   {0x3036, 0x3037},   {0x303D, 0x303F},
    {0x3099, 0x309C},   {0x30A0, 0x30A0},   {0x30FB, 0x30FB},   {0x3190, 0x3191},
    {0x3196, 0x319F},   {0x31C0, 0x31E3},   {0x3200, 0x321E},   {0x322A, 0x3247},
    {0x3250, 0x3250},   {0x3260, 0x327F},   {0x328A, 0x32B0},   {0x32C0, 0x32FE},
    {0x3300, 0x33FF},   {0x4DC0, 0x4DFF},   {0xA490, 0xA4C6},   {0xA4FE, 0xA4FF},
    {0xA60D, 0xA60F},   {0xA66F, 0xA67E},   {0xA69F, 0xA69F},   {0xA6F0, 0xA6F7},
    {0xA700, 0xA716},   {0xA720, 0xA721},   {0xA789, 0xA78A},   {0xA802, 0xA802},
    {0xA806, 0xA806},   {0xA80B, 0xA80B},   {0xA823, 0xA82B},   {0xA836, 0xA839},
    {0xA874, 0xA877},   {0xA880, 0xA881},   {0xA8B4, 0xA8C4},   {0xA8CE, 0xA8CF},
    {0xA8E0, 0xA8F1},   {0xA8F8, 0xA8FA},   {0xA926, 0xA92F},   {0xA947, 0xA953},
    {0xA95F, 0xA95F},   {0xA980, 0xA983},   {0xA9B3, 0xA9CD},   {0xA9DE, 0xA9DF},
    {0xAA29, 0xAA36},   {0xAA43, 0xAA43},   {0xAA4C, 0xAA4D},   {0xAA5C, 0xAA5F},
    {0xAA77, 0xAA79},   {0xAA7B, 0xAA7B},   {0xAAB0, 0xAAB0},   {0xAAB2, 0xAAB4},
    {0xAAB7, 0xAAB8},   {0xAABE, 0xAABF},   {0xAAC1, 0xAAC1},   {0xAADE, 0xAADF},
    {0xAAEB, 0xAAF1},   {0xAAF5, 0xAAF6},   {0xABE3, 0xABED},   {0xFB1E, 0xFB1E},
    {0xFB29, 0xFB29},   {0xFBB2, 0xFBC1},   {0xFD3E, 0xFD3F},   {0xFDFC, 0xFDFD},
    {0xFE00, 0xFE19},   {0xFE20, 0xFE26},   {0xFE30, 0xFE52},   {0xFE54, 0xFE66},
    {0xFE68, 0xFE6B},   {0xFEFF, 0xFEFF},   {0xFF01, 0xFF0F},   {0xFF1A, 0xFF20},
    {0xFF3B, 0xFF40},   {0xFF5B, 0xFF65},   {0xFFE0, 0xFFE6},   {0xFFE8, 0xFFEE},
    {0xFFF9, 0xFFFF},   {0x10100, 0x10102}, {0x10137, 0x1013F}, {0x10179, 0x10189},
    {0x10190, 0x1019B}, {0x101D0, 0x101FD}, {0x1039F, 0x1039F}, {0x103D0, 0x103D0},
    {0x10857, 0x10857}, {0x1091F, 0x1091F}, {0x1093F, 0x1093F}, {0x10A01, 0x10A03},
    {0x10A05, 0x10A06}, {0x10A0C, 0x10A0F}, {0x10A38, 0x10A3A}, {0x10A3F, 0x10A3F},
    {0x10A50, 0x10A58}, {0x10A7F, 0x10A7F}, {0x10B39, 0x10B3F}, {0x11000, 0x11002},
    {0x11038, 0x1104D}, {0x11080, 0x11082}, {0x110B0, 0x110C1}, {0x11100, 0x11102},
    {0x11127, 0x11134}, {0x11140, 0x11143}, {0x11180, 0x11182}, {0x111B3, 0x111C0},
    {0x111C5, 0x111C8}, {0x116AB, 0x116B7}, {0x12470, 0x12473}, {0x16F51, 0x16F7E},
    {0x16F8F, 0x16F92}, {0x1D000, 0x1D0F5}, {0x1D100, 0x1D126}, {0x1D129, 0x1D1DD},
    {0x1D200, 0x1D245}, {0x1D300, 0x1D356}, {0x1D6C1, 0x1D6C1}, {0x1D6DB, 0x1D6DB},
    {0x1D6FB, 0x1D6FB}, {0x1D715, 0x1D715}, {0x1D735, 0x1D735}, {0x1D74F, 0x1D74F},
    {0x1D76F, 0x1D76F}, {0x1D789, 0x1D789}, {0x1D7A9, 0x1D7A9}, {0x1D7C3, 0x1D7C3},
    {0x1EEF0, 0x1EEF1}, {0x1F000, 0x1F02B}, {0x1F030, 0x1F093}, {0x1F0A0, 0x1F0AE},
    {0x1F0B1, 0x1F0BE}, {0x1F0C1, 0x1F0CF}, {0x1F0D1, 0x1F0DF}, {0x1F110, 0x1F12E},
    {0x1F130, 0x1F16B}, {0x1F170, 0x1F19A}, {0x1F1E6, 0x1F202}, {0x1F210, 0x1F23A},
    {0x1F240, 0x1F248}, {0x1F250, 0x1F251}, {0x1F300, 0x1F320}, {0x1F330, 0x1F335},
    {0x1F337, 0x1F37C}, {0x1F380, 0x1F393}, {0x1F3A0, 0x1F3C4}, {0x1F3C6, 0x1F3CA},
    {0x1F3E0, 0x1F3F0}, {0x1F400, 0x1F43E}, {0x1F440, 0x1F440}, {0x1F442, 0x1F4F7},
    {0x1F4F9, 0x1F4FC}, {0x1F500, 0x1F53D}, {0x1F540, 0x1F543}, {0x1F550, 0x1F567},
    {0x1F5FB, 0x1F640}, {0x1F645, 0x1F64F}, {0x1F680, 0x1F6C5}, {0x1F700, 0x1F773},
    {0xE0001, 0xE0001}, {0xE0020, 0xE007F}, {0xE0100, 0xE01EF},
};

enum { SEPARATOR_RANGE_COUNT = sizeof separator_ranges / sizeof separator_ranges[0] };

/* FTS5's expression parser (SQLite 3.40.1) has a fixed stack of 100 entries and fails with
 * "parser stack overflow" beyond it. Every operand built here carries its cost: an upper
 * bound on the stack entries FTS5 needs to parse it. A list "(A op B op C)" costs
 * max(1 + cost(A), 3 + cost(B), 3 + cost(C)) (the '(' and, while B is parsed, A and op
 * wait on the stack), so putting the costliest operand first makes plain nesting cheap
 * (one entry per '('); that is done only for costly operands, so ordinary queries keep
 * their order. "(P NOT E)" costs max(1 + cost(P), 3 + cost(E)) and "({title} : X)"
 * 3 + cost(X). A query whose expression would cost more than this is refused. Measured:
 * 97 nested '(' around a phrase parse, 98 overflow; 32 nested "("a" AND " parse, 33 do not. */
enum { FTS5_MAX_PARSE_COST = 96 };
enum { COST_PHRASE = 2, COST_MOVE_FIRST = 10 };

/* The columns of the archive's FTS5 table a query can name. */
enum field { FIELD_ANY, FIELD_TITLE, FIELD_BODY };

/* What one character of the query is to the lexer. */
enum char_class { CH_WORD, CH_SPACE, CH_QUOTE, CH_OPEN, CH_CLOSE };

/* What a token is: the end of the query, a literal (word or phrase), '(' (possibly with
 * '-' or a field before it), ')', or an operator. */
enum tok_kind { TOK_END, TOK_TERM, TOK_OPEN, TOK_CLOSE, TOK_AND, TOK_OR, TOK_NOT };

/* One token. Literals are not copied: they are byte ranges of the query. */
struct token {
    enum tok_kind kind;
    size_t offset;                /* byte offset of the token's first character, for messages */
    bool is_excluded;             /* TERM, OPEN: written with a leading '-' */
    bool is_prefix;               /* TERM: followed by '*' */
    bool is_word;                 /* TERM: written as a bare word, not quoted nor NEAR() */
    enum field field;             /* TERM, OPEN: restricted to one column */
    size_t text_offset, text_len; /* TERM: the literal, without quotes or '*' */
    int near_distance;            /* TERM: NEAR(...) with this distance; the text is what
                                     is inside the parentheses, less ", N" */
};

/* The tokens of the whole query; a query of bounded length bounds its size. How the
 * query was read goes with them: whether capitalised AND, OR and NOT are operators, and
 * where a quote that is never closed opened (SIZE_MAX when every quote is closed). */
struct token_list {
    struct token *items;
    size_t count, cap;
    bool has_operators;
    size_t unclosed_quote;
};

/* A growing string, NULL until something is appended, then NUL-terminated. Its size is
 * bounded by the input: the output is a small multiple of a query of bounded length. */
struct strbuf {
    char *text;
    size_t len, cap;
};

/* A flat list of operands joined by one operator (the sep given to joined_add), with what
 * parsing them costs FTS5 (see FTS5_MAX_PARSE_COST): the first operand's cost and the
 * highest cost among the others. */
struct joined {
    struct strbuf buf;
    size_t count;
    int first_cost, rest_cost;
};

/* The operands of one parenthesised group (or of the whole query) as they are parsed.
 * A chain is operands joined by AND, with its exclusions. A clause is what stands between
 * two ORs: one chain in MATCH_ALL; in MATCH_ANY, each word side by side starts a chain and
 * the chains are joined by OR (explicit AND continues a chain). Exclusions of a chain with
 * no positive operand apply to its whole clause. */
struct group {
    struct joined chain_pos, chain_excl;
    struct joined clause_alts, clause_excl;
    struct joined alts; /* finished clauses, joined by OR */
};

/* The parser's state: the tokens, the position in them, and where errors go. */
struct parser {
    const char *query;
    const struct token *toks; /* ends with TOK_END */
    size_t pos;
    bool is_any;
    size_t term_count; /* literals in the whole query: zero means only operators were typed */
    struct news_error *err;
};

/* Decodes one UTF-8 character of s[0..n). Returns its length (1-4), or 0 when the bytes are
 * not valid UTF-8 (bad lead or continuation byte, truncated, overlong, surrogate, beyond
 * U+10FFFF). */
static size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    size_t len;
    uint32_t v, min;
    if (n == 0) return 0;
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    if ((s[0] & 0xE0) == 0xC0) {
        len = 2, v = s[0] & 0x1Fu, min = 0x80;
    } else if ((s[0] & 0xF0) == 0xE0) {
        len = 3, v = s[0] & 0x0Fu, min = 0x800;
    } else if ((s[0] & 0xF8) == 0xF0) {
        len = 4, v = s[0] & 0x07u, min = 0x10000;
    } else {
        return 0;
    }
    if (n < len) return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        v = (v << 6) | (s[i] & 0x3Fu);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
    *cp = v;
    return len;
}

/* Returns the byte offset of the first invalid UTF-8 sequence in q[0..n), or n if none. */
static size_t utf8_invalid_offset(const char *q, size_t n)
{
    size_t i = 0;
    while (i < n) {
        uint32_t cp;
        size_t len = utf8_decode((const unsigned char *)q + i, n - i, &cp);
        if (len == 0) return i;
        i += len;
    }
    return n;
}

/* Returns the 1-based column, in characters, of byte offset off of the valid UTF-8 q. */
static size_t column_of(const char *q, size_t off)
{
    size_t column = 1;
    for (size_t i = 0; i < off; i++)
        if (((unsigned char)q[i] & 0xC0) != 0x80) column++;
    return column;
}

/* True when FTS5's unicode61 tokenizer keeps code point cp as part of a token. */
static bool is_token_char(uint32_t cp)
{
    if (cp < 0x80)
        return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
    size_t lo = 0, hi = SEPARATOR_RANGE_COUNT;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cp < separator_ranges[mid].first)
            hi = mid;
        else if (cp > separator_ranges[mid].last)
            lo = mid + 1;
        else
            return false;
    }
    return true;
}

/* True when the valid UTF-8 q[s..e) holds a character that FTS5 indexes, i.e. quoting it
 * gives a phrase of at least one token rather than an empty phrase. */
static bool has_token_char(const char *q, size_t s, size_t e)
{
    while (s < e) {
        uint32_t cp = 0;
        size_t len = utf8_decode((const unsigned char *)q + s, e - s, &cp);
        if (len == 0) return false; /* not reached: the query was validated */
        if (is_token_char(cp)) return true;
        s += len;
    }
    return false;
}

/* Classifies the character at q[i] (i < n, q valid UTF-8) and stores its length in *len.
 * Unicode spaces separate words like ASCII ones; curly double quotes work like '"'. */
static enum char_class classify(const char *q, size_t i, size_t n, size_t *len)
{
    uint32_t cp = 0;
    *len = utf8_decode((const unsigned char *)q + i, n - i, &cp);
    if (*len == 0) { /* not reached: the query was validated */
        *len = 1;
        return CH_WORD;
    }
    switch (cp) {
    case ' ':
    case '\t':
    case '\n':
    case '\v':
    case '\f':
    case '\r':
    case 0x85:
    case 0xA0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000:
        return CH_SPACE;
    case '"':
    case 0x201C:
    case 0x201D:
    case 0x201E:
        return CH_QUOTE;
    case '(':
        return CH_OPEN;
    case ')':
        return CH_CLOSE;
    default:
        return cp >= 0x2000 && cp <= 0x200A ? CH_SPACE : CH_WORD;
    }
}

/* Returns the end of the word that starts at q[i]: the next space, quote, parenthesis or
 * the end of the query. */
static size_t word_end(const char *q, size_t i, size_t n)
{
    while (i < n) {
        size_t len;
        if (classify(q, i, n, &len) != CH_WORD) break;
        i += len;
    }
    return i;
}

/* True when a '-' at q[i] may mean exclusion: it starts the query or follows a space or
 * '(' (so "peace-talks" and "(a)-b" are words). */
static bool can_exclude_at(const char *q, size_t i, size_t n)
{
    if (i == 0) return true;
    size_t prev = i - 1, len;
    while (prev > 0 && ((unsigned char)q[prev] & 0xC0) == 0x80)
        prev--;
    enum char_class c = classify(q, prev, n, &len);
    return c == CH_SPACE || c == CH_OPEN;
}

/* True when q[s..e) is exactly word (uppercase ASCII) ignoring case. */
static bool equals_ci(const char *q, size_t s, size_t e, const char *word)
{
    size_t len = strlen(word);
    if (e - s != len) return false;
    for (size_t i = 0; i < len; i++) {
        char c = q[s + i];
        if (c >= 'a' && c <= 'z') c = (char)(c - 'a' + 'A');
        if (c != word[i]) return false;
    }
    return true;
}

/* True when q[s..e) is exactly word, case included: operators are uppercase only. */
static bool is_exactly(const char *q, size_t s, size_t e, const char *word)
{
    return e - s == strlen(word) && memcmp(q + s, word, e - s) == 0;
}

/* Returns the field the word q[s..e) names before a ':' (title:, body:, text:, any case)
 * and stores the offset just after the ':' in *after; FIELD_ANY when it names none. */
static enum field field_prefix(const char *q, size_t s, size_t e, size_t *after)
{
    static const struct {
        const char *name;
        enum field field;
    } names[] = {{"TITLE", FIELD_TITLE}, {"BODY", FIELD_BODY}, {"TEXT", FIELD_BODY}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        size_t len = strlen(names[i].name);
        if (e - s > len && q[s + len] == ':' && equals_ci(q, s, s + len, names[i].name)) {
            *after = s + len + 1;
            return names[i].field;
        }
    }
    return FIELD_ANY;
}

/* Appends a token to the list and returns it, zeroed but for kind and offset. */
static struct token *push_token(struct token_list *list, enum tok_kind kind, size_t offset)
{
    if (list->count == list->cap) {
        list->cap = list->cap ? list->cap * 2 : 32;
        list->items = news_xrealloc(list->items, list->cap * sizeof list->items[0]);
    }
    struct token *t = &list->items[list->count++];
    memset(t, 0, sizeof *t);
    t->kind = kind;
    t->offset = offset;
    return t;
}

/* Pushes a literal: q[s..e) as one TERM token that began at start. */
static struct token *push_literal(struct token_list *list, size_t start, bool is_excluded,
                                  bool is_prefix, enum field field, size_t s, size_t e)
{
    struct token *t = push_token(list, TOK_TERM, start);
    t->is_excluded = is_excluded;
    t->is_prefix = is_prefix;
    t->field = field;
    t->text_offset = s;
    t->text_len = e - s;
    return t;
}

/* Adds the literal q[s..e) as a TERM token; trailing '*'s make it a prefix. A literal with
 * nothing FTS5 indexes (punctuation, a bare '*') is dropped. */
static void push_term(struct token_list *list, const char *q, size_t start, bool is_excluded,
                      enum field field, size_t s, size_t e)
{
    bool is_prefix = false;
    while (e > s && q[e - 1] == '*') {
        e--;
        is_prefix = true;
    }
    if (!has_token_char(q, s, e)) return;
    push_literal(list, start, is_excluded, is_prefix, field, s, e)->is_word = true;
}

/* Lexes the quoted phrase whose opening quote is at q[i]; start is where the token began
 * (a '-' or field name before the quote). An unclosed phrase runs to the end; '*' right
 * after the closing quote makes it a prefix phrase. Returns the offset after it. */
static size_t lex_phrase(struct token_list *list, const char *q, size_t i, size_t n, size_t start,
                         bool is_excluded, enum field field)
{
    size_t len;
    (void)classify(q, i, n, &len); /* the opening quote's length */
    size_t s = i + len, e = s;
    while (e < n && classify(q, e, n, &len) != CH_QUOTE)
        e += len;
    if (e >= n && list->unclosed_quote == SIZE_MAX) list->unclosed_quote = i;
    size_t next = e < n ? e + len : n;
    bool is_prefix = false;
    while (next < n && q[next] == '*') {
        next++;
        is_prefix = true;
    }
    if (!has_token_char(q, s, e)) return next;
    push_literal(list, start, is_excluded, is_prefix, field, s, e);
    return next;
}

/* Most tokens NEAR() may allow between its phrases, and the default (FTS5's). */
enum { MATCH_MAX_NEAR = 1000, MATCH_DEFAULT_NEAR = 10 };

/* Lexes NEAR(a b "c d", N) whose '(' is at q[i]: one TERM carrying the inside and the
 * distance. An unclosed NEAR( runs to the end. Returns the offset after it. */
static size_t lex_near(struct token_list *list, const char *q, size_t i, size_t n, size_t start,
                       bool is_excluded, enum field field)
{
    size_t s = i + 1, e = s;
    while (e < n && q[e] != ')')
        e++;
    size_t next = e < n ? e + 1 : n;
    int distance = MATCH_DEFAULT_NEAR;
    /* A trailing ", N" is the distance. */
    size_t k = e;
    while (k > s && (q[k - 1] == ' ' || q[k - 1] == '\t'))
        k--;
    size_t digits_end = k;
    while (k > s && q[k - 1] >= '0' && q[k - 1] <= '9')
        k--;
    size_t digits = digits_end - k;
    size_t c = k;
    while (c > s && (q[c - 1] == ' ' || q[c - 1] == '\t'))
        c--;
    if (digits > 0 && digits <= 9 && c > s && q[c - 1] == ',') {
        distance = 0;
        for (size_t d = k; d < digits_end; d++)
            distance = distance * 10 + (q[d] - '0');
        if (distance > MATCH_MAX_NEAR) distance = MATCH_MAX_NEAR;
        e = c - 1;
    }
    size_t quotes = 0, last_quote = s, len;
    for (size_t j = s; j < e; j += len)
        if (classify(q, j, e, &len) == CH_QUOTE) quotes++, last_quote = j;
    if (quotes % 2 && list->unclosed_quote == SIZE_MAX) list->unclosed_quote = last_quote;
    if (!has_token_char(q, s, e)) return next;
    push_literal(list, start, is_excluded, false, field, s, e)->near_distance = distance;
    return next;
}

/* Lexes the word q[s..e) (a '-' before it already consumed; start is where the token
 * began): a field prefix with its word, phrase or '(', an operator, or a literal. Returns
 * the offset after what it consumed. */
static size_t lex_word(struct token_list *list, const char *q, size_t s, size_t e, size_t n,
                       size_t start, bool is_excluded)
{
    size_t after = 0, len;
    enum field field = field_prefix(q, s, e, &after);
    if (field != FIELD_ANY) {
        if (after == e && e < n) {
            enum char_class c = classify(q, e, n, &len);
            if (c == CH_QUOTE) return lex_phrase(list, q, e, n, start, is_excluded, field);
            if (c == CH_OPEN) {
                struct token *t = push_token(list, TOK_OPEN, start);
                t->is_excluded = is_excluded;
                t->field = field;
                return e + len;
            }
        } else if (after < e && is_exactly(q, after, e, "NEAR") && e < n && q[e] == '(') {
            return lex_near(list, q, e, n, start, is_excluded, field);
        } else if (after < e) {
            size_t end = e;
            while (end > after && q[end - 1] == '*')
                end--;
            if (has_token_char(q, after, end)) {
                push_term(list, q, start, is_excluded, field, after, e);
                return e;
            }
        }
        /* "title:" alone or before punctuation: not a field, an ordinary word */
    }
    if (is_exactly(q, s, e, "NEAR") && e < n && q[e] == '(') {
        return lex_near(list, q, e, n, start, is_excluded, FIELD_ANY);
    } else if (list->has_operators && !is_excluded && is_exactly(q, s, e, "AND")) {
        push_token(list, TOK_AND, start);
    } else if (list->has_operators && !is_excluded && is_exactly(q, s, e, "OR")) {
        push_token(list, TOK_OR, start);
    } else if (list->has_operators && !is_excluded && is_exactly(q, s, e, "NOT")) {
        push_token(list, TOK_NOT, start);
    } else {
        push_term(list, q, start, is_excluded, FIELD_ANY, s, e);
    }
    return e;
}

/* Returns 1 if cp is a lowercase letter, 2 if a capital, 0 if neither or uncased: the
 * letters with case of the Latin (to Latin Extended-A), Greek and Cyrillic scripts. */
static int letter_case(uint32_t cp)
{
    if (cp >= 'a' && cp <= 'z') return 1;
    if (cp >= 'A' && cp <= 'Z') return 2;
    if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) return 2;
    if (cp >= 0xDF && cp <= 0xFF && cp != 0xF7) return 1;
    if (cp >= 0x100 && cp <= 0x17F) return cp % 2 ? 1 : 2; /* pairs; a few exceptions */
    if ((cp >= 0x391 && cp <= 0x3A9) || (cp >= 0x400 && cp <= 0x42F)) return 2;
    if ((cp >= 0x3AC && cp <= 0x3CE) || (cp >= 0x430 && cp <= 0x45F)) return 1;
    return 0;
}

/* True when the word q[s..e) is one of the operators AND, OR, NOT as written. */
static bool is_operator_word(const char *q, size_t s, size_t e)
{
    return is_exactly(q, s, e, "AND") || is_exactly(q, s, e, "OR") || is_exactly(q, s, e, "NOT");
}

/* True when the valid UTF-8 q[0..n) is written in capitals: it has capital letters outside
 * the words AND, OR and NOT, and no lowercase letter. Such a query (an old catalogue's, a
 * headline pasted in) gives its AND, OR and NOT no special meaning. Stores in *has_operator
 * whether it holds one of those words. */
static bool in_capitals(const char *q, size_t n, bool *has_operator)
{
    size_t capitals = 0, len;
    *has_operator = false;
    for (size_t i = 0; i < n;) {
        if (classify(q, i, n, &len) != CH_WORD) {
            i += len;
            continue;
        }
        size_t e = word_end(q, i, n);
        if (is_operator_word(q, i, e)) {
            *has_operator = true;
            i = e;
            continue;
        }
        for (; i < e; i += len) {
            uint32_t cp = 0;
            len = utf8_decode((const unsigned char *)q + i, e - i, &cp);
            if (len == 0) return false; /* not reached: the query was validated */
            int c = letter_case(cp);
            if (c == 1) return false;
            capitals += c == 2;
        }
    }
    return capitals > 0;
}

bool match_operators_are_words(const char *query)
{
    size_t n = strnlen(query, MATCH_MAX_QUERY_BYTES + 1);
    bool has_operator = false;
    if (n > MATCH_MAX_QUERY_BYTES || utf8_invalid_offset(query, n) < n) return false;
    return in_capitals(query, n, &has_operator) && has_operator;
}

/* Splits the valid UTF-8 q[0..n) into tokens, ending the list with TOK_END. Never fails:
 * what cannot be anything else is a literal; a quote never closed is noted in the list. */
static void lex(struct token_list *list, const char *q, size_t n)
{
    size_t i = 0, len;
    bool has_operator = false;
    list->has_operators = !in_capitals(q, n, &has_operator);
    list->unclosed_quote = SIZE_MAX;
    for (;;) {
        while (i < n && classify(q, i, n, &len) == CH_SPACE)
            i += len;
        if (i >= n) break;
        size_t start = i;
        enum char_class c = classify(q, i, n, &len);
        if (c == CH_OPEN || c == CH_CLOSE) {
            push_token(list, c == CH_OPEN ? TOK_OPEN : TOK_CLOSE, i);
            i += len;
            continue;
        }
        if (c == CH_QUOTE) {
            i = lex_phrase(list, q, i, n, start, false, FIELD_ANY);
            continue;
        }
        size_t e = word_end(q, i, n);
        if (q[i] == '-' && can_exclude_at(q, i, n)) {
            if (e - i > 1) {
                i = lex_word(list, q, i + 1, e, n, start, true);
                continue;
            }
            enum char_class next = e < n ? classify(q, e, n, &len) : CH_SPACE;
            if (next == CH_QUOTE) {
                i = lex_phrase(list, q, e, n, start, true, FIELD_ANY);
                continue;
            }
            if (next == CH_OPEN) {
                push_token(list, TOK_OPEN, start)->is_excluded = true;
                i = e + len;
                continue;
            }
        }
        i = lex_word(list, q, i, e, n, start, false);
    }
    push_token(list, TOK_END, n);
}

/* Appends len bytes of s, keeping the text NUL-terminated. Out of memory aborts. */
static void strbuf_append(struct strbuf *b, const char *s, size_t len)
{
    if (!b->text || b->len + len + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->len + len + 1)
            cap *= 2;
        b->text = news_xrealloc(b->text, cap);
        b->cap = cap;
    }
    memcpy(b->text + b->len, s, len);
    b->len += len;
    b->text[b->len] = '\0';
}

/* Appends the NUL-terminated s. */
static void strbuf_append_str(struct strbuf *b, const char *s)
{
    strbuf_append(b, s, strlen(s));
}

/* Inserts len bytes of s at the start of the buffer. */
static void strbuf_prepend(struct strbuf *b, const char *s, size_t len)
{
    size_t old_len = b->len;
    strbuf_append(b, s, len); /* grows the buffer */
    memmove(b->text + len, b->text, old_len);
    memcpy(b->text, s, len);
}

/* Adds the operands s (count of them, already joined by sep; the first costs first_cost,
 * the others at most rest_cost) to the list: in front when the first costs more than the
 * list's first operand and at least COST_MOVE_FIRST, else at the end. A list's first cost
 * only grows and costs are small numbers, so few operands are ever moved: this stays
 * linear. */
static void joined_add_items(struct joined *j, const char *sep, const char *s, size_t len,
                             size_t count, int first_cost, int rest_cost)
{
    if (count == 0) return;
    if (j->count == 0) {
        strbuf_append(&j->buf, s, len);
        j->first_cost = first_cost;
        j->rest_cost = rest_cost;
    } else if (first_cost > j->first_cost && first_cost >= COST_MOVE_FIRST) {
        size_t sep_len = strlen(sep);
        strbuf_prepend(&j->buf, sep, sep_len);
        strbuf_prepend(&j->buf, s, len);
        j->rest_cost = j->first_cost > j->rest_cost ? j->first_cost : j->rest_cost;
        if (rest_cost > j->rest_cost) j->rest_cost = rest_cost;
        j->first_cost = first_cost;
    } else {
        strbuf_append_str(&j->buf, sep);
        strbuf_append(&j->buf, s, len);
        if (first_cost > j->rest_cost) j->rest_cost = first_cost;
        if (rest_cost > j->rest_cost) j->rest_cost = rest_cost;
    }
    j->count += count;
}

/* Adds the operand s, whose parse cost is cost, to the list joined by sep (" AND ", " OR "). */
static void joined_add(struct joined *j, const char *sep, const char *s, size_t len, int cost)
{
    joined_add_items(j, sep, s, len, 1, cost, 0);
}

/* Moves every operand of src into dst and empties src; both must be joined by sep. */
static void joined_merge(struct joined *dst, const char *sep, struct joined *src)
{
    joined_add_items(dst, sep, src->buf.text, src->buf.len, src->count, src->first_cost,
                     src->rest_cost);
    src->buf.len = 0;
    src->count = 0;
}

/* The parse cost of "(first op rest...)" (see FTS5_MAX_PARSE_COST). */
static int list_cost(int first_cost, int rest_cost)
{
    int a = 1 + first_cost, b = 3 + rest_cost;
    return a > b ? a : b;
}

/* Returns the list as one FTS5 operand, parenthesised when it joins several, as a malloc'd
 * string the caller frees (length in *len, parse cost in *cost), and empties the list.
 * NULL when empty. */
static char *joined_take(struct joined *j, size_t *len, int *cost)
{
    if (j->count == 0) return NULL;
    struct strbuf b = {0};
    if (j->count > 1) strbuf_append(&b, "(", 1);
    strbuf_append(&b, j->buf.text, j->buf.len);
    if (j->count > 1) strbuf_append(&b, ")", 1);
    *cost = j->count > 1 ? list_cost(j->first_cost, j->rest_cost) : j->first_cost;
    j->buf.len = 0;
    j->count = 0;
    *len = b.len;
    return b.text;
}

/* Frees the list's text; the list is not usable afterwards. */
static void joined_free(struct joined *j)
{
    free(j->buf.text);
}

/* Adds pos with the exclusions excl (either may be a list joined by OR) to dst as one
 * operand: "(pos NOT excl)", or pos alone when there is nothing to exclude. One NOT per
 * operand keeps FTS5's expression tree shallow however many words are excluded. Empties
 * pos and excl. */
static void add_with_exclusions(struct joined *dst, struct joined *pos, struct joined *excl)
{
    size_t pos_len = 0, excl_len = 0;
    int pos_cost = 0, excl_cost = 0;
    char *p = joined_take(pos, &pos_len, &pos_cost);
    char *x = joined_take(excl, &excl_len, &excl_cost);
    if (!x) {
        joined_add(dst, " OR ", p, pos_len, pos_cost);
    } else {
        struct strbuf b = {0};
        strbuf_append(&b, "(", 1);
        strbuf_append(&b, p, pos_len);
        strbuf_append_str(&b, " NOT ");
        strbuf_append(&b, x, excl_len);
        strbuf_append(&b, ")", 1);
        joined_add(dst, " OR ", b.text, b.len, list_cost(pos_cost, excl_cost));
        free(b.text);
    }
    free(p);
    free(x);
}

/* Ends the group's current chain: it becomes one alternative of the clause, or, when it
 * has no positive operand, its exclusions apply to the whole clause. */
static void close_chain(struct group *g)
{
    if (g->chain_pos.count == 0)
        joined_merge(&g->clause_excl, " OR ", &g->chain_excl);
    else
        add_with_exclusions(&g->clause_alts, &g->chain_pos, &g->chain_excl);
}

/* Ends the group's current clause (at an OR or the group's end) and adds it to the
 * group's alternatives. A clause of exclusions only cannot mean anything: an error. */
static enum news_status close_clause(struct parser *p, struct group *g)
{
    close_chain(g);
    if (g->clause_alts.count == 0) {
        if (g->clause_excl.count == 0) return NEWS_OK;
        return news_error_set(p->err, NEWS_ERR_USAGE,
                              "a query needs at least one word that is not excluded");
    }
    if (g->clause_excl.count == 0)
        joined_merge(&g->alts, " OR ", &g->clause_alts); /* MATCH_ANY: one flat OR */
    else
        add_with_exclusions(&g->alts, &g->clause_alts, &g->clause_excl);
    return NEWS_OK;
}

/* The error for AND or OR token t with no word on one side. When the query holds no word
 * at all, the person probably meant the word itself, so the message says how to write it. */
static enum news_status operator_error(const struct parser *p, const struct token *t)
{
    const char *name = t->kind == TOK_AND ? "AND" : t->kind == TOK_OR ? "OR" : "NOT";
    const char *word = t->kind == TOK_AND ? "and" : t->kind == TOK_OR ? "or" : "not";
    const char *needs = t->kind == TOK_NOT ? "a word after it" : "a word on both sides";
    if (p->term_count == 0)
        return news_error_set(p->err, NEWS_ERR_USAGE,
                              "'%s' is an operator and needs %s; to search for the word "
                              "itself, write it in lowercase or in quotes: \"%s\"",
                              name, needs, word);
    return news_error_set(p->err, NEWS_ERR_USAGE, "'%s' needs %s (column %zu)", name, needs,
                          column_of(p->query, t->offset));
}

/* Appends q[s..e) to b as one FTS5 string: double-quoted, with '"' doubled. */
static void append_quoted(struct strbuf *b, const char *q, size_t s, size_t e)
{
    strbuf_append(b, "\"", 1);
    size_t run = s;
    for (size_t i = s; i < e; i++) {
        if (q[i] != '"') continue;
        strbuf_append(b, q + run, i + 1 - run);
        strbuf_append(b, "\"", 1);
        run = i + 1;
    }
    strbuf_append(b, q + run, e - run);
    strbuf_append(b, "\"", 1);
}

/* Appends the phrases inside a NEAR(): its words and quoted phrases, each as one FTS5
 * string (a '*' after a word is dropped: NEAR takes plain phrases here). */
static void append_near_phrases(struct strbuf *b, const char *q, size_t s, size_t e)
{
    bool first = true;
    for (size_t i = s; i < e;) {
        size_t len;
        enum char_class c = classify(q, i, e, &len);
        if (c == CH_SPACE || c == CH_OPEN || c == CH_CLOSE || q[i] == ',') {
            i += c == CH_WORD ? 1 : len;
            continue;
        }
        size_t ws, we;
        if (c == CH_QUOTE) {
            ws = we = i + len;
            while (we < e && classify(q, we, e, &len) != CH_QUOTE)
                we += len;
            i = we < e ? we + len : e;
        } else {
            ws = i;
            we = word_end(q, i, e);
            while (we > ws && q[we - 1] == ',')
                we--;
            i = we > ws ? we : i + 1;
            while (we > ws && q[we - 1] == '*')
                we--;
        }
        if (!has_token_char(q, ws, we)) continue;
        if (!first) strbuf_append(b, " ", 1);
        append_quoted(b, q, ws, we);
        first = false;
    }
}

/* Returns the end of the word q[s..e) less an English possessive ending ('s or ’s after a
 * letter or digit), or e when it has none. */
static size_t possessive_end(const char *q, size_t s, size_t e)
{
    if (e - s < 2 || (q[e - 1] != 's' && q[e - 1] != 'S')) return e;
    size_t apos = e - 1;
    if (q[apos - 1] == '\'')
        apos -= 1;
    else if (apos - s >= 3 && memcmp(q + apos - 3, "\xE2\x80\x99", 3) == 0)
        apos -= 3;
    else
        return e;
    return has_token_char(q, s, apos) ? apos : e;
}

/* Appends the bare word q[s..e) to b as people mean it, and returns its parse cost. An
 * English possessive is dropped, as Lucene's English analyzer does: Putin's finds Putin,
 * and still Putin's, which the index holds as putin, s. Unless split is false, words joined
 * by '-' or '/' (Anglo-Irish, oil/gas) are searched as their parts, all required in
 * MATCH_ALL and any in MATCH_ANY, next to each other or not; news_rank()'s proximity bonus
 * ranks them first where they are adjacent. is_prefix puts '*' after the last part. */
static int append_word(struct strbuf *b, const struct parser *p, size_t s, size_t e, bool split,
                       bool is_prefix)
{
    const char *q = p->query;
    struct strbuf parts = {0};
    size_t count = 0, part = s;
    for (size_t i = s; i <= e; i++) {
        if (i < e && !(split && (q[i] == '-' || q[i] == '/'))) continue;
        size_t end = possessive_end(q, part, i);
        if (has_token_char(q, part, end)) {
            if (count++) strbuf_append_str(&parts, p->is_any ? " OR " : " AND ");
            append_quoted(&parts, q, part, end);
        }
        part = i + 1;
    }
    if (count == 0) append_quoted(&parts, q, s, e); /* not reached: s..e has a token */
    if (is_prefix) strbuf_append_str(&parts, " *");
    if (count > 1) strbuf_append(b, "(", 1);
    strbuf_append(b, parts.text, parts.len);
    if (count > 1) strbuf_append(b, ")", 1);
    free(parts.text);
    return count > 1 ? list_cost(COST_PHRASE, COST_PHRASE) : COST_PHRASE;
}

/* Returns TERM token t as an FTS5 operand, a malloc'd string the caller frees (length in
 * *len, parse cost in *cost): a NEAR(), a bare word read by append_word (kept whole when it
 * is excluded, negated is true, so that -e-mail excludes only "e mail"), or a quoted phrase
 * as written; then " *" for a prefix, inside a column filter when it names a field. */
static char *format_term(const struct parser *p, const struct token *t, bool negated, size_t *len,
                         int *cost)
{
    *cost = COST_PHRASE;
    struct strbuf b = {0};
    if (t->field != FIELD_ANY)
        strbuf_append_str(&b, t->field == FIELD_TITLE ? "({title} : " : "({body} : ");
    size_t s = t->text_offset, e = t->text_offset + t->text_len;
    if (t->near_distance > 0) {
        char tail[32];
        snprintf(tail, sizeof tail, ", %d)", t->near_distance);
        strbuf_append_str(&b, "NEAR(");
        append_near_phrases(&b, p->query, s, e);
        strbuf_append_str(&b, tail);
        *cost += 2;
    } else if (t->is_word) {
        *cost = append_word(&b, p, s, e, !t->is_excluded && !negated, t->is_prefix);
    } else {
        append_quoted(&b, p->query, s, e);
        if (t->is_prefix) strbuf_append_str(&b, " *");
    }
    if (t->field != FIELD_ANY) {
        strbuf_append(&b, ")", 1);
        *cost += 3;
    }
    *len = b.len;
    return b.text;
}

/* Returns the parsed group inner (a phrase or a parenthesised expression, length *len,
 * parse cost *cost) as the operand for OPEN token t, inside a column filter when t names a
 * field, and updates *len and *cost. Takes ownership of inner; the result is malloc'd. */
static char *format_group(const struct token *t, char *inner, size_t *len, int *cost)
{
    if (t->field == FIELD_ANY) return inner;
    *cost += 3;
    struct strbuf b = {0};
    strbuf_append_str(&b, t->field == FIELD_TITLE ? "({title} : " : "({body} : ");
    strbuf_append(&b, inner, *len);
    strbuf_append(&b, ")", 1);
    free(inner);
    *len = b.len;
    return b.text;
}

/* Parses tokens from p->pos up to the ')' that closes this group (consumed) or the end of
 * the query (not consumed: an unclosed '(' closes there). depth is how many '(' enclose
 * the group; recursion stops at MATCH_MAX_DEPTH. On success *out is the group as one FTS5
 * operand (malloc'd, caller frees, length in *out_len, parse cost in *out_cost), or NULL
 * when the group holds no literal at all (e.g. "()" or only punctuation). */
static enum news_status parse_group(struct parser *p, int depth, char **out, size_t *out_len,
                                    int *out_cost)
{
    enum news_status status = NEWS_OK;
    struct group g = {0};
    const struct token *pending_op = NULL;  /* AND or OR still waiting for its right side */
    const struct token *pending_not = NULL; /* NOT still waiting for its operand */
    char *operand = NULL;
    size_t operand_len = 0;
    int operand_cost = 0;
    for (;;) {
        const struct token *t = &p->toks[p->pos];
        if (t->kind == TOK_END || t->kind == TOK_CLOSE) {
            if (t->kind == TOK_CLOSE && depth == 0) {
                status = news_error_set(p->err, NEWS_ERR_USAGE, "unmatched ')' at column %zu",
                                        column_of(p->query, t->offset));
                goto done;
            }
            if (t->kind == TOK_CLOSE) p->pos++;
            if (pending_not || pending_op) {
                status = operator_error(p, pending_not ? pending_not : pending_op);
                goto done;
            }
            status = close_clause(p, &g);
            goto done;
        }
        p->pos++;
        if (t->kind == TOK_AND || t->kind == TOK_OR) {
            bool has_left = g.chain_pos.count || g.chain_excl.count || g.clause_alts.count ||
                            g.clause_excl.count;
            const struct token *bad = pending_not ? pending_not : pending_op ? pending_op : t;
            if (pending_not || pending_op || !has_left) {
                status = operator_error(p, bad);
                goto done;
            }
            if (t->kind == TOK_OR && (status = close_clause(p, &g)) != NEWS_OK) goto done;
            pending_op = t;
            continue;
        }
        if (t->kind == TOK_NOT) {
            if (pending_not) {
                status = operator_error(p, pending_not);
                goto done;
            }
            pending_not = t;
            continue;
        }
        if (t->kind == TOK_TERM) {
            operand = format_term(p, t, pending_not != NULL, &operand_len, &operand_cost);
        } else { /* TOK_OPEN */
            if (depth >= MATCH_MAX_DEPTH) {
                status = news_error_set(p->err, NEWS_ERR_USAGE,
                                        "the query nests parentheses more than %d deep "
                                        "(column %zu)",
                                        MATCH_MAX_DEPTH, column_of(p->query, t->offset));
                goto done;
            }
            char *inner = NULL;
            status = parse_group(p, depth + 1, &inner, &operand_len, &operand_cost);
            if (status != NEWS_OK) goto done;
            if (!inner) continue; /* an empty group is not there: operators still wait */
            operand = format_group(t, inner, &operand_len, &operand_cost);
        }
        /* In MATCH_ANY, words side by side are alternatives: each starts a new chain. */
        if (!pending_op && p->is_any && (g.chain_pos.count || g.chain_excl.count)) close_chain(&g);
        if (t->is_excluded || pending_not)
            joined_add(&g.chain_excl, " OR ", operand, operand_len, operand_cost);
        else
            joined_add(&g.chain_pos, " AND ", operand, operand_len, operand_cost);
        free(operand);
        operand = NULL;
        pending_op = NULL;
        pending_not = NULL;
    }
done:
    if (status == NEWS_OK) *out = joined_take(&g.alts, out_len, out_cost);
    free(operand);
    joined_free(&g.chain_pos);
    joined_free(&g.chain_excl);
    joined_free(&g.clause_alts);
    joined_free(&g.clause_excl);
    joined_free(&g.alts);
    return status;
}

enum news_status match_translate(const char *query, enum match_mode mode, char **out_fts,
                                 struct news_error *err)
{
    enum news_status status = NEWS_OK;
    struct token_list toks = {0};
    char *fts = NULL;
    size_t fts_len = 0;
    int fts_cost = 0;
    if (!query) query = "";
    size_t n = strnlen(query, MATCH_MAX_QUERY_BYTES + 1);
    if (n > MATCH_MAX_QUERY_BYTES) {
        status = news_error_set(err, NEWS_ERR_USAGE, "the query is longer than %zu bytes",
                                MATCH_MAX_QUERY_BYTES);
        goto done;
    }
    size_t bad = utf8_invalid_offset(query, n);
    if (bad < n) {
        status = news_error_set(err, NEWS_ERR_USAGE,
                                "the query is not valid UTF-8 (byte %zu, column %zu)", bad + 1,
                                column_of(query, bad));
        goto done;
    }
    lex(&toks, query, n);
    if (toks.unclosed_quote != SIZE_MAX) {
        status = news_error_set(err, NEWS_ERR_USAGE,
                                "the quote at column %zu is never closed; close the phrase "
                                "or drop the quote",
                                column_of(query, toks.unclosed_quote));
        goto done;
    }
    struct parser p = {.query = query, .toks = toks.items, .is_any = mode == MATCH_ANY, .err = err};
    for (size_t i = 0; i < toks.count; i++)
        if (toks.items[i].kind == TOK_TERM) p.term_count++;
    if ((status = parse_group(&p, 0, &fts, &fts_len, &fts_cost)) != NEWS_OK) goto done;
    if (!fts) {
        status = news_error_set(err, NEWS_ERR_USAGE, "the query has no words to search for");
        goto done;
    }
    if (fts_cost > FTS5_MAX_PARSE_COST) {
        status = news_error_set(err, NEWS_ERR_USAGE,
                                "the query nests exclusions and fields too deeply inside "
                                "parentheses; use fewer parentheses");
        goto done;
    }
    *out_fts = fts;
    fts = NULL;
done:
    free(fts);
    free(toks.items);
    return status;
}

/* ---- date: restrictions ---- */

bool match_date_valid(const char *s)
{
    size_t n = strlen(s);
    if (n != 4 && n != 7 && n != 10) return false;
    for (size_t i = 0; i < n; i++) {
        bool dash = i == 4 || i == 7;
        if (dash ? s[i] != '-' : (s[i] < '0' || s[i] > '9')) return false;
    }
    int month = n >= 7 ? (s[5] - '0') * 10 + (s[6] - '0') : 1;
    int day = n == 10 ? (s[8] - '0') * 10 + (s[9] - '0') : 1;
    return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

/* Keeps the later of two lower bounds, or the earlier of two upper ones. ISO prefixes
 * compare as text; of "1987" and "1987-03" as lower bounds the longer is the later. */
static void narrow(char bound[MATCH_DATE_BYTES], const char *value, bool lower)
{
    bool replace;
    if (!bound[0])
        replace = true;
    else if (lower)
        replace = strcmp(value, bound) > 0; /* a later start, or a finer one within it */
    else /* an end within the bound's period, or wholly before it */
        replace = strncmp(value, bound, strlen(bound)) == 0 ||
                  (strcmp(value, bound) < 0 && strncmp(bound, value, strlen(value)) != 0);
    if (replace) snprintf(bound, MATCH_DATE_BYTES, "%s", value);
}

enum news_status match_take_dates(char *query, char since[MATCH_DATE_BYTES],
                                  char until[MATCH_DATE_BYTES], struct news_error *err)
{
    bool quoted = false;
    char *out = query;
    for (char *p = query; *p;) {
        bool at_word = p == query || p[-1] == ' ' || p[-1] == '\t' || p[-1] == '(';
        if (*p == '"') quoted = !quoted;
        if (quoted || !at_word || strncmp(p, "date:", 5) != 0) {
            *out++ = *p++;
            continue;
        }
        char *end = p + 5;
        while (*end && *end != ' ' && *end != '\t' && *end != ')')
            end++;
        char word[64];
        size_t n = (size_t)(end - p);
        snprintf(word, sizeof word, "%.*s", n < sizeof word ? (int)n : (int)sizeof word - 1, p);
        char lo[MATCH_DATE_BYTES] = "", hi[MATCH_DATE_BYTES] = "";
        const char *range = strstr(word + 5, "..");
        size_t lo_len = range ? (size_t)(range - (word + 5)) : strlen(word + 5);
        const char *hi_text = range ? range + 2 : word + 5;
        bool ok = lo_len < MATCH_DATE_BYTES && strlen(hi_text) < MATCH_DATE_BYTES &&
                  (lo_len > 0 || strlen(hi_text) > 0);
        if (ok) {
            memcpy(lo, word + 5, lo_len);
            lo[lo_len] = '\0';
            snprintf(hi, sizeof hi, "%s", hi_text);
            ok = (!lo[0] || match_date_valid(lo)) && (!hi[0] || match_date_valid(hi)) &&
                 (!lo[0] || !hi[0] || strcmp(lo, hi) <= 0 || strncmp(hi, lo, strlen(hi)) == 0);
        }
        if (!ok)
            return news_error_set(err, NEWS_ERR_USAGE,
                                  "'%s': a date restriction is date:A or date:A..B, with A and B "
                                  "as YYYY, YYYY-MM or YYYY-MM-DD, A not after B",
                                  word);
        if (lo[0]) narrow(since, lo, true);
        if (hi[0]) narrow(until, hi, false);
        p = end;
    }
    *out = '\0';
    return NEWS_OK;
}
