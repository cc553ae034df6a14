/* html.c: the article in a web page. The content extractor follows the Readability
 * algorithm (Mozilla's Readability.js, Apache-2.0, re-implemented here on libxml2's tree):
 * paragraphs are scored by length and commas, the scores flow to their ancestors weighted by
 * tag, class/id names and link density, the best block is taken with the siblings that
 * qualify, the result is cleaned of forms, share bars and link lists, and the whole thing is
 * retried with looser rules when too little text is left. Metadata come from JSON-LD,
 * <meta> tags and the markup, in Readability's order of preference. */
#include "html.h"

#include <errno.h>
#include <iconv.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "clean.h"
#include "utf8.h"

/* Hard limits on what input can make us hold. */
#define HTML_MAX_INPUT_BYTES ((size_t)32 << 20) /* a larger page is an error */
#define HTML_MAX_DEPTH 128     /* markup nested deeper is flattened to its text (news: < 40) */
#define HTML_SNIFF_BYTES 16384 /* where a <meta> charset declaration is looked for */
#define HTML_MAX_CHARSET_NAME 40
#define JSONLD_MAX_BYTES ((size_t)1 << 20) /* larger JSON-LD scripts are ignored */
#define JSON_MAX_DEPTH 64
#define SIMILARITY_MAX_TOKENS 1024 /* words compared by text_similarity */

/* Readability's constants. */
#define CHAR_THRESHOLD 500 /* an attempt with less text is retried with looser rules */
#define N_TOP_CANDIDATES 5 /* candidates compared when looking for a common ancestor */
#define FLAG_STRIP_UNLIKELYS 1u
#define FLAG_WEIGHT_CLASSES 2u
#define FLAG_CLEAN_CONDITIONALLY 4u

/* ---------------------------------------------------------------------------------------
 * Growable strings and node lists
 * ------------------------------------------------------------------------------------- */

/* A list of nodes; owns only its array. */
struct nodevec {
    xmlNodePtr *v;
    size_t n, cap;
};

/* Appends node to nv. */
static void nv_push(struct nodevec *nv, xmlNodePtr node)
{
    if (nv->n == nv->cap) {
        nv->cap = nv->cap ? nv->cap * 2 : 64;
        nv->v = news_xrealloc(nv->v, nv->cap * sizeof *nv->v);
    }
    nv->v[nv->n++] = node;
}

/* Frees nv's array (not the nodes) and empties it. */
static void nv_free(struct nodevec *nv)
{
    free(nv->v);
    memset(nv, 0, sizeof *nv);
}

/* ---------------------------------------------------------------------------------------
 * Characters: UTF-8 as JavaScript sees it (Readability's limits count UTF-16 units)
 * ------------------------------------------------------------------------------------- */

/* Byte length of the whitespace character at p (JavaScript's \s: ASCII spaces, no-break
 * space, U+1680, U+2000-U+200A, U+2028, U+2029, U+202F, U+205F, U+3000, U+FEFF), or 0. */
static size_t ws_len(const unsigned char *p, size_t avail)
{
    unsigned char c = p[0];
    if (c == ' ' || (c >= '\t' && c <= '\r')) return 1;
    if (c == 0xC2 && avail >= 2 && p[1] == 0xA0) return 2;
    if (avail < 3) return 0;
    if (c == 0xE1 && p[1] == 0x9A && p[2] == 0x80) return 3;
    if (c == 0xE2 && p[1] == 0x80 &&
        ((p[2] >= 0x80 && p[2] <= 0x8A) || p[2] == 0xA8 || p[2] == 0xA9 || p[2] == 0xAF))
        return 3;
    if (c == 0xE2 && p[1] == 0x81 && p[2] == 0x9F) return 3;
    if (c == 0xE3 && p[1] == 0x80 && p[2] == 0x80) return 3;
    if (c == 0xEF && p[1] == 0xBB && p[2] == 0xBF) return 3;
    return 0;
}

/* Byte length of the character whose first byte is c, at most avail (1 for stray bytes). */
static size_t char_len(unsigned char c, size_t avail)
{
    size_t n = c < 0xC0 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    return n <= avail ? n : avail;
}

/* UTF-16 units of the character whose first byte is c: 2 beyond the BMP, else 1. */
static size_t char_units(unsigned char c)
{
    return c >= 0xF0 ? 2 : 1;
}

/* UTF-16 length of the n bytes at s. */
static size_t str_units(const char *s, size_t n)
{
    size_t units = 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        units += char_units(c);
        i += char_len(c, n - i);
    }
    return units;
}

/* True for C0 and C1 control characters other than whitespace, at p. */
static bool is_control(const unsigned char *p, size_t avail)
{
    if (p[0] < 0x20 || p[0] == 0x7F) return true;
    return p[0] == 0xC2 && avail >= 2 && p[1] >= 0x80 && p[1] <= 0x9F;
}

/* Returns a malloc'd copy of s with whitespace runs collapsed to one space, control
 * characters removed, and both ends trimmed (JavaScript's trim plus Readability's
 * normalize). s must be valid UTF-8. */
static char *collapse_ws(const char *s, size_t n)
{
    char *out = news_xmalloc(n + 1);
    size_t o = 0;
    bool pending = false;
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        size_t w = ws_len(p + i, n - i);
        if (w) {
            pending = o > 0;
            i += w;
            continue;
        }
        size_t cl = char_len(p[i], n - i);
        if (!is_control(p + i, n - i)) {
            if (pending) out[o++] = ' ';
            pending = false;
            memcpy(out + o, s + i, cl);
            o += cl;
        }
        i += cl;
    }
    out[o] = '\0';
    return out;
}

/* Returns a malloc'd copy of s with leading and trailing whitespace removed. */
static char *trim_dup(const char *s)
{
    size_t n = strlen(s), start = 0;
    const unsigned char *p = (const unsigned char *)s;
    for (size_t w; start < n && (w = ws_len(p + start, n - start)) > 0;)
        start += w;
    /* Trailing: scan forward, remembering where the last non-space character ended. */
    size_t end = start;
    for (size_t i = start; i < n;) {
        size_t w = ws_len(p + i, n - i);
        if (w) {
            i += w;
            continue;
        }
        i += char_len(p[i], n - i);
        end = i;
    }
    return news_xstrndup(s + start, end - start);
}

/* Words in s as JavaScript's s.split(/\s+/).length counts them: one more than the number of
 * whitespace runs, so leading and trailing space count as words. */
static size_t js_word_count(const char *s)
{
    size_t n = strlen(s), runs = 0;
    const unsigned char *p = (const unsigned char *)s;
    bool in_ws = false;
    for (size_t i = 0; i < n;) {
        size_t w = ws_len(p + i, n - i);
        if (w && !in_ws) runs++;
        in_ws = w > 0;
        i += w ? w : char_len(p[i], n - i);
    }
    return runs + 1;
}

/* c lowercased if it is an ASCII capital. */
static char ascii_lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c | 0x20) : c;
}

/* True if hay contains needle, ignoring ASCII case. */
static bool ci_contains(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; *hay; hay++) {
        size_t i = 0;
        while (i < n && hay[i] && ascii_lower(hay[i]) == needle[i])
            i++;
        if (i == n) return true;
    }
    return false;
}

/* True if s contains any of the NULL-terminated lowercase words, ignoring ASCII case: the
 * regular expressions of Readability are plain alternations like this. */
static bool ci_any(const char *s, const char *const *words)
{
    for (; *words; words++)
        if (ci_contains(s, *words)) return true;
    return false;
}

/* True if a and b are equal ignoring ASCII case. */
static bool ci_equal(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (ascii_lower(*a) != ascii_lower(*b)) return false;
    return *a == *b;
}

/* True if s starts with the lowercase prefix, ignoring ASCII case. */
static bool ci_starts(const char *s, const char *prefix)
{
    for (; *prefix; s++, prefix++)
        if (ascii_lower(*s) != *prefix) return false;
    return true;
}

/* True for JavaScript's \w: ASCII letters, digits and underscore. */
static bool is_word_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* ---------------------------------------------------------------------------------------
 * Class and id patterns (Readability's REGEXPS, plus a few of our own)
 * ------------------------------------------------------------------------------------- */

/* Class/id words of blocks that are almost never the article (Readability's
 * unlikelyCandidates, plus cookie banners, newsletter boxes and recommendation widgets). */
static const char *const unlikely_words[] = {
    "-ad-",         "ai2html",    "banner",     "breadcrumbs", "combx",   "comment",
    "community",    "cover-wrap", "disqus",     "extra",       "footer",  "gdpr",
    "header",       "legends",    "menu",       "related",     "remark",  "replies",
    "rss",          "shoutbox",   "sidebar",    "skyscraper",  "social",  "sponsor",
    "supplemental", "ad-break",   "agegate",    "pagination",  "pager",   "popup",
    "yom-remote",   "cookie",     "newsletter", "outbrain",    "taboola", NULL};
/* ...unless these words are there too (okMaybeItsACandidate). */
static const char *const maybe_words[] = {"and",     "article", "body",   "column",
                                          "content", "main",    "shadow", NULL};
/* Class/id words of content (positive) and of clutter (negative, with our additions). */
static const char *const positive_words[] = {"article", "body", "content", "entry",      "hentry",
                                             "h-entry", "main", "page",    "pagination", "post",
                                             "text",    "blog", "story",   NULL};
static const char *const negative_words[] = {
    "-ad-",       "hidden",    "banner",   "combx",  "comment",  "com-",     "contact",
    "foot",       "footer",    "footnote", "gdpr",   "masthead", "media",    "meta",
    "outbrain",   "promo",     "related",  "scroll", "share",    "shoutbox", "sidebar",
    "skyscraper", "sponsor",   "shopping", "tags",   "widget",   "taboola",  "cookie",
    "newsletter", "subscribe", "advert",   "popup",  "modal",    NULL};
/* Class/id words of a byline, and ARIA roles of blocks that are never the article. */
static const char *const byline_words[] = {"byline",    "author",   "dateline",
                                           "writtenby", "p-author", NULL};
static const char *const unlikely_roles[] = {"menu",  "menubar",     "complementary", "navigation",
                                             "alert", "alertdialog", "dialog",        NULL};

/* True if s has "hid" as a space-separated word (Readability: ^hid$| hid$| hid |^hid ). */
static bool has_hid_word(const char *s)
{
    size_t n = strlen(s);
    for (size_t i = 0; i + 3 <= n; i++) {
        if (ascii_lower(s[i]) != 'h' || ascii_lower(s[i + 1]) != 'i' ||
            ascii_lower(s[i + 2]) != 'd')
            continue;
        bool left = i == 0 || s[i - 1] == ' ';
        bool right = i + 3 == n || s[i + 3] == ' ';
        if (left && right) return true;
    }
    return false;
}

/* Readability's negative pattern. */
static bool is_negative(const char *s)
{
    return ci_any(s, negative_words) || has_hid_word(s);
}

/* Readability's shareElements pattern: (\b|_)(share|sharedaddy)(\b|_). */
static bool is_share_name(const char *s)
{
    size_t n = strlen(s);
    for (size_t i = 0; i + 5 <= n; i++) {
        if (!ci_starts(s + i, "share")) continue;
        bool left = i == 0 || !is_word_char(s[i - 1]) || s[i - 1] == '_';
        if (!left) continue;
        for (size_t len = 5; len <= 10; len += 5) {
            if (len == 10 && !ci_starts(s + i, "sharedaddy")) break;
            char next = s[i + len];
            if (next == '\0' || !is_word_char(next) || next == '_') return true;
        }
    }
    return false;
}

/* Readability's video pattern: an address of a video host that embeds are kept for. */
static bool is_video_url(const char *s)
{
    static const char *const hosts[] = {
        "dailymotion.com",      "youtube.com",      "youtube-nocookie.com",
        "player.vimeo.com",     "v.qq.com",         "archive.org",
        "upload.wikimedia.org", "player.twitch.tv", NULL};
    for (const char *p = strstr(s, "//"); p; p = strstr(p + 1, "//")) {
        const char *h = p + 2;
        if (ci_starts(h, "www.")) h += 4;
        for (size_t i = 0; hosts[i]; i++)
            if (ci_starts(h, hosts[i])) return true;
    }
    return false;
}

/* ---------------------------------------------------------------------------------------
 * The tree: attributes, navigation, moving and removing nodes
 * ------------------------------------------------------------------------------------- */

/* True if n is an element. */
static bool is_el(const xmlNode *n)
{
    return n && n->type == XML_ELEMENT_NODE;
}

/* True if n holds text (text or CDATA). */
static bool is_text(const xmlNode *n)
{
    return n && (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE);
}

/* True if n is an element named tag (the HTML parser lowercases names). */
static bool tag_is(const xmlNode *n, const char *tag)
{
    return is_el(n) && strcmp((const char *)n->name, tag) == 0;
}

/* True if n is an element named one of the NULL-terminated tags. */
static bool tag_in(const xmlNode *n, const char *const *tags)
{
    if (!is_el(n)) return false;
    for (; *tags; tags++)
        if (strcmp((const char *)n->name, *tags) == 0) return true;
    return false;
}

/* The value of n's attribute name, "" when it has none, NULL when it is absent. Valid
 * while the node lives (attributes are made single text nodes by prepare_tree). */
static const char *attr(const xmlNode *n, const char *name)
{
    if (!is_el(n)) return NULL;
    for (const xmlAttr *a = n->properties; a; a = a->next) {
        if (strcmp((const char *)a->name, name) != 0) continue;
        const xmlNode *v = a->children;
        if (v && v->type == XML_TEXT_NODE && v->content && !v->next)
            return (const char *)v->content;
        return "";
    }
    return NULL;
}

/* attr(), with "" for an absent attribute. */
static const char *attr_or_empty(const xmlNode *n, const char *name)
{
    const char *v = attr(n, name);
    return v ? v : "";
}

/* n's first child element, or NULL. */
static xmlNodePtr first_el(const xmlNode *n)
{
    for (xmlNodePtr c = n->children; c; c = c->next)
        if (is_el(c)) return c;
    return NULL;
}

/* n's next sibling element, or NULL. */
static xmlNodePtr next_el(const xmlNode *n)
{
    for (xmlNodePtr c = n->next; c; c = c->next)
        if (is_el(c)) return c;
    return NULL;
}

/* Number of n's child elements. */
static size_t count_el_children(const xmlNode *n)
{
    size_t count = 0;
    for (xmlNodePtr c = n->children; c; c = c->next)
        count += is_el(c);
    return count;
}

/* The node after cur in a pre-order walk of root's subtree (root excluded), or NULL; cur's
 * children are skipped when skip_kids. */
static xmlNodePtr walk_next(const xmlNode *root, xmlNodePtr cur, bool skip_kids)
{
    if (!skip_kids && cur->type == XML_ELEMENT_NODE && cur->children) return cur->children;
    while (cur && cur != root) {
        if (cur->next) return cur->next;
        cur = cur->parent;
    }
    return NULL;
}

/* Readability's _getNextNode: the next element in document order, skipping cur's subtree
 * when skip_kids. */
static xmlNodePtr next_node(xmlNodePtr cur, bool skip_kids)
{
    if (!skip_kids) {
        xmlNodePtr c = first_el(cur);
        if (c) return c;
    }
    for (; cur && is_el(cur); cur = cur->parent) {
        xmlNodePtr s = next_el(cur);
        if (s) return s;
    }
    return NULL;
}

/* Appends the unlinked child to parent (without libxml2's merging of text nodes). */
static void link_append(xmlNodePtr parent, xmlNodePtr child)
{
    child->parent = parent;
    child->prev = parent->last;
    child->next = NULL;
    if (parent->last)
        parent->last->next = child;
    else
        parent->children = child;
    parent->last = child;
}

/* Puts the unlinked node where old is; old is left unlinked. */
static void link_replace(xmlNodePtr old, xmlNodePtr node)
{
    node->parent = old->parent;
    node->prev = old->prev;
    node->next = old->next;
    if (old->prev)
        old->prev->next = node;
    else if (old->parent)
        old->parent->children = node;
    if (old->next)
        old->next->prev = node;
    else if (old->parent)
        old->parent->last = node;
    old->parent = old->prev = old->next = NULL;
}

/* Renames element n (Readability's _setNodeTag, done in place as its JSDOMParser does). */
static void set_tag(xmlNodePtr n, const char *tag)
{
    xmlNodeSetName(n, (const xmlChar *)tag);
}

/* Returns p, or ends the process the way news_xmalloc does when memory runs out: libxml2
 * returns NULL from its constructors only for lack of memory. */
static void *need(void *p)
{
    if (!p) {
        news_xmalloc(SIZE_MAX); /* reports and aborts */
        abort();
    }
    return p;
}

/* Creates an unlinked element of doc. */
static xmlNodePtr new_el(xmlDocPtr doc, const char *tag)
{
    return need(xmlNewDocNode(doc, NULL, (const xmlChar *)tag, NULL));
}

/* Collects the element descendants of root (not root) named one of tags, in document
 * order, into nv. */
static void collect_tags(xmlNodePtr root, const char *const *tags, struct nodevec *nv)
{
    for (xmlNodePtr n = walk_next(root, root, false); n; n = walk_next(root, n, false))
        if (tag_in(n, tags)) nv_push(nv, n);
}

/* Number of element descendants of root named tag. */
static size_t count_tag(xmlNodePtr root, const char *tag)
{
    size_t count = 0;
    for (xmlNodePtr n = walk_next(root, root, false); n; n = walk_next(root, n, false))
        count += tag_is(n, tag);
    return count;
}

/* The first element named tag in root's subtree (root included), or NULL. */
static xmlNodePtr find_tag(xmlNodePtr root, const char *tag)
{
    if (tag_is(root, tag)) return root;
    for (xmlNodePtr n = walk_next(root, root, false); n; n = walk_next(root, n, false))
        if (tag_is(n, tag)) return n;
    return NULL;
}

/* Frees the subtree rooted at n (unlinked) bottom-up, without recursion. */
static void free_subtree(xmlNodePtr n)
{
    xmlNodePtr cur = n;
    while (cur) {
        if (cur->type == XML_ELEMENT_NODE && cur->children) {
            cur = cur->children;
            continue;
        }
        xmlNodePtr next = cur->next, parent = cur->parent;
        bool last = cur == n;
        xmlUnlinkNode(cur);
        xmlFreeNode(cur);
        if (last) break;
        cur = next ? next : parent;
    }
}

/* ---------------------------------------------------------------------------------------
 * Text of a subtree
 * ------------------------------------------------------------------------------------- */

/* The text of a subtree as Readability measures it (_getInnerText: trimmed, whitespace
 * runs counted as one character), and its commas. */
struct tstat {
    size_t units;        /* UTF-16 length of the normalised text */
    size_t commas;       /* commas of any script (Readability's commas pattern) */
    size_t ascii_commas; /* ',' only */
};

/* True for the commas Readability counts: , ، ﹐ ︐ ︑ ⹁ ⸴ ⸲ ，. */
static bool is_comma(const unsigned char *p, size_t avail)
{
    if (p[0] == ',') return true;
    if (avail >= 2 && p[0] == 0xD8 && p[1] == 0x8C) return true; /* U+060C */
    if (avail < 3) return false;
    if (p[0] == 0xEF && p[1] == 0xB9 && p[2] == 0x90) return true; /* U+FE50 */
    if (p[0] == 0xEF && p[1] == 0xB8 && (p[2] == 0x90 || p[2] == 0x91)) return true;
    if (p[0] == 0xE2 && p[1] == 0xB9 && p[2] == 0x81) return true;                   /* U+2E41 */
    if (p[0] == 0xE2 && p[1] == 0xB8 && (p[2] == 0xB4 || p[2] == 0xB2)) return true; /* 2E34/32 */
    return p[0] == 0xEF && p[1] == 0xBC && p[2] == 0x8C;                             /* U+FF0C */
}

/* Measures the text of n's subtree (n itself if it is text). */
static void text_stat(xmlNodePtr n, struct tstat *st)
{
    memset(st, 0, sizeof *st);
    bool seen = false, pending = false;
    for (xmlNodePtr t = n; t; t = walk_next(n, t, false)) {
        if (!is_text(t) || !t->content) continue;
        const unsigned char *p = t->content;
        size_t len = strlen((const char *)p);
        for (size_t i = 0; i < len;) {
            size_t w = ws_len(p + i, len - i);
            if (w) {
                pending = seen;
                i += w;
                continue;
            }
            if (pending) st->units++;
            pending = false;
            seen = true;
            if (is_comma(p + i, len - i)) {
                st->commas++;
                st->ascii_commas += p[i] == ',';
            }
            st->units += char_units(p[i]);
            i += char_len(p[i], len - i);
        }
    }
}

/* The normalised text of a piece of a subtree, in a form that concatenates: what
 * Readability's _getInnerText length would be, plus whether whitespace leads or trails (a
 * run between two pieces counts as one character). */
struct tmeasure {
    size_t units, commas, ascii_commas;
    bool solid;    /* holds a non-whitespace character */
    bool lead_ws;  /* whitespace before the first solid character (or anywhere, if none) */
    bool trail_ws; /* whitespace after the last solid character (or anywhere, if none) */
};

/* Measures one string. */
static void tm_text(const char *s, struct tmeasure *m)
{
    memset(m, 0, sizeof *m);
    const unsigned char *p = (const unsigned char *)s;
    size_t len = strlen(s);
    bool pending = false;
    for (size_t i = 0; i < len;) {
        size_t w = ws_len(p + i, len - i);
        if (w) {
            if (!m->solid) m->lead_ws = true;
            pending = true;
            i += w;
            continue;
        }
        if (pending && m->solid) m->units++;
        pending = false;
        m->solid = true;
        if (is_comma(p + i, len - i)) {
            m->commas++;
            m->ascii_commas += p[i] == ',';
        }
        m->units += char_units(p[i]);
        i += char_len(p[i], len - i);
    }
    m->trail_ws = pending;
    if (!m->solid) m->trail_ws = m->lead_ws;
}

/* Appends the measure b to a, as if their texts were concatenated. */
static void tm_append(struct tmeasure *a, const struct tmeasure *b)
{
    if (!b->solid) {
        a->trail_ws = a->trail_ws || b->lead_ws;
        if (!a->solid) a->lead_ws = a->trail_ws;
        return;
    }
    if (!a->solid) {
        bool ws = a->lead_ws || b->lead_ws;
        *a = *b;
        a->lead_ws = ws;
        return;
    }
    a->units += b->units + (a->trail_ws || b->lead_ws ? 1 : 0);
    a->commas += b->commas;
    a->ascii_commas += b->ascii_commas;
    a->trail_ws = b->trail_ws;
}

/* UTF-16 length of n's normalised text. */
static size_t inner_len(xmlNodePtr n)
{
    struct tstat st;
    text_stat(n, &st);
    return st.units;
}

/* UTF-16 length of n's raw text (textContent.length). */
static size_t raw_len(xmlNodePtr n)
{
    size_t units = 0;
    for (xmlNodePtr t = n; t; t = walk_next(n, t, false))
        if (is_text(t) && t->content)
            units += str_units((const char *)t->content, strlen((const char *)t->content));
    return units;
}

/* Appends the raw text of n's subtree to b. */
static void raw_text(xmlNodePtr n, struct buf *b)
{
    for (xmlNodePtr t = n; t; t = walk_next(n, t, false))
        if (is_text(t) && t->content) buf_adds(b, (const char *)t->content);
}

/* n's text, whitespace-normalised and trimmed; malloc'd. */
static char *inner_text(xmlNodePtr n)
{
    struct buf b = {0};
    raw_text(n, &b);
    char *s = collapse_ws(b.data ? b.data : "", b.len);
    free(b.data);
    return s;
}

/* True if n's subtree holds any non-whitespace text. */
static bool has_text(xmlNodePtr n)
{
    for (xmlNodePtr t = n; t; t = walk_next(n, t, false)) {
        if (!is_text(t) || !t->content) continue;
        const unsigned char *p = t->content;
        size_t len = strlen((const char *)p);
        for (size_t i = 0; i < len;) {
            size_t w = ws_len(p + i, len - i);
            if (!w) return true;
            i += w;
        }
    }
    return false;
}

/* Readability's _getLinkDensity: the share of n's text inside links (in-page links weigh
 * 0.3). */
static double link_density(xmlNodePtr n)
{
    size_t total = inner_len(n);
    if (total == 0) return 0;
    double links = 0;
    for (xmlNodePtr a = walk_next(n, n, false); a; a = walk_next(n, a, false)) {
        if (!tag_is(a, "a")) continue;
        const char *href = attr(a, "href");
        double coefficient = href && href[0] == '#' && href[1] ? 0.3 : 1.0;
        links += (double)inner_len(a) * coefficient;
    }
    return links / (double)total;
}

/* ---------------------------------------------------------------------------------------
 * Readability's node predicates
 * ------------------------------------------------------------------------------------- */

/* Inline elements (Readability's PHRASING_ELEMS) and the blocks a div that becomes a
 * paragraph must not hold (DIV_TO_P_ELEMS). */
static const char *const phrasing_tags[] = {
    "abbr",     "audio",    "b",    "bdo",      "br",     "button",   "cite",   "code",
    "data",     "datalist", "dfn",  "em",       "embed",  "i",        "img",    "input",
    "kbd",      "label",    "mark", "math",     "meter",  "noscript", "object", "output",
    "progress", "q",        "ruby", "samp",     "script", "select",   "small",  "span",
    "strong",   "sub",      "sup",  "textarea", "time",   "var",      "wbr",    NULL};
static const char *const div_to_p_tags[] = {"blockquote", "dl",  "div",   "img", "ol",
                                            "p",          "pre", "table", "ul",  NULL};

/* Readability's _isPhrasingContent: text, inline elements, and links or edits holding
 * only phrasing content. */
static bool is_phrasing(xmlNodePtr n)
{
    if (is_text(n)) return true;
    if (!is_el(n)) return false;
    if (tag_in(n, phrasing_tags)) return true;
    if (!tag_is(n, "a") && !tag_is(n, "del") && !tag_is(n, "ins")) return false;
    for (xmlNodePtr c = n->children; c; c = c->next)
        if (!is_phrasing(c)) return false;
    return true;
}

/* Readability's _isWhitespace: blank text or a <br>. */
static bool is_ws_node(xmlNodePtr n)
{
    if (is_text(n)) return !has_text(n);
    return tag_is(n, "br");
}

/* True if the text node's content ends in a non-space character (Readability's /\S$/). */
static bool text_ends_solid(const xmlNode *t)
{
    if (!t->content || !t->content[0]) return false;
    const unsigned char *p = t->content;
    size_t len = strlen((const char *)p), i = len;
    /* Step back to the start of the last character. */
    do
        i--;
    while (i > 0 && (p[i] & 0xC0) == 0x80);
    return ws_len(p + i, len - i) == 0;
}

/* Readability's _hasSingleTagInsideElement: exactly one child element, named tag, and no
 * text beside it. */
static bool has_single_tag_inside(xmlNodePtr n, const char *tag)
{
    xmlNodePtr only = first_el(n);
    if (!only || !tag_is(only, tag) || next_el(only)) return false;
    for (xmlNodePtr c = n->children; c; c = c->next)
        if (is_text(c) && text_ends_solid(c)) return false;
    return true;
}

/* Readability's _isElementWithoutContent: no text, and no children but <br> and <hr>. */
static bool is_without_content(xmlNodePtr n)
{
    if (has_text(n)) return false;
    size_t kids = count_el_children(n);
    return kids == 0 || kids == count_tag(n, "br") + count_tag(n, "hr");
}

/* Readability's _hasChildBlockElement. */
static bool has_child_block(xmlNodePtr n)
{
    for (xmlNodePtr c = n->children; c; c = c->next)
        if (tag_in(c, div_to_p_tags) || (is_el(c) && has_child_block(c))) return true;
    return false;
}

/* Readability's _isProbablyVisible: no display:none or visibility:hidden style, no hidden
 * attribute, no aria-hidden="true" (but for Wikipedia's fallback images). */
static bool is_visible(xmlNodePtr n)
{
    const char *style = attr(n, "style");
    if (style) {
        /* Declarations are "name: value"; the value may carry !important. */
        const char *p = style;
        while (*p) {
            const char *end = strchr(p, ';');
            size_t len = end ? (size_t)(end - p) : strlen(p);
            char decl[128];
            size_t o = 0;
            for (size_t i = 0; i < len && o + 1 < sizeof decl; i++)
                if (p[i] != ' ' && p[i] != '\t' && p[i] != '\n' && p[i] != '\r')
                    decl[o++] = ascii_lower(p[i]);
            decl[o] = '\0';
            char *bang = strchr(decl, '!');
            if (bang) *bang = '\0';
            if (strcmp(decl, "display:none") == 0 || strcmp(decl, "visibility:hidden") == 0)
                return false;
            p += len;
            if (*p == ';') p++;
        }
    }
    if (attr(n, "hidden")) return false;
    const char *aria = attr(n, "aria-hidden");
    if (aria && strcmp(aria, "true") == 0) {
        const char *cls = attr(n, "class");
        if (!cls || !strstr(cls, "fallback-image")) return false;
    }
    return true;
}

/* ---------------------------------------------------------------------------------------
 * Readability's text similarity
 * ------------------------------------------------------------------------------------- */

/* Lowercase ASCII word tokens of s (JavaScript's toLowerCase().split(/\W+/)), at most
 * SIMILARITY_MAX_TOKENS, as offsets and lengths into s. */
struct tokens {
    size_t start[SIMILARITY_MAX_TOKENS], len[SIMILARITY_MAX_TOKENS];
    size_t n;
};

/* Fills t with the tokens of s. */
static void tokenize(const char *s, struct tokens *t)
{
    t->n = 0;
    for (size_t i = 0; s[i] && t->n < SIMILARITY_MAX_TOKENS;) {
        if (!is_word_char(s[i])) {
            i++;
            continue;
        }
        size_t j = i;
        while (is_word_char(s[j]))
            j++;
        t->start[t->n] = i;
        t->len[t->n++] = j - i;
        i = j;
    }
}

/* True if token k of b (in string sb) is among a's tokens (in sa), ignoring case. */
static bool token_in(const char *sb, const struct tokens *b, size_t k, const char *sa,
                     const struct tokens *a)
{
    for (size_t i = 0; i < a->n; i++) {
        if (a->len[i] != b->len[k]) continue;
        size_t j = 0;
        while (j < a->len[i] &&
               ascii_lower(sa[a->start[i] + j]) == ascii_lower(sb[b->start[k] + j]))
            j++;
        if (j == a->len[i]) return true;
    }
    return false;
}

/* Readability's _textSimilarity: 1 when every word of b is in a, 0 when none is. */
static double text_similarity(const char *a, const char *b)
{
    struct tokens *ta = news_xmalloc(sizeof *ta), *tb = news_xmalloc(sizeof *tb);
    double sim = 0;
    tokenize(a, ta);
    tokenize(b, tb);
    if (ta->n == 0 || tb->n == 0) goto done;
    size_t all = tb->n - 1, uniq = 0, uniq_count = 0;
    for (size_t k = 0; k < tb->n; k++) {
        all += tb->len[k];
        if (!token_in(b, tb, k, a, ta)) {
            uniq += tb->len[k];
            uniq_count++;
        }
    }
    if (uniq_count) uniq += uniq_count - 1;
    sim = 1.0 - (double)uniq / (double)all;
done:
    free(ta);
    free(tb);
    return sim;
}

/* ---------------------------------------------------------------------------------------
 * Character sets
 * ------------------------------------------------------------------------------------- */

/* windows-1252 0x80-0x9F; the five unassigned bytes become U+FFFD. */
static const unsigned short cp1252_high[32] = {
    0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD, 0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178};

/* What a charset label means for decoding. */
enum charset_kind {
    CHARSET_NONE, /* no label, or one nobody knows */
    CHARSET_UTF8,
    CHARSET_CP1252, /* windows-1252 and the labels browsers read as it */
    CHARSET_OTHER   /* anything else iconv can convert */
};

/* Classifies a charset label (copied into name, trimmed and lowercased). */
static enum charset_kind charset_classify(const char *label, size_t len,
                                          char name[HTML_MAX_CHARSET_NAME])
{
    size_t o = 0;
    for (size_t i = 0; i < len && o + 1 < HTML_MAX_CHARSET_NAME; i++) {
        char c = label[i];
        if (c == '"' || c == '\'' || c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
        name[o++] = ascii_lower(c);
    }
    name[o] = '\0';
    if (o == 0) return CHARSET_NONE;
    static const char *const utf8[] = {"utf-8", "utf8", "unicode-1-1-utf-8", NULL};
    static const char *const cp1252[] = {"iso-8859-1",      "iso8859-1",      "iso_8859-1",
                                         "latin1",          "latin-1",        "l1",
                                         "windows-1252",    "cp1252",         "x-cp1252",
                                         "us-ascii",        "ascii",          "iso-ir-100",
                                         "ibm819",          "cp819",          "csisolatin1",
                                         "iso_8859-1:1987", "ansi_x3.4-1968", NULL};
    for (size_t i = 0; utf8[i]; i++)
        if (strcmp(name, utf8[i]) == 0) return CHARSET_UTF8;
    for (size_t i = 0; cp1252[i]; i++)
        if (strcmp(name, cp1252[i]) == 0) return CHARSET_CP1252;
    /* UTF-16 without a byte order mark is what a <meta> in ASCII cannot truthfully say. */
    if (strncmp(name, "utf-16", 6) == 0) return CHARSET_NONE;
    iconv_t cd = iconv_open("UTF-8", name);
    if (cd == (iconv_t)-1) return CHARSET_NONE;
    iconv_close(cd);
    return CHARSET_OTHER;
}

/* Finds the charset a <meta> tag declares in the first HTML_SNIFF_BYTES of the page (either
 * <meta charset=...> or <meta http-equiv content="text/html; charset=...">) and classifies
 * it. */
static enum charset_kind sniff_meta_charset(const char *html, size_t len,
                                            char name[HTML_MAX_CHARSET_NAME])
{
    size_t end = len < HTML_SNIFF_BYTES ? len : HTML_SNIFF_BYTES;
    for (size_t i = 0; i + 5 < end; i++) {
        if (html[i] != '<' || !ci_starts(html + i + 1, "meta")) continue;
        size_t close = i + 5;
        while (close < end && html[close] != '>')
            close++;
        for (size_t j = i + 5; j + 8 <= close; j++) {
            if (!ci_starts(html + j, "charset")) continue;
            size_t k = j + 7;
            while (k < close && (html[k] == ' ' || html[k] == '\t'))
                k++;
            if (k >= close || html[k] != '=') continue;
            k++;
            while (k < close && (html[k] == ' ' || html[k] == '"' || html[k] == '\''))
                k++;
            size_t v = k;
            while (k < close && html[k] != '"' && html[k] != '\'' && html[k] != ';' &&
                   html[k] != ' ' && html[k] != '/' && html[k] != '>')
                k++;
            if (k > v) return charset_classify(html + v, k - v, name);
        }
        i = close;
    }
    name[0] = '\0';
    return CHARSET_NONE;
}

/* True if the len bytes hold a byte above 0x7F. */
static bool has_high_bytes(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] >= 0x80) return true;
    return false;
}

/* Decodes every byte as windows-1252 into a malloc'd UTF-8 string. */
static char *decode_cp1252(const char *s, size_t len, size_t *out_len)
{
    char *out = news_xmalloc(len * 3 + 1);
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned c = (unsigned char)s[i];
        if (c < 0x80)
            out[o++] = (char)c;
        else
            o += utf8_put(out + o, c < 0xA0 ? cp1252_high[c - 0x80] : c);
    }
    out[o] = '\0';
    *out_len = o;
    return out;
}

/* Converts len bytes in the charset name to a malloc'd UTF-8 string with iconv: a byte
 * that does not convert becomes U+FFFD and decoding goes on (libxml2's own conversion stops
 * at the first bad byte and reports it on stderr). NULL if iconv does not know name. */
static char *decode_iconv(const char *name, const char *s, size_t len, size_t *out_len)
{
    iconv_t cd = iconv_open("UTF-8", name);
    if (cd == (iconv_t)-1) return NULL;
    char *copy = news_xstrndup(s, len); /* iconv wants a non-const input pointer */
    size_t cap = len * 2 + 64, o = 0;
    char *out = news_xmalloc(cap);
    char *in = copy;
    size_t in_left = len;
    while (in_left > 0) {
        if (cap - o < 16) {
            cap *= 2;
            out = news_xrealloc(out, cap);
        }
        char *outp = out + o;
        size_t out_left = cap - o - 1;
        size_t rc = iconv(cd, &in, &in_left, &outp, &out_left);
        o = (size_t)(outp - out);
        if (rc != (size_t)-1) break;
        if (errno == E2BIG) {
            cap *= 2;
            out = news_xrealloc(out, cap);
            continue;
        }
        /* EILSEQ, or EINVAL for a sequence cut short at the end: replace one byte. */
        if (cap - o < 16) {
            cap *= 2;
            out = news_xrealloc(out, cap);
        }
        o += utf8_put(out + o, 0xFFFD);
        in++;
        in_left--;
        iconv(cd, NULL, NULL, NULL, NULL);
    }
    for (;;) { /* the final shift sequence of stateful encodings */
        char *outp = out + o;
        size_t out_left = cap - o - 1;
        size_t rc = iconv(cd, NULL, NULL, &outp, &out_left);
        o = (size_t)(outp - out);
        if (rc != (size_t)-1 || errno != E2BIG) break;
        cap *= 2;
        out = news_xrealloc(out, cap);
    }
    out[o] = '\0';
    iconv_close(cd);
    free(copy);
    *out_len = o;
    return out;
}

/* Decodes the page to UTF-8 that libxml2 can take as it is: byte order mark, then
 * ctx_charset, then <meta>, then sniffing (valid UTF-8 is UTF-8, anything else
 * windows-1252). Labels for ISO-8859-1 are read as windows-1252. A page that is valid UTF-8
 * with non-ASCII characters is UTF-8 whatever its label says: Latin-1, GBK or Shift_JIS text
 * is almost never valid UTF-8, and pages re-encoded without fixing their <meta> are common.
 * Returns a malloc'd valid UTF-8 string without NUL bytes (they become spaces). */
static char *decode_page(const char *html, size_t len, const char *ctx_charset, size_t *out_len)
{
    const unsigned char *p = (const unsigned char *)html;
    char name[HTML_MAX_CHARSET_NAME] = "";
    enum charset_kind kind = CHARSET_NONE;
    bool bom = (len >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) ||
               (len >= 2 && ((p[0] == 0xFF && p[1] == 0xFE) || (p[0] == 0xFE && p[1] == 0xFF)));
    if (!bom && ctx_charset) kind = charset_classify(ctx_charset, strlen(ctx_charset), name);
    if (!bom && kind == CHARSET_NONE) kind = sniff_meta_charset(html, len, name);
    if (kind != CHARSET_NONE && has_high_bytes(html, len) && utf8_is_valid(html, len))
        kind = CHARSET_UTF8;

    char *out = NULL;
    size_t n = 0;
    enum utf8_source how;
    if (kind == CHARSET_OTHER) out = decode_iconv(name, html, len, &n);
    if (out && !utf8_is_valid(out, n)) {
        char *fixed = utf8_decode(out, n, &n, &how);
        free(out);
        out = fixed;
    }
    if (!out && kind == CHARSET_CP1252) out = decode_cp1252(html, len, &n);
    if (!out) out = utf8_decode(html, len, &n, &how);
    for (size_t i = 0; i < n; i++)
        if (out[i] == '\0') out[i] = ' ';
    *out_len = n;
    return out;
}

/* Parses len bytes of valid UTF-8. XML_PARSE_HUGE lifts libxml2's nesting limit of 256,
 * past which it silently drops the rest of the page; HTML_MAX_INPUT_BYTES and
 * prepare_tree's flattening bound what deep markup can cost instead. Returns NULL for an
 * empty page. */
static htmlDocPtr parse_utf8(const char *utf8, size_t len)
{
    int options = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                  HTML_PARSE_NONET | XML_PARSE_HUGE;
    if (len == 0 || len > (size_t)INT32_MAX) return NULL;
    xmlInitParser();
    return htmlReadMemory(utf8, (int)len, NULL, "UTF-8", options);
}

/* ---------------------------------------------------------------------------------------
 * Preparing the tree
 * ------------------------------------------------------------------------------------- */

/* Replaces an attribute's value nodes with one text node (entity references and split
 * values happen in odd markup), so attr() can return a plain string. */
static void normalize_attr(xmlAttrPtr a)
{
    xmlNodePtr v = a->children;
    if (!v || (v->type == XML_TEXT_NODE && !v->next)) return;
    xmlChar *value = xmlNodeListGetString(a->doc, v, 1);
    xmlFreeNodeList(v);
    a->children = a->last = NULL;
    xmlNodePtr t = need(xmlNewDocText(a->doc, value ? value : (const xmlChar *)""));
    xmlFree(value);
    t->parent = (xmlNodePtr)a;
    a->children = a->last = t;
}

/* Replaces n's children with one text node holding their text: what markup nested deeper
 * than HTML_MAX_DEPTH becomes, so no later walk or libxml2 call recurses without bound. */
static void flatten(xmlNodePtr n)
{
    struct buf b = {0};
    raw_text(n, &b);
    xmlNodePtr kids = n->children;
    while (kids) {
        xmlNodePtr next = kids->next;
        xmlUnlinkNode(kids);
        free_subtree(kids);
        kids = next;
    }
    xmlNodePtr t =
        need(xmlNewDocTextLen(n->doc, (const xmlChar *)(b.data ? b.data : ""), (int)b.len));
    link_append(n, t);
    free(b.data);
}

/* Replaces C1 control characters (U+0080-U+009F) in a text node with the windows-1252
 * characters they stand for: libxml2 decodes &#150; or &#147; to them where HTML5 gives
 * the dash or the quote, and a page mis-decoded upstream carries them too. */
static void fix_c1(xmlNodePtr t)
{
    const char *s = (const char *)t->content;
    if (!s) return;
    const char *hit = strchr(s, '\xC2');
    while (hit && ((unsigned char)hit[1] < 0x80 || (unsigned char)hit[1] > 0x9F))
        hit = strchr(hit + 1, '\xC2');
    if (!hit) return;
    struct buf b = {0};
    for (size_t i = 0; s[i];) {
        unsigned char c = (unsigned char)s[i], d = (unsigned char)s[i + 1];
        if (c == 0xC2 && d >= 0x80 && d <= 0x9F) {
            char enc[4];
            unsigned cp = cp1252_high[d - 0x80];
            if (cp != 0xFFFD) buf_add(&b, enc, utf8_put(enc, cp)); /* unassigned: dropped */
            i += 2;
        } else {
            buf_add(&b, s + i++, 1);
        }
    }
    xmlNodeSetContent(t, (const xmlChar *)(b.data ? b.data : ""));
    free(b.data);
}

/* One pass over the fresh tree: attribute values made single strings, C1 controls mapped to
 * windows-1252, and elements at depth HTML_MAX_DEPTH flattened. */
static void prepare_tree(xmlDocPtr doc)
{
    xmlNodePtr root = (xmlNodePtr)doc;
    size_t depth = 0;
    xmlNodePtr n = doc->children;
    while (n) {
        bool descend = false;
        if (is_text(n)) fix_c1(n);
        if (n->type == XML_ELEMENT_NODE) {
            for (xmlAttrPtr a = n->properties; a; a = a->next) {
                normalize_attr(a);
                if (a->children) fix_c1(a->children);
            }
            if (depth >= HTML_MAX_DEPTH && first_el(n)) flatten(n);
            descend = n->children != NULL;
        }
        if (descend) {
            n = n->children;
            depth++;
            continue;
        }
        while (n && n != root && !n->next) {
            n = n->parent;
            depth--;
        }
        if (!n || n == root) break;
        n = n->next;
    }
}

/* Unlinks and frees every element named one of tags. */
static void remove_tags(xmlNodePtr root, const char *const *tags)
{
    struct nodevec nv = {0};
    collect_tags(root, tags, &nv);
    /* Backwards, so that a node inside another is freed before its ancestor. */
    for (size_t i = nv.n; i-- > 0;) {
        xmlUnlinkNode(nv.v[i]);
        free_subtree(nv.v[i]);
    }
    nv_free(&nv);
}

/* Readability's _nextNode: from n, the first sibling that is an element or has text. */
static xmlNodePtr next_solid(xmlNodePtr n)
{
    while (n && !is_el(n)) {
        const char *content = (const char *)n->content;
        bool blank = true;
        if (content) {
            size_t len = strlen(content);
            for (size_t i = 0; i < len && blank;) {
                size_t w = ws_len((const unsigned char *)content + i, len - i);
                if (!w) blank = false;
                i += w;
            }
        }
        if (!blank) break;
        n = n->next;
    }
    return n;
}

/* Readability's _replaceBrs: a chain of two or more <br> becomes a <p> holding the
 * phrasing content that follows it. */
static void replace_brs(xmlDocPtr doc, xmlNodePtr body)
{
    static const char *const br[] = {"br", NULL};
    struct nodevec brs = {0}, grave = {0};
    collect_tags(body, br, &brs);
    for (size_t i = 0; i < brs.n; i++) {
        xmlNodePtr b = brs.v[i], next = b->next;
        bool replaced = false;
        while ((next = next_solid(next)) != NULL && tag_is(next, "br")) {
            replaced = true;
            xmlNodePtr sibling = next->next;
            xmlUnlinkNode(next);
            nv_push(&grave, next);
            next = sibling;
        }
        if (!replaced || !b->parent) continue;
        xmlNodePtr p = new_el(doc, "p");
        link_replace(b, p);
        nv_push(&grave, b);
        for (next = p->next; next;) {
            if (tag_is(next, "br")) {
                xmlNodePtr after = next_solid(next->next);
                if (after && tag_is(after, "br")) break;
            }
            if (!is_phrasing(next)) break;
            xmlNodePtr sibling = next->next;
            xmlUnlinkNode(next);
            link_append(p, next);
            next = sibling;
        }
        while (p->last && is_ws_node(p->last)) {
            xmlNodePtr last = p->last;
            xmlUnlinkNode(last);
            nv_push(&grave, last);
        }
        if (tag_is(p->parent, "p")) set_tag(p->parent, "div");
    }
    for (size_t i = 0; i < grave.n; i++)
        free_subtree(grave.v[i]);
    nv_free(&grave);
    nv_free(&brs);
}

/* The <body> of the document, or NULL. */
static xmlNodePtr doc_body(xmlDocPtr doc)
{
    xmlNodePtr root = xmlDocGetRootElement(doc);
    if (!root) return NULL;
    for (xmlNodePtr c = first_el(root); c; c = next_el(c))
        if (tag_is(c, "body")) return c;
    return NULL;
}

/* ---------------------------------------------------------------------------------------
 * JSON (for JSON-LD): a small strict parser, as JSON.parse accepts
 * ------------------------------------------------------------------------------------- */

enum jtype { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };

/* A parsed JSON value; owns its strings and children. */
struct jval {
    enum jtype type;
    char *str;          /* J_STR: decoded UTF-8 */
    char **keys;        /* J_OBJ: one per item */
    struct jval *items; /* J_ARR elements, J_OBJ values */
    size_t n;
};

struct jparser {
    const char *p, *end;
    int depth;
};

/* Frees what v owns and zeroes it. */
static void jfree(struct jval *v)
{
    for (size_t i = 0; i < v->n; i++) {
        jfree(&v->items[i]);
        if (v->keys) free(v->keys[i]);
    }
    free(v->items);
    free(v->keys);
    free(v->str);
    memset(v, 0, sizeof *v);
}

/* Skips JSON whitespace. */
static void jskip_ws(struct jparser *jp)
{
    while (jp->p < jp->end && (*jp->p == ' ' || *jp->p == '\t' || *jp->p == '\n' || *jp->p == '\r'))
        jp->p++;
}

/* Reads 4 hex digits at jp->p into *out. */
static bool jhex4(struct jparser *jp, unsigned *out)
{
    if (jp->end - jp->p < 4) return false;
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char c = jp->p[i];
        unsigned d;
        if (c >= '0' && c <= '9')
            d = (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            d = (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            d = (unsigned)(c - 'A' + 10);
        else
            return false;
        v = v * 16 + d;
    }
    jp->p += 4;
    *out = v;
    return true;
}

/* Parses a string (jp->p at the opening quote) into a malloc'd UTF-8 *out. */
static bool jparse_string(struct jparser *jp, char **out)
{
    struct buf b = {0};
    jp->p++;
    while (jp->p < jp->end && *jp->p != '"') {
        unsigned char c = (unsigned char)*jp->p;
        if (c < 0x20) goto fail;
        if (c != '\\') {
            buf_add(&b, jp->p++, 1);
            continue;
        }
        if (++jp->p >= jp->end) goto fail;
        char e = *jp->p++;
        char one = 0;
        switch (e) {
        case '"':
            one = '"';
            break;
        case '\\':
            one = '\\';
            break;
        case '/':
            one = '/';
            break;
        case 'b':
            one = '\b';
            break;
        case 'f':
            one = '\f';
            break;
        case 'n':
            one = '\n';
            break;
        case 'r':
            one = '\r';
            break;
        case 't':
            one = '\t';
            break;
        case 'u': {
            unsigned cp;
            if (!jhex4(jp, &cp)) goto fail;
            if (cp >= 0xD800 && cp <= 0xDBFF && jp->end - jp->p >= 6 && jp->p[0] == '\\' &&
                jp->p[1] == 'u') {
                struct jparser look = *jp;
                unsigned lo;
                look.p += 2;
                if (jhex4(&look, &lo) && lo >= 0xDC00 && lo <= 0xDFFF) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    *jp = look;
                }
            }
            if ((cp >= 0xD800 && cp <= 0xDFFF) || cp == 0) cp = 0xFFFD;
            char enc[4];
            buf_add(&b, enc, utf8_put(enc, cp));
            continue;
        }
        default:
            goto fail;
        }
        buf_add(&b, &one, 1);
    }
    if (jp->p >= jp->end) goto fail;
    jp->p++;
    *out = buf_take(&b);
    return true;
fail:
    free(b.data);
    return false;
}

static bool jparse_value(struct jparser *jp, struct jval *v);

/* Parses an array or object (jp->p at its opening bracket) into v. */
static bool jparse_container(struct jparser *jp, struct jval *v, bool is_object)
{
    char close = is_object ? '}' : ']';
    size_t cap = 0;
    v->type = is_object ? J_OBJ : J_ARR;
    jp->p++;
    jskip_ws(jp);
    if (jp->p < jp->end && *jp->p == close) {
        jp->p++;
        return true;
    }
    for (;;) {
        char *key = NULL;
        jskip_ws(jp);
        if (is_object) {
            if (jp->p >= jp->end || *jp->p != '"' || !jparse_string(jp, &key)) return false;
            jskip_ws(jp);
            if (jp->p >= jp->end || *jp->p != ':') {
                free(key);
                return false;
            }
            jp->p++;
        }
        if (v->n == cap) {
            cap = cap ? cap * 2 : 8;
            v->items = news_xrealloc(v->items, cap * sizeof *v->items);
            if (is_object) v->keys = news_xrealloc(v->keys, cap * sizeof *v->keys);
        }
        memset(&v->items[v->n], 0, sizeof v->items[v->n]);
        if (is_object) v->keys[v->n] = key;
        v->n++;
        if (!jparse_value(jp, &v->items[v->n - 1])) return false;
        jskip_ws(jp);
        if (jp->p >= jp->end) return false;
        if (*jp->p == ',') {
            jp->p++;
            continue;
        }
        if (*jp->p != close) return false;
        jp->p++;
        return true;
    }
}

/* Parses one value at jp->p into v (zeroed); on failure v holds what must be freed. */
static bool jparse_value(struct jparser *jp, struct jval *v)
{
    jskip_ws(jp);
    if (jp->p >= jp->end) return false;
    char c = *jp->p;
    if (c == '{' || c == '[') {
        if (++jp->depth > JSON_MAX_DEPTH) return false;
        bool ok = jparse_container(jp, v, c == '{');
        jp->depth--;
        return ok;
    }
    if (c == '"') {
        v->type = J_STR;
        return jparse_string(jp, &v->str);
    }
    static const char *const words[] = {"true", "false", "null"};
    for (size_t i = 0; i < 3; i++) {
        size_t n = strlen(words[i]);
        if ((size_t)(jp->end - jp->p) >= n && memcmp(jp->p, words[i], n) == 0) {
            jp->p += n;
            v->type = i < 2 ? J_BOOL : J_NULL;
            return true;
        }
    }
    /* Number: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
    const char *p = jp->p;
    if (p < jp->end && *p == '-') p++;
    if (p >= jp->end || *p < '0' || *p > '9') return false;
    if (*p == '0')
        p++;
    else
        while (p < jp->end && *p >= '0' && *p <= '9')
            p++;
    if (p < jp->end && *p == '.') {
        p++;
        if (p >= jp->end || *p < '0' || *p > '9') return false;
        while (p < jp->end && *p >= '0' && *p <= '9')
            p++;
    }
    if (p < jp->end && (*p == 'e' || *p == 'E')) {
        p++;
        if (p < jp->end && (*p == '+' || *p == '-')) p++;
        if (p >= jp->end || *p < '0' || *p > '9') return false;
        while (p < jp->end && *p >= '0' && *p <= '9')
            p++;
    }
    jp->p = p;
    v->type = J_NUM;
    return true;
}

/* Parses the whole of len bytes as one JSON value into *v; false (v empty) if invalid. */
static bool json_parse(const char *s, size_t len, struct jval *v)
{
    struct jparser jp = {s, s + len, 0};
    memset(v, 0, sizeof *v);
    bool ok = jparse_value(&jp, v);
    jskip_ws(&jp);
    if (ok && jp.p == jp.end) return true;
    jfree(v);
    return false;
}

/* The value of key in object v (the last one, as JavaScript keeps), or NULL. */
static const struct jval *jget(const struct jval *v, const char *key)
{
    if (!v || v->type != J_OBJ) return NULL;
    for (size_t i = v->n; i-- > 0;)
        if (strcmp(v->keys[i], key) == 0) return &v->items[i];
    return NULL;
}

/* The string value of key in object v, or NULL. */
static const char *jget_str(const struct jval *v, const char *key)
{
    const struct jval *s = jget(v, key);
    return s && s->type == J_STR ? s->str : NULL;
}

/* ---------------------------------------------------------------------------------------
 * Metadata
 * ------------------------------------------------------------------------------------- */

/* What JSON-LD says about the article (all malloc'd or NULL). */
struct jsonld {
    char *title, *byline, *site, *date;
};

/* The <meta> values Readability reads, under its normalised keys ("og:title", "author"),
 * later tags overriding earlier ones. */
struct meta_value {
    char *key, *value;
};
struct metas {
    struct meta_value *v;
    size_t n, cap;
};

/* Sets key to a copy of value, replacing an earlier one. */
static void metas_set(struct metas *m, const char *key, const char *value)
{
    for (size_t i = 0; i < m->n; i++) {
        if (strcmp(m->v[i].key, key) == 0) {
            free(m->v[i].value);
            m->v[i].value = news_xstrdup(value);
            return;
        }
    }
    if (m->n == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 16;
        m->v = news_xrealloc(m->v, m->cap * sizeof *m->v);
    }
    m->v[m->n].key = news_xstrdup(key);
    m->v[m->n++].value = news_xstrdup(value);
}

/* The value under key, or NULL; "" counts as absent, as in Readability's || chains. */
static const char *metas_get(const struct metas *m, const char *key)
{
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->v[i].key, key) == 0) return m->v[i].value[0] ? m->v[i].value : NULL;
    return NULL;
}

/* Frees every key and value and empties m. */
static void metas_free(struct metas *m)
{
    for (size_t i = 0; i < m->n; i++) {
        free(m->v[i].key);
        free(m->v[i].value);
    }
    free(m->v);
    memset(m, 0, sizeof *m);
}

/* Appends the code point to b, replacing the invalid ones and reading C1 controls as
 * windows-1252, as browsers do. */
static void put_codepoint(struct buf *b, unsigned long cp)
{
    if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
    if (cp >= 0x80 && cp <= 0x9F) cp = cp1252_high[cp - 0x80]; /* as HTML5 reads &#150; */
    char enc[4];
    buf_add(b, enc, utf8_put(enc, (unsigned)cp));
}

/* Readability's _unescapeHtmlEntities: decodes &quot; &amp; &apos; &lt; &gt; and numeric
 * references left in metadata that was escaped twice. Returns a malloc'd string. */
static char *unescape_entities(const char *s)
{
    static const char *const names[] = {"quot;", "amp;", "apos;", "lt;", "gt;"};
    static const char chars[] = {'"', '&', '\'', '<', '>'};
    struct buf b = {0};
    for (size_t i = 0; s[i];) {
        if (s[i] != '&') {
            buf_add(&b, s + i++, 1);
            continue;
        }
        bool done = false;
        for (size_t k = 0; k < 5 && !done; k++) {
            size_t n = strlen(names[k]);
            if (strncmp(s + i + 1, names[k], n) == 0) {
                buf_add(&b, &chars[k], 1);
                i += 1 + n;
                done = true;
            }
        }
        if (!done && s[i + 1] == '#') {
            size_t j = i + 2;
            bool hex = s[j] == 'x' || s[j] == 'X';
            j += hex;
            unsigned long cp = 0;
            size_t digits = 0;
            for (;; j++, digits++) {
                char c = s[j];
                int d = c >= '0' && c <= '9'          ? c - '0'
                        : hex && c >= 'a' && c <= 'f' ? c - 'a' + 10
                        : hex && c >= 'A' && c <= 'F' ? c - 'A' + 10
                                                      : -1;
                if (d < 0) break;
                if (cp <= 0x10FFFF) cp = cp * (hex ? 16u : 10u) + (unsigned long)d;
            }
            if (digits && s[j] == ';') {
                put_codepoint(&b, cp);
                i = j + 1;
                done = true;
            }
        }
        if (!done) buf_add(&b, s + i++, 1);
    }
    return buf_take(&b);
}

/* The first <title> of the document (outside SVG) as JSDOM's document.title gives it:
 * ASCII whitespace collapsed, then trimmed. Malloc'd. */
static char *doc_title(xmlDocPtr doc)
{
    xmlNodePtr root = xmlDocGetRootElement(doc), t = NULL;
    if (root) {
        for (xmlNodePtr n = root; n; n = walk_next(root, n, tag_is(n, "svg")))
            if (tag_is(n, "title")) {
                t = n;
                break;
            }
    }
    if (!t) return news_xstrdup("");
    char *text = inner_text(t);
    return text;
}

/* Byte length of a title separator (| - – — \ / > ») at s, or 0; hierarchical ones only
 * (\ / > ») when hier. */
static size_t sep_at(const char *s, bool hier)
{
    const unsigned char *p = (const unsigned char *)s;
    if (!hier && (*s == '|' || *s == '-')) return 1;
    if (!hier && p[0] == 0xE2 && p[1] == 0x80 && (p[2] == 0x93 || p[2] == 0x94)) return 3;
    if (*s == '\\' || *s == '/' || *s == '>') return 1;
    if (p[0] == 0xC2 && p[1] == 0xBB) return 2;
    return 0;
}

/* True if s has a separator with a space on both sides. */
static bool has_spaced_sep(const char *s, bool hier)
{
    for (size_t i = 0; s[i]; i++) {
        if (s[i] != ' ') continue;
        size_t n = sep_at(s + i + 1, hier);
        if (n && s[i + 1 + n] == ' ') return true;
    }
    return false;
}

/* True if some <h1> or <h2> has exactly the text title. */
static bool heading_matches(xmlDocPtr doc, const char *title)
{
    xmlNodePtr root = xmlDocGetRootElement(doc);
    if (!root) return false;
    for (xmlNodePtr n = root; n; n = walk_next(root, n, false)) {
        if (!tag_is(n, "h1") && !tag_is(n, "h2")) continue;
        char *text = inner_text(n);
        bool same = strcmp(text, title) == 0;
        free(text);
        if (same) return true;
    }
    return false;
}

/* Readability's _getArticleTitle: the <title> without the site name that usually comes
 * before or after a separator or colon, or the only <h1> when the title is too short or too
 * long; the whole <title> again when that leaves four words or fewer. Malloc'd. */
static char *article_title(xmlDocPtr doc)
{
    char *orig = doc_title(doc);
    char *cur = news_xstrdup(orig);
    bool hier = false;
    if (has_spaced_sep(cur, false)) {
        hier = has_spaced_sep(cur, true);
        /* Everything before the last separator with a space on both sides. */
        size_t cut = 0;
        for (size_t i = 0; orig[i]; i++) {
            if (orig[i] != ' ') continue;
            size_t n = sep_at(orig + i + 1, false);
            if (n && orig[i + 1 + n] == ' ') {
                cut = i;
                i += n + 1;
            }
        }
        free(cur);
        cur = news_xstrndup(orig, cut);
        if (js_word_count(cur) < 3) {
            /* Everything after the first separator. */
            size_t i = 0, n = 0;
            while (orig[i] && (n = sep_at(orig + i, false)) == 0)
                i++;
            free(cur);
            cur = news_xstrdup(orig + i + n);
        }
    } else if (strstr(cur, ": ")) {
        if (!heading_matches(doc, cur)) {
            const char *last = strrchr(orig, ':'), *first = strchr(orig, ':');
            free(cur);
            cur = news_xstrdup(last + 1);
            if (js_word_count(cur) < 3) {
                free(cur);
                cur = news_xstrdup(first + 1);
            } else {
                char *before = news_xstrndup(orig, (size_t)(first - orig));
                if (js_word_count(before) > 5) {
                    free(cur);
                    cur = news_xstrdup(orig);
                }
                free(before);
            }
        }
    } else {
        size_t units = str_units(cur, strlen(cur));
        xmlNodePtr root = xmlDocGetRootElement(doc);
        if ((units > 150 || units < 15) && root) {
            xmlNodePtr h1 = NULL;
            size_t count = 0;
            for (xmlNodePtr n = root; n; n = walk_next(root, n, false))
                if (tag_is(n, "h1") && count++ == 0) h1 = n;
            if (count == 1) {
                free(cur);
                cur = inner_text(h1);
            }
        }
    }
    char *trimmed = collapse_ws(cur, strlen(cur));
    free(cur);
    cur = trimmed;
    size_t words = js_word_count(cur);
    if (words <= 4) {
        struct buf stripped = {0};
        for (size_t i = 0; orig[i];) {
            size_t n = sep_at(orig + i, false);
            if (n)
                i += n;
            else
                buf_add(&stripped, orig + i++, 1);
        }
        char *s = buf_take(&stripped);
        if (!hier || words != js_word_count(s) - 1) {
            free(cur);
            cur = news_xstrdup(orig);
        }
        free(s);
    }
    free(orig);
    return cur;
}

/* True if t is one of the schema.org article types Readability accepts (its pattern
 * ^Article|...|APIReference$ : a prefix, an infix or a suffix match). */
static bool is_article_type(const char *t)
{
    static const char *const infix[] = {
        "AdvertiserContentArticle", "NewsArticle",           "AnalysisNewsArticle",
        "AskPublicNewsArticle",     "BackgroundNewsArticle", "OpinionNewsArticle",
        "ReportageNewsArticle",     "ReviewNewsArticle",     "Report",
        "SatiricalArticle",         "ScholarlyArticle",      "MedicalScholarlyArticle",
        "SocialMediaPosting",       "BlogPosting",           "LiveBlogPosting",
        "DiscussionForumPosting",   "TechArticle",           NULL};
    if (strncmp(t, "Article", 7) == 0) return true;
    size_t n = strlen(t);
    if (n >= 12 && strcmp(t + n - 12, "APIReference") == 0) return true;
    for (size_t i = 0; infix[i]; i++)
        if (strstr(t, infix[i])) return true;
    return false;
}

/* True if a JSON-LD @type (a string, or an array of them) names an article type. */
static bool jtype_is_article(const struct jval *t)
{
    if (!t) return false;
    if (t->type == J_STR) return is_article_type(t->str);
    if (t->type != J_ARR) return false;
    for (size_t i = 0; i < t->n; i++)
        if (t->items[i].type == J_STR && is_article_type(t->items[i].str)) return true;
    return false;
}

/* True if s is a schema.org context: https?://schema.org/? */
static bool is_schema_org(const char *s)
{
    if (strncmp(s, "http://", 7) == 0)
        s += 7;
    else if (strncmp(s, "https://", 8) == 0)
        s += 8;
    else
        return false;
    return strcmp(s, "schema.org") == 0 || strcmp(s, "schema.org/") == 0;
}

/* Trimmed, malloc'd copy of s, or NULL for NULL. */
static char *trim_or_null(const char *s)
{
    return s ? trim_dup(s) : NULL;
}

/* Reads one parsed JSON-LD object the way Readability's _getJSONLD does. Returns false if
 * it is not an article (then jl is untouched). */
static bool jsonld_read(xmlDocPtr doc, const struct jval *parsed, struct jsonld *jl)
{
    if (parsed->type == J_ARR) {
        /* A list of objects: the first that is an article. */
        const struct jval *found = NULL;
        for (size_t i = 0; i < parsed->n && !found; i++)
            if (jtype_is_article(jget(&parsed->items[i], "@type"))) found = &parsed->items[i];
        if (!found) return false;
        parsed = found;
    }
    const struct jval *context = jget(parsed, "@context");
    bool schema = false;
    if (context && context->type == J_STR) schema = is_schema_org(context->str);
    if (context && context->type == J_OBJ) {
        const char *vocab = jget_str(context, "@vocab");
        schema = vocab && is_schema_org(vocab);
    }
    if (!schema) return false;
    const struct jval *graph = jget(parsed, "@graph");
    if (!jget(parsed, "@type") && graph && graph->type == J_ARR) {
        const struct jval *found = NULL;
        for (size_t i = 0; i < graph->n && !found; i++)
            if (jtype_is_article(jget(&graph->items[i], "@type"))) found = &graph->items[i];
        parsed = found;
    }
    if (!parsed || !jtype_is_article(jget(parsed, "@type"))) return false;

    const char *name = jget_str(parsed, "name"), *headline = jget_str(parsed, "headline");
    if (name && headline && strcmp(name, headline) != 0) {
        /* Some sites put their own name in "name": take whichever matches the <title>. */
        char *title = article_title(doc);
        bool name_matches = text_similarity(name, title) > 0.75;
        bool headline_matches = text_similarity(headline, title) > 0.75;
        free(title);
        jl->title = news_xstrdup(headline_matches && !name_matches ? headline : name);
    } else if (name) {
        jl->title = trim_dup(name);
    } else if (headline) {
        jl->title = trim_dup(headline);
    }
    const struct jval *author = jget(parsed, "author");
    if (author && author->type == J_OBJ) {
        jl->byline = trim_or_null(jget_str(author, "name"));
    } else if (author && author->type == J_ARR && author->n > 0 &&
               jget_str(&author->items[0], "name")) {
        struct buf b = {0};
        for (size_t i = 0; i < author->n; i++) {
            const char *n = jget_str(&author->items[i], "name");
            if (!n) continue;
            char *t = trim_dup(n);
            if (b.len) buf_adds(&b, ", ");
            buf_adds(&b, t);
            free(t);
        }
        jl->byline = buf_take(&b);
    }
    const struct jval *publisher = jget(parsed, "publisher");
    jl->site = trim_or_null(jget_str(publisher, "name"));
    jl->date = trim_or_null(jget_str(parsed, "datePublished"));
    return true;
}

/* The text of a JSON-LD script without CDATA markers, as a malloc'd string, or NULL when
 * it exceeds JSONLD_MAX_BYTES. */
static char *script_json(xmlNodePtr script)
{
    struct buf b = {0};
    raw_text(script, &b);
    if (b.len > JSONLD_MAX_BYTES) {
        free(b.data);
        return NULL;
    }
    char *s = buf_take(&b), *start = s;
    while (*start == ' ' || *start == '\t' || *start == '\n' || *start == '\r')
        start++;
    if (strncmp(start, "<![CDATA[", 9) == 0) start += 9;
    size_t n = strlen(start);
    while (n > 0 && (start[n - 1] == ' ' || start[n - 1] == '\t' || start[n - 1] == '\n' ||
                     start[n - 1] == '\r'))
        n--;
    if (n >= 3 && strncmp(start + n - 3, "]]>", 3) == 0) n -= 3;
    memmove(s, start, n);
    s[n] = '\0';
    return s;
}

/* Finds "datePublished": "..." in JSON-LD text that did not parse or was not an article:
 * a tolerant scan. Returns a malloc'd date or NULL. */
static char *scan_date_published(const char *s)
{
    for (const char *p = strstr(s, "\"datePublished\""); p;
         p = strstr(p + 1, "\"datePublished\"")) {
        const char *q = p + 15;
        while (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r')
            q++;
        if (*q++ != ':') continue;
        while (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r')
            q++;
        if (*q++ != '"') continue;
        const char *end = strchr(q, '"');
        if (!end || end == q || end - q > 64) continue;
        return news_xstrndup(q, (size_t)(end - q));
    }
    return NULL;
}

/* Reads the first JSON-LD script that describes an article into jl; *loose_date gets a
 * datePublished found by scanning any JSON-LD script when none parses as an article. */
static void read_jsonld(xmlDocPtr doc, struct jsonld *jl, char **loose_date)
{
    xmlNodePtr root = xmlDocGetRootElement(doc);
    bool found = false;
    for (xmlNodePtr n = root; n && !found; n = walk_next(root, n, false)) {
        if (!tag_is(n, "script")) continue;
        const char *type = attr(n, "type");
        if (!type || strcmp(type, "application/ld+json") != 0) continue;
        char *text = script_json(n);
        if (!text) continue;
        struct jval v;
        if (json_parse(text, strlen(text), &v)) {
            found = jsonld_read(doc, &v, jl);
            jfree(&v);
        }
        if (!found && !*loose_date) *loose_date = scan_date_published(text);
        free(text);
    }
}

/* Matches a <meta property> against Readability's pattern
 * \s*(article|dc|dcterm|og|twitter)\s*:\s*(author|creator|description|published_time|title|site_name)\s*
 * anywhere in the value; writes the normalised key ("og:title") to key. */
static bool match_meta_property(const char *s, char key[64])
{
    static const char *const prefixes[] = {"article", "dcterm", "dc", "og", "twitter", NULL};
    static const char *const names[] = {"author", "creator",   "description", "published_time",
                                        "title",  "site_name", NULL};
    for (size_t i = 0; s[i]; i++) {
        for (size_t p = 0; prefixes[p]; p++) {
            if (!ci_starts(s + i, prefixes[p])) continue;
            size_t j = i + strlen(prefixes[p]);
            while (ws_len((const unsigned char *)s + j, 1))
                j++;
            if (s[j] != ':') continue;
            j++;
            while (ws_len((const unsigned char *)s + j, 1))
                j++;
            for (size_t k = 0; names[k]; k++) {
                if (!ci_starts(s + j, names[k])) continue;
                snprintf(key, 64, "%s:%s", prefixes[p], names[k]);
                return true;
            }
        }
    }
    return false;
}

/* Matches a <meta name> against Readability's pattern
 * ^\s*(?:(dc|dcterm|og|twitter|parsely|weibo:(article|webpage))\s*[-\.:]\s*)?(author|creator|pub-date|description|title|site_name)\s*$
 * and writes the normalised key (lowercase, no spaces, dots as colons) to key. */
static bool match_meta_name(const char *s, char key[64])
{
    static const char *const prefixes[] = {
        "dcterm", "dc", "og", "twitter", "parsely", "weibo:article", "weibo:webpage", "", NULL};
    static const char *const names[] = {"author", "creator",   "pub-date", "description",
                                        "title",  "site_name", NULL};
    char *t = trim_dup(s);
    bool ok = false;
    for (size_t p = 0; prefixes[p] && !ok; p++) {
        const char *q = t;
        if (prefixes[p][0]) {
            if (!ci_starts(q, prefixes[p])) continue;
            q += strlen(prefixes[p]);
            while (ws_len((const unsigned char *)q, 1))
                q++;
            if (*q != '-' && *q != '.' && *q != ':') continue;
            q++;
            while (ws_len((const unsigned char *)q, 1))
                q++;
        }
        for (size_t k = 0; names[k] && !ok; k++)
            ok = ci_equal(q, names[k]);
    }
    if (ok) {
        size_t o = 0;
        for (size_t i = 0; t[i] && o + 1 < 64; i++) {
            if (ws_len((const unsigned char *)t + i, 1)) continue;
            key[o++] = t[i] == '.' ? ':' : ascii_lower(t[i]);
        }
        key[o] = '\0';
    }
    free(t);
    return ok;
}

/* Extra <meta name> (or property, itemprop) values that carry a publication date, in order
 * of preference, beyond the ones Readability reads. */
static const char *const date_meta_names[] = {"datepublished",
                                              "date",
                                              "pubdate",
                                              "publishdate",
                                              "publish-date",
                                              "publish_date",
                                              "dc.date.issued",
                                              "dc.date",
                                              "dcterms.issued",
                                              "dcterms.date",
                                              "dcterms.created",
                                              "sailthru.date",
                                              "article.published",
                                              "article_date_original",
                                              "og:published_time",
                                              "article:published_time",
                                              "citation_publication_date",
                                              "originalpublicationdate",
                                              NULL};

/* Everything read from the page's markup outside the article text. */
struct page_meta {
    struct metas metas;
    char *canonical, *og_url;
    char *extra_date[sizeof date_meta_names / sizeof *date_meta_names];
    char *time_published; /* <time pubdate> or an itemprop="datePublished" element */
    char *time_first;     /* the first <time datetime> */
};

/* Reads <meta>, <link rel=canonical> and <time> elements. */
static void read_meta_tags(xmlDocPtr doc, struct page_meta *pm)
{
    xmlNodePtr root = xmlDocGetRootElement(doc);
    for (xmlNodePtr n = root; n; n = walk_next(root, n, false)) {
        if (tag_is(n, "link")) {
            const char *rel = attr(n, "rel"), *href = attr(n, "href");
            if (!pm->canonical && rel && href && href[0] && ci_contains(rel, "canonical"))
                pm->canonical = trim_dup(href);
            continue;
        }
        if (tag_is(n, "time") || (is_el(n) && attr(n, "itemprop"))) {
            const char *dt = attr(n, "datetime");
            const char *prop = attr(n, "itemprop");
            if (!dt && prop && !tag_is(n, "meta")) dt = attr(n, "content");
            if (dt && dt[0]) {
                bool published = (prop && ci_equal(prop, "datePublished")) || attr(n, "pubdate");
                if (published && !pm->time_published) pm->time_published = trim_dup(dt);
                if (tag_is(n, "time") && !pm->time_first) pm->time_first = trim_dup(dt);
            }
        }
        if (!tag_is(n, "meta")) continue;
        const char *name = attr(n, "name"), *property = attr(n, "property");
        const char *content = attr(n, "content"), *itemprop = attr(n, "itemprop");
        if (!content || !content[0]) continue;
        char key[64];
        bool matched = false;
        if (property && match_meta_property(property, key)) {
            char *v = trim_dup(content);
            metas_set(&pm->metas, key, v);
            free(v);
            matched = true;
        }
        if (!matched && name && match_meta_name(name, key)) {
            char *v = trim_dup(content);
            metas_set(&pm->metas, key, v);
            free(v);
        }
        if (property && ci_equal(property, "og:url") && !pm->og_url) pm->og_url = trim_dup(content);
        const char *labels[] = {name, property, itemprop};
        for (size_t l = 0; l < 3; l++) {
            if (!labels[l]) continue;
            for (size_t k = 0; date_meta_names[k]; k++)
                if (!pm->extra_date[k] && ci_equal(labels[l], date_meta_names[k]))
                    pm->extra_date[k] = trim_dup(content);
        }
    }
}

/* Frees what pm owns. */
static void page_meta_free(struct page_meta *pm)
{
    metas_free(&pm->metas);
    free(pm->canonical);
    free(pm->og_url);
    for (size_t k = 0; k < sizeof pm->extra_date / sizeof *pm->extra_date; k++)
        free(pm->extra_date[k]);
    free(pm->time_published);
    free(pm->time_first);
}

/* A date written into a URL path (/2017/01/14/ or /2017-01-14/), as "YYYY-MM-DD" in a
 * malloc'd string, or NULL. */
static char *url_date(const char *url)
{
    if (!url) return NULL;
    for (const char *p = url; *p; p++) {
        if (*p != '/') continue;
        const char *q = p + 1;
        int y = 0, m = 0, d = 0, i = 0;
        for (i = 0; i < 4 && q[i] >= '0' && q[i] <= '9'; i++)
            y = y * 10 + (q[i] - '0');
        if (i != 4 || (q[4] != '/' && q[4] != '-')) continue;
        char sep = q[4];
        q += 5;
        for (i = 0; i < 2 && q[i] >= '0' && q[i] <= '9'; i++)
            m = m * 10 + (q[i] - '0');
        if (i != 2 || q[2] != sep) continue;
        q += 3;
        for (i = 0; i < 2 && q[i] >= '0' && q[i] <= '9'; i++)
            d = d * 10 + (q[i] - '0');
        if (i != 2 || (q[2] != '/' && q[2] != '\0' && q[2] != '-' && q[2] != '.')) continue;
        if (y < 1000 || m < 1 || m > 12 || d < 1 || d > 31) continue;
        char buf[32];
        snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
        return news_xstrdup(buf);
    }
    return NULL;
}

/* Resolves a possibly relative link against base (scheme://host/path). Returns malloc'd. */
static char *resolve_url(const char *href, const char *base)
{
    const char *colon = strchr(href, ':');
    bool absolute = colon && colon > href && !memchr(href, '/', (size_t)(colon - href));
    if (absolute || !base) return news_xstrdup(href);
    const char *scheme_end = strstr(base, "://");
    if (!scheme_end) return news_xstrdup(href);
    struct buf b = {0};
    if (href[0] == '/' && href[1] == '/') {
        buf_add(&b, base, (size_t)(scheme_end - base) + 1);
        buf_adds(&b, href);
        return buf_take(&b);
    }
    const char *host_end = strchr(scheme_end + 3, '/');
    size_t origin = host_end ? (size_t)(host_end - base) : strlen(base);
    if (href[0] == '/') {
        buf_add(&b, base, origin);
        buf_adds(&b, href);
        return buf_take(&b);
    }
    const char *last_slash = strrchr(base + origin, '/');
    if (last_slash)
        buf_add(&b, base, (size_t)(last_slash - base) + 1);
    else {
        buf_add(&b, base, origin);
        buf_adds(&b, "/");
    }
    buf_adds(&b, href);
    return buf_take(&b);
}

/* ---------------------------------------------------------------------------------------
 * Readability's content extraction
 * ------------------------------------------------------------------------------------- */

/* What Readability keeps on a node. */
struct ninfo {
    double score;
    bool scored;       /* "readability" initialised: a candidate */
    bool data_table;   /* a table that holds data, not layout */
    unsigned epoch;    /* the fields below are valid while this equals rd->epoch */
    struct tmeasure m; /* the element's text */
    double link_units; /* text inside its links, in-page links weighing 0.3 */
    /* Over the element's descendants: text inside lists, headings and "textish" elements
     * (each counted at every level, as Readability sums them), and element counts. */
    size_t list_units, heading_units, textish_units;
    size_t p, img, li, input, embeds;
    bool video;         /* an embed of a video host */
    bool data_table_in; /* a data table */
};

/* One attempt at grabbing the article from a copy of the prepared document. */
struct rd {
    xmlDocPtr doc;
    unsigned flags;
    const char *title;    /* the article's title, to drop a heading repeating it */
    char **byline;        /* a byline found in the markup; kept across attempts */
    bool has_meta_byline; /* then the markup is not searched for one */
    struct nodevec grave; /* removed nodes, freed with the attempt */
    struct ninfo *infos;  /* node->_private is an index + 1 into this */
    size_t ninfos, cap;
    unsigned epoch; /* of the last measure_subtree */
};

/* n's info, or NULL if it has none. */
static struct ninfo *info_find(struct rd *rd, const xmlNode *n)
{
    uintptr_t i = (uintptr_t)n->_private;
    return i ? &rd->infos[i - 1] : NULL;
}

/* n's info, created zeroed if absent. */
static struct ninfo *info_get(struct rd *rd, xmlNodePtr n)
{
    struct ninfo *info = info_find(rd, n);
    if (info) return info;
    if (rd->ninfos == rd->cap) {
        rd->cap = rd->cap ? rd->cap * 2 : 256;
        rd->infos = news_xrealloc(rd->infos, rd->cap * sizeof *rd->infos);
    }
    memset(&rd->infos[rd->ninfos], 0, sizeof *rd->infos);
    n->_private = (void *)(uintptr_t)(++rd->ninfos);
    return &rd->infos[rd->ninfos - 1];
}

/* True if the node has been scored (has a contentScore). */
static bool is_scored(struct rd *rd, const xmlNode *n)
{
    const struct ninfo *info = info_find(rd, n);
    return info && info->scored;
}

/* True if n is a table mark_data_tables found to hold data. */
static bool is_data_table(struct rd *rd, const xmlNode *n)
{
    const struct ninfo *info = info_find(rd, n);
    return info && info->data_table;
}

/* Readability's _hasAncestorTag: true if n has an ancestor named tag within max_depth + 1
 * levels (any level when max_depth <= 0); with data_tables_of, only a data table counts. */
static bool has_ancestor(const xmlNode *n, const char *tag, int max_depth,
                         struct rd *data_tables_of)
{
    int depth = 0;
    for (const xmlNode *p = n->parent; p && is_el(p); p = p->parent, depth++) {
        if (max_depth > 0 && depth > max_depth) return false;
        if (tag_is(p, tag) && (!data_tables_of || is_data_table(data_tables_of, p))) return true;
    }
    return false;
}

/* True if an attribute of n names a video host (such embeds are kept). */
static bool has_video_attr(const xmlNode *n)
{
    for (const xmlAttr *a = n->properties; a; a = a->next)
        if (a->children && a->children->content && is_video_url((const char *)a->children->content))
            return true;
    return false;
}

/* Computes element el's measure and descendant sums from its children's (already
 * measured in this epoch). */
static void measure_element(struct rd *rd, xmlNodePtr el)
{
    static const char *const lists[] = {"ul", "ol", NULL};
    static const char *const headings[] = {"h1", "h2", "h3", "h4", "h5", "h6", NULL};
    static const char *const embeds[] = {"object", "embed", "iframe", NULL};
    static const char *const textish[] = {"span", "li", "td",  "blockquote", "dl", "div", "img",
                                          "ol",   "p",  "pre", "table",      "ul", NULL};
    struct ninfo sum = {0};
    struct tmeasure part;
    for (xmlNodePtr c = el->children; c; c = c->next) {
        if (is_text(c)) {
            tm_text(c->content ? (const char *)c->content : "", &part);
            tm_append(&sum.m, &part);
            continue;
        }
        if (!is_el(c)) continue;
        const struct ninfo *ci = info_find(rd, c);
        size_t cu = ci->m.units;
        tm_append(&sum.m, &ci->m);
        sum.link_units += ci->link_units;
        if (tag_is(c, "a")) {
            const char *href = attr(c, "href");
            sum.link_units += (double)cu * (href && href[0] == '#' && href[1] ? 0.3 : 1.0);
        }
        sum.list_units += ci->list_units + (tag_in(c, lists) ? cu : 0);
        sum.heading_units += ci->heading_units + (tag_in(c, headings) ? cu : 0);
        sum.textish_units += ci->textish_units + (tag_in(c, textish) ? cu : 0);
        sum.p += ci->p + tag_is(c, "p");
        sum.img += ci->img + tag_is(c, "img");
        sum.li += ci->li + tag_is(c, "li");
        sum.input += ci->input + tag_is(c, "input");
        bool embed = tag_in(c, embeds);
        sum.embeds += ci->embeds + embed;
        sum.video = sum.video || ci->video || (embed && has_video_attr(c));
        sum.data_table_in =
            sum.data_table_in || ci->data_table_in || (tag_is(c, "table") && ci->data_table);
    }
    struct ninfo *info = info_get(rd, el);
    sum.score = info->score;
    sum.scored = info->scored;
    sum.data_table = info->data_table;
    sum.epoch = rd->epoch;
    *info = sum;
}

/* Measures every element of root's subtree (root included) bottom-up in one pass, so that
 * the lengths and link densities Readability asks of each of them cost O(1) until the tree
 * next changes (a later measure_subtree starts a new epoch). */
static void measure_subtree(struct rd *rd, xmlNodePtr root)
{
    rd->epoch++;
    xmlNodePtr cur = root;
    for (;;) {
        if (is_el(cur) && cur->children) {
            cur = cur->children;
            continue;
        }
        if (is_el(cur)) measure_element(rd, cur);
        while (cur != root && !cur->next) {
            cur = cur->parent;
            measure_element(rd, cur);
        }
        if (cur == root) break;
        cur = cur->next;
    }
}

/* The measure of element n from the current epoch, or NULL if it was not measured. */
static const struct ninfo *measured(struct rd *rd, const xmlNode *n)
{
    const struct ninfo *info = info_find(rd, n);
    return info && info->epoch == rd->epoch && rd->epoch ? info : NULL;
}

/* link_density(), from the measure when there is a current one. */
static double link_density_of(struct rd *rd, xmlNodePtr n)
{
    const struct ninfo *info = measured(rd, n);
    if (!info) return link_density(n);
    return info->m.units ? info->link_units / (double)info->m.units : 0;
}

/* Unlinks n; it is freed with the attempt, so lists holding it stay valid. */
static void rd_remove(struct rd *rd, xmlNodePtr n)
{
    xmlUnlinkNode(n);
    nv_push(&rd->grave, n);
}

/* Readability's _removeAndGetNext. */
static xmlNodePtr remove_and_next(struct rd *rd, xmlNodePtr n)
{
    xmlNodePtr next = next_node(n, true);
    rd_remove(rd, n);
    return next;
}

/* Readability's _getClassWeight: ±25 for each of class and id that looks like content or
 * like clutter. */
static int class_weight(const struct rd *rd, const xmlNode *n)
{
    if (!(rd->flags & FLAG_WEIGHT_CLASSES)) return 0;
    int weight = 0;
    const char *names[] = {attr(n, "class"), attr(n, "id")};
    for (size_t i = 0; i < 2; i++) {
        if (!names[i] || !names[i][0]) continue;
        if (is_negative(names[i])) weight -= 25;
        if (ci_any(names[i], positive_words)) weight += 25;
    }
    return weight;
}

/* Readability's _initializeNode: a starting score from the tag and the class weight. */
static void init_node(struct rd *rd, xmlNodePtr n)
{
    static const char *const minus3[] = {"address", "ol", "ul",   "dl", "dd",
                                         "dt",      "li", "form", NULL};
    static const char *const minus5[] = {"h1", "h2", "h3", "h4", "h5", "h6", "th", NULL};
    static const char *const plus3[] = {"pre", "td", "blockquote", NULL};
    struct ninfo *info = info_get(rd, n);
    double score = 0;
    if (tag_is(n, "div"))
        score = 5;
    else if (tag_in(n, plus3))
        score = 3;
    else if (tag_in(n, minus3))
        score = -3;
    else if (tag_in(n, minus5))
        score = -5;
    info->score = score + class_weight(rd, n);
    info->scored = true;
}

/* Readability's _checkByline: a short element marked as the author's name is the byline
 * (kept) and leaves the article. */
static bool check_byline(struct rd *rd, xmlNodePtr n, const char *match)
{
    if (*rd->byline || rd->has_meta_byline) return false;
    const char *rel = attr(n, "rel"), *itemprop = attr(n, "itemprop");
    bool marked = (rel && strcmp(rel, "author") == 0) || (itemprop && strstr(itemprop, "author")) ||
                  ci_any(match, byline_words);
    if (!marked) return false;
    /* A byline is under 100 characters: stop collecting well past that. */
    struct buf b = {0};
    for (xmlNodePtr t = n; t && b.len < 4096; t = walk_next(n, t, false))
        if (is_text(t) && t->content) buf_adds(&b, (const char *)t->content);
    if (b.len >= 4096) {
        free(b.data);
        return false;
    }
    char *text = trim_dup(b.data ? b.data : "");
    free(b.data);
    size_t units = str_units(text, strlen(text));
    if (units == 0 || units >= 100) {
        free(text);
        return false;
    }
    *rd->byline = text;
    return true;
}

/* Readability's _headerDuplicatesTitle: an <h1> or <h2> that repeats the title. */
static bool header_duplicates_title(const struct rd *rd, xmlNodePtr n)
{
    if (!tag_is(n, "h1") && !tag_is(n, "h2")) return false;
    char *heading = inner_text(n);
    bool dup = text_similarity(rd->title, heading) > 0.75;
    free(heading);
    return dup;
}

/* Puts the phrasing runs among div's children into paragraphs (Readability's DIV-to-P
 * step). */
static void wrap_phrasing(struct rd *rd, xmlNodePtr div)
{
    xmlNodePtr p = NULL;
    for (xmlNodePtr c = div->children, next; c; c = next) {
        next = c->next;
        if (is_phrasing(c)) {
            if (p) {
                xmlUnlinkNode(c);
                link_append(p, c);
            } else if (!is_ws_node(c)) {
                p = new_el(rd->doc, "p");
                link_replace(c, p);
                link_append(p, c);
            }
        } else if (p) {
            while (p->last && is_ws_node(p->last))
                rd_remove(rd, p->last);
            p = NULL;
        }
    }
}

/* The first pass of _grabArticle: drops hidden and unlikely nodes, the byline and the
 * heading repeating the title, turns text-only divs into paragraphs, and collects the
 * elements to score. */
static void prune_and_collect(struct rd *rd, struct nodevec *to_score)
{
    static const char *const score_tags[] = {"section", "h2", "h3", "h4",  "h5",
                                             "h6",      "p",  "td", "pre", NULL};
    static const char *const empty_tags[] = {"div", "section", "header", "h1", "h2",
                                             "h3",  "h4",      "h5",     "h6", NULL};
    static const char *const keep_tags[] = {"html", "body", "head", NULL};
    struct buf match = {0};
    bool remove_title_header = true;
    xmlNodePtr node = xmlDocGetRootElement(rd->doc);
    while (node) {
        match.len = 0;
        buf_adds(&match, attr_or_empty(node, "class"));
        buf_adds(&match, " ");
        buf_adds(&match, attr_or_empty(node, "id"));
        bool keep = tag_in(node, keep_tags);
        const char *role = attr(node, "role");

        if (!keep && !is_visible(node)) {
            node = remove_and_next(rd, node);
            continue;
        }
        const char *modal = attr(node, "aria-modal");
        if (!keep && modal && strcmp(modal, "true") == 0 && role && strcmp(role, "dialog") == 0) {
            node = remove_and_next(rd, node);
            continue;
        }
        if (!keep && check_byline(rd, node, match.data)) {
            node = remove_and_next(rd, node);
            continue;
        }
        if (remove_title_header && header_duplicates_title(rd, node)) {
            remove_title_header = false;
            node = remove_and_next(rd, node);
            continue;
        }
        if ((rd->flags & FLAG_STRIP_UNLIKELYS) && !keep) {
            bool unlikely =
                ci_any(match.data, unlikely_words) && !ci_any(match.data, maybe_words) &&
                !has_ancestor(node, "table", 3, NULL) && !has_ancestor(node, "code", 3, NULL) &&
                !tag_is(node, "a") && !tag_is(node, "mjx-container");
            bool bad_role = false;
            for (size_t i = 0; role && unlikely_roles[i]; i++)
                bad_role = bad_role || strcmp(role, unlikely_roles[i]) == 0;
            if (unlikely || bad_role || tag_is(node, "nav")) {
                node = remove_and_next(rd, node);
                continue;
            }
        }
        if (tag_in(node, empty_tags) && is_without_content(node)) {
            node = remove_and_next(rd, node);
            continue;
        }
        if (tag_in(node, score_tags)) nv_push(to_score, node);

        if (tag_is(node, "div")) {
            wrap_phrasing(rd, node);
            if (has_single_tag_inside(node, "p") && link_density(node) < 0.25) {
                xmlNodePtr p = first_el(node);
                xmlUnlinkNode(p);
                link_replace(node, p);
                nv_push(&rd->grave, node);
                node = p;
                nv_push(to_score, node);
            } else if (!has_child_block(node)) {
                set_tag(node, "p");
                nv_push(to_score, node);
            }
        }
        node = next_node(node, false);
    }
    free(match.data);
}

/* Scores the collected paragraphs into their ancestors (Readability: 1 + commas + a point
 * per 100 characters up to 3, divided by 1, 2, then 3 × level), collecting the scored
 * ancestors as candidates. */
static void score_paragraphs(struct rd *rd, const struct nodevec *to_score,
                             struct nodevec *candidates)
{
    for (size_t i = 0; i < to_score->n; i++) {
        xmlNodePtr el = to_score->v[i];
        if (!el->parent || !is_el(el->parent)) continue;
        struct tstat st;
        const struct ninfo *mi = measured(rd, el);
        if (mi) {
            st.units = mi->m.units;
            st.commas = mi->m.commas;
        } else {
            text_stat(el, &st);
        }
        if (st.units < 25) continue;
        size_t hundreds = st.units / 100 < 3 ? st.units / 100 : 3;
        double score = 1.0 + (double)(st.commas + 1) + (double)hundreds;
        xmlNodePtr a = el->parent;
        for (int level = 0; level < 5 && a && is_el(a); level++, a = a->parent) {
            if (!a->parent || !is_el(a->parent)) continue;
            if (!is_scored(rd, a)) {
                init_node(rd, a);
                nv_push(candidates, a);
            }
            double divider = level == 0 ? 1.0 : level == 1 ? 2.0 : (double)level * 3.0;
            info_get(rd, a)->score += score / divider;
        }
    }
}

/* True if ancestors (a chain from some node up) contains n. */
static bool chain_has(const struct nodevec *chain, const xmlNode *n)
{
    for (size_t i = 0; i < chain->n; i++)
        if (chain->v[i] == n) return true;
    return false;
}

/* Chooses the top candidate (Readability: the best score after the link-density penalty,
 * moved up to a common ancestor of close runners-up or to a better-scoring parent).
 * Returns NULL when there is none or it is the body. */
static xmlNodePtr pick_top(struct rd *rd, const struct nodevec *candidates, xmlNodePtr body)
{
    xmlNodePtr top[N_TOP_CANDIDATES];
    size_t ntop = 0;
    for (size_t c = 0; c < candidates->n; c++) {
        xmlNodePtr cand = candidates->v[c];
        struct ninfo *info = info_get(rd, cand);
        info->score *= 1.0 - link_density_of(rd, cand);
        for (size_t t = 0; t < N_TOP_CANDIDATES; t++) {
            if (t < ntop && !(info->score > info_get(rd, top[t])->score)) continue;
            size_t last = ntop < N_TOP_CANDIDATES ? ntop : N_TOP_CANDIDATES - 1;
            memmove(&top[t + 1], &top[t], (last - t) * sizeof *top);
            top[t] = cand;
            if (ntop < N_TOP_CANDIDATES) ntop++;
            break;
        }
    }
    if (ntop == 0 || top[0] == body) return NULL;

    xmlNodePtr best = top[0];
    double best_score = info_get(rd, best)->score;
    struct nodevec chains[N_TOP_CANDIDATES];
    size_t nchains = 0;
    for (size_t i = 1; i < ntop; i++) {
        double ratio = info_get(rd, top[i])->score / best_score;
        if (best_score == 0 || !(ratio >= 0.75)) continue;
        memset(&chains[nchains], 0, sizeof chains[nchains]);
        for (xmlNodePtr a = top[i]->parent; a; a = a->parent)
            nv_push(&chains[nchains], a);
        nchains++;
    }
    if (nchains >= 3) {
        for (xmlNodePtr p = best->parent; p && is_el(p) && p != body; p = p->parent) {
            size_t lists = 0;
            for (size_t i = 0; i < nchains && lists < 3; i++)
                lists += chain_has(&chains[i], p);
            if (lists >= 3) {
                best = p;
                break;
            }
        }
    }
    for (size_t i = 0; i < nchains; i++)
        nv_free(&chains[i]);
    if (!is_scored(rd, best)) init_node(rd, best);

    /* A parent scoring higher than its child is a better top candidate. */
    double last = info_get(rd, best)->score, threshold = last / 3;
    for (xmlNodePtr p = best->parent; p && is_el(p) && p != body; p = p->parent) {
        if (!is_scored(rd, p)) continue;
        double ps = info_get(rd, p)->score;
        if (ps < threshold) break;
        if (ps > last) {
            best = p;
            break;
        }
        last = ps;
    }
    /* An only child gives way to its parent, so that siblings can join. */
    for (xmlNodePtr p = best->parent; p && is_el(p) && p != body && count_el_children(p) == 1;
         p = best->parent)
        best = p;
    if (!is_scored(rd, best)) init_node(rd, best);
    return best;
}

/* True if s contains a period followed by a space or the end (Readability: /\.( |$)/). */
static bool has_sentence_end(const char *s)
{
    for (const char *p = strchr(s, '.'); p; p = strchr(p + 1, '.'))
        if (p[1] == ' ' || p[1] == '\0') return true;
    return false;
}

/* Moves the top candidate and the siblings that qualify into article (Readability: a score
 * of at least a fifth of the top's, with a bonus for sharing its class, or a paragraph of
 * plain text). */
static void gather_siblings(struct rd *rd, xmlNodePtr top, xmlNodePtr article)
{
    static const char *const keep_tags[] = {"div", "article", "section", "p", NULL};
    double top_score = info_get(rd, top)->score;
    double threshold = top_score * 0.2 > 10 ? top_score * 0.2 : 10;
    const char *top_class = attr_or_empty(top, "class");
    xmlNodePtr parent = top->parent;
    for (xmlNodePtr sib = first_el(parent), next; sib; sib = next) {
        next = next_el(sib);
        bool append = sib == top;
        if (!append) {
            double bonus = 0;
            if (top_class[0] && strcmp(attr_or_empty(sib, "class"), top_class) == 0)
                bonus += top_score * 0.2;
            if (is_scored(rd, sib) && info_get(rd, sib)->score + bonus >= threshold) {
                append = true;
            } else if (tag_is(sib, "p")) {
                double ld = link_density(sib);
                char *text = inner_text(sib);
                size_t units = str_units(text, strlen(text));
                append = (units > 80 && ld < 0.25) ||
                         (units < 80 && units > 0 && ld == 0 && has_sentence_end(text));
                free(text);
            }
        }
        if (!append) continue;
        if (!tag_in(sib, keep_tags)) set_tag(sib, "div");
        xmlUnlinkNode(sib);
        link_append(article, sib);
    }
}

/* Readability's _markDataTables: tables holding data (captions, headers, many cells) as
 * opposed to page layout. */
static void mark_data_tables(struct rd *rd, xmlNodePtr root)
{
    static const char *const table[] = {"table", NULL};
    static const char *const data_tags[] = {"col", "colgroup", "tfoot", "thead", "th", NULL};
    struct nodevec tables = {0};
    collect_tags(root, table, &tables);
    for (size_t i = 0; i < tables.n; i++) {
        xmlNodePtr t = tables.v[i];
        struct ninfo *info = info_get(rd, t);
        const char *role = attr(t, "role"), *datatable = attr(t, "datatable");
        const char *summary = attr(t, "summary");
        info->data_table = false;
        if (role && strcmp(role, "presentation") == 0) continue;
        if (datatable && strcmp(datatable, "0") == 0) continue;
        if (summary && summary[0]) {
            info->data_table = true;
            continue;
        }
        xmlNodePtr caption = find_tag(t, "caption");
        if (caption && caption != t && caption->children) {
            info_get(rd, t)->data_table = true;
            continue;
        }
        struct nodevec found = {0};
        collect_tags(t, data_tags, &found);
        bool has_data = found.n > 0;
        nv_free(&found);
        if (has_data) {
            info_get(rd, t)->data_table = true;
            continue;
        }
        if (count_tag(t, "table") > 0) continue;
        size_t rows = 0, columns = 0;
        for (xmlNodePtr tr = walk_next(t, t, false); tr; tr = walk_next(t, tr, false)) {
            if (!tag_is(tr, "tr")) continue;
            long rowspan = strtol(attr_or_empty(tr, "rowspan"), NULL, 10);
            rows += rowspan > 0 && rowspan < 65536 ? (size_t)rowspan : 1;
            size_t in_row = 0;
            for (xmlNodePtr td = walk_next(tr, tr, false); td; td = walk_next(tr, td, false)) {
                if (!tag_is(td, "td")) continue;
                long colspan = strtol(attr_or_empty(td, "colspan"), NULL, 10);
                in_row += colspan > 0 && colspan < 65536 ? (size_t)colspan : 1;
            }
            if (in_row > columns) columns = in_row;
        }
        info = info_get(rd, t);
        if (columns == 1 || rows == 1)
            info->data_table = false;
        else if (rows >= 10 || columns > 4)
            info->data_table = true;
        else
            info->data_table = rows * columns > 10;
    }
    nv_free(&tables);
}

/* Readability's _clean: removes every descendant named tag, but video embeds. */
static void clean_tag(struct rd *rd, xmlNodePtr root, const char *tag)
{
    const char *tags[] = {tag, NULL};
    bool embed =
        strcmp(tag, "object") == 0 || strcmp(tag, "embed") == 0 || strcmp(tag, "iframe") == 0;
    struct nodevec nv = {0};
    collect_tags(root, tags, &nv);
    for (size_t i = nv.n; i-- > 0;) {
        xmlNodePtr n = nv.v[i];
        if (!n->parent) continue;
        if (embed && has_video_attr(n)) continue;
        rd_remove(rd, n);
    }
    nv_free(&nv);
}

/* True if the text is only an advertising label or a loading notice (Readability's adWords
 * and loadingWords). */
static bool is_ad_or_loading(const char *text)
{
    static const char *const words[] = {
        "ad",       "advertising", "advertisement", "pub",      "publicité", "werb",    "werbung",
        "广告",     "Реклама",     "реклама",       "РЕКЛАМА",  "anuncio",   "loading", "正在加载",
        "Загрузка", "загрузка",    "chargement",    "cargando", NULL};
    for (size_t i = 0; words[i]; i++) {
        size_t n = strlen(words[i]);
        if (!ci_starts(text, words[i]) && strncmp(text, words[i], n) != 0) continue;
        const char *rest = text + n;
        if (*rest == '\0') return true;
        if (i >= 11 && (strcmp(rest, "...") == 0 || strcmp(rest, "\xE2\x80\xA6") == 0)) return true;
    }
    return false;
}

/* Readability's _cleanConditionally test for one node: true if it looks like clutter (few
 * commas and too many images, list items, inputs or links for its text, or nothing but an
 * advertising label). Reads the node's current measure. */
static bool is_fishy(struct rd *rd, xmlNodePtr node, const char *tag)
{
    const struct ninfo *ni = info_find(rd, node);
    size_t units = ni->m.units;
    bool is_list = strcmp(tag, "ul") == 0 || strcmp(tag, "ol") == 0;
    if (!is_list && units > 0) is_list = (double)ni->list_units / (double)units > 0.9;
    if (strcmp(tag, "table") == 0 && ni->data_table) return false;
    if (has_ancestor(node, "table", -1, rd)) return false;
    if (has_ancestor(node, "code", 3, NULL)) return false;
    if (ni->data_table_in) return false;

    int weight = class_weight(rd, node);
    if (weight < 0) return true;
    if (ni->m.ascii_commas >= 10) return false;
    if (ni->video) return false;

    /* Only a short text can be an advertising label. */
    if (units <= 32) {
        char *text = inner_text(node);
        bool ad = is_ad_or_loading(text);
        free(text);
        if (ad) return true;
    }

    double np = (double)ni->p, nimg = (double)ni->img, nli = (double)ni->li - 100;
    double content_len = (double)units;
    double ld = units ? ni->link_units / (double)units : 0;
    double heading_density = units ? (double)ni->heading_units / (double)units : 0;
    double density = units ? (double)ni->textish_units / (double)units : 0;
    bool figure_child = has_ancestor(node, "figure", 3, NULL);
    bool remove = false;
    if (!figure_child && nimg > 1 && np / nimg < 0.5) remove = true;
    if (!is_list && nli > np) remove = true;
    if ((double)ni->input > (double)(long)(np / 3)) remove = true;
    if (!is_list && !figure_child && heading_density < 0.9 && content_len < 25 &&
        (ni->img == 0 || ni->img > 2) && ld > 0)
        remove = true;
    if (!is_list && weight < 25 && ld > 0.2) remove = true;
    if (weight >= 25 && ld > 0.5) remove = true;
    if ((ni->embeds == 1 && content_len < 75) || ni->embeds > 1) remove = true;
    if (ni->img == 0 && density == 0) remove = true;

    /* A list of images, one per item, stays. */
    if (is_list && remove) {
        for (xmlNodePtr c = first_el(node); c; c = next_el(c))
            if (count_el_children(c) > 1) return true;
        if (ni->img == ni->li) return false;
    }
    return remove;
}

/* Readability's _cleanConditionally over every descendant named tag: the subtree is
 * measured once, and after each removal only the removed node's ancestors are measured
 * again, so the pass is linear in the subtree times its depth at worst. */
static void clean_conditionally(struct rd *rd, xmlNodePtr root, const char *tag)
{
    if (!(rd->flags & FLAG_CLEAN_CONDITIONALLY)) return;
    const char *tags[] = {tag, NULL};
    struct nodevec nv = {0};
    collect_tags(root, tags, &nv);
    measure_subtree(rd, root);
    for (size_t i = nv.n; i-- > 0;) {
        xmlNodePtr n = nv.v[i], parent = n->parent;
        if (!parent || !is_fishy(rd, n, tag)) continue;
        rd_remove(rd, n);
        for (xmlNodePtr a = parent; is_el(a); a = a->parent) {
            measure_element(rd, a);
            if (a == root) break;
        }
    }
    nv_free(&nv);
    rd->epoch++;
}

/* Removes share bars under top (Readability: a class or id with "share" and under
 * CHAR_THRESHOLD characters of text). */
static void clean_share(struct rd *rd, xmlNodePtr top)
{
    struct buf match = {0};
    xmlNodePtr n = walk_next(top, top, false);
    while (n) {
        if (!is_el(n)) {
            n = walk_next(top, n, false);
            continue;
        }
        match.len = 0;
        buf_adds(&match, attr_or_empty(n, "class"));
        buf_adds(&match, " ");
        buf_adds(&match, attr_or_empty(n, "id"));
        if (is_share_name(match.data) && raw_len(n) < CHAR_THRESHOLD) {
            xmlNodePtr next = walk_next(top, n, true);
            rd_remove(rd, n);
            n = next;
            continue;
        }
        n = walk_next(top, n, false);
    }
    free(match.data);
}

/* Readability's _fixLazyImages, the part that changes what is counted: a <figure> whose
 * image is only named in an attribute gets an <img>. */
static void fix_lazy_figures(struct rd *rd, xmlNodePtr root)
{
    static const char *const figure[] = {"figure", NULL};
    struct nodevec nv = {0};
    collect_tags(root, figure, &nv);
    for (size_t i = 0; i < nv.n; i++) {
        xmlNodePtr f = nv.v[i];
        if (find_tag(f, "img") || find_tag(f, "picture")) continue;
        for (const xmlAttr *a = f->properties; a; a = a->next) {
            const char *v =
                a->children && a->children->content ? (const char *)a->children->content : "";
            if (ci_contains(v, ".jpg") || ci_contains(v, ".jpeg") || ci_contains(v, ".png") ||
                ci_contains(v, ".webp")) {
                link_append(f, new_el(rd->doc, "img"));
                break;
            }
        }
    }
    nv_free(&nv);
}

/* Readability's _prepArticle, the parts that change the text: forms, embeds, footers,
 * asides, share bars, inputs and buttons go, and so do headings, tables, lists and divs
 * that look like clutter. */
static void prep_article(struct rd *rd, xmlNodePtr article)
{
    static const char *const h12[] = {"h1", "h2", NULL};
    mark_data_tables(rd, article);
    fix_lazy_figures(rd, article);
    clean_conditionally(rd, article, "form");
    clean_conditionally(rd, article, "fieldset");
    clean_tag(rd, article, "object");
    clean_tag(rd, article, "embed");
    clean_tag(rd, article, "footer");
    clean_tag(rd, article, "link");
    clean_tag(rd, article, "aside");
    for (xmlNodePtr c = first_el(article); c; c = next_el(c))
        clean_share(rd, c);
    clean_tag(rd, article, "iframe");
    clean_tag(rd, article, "input");
    clean_tag(rd, article, "textarea");
    clean_tag(rd, article, "select");
    clean_tag(rd, article, "button");
    struct nodevec nv = {0};
    collect_tags(article, h12, &nv);
    for (size_t i = nv.n; i-- > 0;)
        if (nv.v[i]->parent && class_weight(rd, nv.v[i]) < 0) rd_remove(rd, nv.v[i]);
    nv_free(&nv);
    clean_conditionally(rd, article, "table");
    clean_conditionally(rd, article, "ul");
    clean_conditionally(rd, article, "div");
}

/* Readability's _grabArticle for one set of flags. Returns the article as an unlinked
 * element of rd->doc (the caller frees it), or NULL when the document has no body. */
static xmlNodePtr grab_article(struct rd *rd)
{
    xmlNodePtr body = doc_body(rd->doc);
    if (!body) return NULL;
    struct nodevec to_score = {0}, candidates = {0};
    prune_and_collect(rd, &to_score);
    measure_subtree(rd, xmlDocGetRootElement(rd->doc));
    score_paragraphs(rd, &to_score, &candidates);
    xmlNodePtr top = pick_top(rd, &candidates, body);
    rd->epoch++; /* the tree is about to change: no measure holds */
    nv_free(&to_score);
    nv_free(&candidates);
    if (!top) {
        /* No candidate: the whole body is the article. */
        top = new_el(rd->doc, "div");
        while (body->children) {
            xmlNodePtr c = body->children;
            xmlUnlinkNode(c);
            link_append(top, c);
        }
        link_append(body, top);
        init_node(rd, top);
    }
    xmlNodePtr article = new_el(rd->doc, "div");
    gather_siblings(rd, top, article);
    prep_article(rd, article);
    return article;
}

/* Frees what an attempt holds: its removed nodes and node info. */
static void rd_free(struct rd *rd)
{
    for (size_t i = 0; i < rd->grave.n; i++)
        if (!rd->grave.v[i]->parent) free_subtree(rd->grave.v[i]);
    nv_free(&rd->grave);
    free(rd->infos);
    rd->infos = NULL;
}

/* ---------------------------------------------------------------------------------------
 * Plain text out of a subtree
 * ------------------------------------------------------------------------------------- */

/* Elements whose text is a paragraph of its own, and elements whose text is not part of
 * the article's. */
static const char *const block_tags[] = {
    "address", "article", "aside",  "blockquote", "body", "caption",  "center",   "dd",
    "details", "dialog",  "dir",    "div",        "dl",   "dt",       "fieldset", "figcaption",
    "figure",  "footer",  "form",   "h1",         "h2",   "h3",       "h4",       "h5",
    "h6",      "header",  "hgroup", "hr",         "html", "legend",   "li",       "main",
    "menu",    "nav",     "ol",     "p",          "pre",  "section",  "summary",  "table",
    "tbody",   "tfoot",   "thead",  "tr",         "ul",   "noframes", NULL};
static const char *const skip_tags[] = {
    "script",   "style", "noscript", "template", "svg",   "iframe", "object",
    "embed",    "head",  "title",    "meta",     "link",  "button", "select",
    "textarea", "input", "canvas",   "audio",    "video", "map",    NULL};

/* Text being written: separators wait until the next visible character, so none lead or
 * trail and the strongest one wins. */
struct textout {
    struct buf b;
    int pending; /* 0 none, 1 space, 2 line break, 3 paragraph break */
    int pre;     /* depth inside <pre> */
};

/* Asks for a separator of at least level before the next character. */
static void out_break(struct textout *o, int level)
{
    if (o->pending < level) o->pending = level;
}

/* Appends the text of a text node: whitespace collapsed (kept as line breaks in <pre>),
 * control characters dropped. */
static void out_text(struct textout *o, const char *s)
{
    size_t len = strlen(s);
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < len;) {
        size_t w = ws_len(p + i, len - i);
        if (w) {
            out_break(o, o->pre && p[i] == '\n' ? 2 : 1);
            i += w;
            continue;
        }
        size_t cl = char_len(p[i], len - i);
        if (!is_control(p + i, len - i)) {
            if (o->b.len && o->pending)
                buf_adds(&o->b, o->pending == 1 ? " " : o->pending == 2 ? "\n" : "\n\n");
            o->pending = 0;
            buf_add(&o->b, s + i, cl);
        }
        i += cl;
    }
}

/* Handles entering n; returns whether to walk its children. */
static bool out_enter(struct textout *o, xmlNodePtr n)
{
    if (is_text(n)) {
        if (n->content) out_text(o, (const char *)n->content);
        return false;
    }
    if (!is_el(n) || tag_in(n, skip_tags)) return false;
    if (tag_is(n, "br")) {
        out_break(o, o->pending >= 2 ? 3 : 2);
        return false;
    }
    if (tag_is(n, "td") || tag_is(n, "th")) out_break(o, 1);
    if (tag_in(n, block_tags)) out_break(o, 3);
    if (tag_is(n, "pre")) o->pre++;
    return true;
}

/* Handles leaving element n after its children. */
static void out_leave(struct textout *o, xmlNodePtr n)
{
    if (!is_el(n) || tag_in(n, skip_tags)) return;
    if (tag_is(n, "td") || tag_is(n, "th")) out_break(o, 1);
    if (tag_in(n, block_tags)) out_break(o, 3);
    if (tag_is(n, "pre") && o->pre > 0) o->pre--;
}

/* The plain text of root's subtree: blocks (headings, paragraphs, list items) separated by
 * blank lines, <br> as a line break, two of them as a paragraph break. Malloc'd. */
static char *subtree_text(xmlNodePtr root, size_t *out_len)
{
    struct textout o = {0};
    xmlNodePtr n = root->children;
    while (n) {
        if (out_enter(&o, n) && n->children) {
            n = n->children;
            continue;
        }
        out_leave(&o, n);
        while (n && !n->next) {
            n = n->parent;
            if (!n || n == root) {
                n = NULL;
                break;
            }
            out_leave(&o, n);
        }
        if (n) n = n->next;
    }
    *out_len = o.b.len;
    return buf_take(&o.b);
}

/* ---------------------------------------------------------------------------------------
 * Putting it together
 * ------------------------------------------------------------------------------------- */

/* Readability's parse() preparation on the parsed page: scripts, styles and templates go
 * (JSON-LD is read first by the caller), <br> chains become paragraphs, <font> becomes
 * <span>. */
static void prepare_document(xmlDocPtr doc)
{
    static const char *const junk[] = {"script", "noscript", "style", "template", NULL};
    static const char *const font[] = {"font", NULL};
    xmlNodePtr root = xmlDocGetRootElement(doc);
    if (!root) return;
    remove_tags(root, junk);
    xmlNodePtr body = doc_body(doc);
    if (body) replace_brs(doc, body);
    struct nodevec nv = {0};
    collect_tags(root, font, &nv);
    for (size_t i = 0; i < nv.n; i++)
        set_tag(nv.v[i], "span");
    nv_free(&nv);
}

/* Clears node->_private over the whole document (copies may carry it). */
static void clear_private(xmlDocPtr doc)
{
    xmlNodePtr root = (xmlNodePtr)doc;
    for (xmlNodePtr n = doc->children; n; n = walk_next(root, n, false))
        n->_private = NULL;
}

/* Runs Readability's attempts, loosening the rules while the article has fewer than
 * CHAR_THRESHOLD characters, and returns the text of the first long enough, or of the
 * longest (malloc'd, possibly empty). */
static char *extract_text(xmlDocPtr prepared, const char *title, char **byline,
                          bool has_meta_byline, size_t *out_len)
{
    unsigned flags = FLAG_STRIP_UNLIKELYS | FLAG_WEIGHT_CLASSES | FLAG_CLEAN_CONDITIONALLY;
    char *best = NULL;
    size_t best_len = 0, best_units = 0;
    bool have_best = false;
    for (;;) {
        xmlDocPtr doc = need(xmlCopyDoc(prepared, 1));
        clear_private(doc);
        struct rd rd = {.doc = doc,
                        .flags = flags,
                        .title = title,
                        .byline = byline,
                        .has_meta_byline = has_meta_byline};
        xmlNodePtr article = grab_article(&rd);
        size_t units = 0, len = 0;
        char *text = NULL;
        if (article) {
            units = inner_len(article);
            text = subtree_text(article, &len);
            free_subtree(article);
        }
        rd_free(&rd);
        xmlFreeDoc(doc);
        if (!article) {
            free(text);
            break;
        }
        if (units >= CHAR_THRESHOLD) {
            free(best);
            *out_len = len;
            return text;
        }
        if (!have_best || units > best_units) {
            free(best);
            best = text;
            best_len = len;
            best_units = units;
            have_best = true;
        } else {
            free(text);
        }
        if (flags & FLAG_STRIP_UNLIKELYS)
            flags &= ~FLAG_STRIP_UNLIKELYS;
        else if (flags & FLAG_WEIGHT_CLASSES)
            flags &= ~FLAG_WEIGHT_CLASSES;
        else if (flags & FLAG_CLEAN_CONDITIONALLY)
            flags &= ~FLAG_CLEAN_CONDITIONALLY;
        else
            break;
    }
    *out_len = best_len;
    return best ? best : news_xstrdup("");
}

/* A metadata value for the article: entities decoded (Readability's second unescaping),
 * whitespace normalised, valid UTF-8; NULL when s is NULL or blank. Malloc'd. */
static char *finish_value(const char *s, bool unescape)
{
    if (!s) return NULL;
    char *u = unescape ? unescape_entities(s) : news_xstrdup(s);
    size_t len = strlen(u), fixed_len;
    if (!utf8_is_valid(u, len)) {
        enum utf8_source how;
        char *fixed = utf8_decode(u, len, &fixed_len, &how);
        free(u);
        u = fixed;
        len = fixed_len;
    }
    size_t out_len;
    char *out = clean_normalize(u, len, &out_len);
    free(u);
    if (out_len == 0) {
        free(out);
        return NULL;
    }
    return out;
}

/* The first non-NULL of up to n values. */
static const char *first_of(const char *const *values, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (values[i] && values[i][0]) return values[i];
    return NULL;
}

/* Fills the article's metadata fields from what was read. Title: as chosen by the caller.
 * Byline: JSON-LD author, Dublin Core creator, <meta name=author>, Parse.ly, else the one
 * found in the markup. Source: JSON-LD publisher, og:site_name. URL: canonical link,
 * og:url, ctx->url. Date: JSON-LD datePublished, article:published_time, Parse.ly, a
 * datePublished scanned from broken JSON-LD, <time pubdate> or itemprop=datePublished,
 * other date <meta>s, the first <time datetime>, a date in the URL. */
static void fill_metadata(struct article *out, const struct jsonld *jl, const struct page_meta *pm,
                          const char *title, const char *byline, const char *lang,
                          const char *loose_date, const struct html_context *ctx)
{
    const struct metas *m = &pm->metas;
    out->title = finish_value(title, true);

    const char *bylines[] = {jl->byline, metas_get(m, "dc:creator"), metas_get(m, "dcterm:creator"),
                             metas_get(m, "author"), metas_get(m, "parsely-author")};
    const char *meta_byline = first_of(bylines, 5);
    out->byline = meta_byline ? finish_value(meta_byline, true) : finish_value(byline, false);

    const char *sites[] = {jl->site, metas_get(m, "og:site_name")};
    out->source = finish_value(first_of(sites, 2), true);

    const char *url = pm->canonical ? pm->canonical : pm->og_url;
    if (url) {
        char *abs = resolve_url(url, ctx ? ctx->url : NULL);
        out->url = finish_value(abs, false);
        free(abs);
    }
    if (!out->url && ctx && ctx->url) out->url = finish_value(ctx->url, false);

    char *from_url = url_date(out->url);
    if (!from_url && ctx) from_url = url_date(ctx->url);
    const char *dates[5 + sizeof pm->extra_date / sizeof *pm->extra_date + 2];
    size_t nd = 0;
    dates[nd++] = jl->date;
    dates[nd++] = metas_get(m, "article:published_time");
    dates[nd++] = metas_get(m, "parsely-pub-date");
    dates[nd++] = loose_date;
    dates[nd++] = pm->time_published;
    for (size_t k = 0; date_meta_names[k]; k++)
        dates[nd++] = pm->extra_date[k];
    dates[nd++] = pm->time_first;
    dates[nd++] = from_url;
    out->date = finish_value(first_of(dates, nd), true);
    free(from_url);

    out->lang = finish_value(lang, false);
}

enum news_status html_extract(const char *html, size_t len, const struct html_context *ctx,
                              struct article *out, struct news_error *err)
{
    enum news_status status = NEWS_OK;
    char *utf8 = NULL;
    size_t utf8_len = 0;
    htmlDocPtr doc = NULL;
    struct jsonld jl = {0};
    struct page_meta pm = {0};
    char *loose_date = NULL, *title = NULL, *byline = NULL, *lang = NULL, *text = NULL;
    struct article a = {0};

    if (len > HTML_MAX_INPUT_BYTES) {
        status = news_error_set(err, NEWS_ERR_LIMIT, "page of %zu bytes exceeds the limit of %zu",
                                len, HTML_MAX_INPUT_BYTES);
        goto done;
    }
    utf8 = decode_page(html, len, ctx ? ctx->charset : NULL, &utf8_len);
    doc = parse_utf8(utf8, utf8_len);
    if (!doc || !xmlDocGetRootElement(doc)) {
        status = news_error_set(err, NEWS_ERR_FORMAT, "no article text found (not HTML)");
        goto done;
    }
    prepare_tree(doc);
    read_jsonld(doc, &jl, &loose_date);
    prepare_document(doc);
    read_meta_tags(doc, &pm);

    const struct metas *m = &pm.metas;
    const char *titles[] = {jl.title,
                            metas_get(m, "dc:title"),
                            metas_get(m, "dcterm:title"),
                            metas_get(m, "og:title"),
                            metas_get(m, "weibo:article:title"),
                            metas_get(m, "weibo:webpage:title"),
                            metas_get(m, "title"),
                            metas_get(m, "twitter:title"),
                            metas_get(m, "parsely-title")};
    const char *meta_title = first_of(titles, sizeof titles / sizeof *titles);
    title = meta_title ? news_xstrdup(meta_title) : article_title(doc);
    const char *bylines[] = {jl.byline, metas_get(m, "dc:creator"), metas_get(m, "dcterm:creator"),
                             metas_get(m, "author"), metas_get(m, "parsely-author")};
    bool has_meta_byline = first_of(bylines, 5) != NULL;
    const char *lang_attr = attr(xmlDocGetRootElement(doc), "lang");
    lang = lang_attr ? trim_dup(lang_attr) : NULL;

    size_t text_len;
    text = extract_text(doc, title, &byline, has_meta_byline, &text_len);
    if (!utf8_is_valid(text, text_len)) {
        enum utf8_source how;
        char *fixed = utf8_decode(text, text_len, &text_len, &how);
        free(text);
        text = fixed;
    }
    if (text_len == 0) {
        status = news_error_set(err, NEWS_ERR_FORMAT, "no article text found");
        goto done;
    }
    fill_metadata(&a, &jl, &pm, title, byline, lang, loose_date, ctx);
    a.text = text;
    text = NULL;
    *out = a;
    memset(&a, 0, sizeof a);
done:
    article_clear(&a);
    free(text);
    free(lang);
    free(byline);
    free(title);
    free(loose_date);
    page_meta_free(&pm);
    free(jl.title);
    free(jl.byline);
    free(jl.site);
    free(jl.date);
    if (doc) xmlFreeDoc(doc);
    free(utf8);
    return status;
}

char *html_fragment_text(const char *html, size_t len, size_t *out_len)
{
    static const char *const junk[] = {"script", "noscript", "style", "template", NULL};
    char *text = NULL;
    enum utf8_source how;
    if (len > HTML_MAX_INPUT_BYTES) len = HTML_MAX_INPUT_BYTES;
    size_t utf8_len;
    char *utf8 = utf8_decode(html, len, &utf8_len, &how);
    for (size_t i = 0; i < utf8_len; i++)
        if (utf8[i] == '\0') utf8[i] = ' ';
    htmlDocPtr doc = parse_utf8(utf8, utf8_len);
    xmlNodePtr root = doc ? xmlDocGetRootElement(doc) : NULL;
    if (!root) {
        *out_len = 0;
        text = news_xstrdup("");
        goto done;
    }
    prepare_tree(doc);
    remove_tags(root, junk);
    text = subtree_text((xmlNodePtr)doc, out_len);
    if (!utf8_is_valid(text, *out_len)) {
        char *fixed = utf8_decode(text, *out_len, out_len, &how);
        free(text);
        text = fixed;
    }
done:
    if (doc) xmlFreeDoc(doc);
    free(utf8);
    return text;
}
