/* test_identity.c: identity keys never join records of different sources or files, and
 * the test of what two versions have in common tells corrections from strangers. */
#include <string.h>

#include "check.h"
#include "identity.h"

static struct identity id_of(const char *captured, const char *source_id, const char *source,
                             const char *file, const char *url)
{
    struct identity_input in = {captured, source_id, source, file, url};
    return identity_of(&in);
}

static void test_keys(void)
{
    /* The rules, in order. */
    CHECK_INT(id_of("http://a/", "r1", "S", "/f", "http://b/").kind, IDENTITY_CAPTURE);
    CHECK_INT(id_of(NULL, "1", "S", "/f", "http://b/").kind, IDENTITY_ID);
    CHECK_INT(id_of(NULL, "1", NULL, "/f", "http://b/").kind, IDENTITY_ID);
    CHECK_INT(id_of(NULL, "1", NULL, "-", "http://b/").kind, IDENTITY_URL); /* stdin */
    CHECK_INT(id_of(NULL, "", "", "", "http://b/").kind, IDENTITY_URL);
    CHECK_INT(id_of(NULL, NULL, "S", "/f", NULL).kind, IDENTITY_NONE);
    CHECK_INT(id_of(NULL, NULL, "S", "/f", NULL).key, 0);

    /* Records numbered 1 in two files without a source are strangers; in one file, or in
     * one source whatever the file, they are the same record. */
    CHECK(id_of(NULL, "1", NULL, "/a.jsonl", NULL).key !=
          id_of(NULL, "1", NULL, "/b.jsonl", NULL).key);
    CHECK_INT(id_of(NULL, "1", NULL, "/a.jsonl", NULL).key,
              id_of(NULL, "1", NULL, "/a.jsonl", "http://x/").key);
    CHECK_INT(id_of(NULL, "1", "Gazette", "/a.jsonl", NULL).key,
              id_of(NULL, "1", "GAZETTE", "/b.jsonl", NULL).key);
    CHECK(id_of(NULL, "1", "Gazette", "/a", NULL).key !=
          id_of(NULL, "1", "Herald", "/a", NULL).key);
    /* A source named like a file is not that file. */
    CHECK(id_of(NULL, "1", "/a", "/x", NULL).key != id_of(NULL, "1", NULL, "/a", NULL).key);
    /* A captured address is not the same identity as a page's own URL. */
    CHECK(id_of("http://a/", NULL, NULL, NULL, NULL).key !=
          id_of(NULL, NULL, NULL, NULL, "http://a/").key);
    CHECK_INT(id_of("http://a/", "<urn:1>", NULL, "/1.warc", NULL).key,
              id_of("http://a/", "<urn:2>", NULL, "/2.warc", NULL).key);
    /* Parts do not run into each other. */
    CHECK(id_of(NULL, "2", "ab", "/f", NULL).key != id_of(NULL, "b2", "a", "/f", NULL).key);
}

/* Words 0..n-1 of a made-up text, word i being "wI" (distinct words). */
static void make_words(char *out, size_t cap, int from, int n)
{
    size_t o = 0;
    for (int i = from; i < from + n && o + 16 < cap; i++)
        o += (size_t)snprintf(out + o, cap - o, "w%d ", i);
}

static void test_related(void)
{
    static const char bridge[] =
        "The mayor opened the new bridge over the river on Tuesday, after three years of "
        "building work and two delays.";
    static const char corrected[] =
        "The mayor opened the new bridge over the river on Tuesday, after three years of "
        "building work and three delays.";
    static const char cocoa[] = "Showers continued throughout the week in the Bahia cocoa zone, "
                                "alleviating the drought since early January.";
    CHECK(identity_related("Mayor opens bridge", bridge, strlen(bridge), "Mayor opens bridge",
                           corrected, strlen(corrected)));
    /* A new headline, the same text; the same headline, a rewritten text. */
    CHECK(identity_related("Bridge opened", bridge, strlen(bridge), "Mayor opens bridge", corrected,
                           strlen(corrected)));
    CHECK(identity_related("Mayor opens bridge", bridge, strlen(bridge), "mayor OPENS bridge!",
                           cocoa, strlen(cocoa)));
    /* Strangers: nothing but "the" and "of the" in common. */
    CHECK(!identity_related("Mayor opens bridge", bridge, strlen(bridge), "BAHIA COCOA REVIEW",
                            cocoa, strlen(cocoa)));
    CHECK(!identity_related("The storm", "", 0, "The council", "", 0));
    CHECK(identity_related("Storm", "", 0, "storm", "", 0));
    CHECK(!identity_related(NULL, NULL, 0, NULL, NULL, 0));
    CHECK(!identity_related("", "", 0, "", "", 0));

    /* Two fifths of the shorter text's pairs of words: 40 of 100 pairs shared is enough,
     * 30 is not. */
    static char a[4096], b[4096];
    make_words(a, sizeof a, 0, 101);
    make_words(b, sizeof b, 60, 101); /* shares w60..w100: 40 pairs */
    CHECK(identity_related("x", a, strlen(a), "y", b, strlen(b)));
    make_words(b, sizeof b, 70, 101); /* shares w70..w100: 30 pairs */
    CHECK(!identity_related("x", a, strlen(a), "y", b, strlen(b)));
    /* Only the start of a long text is compared, and it is compared whatever its length. */
    static char long_a[200000], long_b[200000];
    make_words(long_a, sizeof long_a, 0, 15000);
    make_words(long_b, sizeof long_b, 0, 15000);
    CHECK(identity_related("x", long_a, strlen(long_a), "y", long_b, strlen(long_b)));
}

int main(void)
{
    test_keys();
    test_related();
    return check_report("test_identity");
}
