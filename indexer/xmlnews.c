/* xmlnews.c: RSS 2.0, RSS 1.0 and Atom feeds, NewsML-G2 and NITF, read into articles.
 *
 * A document is parsed whole by libxml2 (no network, no DTD loading, no entity
 * substitution, libxml2's default depth and amplification limits) and its tree walked:
 * each feed item, news item or standalone NITF document becomes an article, in document
 * order. Every string taken from the tree has a hard maximum, and the walkers share a
 * budget of node visits proportional to the document's size, so even references to
 * internal entities, which the walkers expand, cannot make the work explode. */
#include "xmlnews.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/entities.h>
#include <libxml/globals.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/uri.h>
#include <libxml/xmlerror.h>

#include "html.h"
#include "utf8.h"

/* Largest document accepted (xmlReadMemory takes an int, and the tree costs several
 * times the text). */
#define MAX_DOC_BYTES ((size_t)256 << 20)
/* Longest title, date, byline, link, identifier or name taken from an item. */
#define MAX_META_BYTES ((size_t)64 << 10)
/* Longest text, or markup handed to the HTML converter, taken from an item. */
#define MAX_TEXT_BYTES ((size_t)16 << 20)
/* Longest language tag kept; a longer one is dropped. */
#define MAX_LANG_BYTES 64
/* Deepest nesting the walkers follow (libxml2 itself stops at 256 elements). */
#define MAX_WALK_DEPTH 512
/* Node visits allowed per document: a base plus so many per byte of input. */
#define WORK_BASE ((uint64_t)1 << 24)
#define WORK_PER_BYTE 16
/* Bytes of a document's start the sniffer reads. */
#define SNIFF_MAX_BYTES 8192
/* Longest libxml2 error message quoted. */
#define MAX_XML_MESSAGE 300

/* The namespaces whose elements are matched. */
enum ns { NS_RSS, NS_CONTENT, NS_DC, NS_ATOM, NS_RDF, NS_ITUNES, NS_G2, NS_NITF, NS_COUNT };

struct ns_def {
    const char *uris[5];  /* NULL-terminated; a final '*' matches any continuation */
    const char *prefix;   /* conventional prefix, matched when the feed never declared it */
    bool has_unqualified; /* elements in no namespace belong here too */
};

/* Compared case-insensitively and ignoring a trailing '/', as real feeds write them
 * ("http://purl.org/dc/elements/1.1", ".../DTDs/Podcast-1.0.dtd"). */
static const struct ns_def ns_defs[NS_COUNT] = {
    [NS_RSS] = {{"http://purl.org/rss/1.0/", "http://my.netscape.com/rdf/simple/0.9/",
                 "http://backend.userland.com/rss2", "http://blogs.law.harvard.edu/tech/rss", NULL},
                NULL,
                true},
    [NS_CONTENT] = {{"http://purl.org/rss/1.0/modules/content/", NULL}, "content", false},
    [NS_DC] = {{"http://purl.org/dc/elements/1.1/", NULL}, "dc", false},
    [NS_ATOM] = {{"http://www.w3.org/2005/Atom", "http://purl.org/atom/ns#", NULL}, "atom", false},
    [NS_RDF] = {{"http://www.w3.org/1999/02/22-rdf-syntax-ns#", NULL}, "rdf", false},
    [NS_ITUNES] = {{"http://www.itunes.com/dtds/podcast-1.0.dtd", NULL}, "itunes", false},
    [NS_G2] = {{"http://iptc.org/std/nar/2006-10-01/", NULL}, NULL, true},
    [NS_NITF] = {{"http://iptc.org/std/NITF/*", NULL}, NULL, true},
};

/* Root elements of NewsML-G2 documents and of the fragments the G2 guidelines show on
 * their own, and of NITF; recognised in no namespace as well as in their own. */
static const char newsml_roots[] = "newsItem newsMessage packageItem conceptItem knowledgeItem "
                                   "planningItem catalogItem nitf contentSet contentMeta "
                                   "groupSet itemSet inlineXML";

/* NITF (and XHTML-like) elements that end a paragraph, and those passed over. */
static const char block_elements[] =
    "p hl1 hl2 pre bq block ul ol dl li dt dd table tr caption media media-caption fn note "
    "tagline abstract credit div h1 h2 h3 h4 h5 h6 blockquote body.content body.end "
    "nitf-table br";
static const char skipped_elements[] = "media-reference media-object media-metadata "
                                       "media-producer nitf-table-metadata script style";
/* Elements that, found first inside inlineXML, hold XHTML. */
static const char xhtml_roots[] = "html body div p article section";
/* HTML elements serialised as <x/> when empty. */
static const char void_elements[] =
    "br hr img input meta link area base col wbr source embed param track";
/* G2 item classes (ninat:...) that are never text. */
static const char media_classes[] = "picture graphic video audio";

/* A growable string with a hard maximum: appends past max set over and are dropped. */
struct sbuf {
    char *data;
    size_t len, cap, max;
    bool over;
};

/* One document being read. */
struct parse {
    xmlDoc *doc;
    const struct reader_sink *sink;
    size_t record; /* items (feed items, news items, NITF documents) seen so far */
    uint64_t work; /* node visits so far */
    uint64_t max_work;
    bool exhausted;       /* work passed max_work: the document fails */
    bool stopped;         /* the sink asked to stop */
    const char *overflow; /* the current item's first field over its limit, or NULL */
    size_t overflow_max;
};

/* The first serious libxml2 error of one parse. */
struct xml_fault {
    bool seen, fatal;
    int domain, code, line;
    char message[MAX_XML_MESSAGE + 1];
};

/* What the whole feed says about its items. */
struct channel {
    char *title;
    char *lang;
    char *authors; /* Atom feed-level authors, inherited by entries without their own */
};

/* What a NITF document yields. */
struct nitf_fields {
    char *title, *head_title, *byline, *dateline, *date, *doc_id, *source, *text;
};

/* ---- small helpers ---- */

/* XML whitespace, plus form feed and vertical tab, which feeds let through. */
static bool is_space(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Folds ASCII letters only, whatever the locale. */
static int ascii_lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* True if the n bytes at a and b are equal, ASCII letters compared case-insensitively. */
static bool ascii_ieq_n(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (ascii_lower((unsigned char)a[i]) != ascii_lower((unsigned char)b[i])) return false;
    return true;
}

/* True if s (NUL-terminated) equals t ignoring ASCII case. */
static bool ascii_ieq(const char *s, const char *t)
{
    size_t n = strlen(s);
    return n == strlen(t) && ascii_ieq_n(s, t, n);
}

/* True if name is one of the space-separated words of list. */
static bool in_list(const char *name, const char *list)
{
    size_t n = strlen(name);
    for (const char *w = list; *w;) {
        while (*w == ' ')
            w++;
        size_t len = strcspn(w, " ");
        if (len == n && len > 0 && memcmp(w, name, n) == 0) return true;
        w += len;
    }
    return false;
}

static void sb_init(struct sbuf *b, size_t max)
{
    memset(b, 0, sizeof *b);
    b->max = max;
}

/* Appends n bytes, or sets b->over if that would pass b->max. Keeps data NUL-terminated. */
static void sb_put(struct sbuf *b, const char *s, size_t n)
{
    if (b->over || n == 0) return;
    if (n > b->max - b->len) {
        b->over = true;
        return;
    }
    if (n >= b->cap - b->len) {
        size_t cap = b->cap ? b->cap : 128;
        while (n >= cap - b->len)
            cap *= 2; /* len + n <= max, so this stays far from overflowing */
        b->data = news_xrealloc(b->data, cap);
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

static void sb_puts(struct sbuf *b, const char *s)
{
    sb_put(b, s, strlen(s));
}

static void sb_free(struct sbuf *b)
{
    free(b->data);
    memset(b, 0, sizeof *b);
}

/* Returns a malloc'd copy of s[0..len) with each run of whitespace made one space and
 * none at either end; NULL if nothing is left. */
static char *collapse(const char *s, size_t len)
{
    char *out = news_xmalloc(len + 1);
    size_t o = 0;
    bool gap = false;
    for (size_t i = 0; i < len; i++) {
        if (is_space((unsigned char)s[i])) {
            gap = o > 0;
            continue;
        }
        if (gap) out[o++] = ' ';
        gap = false;
        out[o++] = s[i];
    }
    out[o] = '\0';
    if (o == 0) {
        free(out);
        return NULL;
    }
    return out;
}

/* Plain text to paragraphs: lines trimmed and their spaces collapsed, a run of blank
 * lines made one blank line. Returns a malloc'd string, or NULL if there is no text. */
static char *plain_paragraphs(const char *s, size_t len)
{
    struct sbuf out;
    sb_init(&out, 2 * len + 2); /* generous: the result is never longer than the input */
    bool blank = false;
    for (size_t i = 0; i < len;) {
        size_t e = i;
        while (e < len && s[e] != '\n')
            e++;
        char *line = collapse(s + i, e - i);
        if (line) {
            if (out.len) sb_puts(&out, blank ? "\n\n" : "\n");
            sb_puts(&out, line);
            blank = false;
            free(line);
        } else {
            blank = out.len > 0;
        }
        i = e + 1;
    }
    return out.data; /* NULL when nothing was appended */
}

/* Converts an HTML fragment to text; NULL if it holds none. */
static char *html_to_text(const char *html, size_t len)
{
    if (len == 0) return NULL;
    size_t out_len = 0;
    char *text = html_fragment_text(html, len, &out_len);
    size_t i = 0;
    while (i < out_len && is_space((unsigned char)text[i]))
        i++;
    if (i == out_len) {
        free(text);
        return NULL;
    }
    return text;
}

/* True if s seems to hold markup or character references (a title written as HTML). */
static bool looks_like_markup(const char *s)
{
    for (const char *p = s; *p; p++) {
        if (p[0] == '<' &&
            (p[1] == '/' || p[1] == '!' ||
             (ascii_lower((unsigned char)p[1]) >= 'a' && ascii_lower((unsigned char)p[1]) <= 'z')))
            return true;
        if (p[0] == '&') {
            size_t n = 1;
            while (n < 12 && p[n] &&
                   (p[n] == '#' || (p[n] >= '0' && p[n] <= '9') ||
                    (ascii_lower((unsigned char)p[n]) >= 'a' &&
                     ascii_lower((unsigned char)p[n]) <= 'z')))
                n++;
            if (n > 1 && p[n] == ';') return true;
        }
    }
    return false;
}

/* Appends s to b as a JSON string body. */
static void json_escape(struct sbuf *b, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        char esc[8];
        if (*p == '"' || *p == '\\') {
            esc[0] = '\\';
            esc[1] = (char)*p;
            sb_put(b, esc, 2);
        } else if (*p < 0x20) {
            snprintf(esc, sizeof esc, "\\u%04x", *p);
            sb_put(b, esc, 6);
        } else {
            sb_put(b, (const char *)p, 1);
        }
    }
}

/* ---- matching elements ---- */

/* The name of n without any prefix left on it by an undeclared namespace. */
static const char *local_name(const xmlNode *n)
{
    const char *name = (const char *)n->name;
    if (!name) return "";
    if (n->ns) return name;
    const char *colon = strrchr(name, ':');
    return colon ? colon + 1 : name;
}

/* True if uri is one of namespace ns's names. */
static bool uri_in_ns(const char *uri, enum ns ns)
{
    size_t ul = strlen(uri);
    while (ul > 0 && uri[ul - 1] == '/')
        ul--;
    for (size_t i = 0; ns_defs[ns].uris[i]; i++) {
        const char *pat = ns_defs[ns].uris[i];
        size_t pl = strlen(pat);
        if (pat[pl - 1] == '*') {
            if (ul >= pl - 1 && ascii_ieq_n(uri, pat, pl - 1)) return true;
            continue;
        }
        while (pl > 0 && pat[pl - 1] == '/')
            pl--;
        if (ul == pl && ascii_ieq_n(uri, pat, pl)) return true;
    }
    return false;
}

/* True if n is the element local in namespace ns (or in no namespace, or with the
 * namespace's conventional prefix left undeclared, where ns allows that). */
static bool is_el(const xmlNode *n, enum ns ns, const char *local)
{
    if (!n || n->type != XML_ELEMENT_NODE || !n->name) return false;
    const char *name = (const char *)n->name;
    if (n->ns && n->ns->href)
        return strcmp(name, local) == 0 && uri_in_ns((const char *)n->ns->href, ns);
    if (strcmp(name, local) == 0) return ns_defs[ns].has_unqualified;
    const char *prefix = ns_defs[ns].prefix;
    if (!prefix) return false;
    size_t pl = strlen(prefix);
    return strncmp(name, prefix, pl) == 0 && name[pl] == ':' && strcmp(name + pl + 1, local) == 0;
}

/* True if n is an element named local in any namespace (NITF arrives in its own, in none,
 * or in the enclosing G2 default namespace). */
static bool is_local(const xmlNode *n, const char *local)
{
    return n && n->type == XML_ELEMENT_NODE && strcmp(local_name(n), local) == 0;
}

/* The first child element of parent that is local in ns, or NULL. parent may be NULL. */
static xmlNode *child(const xmlNode *parent, enum ns ns, const char *local)
{
    for (xmlNode *c = parent ? parent->children : NULL; c; c = c->next)
        if (is_el(c, ns, local)) return c;
    return NULL;
}

/* The first child element of parent named local in any namespace, or NULL. */
static xmlNode *child_local(const xmlNode *parent, const char *local)
{
    for (xmlNode *c = parent ? parent->children : NULL; c; c = c->next)
        if (is_local(c, local)) return c;
    return NULL;
}

/* The first child element of parent, or NULL. */
static xmlNode *first_element(const xmlNode *parent)
{
    for (xmlNode *c = parent ? parent->children : NULL; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE) return c;
    return NULL;
}

/* ---- taking text from the tree ---- */

/* Counts one node visit; false once the document's budget is spent. */
static bool spend(struct parse *p)
{
    if (++p->work > p->max_work) p->exhausted = true;
    return !p->exhausted;
}

/* Notes that the current item's field what passed its limit max (the first one wins). */
static void note_overflow(struct parse *p, const char *what, size_t max)
{
    if (!p->overflow) {
        p->overflow = what;
        p->overflow_max = max;
    }
}

/* The content of an entity reference: only internal entities, which libxml2 parsed (and
 * checked for amplification) itself; external ones are never loaded. */
static xmlNode *entity_children(const xmlNode *ref)
{
    xmlEntity *ent = xmlGetDocEntity(ref->doc, ref->name);
    return ent && ent->etype == XML_INTERNAL_GENERAL_ENTITY ? ent->children : NULL;
}

/* Appends the character data of the node list n (and of its descendants) to b. */
static void collect_list(struct parse *p, const xmlNode *n, struct sbuf *b, int depth)
{
    if (depth > MAX_WALK_DEPTH) return;
    for (; n && !b->over && spend(p); n = n->next) {
        switch (n->type) {
        case XML_TEXT_NODE:
        case XML_CDATA_SECTION_NODE:
            if (n->content) sb_puts(b, (const char *)n->content);
            break;
        case XML_ELEMENT_NODE:
            collect_list(p, n->children, b, depth + 1);
            break;
        case XML_ENTITY_REF_NODE:
            collect_list(p, entity_children(n), b, depth + 1);
            break;
        default:
            break;
        }
    }
}

/* The element's text on one line (whitespace collapsed), as a malloc'd string, or NULL
 * if el is NULL or holds no text, or if the text passes MAX_META_BYTES (noted as what). */
static char *field_text(struct parse *p, const xmlNode *el, const char *what)
{
    if (!el) return NULL;
    struct sbuf b;
    sb_init(&b, MAX_META_BYTES);
    collect_list(p, el->children, &b, 0);
    char *s = NULL;
    if (b.over)
        note_overflow(p, what, MAX_META_BYTES);
    else if (b.len)
        s = collapse(b.data, b.len);
    sb_free(&b);
    return s;
}

/* The element's raw character data (whitespace kept) into b, bounded by MAX_TEXT_BYTES;
 * false (noted as what) if it passes that. */
static bool raw_text(struct parse *p, const xmlNode *el, struct sbuf *b, const char *what)
{
    sb_init(b, MAX_TEXT_BYTES);
    collect_list(p, el->children, b, 0);
    if (b->over) {
        note_overflow(p, what, MAX_TEXT_BYTES);
        sb_free(b);
        return false;
    }
    return true;
}

/* An element holding escaped HTML (RSS description, content:encoded): its text. */
static char *html_field(struct parse *p, const xmlNode *el, const char *what)
{
    struct sbuf b;
    if (!el || !raw_text(p, el, &b, what)) return NULL;
    char *text = html_to_text(b.data, b.len);
    sb_free(&b);
    return text;
}

/* An attribute's value on one line, by local name whatever its namespace; NULL if absent,
 * empty or over MAX_META_BYTES (noted as what). */
static char *attr_text(struct parse *p, const xmlNode *el, const char *local, const char *what)
{
    if (!el || el->type != XML_ELEMENT_NODE) return NULL;
    for (const xmlAttr *a = el->properties; a; a = a->next) {
        const char *name = a->name ? (const char *)a->name : "";
        const char *colon = a->ns ? NULL : strrchr(name, ':');
        if (strcmp(colon ? colon + 1 : name, local) != 0) continue;
        struct sbuf b;
        sb_init(&b, MAX_META_BYTES);
        collect_list(p, a->children, &b, 0);
        char *s = NULL;
        if (b.over)
            note_overflow(p, what, MAX_META_BYTES);
        else if (b.len)
            s = collapse(b.data, b.len);
        sb_free(&b);
        return s;
    }
    return NULL;
}

/* The first non-NULL of two strings; frees the other. */
static char *either(char *a, char *b)
{
    if (a) {
        free(b);
        return a;
    }
    return b;
}

/* The texts (or, with sub, the texts of each one's sub child) of every child of parent
 * that is local in ns, joined with ", "; NULL if none. */
static char *joined(struct parse *p, const xmlNode *parent, enum ns ns, const char *local,
                    const char *sub, const char *what)
{
    struct sbuf b;
    sb_init(&b, MAX_META_BYTES);
    for (const xmlNode *c = parent ? parent->children : NULL; c && spend(p); c = c->next) {
        if (!is_el(c, ns, local)) continue;
        char *s = field_text(p, sub ? child(c, ns, sub) : c, what);
        if (!s) continue;
        if (b.len) sb_puts(&b, ", ");
        sb_puts(&b, s);
        free(s);
    }
    if (b.over) {
        note_overflow(p, what, MAX_META_BYTES);
        sb_free(&b);
    }
    return b.data;
}

/* The language in effect at n (xml:lang here or on an ancestor), or NULL. */
static char *node_lang(const xmlNode *n)
{
    if (!n) return NULL;
    xmlChar *lang = xmlNodeGetLang(n);
    char *s = lang ? collapse((const char *)lang, strlen((const char *)lang)) : NULL;
    xmlFree(lang);
    if (s && strlen(s) > MAX_LANG_BYTES) {
        free(s);
        s = NULL;
    }
    return s;
}

/* A language tag from element text, or NULL if absent or implausibly long. */
static char *lang_text(struct parse *p, const xmlNode *el)
{
    char *s = field_text(p, el, "language");
    if (s && strlen(s) > MAX_LANG_BYTES) {
        free(s);
        s = NULL;
    }
    return s;
}

/* Appends text to b with the characters HTML needs escaped escaped. */
static void put_escaped(struct sbuf *b, const char *s, bool in_attribute)
{
    for (; *s && !b->over; s++) {
        switch (*s) {
        case '&':
            sb_puts(b, "&amp;");
            break;
        case '<':
            sb_puts(b, "&lt;");
            break;
        case '>':
            sb_puts(b, "&gt;");
            break;
        case '"':
            if (in_attribute) {
                sb_puts(b, "&quot;");
                break;
            }
            /* fall through */
        default:
            sb_put(b, s, 1);
            break;
        }
    }
}

/* Serialises the node list n as HTML: element names without prefixes (so xhtml:p is p),
 * text escaped, internal entities expanded. */
static void serialize_html(struct parse *p, const xmlNode *n, struct sbuf *b, int depth)
{
    if (depth > MAX_WALK_DEPTH) return;
    for (; n && !b->over && spend(p); n = n->next) {
        switch (n->type) {
        case XML_TEXT_NODE:
        case XML_CDATA_SECTION_NODE:
            if (n->content) put_escaped(b, (const char *)n->content, false);
            break;
        case XML_ENTITY_REF_NODE:
            serialize_html(p, entity_children(n), b, depth + 1);
            break;
        case XML_ELEMENT_NODE: {
            const char *name = local_name(n);
            sb_puts(b, "<");
            sb_puts(b, name);
            for (const xmlAttr *a = n->properties; a; a = a->next) {
                const xmlNode *v = a->children;
                if (!a->name || !v || v->type != XML_TEXT_NODE || v->next || !v->content) continue;
                sb_puts(b, " ");
                sb_puts(b, (const char *)a->name);
                sb_puts(b, "=\"");
                put_escaped(b, (const char *)v->content, true);
                sb_puts(b, "\"");
            }
            if (!n->children && in_list(name, void_elements)) {
                sb_puts(b, "/>");
                break;
            }
            sb_puts(b, ">");
            serialize_html(p, n->children, b, depth + 1);
            sb_puts(b, "</");
            sb_puts(b, name);
            sb_puts(b, ">");
            break;
        }
        default:
            break;
        }
    }
}

/* The text of the XHTML in the node list n. */
static char *xhtml_text(struct parse *p, const xmlNode *n, const char *what)
{
    struct sbuf b;
    sb_init(&b, MAX_TEXT_BYTES);
    serialize_html(p, n, &b, 0);
    char *text = NULL;
    if (b.over)
        note_overflow(p, what, MAX_TEXT_BYTES);
    else
        text = html_to_text(b.data, b.len);
    sb_free(&b);
    return text;
}

/* Paragraphs being built from marked-up text (NITF). */
struct paras {
    struct sbuf out; /* finished paragraphs, separated by blank lines */
    struct sbuf cur; /* the paragraph being read, whitespace as found */
};

/* Ends the current paragraph, if it holds any text. */
static void para_end(struct paras *pa)
{
    char *t = pa->cur.len ? collapse(pa->cur.data, pa->cur.len) : NULL;
    pa->cur.len = 0;
    if (!t) return;
    if (pa->out.len) sb_puts(&pa->out, "\n\n");
    sb_puts(&pa->out, t);
    free(t);
}

/* Walks NITF body markup: block elements make paragraphs, inline ones run on, media
 * references are passed over. */
static void nitf_walk(struct parse *p, struct paras *pa, const xmlNode *n, int depth)
{
    if (depth > MAX_WALK_DEPTH) return;
    for (; n && !pa->out.over && !pa->cur.over && spend(p); n = n->next) {
        switch (n->type) {
        case XML_TEXT_NODE:
        case XML_CDATA_SECTION_NODE:
            if (n->content) sb_puts(&pa->cur, (const char *)n->content);
            break;
        case XML_ENTITY_REF_NODE:
            nitf_walk(p, pa, entity_children(n), depth + 1);
            break;
        case XML_ELEMENT_NODE: {
            const char *name = local_name(n);
            if (in_list(name, skipped_elements)) break;
            bool is_block = in_list(name, block_elements);
            bool is_cell = strcmp(name, "td") == 0 || strcmp(name, "th") == 0;
            if (is_block) para_end(pa);
            if (is_cell) sb_puts(&pa->cur, " ");
            nitf_walk(p, pa, n->children, depth + 1);
            if (is_block) para_end(pa);
            if (is_cell) sb_puts(&pa->cur, " ");
            break;
        }
        default:
            break;
        }
    }
}

/* The paragraphs of a NITF body element (body.content, abstract). */
static char *nitf_text(struct parse *p, const xmlNode *el, const char *what)
{
    if (!el) return NULL;
    struct paras pa;
    sb_init(&pa.out, MAX_TEXT_BYTES);
    sb_init(&pa.cur, MAX_TEXT_BYTES);
    nitf_walk(p, &pa, el->children, 0);
    para_end(&pa);
    char *text = pa.out.data;
    if (pa.out.over || pa.cur.over) {
        note_overflow(p, what, MAX_TEXT_BYTES);
        free(text);
        text = NULL;
    }
    sb_free(&pa.cur);
    return text;
}

/* ---- Atom constructs ---- */

enum construct { C_NONE, C_TEXT, C_HTML, C_XHTML };

/* How an Atom (1.0 or 0.3) text construct or content element carries its text. */
static enum construct construct_kind(struct parse *p, const xmlNode *el)
{
    char *src = attr_text(p, el, "src", "src");
    char *type = attr_text(p, el, "type", "type");
    char *mode = attr_text(p, el, "mode", "mode");
    enum construct kind = C_NONE;
    if (src || (mode && ascii_ieq(mode, "base64"))) {
        kind = C_NONE; /* the content is elsewhere, or binary */
    } else if (type && (ascii_ieq(type, "html") || ascii_ieq_n(type, "text/html", 9))) {
        kind = C_HTML;
    } else if (type &&
               (ascii_ieq(type, "xhtml") || ascii_ieq_n(type, "application/xhtml+xml", 21))) {
        kind = C_XHTML;
    } else if (!type || ascii_ieq(type, "text") || ascii_ieq_n(type, "text/", 5)) {
        kind = C_TEXT; /* text, text/plain and any other text type */
    } else {
        size_t n = strlen(type);
        if ((n > 4 && ascii_ieq(type + n - 4, "+xml")) ||
            (n > 4 && ascii_ieq(type + n - 4, "/xml")))
            kind = C_XHTML;
    }
    /* Atom 0.3: mode="escaped" means the markup is escaped, whatever the type says. */
    if (mode && ascii_ieq(mode, "escaped") && kind == C_XHTML) kind = C_HTML;
    free(src);
    free(type);
    free(mode);
    return kind;
}

/* The text of an Atom text construct or content element; on one line if single_line. */
static char *atom_text(struct parse *p, const xmlNode *el, bool single_line, const char *what)
{
    if (!el) return NULL;
    enum construct kind = construct_kind(p, el);
    char *text = NULL;
    struct sbuf b;
    switch (kind) {
    case C_NONE:
        return NULL;
    case C_TEXT:
        if (!raw_text(p, el, &b, what)) return NULL;
        text =
            single_line ? collapse(b.data ? b.data : "", b.len) : plain_paragraphs(b.data, b.len);
        sb_free(&b);
        break;
    case C_HTML:
        if (!raw_text(p, el, &b, what)) return NULL;
        text = html_to_text(b.data, b.len);
        sb_free(&b);
        break;
    case C_XHTML:
        text = xhtml_text(p, el->children, what);
        break;
    }
    if (text && single_line && kind != C_TEXT) {
        char *line = collapse(text, strlen(text));
        free(text);
        text = line;
    }
    if (text && single_line && strlen(text) > MAX_META_BYTES) {
        note_overflow(p, what, MAX_META_BYTES);
        free(text);
        text = NULL;
    }
    return text;
}

/* A title given as plain text that may still hold escaped HTML (RSS), on one line. */
static char *title_text(struct parse *p, const xmlNode *el)
{
    char *s = field_text(p, el, "title");
    if (!s || !looks_like_markup(s)) return s;
    char *text = html_to_text(s, strlen(s));
    free(s);
    if (!text) return NULL;
    char *line = collapse(text, strlen(text));
    free(text);
    return line;
}

/* The address of the best Atom link among parent's children: rel="alternate" (or no
 * rel), else rel="self"; relative addresses resolved against xml:base. */
static char *atom_link(struct parse *p, const xmlNode *parent)
{
    const xmlNode *best = NULL;
    int best_rank = 0;
    for (const xmlNode *c = parent->children; c && spend(p); c = c->next) {
        if (!is_el(c, NS_ATOM, "link")) continue;
        char *rel = attr_text(p, c, "rel", "link");
        int rank = !rel || strcmp(rel, "alternate") == 0 ? 2 : strcmp(rel, "self") == 0 ? 1 : 0;
        free(rel);
        if (rank > best_rank) {
            best = c;
            best_rank = rank;
        }
        if (rank == 2) break;
    }
    char *href = attr_text(p, best, "href", "link");
    if (!href) return NULL;
    xmlChar *base = xmlNodeGetBase(p->doc, best);
    if (base) {
        xmlChar *full = xmlBuildURI((const xmlChar *)href, base);
        if (full && strlen((const char *)full) <= MAX_META_BYTES) {
            free(href);
            href = news_xstrdup((const char *)full);
        }
        xmlFree(full);
        xmlFree(base);
    }
    return href;
}

/* ---- emitting ---- */

/* Reports the current item as unreadable. */
static void reject(struct parse *p, const char *message)
{
    if (p->sink->reject) p->sink->reject(p->sink->ctx, p->record, 0, message);
}

/* Hands the article of item to the sink, or rejects it (over a limit; or, when
 * reject_empty, without title and text), or drops it silently. Clears *a either way. */
static void finish_item(struct parse *p, xmlNode *item, struct article *a, bool reject_empty)
{
    xmlBuffer *raw = NULL;
    char msg[256];
    if (p->exhausted) goto done; /* the whole document fails */
    if (p->overflow) {
        snprintf(msg, sizeof msg, "<%s> %s is over the %zu-byte limit", local_name(item),
                 p->overflow, p->overflow_max);
        reject(p, msg);
        goto done;
    }
    if (!a->title && !a->text) {
        if (reject_empty) {
            snprintf(msg, sizeof msg, "<%s> has neither a title nor any text", local_name(item));
            reject(p, msg);
        }
        goto done;
    }
    raw = xmlBufferCreate();
    int raw_len = raw ? xmlNodeDump(raw, p->doc, item, 0, 0) : -1;
    if (raw_len < 0) {
        snprintf(msg, sizeof msg, "<%s> could not be serialised", local_name(item));
        reject(p, msg);
        goto done;
    }
    struct reader_record rec = {*a, p->record, 0, (const char *)xmlBufferContent(raw),
                                (size_t)raw_len};
    memset(a, 0, sizeof *a); /* rec.article owns the strings now */
    if (!p->sink->emit(p->sink->ctx, &rec)) p->stopped = true;
    article_clear(&rec.article);
done:
    if (raw) xmlBufferFree(raw);
    article_clear(a);
}

/* ---- feeds ---- */

/* One RSS 2.0 or RSS 1.0 item. */
static void rss_item(struct parse *p, xmlNode *item, const struct channel *ch)
{
    struct article a = {0};
    p->record++;
    p->overflow = NULL;
    a.title = either(title_text(p, child(item, NS_RSS, "title")),
                     field_text(p, child(item, NS_DC, "title"), "title"));
    a.url = field_text(p, child(item, NS_RSS, "link"), "link");
    if (!a.url) a.url = atom_link(p, item);
    xmlNode *guid = child(item, NS_RSS, "guid");
    a.source_id = field_text(p, guid, "guid");
    char *about = attr_text(p, item, "about", "rdf:about");
    if (!a.url && a.source_id && strncmp(a.source_id, "http", 4) == 0) {
        char *permalink = attr_text(p, guid, "isPermaLink", "guid");
        if (!permalink || !ascii_ieq(permalink, "false")) a.url = news_xstrdup(a.source_id);
        free(permalink);
    }
    if (!a.url && about && strncmp(about, "http", 4) == 0) a.url = news_xstrdup(about);
    a.source_id = either(a.source_id, about);
    a.date = field_text(p, child(item, NS_RSS, "pubDate"), "pubDate");
    if (!a.date) a.date = field_text(p, child(item, NS_DC, "date"), "dc:date");
    if (!a.date) a.date = field_text(p, child(item, NS_ATOM, "published"), "published");
    if (!a.date) a.date = field_text(p, child(item, NS_ATOM, "updated"), "updated");
    a.byline = joined(p, item, NS_DC, "creator", NULL, "dc:creator");
    if (!a.byline) a.byline = field_text(p, child(item, NS_RSS, "author"), "author");
    if (!a.byline) a.byline = field_text(p, child(item, NS_ITUNES, "author"), "itunes:author");
    a.text = html_field(p, child(item, NS_CONTENT, "encoded"), "content:encoded");
    if (!a.text) a.text = html_field(p, child(item, NS_RSS, "description"), "description");
    if (!a.text) a.text = html_field(p, child(item, NS_ITUNES, "summary"), "itunes:summary");
    a.lang = lang_text(p, child(item, NS_DC, "language"));
    if (!a.lang) a.lang = node_lang(item);
    if (!a.lang && ch->lang) a.lang = news_xstrdup(ch->lang);
    if (ch->title) a.source = news_xstrdup(ch->title);
    finish_item(p, item, &a, true);
}

/* One Atom entry. */
static void atom_entry(struct parse *p, xmlNode *entry, const struct channel *ch)
{
    static const char *const date_names[] = {"published", "updated",  "issued",
                                             "created",   "modified", NULL};
    struct article a = {0};
    p->record++;
    p->overflow = NULL;
    a.title = atom_text(p, child(entry, NS_ATOM, "title"), true, "title");
    a.url = atom_link(p, entry);
    a.source_id = field_text(p, child(entry, NS_ATOM, "id"), "id");
    for (size_t i = 0; date_names[i] && !a.date; i++)
        a.date = field_text(p, child(entry, NS_ATOM, date_names[i]), date_names[i]);
    if (!a.date) a.date = field_text(p, child(entry, NS_DC, "date"), "dc:date");
    a.byline = joined(p, entry, NS_ATOM, "author", "name", "author");
    if (!a.byline) a.byline = joined(p, entry, NS_DC, "creator", NULL, "dc:creator");
    if (!a.byline && ch->authors) a.byline = news_xstrdup(ch->authors);
    for (const xmlNode *c = entry->children; c && !a.text && spend(p); c = c->next)
        if (is_el(c, NS_ATOM, "content")) a.text = atom_text(p, c, false, "content");
    if (!a.text) a.text = atom_text(p, child(entry, NS_ATOM, "summary"), false, "summary");
    a.lang = node_lang(entry);
    if (!a.lang && ch->lang) a.lang = news_xstrdup(ch->lang);
    if (ch->title) a.source = news_xstrdup(ch->title);
    finish_item(p, entry, &a, true);
}

/* Every RSS item that is a child of parent. */
static void rss_items(struct parse *p, const xmlNode *parent, const struct channel *ch)
{
    for (xmlNode *c = parent ? parent->children : NULL; c && !p->stopped && !p->exhausted;
         c = c->next)
        if (is_el(c, NS_RSS, "item")) rss_item(p, c, ch);
}

/* ---- NewsML-G2 and NITF ---- */

/* Reads what a NITF document says about its story. */
static void nitf_read(struct parse *p, const xmlNode *nitf, struct nitf_fields *f)
{
    const xmlNode *head = child_local(nitf, "head");
    const xmlNode *body = child_local(nitf, "body");
    const xmlNode *body_head = child_local(body, "body.head");
    const xmlNode *hedline = child_local(body_head, "hedline");
    const xmlNode *docdata = child_local(head, "docdata");
    const xmlNode *pubdata = child_local(head, "pubdata");
    f->head_title = field_text(p, child_local(head, "title"), "title");
    f->title = field_text(p, child_local(hedline, "hl1"), "hedline");
    if (!f->title) f->title = field_text(p, hedline, "hedline");
    f->byline = field_text(p, child_local(body_head, "byline"), "byline");
    f->dateline = field_text(p, child_local(body_head, "dateline"), "dateline");
    f->date = attr_text(p, child_local(docdata, "date.issue"), "norm", "date.issue");
    if (!f->date) f->date = attr_text(p, pubdata, "date.publication", "date.publication");
    f->doc_id = attr_text(p, child_local(docdata, "doc-id"), "id-string", "doc-id");
    f->source = attr_text(p, pubdata, "name", "pubdata");
    f->text = nitf_text(p, child_local(body, "body.content"), "body.content");
    if (!f->text) f->text = nitf_text(p, child_local(body_head, "abstract"), "abstract");
}

static void nitf_fields_free(struct nitf_fields *f)
{
    free(f->title);
    free(f->head_title);
    free(f->byline);
    free(f->dateline);
    free(f->date);
    free(f->doc_id);
    free(f->source);
    free(f->text);
    memset(f, 0, sizeof *f);
}

/* The text of a news item's contentSet: the first inlineXML holding NITF or XHTML, or
 * inlineData in a text type, that yields any. NITF fields go to *nf. */
static char *content_text(struct parse *p, const xmlNode *content_set, struct nitf_fields *nf)
{
    for (const xmlNode *c = content_set ? content_set->children : NULL; c && spend(p);
         c = c->next) {
        char *text = NULL;
        if (is_el(c, NS_G2, "inlineXML")) {
            xmlNode *e = first_element(c);
            if (is_local(e, "nitf")) {
                nitf_fields_free(nf);
                nitf_read(p, e, nf);
                text = nf->text;
                nf->text = NULL;
            } else if (is_local(e, "html")) {
                xmlNode *body = child_local(e, "body");
                text = xhtml_text(p, body ? body->children : NULL, "inlineXML");
            } else if (e && in_list(local_name(e), xhtml_roots)) {
                text = xhtml_text(p, c->children, "inlineXML");
            }
        } else if (is_el(c, NS_G2, "inlineData")) {
            char *encoding = attr_text(p, c, "encoding", "encoding");
            char *type = attr_text(p, c, "contenttype", "contenttype");
            struct sbuf b;
            if (!encoding && raw_text(p, c, &b, "inlineData")) {
                bool markup = type && (strstr(type, "html") || strstr(type, "xml"));
                text = markup ? html_to_text(b.data, b.len) : plain_paragraphs(b.data, b.len);
                sb_free(&b);
            }
            free(encoding);
            free(type);
        }
        if (text) return text;
    }
    return NULL;
}

/* body with the dateline as its first paragraph (unless it already starts with it);
 * takes body. */
static char *with_dateline(char *body, const char *dateline)
{
    if (!body || !dateline || strncmp(body, dateline, strlen(dateline)) == 0) return body;
    size_t size = strlen(dateline) + 2 + strlen(body) + 1;
    char *out = news_xmalloc(size);
    snprintf(out, size, "%s\n\n%s", dateline, body);
    free(body);
    return out;
}

/* {"dateline":"..."} for a dateline, or NULL. */
static char *dateline_meta(const char *dateline)
{
    if (!dateline) return NULL;
    struct sbuf b;
    sb_init(&b, SIZE_MAX);
    sb_puts(&b, "{\"dateline\":\"");
    json_escape(&b, dateline);
    sb_puts(&b, "\"}");
    return b.data;
}

/* True if a G2 itemClass code (ninat:picture, or its URI form) names a non-text item. */
static bool is_media_class(const char *code)
{
    if (!code) return false;
    const char *colon = strrchr(code, ':'), *slash = strrchr(code, '/');
    const char *tail = slash && (!colon || slash > colon) ? slash + 1 : colon ? colon + 1 : code;
    return in_list(tail, media_classes);
}

/* One NewsML-G2 newsItem: an article if it carries text, else passed over silently. */
static void news_item(struct parse *p, xmlNode *item)
{
    struct article a = {0};
    struct nitf_fields nf = {0};
    char *dateline = NULL, *body = NULL, *cls = NULL;
    p->record++;
    p->overflow = NULL;
    const xmlNode *item_meta = child(item, NS_G2, "itemMeta");
    const xmlNode *content_meta = child(item, NS_G2, "contentMeta");
    const xmlNode *item_class = child(item_meta, NS_G2, "itemClass");
    cls = either(attr_text(p, item_class, "qcode", "itemClass"),
                 attr_text(p, item_class, "uri", "itemClass"));
    if (is_media_class(cls)) goto done;
    body = content_text(p, child(item, NS_G2, "contentSet"), &nf);
    if (!body && !p->overflow) goto done; /* no text: a concept, an event list, a stub */
    a.title = field_text(p, child(content_meta, NS_G2, "headline"), "headline");
    if (!a.title) a.title = nf.title ? news_xstrdup(nf.title) : NULL;
    if (!a.title) a.title = nf.head_title ? news_xstrdup(nf.head_title) : NULL;
    if (!a.title) a.title = field_text(p, child(item_meta, NS_G2, "title"), "title");
    a.date = field_text(p, child(content_meta, NS_G2, "contentCreated"), "contentCreated");
    if (!a.date) a.date = field_text(p, child(item_meta, NS_G2, "firstCreated"), "firstCreated");
    if (!a.date)
        a.date = field_text(p, child(item_meta, NS_G2, "versionCreated"), "versionCreated");
    if (!a.date && nf.date) a.date = news_xstrdup(nf.date);
    a.byline = joined(p, content_meta, NS_G2, "by", NULL, "by");
    if (!a.byline && nf.byline) a.byline = news_xstrdup(nf.byline);
    if (!a.byline) a.byline = joined(p, content_meta, NS_G2, "creator", "name", "creator");
    dateline = field_text(p, child(content_meta, NS_G2, "dateline"), "dateline");
    if (!dateline && nf.dateline) dateline = news_xstrdup(nf.dateline);
    a.source_id = attr_text(p, item, "guid", "guid");
    if (!a.source_id && nf.doc_id) a.source_id = news_xstrdup(nf.doc_id);
    a.lang = node_lang(item);
    if (!a.lang) a.lang = attr_text(p, child(content_meta, NS_G2, "language"), "tag", "language");
    a.source = field_text(p, child(child(item_meta, NS_G2, "provider"), NS_G2, "name"), "provider");
    if (!a.source)
        a.source = field_text(
            p,
            child(child(child(item, NS_G2, "rightsInfo"), NS_G2, "copyrightHolder"), NS_G2, "name"),
            "copyrightHolder");
    a.meta = dateline_meta(dateline);
    a.text = with_dateline(body, dateline);
    body = NULL;
    finish_item(p, item, &a, false);
done:
    article_clear(&a);
    nitf_fields_free(&nf);
    free(dateline);
    free(body);
    free(cls);
}

/* A NITF document outside any news item: an article if it carries text. */
static void nitf_item(struct parse *p, xmlNode *nitf)
{
    struct article a = {0};
    struct nitf_fields nf = {0};
    p->record++;
    p->overflow = NULL;
    nitf_read(p, nitf, &nf);
    if (!nf.text && !p->overflow) goto done;
    a.title = nf.title ? nf.title : nf.head_title;
    if (a.title == nf.title)
        nf.title = NULL;
    else
        nf.head_title = NULL;
    a.date = nf.date;
    a.byline = nf.byline;
    a.source_id = nf.doc_id;
    a.source = nf.source;
    a.lang = node_lang(nitf);
    a.meta = dateline_meta(nf.dateline);
    a.text = with_dateline(nf.text, nf.dateline);
    nf.date = nf.byline = nf.doc_id = nf.source = nf.text = NULL;
    finish_item(p, nitf, &a, false);
done:
    article_clear(&a);
    nitf_fields_free(&nf);
}

/* Finds news items and NITF documents below n, at any depth (newsMessage/itemSet, inline
 * items in packages, fragments). */
static void newsml_walk(struct parse *p, xmlNode *n, int depth)
{
    if (depth > MAX_WALK_DEPTH) return;
    for (; n && !p->stopped && !p->exhausted && spend(p); n = n->next) {
        if (n->type != XML_ELEMENT_NODE) continue;
        if (is_el(n, NS_G2, "newsItem"))
            news_item(p, n);
        else if (is_local(n, "nitf"))
            nitf_item(p, n);
        else
            newsml_walk(p, n->children, depth + 1);
    }
}

/* ---- parsing the document ---- */

/* Keeps the first fatal libxml2 error (else the first error) of a parse. */
#if LIBXML_VERSION >= 21200
static void record_fault(void *ctx, const xmlError *e)
#else
static void record_fault(void *ctx, xmlErrorPtr e)
#endif
{
    struct xml_fault *f = ctx;
    if (!e || e->level < XML_ERR_ERROR || f->fatal) return;
    if (f->seen && e->level != XML_ERR_FATAL) return;
    f->seen = true;
    f->fatal = e->level == XML_ERR_FATAL;
    f->domain = e->domain;
    f->code = e->code;
    f->line = e->line;
    const char *m = e->message ? e->message : "unknown error";
    size_t n = 0;
    while (m[n] && n < MAX_XML_MESSAGE)
        n++;
    if (m[n]) /* cut: never inside a UTF-8 sequence */
        while (n > 0 && ((unsigned char)m[n] & 0xC0) == 0x80)
            n--;
    for (size_t i = 0; i < n; i++)
        f->message[i] = (char)((unsigned char)m[i] < 0x20 ? ' ' : m[i]);
    while (n > 0 && f->message[n - 1] == ' ')
        n--;
    f->message[n] = '\0';
}

/* Swallows libxml2's unstructured messages, which would go to stderr. */
static void silent(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

/* True if the fault is about bytes the declared (or assumed) encoding cannot read. */
static bool is_encoding_fault(const struct xml_fault *f)
{
    return f->seen && (f->domain == XML_FROM_I18N || f->code == XML_ERR_INVALID_CHAR ||
                       f->code == XML_ERR_INVALID_ENCODING || f->code == XML_ERR_UNKNOWN_ENCODING ||
                       f->code == XML_ERR_UNSUPPORTED_ENCODING || f->code == XML_I18N_CONV_FAILED);
}

/* One parse of len bytes, reading them in encoding forced (ignoring the declaration) or,
 * if forced is NULL, as the document says. Errors go to *fault, never to stderr. */
static xmlDoc *parse_once(const char *xml, size_t len, const char *forced, struct xml_fault *fault)
{
    xmlStructuredErrorFunc old_handler = xmlStructuredError;
    void *old_ctx = xmlStructuredErrorContext;
    xmlGenericErrorFunc old_generic = xmlGenericError;
    void *old_generic_ctx = xmlGenericErrorContext;
    xmlSetStructuredErrorFunc(fault, record_fault);
    xmlSetGenericErrorFunc(NULL, silent);
    int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES;
    if (forced) options |= XML_PARSE_IGNORE_ENC;
    xmlDoc *doc = xmlReadMemory(xml, (int)len, NULL, forced, options);
    xmlSetStructuredErrorFunc(old_ctx, old_handler);
    xmlSetGenericErrorFunc(old_generic_ctx, old_generic);
    return doc;
}

/* Copies the encoding named in the XML declaration at the start of s into enc (empty if
 * there is none, or it is too long to be real). */
static void declared_encoding(const char *s, size_t len, char *enc, size_t enc_size)
{
    enc[0] = '\0';
    if (len < 6 || memcmp(s, "<?xml", 5) != 0 || !is_space((unsigned char)s[5])) return;
    size_t end = 5;
    while (end + 1 < len && end < 512 && !(s[end] == '?' && s[end + 1] == '>'))
        end++;
    for (size_t i = 5; i + 8 < end; i++) {
        if (memcmp(s + i, "encoding", 8) != 0) continue;
        size_t j = i + 8;
        while (j < end && is_space((unsigned char)s[j]))
            j++;
        if (j >= end || s[j] != '=') return;
        j++;
        while (j < end && is_space((unsigned char)s[j]))
            j++;
        if (j >= end || (s[j] != '"' && s[j] != '\'')) return;
        char quote = s[j++];
        size_t k = j;
        while (k < end && s[k] != quote)
            k++;
        if (k >= end || k - j >= enc_size) return;
        memcpy(enc, s + j, k - j);
        enc[k - j] = '\0';
        return;
    }
}

/* True for the names of ISO-8859-1 and windows-1252, which are read as windows-1252: text
 * labelled ISO-8859-1 is almost always windows-1252 (curly quotes would otherwise become
 * control characters). */
static bool is_latin1_name(const char *enc)
{
    static const char *const names[] = {
        "iso-8859-1", "iso_8859-1", "iso8859-1",    "latin1", "latin-1",  "l1", "cp819",
        "ibm819",     "iso-ir-100", "windows-1252", "cp1252", "x-cp1252", NULL};
    for (size_t i = 0; names[i]; i++)
        if (ascii_ieq(enc, names[i])) return true;
    return false;
}

/* Parses len bytes at xml into *out. Leading whitespace before the first '<' (common in
 * real feeds, and fatal before an XML declaration) is skipped. A document in
 * ISO-8859-1/windows-1252 is read as windows-1252; one that fails on bytes its encoding
 * cannot read is read once more with each invalid byte taken as windows-1252 and stray
 * control characters made spaces. */
static enum news_status read_document(const char *xml, size_t len, xmlDoc **out,
                                      struct news_error *err)
{
    const unsigned char *u = (const unsigned char *)xml;
    size_t start = len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF ? 3 : 0;
    size_t i = start;
    while (i < len && is_space(u[i]))
        i++;
    if (i < len && u[i] == '<') start = i;
    const char *s = xml + start;
    size_t n = len - start;
    if (n > MAX_DOC_BYTES)
        return news_error_set(err, NEWS_ERR_LIMIT,
                              "the document is %zu bytes, over the %zu-byte limit", n,
                              MAX_DOC_BYTES);
    if (i >= len)
        return news_error_set(err, NEWS_ERR_FORMAT, "not well-formed XML: the document is empty");
    xmlInitParser();
    char enc[40];
    declared_encoding(s, n, enc, sizeof enc);
    bool latin1 = is_latin1_name(enc);
    struct xml_fault first = {0}, second = {0};
    xmlDoc *doc = parse_once(s, n, latin1 ? "WINDOWS-1252" : NULL, &first);
    if (!doc && is_encoding_fault(&first)) {
        if (latin1) {
            doc = parse_once(s, n, "ISO-8859-1",
                             &second); /* windows-1252 leaves 5 bytes unassigned */
        } else {
            size_t fixed_len;
            enum utf8_source how;
            char *fixed = utf8_decode(s, n, &fixed_len, &how);
            for (size_t k = 0; k < fixed_len; k++)
                if ((unsigned char)fixed[k] < 0x20 && !is_space((unsigned char)fixed[k]))
                    fixed[k] = ' ';
            if (fixed_len <= INT_MAX) doc = parse_once(fixed, fixed_len, "UTF-8", &second);
            free(fixed);
        }
    }
    if (!doc) {
        if (!first.seen) return news_error_set(err, NEWS_ERR_FORMAT, "not well-formed XML");
        if (first.line > 0)
            return news_error_set(err, NEWS_ERR_FORMAT, "not well-formed XML at line %d: %s",
                                  first.line, first.message);
        return news_error_set(err, NEWS_ERR_FORMAT, "not well-formed XML: %s", first.message);
    }
    *out = doc;
    return NEWS_OK;
}

/* Sets up the walk over doc. */
static void parse_init(struct parse *p, xmlDoc *doc, size_t len, const struct reader_sink *sink)
{
    memset(p, 0, sizeof *p);
    p->doc = doc;
    p->sink = sink;
    p->max_work = WORK_BASE + (uint64_t)len * WORK_PER_BYTE;
}

/* The error for a document whose walk ran out of budget. */
static enum news_status exhausted_error(const struct parse *p, struct news_error *err)
{
    return news_error_set(err, NEWS_ERR_LIMIT,
                          "the document needs more than %llu node visits (entity expansion?); "
                          "stopped at item %zu",
                          (unsigned long long)p->max_work, p->record);
}

/* The name of element n (or "" for none) in buf, cut at a UTF-8 boundary to fit, for
 * messages. */
static const char *short_name(const xmlNode *n, char *buf, size_t size)
{
    const char *name = n && n->name ? (const char *)n->name : "";
    size_t len = strlen(name);
    if (len >= size) {
        len = size - 1;
        while (len > 0 && ((unsigned char)name[len] & 0xC0) == 0x80)
            len--;
    }
    memcpy(buf, name, len);
    buf[len] = '\0';
    return buf;
}

/* True if root is the root element of an RSS or Atom feed. */
static bool is_feed_root(const xmlNode *root)
{
    return is_local(root, "rss") || is_el(root, NS_RDF, "RDF") || is_el(root, NS_ATOM, "feed");
}

/* True if root is the root element of a NewsML-G2 or NITF document or fragment. */
static bool is_newsml_root(const xmlNode *root)
{
    if (!root || root->type != XML_ELEMENT_NODE) return false;
    if (root->ns && root->ns->href)
        return uri_in_ns((const char *)root->ns->href, NS_G2) ||
               uri_in_ns((const char *)root->ns->href, NS_NITF);
    return in_list((const char *)root->name, newsml_roots);
}

enum news_status xmlnews_parse_feed(const char *xml, size_t len, const struct reader_sink *sink,
                                    struct news_error *err)
{
    xmlDoc *doc = NULL;
    struct channel ch = {0};
    struct parse p;
    enum news_status status = read_document(xml, len, &doc, err);
    if (status != NEWS_OK) return status;
    parse_init(&p, doc, len, sink);
    xmlNode *root = xmlDocGetRootElement(doc);
    if (!is_feed_root(root)) {
        char name[65];
        status = news_error_set(err, NEWS_ERR_FORMAT,
                                "not an RSS or Atom feed (the root element is <%s>)",
                                short_name(root, name, sizeof name));
        goto done;
    }
    if (is_el(root, NS_ATOM, "feed")) {
        ch.title = atom_text(&p, child(root, NS_ATOM, "title"), true, "feed title");
        ch.lang = node_lang(root);
        ch.authors = joined(&p, root, NS_ATOM, "author", "name", "feed author");
        for (xmlNode *c = root->children; c && !p.stopped && !p.exhausted; c = c->next)
            if (is_el(c, NS_ATOM, "entry")) atom_entry(&p, c, &ch);
    } else {
        xmlNode *channel = child(root, NS_RSS, "channel");
        ch.title = title_text(&p, child(channel, NS_RSS, "title"));
        ch.lang = lang_text(&p, child(channel, NS_RSS, "language"));
        if (!ch.lang) ch.lang = lang_text(&p, child(channel, NS_DC, "language"));
        if (!ch.lang) ch.lang = node_lang(channel ? channel : root);
        rss_items(&p, channel, &ch);
        rss_items(&p, root, &ch); /* RSS 1.0 puts items beside the channel */
    }
    if (p.exhausted) status = exhausted_error(&p, err);
done:
    free(ch.title);
    free(ch.lang);
    free(ch.authors);
    xmlFreeDoc(doc);
    return status;
}

enum news_status xmlnews_parse_newsml(const char *xml, size_t len, const struct reader_sink *sink,
                                      struct news_error *err)
{
    xmlDoc *doc = NULL;
    struct parse p;
    enum news_status status = read_document(xml, len, &doc, err);
    if (status != NEWS_OK) return status;
    parse_init(&p, doc, len, sink);
    xmlNode *root = xmlDocGetRootElement(doc);
    if (!is_newsml_root(root)) {
        char name[65];
        status =
            news_error_set(err, NEWS_ERR_FORMAT, "not NewsML-G2 or NITF (the root element is <%s>)",
                           short_name(root, name, sizeof name));
        goto done;
    }
    newsml_walk(&p, root, 0);
    if (p.exhausted) status = exhausted_error(&p, err);
done:
    xmlFreeDoc(doc);
    return status;
}

/* ---- sniffing ---- */

/* True if the n bytes at s start with the NUL-terminated t. */
static bool starts_with(const char *s, size_t n, const char *t)
{
    size_t tl = strlen(t);
    return n >= tl && memcmp(s, t, tl) == 0;
}

/* The position after the first occurrence of t at or after i, or SIZE_MAX. */
static size_t skip_past(const char *s, size_t n, size_t i, const char *t)
{
    size_t tl = strlen(t);
    for (; i + tl <= n; i++)
        if (memcmp(s + i, t, tl) == 0) return i + tl;
    return SIZE_MAX;
}

/* The position after a DOCTYPE declaration starting at i (its internal subset and quoted
 * strings included), or SIZE_MAX. */
static size_t skip_doctype(const char *s, size_t n, size_t i)
{
    char quote = 0;
    int brackets = 0;
    for (i += 9; i < n; i++) {
        char c = s[i];
        if (quote) {
            if (c == quote) quote = 0;
        } else if (c == '"' || c == '\'') {
            quote = c;
        } else if (c == '[') {
            brackets++;
        } else if (c == ']' && brackets > 0) {
            brackets--;
        } else if (c == '>' && brackets == 0) {
            return i + 1;
        }
    }
    return SIZE_MAX;
}

/* Name characters as far as the sniffer cares (ASCII name characters and any non-ASCII). */
static bool is_name_char(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == ':' || c == '-' || c == '.' || c >= 0x80;
}

/* Recognises the root element at the start of the n bytes at s (ASCII-compatible). */
static enum xmlnews_kind sniff_text(const char *s, size_t n)
{
    size_t i = n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    for (;;) {
        while (i < n && is_space((unsigned char)s[i]))
            i++;
        if (i >= n || s[i] != '<') return XMLNEWS_NONE;
        if (starts_with(s + i, n - i, "<?"))
            i = skip_past(s, n, i + 2, "?>");
        else if (starts_with(s + i, n - i, "<!--"))
            i = skip_past(s, n, i + 4, "-->");
        else if (n - i >= 9 && ascii_ieq_n(s + i, "<!DOCTYPE", 9))
            i = skip_doctype(s, n, i);
        else
            break;
        if (i == SIZE_MAX) return XMLNEWS_NONE;
    }
    size_t name = ++i;
    while (i < n && is_name_char((unsigned char)s[i]))
        i++;
    size_t name_len = i - name;
    if (name_len == 0 || name_len > 64) return XMLNEWS_NONE;
    char qname[65], local[65], prefix[65] = "", uri[256] = "";
    memcpy(qname, s + name, name_len);
    qname[name_len] = '\0';
    const char *colon = strchr(qname, ':');
    snprintf(local, sizeof local, "%s", colon ? colon + 1 : qname);
    if (colon) snprintf(prefix, sizeof prefix, "%.*s", (int)(colon - qname), qname);
    /* The root's namespace, from the xmlns attributes of its start tag. */
    while (i < n) {
        while (i < n && is_space((unsigned char)s[i]))
            i++;
        if (i >= n || s[i] == '>' || s[i] == '/') break;
        size_t an = i;
        while (i < n && is_name_char((unsigned char)s[i]))
            i++;
        size_t an_len = i - an;
        while (i < n && is_space((unsigned char)s[i]))
            i++;
        if (an_len == 0 || i >= n || s[i] != '=') break;
        i++;
        while (i < n && is_space((unsigned char)s[i]))
            i++;
        if (i >= n || (s[i] != '"' && s[i] != '\'')) break;
        char quote = s[i++];
        size_t v = i;
        while (i < n && s[i] != quote)
            i++;
        if (i >= n) break;
        bool is_default = an_len == 5 && memcmp(s + an, "xmlns", 5) == 0;
        bool is_prefixed = an_len == 6 + strlen(prefix) && prefix[0] &&
                           memcmp(s + an, "xmlns:", 6) == 0 &&
                           memcmp(s + an + 6, prefix, strlen(prefix)) == 0;
        if (((is_default && !prefix[0]) || is_prefixed) && i - v < sizeof uri) {
            memcpy(uri, s + v, i - v);
            uri[i - v] = '\0';
        }
        i++;
    }
    if (strcmp(local, "rss") == 0) return XMLNEWS_FEED;
    if (strcmp(local, "RDF") == 0 &&
        (uri_in_ns(uri, NS_RDF) || (!uri[0] && strcmp(prefix, "rdf") == 0)))
        return XMLNEWS_FEED;
    if (strcmp(local, "feed") == 0 && uri_in_ns(uri, NS_ATOM)) return XMLNEWS_FEED;
    if (uri[0])
        return uri_in_ns(uri, NS_G2) || uri_in_ns(uri, NS_NITF) ? XMLNEWS_NEWSML : XMLNEWS_NONE;
    return !prefix[0] && in_list(local, newsml_roots) ? XMLNEWS_NEWSML : XMLNEWS_NONE;
}

enum xmlnews_kind xmlnews_sniff(const char *data, size_t len)
{
    const unsigned char *u = (const unsigned char *)data;
    if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
        /* UTF-16: markup is ASCII, so one byte per code unit is enough to read it. */
        char ascii[SNIFF_MAX_BYTES];
        size_t n = 0;
        bool little = u[0] == 0xFF;
        for (size_t i = 2; i + 1 < len && n < sizeof ascii; i += 2) {
            unsigned lo = little ? u[i] : u[i + 1], hi = little ? u[i + 1] : u[i];
            ascii[n++] = (char)(hi == 0 && lo < 0x80 ? lo : '?');
        }
        return sniff_text(ascii, n);
    }
    return sniff_text(data, len < SNIFF_MAX_BYTES ? len : SNIFF_MAX_BYTES);
}
