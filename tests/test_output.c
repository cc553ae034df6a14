/* test_output.c: the machine formats escape what they must; matches and articles are
 * written field by field as the README says. */
#include <stdlib.h>

#include "check.h"
#include "highlight.h"
#include "output.h"

/* Matches between plain markers; on a terminal, in escapes with a bold title. */
static const struct output_style plain = {HIGHLIGHT_PLAIN_OPEN, HIGHLIGHT_PLAIN_CLOSE, false};
static const struct output_style terminal = {HIGHLIGHT_ESCAPE_OPEN, HIGHLIGHT_ESCAPE_CLOSE, true};

/* Runs fn on a memory stream and returns what it wrote (caller frees). */
static char *capture_field(void (*fn)(FILE *, const char *), const char *s)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    fn(f, s);
    fclose(f);
    return buf;
}

struct field_case {
    const char *in, *json, *csv, *tsv;
};

static const struct field_case fields[] = {
    {"plain", "\"plain\"", "plain", "plain"},
    {"a, b", "\"a, b\"", "\"a, b\"", "a, b"},
    {"say \"hi\"", "\"say \\\"hi\\\"\"", "\"say \"\"hi\"\"\"", "say \"hi\""},
    {"two\nlines", "\"two\\nlines\"", "\"two\nlines\"", "two\\nlines"},
    {"tab\there", "\"tab\\there\"", "tab\there", "tab\\there"},
    {"back\\slash", "\"back\\\\slash\"", "back\\slash", "back\\\\slash"},
    {"\x01", "\"\\u0001\"", "\x01", "\x01"},
    {"caf\xC3\xA9", "\"caf\xC3\xA9\"", "caf\xC3\xA9", "caf\xC3\xA9"},
};

static void test_fields(void)
{
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
        char *s = capture_field(output_json_string, fields[i].in);
        CHECK_STR(s, fields[i].json);
        free(s);
        s = capture_field(output_csv_field, fields[i].in);
        CHECK_STR(s, fields[i].csv);
        free(s);
        s = capture_field(output_tsv_field, fields[i].in);
        CHECK_STR(s, fields[i].tsv);
        free(s);
    }
    char *s = capture_field(output_json_string, NULL);
    CHECK_STR(s, "null");
    free(s);
}

static void test_hits(void)
{
    struct search_hit hit = {.rank = 1,
                             .id = 7,
                             .title = "Peace, talks",
                             .date = "2025-02-18",
                             .score = 1.5,
                             .snippet =
                                 SEARCH_MARK_OPEN "peace" SEARCH_MARK_CLOSE " talks\n\nresume",
                             .story = 7,
                             .archive = "a.db",
                             .date_kind = "published"};
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    output_header(f, OUTPUT_CSV);
    output_hit(f, OUTPUT_CSV, &hit, &plain);
    output_hit(f, OUTPUT_JSON, &hit, &plain);
    output_hit(f, OUTPUT_TEXT, &hit, &plain);
    fclose(f);
    CHECK_STR(buf,
              "rank,id,source_id,date,source,title,url,byline,score,snippet,copies,story,archive,"
              "version_of,superseded_by,date_kind,title_derived\r\n"
              "1,7,,2025-02-18,,\"Peace, talks\",,,1.5,\"**peace** talks\n\nresume\",0,7,a.db,,,"
              "published,false\r\n"
              "{\"rank\":1,\"id\":7,\"source_id\":null,\"date\":\"2025-02-18\","
              "\"source\":null,\"title\":\"Peace, talks\",\"url\":null,\"byline\":null,"
              "\"score\":1.5,\"snippet\":\"**peace** talks\\n\\nresume\",\"copies\":0,"
              "\"story\":7,\"archive\":\"a.db\",\"version_of\":null,\"superseded_by\":null,"
              "\"date_kind\":\"published\",\"snippet_text\":\"peace talks\\n\\nresume\","
              "\"matches\":[[0,5]],\"title_derived\":false}\n"
              "1. Peace, talks\n   2025-02-18 · id 7 · score 1.50 · a.db\n"
              "   **peace** talks resume\n\n");
    free(buf);

    /* A match standing for copies of its story says so; the new fields come last. */
    hit.copies = 3;
    hit.story = 2;
    buf = NULL;
    f = open_memstream(&buf, &len);
    output_hit(f, OUTPUT_TSV, &hit, &plain);
    output_hit(f, OUTPUT_TEXT, &hit, &plain);
    hit.copies = 1;
    output_hit(f, OUTPUT_TEXT, &hit, &terminal);
    fclose(f);
    CHECK_STR(buf,
              "1\t7\t\t2025-02-18\t\tPeace, talks\t\t\t1.5\t**peace** talks\\n\\nresume\t3\t2\ta.db"
              "\t\t\tpublished\tfalse\n"
              "1. Peace, talks  (+3 copies)\n   2025-02-18 · id 7 · score 1.50 · a.db\n"
              "   **peace** talks resume\n\n"
              "1. \033[1mPeace, talks\033[0m  (+1 copy)\n   2025-02-18 · id 7 · score 1.50 · a.db\n"
              "   \033[1;31mpeace\033[0m talks resume\n\n");
    free(buf);
    /* The bulk format: an action line with the content hash as the id, then the article. */
    hit.hash = "00112233445566778899AABBCCDDEEFF";
    hit.text = "Peace talks resume.\nMore.";
    buf = NULL;
    f = open_memstream(&buf, &len);
    output_hit(f, OUTPUT_BULK, &hit, &plain);
    fclose(f);
    CHECK_STR(buf, "{\"index\":{\"_id\":\"00112233445566778899AABBCCDDEEFF\"}}\n"
                   "{\"id\":7,\"source_id\":null,\"date\":\"2025-02-18\",\"source\":null,"
                   "\"title\":\"Peace, talks\",\"url\":null,\"byline\":null,"
                   "\"text\":\"Peace talks resume.\\nMore.\",\"archive\":\"a.db\",\"story\":2,"
                   "\"version_of\":null,\"superseded_by\":null,\"date_kind\":\"published\","
                   "\"title_derived\":false}\n");
    free(buf);
}

/* JSON's offsets count characters, not bytes: what Python's s[start:end] takes. */
static void test_json_matches(void)
{
    struct search_hit hit = {.rank = 1,
                             .id = 2,
                             .score = 1,
                             .snippet = "Talks in " SEARCH_MARK_OPEN "Zürich" SEARCH_MARK_CLOSE
                                        " «" SEARCH_MARK_OPEN "Zürich" SEARCH_MARK_CLOSE "»."};
    static const struct output_style html = {"<b>", "</b>", false};
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    output_hit(f, OUTPUT_JSON, &hit, &html);
    fclose(f);
    CHECK(strstr(buf, "\"snippet\":\"Talks in <b>Zürich</b> «<b>Zürich</b>».\"") != NULL);
    CHECK(strstr(buf, ",\"snippet_text\":\"Talks in Zürich «Zürich».\","
                      "\"matches\":[[9,15],[17,23]],\"title_derived\":false}\n") != NULL);
    free(buf);
}

static void test_version_fields(void)
{
    /* A version that a newer one supersedes, dated only by a web archive's capture, its
     * title made from its text: the text says the first two, the machine formats give the
     * ids, the kind of date and where the title came from. */
    struct search_hit old = {.rank = 2,
                             .id = 3,
                             .title = "Ferry",
                             .date = "2012-01-18T10:02:03Z",
                             .date_kind = "captured",
                             .version_of = 1,
                             .superseded_by = 4,
                             .score = 2,
                             .story = 3,
                             .is_title_derived = true};
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    output_hit(f, OUTPUT_TEXT, &old, &plain);
    output_hit(f, OUTPUT_CSV, &old, &plain);
    output_hit(f, OUTPUT_TSV, &old, &plain);
    old.date = NULL;
    old.date_kind = NULL;
    old.version_of = old.superseded_by = 0;
    output_hit(f, OUTPUT_JSON, &old, &plain);
    output_hit(f, OUTPUT_TEXT, &old, &plain);
    fclose(f);
    CHECK_STR(
        buf,
        "2. Ferry\n   2012-01-18T10:02:03Z (captured) · id 3 · superseded by 4 · score 2.00\n\n"
        "2,3,,2012-01-18T10:02:03Z,,Ferry,,,2,,0,3,,1,4,captured,true\r\n"
        "2\t3\t\t2012-01-18T10:02:03Z\t\tFerry\t\t\t2\t\t0\t3\t\t1\t4\tcaptured\ttrue\n"
        "{\"rank\":2,\"id\":3,\"source_id\":null,\"date\":null,\"source\":null,"
        "\"title\":\"Ferry\",\"url\":null,\"byline\":null,\"score\":2,\"snippet\":null,"
        "\"copies\":0,\"story\":3,\"archive\":null,\"version_of\":null,"
        "\"superseded_by\":null,\"date_kind\":null,\"snippet_text\":null,\"matches\":[],"
        "\"title_derived\":true}\n"
        "2. Ferry\n   undated · id 3 · score 2.00\n\n");
    free(buf);
}

/* Two versions of an article: 3, dated by a capture, and 4, current. */
static struct search_version versions[] = {{.id = 3,
                                            .date = (char[]){"2012-01-18T10:02:03Z"},
                                            .date_kind = (char[]){"captured"},
                                            .title = (char[]){"Ferry"},
                                            .is_title_derived = true},
                                           {.id = 4,
                                            .date = (char[]){"2012-01-19"},
                                            .date_kind = (char[]){"published"},
                                            .title = (char[]){"Ferry, later"},
                                            .is_current = true}};

/* --show of a superseded version: which is current, which is shown, what a replaced
 * version left behind. */
static void test_article(void)
{
    struct search_replaced replaced[] = {{.title = (char[]){"Ferry (first)"},
                                          .replaced_at = (char[]){"2012-02-01T00:00:00Z"},
                                          .provenance = (char[]){"[]"}},
                                         {.title = (char[]){"Ferry (second)"},
                                          .replaced_at = (char[]){"2012-03-01T00:00:00Z"},
                                          .provenance = (char[]){"[]"},
                                          .is_text_kept = true},
                                         {.title = (char[]){"Ferry (third)"},
                                          .replaced_at = (char[]){"2012-04-01T00:00:00Z"},
                                          .provenance = (char[]){"[]"},
                                          .is_text_kept = true,
                                          .is_restorable = true}};
    struct search_article art = {.id = 3,
                                 .title = "Ferry",
                                 .date = "2012-01-18T10:02:03Z",
                                 .date_kind = "captured",
                                 .text = "Text.",
                                 .superseded_by = 4,
                                 .replaced = replaced,
                                 .replaced_count = 3,
                                 .versions = versions,
                                 .version_count = 2,
                                 .is_title_derived = true};
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    output_article(f, OUTPUT_TEXT, &art);
    output_article(f, OUTPUT_JSON, &art);
    fclose(f);
    CHECK_STR(buf,
              "id:         3\n"
              "title:      Ferry\n"
              "date:       2012-01-18T10:02:03Z (captured)\n"
              "superseded: by 4; the current version is 4\n"
              "replaced:   2012-02-01T00:00:00Z, an earlier version titled \"Ferry (first)\"\n"
              "replaced:   2012-03-01T00:00:00Z, an earlier version titled \"Ferry (second)\""
              " (its text is kept)\n"
              "replaced:   2012-04-01T00:00:00Z, an earlier version titled \"Ferry (third)\""
              " (its text is kept: news-index --restore ARCHIVE 3 puts it back)\n"
              "versions:   3  2012-01-18T10:02:03Z (captured)  Ferry  (shown)\n"
              "            4  2012-01-19  Ferry, later  (current)\n"
              "\nText.\n"
              "{\"id\":3,\"source_id\":null,\"date\":\"2012-01-18T10:02:03Z\",\"source\":null,"
              "\"title\":\"Ferry\",\"url\":null,\"byline\":null,\"lang\":null,\"text\":\"Text.\","
              "\"meta\":null,\"provenance\":[],\"earlier_versions\":["
              "{\"title\":\"Ferry (first)\",\"replaced_at\":\"2012-02-01T00:00:00Z\","
              "\"provenance\":[],\"text_kept\":false},"
              "{\"title\":\"Ferry (second)\",\"replaced_at\":\"2012-03-01T00:00:00Z\","
              "\"provenance\":[],\"text_kept\":true},"
              "{\"title\":\"Ferry (third)\",\"replaced_at\":\"2012-04-01T00:00:00Z\","
              "\"provenance\":[],\"text_kept\":true}],"
              "\"version_of\":null,\"superseded_by\":4,\"date_kind\":\"captured\",\"versions\":["
              "{\"id\":3,\"date\":\"2012-01-18T10:02:03Z\",\"date_kind\":\"captured\","
              "\"title\":\"Ferry\",\"current\":false,\"title_derived\":true},"
              "{\"id\":4,\"date\":\"2012-01-19\",\"date_kind\":\"published\","
              "\"title\":\"Ferry, later\",\"current\":true,\"title_derived\":false}],"
              "\"title_derived\":true}\n");
    free(buf);
}

/* The current version shown: both said on its line; an article of one version has no list
 * at all. */
static void test_article_current(void)
{
    struct search_article art = {.id = 4,
                                 .title = "Ferry, later",
                                 .date = "2012-01-19",
                                 .date_kind = "published",
                                 .version_of = 3,
                                 .versions = versions,
                                 .version_count = 2};
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    output_article(f, OUTPUT_TEXT, &art);
    art.version_count = 0;
    output_article(f, OUTPUT_JSON, &art);
    fclose(f);
    CHECK(strstr(buf, "versions:   3  2012-01-18T10:02:03Z (captured)  Ferry\n"
                      "            4  2012-01-19  Ferry, later  (current, shown)\n") != NULL);
    CHECK(strstr(buf, "superseded:") == NULL);
    CHECK(strstr(buf, "\"version_of\":3,\"superseded_by\":null,\"date_kind\":\"published\","
                      "\"versions\":[],\"title_derived\":false}\n") != NULL);
    free(buf);
}

int main(void)
{
    test_fields();
    test_hits();
    test_json_matches();
    test_version_fields();
    test_article();
    test_article_current();
    return check_report("test_output");
}
