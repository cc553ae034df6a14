/* clean.c: the plain-text cleaner. Rules work on lines: scraped pages put each promo,
 * caption and notice on a line of its own, and repetition is what gives them away. */
#include "clean.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "hash.h"

static bool is_alnum(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

size_t clean_word_count(const char *s, size_t len)
{
    size_t words = 0;
    bool in_word = false;
    for (size_t i = 0; i < len; i++) {
        bool space = s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r';
        if (!space && !in_word) words++;
        in_word = !space;
    }
    return words;
}

char *clean_normalize(const char *s, size_t len, size_t *out_len)
{
    char *out = news_xmalloc(len + 1);
    size_t o = 0;
    bool pending_space = false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
        if (c == 0xC2 && i + 1 < len) {
            unsigned char d = (unsigned char)s[i + 1];
            if (d == 0xA0) { /* no-break space */
                space = true;
                i++;
            } else if (d >= 0x80 && d <= 0x9F) { /* C1 control */
                i++;
                continue;
            }
        }
        if (space) {
            pending_space = o > 0;
            continue;
        }
        if (c < 0x20 || c == 0x7F) continue;
        if (pending_space) out[o++] = ' ';
        pending_space = false;
        out[o++] = (char)c;
    }
    out[o] = '\0';
    *out_len = o;
    return out;
}

/* Lowercases ASCII letters into a new buffer, for phrase matching. */
static char *ascii_lower(const char *s, size_t len)
{
    char *out = news_xmalloc(len + 1);
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        out[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
    }
    out[len] = '\0';
    return out;
}

/* Phrases that mark a promo, notice or share bar. Matched lowercase, at word boundaries. */
static const char *const promo_phrases[] = {"advertisement",
                                            "hide ad",
                                            "sponsored content",
                                            "sign up",
                                            "signing up",
                                            "subscribe",
                                            "subscription",
                                            "subscriber",
                                            "newsletter",
                                            "thank you for signing up",
                                            "sorry, there seem to be some issues",
                                            "please try again later",
                                            "submitting...",
                                            "share this article",
                                            "share this story",
                                            "share on facebook",
                                            "share on x",
                                            "share on twitter",
                                            "share on whatsapp",
                                            "share via email",
                                            "copy link",
                                            "read more",
                                            "click here",
                                            "learn more",
                                            "follow us",
                                            "download our app",
                                            "download the app",
                                            "cookie",
                                            "cookies",
                                            "we use cookies",
                                            "accept all",
                                            "improve your experience",
                                            "all rights reserved",
                                            "related articles",
                                            "related stories",
                                            "most read",
                                            "trending now",
                                            "recommended for you",
                                            "skip to content",
                                            "skip advertisement",
                                            "listen to this article",
                                            "print this page",
                                            "continue reading",
                                            "log in",
                                            "register now",
                                            "privacy policy",
                                            "terms of use",
                                            "terms and conditions",
                                            "unlimited access",
                                            "premium content",
                                            "fewer ads",
                                            "loyalty rewards",
                                            "digital subscription"};

/* A line that opens with one of these is a call to action, however long. */
static const char *const promo_openers[] = {"sign up",           "subscribe to",
                                            "subscribe for",     "read more",
                                            "share this",        "click here",
                                            "follow us",         "download the",
                                            "download our",      "listen to this article",
                                            "skip to",           "continue reading",
                                            "sponsored content", "advertisement hide ad",
                                            "related articles",  "related stories",
                                            "most read"};

static bool at_word_boundary(const char *line, const char *hit, size_t phrase_len)
{
    if (hit > line && is_alnum((unsigned char)hit[-1])) return false;
    unsigned char last = (unsigned char)hit[phrase_len - 1];
    return !is_alnum(last) || !is_alnum((unsigned char)hit[phrase_len]);
}

enum { PROMO_PHRASES = sizeof promo_phrases / sizeof *promo_phrases };
_Static_assert(PROMO_PHRASES <= 64, "phrases seen are kept in a 64-bit mask");

bool clean_is_promo(const char *s, size_t len)
{
    char *low = ascii_lower(s, len);
    size_t words = clean_word_count(s, len), covered = 0;
    uint64_t seen = 0; /* which phrases occur */
    bool promo = false;
    for (size_t i = 0; i < sizeof promo_openers / sizeof *promo_openers; i++) {
        size_t n = strlen(promo_openers[i]);
        if (strncmp(low, promo_openers[i], n) == 0 && at_word_boundary(low, low, n)) {
            promo = true;
            goto done;
        }
    }
    /* One pass over the words: at each word start, try the phrases that begin with its
     * letter (every phrase starts with a letter). */
    for (size_t i = 0; i < len; i++) {
        char c = low[i];
        if (c < 'a' || c > 'z' || (i > 0 && is_alnum((unsigned char)low[i - 1]))) continue;
        for (size_t k = 0; k < PROMO_PHRASES; k++) {
            const char *phrase = promo_phrases[k];
            if (phrase[0] != c) continue;
            size_t n = strlen(phrase);
            if (n > len - i || memcmp(low + i, phrase, n) != 0 ||
                !at_word_boundary(low, low + i, n))
                continue;
            seen |= (uint64_t)1 << k;
            covered += clean_word_count(phrase, n);
        }
    }
    size_t distinct = 0;
    for (uint64_t m = seen; m; m &= m - 1)
        distinct++;
    promo = distinct >= 3 || (distinct >= 1 && words <= 15 && covered * 2 >= words);
done:
    free(low);
    return promo;
}

/* Words that name who took a picture or which agency supplied it. */
static const char *const credit_words[] = {
    "AP",     "AFP",   "Getty", "Reuters",   "PA",      "EPA",    "Shutterstock", "Alamy",
    "Images", "Photo", "Pool",  "Bloomberg", "SPUTNIK", "Xinhua", "ANSA",         "dpa"};

static bool has_credit_word(const char *s, size_t len)
{
    for (size_t i = 0; i < sizeof credit_words / sizeof *credit_words; i++) {
        size_t n = strlen(credit_words[i]);
        for (size_t j = 0; j + n <= len; j++) {
            if (memcmp(s + j, credit_words[i], n) != 0) continue;
            bool left = j == 0 || !is_alnum((unsigned char)s[j - 1]);
            bool right = j + n == len || !is_alnum((unsigned char)s[j + n]);
            if (left && right) return true;
        }
    }
    return false;
}

bool clean_is_caption(const char *s, size_t len)
{
    static const char *const labels[] = {
        "Picture:", "Photo:", "Photograph:", "Image:", "Credit:", "(Photo by", "(AP Photo", "Pic:"};
    if (clean_word_count(s, len) > 120) return false;
    char *copy = news_xstrndup(s, len);
    bool caption = false;
    for (size_t i = 0; i < sizeof labels / sizeof *labels && !caption; i++) {
        const char *hit = strstr(copy, labels[i]);
        /* The label must be near the end: a credit, not a sentence that mentions one. */
        if (hit && clean_word_count(hit, len - (size_t)(hit - copy)) <= 12) caption = true;
    }
    /* "... | AP", "... | SPUTNIK/AFP via Getty Images" */
    const char *bar = NULL;
    for (const char *p = strstr(copy, " | "); p; p = strstr(p + 1, " | "))
        bar = p;
    if (!caption && bar) {
        const char *credit = bar + 3;
        size_t credit_len = len - (size_t)(credit - copy);
        caption = clean_word_count(credit, credit_len) <= 8 && has_credit_word(credit, credit_len);
    }
    free(copy);
    return caption;
}

static void doc_push(struct clean_doc *doc, char *text, size_t len, size_t block)
{
    if (doc->count == doc->cap) {
        doc->cap = doc->cap ? doc->cap * 2 : 32;
        doc->lines = news_xrealloc(doc->lines, doc->cap * sizeof *doc->lines);
    }
    doc->lines[doc->count++] = (struct clean_line){
        .text = text,
        .len = len,
        .words = clean_word_count(text, len),
        .hash = hash64(text, len),
        .block = block,
        .verdict = CLEAN_KEEP,
    };
}

void clean_doc_free(struct clean_doc *doc)
{
    for (size_t i = 0; i < doc->count; i++)
        free(doc->lines[i].text);
    free(doc->lines);
    memset(doc, 0, sizeof *doc);
}

void clean_doc_split(struct clean_doc *doc, const char *text, size_t len)
{
    clean_doc_free(doc);
    size_t block = 0;
    bool block_has_lines = false;
    for (size_t pos = 0; pos < len;) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t line_len = nl ? (size_t)(nl - (text + pos)) : len - pos;
        size_t norm_len;
        char *norm = clean_normalize(text + pos, line_len, &norm_len);
        if (norm_len == 0) {
            free(norm);
            if (block_has_lines) block++;
            block_has_lines = false;
        } else {
            doc_push(doc, norm, norm_len, block);
            block_has_lines = true;
        }
        pos += line_len + 1;
    }
}

static bool same_line(const struct clean_line *a, const struct clean_line *b)
{
    return a->hash == b->hash && a->len == b->len && memcmp(a->text, b->text, a->len) == 0;
}

struct hash_pos {
    uint64_t hash;
    size_t pos;
};

static int by_hash(const void *x, const void *y)
{
    const struct hash_pos *a = x, *b = y;
    if (a->hash != b->hash) return a->hash < b->hash ? -1 : 1;
    return a->pos < b->pos ? -1 : 1;
}

/* Line indexes ordered by hash, then position: equal lines become neighbours, the first
 * occurrence first. The caller frees the array. */
static size_t *sorted_by_hash(const struct clean_doc *doc)
{
    struct hash_pos *hp = news_xmalloc(doc->count * sizeof *hp);
    for (size_t i = 0; i < doc->count; i++)
        hp[i] = (struct hash_pos){doc->lines[i].hash, i};
    qsort(hp, doc->count, sizeof *hp, by_hash);
    size_t *order = news_xmalloc(doc->count * sizeof *order);
    for (size_t i = 0; i < doc->count; i++)
        order[i] = hp[i].pos;
    free(hp);
    return order;
}

size_t clean_doc_mark(struct clean_doc *doc)
{
    size_t marked = 0;
    for (size_t i = 0; i < doc->count; i++) {
        struct clean_line *l = &doc->lines[i];
        if (clean_is_promo(l->text, l->len))
            l->verdict = CLEAN_PROMO;
        else if (clean_is_caption(l->text, l->len))
            l->verdict = CLEAN_CAPTION;
    }
    /* Short lines repeated inside the article: equal lines are neighbours once sorted. */
    size_t *order = sorted_by_hash(doc);
    for (size_t i = 0; i + 1 < doc->count; i++) {
        struct clean_line *a = &doc->lines[order[i]], *b = &doc->lines[order[i + 1]];
        if (a->words <= CLEAN_REPEAT_MAX_WORDS && same_line(a, b)) {
            a->verdict = CLEAN_REPEAT;
            b->verdict = CLEAN_REPEAT;
        }
    }
    free(order);
    for (size_t i = 0; i < doc->count; i++)
        marked += doc->lines[i].verdict != CLEAN_KEEP;
    return marked;
}

/* A list item ("- ...", "* ...", "• ...", "1. ...", "2) ...") starts a paragraph of its own
 * even inside a hard-wrapped block. */
static bool is_list_item(const char *s, size_t len)
{
    if (len >= 2 && (s[0] == '-' || s[0] == '*') && s[1] == ' ') return true;
    if (len >= 4 && memcmp(s, "\xE2\x80\xA2 ", 4) == 0) return true; /* bullet */
    size_t i = 0;
    while (i < len && i < 3 && s[i] >= '0' && s[i] <= '9')
        i++;
    return i > 0 && i + 1 < len && (s[i] == '.' || s[i] == ')') && s[i + 1] == ' ';
}

char *clean_doc_join(const struct clean_doc *doc, size_t *out_len)
{
    size_t cap = 1;
    for (size_t i = 0; i < doc->count; i++)
        cap += doc->lines[i].len + 2;
    char *out = news_xmalloc(cap);
    size_t o = 0;
    for (size_t i = 0; i < doc->count;) {
        /* One block: is it hard-wrapped prose, or a line per paragraph? */
        size_t end = i, longest = 0;
        while (end < doc->count && doc->lines[end].block == doc->lines[i].block) {
            if (doc->lines[end].len > longest) longest = doc->lines[end].len;
            end++;
        }
        bool wrapped = end - i > 1 && longest <= CLEAN_WRAP_MAX_BYTES;
        bool first_in_block = true;
        for (; i < end; i++) {
            const struct clean_line *l = &doc->lines[i];
            if (l->verdict != CLEAN_KEEP) continue;
            if (o > 0) {
                if (wrapped && !first_in_block && !is_list_item(l->text, l->len)) {
                    out[o++] = ' ';
                } else {
                    out[o++] = '\n';
                    out[o++] = '\n';
                }
            }
            memcpy(out + o, l->text, l->len);
            o += l->len;
            first_in_block = false;
        }
    }
    out[o] = '\0';
    *out_len = o;
    return out;
}

/* ---- recurrence across articles ---- */

struct recur_entry {
    uint64_t key; /* 0 = empty slot */
    uint32_t articles;
    uint32_t is_known; /* boilerplate already recorded */
};

struct recur {
    struct recur_entry *slots;
    size_t cap, used, max_entries;
};

static uint64_t recur_key(uint64_t source_key, uint64_t line_hash)
{
    uint64_t k = (source_key * 0x9E3779B97F4A7C15ULL) ^ line_hash;
    return k ? k : 1;
}

struct recur *recur_new(size_t max_entries)
{
    struct recur *r = news_xmalloc(sizeof *r);
    r->max_entries = max_entries < 16 ? 16 : max_entries;
    r->cap = 1024; /* grows as lines come, up to twice max_entries */
    r->used = 0;
    r->slots = news_xmalloc(r->cap * sizeof *r->slots);
    memset(r->slots, 0, r->cap * sizeof *r->slots);
    return r;
}

void recur_free(struct recur *r)
{
    if (!r) return;
    free(r->slots);
    free(r);
}

static struct recur_entry *recur_slot(struct recur *r, uint64_t key)
{
    size_t mask = r->cap - 1;
    for (size_t i = key & mask;; i = (i + 1) & mask) {
        if (r->slots[i].key == key || r->slots[i].key == 0) return &r->slots[i];
    }
}

/* Moves the entries seen in at least min_articles articles (and every known line) into a
 * table of new_cap slots. */
static void recur_rehash(struct recur *r, size_t new_cap, uint32_t min_articles)
{
    struct recur_entry *old = r->slots;
    size_t old_cap = r->cap;
    r->cap = new_cap;
    r->slots = news_xmalloc(new_cap * sizeof *r->slots);
    memset(r->slots, 0, new_cap * sizeof *r->slots);
    r->used = 0;
    for (size_t i = 0; i < old_cap; i++) {
        if (old[i].key == 0 || (old[i].articles < min_articles && !old[i].is_known)) continue;
        *recur_slot(r, old[i].key) = old[i];
        r->used++;
    }
    free(old);
}

/* Makes room for one more entry: grow while under the bound; then forget the lines seen in
 * the fewest articles (once, then twice, ...) and then everything but known boilerplate,
 * until three quarters of the table are free, so that each forgetting pays for a quarter
 * of the table's worth of new lines. (Forgetting only down to half full let a table held
 * just under half full by lines seen twice rehash itself for every new line, and never
 * keep a new line long enough to see it again.) Known boilerplate goes last, only when it
 * alone fills half the table. */
static void recur_make_room(struct recur *r)
{
    if (r->used + 1 <= r->cap / 2) return;
    if (r->cap < r->max_entries * 2) {
        recur_rehash(r, r->cap * 2, 0);
        return;
    }
    for (uint32_t min = 2; min <= CLEAN_RECUR_MIN_ARTICLES && r->used + 1 > r->cap / 4; min++)
        recur_rehash(r, r->cap, min);
    if (r->used + 1 > r->cap / 4) recur_rehash(r, r->cap, UINT32_MAX);
    if (r->used + 1 > r->cap / 2) {
        memset(r->slots, 0, r->cap * sizeof *r->slots);
        r->used = 0;
    }
}

static struct recur_entry *recur_get(struct recur *r, uint64_t key)
{
    struct recur_entry *e = recur_slot(r, key);
    if (e->key == 0) {
        recur_make_room(r);
        e = recur_slot(r, key);
        e->key = key;
        r->used++;
    }
    return e;
}

void recur_mark_known(struct recur *r, uint64_t source_key, uint64_t line_hash)
{
    recur_get(r, recur_key(source_key, line_hash))->is_known = 1;
}

void recur_count(struct recur *r, uint64_t source_key, const struct clean_doc *doc)
{
    size_t *order = sorted_by_hash(doc);
    for (size_t i = 0; i < doc->count; i++) {
        const struct clean_line *l = &doc->lines[order[i]];
        if (l->verdict != CLEAN_KEEP || l->words > CLEAN_RECUR_MAX_WORDS) continue;
        if (i > 0 && doc->lines[order[i - 1]].hash == l->hash) continue; /* once per article */
        struct recur_entry *e = recur_get(r, recur_key(source_key, l->hash));
        if (e->articles < UINT32_MAX) e->articles++;
    }
    free(order);
}

size_t recur_mark_doc(struct recur *r, uint64_t source_key, struct clean_doc *doc,
                      void (*on_new)(void *ctx, uint64_t line_hash), void *ctx)
{
    size_t marked = 0;
    for (size_t i = 0; i < doc->count; i++) {
        struct clean_line *l = &doc->lines[i];
        if (l->verdict != CLEAN_KEEP || l->words > CLEAN_RECUR_MAX_WORDS) continue;
        struct recur_entry *e = recur_slot(r, recur_key(source_key, l->hash));
        if (e->key == 0) continue;
        if (!e->is_known && e->articles >= CLEAN_RECUR_MIN_ARTICLES) {
            e->is_known = 1;
            if (on_new) on_new(ctx, l->hash);
        }
        if (e->is_known) {
            l->verdict = CLEAN_RECUR;
            marked++;
        }
    }
    return marked;
}
