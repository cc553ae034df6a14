/* test_output.c: the machine formats escape what they must. */
#include <stdlib.h>

#include "check.h"
#include "output.h"

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

int main(void)
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

    struct search_hit hit = {.rank = 1,
                             .id = 7,
                             .title = "Peace, talks",
                             .date = "2025-02-18",
                             .score = 1.5,
                             .snippet = "[peace] talks\n\nresume",
                             .story = 7,
                             .archive = "a.db"};
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    output_header(f, OUTPUT_CSV);
    output_hit(f, OUTPUT_CSV, &hit, false);
    output_hit(f, OUTPUT_JSON, &hit, false);
    output_hit(f, OUTPUT_TEXT, &hit, false);
    fclose(f);
    CHECK_STR(
        buf, "rank,id,source_id,date,source,title,url,byline,score,snippet,copies,story,archive\r\n"
             "1,7,,2025-02-18,,\"Peace, talks\",,,1.5,\"[peace] talks\n\nresume\",0,7,a.db\r\n"
             "{\"rank\":1,\"id\":7,\"source_id\":null,\"date\":\"2025-02-18\","
             "\"source\":null,\"title\":\"Peace, talks\",\"url\":null,\"byline\":null,"
             "\"score\":1.5,\"snippet\":\"[peace] talks\\n\\nresume\",\"copies\":0,"
             "\"story\":7,\"archive\":\"a.db\"}\n"
             "1. Peace, talks\n   2025-02-18 · id 7 · score 1.50 · a.db\n"
             "   [peace] talks resume\n\n");
    free(buf);

    /* A match standing for copies of its story says so; the new fields come last. */
    hit.copies = 3;
    hit.story = 2;
    buf = NULL;
    f = open_memstream(&buf, &len);
    output_hit(f, OUTPUT_TSV, &hit, false);
    output_hit(f, OUTPUT_TEXT, &hit, false);
    hit.copies = 1;
    output_hit(f, OUTPUT_TEXT, &hit, true);
    fclose(f);
    CHECK_STR(buf,
              "1\t7\t\t2025-02-18\t\tPeace, talks\t\t\t1.5\t[peace] talks\\n\\nresume\t3\t2\ta.db\n"
              "1. Peace, talks  (+3 copies)\n   2025-02-18 · id 7 · score 1.50 · a.db\n"
              "   [peace] talks resume\n\n"
              "1. \033[1mPeace, talks\033[0m  (+1 copy)\n   2025-02-18 · id 7 · score 1.50 · a.db\n"
              "   [peace] talks resume\n\n");
    free(buf);
    /* The bulk format: an action line with the content hash as the id, then the article. */
    hit.hash = "00112233445566778899AABBCCDDEEFF";
    hit.text = "Peace talks resume.\nMore.";
    buf = NULL;
    f = open_memstream(&buf, &len);
    output_hit(f, OUTPUT_BULK, &hit, false);
    fclose(f);
    CHECK_STR(buf, "{\"index\":{\"_id\":\"00112233445566778899AABBCCDDEEFF\"}}\n"
                   "{\"id\":7,\"source_id\":null,\"date\":\"2025-02-18\",\"source\":null,"
                   "\"title\":\"Peace, talks\",\"url\":null,\"byline\":null,"
                   "\"text\":\"Peace talks resume.\\nMore.\",\"archive\":\"a.db\",\"story\":2}\n");
    free(buf);
    return check_report("test_output");
}
