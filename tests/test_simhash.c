/* test_simhash.c: copies with small edits get close fingerprints, what reprints change does
 * not count, unrelated texts get distant ones, short texts none, and the same text always
 * the same one. */
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "simhash.h"

static const char *const vocab[] = {
    "the",       "minister",  "said",      "on",        "tuesday",  "that",      "talks",
    "would",     "resume",    "in",        "geneva",    "next",     "week",      "after",
    "a",         "pause",     "of",        "three",     "months",   "officials", "from",
    "both",      "sides",     "expected",  "progress",  "prisoner", "exchange",  "power",
    "plant",     "safety",    "ceasefire", "agreement", "envoy",    "united",    "nations",
    "security",  "council",   "vote",      "sanctions", "oil",      "prices",    "rose",
    "fell",      "percent",   "market",    "shares",    "bank",     "interest",  "rate",
    "inflation", "election",  "party",     "leader",    "court",    "ruling",    "judge",
    "appeal",    "police",    "city",      "river",     "flood",    "storm",     "wind",
    "farm",      "harbour",   "museum",    "bronze",    "grain",    "exports",   "ship",
    "port",      "deal",      "company",   "profit",    "quarter",  "loss",      "revenue",
    "million",   "year",      "last",      "first",     "new",      "people",    "told",
    "reporters", "statement", "spokesman", "could",     "not",      "reached",   "comment",
    "by",        "with",      "and",       "but",       "as",       "it",        "was"};

/* Enough words for a fingerprint, to follow a few that differ only in punctuation. */
#define TEXT_40_WORDS                                                                              \
    "Envoys from both sides met in Geneva on Tuesday for a new round of ceasefire talks, the "     \
    "first in three months. Mediators said the agenda covered prisoner exchanges and the "         \
    "safety of power plants, but not the future of occupied territory."

/* Writes a text of `words` words drawn from vocab by a generator seeded with seed, with
 * full stops and paragraph breaks; word number change_at (if not -1) is replaced by
 * "zebra". The caller frees the result. */
static char *make_text(int words, uint64_t seed, int change_at)
{
    char *text = malloc((size_t)words * 16 + 1);
    size_t len = 0;
    for (int i = 0; i < words; i++) {
        seed = seed * 6364136223846793005u + 1442695040888963407u;
        const char *w = vocab[(seed >> 33) % (sizeof vocab / sizeof *vocab)];
        if (i == change_at) w = "zebra";
        size_t n = strlen(w);
        memcpy(text + len, w, n);
        len += n;
        const char *sep = i % 17 == 16 ? ".\n\n" : " ";
        memcpy(text + len, sep, strlen(sep));
        len += strlen(sep);
    }
    text[len] = '\0';
    return text;
}

/* The fingerprint of a NUL-terminated text; 0 and a failed check when it has none. */
static uint64_t fingerprint(const char *text)
{
    uint64_t f = 0;
    CHECK(simhash_text(text, strlen(text), &f));
    return f;
}

/* Fingerprints the concatenation of three strings. */
static uint64_t fingerprint3(const char *a, const char *b, const char *c)
{
    size_t la = strlen(a), lb = strlen(b), lc = strlen(c);
    char *text = malloc(la + lb + lc + 1);
    memcpy(text, a, la);
    memcpy(text + la, b, lb);
    memcpy(text + la + lb, c, lc + 1);
    uint64_t f = fingerprint(text);
    free(text);
    return f;
}

/* How many of 100 copies of 300-word texts with word number at (or, at -1, a word
 * anywhere) replaced come within SIMHASH_MAX_DISTANCE; *worst is the largest distance. */
static int copies_within(int at, int *worst)
{
    int within = 0;
    *worst = 0;
    for (uint64_t seed = 1; seed <= 100; seed++) {
        char *a = make_text(300, seed, -1);
        char *b = make_text(300, seed, at >= 0 ? at : (int)(seed * 7919 % 300));
        int d = simhash_distance(fingerprint(a), fingerprint(b));
        within += d <= SIMHASH_MAX_DISTANCE;
        *worst = d > *worst ? d : *worst;
        free(a);
        free(b);
    }
    return within;
}

int main(void)
{
    /* The same text, the same fingerprint; case, punctuation and spacing do not count. */
    char *text = make_text(300, 1, -1);
    uint64_t f = fingerprint(text);
    CHECK_INT(simhash_distance(f, fingerprint(text)), 0);
    char *shouted = strdup(text);
    for (char *c = shouted; *c; c++) {
        if (*c >= 'a' && *c <= 'z') *c = (char)(*c - 'a' + 'A');
        if (*c == '.') *c = ',';
    }
    CHECK_INT(simhash_distance(f, fingerprint(shouted)), 0);
    free(shouted);
    CHECK_INT(
        simhash_distance(fingerprint3("\xE2\x80\x9CPeace talks\xE2\x80\x9D \xE2\x80\x94 said the "
                                      "envoy, who asked not to be named. ",
                                      TEXT_40_WORDS, ""),
                         fingerprint3("\"peace talks\" - said the envoy who asked not to be "
                                      "named ",
                                      TEXT_40_WORDS, "")),
        0);

    /* Stored fingerprints must not change between builds or machines. */
    CHECK(f == UINT64_C(0xA201CB5C3478E6CA));

    /* What reprints of a wire story change does not count: a byline or dateline line, a
     * dateline before a dash, and whatever follows the lead (the cut last paragraphs). */
    CHECK_INT(simhash_distance(f, fingerprint3("By Anna Berg, Example Wire\n\n", text, "")), 0);
    CHECK_INT(simhash_distance(f, fingerprint3("LONDON, March 3\n\n", text, "")), 0);
    CHECK_INT(simhash_distance(f, fingerprint3("LONDON (Reuters) - ", text, "")), 0);
    CHECK_INT(simhash_distance(fingerprint3("PARIS, March 3 (AP) -- ", text, ""),
                               fingerprint3("PARIS \xE2\x80\x94 ", text, "")),
              0);
    char *cut = make_text(SIMHASH_LEAD_WORDS + 20, 1, -1);
    CHECK_INT(simhash_distance(f, fingerprint3(cut, "\n\nReporting by Anna Berg", "")), 0);
    free(cut);
    /* A dash further into the lead is text like any other. */
    CHECK(simhash_distance(
              f, fingerprint3("Officials in the capital of the country said on Tuesday night - ",
                              text, "")) > 0);

    /* One word changed in the lead: two of its 149 shingles differ, which flips
     * 64 * acos(147/149) / pi = 3.3 bits on average, so about 60% of such copies come within
     * 3 bits and nearly all within 8 (SimHash's bits are random hyperplanes over the shingle
     * counts). Anywhere in a 300-word text, half the changes fall after the lead: 80%. */
    int worst;
    CHECK(copies_within(75, &worst) >= 50);
    CHECK(worst <= 10);
    CHECK(copies_within(-1, &worst) >= 75);
    CHECK(copies_within(SIMHASH_LEAD_WORDS + 10, &worst) == 100);
    CHECK_INT(worst, 0);

    /* Unrelated texts on the same vocabulary are far apart: about 32 bits, never near 3. */
    int nearest = 64;
    for (uint64_t seed = 1; seed <= 50; seed++) {
        char *a = make_text(300, seed, -1), *b = make_text(300, seed + 1000, -1);
        int d = simhash_distance(fingerprint(a), fingerprint(b));
        nearest = d < nearest ? d : nearest;
        free(a);
        free(b);
    }
    CHECK(nearest > 10);

    /* Too short to tell: no fingerprint, and *fingerprint is left alone. Lines of fewer
     * than SIMHASH_MIN_LINE_WORDS words do not count towards the minimum. */
    uint64_t untouched = 42;
    char *short_text = make_text(SIMHASH_MIN_WORDS - 1, 7, -1);
    CHECK(!simhash_text(short_text, strlen(short_text), &untouched));
    CHECK(untouched == 42);
    free(short_text);
    CHECK(!simhash_text("", 0, &untouched));
    const char *lines = "one two three four five six seven\n";
    char many_short[40 * 40];
    many_short[0] = '\0';
    for (int i = 0; i < 30; i++)
        strcat(many_short, lines);
    CHECK(!simhash_text(many_short, strlen(many_short), &untouched));
    CHECK(simhash_text(TEXT_40_WORDS, strlen(TEXT_40_WORDS), &untouched));

    /* Blocks: the fingerprint's four 16-bit quarters, lowest first. */
    CHECK_INT(simhash_block(UINT64_C(0x0123456789ABCDEF), 0), 0xCDEF);
    CHECK_INT(simhash_block(UINT64_C(0x0123456789ABCDEF), 3), 0x0123);
    CHECK_INT(simhash_distance(0, UINT64_MAX), 64);

    /* Bytes that are not UTF-8, and words past the length limit, are read safely. */
    char odd[300];
    for (size_t i = 0; i < sizeof odd; i++)
        odd[i] = (char)(i % 7 == 0 ? ' ' : 0x80 + i % 0x7F);
    uint64_t g;
    simhash_text(odd, sizeof odd, &g);
    simhash_text("\xE2\x80", 2, &g);
    simhash_text("a \xC2", 3, &g);
    char *long_words = malloc(50 * 101 + 1);
    for (int i = 0; i < 50 * 101; i++)
        long_words[i] = (char)(i % 101 == 100 ? ' ' : 'a' + i / 101 % 26);
    long_words[50 * 101] = '\0';
    CHECK(simhash_text(long_words, strlen(long_words), &g));
    free(long_words);

    free(text);
    return check_report("test_simhash");
}
