/* test_jsonl.c: JSON Lines parsing: field mapping, value forms, JSON syntax and its errors. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "jsonl.h"

/* One line and what it must give: the fields on success, or a status and a phrase of the
 * message on failure. */
struct jsonl_case {
    const char *line;
    enum news_status status;
    const char *title, *text, *date, *url, *source, *byline, *source_id;
    const char *msg;
};

static const struct jsonl_case cases[] = {
    /* Field names and their precedence. */
    {"{\"title\":\"T\",\"body\":\"B\",\"date\":\"2025-02-18\",\"url\":\"http://x/1\","
     "\"source\":\"Wire\",\"author\":\"Ann\",\"id\":\"a1\"}",
     NEWS_OK, "T", "B", "2025-02-18", "http://x/1", "Wire", "Ann", "a1", NULL},
    {"{\"headline\":\"H\",\"articleBody\":\"A\",\"datePublished\":\"d\",\"link\":\"l\","
     "\"publisher\":\"P\",\"byline\":\"By\",\"guid\":\"g\"}",
     NEWS_OK, "H", "A", "d", "l", "P", "By", "g", NULL},
    {"{\"name\":\"N\",\"summary\":\"S\",\"timestamp\":1739874600,\"permalink\":\"p\","
     "\"outlet\":\"O\",\"writer\":\"W\",\"article_id\":42}",
     NEWS_OK, "N", "S", "1739874600", "p", "O", "W", "42", NULL},
    /* The earlier key of a list wins, whatever the order in the line. */
    {"{\"summary\":\"s\",\"description\":\"d\",\"content\":\"c\",\"body\":\"b\",\"name\":\"n\","
     "\"title\":\"t\"}",
     NEWS_OK, "t", "b", NULL, NULL, NULL, NULL, NULL, NULL},
    {"{\"body\":\"b\",\"text\":\"x\",\"headline\":\"h\",\"name\":\"n\"}", NEWS_OK, "h", "b", NULL,
     NULL, NULL, NULL, NULL, NULL},
    /* ...but a key whose value gives nothing leaves the field to the next. */
    {"{\"content\":null,\"description\":\"d\",\"body\":\"  \"}", NEWS_OK, NULL, "d", NULL, NULL,
     NULL, NULL, NULL, NULL},
    /* Duplicate keys: the first wins, case-insensitively. */
    {"{\"title\":\"one\",\"Title\":\"two\",\"TITLE\":\"three\"}", NEWS_OK, "one", NULL, NULL, NULL,
     NULL, NULL, NULL, NULL},
    {"{\"title\":\"\",\"title\":\"second\"}", NEWS_OK, "second", NULL, NULL, NULL, NULL, NULL, NULL,
     NULL},
    /* Case-insensitive keys, snake and camel case. */
    {"{\"HEADLINE\":\"h\",\"Article_Body\":\"ab\",\"PUBLISHEDAT\":\"p\",\"Canonical_URL\":\"c\","
     "\"Site_Name\":\"s\",\"AUTHORS\":\"a\",\"DocId\":\"7\"}",
     NEWS_OK, "h", "ab", "p", "c", "s", "a", "7", NULL},
    /* Values: trimmed, empty is absent, booleans and null are absent. */
    {"{\"title\":\"  padded\\t\\n \",\"text\":\"\",\"url\":true,\"source\":false,\"id\":null}",
     NEWS_OK, "padded", NULL, NULL, NULL, NULL, NULL, NULL, NULL},
    /* Numbers keep their literal text. */
    {"{\"id\":-12.50e+3,\"timestamp\":0}", NEWS_OK, NULL, NULL, "0", NULL, NULL, NULL, "-12.50e+3",
     NULL},
    /* Arrays: strings and objects' names joined; other elements skipped. */
    {"{\"authors\":[\"Ann\",\" \",{\"name\":\"Bob\"},3,null,[\"x\"],{\"id\":1},\"Cy\"]}", NEWS_OK,
     NULL, NULL, NULL, NULL, NULL, "Ann, Bob, Cy", NULL, NULL},
    {"{\"author\":[],\"byline\":[1,2],\"creator\":[\"C\"]}", NEWS_OK, NULL, NULL, NULL, NULL, NULL,
     "C", NULL, NULL},
    /* Objects: "name", or "title"/"text" for the title and text. */
    {"{\"source\":{\"id\":null,\"name\":\"BBC News\"},\"author\":{\"url\":\"u\",\"Name\":\"Al\"},"
     "\"title\":{\"rendered\":\"r\",\"title\":\"T\"},\"body\":{\"text\":\"X\",\"name\":\"n\"}}",
     NEWS_OK, "T", "X", NULL, NULL, "BBC News", "Al", NULL, NULL},
    {"{\"title\":{\"name\":\"from name\"},\"text\":{\"name\":\"not text\"}}", NEWS_OK, "from name",
     NULL, NULL, NULL, NULL, NULL, NULL, NULL},
    {"{\"source\":{\"name\":{\"name\":\"deep\"}},\"publisher\":\"P\"}", NEWS_OK, NULL, NULL, NULL,
     NULL, "P", NULL, NULL, NULL},
    /* Unknown members are checked and skipped, nested values included. */
    {"{\"x\":{\"a\":[1,{\"b\":[true,false,null,\"s\\u00e9\"]}]},\"title\":\"t\",\"y\":[]}", NEWS_OK,
     "t", NULL, NULL, NULL, NULL, NULL, NULL, NULL},
    /* Escapes. */
    {"{\"text\":\"a\\\"b\\\\c\\/d\\be\\ff\\ng\\rh\\ti\"}", NEWS_OK, NULL,
     "a\"b\\c/d\be\ff\ng\rh\ti", NULL, NULL, NULL, NULL, NULL, NULL},
    {"{\"title\":\"caf\\u00E9 \\u20ac \\ud83d\\ude00 \\u4e2d\"}", NEWS_OK,
     "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 \xE4\xB8\xAD", NULL, NULL, NULL, NULL, NULL, NULL,
     NULL},
    {"{\"title\":\"a\\ud800b\\udc00c\\ud800\\u0041\\ud800\\ud800\\udc00\"}", NEWS_OK,
     "a\xEF\xBF\xBD"
     "b\xEF\xBF\xBD"
     "c\xEF\xBF\xBD"
     "A\xEF\xBF\xBD\xF0\x90\x80\x80",
     NULL, NULL, NULL, NULL, NULL, NULL, NULL},
    {"{\"title\":\"nul\\u0000dropped\"}", NEWS_OK, "nuldropped", NULL, NULL, NULL, NULL, NULL, NULL,
     NULL},
    /* Text keeps its newlines and inner spacing. */
    {"{\"text\":\"Para one.\\n\\nPara  two.\\r\\nEnd\"}", NEWS_OK, NULL,
     "Para one.\n\nPara  two.\r\nEnd", NULL, NULL, NULL, NULL, NULL, NULL},
    /* Raw UTF-8 passes through. */
    {"{\"title\":\"Z\xC3\xBCrich \xE2\x80\x94 \xE6\x9D\xB1\xE4\xBA\xAC\"}", NEWS_OK,
     "Z\xC3\xBCrich \xE2\x80\x94 \xE6\x9D\xB1\xE4\xBA\xAC", NULL, NULL, NULL, NULL, NULL, NULL,
     NULL},
    /* A raw tab inside a string: invalid JSON, but common in scrapes, and kept. */
    {"{\"title\":\"a\tb\"}", NEWS_OK, "a\tb", NULL, NULL, NULL, NULL, NULL, NULL, NULL},
    /* Whitespace around, a byte order mark, a trailing \r. */
    {" \t{ \"title\" : \"t\" , \"id\" : 5 } \r", NEWS_OK, "t", NULL, NULL, NULL, NULL, NULL, "5",
     NULL},
    {"\xEF\xBB\xBF{\"title\":\"bom\"}\r", NEWS_OK, "bom", NULL, NULL, NULL, NULL, NULL, NULL, NULL},
    {"{}", NEWS_OK, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL},
    {"{\"\":1,\"title\":\"empty key ok\"}", NEWS_OK, "empty key ok", NULL, NULL, NULL, NULL, NULL,
     NULL, NULL},

    /* Syntax errors, with the column. */
    {"{\"title\" \"x\"}", NEWS_ERR_FORMAT, .msg = "expected ':' after an object key at column 10"},
    {"{\"a\":1,\"title\" 5}", NEWS_ERR_FORMAT,
     .msg = "expected ':' after an object key at column 16"},
    {"{\"a\":1 \"b\":2}", NEWS_ERR_FORMAT,
     .msg = "expected ',' or '}' after an object member at column 8"},
    {"{\"a\":1,}", NEWS_ERR_FORMAT, .msg = "expected a string key at column 8"},
    {"{a:1}", NEWS_ERR_FORMAT, .msg = "expected a string key or '}' at column 2"},
    {"{\"a\":[1 2]}", NEWS_ERR_FORMAT,
     .msg = "expected ',' or ']' after an array element at column 9"},
    {"{\"a\":[1,]}", NEWS_ERR_FORMAT, .msg = "expected a value at column 9"},
    {"{\"a\":}", NEWS_ERR_FORMAT, .msg = "expected a value at column 6"},
    {"{\"title\":\"x}", NEWS_ERR_FORMAT, .msg = "string starting at column 10 is not closed"},
    {"{\"title\":\"x\\", NEWS_ERR_FORMAT, .msg = "string starting at column 10 is not closed"},
    {"{\"a\":1", NEWS_ERR_FORMAT,
     .msg = "expected ',' or '}' after an object member at column 7, but the line ends there"},
    {"{\"title\":\"a\\xb\"}", NEWS_ERR_FORMAT, .msg = "invalid escape sequence at column 12"},
    {"{\"title\":\"a\\u12g4\"}", NEWS_ERR_FORMAT,
     .msg = "\\u escape without 4 hex digits at column 12"},
    {"{\"title\":\"\\ud800\\u12\"}", NEWS_ERR_FORMAT,
     .msg = "\\u escape without 4 hex digits at column 17"},
    {"{\"id\":01}", NEWS_ERR_FORMAT, .msg = "number with a leading zero at column 7"},
    {"{\"id\":-}", NEWS_ERR_FORMAT, .msg = "expected a digit after '-' at column 8"},
    {"{\"id\":1.}", NEWS_ERR_FORMAT, .msg = "expected a digit after the decimal point at column 9"},
    {"{\"id\":1e+}", NEWS_ERR_FORMAT, .msg = "expected a digit in the exponent at column 10"},
    {"{\"id\":+1}", NEWS_ERR_FORMAT, .msg = "expected a value at column 7"},
    {"{\"id\":.5}", NEWS_ERR_FORMAT, .msg = "expected a value at column 7"},
    {"{\"a\":tru}", NEWS_ERR_FORMAT, .msg = "expected true, false or null at column 6"},
    {"{\"a\":nulL}", NEWS_ERR_FORMAT, .msg = "expected true, false or null at column 6"},
    {"{\"a\":NaN}", NEWS_ERR_FORMAT, .msg = "expected a value at column 6"},
    {"{\"a\":'x'}", NEWS_ERR_FORMAT, .msg = "expected a value at column 6"},
    {"{\"a\":1}x", NEWS_ERR_FORMAT, .msg = "unexpected text after the object at column 8"},
    {"{\"a\":1} {\"b\":2}", NEWS_ERR_FORMAT, .msg = "unexpected text after the object at column 9"},
    {"[{\"title\":\"t\"}]", NEWS_ERR_FORMAT, .msg = "expected a JSON object ('{') at column 1"},
    {"  \"just a string\"", NEWS_ERR_FORMAT, .msg = "expected a JSON object ('{') at column 3"},
    {"42", NEWS_ERR_FORMAT, .msg = "JSON object"},
    {"", NEWS_ERR_FORMAT, .msg = "blank line"},
    {" \t\r", NEWS_ERR_FORMAT, .msg = "blank line"},
    {"{", NEWS_ERR_FORMAT, .msg = "expected a string key or '}' at column 2, but the line ends"},
    {"{\"title\":\"ok\",\"x\":[}", NEWS_ERR_FORMAT, .msg = "expected a value at column 20"},
    /* An error in a member no field wants is still an error. */
    {"{\"title\":\"t\",\"zz\":{\"q\":[1,2,}]}}", NEWS_ERR_FORMAT,
     .msg = "expected a value at column 29"},
    /* ...and in a field value that lost to a better key. */
    {"{\"title\":\"t\",\"name\":\"\\q\"}", NEWS_ERR_FORMAT,
     .msg = "invalid escape sequence at column 22"},
};

static void check_case(const struct jsonl_case *c)
{
    size_t len = strlen(c->line);
    /* An exact-size copy, so the sanitizer catches any read past len. */
    char *line = malloc(len ? len : 1);
    memcpy(line, c->line, len);
    struct article a = {0};
    struct news_error err = {{0}};
    enum news_status st = jsonl_parse(line, len, &a, &err);
    CHECK_INT(st, c->status);
    if (st != c->status) fprintf(stderr, "  line: %s\n  msg: %s\n", c->line, err.msg);
    if (c->status == NEWS_OK) {
        CHECK_STR(a.title, c->title);
        CHECK_STR(a.text, c->text);
        CHECK_STR(a.date, c->date);
        CHECK_STR(a.url, c->url);
        CHECK_STR(a.source, c->source);
        CHECK_STR(a.byline, c->byline);
        CHECK_STR(a.source_id, c->source_id);
    } else {
        struct article zero = {0};
        CHECK(memcmp(&a, &zero, sizeof a) == 0);
        CHECK(strstr(err.msg, c->msg) != NULL);
        if (!strstr(err.msg, c->msg))
            fprintf(stderr, "  line: %s\n  got:  %s\n  want: %s\n", c->line, err.msg, c->msg);
    }
    article_clear(&a);
    free(line);
}

/* Parses s (NUL-terminated) and returns the status; the article is discarded. */
static enum news_status parse_str(const char *s, struct news_error *err)
{
    struct article a = {0};
    enum news_status st = jsonl_parse(s, strlen(s), &a, err);
    article_clear(&a);
    return st;
}

/* Nesting: JSONL_MAX_DEPTH levels parse, one more is NEWS_ERR_LIMIT. */
static void check_depth(void)
{
    char line[512];
    struct news_error err;
    for (int extra = 0; extra <= 1; extra++) {
        size_t n = 0;
        int levels = JSONL_MAX_DEPTH - 1 + extra; /* arrays inside the line's own object */
        n += (size_t)sprintf(line + n, "{\"x\":");
        for (int i = 0; i < levels; i++)
            line[n++] = '[';
        for (int i = 0; i < levels; i++)
            line[n++] = ']';
        line[n++] = '}';
        line[n] = '\0';
        CHECK_INT(parse_str(line, &err), extra ? NEWS_ERR_LIMIT : NEWS_OK);
        if (extra) CHECK(strstr(err.msg, "deeper than 64 levels at column 69") != NULL);
    }
    /* Deep objects inside a field's array. */
    CHECK_INT(parse_str("{\"authors\":[{\"name\":\"A\",\"x\":{\"y\":{}}}]}", &err), NEWS_OK);
    /* Far too deep, unclosed: an error, not a stack overflow. */
    size_t big = 100000;
    char *deep = malloc(big + 2);
    static const char head[] = "{\"a\":";
    memcpy(deep, head, sizeof head); /* the NUL is overwritten: the line has no terminator */
    memset(deep + 5, '[', big - 5);
    struct article a = {0};
    CHECK_INT(jsonl_parse(deep, big, &a, &err), NEWS_ERR_LIMIT);
    free(deep);
}

/* Embedded NUL bytes: an error outside strings and inside them (unescaped control). */
static void check_nul_bytes(void)
{
    static const char outside[] = "{\"a\":1,\0\"b\":2}";
    static const char inside[] = "{\"title\":\"a\0b\"}";
    struct article a = {0};
    struct news_error err;
    CHECK_INT(jsonl_parse(outside, sizeof outside - 1, &a, &err), NEWS_ERR_FORMAT);
    CHECK_INT(jsonl_parse(inside, sizeof inside - 1, &a, &err), NEWS_ERR_FORMAT);
    CHECK(strstr(err.msg, "control character 0x00") != NULL);
    /* The length is honoured: the bytes after len are not read. */
    static const char prefix[] = "{\"title\":\"t\"}GARBAGE";
    CHECK_INT(jsonl_parse(prefix, 13, &a, &err), NEWS_OK);
    CHECK_STR(a.title, "t");
    article_clear(&a);
    CHECK_INT(jsonl_parse(NULL, 0, &a, &err), NEWS_ERR_FORMAT);
}

/* Large inputs stay linear: a long text, many array elements, many members, many escapes. */
static void check_large(void)
{
    size_t n = (size_t)8 << 20;
    char *line = malloc(n + 64);
    struct article a = {0};
    struct news_error err;
    clock_t t0 = clock();

    /* One long text of escapes. */
    size_t len = (size_t)sprintf(line, "{\"text\":\"");
    while (len < n)
        len += (size_t)sprintf(line + len, "\\u00e9\\n");
    len += (size_t)sprintf(line + len, "\"}");
    CHECK_INT(jsonl_parse(line, len, &a, &err), NEWS_OK);
    CHECK(a.text && strlen(a.text) == (n - 9 + 7) / 8 * 3 - 1);
    article_clear(&a);

    /* Many array elements joined. */
    len = (size_t)sprintf(line, "{\"authors\":[");
    size_t count = 0;
    while (len < n) {
        len += (size_t)sprintf(line + len, "\"ab\",");
        count++;
    }
    len += (size_t)sprintf(line + len, "\"z\"]}");
    CHECK_INT(jsonl_parse(line, len, &a, &err), NEWS_OK);
    CHECK(a.byline && strlen(a.byline) == count * 4 + 1);
    article_clear(&a);

    /* Many members, each a candidate key that loses or ties. */
    len = (size_t)sprintf(line, "{\"summary\":\"s\"");
    while (len < n)
        len += (size_t)sprintf(line + len, ",\"summary\":\"x\",\"text\":\"t\"");
    len += (size_t)sprintf(line + len, "}");
    CHECK_INT(jsonl_parse(line, len, &a, &err), NEWS_OK);
    CHECK_STR(a.text, "t");
    article_clear(&a);

    double seconds = (double)(clock() - t0) / CLOCKS_PER_SEC;
    CHECK(seconds < 20.0); /* quadratic work would take hours */
    free(line);
}

/* The error struct may be NULL. */
static void check_null_err(void)
{
    struct article a = {0};
    CHECK_INT(jsonl_parse("{", 1, &a, NULL), NEWS_ERR_FORMAT);
    CHECK_INT(jsonl_parse("{\"title\":\"t\"}", 13, &a, NULL), NEWS_OK);
    CHECK_STR(a.title, "t");
    article_clear(&a);
}

/* Whole documents: what reaches the sink. */
struct doc_seen {
    char titles[256];
    size_t emitted, rejected, last_record;
};

static bool doc_emit(void *ctx, struct reader_record *rec)
{
    struct doc_seen *seen = ctx;
    size_t n = strlen(seen->titles);
    snprintf(seen->titles + n, sizeof seen->titles - n, "%s|",
             rec->article.title ? rec->article.title : "-");
    seen->emitted++;
    seen->last_record = rec->record;
    CHECK(rec->raw_len > 0 && rec->raw[0] == '{');
    return true;
}

static void doc_reject(void *ctx, size_t record, uint64_t offset, const char *message)
{
    struct doc_seen *seen = ctx;
    (void)offset, (void)message;
    seen->rejected++;
    seen->last_record = record;
}

static void check_document(const char *doc, enum news_status want, const char *titles,
                           size_t rejected)
{
    struct doc_seen seen = {{0}, 0, 0, 0};
    struct reader_sink sink = {doc_emit, doc_reject, &seen};
    struct news_error err;
    CHECK_INT(jsonl_parse_document(doc, strlen(doc), &sink, &err), want);
    CHECK_STR(seen.titles, titles);
    CHECK_INT(seen.rejected, rejected);
}

static void check_documents(void)
{
    check_document("[{\"title\":\"a\"},\n {\"title\":\"b\"}, 3]", NEWS_OK, "a|b|", 1);
    check_document("{\"title\":\"feed\",\n \"items\":[{\"title\":\"i1\"},{\"title\":\"i2\"}]}",
                   NEWS_OK, "i1|i2|", 0);
    check_document("{\"status\":\"ok\",\"articles\":[{\"title\":\"n\"}]}", NEWS_OK, "n|", 0);
    check_document("{\n  \"title\": \"single\",\n  \"body\": \"text\"\n}\n", NEWS_OK, "single|", 0);
    check_document("[]", NEWS_OK, "", 0);
    check_document("[{\"title\":\"a\"}", NEWS_ERR_FORMAT, "a|", 0); /* cut short */
    check_document("\"just a string\"", NEWS_ERR_FORMAT, "", 0);
    check_document("[{\"title\":\"a\"}] trailing", NEWS_ERR_FORMAT, "a|", 0);
}

int main(void)
{
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check_case(&cases[i]);
    check_depth();
    check_nul_bytes();
    check_large();
    check_null_err();
    check_documents();
    return check_report("test_jsonl");
}
