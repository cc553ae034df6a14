/* test_html.c: the web-page extractor: what stays and what goes, the metadata rules, the
 * character sets, pages without an article, pathological markup, and HTML fragments. */
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "html.h"
#include "utf8.h"

/* Article paragraphs long enough to be scored as content. */
#define PARA1                                                                                      \
    "<p>The harbour authority approved the new wind farm on Tuesday, after three years of "        \
    "hearings, two public inquiries and a long dispute with the fishing fleet over access to "     \
    "the northern banks.</p>"
#define PARA2                                                                                      \
    "<p>Construction will begin next spring, the authority said, and the first turbines should "   \
    "turn by the end of the following year, supplying power to about forty thousand homes.</p>"
#define PARA3                                                                                      \
    "<p>Fishermen, who had argued that the cables would damage spawning grounds, said they "       \
    "would study the conditions attached to the permit before deciding whether to appeal.</p>"
#define BODY PARA1 PARA2 PARA3

/* Wraps article markup in a page with the given <head> extras. */
#define PAGE(head, body)                                                                           \
    "<!DOCTYPE html><html><head><meta charset=\"utf-8\">" head "</head><body>" body "</body></"    \
    "html>"

struct text_case {
    const char *name;
    const char *html;
    const char *present[6]; /* substrings the text must contain, in this order */
    const char *absent[6];  /* substrings it must not contain */
};

static const struct text_case text_cases[] = {
    {"boilerplate dropped",
     PAGE("<title>Wind farm approved | Daily Example</title>",
          "<header class=\"site-header\"><a href=\"/\">Daily Example</a></header>"
          "<nav><a href=\"/news\">News</a> <a href=\"/sport\">Sport</a> <a "
          "href=\"/weather\">Weather</a></nav>"
          "<div class=\"cookie-banner\">We use cookies to improve your experience. Accept all</div>"
          "<main><article><h1>Wind farm approved</h1>" PARA1
          "<div class=\"share-bar\"><a href=\"#\">Share on Facebook</a> <a href=\"#\">Share on "
          "X</a></div>"
          "<h2>What happens next</h2>" PARA2 PARA3 "</article>"
          "<aside class=\"sidebar\"><h3>Most read</h3><ul><li><a href=\"/a\">Another story "
          "entirely</a></li></ul></aside>"
          "<section id=\"comments\"><h3>Comments</h3><p>Great article, thanks for writing it, I "
          "learned a lot.</p></section>"
          "</main>"
          "<div class=\"newsletter-signup\">Sign up to our newsletter for the best stories</div>"
          "<footer>Copyright Daily Example. All rights reserved.</footer>"),
     {"The harbour authority approved", "What happens next", "Construction will begin",
      "Fishermen, who had argued"},
     {"Sport", "cookies", "Share on Facebook", "Another story", "Great article", "Copyright"}},
    {"headings and paragraphs each a paragraph, in order",
     PAGE("<title>Order</title>",
          "<article><h2>First heading</h2>" PARA1 "<h3>Second heading</h3>" PARA2
          "<ul><li>Point one of the list, which is long enough to count.</li>"
          "<li>Point two of the list.</li></ul>" PARA3 "</article>"),
     {"First heading\n\nThe harbour", "northern banks.\n\nSecond heading\n\nConstruction",
      "homes.\n\nPoint one", "count.\n\nPoint two of the list.\n\nFishermen"},
     {"\n\n\n"}},
    {"double br separates paragraphs",
     PAGE("<title>Brs</title>",
          "<div class=\"story-body\">The harbour authority approved the new wind farm on Tuesday, "
          "after three years of hearings and inquiries into access to the banks.<br><br>"
          "Construction will begin next spring, the authority said, and the first turbines "
          "should turn by the end of the following year.<br>A single break stays in the "
          "paragraph.<br><br>Fishermen said they would study the conditions attached to the "
          "permit before deciding whether to appeal against it.</div>"),
     {"banks.\n\nConstruction", "year.\nA single break", "paragraph.\n\nFishermen"},
     {NULL}},
    {"scripts, styles, templates, svg and hidden elements skipped",
     PAGE("<title>Skip</title><style>p { color: red }</style>",
          "<article>" PARA1 "<script>var secret = 'script text';</script>"
          "<noscript>noscript text</noscript><template><p>template text</p></template>"
          "<svg><text>svg text</text></svg><iframe src=\"x.html\">iframe text</iframe>"
          "<p style=\"display: none\">hidden by style</p><p hidden>hidden attribute</p>"
          "<div aria-hidden=\"true\">hidden from readers</div>" PARA2 PARA3 "</article>"),
     {"The harbour", "Construction", "Fishermen"},
     {"script text", "noscript text", "template text", "svg text", "hidden", "color"}},
    {"entities decoded, whitespace normalised",
     PAGE("<title>Entities</title>",
          "<article><p>Caf&eacute; &amp; bar&nbsp;owners   said&#8230; the harbour plan, "
          "which &ldquo;changes everything&rdquo;, would bring trade, jobs and visitors "
          "to the town.</p>" PARA2 PARA3 "</article>"),
     {"Caf\xC3\xA9 & bar owners said\xE2\x80\xA6 the harbour plan, which \xE2\x80\x9C"
      "changes everything\xE2\x80\x9D, would"},
     {"&amp;", "&eacute;", "  "}},
};

/* Checks one text case. */
static void check_text_case(const struct text_case *c)
{
    struct article a = {0};
    struct news_error err = {{0}};
    enum news_status st = html_extract(c->html, strlen(c->html), NULL, &a, &err);
    CHECK_INT(st, NEWS_OK);
    if (st != NEWS_OK || !a.text) {
        fprintf(stderr, "  case: %s: %s\n", c->name, err.msg);
        return;
    }
    CHECK(utf8_is_valid(a.text, strlen(a.text)));
    const char *from = a.text;
    for (size_t i = 0; i < 6 && c->present[i]; i++) {
        const char *hit = strstr(from, c->present[i]);
        CHECK(hit != NULL);
        if (!hit) {
            fprintf(stderr, "  case: %s: missing or out of order: %s\n  text: %s\n", c->name,
                    c->present[i], a.text);
            break;
        }
        from = hit + strlen(c->present[i]);
    }
    for (size_t i = 0; i < 6 && c->absent[i]; i++) {
        CHECK(strstr(a.text, c->absent[i]) == NULL);
        if (strstr(a.text, c->absent[i]))
            fprintf(stderr, "  case: %s: should not contain: %s\n  text: %s\n", c->name,
                    c->absent[i], a.text);
    }
    article_clear(&a);
}

/* Which field of struct article a metadata case checks. */
enum field { F_TITLE, F_DATE, F_BYLINE, F_URL, F_SOURCE, F_LANG };

struct meta_case {
    const char *name;
    const char *html;
    const char *url; /* ctx->url, or NULL */
    enum field field;
    const char *want; /* NULL: the field must be absent */
};

static const struct meta_case meta_cases[] = {
    /* Titles */
    {"og:title wins over <title>",
     PAGE("<title>Page title here for the story | Site</title>"
          "<meta property=\"og:title\" content=\"Harbour wind farm approved\">",
          BODY),
     NULL, F_TITLE, "Harbour wind farm approved"},
    {"JSON-LD headline wins over og:title",
     PAGE("<title>Page title | Site</title><meta property=\"og:title\" content=\"OG title\">"
          "<script type=\"application/ld+json\">{\"@context\":\"https://schema.org\","
          "\"@type\":\"NewsArticle\",\"headline\":\"Headline from JSON-LD\"}</script>",
          BODY),
     NULL, F_TITLE, "Headline from JSON-LD"},
    {"twitter:title when nothing better",
     PAGE("<title>Page</title><meta name=\"twitter:title\" content=\"Twitter card title\">", BODY),
     NULL, F_TITLE, "Twitter card title"},
    {"<title> without the site after a bar",
     PAGE("<title>Harbour wind farm approved after inquiry | Daily Example</title>", BODY), NULL,
     F_TITLE, "Harbour wind farm approved after inquiry"},
    {"<title> without the site after a hyphen",
     PAGE("<title>Harbour wind farm approved after inquiry - Daily Example</title>", BODY), NULL,
     F_TITLE, "Harbour wind farm approved after inquiry"},
    {"<title> without the site after an em dash",
     PAGE("<title>Harbour wind farm approved after inquiry \xE2\x80\x94 Daily Example</title>",
          BODY),
     NULL, F_TITLE, "Harbour wind farm approved after inquiry"},
    {"<title> with the site first",
     PAGE("<title>Daily Example: Harbour wind farm approved after inquiry</title>", BODY), NULL,
     F_TITLE, "Harbour wind farm approved after inquiry"},
    {"a short <title> gives way to the only h1",
     PAGE("<title>Home</title>", "<h1>Harbour wind farm approved after a long inquiry</h1>" BODY),
     NULL, F_TITLE, "Harbour wind farm approved after a long inquiry"},
    {"a title of few words is kept whole", PAGE("<title>Wind farm | Example</title>", BODY), NULL,
     F_TITLE, "Wind farm | Example"},
    {"entities escaped twice in a meta title",
     PAGE("<meta property=\"og:title\" content=\"Fish &amp;amp; chips &amp;#8212; again\">", BODY),
     NULL, F_TITLE, "Fish & chips \xE2\x80\x94 again"},
    /* Dates, one per source */
    {"JSON-LD datePublished",
     PAGE("<meta property=\"article:published_time\" content=\"2001-01-01T00:00:00Z\">"
          "<script type=\"application/ld+json\">{\"@context\":\"http://schema.org\","
          "\"@type\":\"NewsArticle\",\"headline\":\"H\",\"datePublished\":\"2017-01-14T09:30:00Z\"}"
          "</script>",
          BODY),
     NULL, F_DATE, "2017-01-14T09:30:00Z"},
    {"JSON-LD in a @graph",
     PAGE("<script type=\"application/ld+json\">{\"@context\":\"https://schema.org\",\"@graph\":"
          "[{\"@type\":\"WebPage\",\"datePublished\":\"1999-01-01\"},{\"@type\":\"Article\","
          "\"datePublished\":\"2018-03-02\"}]}</script>",
          BODY),
     NULL, F_DATE, "2018-03-02"},
    {"JSON-LD that does not parse is scanned",
     PAGE("<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\", \"datePublished\": "
          "\"2016-05-04\", broken</script>",
          BODY),
     NULL, F_DATE, "2016-05-04"},
    {"article:published_time",
     PAGE("<meta property=\"article:published_time\" content=\"2015-07-24T05:36:09+01:00\">", BODY),
     NULL, F_DATE, "2015-07-24T05:36:09+01:00"},
    {"parsely-pub-date",
     PAGE("<meta name=\"parsely-pub-date\" content=\"2024-04-20T04:20:00.000Z\">", BODY), NULL,
     F_DATE, "2024-04-20T04:20:00.000Z"},
    {"<time datetime>",
     PAGE("",
          "<article><time datetime=\"2019-10-18T17:23:34Z\">18 October</time>" BODY "</article>"),
     NULL, F_DATE, "2019-10-18T17:23:34Z"},
    {"meta name=date", PAGE("<meta name=\"date\" content=\"2014-09-02\">", BODY), NULL, F_DATE,
     "2014-09-02"},
    {"meta pubdate", PAGE("<meta name=\"pubdate\" content=\"20140902\">", BODY), NULL, F_DATE,
     "20140902"},
    {"DC.date.issued", PAGE("<meta name=\"DC.date.issued\" content=\"1921-03-05\">", BODY), NULL,
     F_DATE, "1921-03-05"},
    {"sailthru.date",
     PAGE("<meta name=\"sailthru.date\" content=\"Tue, 18 Feb 2025 10:30:00 GMT\">", BODY), NULL,
     F_DATE, "Tue, 18 Feb 2025 10:30:00 GMT"},
    {"date in the address", PAGE("", BODY), "https://news.example.com/2017/01/14/harbour.html",
     F_DATE, "2017-01-14"},
    {"date in the canonical address",
     PAGE("<link rel=\"canonical\" href=\"https://example.com/world/2016-12-22/story\">", BODY),
     NULL, F_DATE, "2016-12-22"},
    {"no date", PAGE("", BODY), "https://example.com/story", F_DATE, NULL},
    /* Bylines */
    {"meta author", PAGE("<meta name=\"author\" content=\"Jane Doe\">", BODY), NULL, F_BYLINE,
     "Jane Doe"},
    {"JSON-LD authors",
     PAGE("<script type=\"application/ld+json\">{\"@context\":\"https://schema.org\","
          "\"@type\":\"NewsArticle\",\"author\":[{\"@type\":\"Person\",\"name\":\"Stella Kim\"},"
          "{\"@type\":\"Person\",\"name\":\" Jennifer Jett \"}]}</script>",
          BODY),
     NULL, F_BYLINE, "Stella Kim, Jennifer Jett"},
    {"rel=author",
     PAGE("", "<article><a rel=\"author\" href=\"/jane\">Jane Doe</a>" BODY "</article>"), NULL,
     F_BYLINE, "Jane Doe"},
    {"class byline",
     PAGE("", "<article><div class=\"byline\">By  Jane Doe</div>" BODY "</article>"), NULL,
     F_BYLINE, "By Jane Doe"},
    /* Addresses */
    {"canonical link",
     PAGE("<link rel=\"canonical\" href=\"https://example.com/story\">"
          "<meta property=\"og:url\" content=\"https://example.com/og\">",
          BODY),
     "https://example.com/story?utm=x", F_URL, "https://example.com/story"},
    {"og:url", PAGE("<meta property=\"og:url\" content=\"https://example.com/og\">", BODY), NULL,
     F_URL, "https://example.com/og"},
    {"relative canonical resolved", PAGE("<link rel=\"canonical\" href=\"/news/story\">", BODY),
     "https://example.com/a/b?x=1", F_URL, "https://example.com/news/story"},
    {"address from the context", PAGE("", BODY), "https://example.com/fetched", F_URL,
     "https://example.com/fetched"},
    {"no address", PAGE("", BODY), NULL, F_URL, NULL},
    /* Site names and languages */
    {"og:site_name", PAGE("<meta property=\"og:site_name\" content=\"Daily Example\">", BODY), NULL,
     F_SOURCE, "Daily Example"},
    {"JSON-LD publisher",
     PAGE("<meta property=\"og:site_name\" content=\"Example Inc\">"
          "<script type=\"application/ld+json\">[{\"@context\":\"https://schema.org/\","
          "\"@type\":\"BreadcrumbList\"},{\"@context\":\"https://schema.org/\",\"@type\":"
          "\"NewsArticle\",\"publisher\":{\"@type\":\"Organization\",\"name\":\"Example\"}}]"
          "</script>",
          BODY),
     NULL, F_SOURCE, "Example"},
    {"html lang", "<html lang=\"fr-CA\"><head><title>t</title></head><body>" BODY "</body></html>",
     NULL, F_LANG, "fr-CA"},
    {"no lang", PAGE("", BODY), NULL, F_LANG, NULL},
};

static const char *field_of(const struct article *a, enum field f)
{
    switch (f) {
    case F_TITLE:
        return a->title;
    case F_DATE:
        return a->date;
    case F_BYLINE:
        return a->byline;
    case F_URL:
        return a->url;
    case F_SOURCE:
        return a->source;
    case F_LANG:
        return a->lang;
    }
    return NULL;
}

/* Checks one metadata case. */
static void check_meta_case(const struct meta_case *c)
{
    struct html_context ctx = {.url = c->url, .charset = NULL};
    struct article a = {0};
    struct news_error err = {{0}};
    enum news_status st = html_extract(c->html, strlen(c->html), &ctx, &a, &err);
    CHECK_INT(st, NEWS_OK);
    const char *got = field_of(&a, c->field);
    CHECK_STR(got, c->want);
    if (!got != !c->want || (got && strcmp(got, c->want) != 0))
        fprintf(stderr, "  case: %s\n", c->name);
    article_clear(&a);
}

struct charset_case {
    const char *name;
    const char *html;
    size_t len; /* 0: strlen */
    const char *charset;
    const char *want; /* in the text */
};

#define LATIN_BODY(word)                                                                           \
    "<article><p>" word " The harbour authority approved the new wind farm on Tuesday, after "     \
    "three years of hearings, two public inquiries and a long dispute.</p>" PARA2 PARA3            \
    "</article>"

static const struct charset_case charset_cases[] = {
    {"UTF-8 byte order mark", "\xEF\xBB\xBF<html><body>" LATIN_BODY("Caf\xC3\xA9") "</body></html>",
     0, NULL, "Caf\xC3\xA9 The harbour"},
    {"meta charset=iso-8859-1 read as windows-1252",
     "<html><head><meta charset=\"iso-8859-1\"></head><body>" LATIN_BODY(
         "\x93Quoted\x94 caf\xE9") "</body></html>",
     0, NULL, "\xE2\x80\x9CQuoted\xE2\x80\x9D caf\xC3\xA9 The harbour"},
    {"http-equiv content-type windows-1252",
     "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1252\">"
     "</head><body>" LATIN_BODY("\x80 5") "</body></html>",
     0, NULL, "\xE2\x82\xAC 5 The harbour"},
    {"ctx->charset iso-8859-1", "<html><body>" LATIN_BODY("Z\xFCrich") "</body></html>", 0,
     "ISO-8859-1", "Z\xC3\xBCrich The harbour"},
    {"ctx->charset windows-1251 (through libxml2)",
     "<html><body>" LATIN_BODY("\xCF\xF0\xE8\xE2\xE5\xF2") "</body></html>", 0, "windows-1251",
     "\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82 The harbour"},
    {"ctx->charset beats <meta>",
     "<html><head><meta charset=\"utf-8\"></head><body>" LATIN_BODY("Caf\xE9") "</body></html>", 0,
     "latin1", "Caf\xC3\xA9 The harbour"},
    {"no declaration, invalid UTF-8",
     "<html><body>" LATIN_BODY("na\xEFve caf\xE9") "</body></html>", 0, NULL,
     "na\xC3\xAFve caf\xC3\xA9 The harbour"},
    {"labelled UTF-8, a stray byte",
     "<html><head><meta charset=\"utf-8\"></head><body>" LATIN_BODY(
         "\xE2\x80\x9Cok\xE2\x80\x9D and \xE9") "</body></html>",
     0, NULL, "\xE2\x80\x9Cok\xE2\x80\x9D and \xC3\xA9 The harbour"},
    {"labelled gb2312 but valid UTF-8",
     "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\">"
     "</head><body>" LATIN_BODY("\xE4\xB8\xAD\xE6\x96\x87") "</body></html>",
     0, NULL, "\xE4\xB8\xAD\xE6\x96\x87 The harbour"},
    {"UTF-16LE byte order mark", "\xFF\xFE<\0p\0>\0A\0B\0<\0/\0p\0>\0", 20, NULL, "AB"},
    {"NUL bytes", "<html><body>" LATIN_BODY("nul\0byte") "</body></html>",
     sizeof("<html><body>" LATIN_BODY("nul\0byte") "</body></html>") - 1, NULL, "nul byte"},
};

/* Checks one character-set case. */
static void check_charset_case(const struct charset_case *c)
{
    struct html_context ctx = {.url = NULL, .charset = c->charset};
    struct article a = {0};
    struct news_error err = {{0}};
    size_t len = c->len ? c->len : strlen(c->html);
    enum news_status st = html_extract(c->html, len, &ctx, &a, &err);
    CHECK_INT(st, NEWS_OK);
    CHECK(a.text && utf8_is_valid(a.text, strlen(a.text)));
    CHECK(a.text && strstr(a.text, c->want));
    if (!a.text || !strstr(a.text, c->want))
        fprintf(stderr, "  case: %s: want %s\n  text: %s\n", c->name, c->want,
                a.text ? a.text : "(null)");
    article_clear(&a);
}

/* Pages without an article: the error, and *out left zeroed. */
static void check_no_text(void)
{
    static const char *const pages[] = {
        "",
        "   \n\t ",
        "<html><head><title>Only a title</title></head><body></body></html>",
        "<html><body><script>document.write('x')</script><style>p{}</style></body></html>",
        "<html><body><div><div></div><br><hr></div></body></html>",
        "\xEF\xBB\xBF",
    };
    for (size_t i = 0; i < sizeof pages / sizeof *pages; i++) {
        struct article a = {0};
        struct news_error err = {{0}};
        CHECK_INT(html_extract(pages[i], strlen(pages[i]), NULL, &a, &err), NEWS_ERR_FORMAT);
        CHECK(strstr(err.msg, "no article text") != NULL);
        CHECK(a.title == NULL && a.text == NULL && a.url == NULL && a.date == NULL);
        article_clear(&a);
    }
}

/* Seconds since an arbitrary start. */
static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Builds n copies of open, then text, then n copies of close. Malloc'd. */
static char *nested(size_t n, const char *open, const char *text, const char *close, size_t *len)
{
    size_t lo = strlen(open), lt = strlen(text), lc = strlen(close);
    char *s = malloc(n * (lo + lc) + lt + 1);
    size_t o = 0;
    for (size_t i = 0; i < n; i++, o += lo)
        memcpy(s + o, open, lo);
    memcpy(s + o, text, lt);
    o += lt;
    for (size_t i = 0; i < n; i++, o += lc)
        memcpy(s + o, close, lc);
    s[o] = '\0';
    *len = o;
    return s;
}

/* Deep nesting: no crash, no stack exhaustion, and time that grows about linearly. */
static void check_deep_nesting(void)
{
    double t[2];
    size_t sizes[2] = {10000, 100000};
    for (size_t k = 0; k < 2; k++) {
        size_t len;
        char *html = nested(sizes[k], "<div>", BODY, "</div>", &len);
        struct article a = {0};
        struct news_error err = {{0}};
        double start = now_seconds();
        enum news_status st = html_extract(html, len, NULL, &a, &err);
        t[k] = now_seconds() - start;
        CHECK_INT(st, NEWS_OK);
        CHECK(a.text && strstr(a.text, "Fishermen, who had argued"));
        article_clear(&a);

        size_t frag_len;
        char *frag = html_fragment_text(html, len, &frag_len);
        CHECK(strstr(frag, "The harbour authority") != NULL);
        free(frag);
        free(html);
    }
    /* Ten times the input may take ten times as long, not a hundred (slack for noise). */
    CHECK(t[1] < 30 * t[0] + 1.0);
    if (getenv("TEST_HTML_VERBOSE") || !(t[1] < 30 * t[0] + 1.0))
        fprintf(stderr, "  deep nesting: %.3fs then %.3fs\n", t[0], t[1]);

    /* Unclosed inline elements and tables nest too. */
    size_t len;
    char *html = nested(50000, "<b><table><tr><td>", "x", "", &len);
    struct article a = {0};
    struct news_error err = {{0}};
    enum news_status st = html_extract(html, len, NULL, &a, &err);
    CHECK(st == NEWS_OK || st == NEWS_ERR_FORMAT);
    article_clear(&a);
    free(html);
}

struct fragment_case {
    const char *html, *want;
};

static const struct fragment_case fragments[] = {
    {"<p>One &amp; two</p><p>Three<br>four</p><script>bad()</script><style>p{}</style>",
     "One & two\n\nThree\nfour"},
    {"Plain text, no markup.", "Plain text, no markup."},
    {"First<br><br>Second<br/><br/>Third", "First\n\nSecond\n\nThird"},
    {"<ul><li>a</li><li>b</li></ul><h2>Head</h2>tail", "a\n\nb\n\nHead\n\ntail"},
    {"  spaced \n\t out  ", "spaced out"},
    {"", ""},
    {"<div><!-- comment --></div>", ""},
    {"caf\xE9", "caf\xC3\xA9"},
    {"&#147;Quoted&#148; &#150; don&#146;t\xC2\x85 &#129;",
     "\xE2\x80\x9CQuoted\xE2\x80\x9D \xE2\x80\x93 don\xE2\x80\x99t\xE2\x80\xA6"},
    {"<p>\xE4\xB8\xAD&#x6587;&#0;</p>", "\xE4\xB8\xAD\xE6\x96\x87"},
};

static void check_fragments(void)
{
    for (size_t i = 0; i < sizeof fragments / sizeof *fragments; i++) {
        size_t len = 99;
        char *text = html_fragment_text(fragments[i].html, strlen(fragments[i].html), &len);
        CHECK_STR(text, fragments[i].want);
        CHECK_INT(len, strlen(text));
        CHECK(utf8_is_valid(text, len));
        free(text);
    }
}

/* A local file named by an external entity or DTD must not reach the text: the HTML parser
 * reads no DTD and no entity but HTML's own. */
static void check_external_entity(void)
{
    static const char marker[] = "XXE-MARKER-7f3a";
    const char *dir = getenv("TMPDIR");
    char secret[512], page[2048];
    snprintf(secret, sizeof secret, "%s/news-html-secret-%ld", dir && dir[0] ? dir : "/tmp",
             (long)getpid());
    FILE *f = fopen(secret, "w");
    CHECK(f != NULL);
    if (!f) return;
    fputs(marker, f);
    fclose(f);
    snprintf(page, sizeof page,
             "<!DOCTYPE html SYSTEM \"file://%s\" [<!ENTITY x SYSTEM \"file://%s\">]>\n"
             "<html><head><title>Leak</title></head><body><article><h1>Leak &x; here</h1>"
             "<p>The council met on Tuesday before &x; after the vote, and agreed to review "
             "the harbour works that residents had complained about for two years.</p>"
             "</article></body></html>",
             secret, secret);
    struct article a = {0};
    struct news_error err = {{0}};
    CHECK_INT(html_extract(page, strlen(page), NULL, &a, &err), NEWS_OK);
    CHECK(a.text && strstr(a.text, "council") && !strstr(a.text, marker));
    CHECK(!a.title || !strstr(a.title, marker));
    article_clear(&a);
    size_t len;
    char *text = html_fragment_text(page, strlen(page), &len);
    CHECK(strstr(text, "council") && !strstr(text, marker));
    free(text);
    remove(secret);
}

int main(void)
{
    for (size_t i = 0; i < sizeof text_cases / sizeof *text_cases; i++)
        check_text_case(&text_cases[i]);
    for (size_t i = 0; i < sizeof meta_cases / sizeof *meta_cases; i++)
        check_meta_case(&meta_cases[i]);
    for (size_t i = 0; i < sizeof charset_cases / sizeof *charset_cases; i++)
        check_charset_case(&charset_cases[i]);
    check_no_text();
    check_deep_nesting();
    check_fragments();
    check_external_entity();
    return check_report("test_html");
}
