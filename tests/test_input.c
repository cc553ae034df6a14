/* test_input.c: what news-index takes a file to be, from its first bytes. */
#include "check.h"
#include "input.h"

struct sniff_case {
    const char *data;
    size_t len; /* 0: strlen */
    enum input_format want;
};

static const struct sniff_case cases[] = {
    {"Headline\n\nBody text.\n", 0, INPUT_TEXT},
    {" date 2025-02-18 Title\n", 0, INPUT_TEXT},
    {"{\"title\":\"a\"}\n{\"title\":\"b\"}\n", 0, INPUT_JSONL},
    {"\xEF\xBB\xBF  {\"title\":\"a\"}  \r\n", 0, INPUT_JSONL},
    {"{\"title\":\"one line, no newline\"}", 0, INPUT_JSONL},
    {"{\n  \"title\": \"pretty\"\n}\n", 0, INPUT_JSON},
    {"[{\"title\":\"a\"}]", 0, INPUT_JSON},
    {"<!DOCTYPE html><html><body><p>x</p></body></html>", 0, INPUT_HTML},
    {"<!-- saved page -->\n<HTML><HEAD><TITLE>x</TITLE>", 0, INPUT_HTML},
    {"<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel/></rss>", 0, INPUT_FEED},
    {"<feed xmlns=\"http://www.w3.org/2005/Atom\"></feed>", 0, INPUT_FEED},
    {"<?xml version=\"1.0\"?><newsItem xmlns=\"http://iptc.org/std/nar/2006-10-01/\"/>", 0,
     INPUT_NEWSML},
    {"<!DOCTYPE lewis SYSTEM \"lewis.dtd\">\n<REUTERS NEWID=\"1\">", 0, INPUT_REUTERS},
    {"<DOC>\n<DOCNO> X-1 </DOCNO>\n", 0, INPUT_TREC},
    {"WARC/1.0\r\nWARC-Type: warcinfo\r\n", 0, INPUT_WARC},
    {"\x7f"
     "ELF\x02\x01\x01\0\0\0",
     10, INPUT_BINARY},
    {"\x01\x02\x03\x04\x05\x06\x07\x08 text", 13, INPUT_BINARY},
    {"\xFF\xFEH\0i\0", 6, INPUT_TEXT}, /* UTF-16: NUL bytes are not binary */
    /* Fragments of pages (a feed item's content, a saved extract) are HTML... */
    {"<p>There's lots to like about <a href=\"x\">it</a>.</p>", 0, INPUT_HTML},
    {"<img width=\"100\" src=\"a.png\"/> Text", 0, INPUT_HTML},
    {"<section class=\"story\"><h2>Title</h2>", 0, INPUT_HTML},
    /* ...but not markup that merely starts like an element. */
    {"<paragraph>Some XML</paragraph>", 0, INPUT_TEXT},
    {"<CINRAM LTD> 4TH QTR NET\n\nShr 1.06 dlrs.\n", 0, INPUT_TEXT},
};

int main(void)
{
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const struct sniff_case *c = &cases[i];
        size_t len = c->len ? c->len : strlen(c->data);
        enum input_format got = input_sniff(c->data, len);
        CHECK_INT(got, c->want);
        if (got != c->want) fprintf(stderr, "  case %zu\n", i);
    }
    /* A tar header: "ustar" at offset 257. */
    char tar[1024] = "member.txt";
    memcpy(tar + 257, "ustar", 5);
    CHECK_INT(input_sniff(tar, sizeof tar), INPUT_TAR);
    /* Every format has a name, and the names are what --format takes. */
    for (int f = INPUT_AUTO; f < INPUT_FORMAT_COUNT; f++)
        CHECK(strcmp(input_format_name((enum input_format)f), "?") != 0);
    CHECK_STR(input_format_name(INPUT_JSON), "json");
    return check_report("test_input");
}
