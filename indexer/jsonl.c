/* jsonl.c: a strict recursive-descent JSON parser (RFC 8259) that maps the members of one
 * line's object onto struct article. Work is linear in the line: every byte is scanned
 * once, and a value is decoded only when it may become a field. */
#include "jsonl.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

struct parser {
    const char *s;
    size_t len;
    size_t pos;     /* next byte to read */
    unsigned depth; /* objects and arrays open at pos */
    struct news_error *err;
    struct buf key; /* the object key just read; valid until the next key */
    struct buf str; /* a string value being taken */
};

enum field { F_TITLE, F_TEXT, F_DATE, F_URL, F_SOURCE, F_BYLINE, F_SOURCE_ID, FIELD_COUNT };

/* For each field: the keys that fill it, best first, and the members of an object value
 * that give its text, best first. NULL-terminated. */
static const char *const title_keys[] = {"title", "headline", "name", NULL};
static const char *const text_keys[] = {
    "body",         "text",      "content",     "article", "articleBody",
    "article_body", "full_text", "description", "summary", NULL};
static const char *const date_keys[] = {
    "date",        "published", "datePublished", "date_published", "published_at",
    "publishedAt", "pubDate",   "publish_date",  "created_at",     "timestamp",
    NULL};
static const char *const url_keys[] = {"url", "link", "uri", "canonical_url", "permalink", NULL};
static const char *const source_keys[] = {"source",    "publication", "publisher", "site",
                                          "site_name", "source_name", "outlet",    NULL};
static const char *const byline_keys[] = {"author", "byline", "authors", "creator", "writer", NULL};
static const char *const source_id_keys[] = {"id",     "_id",   "guid",       "uuid",
                                             "doc_id", "docid", "article_id", NULL};

static const char *const title_members[] = {"title", "name", NULL};
static const char *const text_members[] = {"text", NULL};
static const char *const name_members[] = {"name", NULL};

static const struct {
    const char *const *keys;
    const char *const *members;
} fields[FIELD_COUNT] = {
    [F_TITLE] = {title_keys, title_members},        [F_TEXT] = {text_keys, text_members},
    [F_DATE] = {date_keys, name_members},           [F_URL] = {url_keys, name_members},
    [F_SOURCE] = {source_keys, name_members},       [F_BYLINE] = {byline_keys, name_members},
    [F_SOURCE_ID] = {source_id_keys, name_members},
};

/* No rank yet: any key of the list may fill the field. */
#define RANK_NONE SIZE_MAX

/* The article being filled and, per field, the list position of the key that filled it. */
struct capture {
    struct article art;
    size_t rank[FIELD_COUNT];
};

/* An object value reduced to one member: the best of names seen so far. */
struct pick {
    const char *const *names;
    char *value;
    size_t rank;
};

/* Array elements joined with ", ". */
struct join {
    struct buf out;
};

typedef enum news_status (*member_fn)(struct parser *p, const char *key, size_t key_len, void *ctx);
typedef enum news_status (*element_fn)(struct parser *p, void *ctx);

static enum news_status skip_value(struct parser *p);

/* JSON's whitespace, and the whitespace trimmed from values (which adds \f and \v). */
static bool is_json_space(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool is_trim_space(int c)
{
    return is_json_space(c) || c == '\f' || c == '\v';
}

/* ASCII digits only, whatever the locale. */
static bool is_digit(int c)
{
    return c >= '0' && c <= '9';
}

/* Folds ASCII letters only, for the case-insensitive keys. */
static int ascii_lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* The byte at pos, or -1 at the end of the line. */
static int peek(const struct parser *p)
{
    return p->pos < p->len ? (unsigned char)p->s[p->pos] : -1;
}

/* Steps over JSON whitespace. */
static void skip_ws(struct parser *p)
{
    while (p->pos < p->len && is_json_space((unsigned char)p->s[p->pos]))
        p->pos++;
}

/* Reports that what was expected is not at pos. Returns NEWS_ERR_FORMAT. */
static enum news_status expected(const struct parser *p, const char *what)
{
    if (p->pos >= p->len)
        return news_error_set(p->err, NEWS_ERR_FORMAT,
                              "expected %s at column %zu, but the line ends there", what,
                              p->pos + 1);
    return news_error_set(p->err, NEWS_ERR_FORMAT, "expected %s at column %zu", what, p->pos + 1);
}

/* Enters an object or array at pos. Returns NEWS_ERR_LIMIT past JSONL_MAX_DEPTH. */
static enum news_status enter(struct parser *p)
{
    if (p->depth >= JSONL_MAX_DEPTH)
        return news_error_set(p->err, NEWS_ERR_LIMIT,
                              "objects and arrays nested deeper than %d levels at column %zu",
                              JSONL_MAX_DEPTH, p->pos + 1);
    p->depth++;
    p->pos++;
    return NEWS_OK;
}

/* Whether the key (key_len bytes) is name, ignoring ASCII case. */
static bool key_is(const char *key, size_t key_len, const char *name)
{
    size_t i = 0;
    for (; i < key_len && name[i]; i++)
        if (ascii_lower((unsigned char)key[i]) != ascii_lower((unsigned char)name[i])) return false;
    return i == key_len && name[i] == '\0';
}

/* The position of the key in names, or RANK_NONE. */
static size_t key_rank(const char *key, size_t key_len, const char *const *names)
{
    for (size_t i = 0; names[i]; i++)
        if (key_is(key, key_len, names[i])) return i;
    return RANK_NONE;
}

/* The article's string that field f fills. */
static char **field_slot(struct article *a, enum field f)
{
    switch (f) {
    case F_TITLE:
        return &a->title;
    case F_TEXT:
        return &a->text;
    case F_DATE:
        return &a->date;
    case F_URL:
        return &a->url;
    case F_SOURCE:
        return &a->source;
    case F_BYLINE:
        return &a->byline;
    case F_SOURCE_ID:
    case FIELD_COUNT:
        break;
    }
    return &a->source_id;
}

/* Reads 4 hex digits at at; false if they are not all there. */
static bool read_hex4(const struct parser *p, size_t at, unsigned *out)
{
    if (at > p->len || p->len - at < 4) return false;
    unsigned v = 0;
    for (size_t i = 0; i < 4; i++) {
        int c = (unsigned char)p->s[at + i];
        unsigned d;
        if (c >= '0' && c <= '9')
            d = (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            d = (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            d = (unsigned)(c - 'A' + 10);
        else
            return false;
        v = v << 4 | d;
    }
    *out = v;
    return true;
}

/* Appends code point cp (not a surrogate, at most U+10FFFF) as UTF-8. */
static void push_utf8(struct buf *b, unsigned cp)
{
    char u[4];
    size_t n;
    if (cp < 0x80) {
        u[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | cp >> 6);
        u[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | cp >> 12);
        u[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        u[0] = (char)(0xF0 | cp >> 18);
        u[1] = (char)(0x80 | (cp >> 12 & 0x3F));
        u[2] = (char)(0x80 | (cp >> 6 & 0x3F));
        u[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    buf_add(b, u, n);
}

/* Decodes the \u escape whose 'u' is at pos (the backslash is at pos - 1), combining a
 * surrogate pair; a lone surrogate becomes U+FFFD and U+0000 is dropped. Appends to out
 * when out is not NULL. */
static enum news_status parse_u_escape(struct parser *p, struct buf *out)
{
    unsigned cp, low;
    if (!read_hex4(p, p->pos + 1, &cp))
        return news_error_set(p->err, NEWS_ERR_FORMAT,
                              "\\u escape without 4 hex digits at column %zu", p->pos);
    p->pos += 5;
    if (cp >= 0xD800 && cp <= 0xDBFF) {
        if (p->len - p->pos >= 6 && p->s[p->pos] == '\\' && p->s[p->pos + 1] == 'u' &&
            read_hex4(p, p->pos + 2, &low) && low >= 0xDC00 && low <= 0xDFFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            p->pos += 6;
        } else {
            cp = 0xFFFD; /* the next escape, if any, is read on its own */
        }
    } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
        cp = 0xFFFD;
    }
    if (out && cp != 0) push_utf8(out, cp);
    return NEWS_OK;
}

/* Reads the string whose opening quote is at pos, appending its decoded bytes to out when
 * out is not NULL. */
static enum news_status parse_string(struct parser *p, struct buf *out)
{
    size_t start = p->pos++;
    for (;;) {
        size_t run = p->pos;
        while (p->pos < p->len) {
            unsigned char c = (unsigned char)p->s[p->pos];
            /* Raw tabs and other control characters are invalid JSON, but scrapers write
             * them: they are kept (the cleaner normalises them). Only NUL is refused. */
            if (c == '"' || c == '\\' || c == 0) break;
            p->pos++;
        }
        if (out) buf_add(out, p->s + run, p->pos - run);
        if (p->pos >= p->len)
            return news_error_set(p->err, NEWS_ERR_FORMAT,
                                  "string starting at column %zu is not closed", start + 1);
        unsigned char c = (unsigned char)p->s[p->pos];
        if (c == '"') {
            p->pos++;
            return NEWS_OK;
        }
        if (c == 0)
            return news_error_set(p->err, NEWS_ERR_FORMAT,
                                  "unescaped control character 0x00 in a string at column %zu",
                                  p->pos + 1);
        p->pos++; /* the backslash */
        const char *decoded = NULL;
        switch (peek(p)) {
        case '"':
            decoded = "\"";
            break;
        case '\\':
            decoded = "\\";
            break;
        case '/':
            decoded = "/";
            break;
        case 'b':
            decoded = "\b";
            break;
        case 'f':
            decoded = "\f";
            break;
        case 'n':
            decoded = "\n";
            break;
        case 'r':
            decoded = "\r";
            break;
        case 't':
            decoded = "\t";
            break;
        case 'u': {
            enum news_status st = parse_u_escape(p, out);
            if (st != NEWS_OK) return st;
            continue;
        }
        case -1:
            return news_error_set(p->err, NEWS_ERR_FORMAT,
                                  "string starting at column %zu is not closed", start + 1);
        default:
            return news_error_set(p->err, NEWS_ERR_FORMAT, "invalid escape sequence at column %zu",
                                  p->pos);
        }
        if (out) buf_add(out, decoded, 1);
        p->pos++;
    }
}

/* Steps over a run of digits, possibly empty. */
static void skip_digits(struct parser *p)
{
    while (p->pos < p->len && is_digit((unsigned char)p->s[p->pos]))
        p->pos++;
}

/* Reads the number at pos: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static enum news_status parse_number(struct parser *p)
{
    if (peek(p) == '-') p->pos++;
    if (peek(p) == '0') {
        p->pos++;
        if (is_digit(peek(p)))
            return news_error_set(p->err, NEWS_ERR_FORMAT,
                                  "number with a leading zero at column %zu", p->pos);
    } else if (is_digit(peek(p))) {
        skip_digits(p);
    } else {
        return expected(p, "a digit after '-'");
    }
    if (peek(p) == '.') {
        p->pos++;
        if (!is_digit(peek(p))) return expected(p, "a digit after the decimal point");
        skip_digits(p);
    }
    if (peek(p) == 'e' || peek(p) == 'E') {
        p->pos++;
        if (peek(p) == '+' || peek(p) == '-') p->pos++;
        if (!is_digit(peek(p))) return expected(p, "a digit in the exponent");
        skip_digits(p);
    }
    return NEWS_OK;
}

/* Reads true, false or null at pos. */
static enum news_status parse_literal(struct parser *p)
{
    static const char *const words[] = {"true", "false", "null"};
    for (size_t i = 0; i < 3; i++) {
        size_t n = strlen(words[i]);
        if (p->len - p->pos >= n && memcmp(p->s + p->pos, words[i], n) == 0) {
            p->pos += n;
            return NEWS_OK;
        }
    }
    return expected(p, "true, false or null");
}

/* Reads the object whose '{' is at pos. fn reads each member's value (it is called with pos
 * after the ':'); with fn NULL the values are only checked. */
static enum news_status parse_object(struct parser *p, member_fn fn, void *ctx)
{
    enum news_status st = enter(p);
    if (st != NEWS_OK) return st;
    skip_ws(p);
    if (peek(p) == '}') {
        p->pos++;
        p->depth--;
        return NEWS_OK;
    }
    for (bool first = true;; first = false) {
        skip_ws(p);
        if (peek(p) != '"') return expected(p, first ? "a string key or '}'" : "a string key");
        p->key.len = 0;
        st = parse_string(p, fn ? &p->key : NULL);
        if (st != NEWS_OK) return st;
        skip_ws(p);
        if (peek(p) != ':') return expected(p, "':' after an object key");
        p->pos++;
        st = fn ? fn(p, p->key.data ? p->key.data : "", p->key.len, ctx) : skip_value(p);
        if (st != NEWS_OK) return st;
        skip_ws(p);
        if (peek(p) == ',') {
            p->pos++;
        } else if (peek(p) == '}') {
            p->pos++;
            p->depth--;
            return NEWS_OK;
        } else {
            return expected(p, "',' or '}' after an object member");
        }
    }
}

/* Reads the array whose '[' is at pos. fn reads each element (it is called with pos at
 * the element or the whitespace before it); with fn NULL the elements are only checked. */
static enum news_status parse_array(struct parser *p, element_fn fn, void *ctx)
{
    enum news_status st = enter(p);
    if (st != NEWS_OK) return st;
    skip_ws(p);
    if (peek(p) == ']') {
        p->pos++;
        p->depth--;
        return NEWS_OK;
    }
    for (;;) {
        st = fn ? fn(p, ctx) : skip_value(p);
        if (st != NEWS_OK) return st;
        skip_ws(p);
        if (peek(p) == ',') {
            p->pos++;
        } else if (peek(p) == ']') {
            p->pos++;
            p->depth--;
            return NEWS_OK;
        } else {
            return expected(p, "',' or ']' after an array element");
        }
    }
}

/* Checks the value at pos (after any whitespace) and steps over it. */
static enum news_status skip_value(struct parser *p)
{
    skip_ws(p);
    int c = peek(p);
    switch (c) {
    case '{':
        return parse_object(p, NULL, NULL);
    case '[':
        return parse_array(p, NULL, NULL);
    case '"':
        return parse_string(p, NULL);
    case 't':
    case 'f':
    case 'n':
        return parse_literal(p);
    default:
        if (c == '-' || is_digit(c)) return parse_number(p);
        return expected(p, "a value");
    }
}

/* Reads the string at pos into p->str and returns it trimmed: a pointer into p->str and its
 * length (0 for nothing left). */
static enum news_status take_string(struct parser *p, const char **text, size_t *len)
{
    p->str.len = 0;
    enum news_status st = parse_string(p, &p->str);
    if (st != NEWS_OK) return st;
    const char *b = p->str.data ? p->str.data : "";
    size_t n = p->str.len;
    while (n > 0 && is_trim_space((unsigned char)b[n - 1]))
        n--;
    while (n > 0 && is_trim_space((unsigned char)*b)) {
        b++;
        n--;
    }
    *text = b;
    *len = n;
    return NEWS_OK;
}

/* A member of an object value: keeps the string of the best of pick->names. */
static enum news_status pick_member(struct parser *p, const char *key, size_t key_len, void *ctx)
{
    struct pick *k = ctx;
    size_t rank = key_rank(key, key_len, k->names);
    skip_ws(p);
    if (rank >= k->rank || peek(p) != '"') return skip_value(p);
    const char *text;
    size_t len;
    enum news_status st = take_string(p, &text, &len);
    if (st != NEWS_OK || len == 0) return st;
    free(k->value);
    k->value = news_xstrndup(text, len);
    k->rank = rank;
    return NEWS_OK;
}

/* Reads the object at pos and returns in *out (malloc'd, or NULL) the string of its best
 * member of names. */
static enum news_status pick_object(struct parser *p, const char *const *names, char **out)
{
    struct pick k = {names, NULL, RANK_NONE};
    enum news_status st = parse_object(p, pick_member, &k);
    if (st != NEWS_OK) {
        free(k.value);
        return st;
    }
    *out = k.value;
    return NEWS_OK;
}

/* Adds one non-empty item to the list. */
static void join_push(struct join *j, const char *text, size_t len)
{
    if (len == 0) return;
    if (j->out.len > 0) buf_add(&j->out, ", ", 2);
    buf_add(&j->out, text, len);
}

/* An array element: a string, or an object's "name", joins the list; others are skipped. */
static enum news_status join_element(struct parser *p, void *ctx)
{
    struct join *j = ctx;
    enum news_status st;
    skip_ws(p);
    if (peek(p) == '"') {
        const char *text;
        size_t len;
        st = take_string(p, &text, &len);
        if (st == NEWS_OK) join_push(j, text, len);
        return st;
    }
    if (peek(p) == '{') {
        char *name = NULL;
        st = pick_object(p, name_members, &name);
        if (name) join_push(j, name, strlen(name));
        free(name);
        return st;
    }
    return skip_value(p);
}

/* Reads the value at pos as field f's text: *out is a malloc'd string, or NULL when the
 * value gives nothing. */
static enum news_status field_value(struct parser *p, enum field f, char **out)
{
    enum news_status st;
    skip_ws(p);
    int c = peek(p);
    if (c == '"') {
        const char *text;
        size_t len;
        st = take_string(p, &text, &len);
        if (st == NEWS_OK && len > 0) *out = news_xstrndup(text, len);
        return st;
    }
    if (c == '-' || is_digit(c)) {
        size_t start = p->pos;
        st = parse_number(p);
        if (st == NEWS_OK) *out = news_xstrndup(p->s + start, p->pos - start);
        return st;
    }
    if (c == '[') {
        struct join j = {{NULL, 0, 0}};
        st = parse_array(p, join_element, &j);
        if (st == NEWS_OK && j.out.len > 0) {
            *out = buf_take(&j.out);
            return st;
        }
        free(j.out.data);
        return st;
    }
    if (c == '{') return pick_object(p, fields[f].members, out);
    return skip_value(p);
}

/* A member of the line's object: fills the field its key names, unless a better key has. */
static enum news_status top_member(struct parser *p, const char *key, size_t key_len, void *ctx)
{
    struct capture *cap = ctx;
    for (int f = 0; f < FIELD_COUNT; f++) {
        size_t rank = key_rank(key, key_len, fields[f].keys);
        if (rank == RANK_NONE) continue;
        if (rank >= cap->rank[f]) break;
        char *value = NULL;
        enum news_status st = field_value(p, (enum field)f, &value);
        if (st != NEWS_OK || !value) return st;
        char **slot = field_slot(&cap->art, (enum field)f);
        free(*slot);
        *slot = value;
        cap->rank[f] = rank;
        return NEWS_OK;
    }
    return skip_value(p);
}

enum news_status jsonl_parse(const char *line, size_t len, struct article *out,
                             struct news_error *err)
{
    struct parser p = {.s = line ? line : "", .len = line ? len : 0, .err = err};
    struct capture cap = {.art = {0}};
    for (int f = 0; f < FIELD_COUNT; f++)
        cap.rank[f] = RANK_NONE;
    enum news_status st;
    if (p.len >= 3 && memcmp(p.s, "\xEF\xBB\xBF", 3) == 0) p.pos = 3; /* a file's first line */
    skip_ws(&p);
    if (p.pos >= p.len) {
        st = news_error_set(err, NEWS_ERR_FORMAT, "blank line: expected a JSON object");
        goto done;
    }
    if (peek(&p) != '{') {
        st = expected(&p, "a JSON object ('{')");
        goto done;
    }
    st = parse_object(&p, top_member, &cap);
    if (st != NEWS_OK) goto done;
    skip_ws(&p);
    if (p.pos < p.len) {
        st = news_error_set(err, NEWS_ERR_FORMAT, "unexpected text after the object at column %zu",
                            p.pos + 1);
        goto done;
    }
    *out = cap.art;
    memset(&cap.art, 0, sizeof cap.art);
done:
    article_clear(&cap.art);
    free(p.key.data);
    free(p.str.data);
    return st;
}

/* ---- whole JSON documents ---- */

/* A walk over a document's articles. */
struct doc_walk {
    const struct reader_sink *sink;
    size_t record; /* elements seen */
    bool stop;     /* the sink asked to stop */
    bool has_list; /* a list of articles was found */
};

/* Members whose array value is the document's list of articles (JSON Feed's items, the
 * articles of news APIs and exports). */
static const char *const list_keys[] = {"items",     "articles", "entries", "results", "data",
                                        "documents", "docs",     "news",    "stories", NULL};

/* One element of the list: an object is an article, anything else is reported. */
static enum news_status doc_element(struct parser *p, void *ctx)
{
    struct doc_walk *w = ctx;
    skip_ws(p);
    size_t start = p->pos;
    enum news_status st = skip_value(p);
    if (st != NEWS_OK) return st;
    size_t end = p->pos;
    w->record++;
    if (w->stop) return NEWS_OK;
    struct reader_record rec = {
        .record = w->record, .offset = start, .raw = p->s + start, .raw_len = end - start};
    struct news_error e;
    if (p->s[start] != '{') {
        w->sink->reject(w->sink->ctx, w->record, start, "not a JSON object");
    } else if (jsonl_parse(p->s + start, end - start, &rec.article, &e) != NEWS_OK) {
        w->sink->reject(w->sink->ctx, w->record, start, e.msg);
    } else {
        w->stop = !w->sink->emit(w->sink->ctx, &rec);
        article_clear(&rec.article);
    }
    return NEWS_OK;
}

static enum news_status doc_member(struct parser *p, const char *key, size_t key_len, void *ctx)
{
    struct doc_walk *w = ctx;
    skip_ws(p);
    if (!w->has_list && peek(p) == '[' && key_rank(key, key_len, list_keys) != RANK_NONE) {
        w->has_list = true;
        return parse_array(p, doc_element, w);
    }
    return skip_value(p);
}

enum news_status jsonl_parse_document(const char *doc, size_t len, const struct reader_sink *sink,
                                      struct news_error *err)
{
    struct parser p = {.s = doc ? doc : "", .len = doc ? len : 0, .err = err};
    struct doc_walk w = {.sink = sink};
    enum news_status st;
    if (p.len >= 3 && memcmp(p.s, "\xEF\xBB\xBF", 3) == 0) p.pos = 3;
    skip_ws(&p);
    size_t start = p.pos;
    if (peek(&p) == '[') {
        w.has_list = true;
        st = parse_array(&p, doc_element, &w);
    } else if (peek(&p) == '{') {
        st = parse_object(&p, doc_member, &w);
    } else {
        st = expected(&p, "a JSON object or array");
    }
    if (st == NEWS_OK) {
        skip_ws(&p);
        if (p.pos < p.len)
            st = news_error_set(err, NEWS_ERR_FORMAT,
                                "unexpected text after the document at "
                                "byte %zu",
                                p.pos + 1);
    }
    if (st == NEWS_OK && !w.has_list) {
        /* One object that is itself the article. */
        struct reader_record rec = {
            .record = 1, .offset = start, .raw = p.s + start, .raw_len = p.len - start};
        st = jsonl_parse(p.s + start, p.len - start, &rec.article, err);
        if (st == NEWS_OK) {
            sink->emit(sink->ctx, &rec);
            article_clear(&rec.article);
        }
    }
    free(p.key.data);
    free(p.str.data);
    return st;
}
