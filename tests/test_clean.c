/* test_clean.c: each of the cleaner's decisions, then a whole scraped article. */
#include <stdlib.h>

#include "check.h"
#include "clean.h"

struct line_case {
    const char *line;
    bool promo, caption;
};

static const struct line_case lines[] = {
    {"Advertisement Hide Ad", true, false},
    {"Advertisement", true, false},
    {"Share this article Share on Facebook Share on X", true, false},
    {"Read more: the latest headlines from around the world", true, false},
    {"Sign up to our newsletter Sign up Thank you for signing up!", true, false},
    {"Sign up to our Politics newsletter Sign up Thank you for signing up! Did you know with a "
     "Digital Subscription to The Daily Example, you can get unlimited access to the website "
     "including our premium content, as well as benefiting from fewer ads, loyalty rewards and "
     "much more. Learn More Sorry, there seem to be some issues. Please try again later. "
     "Submitting...",
     true, false},
    {"Sorry, there seem to be some issues. Please try again later.", true, false},
    {"We use cookies to improve your experience. Accept all", true, false},
    /* Journalism that mentions the same words stays. */
    {"The advertisement was banned by the regulator after 40 complaints.", false, false},
    {"Advertisement revenues fell 5% last year, the company said.", false, false},
    {"Readers who subscribe to the print edition will get the newsletter free, the publisher "
     "said on Tuesday, in a move analysts called overdue.",
     false, false},
    {"He said the talks would continue next week.", false, false},
    {"Ministers met in Riyadh. Picture: Jane Doe/Pool Photo via AP | AP", false, true},
    {"The president at the summit in 2017 | SPUTNIK/AFP via Getty Images", false, true},
    {"Crowds gathered outside parliament (Photo by John Smith/Getty Images)", false, true},
    /* A pipe in a sentence without a credit is not a caption. */
    {"Scores: Leeds 2 | Hull 1 after extra time in the cup tie", false, false},
    {"He took the picture himself and said: it shows the damage clearly, to anyone.", false, false},
};

static char *clean_text(const char *body)
{
    struct clean_doc doc = {0};
    clean_doc_split(&doc, body, strlen(body));
    clean_doc_mark(&doc);
    size_t len;
    char *out = clean_doc_join(&doc, &len);
    CHECK_INT(len, strlen(out));
    clean_doc_free(&doc);
    return out;
}

static void check_normalize(const char *in, const char *want)
{
    size_t len;
    char *out = clean_normalize(in, strlen(in), &len);
    CHECK_STR(out, want);
    free(out);
}

int main(void)
{
    for (size_t i = 0; i < sizeof lines / sizeof *lines; i++) {
        const char *l = lines[i].line;
        CHECK_INT(clean_is_promo(l, strlen(l)), lines[i].promo);
        CHECK_INT(clean_is_caption(l, strlen(l)), lines[i].caption);
        if (clean_is_promo(l, strlen(l)) != lines[i].promo ||
            clean_is_caption(l, strlen(l)) != lines[i].caption)
            fprintf(stderr, "  line: %s\n", l);
    }

    CHECK_INT(clean_word_count("", 0), 0);
    CHECK_INT(clean_word_count("  one  two\tthree ", 17), 3);
    check_normalize("  a \t b\r", "a b");
    check_normalize("no\xC2\xA0"
                    "break",
                    "no break");
    check_normalize("ctrl\x03"
                    "chars\x7F",
                    "ctrlchars");
    check_normalize("c1\xC2\x85"
                    "x",
                    "c1x");
    check_normalize("caf\xC3\xA9", "caf\xC3\xA9");

    /* A scraped article: every paragraph stays, in order; the rest goes. */
    const char *scraped = "Sign up to our newsletter Sign up Thank you for signing up!\n\n"
                          "The first paragraph of the story.\n\n"
                          "Advertisement Hide Ad\n\nAdvertisement Hide Ad\n\n"
                          "Officials met on Tuesday. Picture: A. Person/AP | AP\n\n"
                          "The second paragraph, with a quote.\n\n"
                          "Advertisement Hide Ad\n\nAdvertisement Hide Ad\n\n"
                          "More to follow.\n\nMore to follow.\n\n"
                          "The last paragraph.\n";
    char *out = clean_text(scraped);
    CHECK_STR(out, "The first paragraph of the story.\n\n"
                   "The second paragraph, with a quote.\n\n"
                   "The last paragraph.");
    free(out);

    /* Hard-wrapped prose is joined; long lines are paragraphs of their own. */
    out = clean_text("A wrapped paragraph that goes\non over three lines\nof text.\n\nNext one.");
    CHECK_STR(out, "A wrapped paragraph that goes on over three lines of text.\n\nNext one.");
    free(out);
    /* List items stay items. */
    out =
        clean_text("Key points:\n- first point\n- second point\n1. numbered\n\xE2\x80\xA2 bullet");
    CHECK_STR(out, "Key points:\n\n- first point\n\n- second point\n\n1. numbered\n\n"
                   "\xE2\x80\xA2 bullet");
    free(out);
    char long_block[400];
    snprintf(long_block, sizeof long_block, "%0150d\n%0150d\n", 1, 2);
    out = clean_text(long_block);
    CHECK(out && strchr(out, '\n') != NULL && strstr(out, "\n\n") != NULL);
    free(out);
    /* A long repeated line is a real (if odd) paragraph: only short repeats go. */
    out = clean_text("This is a long sentence that the paper printed twice by mistake today.\n\n"
                     "This is a long sentence that the paper printed twice by mistake today.\n");
    CHECK(strstr(out, "twice") != NULL);
    free(out);

    /* Lines recurring across articles of one source. */
    struct recur *r = recur_new(1000);
    struct clean_doc docs[CLEAN_RECUR_MIN_ARTICLES + 1];
    memset(docs, 0, sizeof docs);
    char body[200];
    for (int i = 0; i <= CLEAN_RECUR_MIN_ARTICLES; i++) {
        snprintf(body, sizeof body, "Story number %d happened.\n\nThe Daily Example, Leeds.\n", i);
        clean_doc_split(&docs[i], body, strlen(body));
        clean_doc_mark(&docs[i]);
    }
    for (int i = 0; i < CLEAN_RECUR_MIN_ARTICLES - 1; i++)
        recur_count(r, 7, &docs[i]);
    CHECK_INT(recur_mark_doc(r, 7, &docs[0], NULL, NULL), 0); /* not yet often enough */
    recur_count(r, 7, &docs[CLEAN_RECUR_MIN_ARTICLES - 1]);
    CHECK_INT(recur_mark_doc(r, 8, &docs[0], NULL, NULL), 0); /* another source */
    CHECK_INT(recur_mark_doc(r, 7, &docs[0], NULL, NULL), 1);
    CHECK_INT(docs[0].lines[1].verdict, CLEAN_RECUR);
    CHECK_INT(docs[0].lines[0].verdict, CLEAN_KEEP);
    recur_mark_known(r, 9, docs[5].lines[1].hash);
    CHECK_INT(recur_mark_doc(r, 9, &docs[5], NULL, NULL), 1); /* known from the archive */
    for (int i = 0; i <= CLEAN_RECUR_MIN_ARTICLES; i++)
        clean_doc_free(&docs[i]);
    recur_free(r);

    /* Memory stays bounded: a small table takes many distinct lines, forgetting lines
     * seen once but never boilerplate already known. */
    r = recur_new(16);
    struct clean_doc d = {0}, known = {0};
    clean_doc_split(&known, "Known masthead line\n", 20);
    recur_mark_known(r, 1, known.lines[0].hash);
    for (int i = 0; i < 1000; i++) {
        snprintf(body, sizeof body, "Line %d\n", i);
        clean_doc_split(&d, body, strlen(body));
        recur_count(r, 1, &d);
    }
    CHECK_INT(recur_mark_doc(r, 1, &known, NULL, NULL), 1);
    CHECK_INT(recur_mark_doc(r, 1, &d, NULL, NULL), 0); /* seen once: not boilerplate */
    clean_doc_free(&d);
    clean_doc_free(&known);
    recur_free(r);

    /* A full table held just under half full by lines seen twice (a small table starts
     * with 1,024 slots and forgets when half are taken) still learns a masthead that
     * recurs among new lines: forgetting frees enough for it to be seen again. */
    r = recur_new(16);
    size_t cap = 1024 / 2 * 20;
    char *text = malloc(cap);
    size_t len = 0;
    for (int i = 0; i < 1024 / 2 - 2; i++)
        len += (size_t)snprintf(text + len, cap - len, "Seen twice %d\n", i);
    clean_doc_split(&d, text, len);
    recur_count(r, 1, &d);
    recur_count(r, 1, &d);
    for (int i = 0; i <= CLEAN_RECUR_MIN_ARTICLES; i++) {
        len = (size_t)snprintf(text, cap, "The Daily Example masthead\n");
        for (int k = 0; k < 20; k++)
            len += (size_t)snprintf(text + len, cap - len, "Story %d line %d\n", i, k);
        clean_doc_split(&d, text, len);
        recur_count(r, 1, &d);
    }
    CHECK_INT(recur_mark_doc(r, 1, &d, NULL, NULL), 1);
    CHECK_STR(d.lines[0].text, "The Daily Example masthead");
    CHECK_INT(d.lines[0].verdict, CLEAN_RECUR);
    free(text);
    clean_doc_free(&d);
    recur_free(r);
    return check_report("test_clean");
}
