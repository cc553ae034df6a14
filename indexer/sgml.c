/* sgml.c: Reuters-21578 and TREC records read as tag soup: elements are found by scanning
 * for their start and end tags (case-insensitive), text is decoded and reflowed into
 * paragraphs. Work is linear in the record: a constant number of forward scans per record,
 * and loops over repeated elements (<D>, TREC's <TEXT>) stop at the first unclosed one. */
#include "sgml.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "utf8.h"

/* Largest record accepted. The reader's own limit is lower; this one keeps the parser's
 * contract on its own (every output buffer is at most about the record's size). */
#define MAX_RECORD_BYTES ((size_t)64 << 20)

/* Longest entity name looked up ("&hyph;"), and most digits read in "&#...;". */
#define MAX_ENTITY_NAME 8
#define MAX_REF_DIGITS 8

/* A part of the record: [s, end). */
struct span {
    const char *s, *end;
};

/* One element found in a span. content is between the tags; after is where scanning for
 * the next sibling resumes. closed is false when the end tag is missing. */
struct element {
    const char *tag;      /* the '<' of the start tag */
    const char *attr;     /* just past the element name in the start tag */
    const char *attr_end; /* the start tag's '>' */
    struct span content;
    const char *after;
    bool closed;
};

/* Text being reflowed. In flat mode (titles, dates, list items) everything becomes one
 * line with single spaces; otherwise lines are joined into paragraphs separated by one
 * blank line: a blank line, a paragraph tag, or a line that starts with whitespace after
 * another line starts a new paragraph. */
struct para {
    struct buf out;
    bool flat;
    bool keep_spaces; /* flat, with inner runs of whitespace kept as that many spaces */
    size_t spaces;    /* whitespace characters seen since the last text */
    bool in_para;     /* the current paragraph has text */
    bool line_start;  /* nothing but whitespace since the last newline */
    bool indented;    /* the current line began with whitespace */
    bool space;       /* whitespace seen since the last text */
};

/* The metadata object under construction. */
struct meta {
    struct buf json;
};

/* ASCII classes and case, whatever the locale; c is an unsigned char value. */
static bool is_space(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Letters only: what may start a tag or entity name. */
static bool is_alpha(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Decimal digits only. */
static bool is_digit(int c)
{
    return c >= '0' && c <= '9';
}

/* Uppercases ASCII letters and leaves every other value alone. */
static int ascii_upper(int c)
{
    return c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c;
}

/* True if the n bytes at s equal the uppercase ASCII name, ignoring case. */
static bool equals_ci(const char *s, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (name[i] == '\0' || ascii_upper((unsigned char)s[i]) != name[i]) return false;
    return name[n] == '\0';
}

/* True if the bytes at s (up to end) start with the uppercase ASCII prefix, ignoring case. */
static bool starts_ci(const char *s, const char *end, const char *prefix)
{
    size_t n = strlen(prefix);
    return (size_t)(end - s) >= n && equals_ci(s, n, prefix);
}

/* True if p ends a tag name: the end of the span, '>', '/' or whitespace. */
static bool ends_name(const char *p, const char *end)
{
    return p == end || *p == '>' || *p == '/' || is_space((unsigned char)*p);
}

/* Finds the next "<NAME" (or "</NAME" when closing) in [p, end) as a whole tag name,
 * ignoring case. Returns a pointer to its '<', or NULL. name is uppercase. */
static const char *find_tag(const char *p, const char *end, const char *name, bool closing)
{
    size_t n = strlen(name);
    while (p < end) {
        const char *lt = memchr(p, '<', (size_t)(end - p));
        if (!lt) return NULL;
        const char *q = lt + 1;
        if (closing) {
            if (q < end && *q == '/')
                q++;
            else
                q = NULL;
        }
        if (q && (size_t)(end - q) >= n && equals_ci(q, n, name) && ends_name(q + n, end))
            return lt;
        p = lt + 1;
    }
    return NULL;
}

/* True if the '<' at p starts markup (a tag, an end tag, a declaration or a processing
 * instruction) rather than being a literal less-than sign. */
static bool starts_markup(const char *p, const char *end)
{
    if (end - p < 2) return false;
    int c = (unsigned char)p[1];
    return is_alpha(c) || c == '/' || c == '!' || c == '?';
}

/* Finds the first element NAME in the span. A missing end tag ends a container (whose
 * content may hold tags) at the span's end and a leaf at the next markup. Returns false if
 * there is no start tag, or it has no '>'. */
static bool find_element(struct span in, const char *name, bool is_container, struct element *el)
{
    const char *lt = find_tag(in.s, in.end, name, false);
    if (!lt) return false;
    const char *gt = memchr(lt, '>', (size_t)(in.end - lt));
    if (!gt) return false;
    el->tag = lt;
    el->attr = lt + 1 + strlen(name);
    el->attr_end = gt;
    el->content.s = gt + 1;
    const char *close = find_tag(gt + 1, in.end, name, true);
    if (close) {
        const char *close_gt = memchr(close, '>', (size_t)(in.end - close));
        el->content.end = close;
        el->after = close_gt ? close_gt + 1 : in.end;
        el->closed = true;
        return true;
    }
    el->closed = false;
    if (is_container) {
        el->content.end = in.end;
    } else {
        const char *p = gt + 1;
        while ((p = memchr(p, '<', (size_t)(in.end - p))) != NULL && !starts_markup(p, in.end))
            p++;
        el->content.end = p ? p : in.end;
    }
    el->after = el->content.end;
    return true;
}

/* Finds attribute NAME (uppercase) in a start tag's attribute text [s, end): values may
 * be double-quoted, single-quoted or bare. Sets *value and returns true if present. */
static bool find_attr(const char *s, const char *end, const char *name, struct span *value)
{
    const char *p = s;
    while (p < end) {
        while (p < end && (is_space((unsigned char)*p) || *p == '/'))
            p++;
        const char *n = p;
        while (p < end && !is_space((unsigned char)*p) && *p != '=')
            p++;
        size_t name_len = (size_t)(p - n);
        while (p < end && is_space((unsigned char)*p))
            p++;
        struct span v = {p, p};
        if (p < end && *p == '=') {
            p++;
            while (p < end && is_space((unsigned char)*p))
                p++;
            if (p < end && (*p == '"' || *p == '\'')) {
                const char *q = memchr(p + 1, *p, (size_t)(end - p - 1));
                v.s = p + 1;
                v.end = q ? q : end;
                p = q ? q + 1 : end;
            } else {
                v.s = p;
                while (p < end && !is_space((unsigned char)*p))
                    p++;
                v.end = p;
            }
        }
        if (name_len > 0 && equals_ci(n, name_len, name)) {
            *value = v;
            return true;
        }
        if (name_len == 0 && p < end && v.s == v.end) p++; /* a stray '=' */
    }
    return false;
}

/* Paragraph building: the four events text produces. A paragraph tag ends the current
 * paragraph (in flat mode: a space). */
static void para_break(struct para *p)
{
    if (p->flat) {
        p->space = true;
        p->spaces++;
        return;
    }
    p->in_para = false;
    p->space = false;
}

/* A line break: joins lines with a space; a blank line ends the paragraph. */
static void para_newline(struct para *p)
{
    if (p->flat) {
        p->space = true;
        p->spaces++;
        return;
    }
    if (p->line_start && p->in_para) p->in_para = false; /* a blank line */
    p->line_start = true;
    p->indented = false;
    p->space = true;
}

/* Whitespace: written as one space (or kept, see keep_spaces) only between text, and
 * remembered as indentation at the start of a line. */
static void para_space(struct para *p)
{
    if (p->line_start) p->indented = true;
    p->space = true;
    p->spaces++;
}

/* Text bytes: preceded by the separator the events since the last text call for. */
static void para_text(struct para *p, const char *s, size_t n)
{
    if (!p->flat && p->in_para && p->line_start && p->indented) p->in_para = false;
    if (!p->in_para && p->out.len > 0)
        buf_adds(&p->out, p->flat ? " " : "\n\n");
    else if (p->in_para && p->space)
        for (size_t i = 0; i < (p->keep_spaces ? p->spaces : 1); i++)
            buf_adds(&p->out, " ");
    buf_add(&p->out, s, n);
    p->in_para = true;
    p->space = p->line_start = p->indented = false;
    p->spaces = 0;
}

/* Sends one decoded code point: whitespace as such, control characters (C0, DEL, C1)
 * dropped, invalid code points as U+FFFD. */
static void para_code_point(struct para *p, unsigned long cp)
{
    if (cp == '\n') {
        para_newline(p);
    } else if (cp == ' ' || cp == '\t') {
        para_space(p);
    } else if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) {
        /* dropped */
    } else {
        char enc[4];
        if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
        para_text(p, enc, utf8_put(enc, (unsigned)cp));
    }
}

/* Named entities: the XML five, and the few that SGML newswire (TREC's Federal Register,
 * LA Times) uses for punctuation. Anything else stays as written. */
static const struct {
    const char *name;
    unsigned cp;
} entities[] = {
    {"lt", '<'},       {"gt", '>'},       {"amp", '&'},      {"quot", '"'},     {"apos", '\''},
    {"nbsp", ' '},     {"blank", ' '},    {"hyph", '-'},     {"sect", 0xA7},    {"para", 0xB6},
    {"deg", 0xB0},     {"cent", 0xA2},    {"pound", 0xA3},   {"yen", 0xA5},     {"times", 0xD7},
    {"copy", 0xA9},    {"reg", 0xAE},     {"mdash", 0x2014}, {"ndash", 0x2013}, {"lsquo", 0x2018},
    {"rsquo", 0x2019}, {"ldquo", 0x201C}, {"rdquo", 0x201D}, {"bull", 0x2022},
};

/* Decodes the entity or character reference at p ('&'). Returns the bytes it spans and
 * sets *cp, or returns 0 if p does not start one. The ';' is optional after digits. */
static size_t decode_entity(const char *p, const char *end, unsigned long *cp)
{
    const char *q = p + 1;
    if (q < end && *q == '#') {
        q++;
        bool hex = q < end && (*q == 'x' || *q == 'X');
        if (hex) q++;
        const char *digits = q;
        unsigned long v = 0;
        while (q < end) {
            int c = (unsigned char)*q, d;
            if (is_digit(c))
                d = c - '0';
            else if (hex && ascii_upper(c) >= 'A' && ascii_upper(c) <= 'F')
                d = ascii_upper(c) - 'A' + 10;
            else
                break;
            if (q - digits < MAX_REF_DIGITS)
                v = v * (hex ? 16u : 10u) + (unsigned long)d;
            else
                v = 0x110000; /* too many digits: invalid, but consumed */
            q++;
        }
        if (q == digits) return 0;
        if (q < end && *q == ';') q++;
        *cp = v;
        return (size_t)(q - p);
    }
    const char *name = q;
    while (q < end && q - name <= MAX_ENTITY_NAME && is_alpha((unsigned char)*q))
        q++;
    if (q == end || *q != ';' || q == name) return 0;
    for (size_t i = 0; i < sizeof entities / sizeof *entities; i++) {
        size_t n = strlen(entities[i].name);
        if ((size_t)(q - name) == n && memcmp(name, entities[i].name, n) == 0) {
            *cp = entities[i].cp;
            return (size_t)(q + 1 - p);
        }
    }
    return 0;
}

/* True if the markup at lt..gt is a paragraph tag (<P>, </P>, <P ...>). */
static bool is_paragraph_tag(const char *lt, const char *gt)
{
    const char *n = lt + 1;
    if (n < gt && *n == '/') n++;
    return n < gt && ascii_upper((unsigned char)*n) == 'P' && ends_name(n + 1, gt);
}

/* Renders [s, end) into p: entities and references decoded, control characters dropped,
 * paragraph tags as breaks and other markup as whitespace. Each byte is looked at a
 * bounded number of times: the position of the next '>' is remembered between tags. */
static void para_render(struct para *p, struct span in)
{
    const char *s = in.s, *end = in.end;
    const char *next_gt = NULL; /* the next '>' at or after s, or end if there is none */
    while (s < end) {
        const char *run = s;
        while (s < end) {
            unsigned char c = (unsigned char)*s;
            if (c == '<' || c == '&' || c < 0x20 || c == 0x7F || c == ' ') break;
            if (c == 0xC2 && end - s > 1 && (unsigned char)s[1] >= 0x80 &&
                (unsigned char)s[1] <= 0x9F)
                break;
            s++;
        }
        if (s > run) para_text(p, run, (size_t)(s - run));
        if (s == end) break;
        unsigned char c = (unsigned char)*s;
        if (c == '<') {
            if (!next_gt || (next_gt < s && next_gt != end)) {
                next_gt = memchr(s, '>', (size_t)(end - s));
                if (!next_gt) next_gt = end;
            }
            if (next_gt != end && starts_markup(s, end)) {
                if (is_paragraph_tag(s, next_gt))
                    para_break(p);
                else
                    para_space(p);
                s = next_gt + 1;
            } else {
                para_text(p, "<", 1);
                s++;
            }
        } else if (c == '&') {
            unsigned long cp;
            size_t n = decode_entity(s, end, &cp);
            if (n > 0) {
                para_code_point(p, cp);
                s += n;
            } else {
                para_text(p, "&", 1);
                s++;
            }
        } else if (c == 0xC2) {
            s += 2; /* a C1 control character in UTF-8 */
        } else {
            para_code_point(p, c);
            s++;
        }
    }
}

/* Renders a span as one trimmed line, runs of whitespace collapsed unless keep_spaces
 * (line breaks and tags count as one space each); returns it malloc'd, or NULL if empty. */
static char *flat_render(struct span in, bool keep_spaces)
{
    struct para p = {.flat = true, .keep_spaces = keep_spaces, .line_start = true};
    para_render(&p, in);
    return buf_take_nonempty(&p.out);
}

/* flat_render with runs of whitespace collapsed: titles, identifiers, list items. */
static char *flat_text(struct span in)
{
    return flat_render(in, false);
}

/* Appends s as a JSON string. Input is UTF-8; only quotes, backslashes and control
 * characters need escaping. */
static void json_string(struct buf *b, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    buf_adds(b, "\"");
    for (const char *run = s;; s++) {
        unsigned char c = (unsigned char)*s;
        if (c != '\0' && c != '"' && c != '\\' && c >= 0x20) continue;
        buf_add(b, run, (size_t)(s - run));
        if (c == '\0') break;
        if (c == '"' || c == '\\') {
            char esc[2] = {'\\', (char)c};
            buf_add(b, esc, 2);
        } else {
            char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            buf_add(b, esc, 6);
        }
        run = s + 1;
    }
    buf_adds(b, "\"");
}

/* Starts the member key of the metadata object. */
static void meta_key(struct meta *m, const char *key)
{
    buf_adds(&m->json, m->json.len ? "," : "{");
    json_string(&m->json, key);
    buf_adds(&m->json, ":");
}

/* Adds key: value, unless value is NULL. */
static void meta_string(struct meta *m, const char *key, const char *value)
{
    if (!value) return;
    meta_key(m, key);
    json_string(&m->json, value);
}

/* Adds key: [the <D> items of element NAME in the span], if it has any non-empty one. */
static void meta_list(struct meta *m, struct span in, const char *name, const char *key)
{
    struct element list, item;
    if (!find_element(in, name, true, &list)) return;
    struct span rest = list.content;
    size_t items = 0;
    while (rest.s < rest.end && find_element(rest, "D", false, &item)) {
        char *value = flat_text(item.content);
        if (value) {
            if (items++ == 0) meta_key(m, key);
            buf_adds(&m->json, items > 1 ? "," : "[");
            json_string(&m->json, value);
            free(value);
        }
        if (!item.closed) break; /* keeps the loop linear */
        rest.s = item.after;
    }
    if (items > 0) buf_adds(&m->json, "]");
}

/* Returns the metadata as a malloc'd JSON object, or NULL if it has no members. */
static char *meta_take(struct meta *m)
{
    if (m->json.len > 0) buf_adds(&m->json, "}");
    return buf_take_nonempty(&m->json);
}

/* Returns the text of the first element NAME in the span as one line (see flat_render),
 * or NULL. */
static char *flat_element(struct span in, const char *name, bool keep_spaces)
{
    struct element el;
    return find_element(in, name, true, &el) ? flat_render(el.content, keep_spaces) : NULL;
}

/* Like flat_element, trying each name in turn. */
static char *flat_first(struct span in, const char *const *names, bool keep_spaces)
{
    char *s = NULL;
    for (size_t i = 0; names[i] && !s; i++)
        s = flat_element(in, names[i], keep_spaces);
    return s;
}

/* True if [s, end) ends with a character reference to a control character ("&#3;"),
 * and sets *start to its '&'. */
static bool ends_with_control_ref(const char *s, const char *end, const char **start)
{
    if (end - s < 4 || end[-1] != ';') return false;
    const char *q = end - 1;
    unsigned v = 0, scale = 1;
    while (q > s && is_digit((unsigned char)q[-1]) && end - q <= 3) {
        q--;
        v += (unsigned)(*q - '0') * scale;
        scale *= 10;
    }
    if (q == end - 1 || q - s < 2 || q[-1] != '#' || q[-2] != '&') return false;
    if (v >= 0x20 && v != 0x7F) return false;
    *start = q - 2;
    return true;
}

/* Returns the body without the wire's sign-off line and what follows it (whitespace,
 * control characters and references like "&#3;"). The line is "Reuter", "REUTER" or
 * "Reuters", possibly indented, with trailing dots or a literal "^M" in some bodies; a
 * sign-off on the same line as text is left alone. */
static struct span cut_reuter_trailer(struct span body)
{
    const char *end = body.end, *ref;
    for (;;) {
        if (end > body.s && ((unsigned char)end[-1] <= ' ' || end[-1] == 0x7F))
            end--;
        else if (ends_with_control_ref(body.s, end, &ref))
            end = ref;
        else
            break;
    }
    const char *line = end;
    while (line > body.s && line[-1] != '\n')
        line--;
    const char *t = line;
    while (t < end && (*t == ' ' || *t == '\t'))
        t++;
    if (!starts_ci(t, end, "REUTER")) return body;
    t += 6;
    if (t < end && ascii_upper((unsigned char)*t) == 'S') t++;
    while (t < end && *t == '.')
        t++;
    if (end - t == 2 && t[0] == '^' && t[1] == 'M') t += 2;
    if (t == end) body.end = line;
    return body;
}

/* Renders the TEXT of a record without a BODY (TYPE="UNPROC"): everything but the
 * elements that are stored elsewhere. Only the first of each is left out. */
static void render_without(struct para *p, struct span text, const char *const *skip)
{
    struct span cut[4];
    size_t ncut = 0;
    for (size_t i = 0; skip[i] && ncut < 4; i++) {
        struct element el;
        if (find_element(text, skip[i], false, &el)) {
            cut[ncut].s = el.tag;
            cut[ncut].end = el.after;
            ncut++;
        }
    }
    const char *s = text.s;
    while (s < text.end) {
        const struct span *next = NULL;
        for (size_t i = 0; i < ncut; i++)
            if (cut[i].s >= s && (!next || cut[i].s < next->s)) next = &cut[i];
        struct span part = {s, next ? next->s : text.end};
        para_render(p, part);
        if (!next) break;
        para_space(p);
        s = next->end;
    }
}

/* Reuters dates are "26-FEB-1987 15:01:01.79", but some carry operator codes after the
 * time ("00:02:59.13RM") or a garbled time ("605:12:19.12"). The codes are cut; a time that
 * is not HH:MM:SS is dropped, keeping the day. */
static void reuters_date_repair(char *date)
{
    size_t n = strlen(date);
    while (n > 0 && !(date[n - 1] >= '0' && date[n - 1] <= '9'))
        n--;
    date[n] = '\0';
    char *time = strchr(date, ' ');
    if (!time) return;
    const char *t = time + 1;
    while (*t == ' ')
        t++;
    bool ok = strlen(t) >= 8;
    for (int i = 0; ok && i < 8; i++)
        ok = (i == 2 || i == 5) ? t[i] == ':' : (t[i] >= '0' && t[i] <= '9');
    if (!ok) *time = '\0';
}

/* Reads a Reuters-21578 record whose <REUTERS ...> start tag is at root.s. */
static void parse_reuters(struct span root, struct article *a, struct meta *m)
{
    struct element rec, text;
    if (find_element(root, "REUTERS", true, &rec)) {
        struct span id;
        if (find_attr(rec.attr, rec.attr_end, "NEWID", &id)) a->source_id = flat_text(id);
        root = rec.content;
    }
    bool has_text = find_element(root, "TEXT", true, &text);
    struct span head = {root.s, has_text ? text.tag : root.end};
    a->date = flat_element(head, "DATE", true); /* as found, for the date reader */
    if (a->date) reuters_date_repair(a->date);
    static const char *const lists[][2] = {{"TOPICS", "topics"},       {"PLACES", "places"},
                                           {"PEOPLE", "people"},       {"ORGS", "orgs"},
                                           {"EXCHANGES", "exchanges"}, {"COMPANIES", "companies"}};
    for (size_t i = 0; i < sizeof lists / sizeof *lists; i++)
        meta_list(m, head, lists[i][0], lists[i][1]);
    if (!has_text) return;

    a->title = flat_element(text.content, "TITLE", false);
    a->byline = flat_element(text.content, "AUTHOR", false);
    char *dateline = flat_element(text.content, "DATELINE", false);
    if (dateline) {
        size_t n = strlen(dateline);
        while (n > 0 && (dateline[n - 1] == '-' || dateline[n - 1] == ' '))
            n--;
        dateline[n] = '\0';
        if (n > 0) meta_string(m, "dateline", dateline);
        free(dateline);
    }

    struct span type;
    bool brief = find_attr(text.attr, text.attr_end, "TYPE", &type) &&
                 equals_ci(type.s, (size_t)(type.end - type.s), "BRIEF");
    struct para p = {.line_start = true};
    struct element body;
    if (find_element(text.content, "BODY", true, &body)) {
        para_render(&p, cut_reuter_trailer(body.content));
    } else if (!brief) {
        /* A brief's text is filler ("******Blah blah blah."); its title is the story. */
        static const char *const stored[] = {"TITLE", "DATELINE", "AUTHOR", NULL};
        render_without(&p, cut_reuter_trailer(text.content), stored);
    }
    a->text = buf_take_nonempty(&p.out);
}

/* Reads a TREC record whose <DOC> start tag is at root.s. The collections differ in their
 * field names (LA Times HEADLINE, AP HEAD, WSJ HL, FBIS TI); the first found is used. */
static void parse_trec(struct span root, struct article *a, struct meta *m)
{
    struct element rec;
    if (find_element(root, "DOC", true, &rec)) root = rec.content;
    static const char *const id_names[] = {"DOCNO", NULL};
    static const char *const date_names[] = {"DATE", "DATE1", "DD", NULL};
    static const char *const title_names[] = {"HEADLINE", "HEAD", "HL", "TI", "TITLE", NULL};
    static const char *const byline_names[] = {"BYLINE", NULL};
    a->source_id = flat_first(root, id_names, false);
    a->date = flat_first(root, date_names, true);
    a->title = flat_first(root, title_names, false);
    a->byline = flat_first(root, byline_names, false);
    char *section = flat_element(root, "SECTION", false);
    meta_string(m, "section", section);
    free(section);

    /* Some collections (AP) split a story over several TEXT elements. */
    struct para p = {.line_start = true};
    struct element text;
    struct span rest = root;
    while (rest.s < rest.end && find_element(rest, "TEXT", true, &text)) {
        para_break(&p);
        para_render(&p, text.content);
        if (!text.closed) break;
        rest.s = text.after;
    }
    a->text = buf_take_nonempty(&p.out);
}

/* Skips whitespace and a UTF-8 byte order mark. */
static const char *skip_space(const char *s, const char *end)
{
    if (end - s >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) s += 3;
    while (s < end && is_space((unsigned char)*s))
        s++;
    return s;
}

/* Looks at the first markup past whitespace and a byte order mark; see sgml.h. */
enum sgml_kind sgml_sniff(const char *data, size_t len)
{
    const char *end = data + len;
    const char *s = skip_space(data, end);
    if (starts_ci(s, end, "<!DOCTYPE")) {
        const char *q = skip_space(s + 9, end);
        return starts_ci(q, end, "LEWIS") && ends_name(q + 5, end) ? SGML_REUTERS : SGML_NONE;
    }
    if (starts_ci(s, end, "<REUTERS") && s + 8 < end && ends_name(s + 8, end)) return SGML_REUTERS;
    if (starts_ci(s, end, "<DOC>")) {
        /* <DOC> is a common element name; TREC's is followed by <DOCNO>. When the data
         * ends before that can be seen, what there is must agree with it. */
        const char *q = skip_space(s + 5, end);
        size_t n = (size_t)(end - q);
        if (n >= 6) return starts_ci(q, end, "<DOCNO") ? SGML_TREC : SGML_NONE;
        for (size_t i = 0; i < n; i++)
            if (ascii_upper((unsigned char)q[i]) != "<DOCNO"[i]) return SGML_NONE;
        return SGML_TREC;
    }
    return SGML_NONE;
}

/* Returns a static string, or NULL for SGML_NONE. */
const char *sgml_end_tag(enum sgml_kind kind)
{
    switch (kind) {
    case SGML_REUTERS:
        return "</REUTERS>";
    case SGML_TREC:
        return "</DOC>";
    case SGML_NONE:
        break;
    }
    return NULL;
}

/* See sgml.h. Also fails with NEWS_ERR_FORMAT when the record has no start tag, with
 * NEWS_ERR_LIMIT past MAX_RECORD_BYTES and NEWS_ERR_USAGE for SGML_NONE. *out is set only
 * on success; the caller owns its strings. */
enum news_status sgml_parse_record(enum sgml_kind kind, const char *rec, size_t len,
                                   struct article *out, struct news_error *err)
{
    enum news_status status = NEWS_OK;
    struct article a = {0};
    struct meta m = {{0}};
    if (kind != SGML_REUTERS && kind != SGML_TREC) {
        status = news_error_set(err, NEWS_ERR_USAGE, "not an SGML record kind (%d)", (int)kind);
        goto done;
    }
    if (len > MAX_RECORD_BYTES) {
        status =
            news_error_set(err, NEWS_ERR_LIMIT, "record of %zu bytes exceeds the %zu MiB limit",
                           len, MAX_RECORD_BYTES >> 20);
        goto done;
    }
    const char *start_tag = kind == SGML_REUTERS ? "REUTERS" : "DOC";
    struct span root = {rec, rec + len};
    root.s = find_tag(root.s, root.end, start_tag, false);
    if (!root.s) {
        status = news_error_set(err, NEWS_ERR_FORMAT, "no <%s> start tag", start_tag);
        goto done;
    }
    if (kind == SGML_REUTERS)
        parse_reuters(root, &a, &m);
    else
        parse_trec(root, &a, &m);
    if (!a.title && !a.text) {
        status = a.source_id
                     ? news_error_set(err, NEWS_ERR_FORMAT, "no text (record %.200s)", a.source_id)
                     : news_error_set(err, NEWS_ERR_FORMAT, "no text");
        goto done;
    }
    a.meta = meta_take(&m);
    *out = a;
    memset(&a, 0, sizeof a);
done:
    article_clear(&a);
    free(m.json.data);
    return status;
}
