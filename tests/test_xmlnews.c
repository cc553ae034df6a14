/* test_xmlnews.c: feeds (RSS 2.0, RSS 1.0, Atom), NewsML-G2, NITF and the safety of the
 * XML reader (external entities, entity bombs, deep nesting, malformed and non-UTF-8
 * input). Text that goes through the HTML converter is checked for its words only. */
#define _POSIX_C_SOURCE 200809L
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libxml/parser.h>

#include "check.h"
#include "error.h"
#include "xmlnews.h"

#define MAX_GOT 16

/* What a parser handed to the sink. */
struct got {
    struct article a[MAX_GOT];
    size_t record[MAX_GOT];
    bool raw_ok[MAX_GOT];
    size_t count;
    size_t rejects;
    size_t reject_record[MAX_GOT];
    char reject_msg[MAX_GOT][256];
    size_t stop_after; /* emit returns false after this many articles; 0 = never */
};

/* Takes the article's strings, as a sink may. */
static bool on_emit(void *ctx, struct reader_record *rec)
{
    struct got *g = ctx;
    if (g->count < MAX_GOT) {
        g->a[g->count] = rec->article;
        memset(&rec->article, 0, sizeof rec->article);
        g->record[g->count] = rec->record;
        g->raw_ok[g->count] = rec->raw && rec->raw_len > 0 && rec->raw[0] == '<';
    }
    g->count++;
    return !(g->stop_after && g->count >= g->stop_after);
}

static void on_reject(void *ctx, size_t record, uint64_t offset, const char *message)
{
    struct got *g = ctx;
    (void)offset;
    if (g->rejects < MAX_GOT) {
        g->reject_record[g->rejects] = record;
        snprintf(g->reject_msg[g->rejects], sizeof g->reject_msg[0], "%s", message);
    }
    g->rejects++;
}

static void got_free(struct got *g)
{
    for (size_t i = 0; i < MAX_GOT; i++)
        article_clear(&g->a[i]);
    memset(g, 0, sizeof *g);
}

static enum news_status feed(const char *xml, struct got *g, struct news_error *err)
{
    struct reader_sink sink = {on_emit, on_reject, g};
    return xmlnews_parse_feed(xml, strlen(xml), &sink, err);
}

static enum news_status newsml(const char *xml, struct got *g, struct news_error *err)
{
    struct reader_sink sink = {on_emit, on_reject, g};
    return xmlnews_parse_newsml(xml, strlen(xml), &sink, err);
}

/* True if s is non-NULL and contains word. */
static bool has(const char *s, const char *word)
{
    return s && strstr(s, word) != NULL;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void test_sniff(void)
{
    static const struct {
        const char *data;
        enum xmlnews_kind want;
    } cases[] = {
        {"<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel/></rss>", XMLNEWS_FEED},
        {"\n  <?xml version=\"1.0\"?><rss>", XMLNEWS_FEED},
        {"\xEF\xBB\xBF<rss>", XMLNEWS_FEED},
        {"<!-- c --><!DOCTYPE rss [<!ENTITY a \">\">]><rss>", XMLNEWS_FEED},
        {"<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" "
         "xmlns=\"http://purl.org/rss/1.0/\">",
         XMLNEWS_FEED},
        {"<feed xmlns=\"http://www.w3.org/2005/Atom\">", XMLNEWS_FEED},
        {"<a:feed xmlns:a='http://www.w3.org/2005/Atom'>", XMLNEWS_FEED},
        {"<feed>", XMLNEWS_NONE},
        {"<newsItem xmlns=\"http://iptc.org/std/nar/2006-10-01/\" guid=\"x\">", XMLNEWS_NEWSML},
        {"<newsMessage xmlns=\"http://iptc.org/std/nar/2006-10-01/\">", XMLNEWS_NEWSML},
        {"<packageItem xmlns=\"http://iptc.org/std/nar/2006-10-01/\">", XMLNEWS_NEWSML},
        {"<conceptItem xmlns=\"http://iptc.org/std/nar/2006-10-01/\">", XMLNEWS_NEWSML},
        {"<nitf><head>", XMLNEWS_NEWSML},
        {"<nitf xmlns=\"http://iptc.org/std/NITF/2006-10-18/\">", XMLNEWS_NEWSML},
        {"<contentSet><inlineXML>", XMLNEWS_NEWSML},
        {"<html><body>", XMLNEWS_NONE},
        {"<catalog xmlns=\"urn:oasis:names:tc:entity:xmlns:xml:catalog\">", XMLNEWS_NONE},
        {"{\"title\": \"x\"}", XMLNEWS_NONE},
        {"plain text", XMLNEWS_NONE},
        {"", XMLNEWS_NONE},
        {"<", XMLNEWS_NONE},
        {"<?xml", XMLNEWS_NONE},
        {"<!--", XMLNEWS_NONE},
        {"<!DOCTYPE x [", XMLNEWS_NONE},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        CHECK_INT(xmlnews_sniff(cases[i].data, strlen(cases[i].data)), cases[i].want);
    /* UTF-16 with a byte order mark. */
    const char utf16le[] = "\xFF\xFE<\0r\0s\0s\0>\0";
    CHECK_INT(xmlnews_sniff(utf16le, sizeof utf16le - 1), XMLNEWS_FEED);
    /* Truncated inside the root's attributes: the namespace seen so far still counts. */
    const char *cut = "<newsItem xmlns=\"http://iptc.org/std/nar/2006-10-01/\" guid=\"abc";
    CHECK_INT(xmlnews_sniff(cut, strlen(cut)), XMLNEWS_NEWSML);
}

static void test_rss2(void)
{
    const char *xml =
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
        "<rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"\n"
        "     xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
        "<channel>\n"
        "  <title>The  Daily\n Wire</title><link>http://example.com/</link>\n"
        "  <language>en-gb</language>\n"
        "  <item>\n"
        "    <title>Harbour wind farm approved</title>\n"
        "    <link>http://example.com/wind</link>\n"
        "    <description>Short teaser</description>\n"
        "    <content:encoded><![CDATA[<p>The council approved the <b>harbour</b> wind "
        "farm.</p><p>Work starts in May.</p>]]></content:encoded>\n"
        "    <dc:creator>Ann Smith</dc:creator>\n"
        "    <pubDate>Tue, 03 Jun 2008 09:39:21 GMT</pubDate>\n"
        "    <guid isPermaLink=\"false\">wind-42</guid>\n"
        "  </item>\n"
        "  <item>\n"
        "    <title>Grain corridor &amp; ports</title>\n"
        "    <description>&lt;p&gt;Ships leave &amp;amp; arrive.&lt;/p&gt;</description>\n"
        "    <author>desk@example.com (Bob Jones)</author>\n"
        "    <guid>http://example.com/grain</guid>\n"
        "  </item>\n"
        "  <item><category>empty</category></item>\n"
        "  <item><description>No title, but text.</description></item>\n"
        "</channel></rss>\n";
    struct got g = {0};
    struct news_error err = {{0}};
    CHECK_INT(feed(xml, &g, &err), NEWS_OK);
    CHECK_INT(g.count, 3);
    CHECK_STR(g.a[0].title, "Harbour wind farm approved");
    CHECK_STR(g.a[0].url, "http://example.com/wind");
    CHECK_STR(g.a[0].date, "Tue, 03 Jun 2008 09:39:21 GMT");
    CHECK_STR(g.a[0].byline, "Ann Smith");
    CHECK_STR(g.a[0].source_id, "wind-42");
    CHECK_STR(g.a[0].source, "The Daily Wire");
    CHECK_STR(g.a[0].lang, "en-gb");
    CHECK(has(g.a[0].text, "wind farm"));
    CHECK(has(g.a[0].text, "Work starts in May."));
    CHECK(!has(g.a[0].text, "teaser")); /* content:encoded wins over description */
    CHECK(!has(g.a[0].text, "<p>"));
    CHECK_INT(g.record[0], 1);
    CHECK(g.raw_ok[0]);
    CHECK_STR(g.a[1].title, "Grain corridor & ports");
    CHECK_STR(g.a[1].url, "http://example.com/grain"); /* a permalink guid */
    CHECK_STR(g.a[1].byline, "desk@example.com (Bob Jones)");
    CHECK(has(g.a[1].text, "Ships leave & arrive."));
    CHECK(!has(g.a[1].text, "<p>"));
    CHECK(g.a[1].date == NULL);
    CHECK_INT(g.record[1], 2);
    CHECK(g.a[2].title == NULL);
    CHECK(has(g.a[2].text, "No title, but text."));
    CHECK_INT(g.record[2], 4);
    CHECK_INT(g.rejects, 1);
    CHECK_INT(g.reject_record[0], 3);
    CHECK(has(g.reject_msg[0], "neither a title nor any text"));
    got_free(&g);
}

static void test_rss2_loose_namespaces(void)
{
    /* Namespace names without their trailing slash, and a prefix never declared. */
    const char *xml = "<rss><channel><title>T</title>"
                      "<item xmlns:dc=\"http://purl.org/dc/elements/1.1\">"
                      "<title>A</title><dc:creator>One</dc:creator><dc:creator>Two</dc:creator>"
                      "<dc:date>2020-01-02</dc:date><dc:language>fr</dc:language>"
                      "<content:encoded>&lt;p&gt;Body here&lt;/p&gt;</content:encoded>"
                      "</item></channel></rss>";
    struct got g = {0};
    struct news_error err = {{0}};
    CHECK_INT(feed(xml, &g, &err), NEWS_OK);
    CHECK_INT(g.count, 1);
    CHECK_STR(g.a[0].byline, "One, Two");
    CHECK_STR(g.a[0].date, "2020-01-02");
    CHECK_STR(g.a[0].lang, "fr");
    CHECK(has(g.a[0].text, "Body here"));
    got_free(&g);
}

static void test_rss1(void)
{
    const char *xml =
        "<?xml version=\"1.0\"?>\n"
        "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"\n"
        "  xmlns=\"http://purl.org/rss/1.0/\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
        "<channel rdf:about=\"http://example.org/\"><title>Science Weekly</title>\n"
        "  <dc:language>en</dc:language>\n"
        "  <items><rdf:Seq><rdf:li rdf:resource=\"http://example.org/1\"/></rdf:Seq></items>\n"
        "</channel>\n"
        "<item rdf:about=\"http://example.org/1\">\n"
        "  <title>Food for fungi</title>\n"
        "  <description>Roots feed the soil.</description>\n"
        "  <dc:creator>Hines, P. J.</dc:creator>\n"
        "  <dc:date>2017-06-15T10:29:47-07:00</dc:date>\n"
        "</item>\n"
        "<item rdf:about=\"http://example.org/2\"><title>Second</title></item>\n"
        "</rdf:RDF>\n";
    struct got g = {0};
    struct news_error err = {{0}};
    CHECK_INT(xmlnews_sniff(xml, strlen(xml)), XMLNEWS_FEED);
    CHECK_INT(feed(xml, &g, &err), NEWS_OK);
    CHECK_INT(g.count, 2);
    CHECK_STR(g.a[0].title, "Food for fungi");
    CHECK_STR(g.a[0].source_id, "http://example.org/1");
    CHECK_STR(g.a[0].url, "http://example.org/1");
    CHECK_STR(g.a[0].byline, "Hines, P. J.");
    CHECK_STR(g.a[0].date, "2017-06-15T10:29:47-07:00");
    CHECK_STR(g.a[0].source, "Science Weekly");
    CHECK_STR(g.a[0].lang, "en");
    CHECK(has(g.a[0].text, "Roots feed the soil."));
    CHECK_STR(g.a[1].title, "Second");
    CHECK(g.a[1].text == NULL);
    CHECK_INT(g.record[1], 2);
    got_free(&g);
}

static void test_atom(void)
{
    const char *xml =
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"de\"\n"
        "      xmlns:xhtml=\"http://www.w3.org/1999/xhtml\"\n"
        "      xml:base=\"http://blog.example.net/\">\n"
        "  <title type=\"html\">Avian&amp;#8217;s &lt;b&gt;Blog&lt;/b&gt;</title>\n"
        "  <author><name>Feed Owner</name></author>\n"
        "  <entry>\n"
        "    <title>HTML entry</title>\n"
        "    <link rel=\"self\" href=\"http://blog.example.net/self/1\"/>\n"
        "    <link rel=\"alternate\" type=\"text/html\" href=\"posts/1.html\"/>\n"
        "    <id>tag:example.net,2024:1</id>\n"
        "    <updated>2024-02-02T00:00:00Z</updated>\n"
        "    <published>2024-02-01T12:00:00Z</published>\n"
        "    <author><name>Kim Lee</name></author><author><name>Max Roe</name></author>\n"
        "    <summary>Not this</summary>\n"
        "    <content type=\"html\">&lt;p&gt;Escaped &lt;em&gt;HTML&lt;/em&gt; body.&lt;/p&gt;"
        "</content>\n"
        "  </entry>\n"
        "  <entry xml:lang=\"en-US\">\n"
        "    <title type=\"xhtml\"><div xmlns=\"http://www.w3.org/1999/xhtml\">XHTML "
        "<b>entry</b></div></title>\n"
        "    <link href=\"http://elsewhere.example.com/2\"/>\n"
        "    <id>urn:2</id><updated>2024-03-01T00:00:00Z</updated>\n"
        "    <content type=\"xhtml\"><xhtml:div><xhtml:p>First paragraph.</xhtml:p>"
        "<xhtml:p>Second &amp; last.</xhtml:p></xhtml:div></content>\n"
        "  </entry>\n"
        "  <entry>\n"
        "    <title>Text entry</title><id>urn:3</id>\n"
        "    <content type=\"text\">Line one\n   continues here\n\n\n  Second para  </content>\n"
        "  </entry>\n"
        "  <entry>\n"
        "    <title>Summary only</title><id>urn:4</id>\n"
        "    <content src=\"http://example.net/video.mp4\" type=\"video/mp4\"/>\n"
        "    <summary type=\"html\">&lt;p&gt;The summary.&lt;/p&gt;</summary>\n"
        "  </entry>\n"
        "  <entry><id>urn:5</id></entry>\n"
        "</feed>\n";
    struct got g = {0};
    struct news_error err = {{0}};
    CHECK_INT(feed(xml, &g, &err), NEWS_OK);
    CHECK_INT(g.count, 4);
    CHECK_STR(g.a[0].title, "HTML entry");
    CHECK_STR(g.a[0].url, "http://blog.example.net/posts/1.html");
    CHECK_STR(g.a[0].source_id, "tag:example.net,2024:1");
    CHECK_STR(g.a[0].date, "2024-02-01T12:00:00Z");
    CHECK_STR(g.a[0].byline, "Kim Lee, Max Roe");
    CHECK_STR(g.a[0].lang, "de");
    CHECK(has(g.a[0].source, "Blog"));
    CHECK(!has(g.a[0].source, "<b>"));
    CHECK(has(g.a[0].text, "Escaped HTML body."));
    CHECK(!has(g.a[0].text, "Not this"));
    CHECK(has(g.a[1].title, "XHTML"));
    CHECK(has(g.a[1].title, "entry"));
    CHECK_STR(g.a[1].url, "http://elsewhere.example.com/2");
    CHECK_STR(g.a[1].date, "2024-03-01T00:00:00Z");
    CHECK_STR(g.a[1].lang, "en-US");
    CHECK_STR(g.a[1].byline, "Feed Owner"); /* inherited from the feed */
    CHECK(has(g.a[1].text, "First paragraph."));
    CHECK(has(g.a[1].text, "Second & last."));
    CHECK(!has(g.a[1].text, "xhtml:"));
    CHECK_STR(g.a[2].text, "Line one\ncontinues here\n\nSecond para");
    CHECK(g.a[2].url == NULL);
    CHECK(has(g.a[3].text, "The summary."));
    CHECK_INT(g.record[3], 4);
    CHECK_INT(g.rejects, 1);
    CHECK_INT(g.reject_record[0], 5);
    got_free(&g);
}

static const char *const g2_text_item =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<newsItem xmlns=\"http://iptc.org/std/nar/2006-10-01/\"\n"
    "    guid=\"urn:newsml:example.com:20240101:FED\" version=\"1\" xml:lang=\"en-US\">\n"
    "  <rightsInfo><copyrightHolder><name>Acme News</name></copyrightHolder></rightsInfo>\n"
    "  <itemMeta><itemClass qcode=\"ninat:text\"/>\n"
    "    <versionCreated>2024-01-02T10:00:00Z</versionCreated></itemMeta>\n"
    "  <contentMeta>\n"
    "    <contentCreated>2024-01-01T09:00:00Z</contentCreated>\n"
    "    <creator><name>Meredith Jameson</name></creator>\n"
    "    <headline> Fed to halt QE </headline>\n"
    "    <dateline>NEW YORK, Jan 1</dateline>\n"
    "  </contentMeta>\n"
    "  <contentSet><inlineXML contenttype=\"application/nitf+xml\">\n"
    "    <nitf xmlns=\"http://iptc.org/std/NITF/2006-10-18/\"><body>\n"
    "      <body.head><hedline><hl1>NITF headline</hl1></hedline>\n"
    "        <byline>By Meredith Jameson, <byttl>Staff Reporter</byttl></byline></body.head>\n"
    "      <body.content>\n"
    "        <p>The Fed said it would\n            halt <em>quantitative</em> easing.</p>\n"
    "        <media media-type=\"image\"><media-reference source=\"x.jpg\"/>"
    "<media-caption>A caption.</media-caption></media>\n"
    "        <p>Markets rose.</p>\n"
    "      </body.content></body></nitf>\n"
    "  </inlineXML></contentSet>\n"
    "</newsItem>\n";

static void test_newsml_nitf(void)
{
    struct got g = {0};
    struct news_error err = {{0}};
    CHECK_INT(xmlnews_sniff(g2_text_item, strlen(g2_text_item)), XMLNEWS_NEWSML);
    CHECK_INT(newsml(g2_text_item, &g, &err), NEWS_OK);
    CHECK_INT(g.count, 1);
    CHECK_STR(g.a[0].title, "Fed to halt QE");
    CHECK_STR(g.a[0].date, "2024-01-01T09:00:00Z");
    CHECK_STR(g.a[0].byline, "By Meredith Jameson, Staff Reporter");
    CHECK_STR(g.a[0].source_id, "urn:newsml:example.com:20240101:FED");
    CHECK_STR(g.a[0].lang, "en-US");
    CHECK_STR(g.a[0].source, "Acme News");
    CHECK_STR(g.a[0].meta, "{\"dateline\":\"NEW YORK, Jan 1\"}");
    CHECK_STR(g.a[0].text, "NEW YORK, Jan 1\n\nThe Fed said it would halt quantitative easing."
                           "\n\nA caption.\n\nMarkets rose.");
    CHECK(g.raw_ok[0]);
    CHECK_INT(g.rejects, 0);
    got_free(&g);
}

static void test_newsml_xhtml_and_data(void)
{
    const char *xhtml =
        "<newsItem xmlns=\"http://iptc.org/std/nar/2006-10-01/\" guid=\"g-x\">\n"
        "  <itemMeta><itemClass qcode=\"ninat:text\"/><title>Item title</title></itemMeta>\n"
        "  <contentSet><inlineXML contenttype=\"application/xhtml+xml\">\n"
        "    <html xmlns=\"http://www.w3.org/1999/xhtml\"><head><title>T</title></head>\n"
        "    <body><h1>Budget passes</h1><p>The vote was close.</p></body></html>\n"
        "  </inlineXML></contentSet></newsItem>";
    struct got g = {0};
    struct news_error err = {{0}};
    CHECK_INT(newsml(xhtml, &g, &err), NEWS_OK);
    CHECK_INT(g.count, 1);
    CHECK_STR(g.a[0].title, "Item title");
    CHECK(has(g.a[0].text, "Budget passes"));
    CHECK(has(g.a[0].text, "The vote was close."));
    CHECK(!has(g.a[0].text, "<p>"));
    got_free(&g);

    const char *data = "<newsItem xmlns=\"http://iptc.org/std/nar/2006-10-01/\" guid=\"g-d\">\n"
                       "  <contentMeta><headline>Plain</headline><by>Desk</by></contentMeta>\n"
                       "  <contentSet><remoteContent href=\"http://x/y.txt\"/>\n"
                       "    <inlineData contenttype=\"text/plain\">First line.\n"
                       "Still first.\n\nSecond.</inlineData></contentSet></newsItem>";
    CHECK_INT(newsml(data, &g, &err), NEWS_OK);
    CHECK_INT(g.count, 1);
    CHECK_STR(g.a[0].title, "Plain");
    CHECK_STR(g.a[0].byline, "Desk");
    CHECK_STR(g.a[0].text, "First line.\nStill first.\n\nSecond.");
    CHECK_STR(g.a[0].source_id, "g-d");
    got_free(&g);
}

static void test_news_message(void)
{
    const char *xml =
        "<newsMessage xmlns=\"http://iptc.org/std/nar/2006-10-01/\">\n"
        " <header><sent>2024-01-01T00:00:00Z</sent></header>\n"
        " <itemSet>\n"
        "  <packageItem guid=\"pkg\"><groupSet root=\"G1\"><group id=\"G1\">"
        "<itemRef residref=\"a\"/><itemRef residref=\"p\"/></group></groupSet></packageItem>\n"
        "  <newsItem guid=\"a\"><contentMeta><headline>One</headline></contentMeta>\n"
        "   <contentSet><inlineData>Alpha text.</inlineData></contentSet></newsItem>\n"
        "  <newsItem guid=\"p\"><itemMeta><itemClass qcode=\"ninat:picture\"/></itemMeta>\n"
        "   <contentMeta><headline>A photo</headline></contentMeta>\n"
        "   <contentSet><inlineData>caption-like text</inlineData>"
        "<remoteContent href=\"p.jpg\"/></contentSet></newsItem>\n"
        "  <newsItem guid=\"r\"><contentMeta><headline>Remote</headline></contentMeta>\n"
        "   <contentSet><remoteContent href=\"story.xml\"/></contentSet></newsItem>\n"
        "  <newsItem guid=\"b\"><contentMeta><headline>Two</headline></contentMeta>\n"
        "   <contentSet><inlineXML><nitf><body><body.content><p>Beta text.</p>"
        "</body.content></body></nitf></inlineXML></contentSet></newsItem>\n"
        "  <newsItem guid=\"v\"><itemMeta><itemClass "
        "uri=\"http://cv.iptc.org/newscodes/ninature/video\"/></itemMeta>\n"
        "   <contentSet><inlineData>x</inlineData></contentSet></newsItem>\n"
        " </itemSet>\n"
        "</newsMessage>\n";
    struct got g = {0};
    struct news_error err = {{0}};
    CHECK_INT(newsml(xml, &g, &err), NEWS_OK);
    CHECK_INT(g.count, 2);
    CHECK_INT(g.rejects, 0); /* pictures, video and remote-only items pass silently */
    CHECK_STR(g.a[0].title, "One");
    CHECK_STR(g.a[0].text, "Alpha text.");
    CHECK_STR(g.a[0].source_id, "a");
    CHECK_INT(g.record[0], 1);
    CHECK_STR(g.a[1].title, "Two");
    CHECK_STR(g.a[1].text, "Beta text.");
    CHECK_INT(g.record[1], 4);
    got_free(&g);

    /* A sink that stops after the first article stops the reading. */
    g.stop_after = 1;
    CHECK_INT(newsml(xml, &g, &err), NEWS_OK);
    CHECK_INT(g.count, 1);
    got_free(&g);
}

static void test_standalone_nitf(void)
{
    const char *xml =
        "<?xml version=\"1.0\"?>\n"
        "<nitf><head><title>Head title</title>\n"
        "  <docdata><doc-id id-string=\"AP-123\"/><date.issue norm=\"20240105T120000Z\"/>"
        "</docdata>\n"
        "  <pubdata name=\"The Gazette\"/></head>\n"
        "<body><body.head><hedline><hl1>Storm hits coast</hl1><hl2>Thousands without "
        "power</hl2></hedline>\n"
        "  <byline><person>Jo Park</person></byline>\n"
        "  <dateline><location>MIAMI</location></dateline></body.head>\n"
        "<body.content><p>MIAMI (AP) - A storm hit.</p><hl2>Damage</hl2>"
        "<p>Roofs were torn <a href=\"x\">off</a>.</p>\n"
        "<table><tr><td>Wind</td><td>120</td></tr></table></body.content></body></nitf>\n";
    struct got g = {0};
    struct news_error err = {{0}};
    CHECK_INT(newsml(xml, &g, &err), NEWS_OK);
    CHECK_INT(g.count, 1);
    CHECK_STR(g.a[0].title, "Storm hits coast");
    CHECK_STR(g.a[0].byline, "Jo Park");
    CHECK_STR(g.a[0].source_id, "AP-123");
    CHECK_STR(g.a[0].date, "20240105T120000Z");
    CHECK_STR(g.a[0].source, "The Gazette");
    CHECK_STR(g.a[0].text,
              "MIAMI (AP) - A storm hit.\n\nDamage\n\nRoofs were torn off.\n\nWind 120");
    CHECK_STR(g.a[0].meta, "{\"dateline\":\"MIAMI\"}");
    got_free(&g);

    /* NITF without body text is passed over. */
    CHECK_INT(newsml("<nitf><head><title>Only a title</title></head></nitf>", &g, &err), NEWS_OK);
    CHECK_INT(g.count, 0);
    CHECK_INT(g.rejects, 0);
    got_free(&g);
}

static void test_wrong_kind(void)
{
    struct got g = {0};
    struct news_error err = {{0}};
    CHECK_INT(feed(g2_text_item, &g, &err), NEWS_ERR_FORMAT);
    CHECK(has(err.msg, "not an RSS or Atom feed"));
    CHECK(has(err.msg, "newsItem"));
    CHECK_INT(newsml("<rss><channel/></rss>", &g, &err), NEWS_ERR_FORMAT);
    CHECK(has(err.msg, "not NewsML-G2 or NITF"));
    CHECK_INT(feed("<feed><entry><title>x</title></entry></feed>", &g, &err), NEWS_ERR_FORMAT);
    CHECK_INT(feed("", &g, &err), NEWS_ERR_FORMAT);
    CHECK(has(err.msg, "empty"));
    CHECK_INT(feed("  \n ", &g, &err), NEWS_ERR_FORMAT);
    CHECK_INT(g.count, 0);
    got_free(&g);
}

static void test_malformed(void)
{
    struct got g = {0};
    struct news_error err = {{0}};
    const char *xml = "<?xml version=\"1.0\"?>\n<rss><channel>\n<item><title>One</title></item>\n"
                      "<item><title>Two</titel></item>\n</channel></rss>\n";
    CHECK_INT(feed(xml, &g, &err), NEWS_ERR_FORMAT);
    CHECK(has(err.msg, "not well-formed XML at line 4"));
    CHECK(has(err.msg, "title"));
    CHECK(strchr(err.msg, '\n') == NULL);
    CHECK_INT(g.count, 0);
    CHECK_INT(newsml("<newsItem><contentSet>", &g, &err), NEWS_ERR_FORMAT);
    CHECK(has(err.msg, "not well-formed XML"));
    /* Whitespace before the XML declaration is tolerated. */
    CHECK_INT(feed("\n\n  <?xml version=\"1.0\"?><rss><channel><item><title>T</title>"
                   "</item></channel></rss>",
                   &g, &err),
              NEWS_OK);
    CHECK_INT(g.count, 1);
    got_free(&g);
}

static void test_internal_entity(void)
{
    const char *xml = "<?xml version=\"1.0\"?>\n"
                      "<!DOCTYPE rss [<!ENTITY co \"Acme Corp\">]>\n"
                      "<rss><channel><item><title>News from &co;</title>"
                      "<description>&lt;p&gt;&co; grew.&lt;/p&gt;</description></item>"
                      "</channel></rss>";
    struct got g = {0};
    struct news_error err = {{0}};
    CHECK_INT(feed(xml, &g, &err), NEWS_OK);
    CHECK_INT(g.count, 1);
    CHECK_STR(g.a[0].title, "News from Acme Corp");
    got_free(&g);
}

static void test_xxe(void)
{
    const char *xml = "<?xml version=\"1.0\"?>\n"
                      "<!DOCTYPE rss [<!ENTITY x SYSTEM \"file:///etc/passwd\">\n"
                      "  <!ENTITY % p SYSTEM \"file:///etc/passwd\"> %p; ]>\n"
                      "<rss><channel><item><title>Leak &x;</title>"
                      "<description>before &x; after</description></item></channel></rss>";
    struct got g = {0};
    struct news_error err = {{0}};
    enum news_status st = feed(xml, &g, &err);
    CHECK(st == NEWS_OK || st == NEWS_ERR_FORMAT);
    for (size_t i = 0; i < g.count && i < MAX_GOT; i++) {
        CHECK(!has(g.a[i].title, "root:"));
        CHECK(!has(g.a[i].text, "root:"));
    }
    CHECK(!has(err.msg, "root:"));
    got_free(&g);

    const char *g2 = "<?xml version=\"1.0\"?>\n"
                     "<!DOCTYPE newsItem [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
                     "<newsItem xmlns=\"http://iptc.org/std/nar/2006-10-01/\">"
                     "<contentSet><inlineData>data &x; end</inlineData></contentSet></newsItem>";
    st = newsml(g2, &g, &err);
    CHECK(st == NEWS_OK || st == NEWS_ERR_FORMAT);
    for (size_t i = 0; i < g.count && i < MAX_GOT; i++)
        CHECK(!has(g.a[i].text, "root:"));
    got_free(&g);
}

/* Writes text to a new file in the temporary directory; its path goes to path. */
static bool write_temp(char *path, size_t cap, const char *name, const char *text)
{
    const char *dir = getenv("TMPDIR");
    snprintf(path, cap, "%s/news-%s-%ld", dir && dir[0] ? dir : "/tmp", name, (long)getpid());
    FILE *f = fopen(path, "w");
    if (!f) return false;
    fputs(text, f);
    return fclose(f) == 0;
}

/* A local file named by an external entity, an external DTD or an external parameter
 * entity must not reach an article or a message. libxml2 2.9 has no XML_PARSE_NO_XXE;
 * leaving out XML_PARSE_NOENT, XML_PARSE_DTDLOAD and XML_PARSE_DTDVALID is what keeps
 * them unread, and the first check shows that the same document with those options
 * would pull the file in. */
static void test_xxe_local_file(void)
{
    static const char marker[] = "XXE-MARKER-7f3a";
    char secret[512], dtd[512], buf[2048];
    CHECK(write_temp(secret, sizeof secret, "secret.txt", marker));
    CHECK(write_temp(dtd, sizeof dtd, "external.dtd",
                     "<!ENTITY x \"XXE-MARKER-7f3a from a DTD\">\n"));

    snprintf(buf, sizeof buf,
             "<?xml version=\"1.0\"?>\n<!DOCTYPE rss [<!ENTITY x SYSTEM \"file://%s\">]>\n"
             "<rss><channel><item><title>Leak &x; here</title>"
             "<description>before &x; after</description></item></channel></rss>",
             secret);
    xmlDoc *unsafe = xmlReadMemory(buf, (int)strlen(buf), NULL, NULL,
                                   XML_PARSE_NOENT | XML_PARSE_DTDLOAD | XML_PARSE_NOERROR |
                                       XML_PARSE_NOWARNING);
    xmlChar *dump = NULL;
    int dump_len = 0;
    if (unsafe) xmlDocDumpMemory(unsafe, &dump, &dump_len);
    CHECK(dump && strstr((const char *)dump, marker)); /* the file is there to be leaked */
    xmlFree(dump);
    xmlFreeDoc(unsafe);

    struct got g = {0};
    struct news_error err = {{0}};
    CHECK_INT(feed(buf, &g, &err), NEWS_OK);
    CHECK_INT(g.count, 1);
    CHECK(has(g.a[0].title, "Leak") && !has(g.a[0].title, marker));
    CHECK(has(g.a[0].text, "before") && !has(g.a[0].text, marker));
    got_free(&g);

    /* The entity declared in an external DTD, and in an external parameter entity. */
    for (int i = 0; i < 2; i++) {
        char doctype[1024];
        if (i == 0)
            snprintf(doctype, sizeof doctype, "<!DOCTYPE rss SYSTEM \"file://%s\">", dtd);
        else
            snprintf(doctype, sizeof doctype,
                     "<!DOCTYPE rss [<!ENTITY %% p SYSTEM \"file://%s\"> %%p;]>", dtd);
        snprintf(buf, sizeof buf,
                 "<?xml version=\"1.0\"?>\n%s\n<rss><channel><item><title>Leak &x; here</title>"
                 "<description>before &x; after</description></item></channel></rss>",
                 doctype);
        memset(&err, 0, sizeof err);
        enum news_status st = feed(buf, &g, &err);
        CHECK(st == NEWS_OK || st == NEWS_ERR_FORMAT);
        for (size_t k = 0; k < g.count && k < MAX_GOT; k++)
            CHECK(!has(g.a[k].title, marker) && !has(g.a[k].text, marker));
        CHECK(!has(err.msg, marker));
        got_free(&g);
    }

    snprintf(buf, sizeof buf,
             "<?xml version=\"1.0\"?>\n<!DOCTYPE newsItem [<!ENTITY x SYSTEM \"file://%s\">]>\n"
             "<newsItem xmlns=\"http://iptc.org/std/nar/2006-10-01/\"><contentMeta>"
             "<headline>Leak &x; here</headline></contentMeta><contentSet>"
             "<inlineData>data &x; end</inlineData></contentSet></newsItem>",
             secret);
    memset(&err, 0, sizeof err);
    CHECK_INT(newsml(buf, &g, &err), NEWS_OK);
    CHECK_INT(g.count, 1);
    CHECK(has(g.a[0].text, "data") && !has(g.a[0].text, marker));
    CHECK(!has(g.a[0].title, marker));
    got_free(&g);
    remove(secret);
    remove(dtd);
}

static void test_entity_bombs(void)
{
    const char *laughs =
        "<?xml version=\"1.0\"?>\n<!DOCTYPE rss [\n"
        "<!ENTITY a \"lollollollollollollollollollollollollollollollollollollollol\">\n"
        "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n"
        "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">\n"
        "<!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">\n"
        "<!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">\n"
        "<!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\">\n"
        "<!ENTITY g \"&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;\">\n"
        "<!ENTITY h \"&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;\">\n"
        "<!ENTITY i \"&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;\">\n"
        "]>\n<rss><channel><item><title>lol</title><description>&i;</description></item>"
        "</channel></rss>";
    struct got g = {0};
    struct news_error err = {{0}};
    double start = now_seconds();
    enum news_status st = feed(laughs, &g, &err);
    CHECK(now_seconds() - start < 5.0);
    CHECK(st != NEWS_OK || (g.count + g.rejects == 1 &&
                            (g.count == 0 || !g.a[0].text || strlen(g.a[0].text) <= (16u << 20))));
    CHECK(err.msg[0] != '\0' || st == NEWS_OK);
    got_free(&g);

    /* Quadratic blow-up: one large entity referenced many times. */
    size_t value_len = 50000, refs = 20000;
    size_t cap = value_len + refs * 3 + 512;
    char *xml = malloc(cap);
    size_t n = (size_t)snprintf(xml, cap, "<!DOCTYPE rss [<!ENTITY a \"");
    memset(xml + n, 'x', value_len);
    n += value_len;
    n += (size_t)snprintf(xml + n, cap - n,
                          "\">]><rss><channel><item><title>q</title><description>");
    for (size_t i = 0; i < refs; i++)
        n += (size_t)snprintf(xml + n, cap - n, "&a;");
    snprintf(xml + n, cap - n, "</description></item></channel></rss>");
    start = now_seconds();
    st = feed(xml, &g, &err);
    CHECK(now_seconds() - start < 10.0);
    CHECK(st != NEWS_OK || g.rejects == 1 ||
          (g.count == 1 && (!g.a[0].text || strlen(g.a[0].text) <= (16u << 20))));
    free(xml);
    got_free(&g);
}

static void test_deep_nesting(void)
{
    size_t depth = 100000;
    const char *head = "<rss><channel><item><title>deep</title><description>";
    size_t cap = strlen(head) + depth * 7 + 64;
    char *xml = malloc(cap);
    size_t n = (size_t)snprintf(xml, cap, "%s", head);
    for (size_t i = 0; i < depth; i++)
        n += (size_t)snprintf(xml + n, cap - n, "<a>");
    for (size_t i = 0; i < depth; i++)
        n += (size_t)snprintf(xml + n, cap - n, "</a>");
    snprintf(xml + n, cap - n, "</description></item></channel></rss>");
    struct got g = {0};
    struct news_error err = {{0}};
    CHECK_INT(feed(xml, &g, &err), NEWS_ERR_FORMAT);
    CHECK(has(err.msg, "line 1"));
    CHECK_INT(newsml(xml + strlen(head), &g, &err), NEWS_ERR_FORMAT); /* "<a><a>..." */
    CHECK(has(err.msg, "depth"));
    got_free(&g);
    free(xml);

    /* Deep, but within libxml2's limit: the walkers cope. */
    char nitf[4096] = "<nitf><body><body.content>";
    for (int i = 0; i < 200; i++)
        strcat(nitf, "<b>");
    strcat(nitf, "core");
    for (int i = 0; i < 200; i++)
        strcat(nitf, "</b>");
    strcat(nitf, "</body.content></body></nitf>");
    CHECK_INT(newsml(nitf, &g, &err), NEWS_OK);
    CHECK_INT(g.count, 1);
    CHECK_STR(g.a[0].text, "core");
    got_free(&g);
}

static void test_encodings(void)
{
    struct got g = {0};
    struct news_error err = {{0}};
    /* Declared ISO-8859-1: read as windows-1252, so 0x93/0x94 are curly quotes. */
    const char *latin1 = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n"
                         "<rss><channel><title>Not\355cias</title><item>"
                         "<title>\332ltimas not\355cias \x93hoje\x94</title>"
                         "<description>Caf\xe9 com p\xe3o.</description></item></channel></rss>";
    CHECK_INT(feed(latin1, &g, &err), NEWS_OK);
    CHECK_INT(g.count, 1);
    CHECK_STR(g.a[0].source, "Not\303\255cias");
    CHECK_STR(g.a[0].title, "\303\232ltimas not\303\255cias \xe2\x80\x9choje\xe2\x80\x9d");
    CHECK(has(g.a[0].text, "Caf\xc3\xa9 com p\xc3\xa3o."));
    got_free(&g);

    /* Declared windows-1252, with a byte windows-1252 leaves unassigned (0x81). */
    const char *cp1252 = "<?xml version=\"1.0\" encoding=\"windows-1252\"?>\n"
                         "<rss><channel><item><title>\x80 5 \x81 na\xefve</title>"
                         "</item></channel></rss>";
    CHECK_INT(feed(cp1252, &g, &err), NEWS_OK);
    CHECK_INT(g.count, 1);
    CHECK(has(g.a[0].title, "na\xc3\xafve"));
    got_free(&g);

    /* No declaration and Latin-1 bytes (invalid UTF-8): read again as windows-1252. */
    const char *bare = "<rss><channel><item><title>S\xe3o Paulo \x96 \372ltimas</title>"
                       "</item></channel></rss>";
    CHECK_INT(feed(bare, &g, &err), NEWS_OK);
    CHECK_INT(g.count, 1);
    CHECK_STR(g.a[0].title, "S\xc3\xa3o Paulo \xe2\x80\x93 \303\272ltimas");
    got_free(&g);

    /* UTF-8 with one stray Latin-1 byte: the valid UTF-8 stays as it is. */
    const char *mixed = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss><channel><item>"
                        "<title>M\xc3\xbcnchen \xe9t\xc3\xa9</title></item></channel></rss>";
    CHECK_INT(feed(mixed, &g, &err), NEWS_OK);
    CHECK_STR(g.a[0].title, "M\xc3\xbcnchen \xc3\xa9t\xc3\xa9");
    got_free(&g);

    /* UTF-16 with a byte order mark. */
    const char *ascii = "<rss><channel><item><title>Wide</title></item></channel></rss>";
    size_t alen = strlen(ascii);
    char *wide = malloc(2 + alen * 2);
    wide[0] = (char)0xFF;
    wide[1] = (char)0xFE;
    for (size_t i = 0; i < alen; i++) {
        wide[2 + 2 * i] = ascii[i];
        wide[3 + 2 * i] = 0;
    }
    struct reader_sink sink = {on_emit, on_reject, &g};
    CHECK_INT(xmlnews_sniff(wide, 2 + alen * 2), XMLNEWS_FEED);
    CHECK_INT(xmlnews_parse_feed(wide, 2 + alen * 2, &sink, &err), NEWS_OK);
    CHECK_INT(g.count, 1);
    CHECK_STR(g.a[0].title, "Wide");
    free(wide);
    got_free(&g);
}

static void test_limits(void)
{
    size_t title_len = 70000;
    const char *head = "<rss><channel><item><title>";
    const char *tail = "</title></item><item><title>Fine</title></item></channel></rss>";
    char *xml = malloc(strlen(head) + title_len + strlen(tail) + 1);
    strcpy(xml, head);
    memset(xml + strlen(head), 'w', title_len);
    strcpy(xml + strlen(head) + title_len, tail);
    struct got g = {0};
    struct news_error err = {{0}};
    CHECK_INT(feed(xml, &g, &err), NEWS_OK);
    CHECK_INT(g.rejects, 1);
    CHECK_INT(g.reject_record[0], 1);
    CHECK(has(g.reject_msg[0], "limit"));
    CHECK_INT(g.count, 1);
    CHECK_STR(g.a[0].title, "Fine");
    CHECK_INT(g.record[0], 2);
    got_free(&g);
    free(xml);
}

int main(void)
{
    test_sniff();
    test_rss2();
    test_rss2_loose_namespaces();
    test_rss1();
    test_atom();
    test_newsml_nitf();
    test_newsml_xhtml_and_data();
    test_news_message();
    test_standalone_nitf();
    test_wrong_kind();
    test_malformed();
    test_internal_entity();
    test_xxe();
    test_xxe_local_file();
    test_entity_bombs();
    test_deep_nesting();
    test_encodings();
    test_limits();
    return check_report("test_xmlnews");
}
