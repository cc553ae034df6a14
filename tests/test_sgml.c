/* test_sgml.c: the Reuters-21578 and TREC record parser on self-written records, then, when
 * the shared data is present, on all 21,578 records of Reuters-21578.
 * Usage: test_sgml [shared-data-dir]; the default is ../shared/data beside the repository
 * (found from this file's path), or $NEWS_SHARED_DATA. */
#include <dirent.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "sgml.h"
#include "utf8.h"

/* One record and what it must give. text, title, meta... NULL: absent. status other than
 * NEWS_OK: the parse fails and msg is a prefix of the message. */
struct record_case {
    const char *name;
    enum sgml_kind kind;
    const char *input;
    enum news_status status;
    const char *msg;
    const char *source_id, *date, *title, *byline, *meta, *text;
};

/* The tail of a row whose parse fails. */
#define FAILS(status, msg) status, msg, NULL, NULL, NULL, NULL, NULL, NULL

static const struct record_case cases[] = {
    {"reuters full record", SGML_REUTERS,
     "<REUTERS TOPICS=\"YES\" LEWISSPLIT=\"TRAIN\" CGISPLIT=\"TRAINING-SET\" OLDID=\"9\" "
     "NEWID=\"42\">\n"
     "<DATE> 2-MAR-1987 09:15:05.40</DATE>\n"
     "<TOPICS><D>grain</D><D>wheat</D></TOPICS>\n"
     "<PLACES><D>usa</D></PLACES>\n"
     "<PEOPLE></PEOPLE>\n<ORGS></ORGS>\n<EXCHANGES></EXCHANGES>\n<COMPANIES></COMPANIES>\n"
     "<UNKNOWN> \n&#5;&#5;&#5;G\n&#22;&#22;&#1;f0001&#31;reute\nr f BC-TEST   03-02 "
     "0050</UNKNOWN>\n"
     "<TEXT>&#2;\n<TITLE>FARMERS &lt;ABC> SEE GOOD HARVEST</TITLE>\n"
     "<DATELINE>    KANSAS CITY, March 2 - </DATELINE><BODY>Farmers in the plains said on\n"
     "Monday the harvest looked good.\n"
     "    A second paragraph starts here &amp; goes on\n"
     "over two lines.\n"
     " Reuter\n&#3;</BODY></TEXT>\n</REUTERS>",
     NEWS_OK, NULL, "42", "2-MAR-1987 09:15:05.40", "FARMERS <ABC> SEE GOOD HARVEST", NULL,
     "{\"topics\":[\"grain\",\"wheat\"],\"places\":[\"usa\"],\"dateline\":\"KANSAS CITY, "
     "March 2\"}",
     "Farmers in the plains said on Monday the harvest looked good.\n\n"
     "A second paragraph starts here & goes on over two lines."},
    {"reuters brief: title only, the filler is not text", SGML_REUTERS,
     "<REUTERS NEWID=\"7\">\n<DATE>3-MAR-1987  10:00:00.00</DATE>\n<TOPICS></TOPICS>\n"
     "<TEXT TYPE=\"BRIEF\">&#2;\n******<TITLE>RATES ROSE IN LATEST\nWEEK\n</TITLE>Blah blah "
     "blah.\n&#3;\n\n</TEXT>\n</REUTERS>",
     NEWS_OK, NULL, "7", "3-MAR-1987  10:00:00.00", "RATES ROSE IN LATEST WEEK", NULL, NULL, NULL},
    {"reuters unprocessed: text straight in TEXT, table lines kept apart", SGML_REUTERS,
     "<REUTERS NEWID=\"8\"><DATE>4-MAR-1987 10:00:00.00</DATE>\n"
     "<TEXT TYPE=\"UNPROC\">&#2;\nWEEKLY REPORT - MARCH 4\n    One week ended March 1\n"
     " Item one.........10 vs.....12\n Item two..........3 vs......4\n Reuter\n&#3;</TEXT>\n"
     "</REUTERS>",
     NEWS_OK, NULL, "8", "4-MAR-1987 10:00:00.00", NULL, NULL, NULL,
     "WEEKLY REPORT - MARCH 4\n\nOne week ended March 1\n\nItem one.........10 "
     "vs.....12\n\nItem two..........3 vs......4"},
    {"reuters author becomes the byline; lists escaped as JSON", SGML_REUTERS,
     "<REUTERS NEWID=\"9\"><DATE>5-MAR-1987</DATE><ORGS><D>a\"b\\c</D><D> </D><D>ec</D></ORGS>"
     "<TEXT><TITLE>T</TITLE><AUTHOR>    By A. Writer, Reuters</AUTHOR>"
     "<DATELINE>    PARIS, March 5 - </DATELINE><BODY>Body.\n REUTER...\n&#3;</BODY></TEXT>"
     "</REUTERS>",
     NEWS_OK, NULL, "9", "5-MAR-1987", "T", "By A. Writer, Reuters",
     "{\"orgs\":[\"a\\\"b\\\\c\",\"ec\"],\"dateline\":\"PARIS, March 5\"}", "Body."},
    {"reuters lowercase tags, single quotes, CRLF lines", SGML_REUTERS,
     "<reuters newid='10'>\r\n<date>6-mar-1987</date>\r\n<text>\r\n<title>Lower</title>\r\n"
     "<body>One\r\ntwo.\r\n\r\nThree.\r\n</body></text></reuters>",
     NEWS_OK, NULL, "10", "6-mar-1987", "Lower", NULL, NULL, "One two.\n\nThree."},
    {"reuters: a DATELINE tag is not a DATE; a late NEWID", SGML_REUTERS,
     "<REUTERS OLDID=1 NEWID=11 CSECS=\"0\"><TEXT><DATELINE>ROME - </DATELINE>"
     "<BODY>x</BODY></TEXT></REUTERS>",
     NEWS_OK, NULL, "11", NULL, NULL, NULL, "{\"dateline\":\"ROME\"}", "x"},
    {"reuters references and control characters", SGML_REUTERS,
     "<REUTERS NEWID=\"12\"><TEXT><TITLE>&quot;Q&quot; &#x41;&#66; &bogus; &amp</TITLE>"
     "<BODY>a\x01"
     "b\x7f"
     "c\xc2\x85"
     "d&#0;&#127;&#x9f;&#55296;&#x110000;&#99999999999;e"
     "\xc3\xa9&#233;&#x20AC;&nbsp;&hyph;\tf</BODY></TEXT></REUTERS>",
     NEWS_OK, NULL, "12", NULL, "\"Q\" AB &bogus; &amp", NULL, NULL,
     "abcd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
     "e\xc3\xa9\xc3\xa9\xe2\x82\xac - f"},
    {"reuters trailer variants: only a whole last paragraph goes", SGML_REUTERS,
     "<REUTERS NEWID=\"13\"><TEXT><BODY>Said Reuter.\n NIL. REUTER\n&#3;</BODY></TEXT>"
     "</REUTERS>",
     NEWS_OK, NULL, "13", NULL, NULL, NULL, NULL, "Said Reuter.\n\nNIL. REUTER"},
    {"reuters trailer with a literal ^M", SGML_REUTERS,
     "<REUTERS NEWID=\"14\"><TEXT><BODY>Text.\nreuter^M\n&#3;</BODY></TEXT></REUTERS>", NEWS_OK,
     NULL, "14", NULL, NULL, NULL, NULL, "Text."},
    {"reuters: unclosed BODY runs to the end; unclosed D stops the list", SGML_REUTERS,
     "<REUTERS NEWID=\"15\"><TOPICS><D>one</D><D>two<D>three</TOPICS>"
     "<TEXT><TITLE>T</TITLE><BODY>Cut off",
     NEWS_OK, NULL, "15", NULL, "T", NULL, "{\"topics\":[\"one\",\"two\"]}", "Cut off"},
    {"reuters: text after a DOCTYPE line", SGML_REUTERS,
     "<!DOCTYPE lewis SYSTEM \"lewis.dtd\">\n<REUTERS NEWID=\"16\">"
     "<TEXT><BODY>b</BODY></TEXT></REUTERS>",
     NEWS_OK, NULL, "16", NULL, NULL, NULL, NULL, "b"},
    {"reuters without TEXT", SGML_REUTERS,
     "<REUTERS NEWID=\"17\"><DATE>1-MAR-1987</DATE></REUTERS>",
     FAILS(NEWS_ERR_FORMAT, "no text (record 17)")},
    {"reuters with an empty body", SGML_REUTERS,
     "<REUTERS><TEXT><TITLE> </TITLE><BODY> Reuter\n&#3;</BODY></TEXT></REUTERS>",
     FAILS(NEWS_ERR_FORMAT, "no text")},
    {"reuters brief without a title", SGML_REUTERS,
     "<REUTERS NEWID=1><TEXT TYPE=brief>Blah blah blah.</TEXT></REUTERS>",
     FAILS(NEWS_ERR_FORMAT, "no text")},
    {"no start tag", SGML_REUTERS, "<DOC><TEXT>x</TEXT></DOC>",
     FAILS(NEWS_ERR_FORMAT, "no <REUTERS> start tag")},
    {"empty input", SGML_TREC, "", FAILS(NEWS_ERR_FORMAT, "no <DOC> start tag")},
    {"not a kind", SGML_NONE, "<DOC><TEXT>x</TEXT></DOC>", FAILS(NEWS_ERR_USAGE, "not an SGML")},
    {"garbage bytes", SGML_REUTERS, "<REUTERS <<<&#&#x;&\xff\xfe</",
     FAILS(NEWS_ERR_FORMAT, "no text")},

    {"trec LA Times style: P paragraphs, SECTION, BYLINE", SGML_TREC,
     "<DOC>\n<DOCNO> LA010189-0001 </DOCNO>\n<DOCID> 1 </DOCID>\n"
     "<DATE>\n<P>\nJanuary 1, 1989, Sunday, Home Edition\n</P>\n</DATE>\n"
     "<SECTION>\n<P>\nBook Review; Page 1\n</P>\n</SECTION>\n"
     "<HEADLINE>\n<P>\nA TITLE &amp; MORE\n</P>\n<P>\nSecond line\n</P>\n</HEADLINE>\n"
     "<BYLINE>\n<P>\nBy A. WRITER\n</P>\n</BYLINE>\n"
     "<TEXT>\n<P>\nFirst paragraph\nwraps here.\n</P>\n<P>\nSecond one.\n</P>\n</TEXT>\n"
     "</DOC>",
     NEWS_OK, NULL, "LA010189-0001", "January 1, 1989, Sunday, Home Edition",
     "A TITLE & MORE Second line", "By A. WRITER", "{\"section\":\"Book Review; Page 1\"}",
     "First paragraph wraps here.\n\nSecond one."},
    {"trec AP style: HEAD, indented paragraphs, two TEXT elements", SGML_TREC,
     "<DOC>\n<DOCNO> AP880212-0001 </DOCNO>\n<FILEID>AP-NR-02-12-88</FILEID>\n"
     "<HEAD>Head Line</HEAD>\n<DATELINE>WASHINGTON (AP) </DATELINE>\n"
     "<TEXT>\n   The first paragraph\nwraps.\n   The second.\n</TEXT>\n"
     "<TEXT>\n   More text.\n</TEXT>\n</DOC>\n",
     NEWS_OK, NULL, "AP880212-0001", NULL, "Head Line", NULL, NULL,
     "The first paragraph wraps.\n\nThe second.\n\nMore text."},
    {"trec FT style: fields on one line, lowercase", SGML_TREC,
     "<doc><docno>FT911-1</docno><date>910514</date><headline>FT 14 MAY 91 / Hello</headline>"
     "<text>Body text.</text></doc>",
     NEWS_OK, NULL, "FT911-1", "910514", "FT 14 MAY 91 / Hello", NULL, NULL, "Body text."},
    {"trec: markup in text, a literal '<', a comment", SGML_TREC,
     "<DOC><DOCNO>X</DOCNO><TEXT><!-- PJG 0012 -->a < b and c<5\n<TABLE>cell</TABLE></TEXT>"
     "</DOC>",
     NEWS_OK, NULL, "X", NULL, NULL, NULL, NULL, "a < b and c<5\n\ncell"},
    {"trec headline only", SGML_TREC, "<DOC><DOCNO>Y</DOCNO><HEADLINE>Only</HEADLINE></DOC>",
     NEWS_OK, NULL, "Y", NULL, "Only", NULL, NULL, NULL},
    {"trec without DOCNO", SGML_TREC, "<DOC><TEXT>t</TEXT></DOC>", NEWS_OK, NULL, NULL, NULL, NULL,
     NULL, NULL, "t"},
    {"trec: a DOCNO tag is not a DOC", SGML_TREC, "<DOCNO>Z</DOCNO><TEXT>t</TEXT>",
     FAILS(NEWS_ERR_FORMAT, "no <DOC> start tag")},
    {"trec with empty TEXT", SGML_TREC, "<DOC><DOCNO>Z</DOCNO><TEXT>\n<P>\n</P></TEXT></DOC>",
     FAILS(NEWS_ERR_FORMAT, "no text (record Z)")},
};

/* Runs one table row and checks every field. */
static void run_case(const struct record_case *c)
{
    struct article a = {0};
    struct news_error err = {{0}};
    enum news_status st = sgml_parse_record(c->kind, c->input, strlen(c->input), &a, &err);
    CHECK_INT(st, c->status);
    if (st != c->status) fprintf(stderr, "  in case: %s (%s)\n", c->name, err.msg);
    if (c->status != NEWS_OK) {
        struct article zero = {0};
        CHECK(memcmp(&a, &zero, sizeof a) == 0);
        CHECK(strncmp(err.msg, c->msg, strlen(c->msg)) == 0);
        if (strncmp(err.msg, c->msg, strlen(c->msg)) != 0)
            fprintf(stderr, "  in case: %s: message \"%s\"\n", c->name, err.msg);
        return;
    }
    int before = check_failures;
    CHECK_STR(a.source_id, c->source_id);
    CHECK_STR(a.date, c->date);
    CHECK_STR(a.title, c->title);
    CHECK_STR(a.byline, c->byline);
    CHECK_STR(a.meta, c->meta);
    CHECK_STR(a.text, c->text);
    CHECK(a.url == NULL && a.source == NULL && a.lang == NULL);
    if (check_failures != before) fprintf(stderr, "  in case: %s\n", c->name);
    article_clear(&a);
}

struct sniff_case {
    const char *input;
    enum sgml_kind kind;
};

static const struct sniff_case sniffs[] = {
    {"<!DOCTYPE lewis SYSTEM \"lewis.dtd\">\n<REUTERS", SGML_REUTERS},
    {"\xEF\xBB\xBF\n  <!doctype LEWIS>", SGML_REUTERS},
    {"<REUTERS TOPICS=\"YES\">", SGML_REUTERS},
    {"\n<reuters>", SGML_REUTERS},
    {"<REUTERSX>", SGML_NONE},
    {"<!DOCTYPE html>", SGML_NONE},
    {"<!DOCTYPE lewisx>", SGML_NONE},
    {"<DOC>\n<DOCNO> LA010189-0001 </DOCNO>", SGML_TREC},
    {"  <doc><docno>x", SGML_TREC},
    {"<DOC>\n", SGML_TREC},
    {"<DOC>\n<DOC", SGML_TREC},
    {"<DOC>\n<DOCID>", SGML_NONE},
    {"<DOC>\n<TEXT>", SGML_NONE},
    {"<DOCNO>", SGML_NONE},
    {"<?xml version=\"1.0\"?><rss>", SGML_NONE},
    {"", SGML_NONE},
    {"   ", SGML_NONE},
    {"text <REUTERS>", SGML_NONE},
};

/* Inputs built to be slow for a parser that rescans: each must finish promptly. */
static void check_linear(void)
{
    static const char *const units[] = {"<D>", "<",    "&#",      "<TEXT>", "<BODY",
                                        "</",  "&amp", "<P>x\n ", "<D x"};
    size_t n = (size_t)2 << 20;
    char *rec = malloc(n + 64);
    for (int kind = SGML_REUTERS; kind <= SGML_TREC; kind++) {
        const char *prefix = kind == SGML_REUTERS ? "<REUTERS NEWID=1><TOPICS><TEXT><BODY>"
                                                  : "<DOC><DOCNO>1</DOCNO><TEXT><P>";
        for (size_t u = 0; u < sizeof units / sizeof *units; u++) {
            size_t len = strlen(prefix), ul = strlen(units[u]);
            memcpy(rec, prefix, len);
            while (len + ul < n) {
                memcpy(rec + len, units[u], ul);
                len += ul;
            }
            clock_t t0 = clock();
            struct article a = {0};
            struct news_error err;
            enum news_status st = sgml_parse_record((enum sgml_kind)kind, rec, len, &a, &err);
            double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
            CHECK(st == NEWS_OK || st == NEWS_ERR_FORMAT);
            /* Linear work takes well under a second even under sanitizers; rescanning
             * 2 MB would take hours. */
            CHECK(secs < 20.0);
            article_clear(&a);
        }
    }
    free(rec);

    /* Over the record limit: refused, not parsed. */
    size_t big = ((size_t)64 << 20) + 1;
    char *huge = malloc(big);
    memset(huge, ' ', big);
    memcpy(huge, "<REUTERS>", 9);
    struct article a = {0};
    struct news_error err;
    CHECK_INT(sgml_parse_record(SGML_REUTERS, huge, big, &a, &err), NEWS_ERR_LIMIT);
    CHECK(a.title == NULL && a.text == NULL);
    free(huge);
}

/* Reads a whole file; returns it malloc'd (NUL-terminated) or NULL. */
static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 20, n = 0, got;
    char *buf = malloc(cap + 1);
    while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) buf = realloc(buf, (cap *= 2) + 1);
    }
    fclose(f);
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* qsort order for file names. */
static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Splits every reut2-*.sgm at "</REUTERS>" as the reader does and parses each record. */
static void check_reuters(const char *data)
{
    char dir[4200];
    snprintf(dir, sizeof dir, "%s/reuters21578", data);
    DIR *d = opendir(dir);
    if (!d) {
        printf("test_sgml: Reuters-21578: skipped: no data (%s)\n", dir);
        return;
    }
    char *names[64];
    size_t files = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && files < 64) {
        size_t n = strlen(e->d_name);
        if (strncmp(e->d_name, "reut2-", 6) == 0 && n > 4 && strcmp(e->d_name + n - 4, ".sgm") == 0)
            names[files++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, files, sizeof *names, compare_names);

    enum { TOTAL = 21578 };
    static bool seen[TOTAL + 1];
    size_t records = 0, failed = 0, no_id = 0, bad_id = 0, dup_id = 0, not_1987 = 0;
    size_t empty = 0, no_title = 0, no_text = 0, with_meta = 0, with_dateline = 0, leftover = 0;
    for (size_t i = 0; i < files; i++) {
        char path[4480];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        size_t raw_len = 0, len = 0;
        char *raw = read_file(path, &raw_len);
        CHECK(raw != NULL);
        if (!raw) continue;
        enum utf8_source how;
        char *text = utf8_decode(raw, raw_len, &len, &how);
        free(raw);
        const char *p = text, *end = text + len;
        for (;;) {
            const char *close = strstr(p, "</REUTERS>");
            const char *rec_end = close ? close + 10 : end;
            const char *start = strstr(p, "<REUTERS");
            if (!start || start >= rec_end) {
                if (!close) break;
                p = rec_end;
                continue;
            }
            records++;
            struct article a = {0};
            struct news_error err;
            if (sgml_parse_record(SGML_REUTERS, start, (size_t)(rec_end - start), &a, &err) !=
                NEWS_OK) {
                /* One record (NEWID 12793, TYPE="UNPROC") is empty: the error names it. */
                if (strcmp(err.msg, "no text (record 12793)") == 0 && !seen[12793]) {
                    seen[12793] = true;
                    empty++;
                } else if (failed++ < 5) {
                    fprintf(stderr, "%s: %s\n", names[i], err.msg);
                }
            } else {
                char *num_end = NULL;
                long id = a.source_id ? strtol(a.source_id, &num_end, 10) : 0;
                if (!a.source_id)
                    no_id++;
                else if (*num_end != '\0' || id < 1 || id > TOTAL)
                    bad_id++;
                else if (seen[id])
                    dup_id++;
                else
                    seen[id] = true;
                if (!a.date || !strstr(a.date, "-1987")) not_1987++;
                if (!a.title) no_title++;
                if (!a.text) no_text++;
                if (a.meta) with_meta++;
                if (a.meta && strstr(a.meta, "\"dateline\"")) with_dateline++;
                /* Nothing undecoded or unwanted left in the text. */
                for (const char *t = a.text; t && *t; t++)
                    if ((unsigned char)*t < 0x20 && *t != '\n') leftover++;
                if (a.text && (strstr(a.text, "&#") || strstr(a.text, "&lt;") ||
                               strstr(a.text, "<BODY") || strstr(a.text, "\n\n\n")))
                    leftover++;
            }
            article_clear(&a);
            if (!close) break;
            p = rec_end;
        }
        free(text);
        free(names[i]);
    }
    printf("test_sgml: Reuters-21578: %zu files, %zu records: %zu parsed, %zu empty (\"no "
           "text\"), %zu failed otherwise; of those parsed, %zu have no title, %zu no text "
           "(briefs), %zu metadata, %zu a dateline\n",
           files, records, records - empty - failed, empty, failed, no_title, no_text, with_meta,
           with_dateline);
    CHECK_INT(files, 22);
    CHECK_INT(records, TOTAL);
    CHECK_INT(failed, 0);
    CHECK_INT(empty, 1);
    CHECK_INT(no_id, 0);
    CHECK_INT(bad_id, 0);
    CHECK_INT(dup_id, 0);
    CHECK_INT(not_1987, 0);
    CHECK_INT(leftover, 0);
    /* PROVENANCE.md: 737 TYPE="UNPROC" texts have no TITLE (one of them is the empty
     * record), and the 1,798 TYPE="BRIEF" texts have only filler besides their title. */
    CHECK_INT(no_title, 736);
    CHECK_INT(no_text, 1798);
}

int main(int argc, char **argv)
{
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        run_case(&cases[i]);
    for (size_t i = 0; i < sizeof sniffs / sizeof *sniffs; i++) {
        enum sgml_kind k = sgml_sniff(sniffs[i].input, strlen(sniffs[i].input));
        CHECK_INT(k, sniffs[i].kind);
        if (k != sniffs[i].kind) fprintf(stderr, "  sniffing: %s\n", sniffs[i].input);
    }
    /* Sniffing reads only the length it is given. */
    CHECK_INT(sgml_sniff("<DOC>\n<TEXT>", 6), SGML_TREC);
    CHECK_STR(sgml_end_tag(SGML_REUTERS), "</REUTERS>");
    CHECK_STR(sgml_end_tag(SGML_TREC), "</DOC>");
    CHECK(sgml_end_tag(SGML_NONE) == NULL);
    check_linear();

    char data[4096];
    check_data_dir(argc, argv, data, sizeof data);
    check_reuters(data);
    return check_report("test_sgml");
}
