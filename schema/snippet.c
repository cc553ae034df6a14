/* snippet.c: news_snippet(): passages chosen for the query phrases they hold, cut at
 * sentence or word boundaries, with every matched form highlighted (snippet.h).
 *
 * Positions are FTS5 token positions in the column: xInst gives each phrase instance's
 * first position, xTokenize over xColumnText gives each position's bytes (colocated tokens
 * share the position of the token before them). A window of WORDS positions is scored by
 * sliding it over the instances in position order, adding an instance when its end enters
 * the window and dropping it when its start leaves, so each passage costs one pass over
 * the instances. */
#include "snippet.h"

#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "extension.h" /* last: in news_ext.so, routes the sqlite3_* calls below */

enum { SNIPPET_ARGS = 6 }; /* column, open, close, ellipsis, words, fragments[, phrases] */

/* One token of the column: its bytes in the column text. Its index is its position. */
struct token {
    int start, end;
};

/* The column's tokens from the first, collected up to limit. */
struct tokens {
    struct token *at;
    int count, cap, limit;
    int text_bytes;
    bool truncated; /* stopped at limit: more tokens follow */
};

/* A phrase instance in the column: positions off..last (off first: see first_from). end is the last
 * position a window must hold for the instance to count in it: a phrase longer than the window
 * counts by its first WORDS tokens. */
struct hit {
    int off, last, end, phrase;
};

/* A reference to a hit in the order of the positions windows must reach to hold them
 * (end first: see first_from). */
struct end_ref {
    int end, index;
};

/* Everything one call works on; arrays are malloc'd, per hit or per phrase. */
struct job {
    const char *text;
    struct tokens tok;
    struct hit *hits; /* in position order */
    int hit_count, phrases, words, longest_hit_tokens;
    int marked; /* the query's first phrases to mark and choose for; 0: all */
    struct end_ref *by_end;
    bool *in_window;  /* per hit */
    int *phrase_hits; /* per phrase: its hits in the window */
    bool *covered;    /* per phrase: held by a passage already chosen */
};

/* The best window found so far: it starts at hits[index] (-1: none yet) and lies in the
 * free stretch of positions lo..hi-1. */
struct window {
    int distinct, hits, index, lo, hi;
};

/* One passage: positions first..last. */
struct fragment {
    int first, last;
    bool sentence_start, sentence_end;
};

/* The markers the caller chose. */
struct marks {
    const char *open, *close, *ellipsis;
};

static int min_int(int a, int b)
{
    return a < b ? a : b;
}

static int max_int(int a, int b)
{
    return a > b ? a : b;
}

/* a + b for non-negative values, kept within int. */
static int add_capped(int a, int b)
{
    return a > INT_MAX - b ? INT_MAX : a + b;
}

static int by_position(const void *pa, const void *pb)
{
    const struct hit *a = pa, *b = pb;
    if (a->off != b->off) return a->off < b->off ? -1 : 1;
    return (a->phrase > b->phrase) - (a->phrase < b->phrase);
}

static int by_end_position(const void *pa, const void *pb)
{
    const struct end_ref *a = pa, *b = pb;
    if (a->end != b->end) return a->end < b->end ? -1 : 1;
    return (a->index > b->index) - (a->index < b->index);
}

/* Reads the instances of the query's phrases in column col into j, in position order. */
static int load_hits(const Fts5ExtensionApi *api, Fts5Context *fts, int col, struct job *j)
{
    int all = api->xPhraseCount(fts);
    j->phrases = j->marked > 0 && j->marked < all ? j->marked : all;
    if (j->phrases <= 0) return SQLITE_OK;
    int *sizes = news_xmalloc((size_t)j->phrases * sizeof *sizes);
    for (int p = 0; p < j->phrases; p++)
        sizes[p] = max_int(api->xPhraseSize(fts, p), 1);
    int count = 0;
    int rc = api->xInstCount(fts, &count);
    if (rc == SQLITE_OK && count > 0) j->hits = news_xmalloc((size_t)count * sizeof *j->hits);
    bool sorted = true;
    for (int i = 0; rc == SQLITE_OK && i < count; i++) {
        int phrase = -1, c = -1, off = -1;
        rc = api->xInst(fts, i, &phrase, &c, &off);
        if (rc != SQLITE_OK || c != col || phrase < 0 || phrase >= j->phrases || off < 0) continue;
        struct hit h = {off, add_capped(off, sizes[phrase] - 1),
                        add_capped(off, min_int(sizes[phrase], j->words) - 1), phrase};
        if (j->hit_count > 0 && by_position(&j->hits[j->hit_count - 1], &h) > 0) sorted = false;
        j->hits[j->hit_count++] = h;
    }
    /* FTS5 reports instances by column and position; do not depend on it. */
    if (!sorted) qsort(j->hits, (size_t)j->hit_count, sizeof *j->hits, by_position);
    free(sizes);
    return rc;
}

static int collect_token(void *ctx, int flags, const char *token, int bytes, int start, int end)
{
    struct tokens *t = ctx;
    (void)token, (void)bytes;
    if (flags & FTS5_TOKEN_COLOCATED) return SQLITE_OK; /* the same position again */
    if (t->count == t->limit) {
        t->truncated = true;
        return SQLITE_DONE;
    }
    /* Offsets out of order or out of the text would make cuts go backwards: clamp them. */
    int prev_end = t->count > 0 ? t->at[t->count - 1].end : 0;
    end = min_int(max_int(end, prev_end), t->text_bytes);
    start = min_int(max_int(start, prev_end), end);
    if (t->count == t->cap) {
        t->cap = t->cap ? (t->cap > INT_MAX / 2 ? INT_MAX : t->cap * 2) : 256;
        t->at = news_xrealloc(t->at, (size_t)t->cap * sizeof *t->at);
    }
    t->at[t->count++] = (struct token){start, end};
    return SQLITE_OK;
}

/* Tokenizes the column as far as a passage can reach: WORDS past the last instance. */
static int load_tokens(const Fts5ExtensionApi *api, Fts5Context *fts, int text_bytes, struct job *j)
{
    j->tok.text_bytes = text_bytes;
    j->tok.limit =
        j->hit_count > 0 ? add_capped(j->hits[j->hit_count - 1].off, j->words + 2) : j->words + 1;
    int rc = api->xTokenize(fts, j->text, text_bytes, &j->tok, collect_token);
    if (rc == SQLITE_DONE && j->tok.truncated) rc = SQLITE_OK;
    if (rc != SQLITE_OK) return rc;
    /* Instances past the text's tokens (an index out of step with its text) are dropped. */
    int kept = 0;
    for (int i = 0; i < j->hit_count; i++) {
        if (j->hits[i].end >= j->tok.count) continue;
        j->hits[kept++] = j->hits[i];
        j->longest_hit_tokens =
            max_int(j->longest_hit_tokens, j->hits[i].last - j->hits[i].off + 1);
    }
    j->hit_count = kept;
    return SQLITE_OK;
}

/* The first element at key or later of an array of count elements of elem_bytes each,
 * ordered by their first member, an int: hits by position, by_end by end. */
static int first_from(const void *array, size_t elem_bytes, int count, int key)
{
    const char *base = array;
    int lo = 0, hi = count;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2, at;
        memcpy(&at, base + (size_t)mid * elem_bytes, sizeof at);
        if (at < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int first_hit_from(const struct job *j, int off)
{
    return first_from(j->hits, sizeof *j->hits, j->hit_count, off);
}

static void window_add(struct job *j, int i, struct window *w)
{
    int p = j->hits[i].phrase;
    j->in_window[i] = true;
    w->hits++;
    if (j->phrase_hits[p]++ == 0 && !j->covered[p]) w->distinct++;
}

static void window_drop(struct job *j, int i, struct window *w)
{
    int p = j->hits[i].phrase;
    j->in_window[i] = false;
    w->hits--;
    if (--j->phrase_hits[p] == 0 && !j->covered[p]) w->distinct--;
}

/* Slides the window over the hits in the free positions lo..hi-1, each window starting at
 * a hit it holds, and keeps in best the one with the most new phrases, then the most hits,
 * then the earliest (windows are tried in text order; only a better one replaces best). */
static void scan_stretch(struct job *j, int lo, int hi, struct window *best)
{
    int first = first_hit_from(j, lo), stop = first_hit_from(j, hi);
    int next_add = first_from(j->by_end, sizeof *j->by_end, j->hit_count, lo);
    int next_drop = first;
    struct window w = {0, 0, -1, lo, hi};
    for (int i = first; i < stop; i++) {
        int start = j->hits[i].off, limit = min_int(add_capped(start, j->words), hi);
        for (; next_drop < stop && j->hits[next_drop].off < start; next_drop++)
            if (j->in_window[next_drop]) window_drop(j, next_drop, &w);
        for (; next_add < j->hit_count && j->by_end[next_add].end < limit; next_add++) {
            int k = j->by_end[next_add].index;
            if (j->hits[k].off >= start) window_add(j, k, &w);
        }
        if (!j->in_window[i]) continue;
        if (best->index < 0 || w.distinct > best->distinct ||
            (w.distinct == best->distinct && w.hits > best->hits)) {
            *best = w;
            best->index = i;
        }
    }
    for (; next_drop < stop; next_drop++)
        if (j->in_window[next_drop]) window_drop(j, next_drop, &w);
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Opening quotes and brackets that belong to the word after them, and closing ones that
 * belong to the word before. */
static const char *const openers[] = {"\"",           "'",       "(", "[", "\xE2\x80\x9C",
                                      "\xE2\x80\x98", "\xC2\xAB"};
static const char *const closers[] = {"\"",           "'",       ")", "]", "\xE2\x80\x9D",
                                      "\xE2\x80\x99", "\xC2\xBB"};
static const char ellipsis_char[] = "\xE2\x80\xA6";

/* Length of a closer that starts at text[pos] and ends before limit, or 0. */
static int closer_at(const char *text, int pos, int limit)
{
    for (size_t i = 0; i < sizeof closers / sizeof *closers; i++) {
        int len = (int)strlen(closers[i]);
        if (limit - pos >= len && memcmp(text + pos, closers[i], (size_t)len) == 0) return len;
    }
    return 0;
}

/* Length of an opener that ends just before text[pos] and starts at lo or later, or 0. */
static int opener_before(const char *text, int lo, int pos)
{
    for (size_t i = 0; i < sizeof openers / sizeof *openers; i++) {
        int len = (int)strlen(openers[i]);
        if (pos - lo >= len && memcmp(text + pos - len, openers[i], (size_t)len) == 0) return len;
    }
    return 0;
}

/* Initials and titles whose full stop does not end a sentence (U.S., J. Smith, Mr. Smith). */
static bool is_abbreviation(const char *word, int bytes)
{
    static const char *const titles[] = {"mr",  "mrs", "ms", "dr",  "prof", "st",  "gen", "gov",
                                         "sen", "rep", "lt", "col", "capt", "sgt", "rev", "hon",
                                         "no",  "vs",  "jr", "sr",  "mt",   "ft"};
    if (bytes == 1) return true;
    if (bytes > 4) return false;
    char lower[5];
    for (int i = 0; i < bytes; i++)
        lower[i] = word[i] >= 'A' && word[i] <= 'Z' ? (char)(word[i] - 'A' + 'a') : word[i];
    lower[bytes] = '\0';
    for (size_t i = 0; i < sizeof titles / sizeof *titles; i++)
        if (strcmp(lower, titles[i]) == 0) return true;
    return false;
}

/* True if a sentence starts at token i: the first token; one after a line break; or one
 * after . ! ? or … (and closing quotes) and white space, unless it starts with a lower-case
 * letter or the full stop ends an initial or a title. */
static bool starts_sentence(const struct job *j, int i)
{
    if (i <= 0) return true;
    const struct token *prev = &j->tok.at[i - 1];
    const char *t = j->text;
    int p = prev->end, gap_end = j->tok.at[i].start, n;
    bool after_stop = false, full_stop = false, ended = false;
    while (p < gap_end) {
        char c = t[p];
        if (c == '\n') return true;
        if (c == '.' || c == '!' || c == '?') {
            after_stop = true, full_stop = c == '.';
            p++;
        } else if (gap_end - p >= 3 && memcmp(t + p, ellipsis_char, 3) == 0) {
            after_stop = true, full_stop = false;
            p += 3;
        } else if (after_stop && (n = closer_at(t, p, gap_end))) {
            p += n;
        } else {
            if (after_stop && is_space(c)) ended = true;
            after_stop = false;
            p++;
        }
    }
    if (!ended) return false;
    if (gap_end < j->tok.text_bytes && t[gap_end] >= 'a' && t[gap_end] <= 'z') return false;
    return !(full_stop && is_abbreviation(t + prev->start, prev->end - prev->start));
}

static bool ends_sentence(const struct job *j, int i)
{
    if (i + 1 >= j->tok.count) return !j->tok.truncated;
    return starts_sentence(j, i + 1);
}

/* Places the passage around the window best and marks the phrases it adds as covered. The
 * passage must hold the first hit in the window of each new phrase (other hits are shown
 * when they fit): it starts at the start of the sentence holding the first of them if all
 * fit after it, else a quarter of the spare words before it (more if the text ends before
 * the rest); it ends at the last sentence end that fits, else WORDS tokens on. */
static struct fragment place(struct job *j, const struct window *best)
{
    int start = j->hits[best->index].off, limit = min_int(add_capped(start, j->words), best->hi);
    int first_off = -1, last_end = start;
    for (int i = first_hit_from(j, start); i < j->hit_count && j->hits[i].off < limit; i++) {
        const struct hit *h = &j->hits[i];
        if (h->end >= limit || j->covered[h->phrase]) continue;
        j->covered[h->phrase] = true;
        if (first_off < 0) first_off = h->off;
        last_end = max_int(last_end, h->end);
    }
    if (first_off < 0) first_off = start; /* not reached: a window has a new phrase */
    struct fragment f = {-1, -1, false, false};
    int earliest = max_int(best->lo, last_end - j->words + 1);
    for (int i = first_off; i >= earliest && f.first < 0; i--)
        if (starts_sentence(j, i)) f.first = i;
    int hi = min_int(best->hi, j->tok.count);
    if (f.first < 0) { /* more words before when the text or the stretch ends soon after */
        int spare = j->words - (last_end - first_off + 1);
        int before = max_int(spare / 4, spare - (hi - 1 - last_end));
        f.first = max_int(best->lo, first_off - min_int(before, spare));
    }
    f.sentence_start = starts_sentence(j, f.first);
    f.last = min_int(add_capped(f.first, j->words - 1), hi - 1);
    for (int i = f.last; i >= last_end && !f.sentence_end; i--) {
        if (ends_sentence(j, i)) {
            f.last = i;
            f.sentence_end = true;
        }
    }
    return f;
}

/* Chooses up to max_fragments passages into frags, in text order; returns how many. */
static int choose(struct job *j, int max_fragments, struct fragment *frags)
{
    if (j->tok.count == 0) return 0;
    if (j->hit_count == 0) { /* no match in the column: its lead */
        frags[0].first = 0;
        frags[0].last = min_int(j->words, j->tok.count) - 1;
        frags[0].sentence_start = true;
        frags[0].sentence_end = frags[0].last == j->tok.count - 1 && !j->tok.truncated;
        return 1;
    }
    size_t n = (size_t)j->hit_count;
    j->by_end = news_xmalloc(n * sizeof *j->by_end);
    for (int i = 0; i < j->hit_count; i++)
        j->by_end[i] = (struct end_ref){j->hits[i].end, i};
    qsort(j->by_end, n, sizeof *j->by_end, by_end_position);
    j->in_window = news_xmalloc(n * sizeof *j->in_window);
    memset(j->in_window, 0, n * sizeof *j->in_window);
    j->phrase_hits = news_xmalloc((size_t)j->phrases * sizeof *j->phrase_hits);
    memset(j->phrase_hits, 0, (size_t)j->phrases * sizeof *j->phrase_hits);
    j->covered = news_xmalloc((size_t)j->phrases * sizeof *j->covered);
    memset(j->covered, 0, (size_t)j->phrases * sizeof *j->covered);
    int count = 0;
    while (count < max_fragments) {
        struct window best = {0, 0, -1, 0, 0};
        int lo = 0; /* the free stretches between the passages chosen so far */
        for (int k = 0; k <= count; k++) {
            int hi = k < count ? frags[k].first : j->tok.count;
            if (lo < hi) scan_stretch(j, lo, hi, &best);
            if (k < count) lo = frags[k].last + 1;
        }
        if (best.index < 0 || (count > 0 && best.distinct == 0)) break;
        struct fragment f = place(j, &best);
        int at = count++;
        for (; at > 0 && frags[at - 1].first > f.first; at--)
            frags[at] = frags[at - 1];
        frags[at] = f;
    }
    return count;
}

/* Tab, line feed and carriage return are the only C0 control characters a snippet keeps. */
static bool is_dropped_control(char c)
{
    return (unsigned char)c < 0x20 && c != '\t' && c != '\n' && c != '\r';
}

/* Appends len bytes of text, or its first SNIPPET_MAX_RUN_BYTES (to a character boundary)
 * and the ellipsis, leaving out control characters (see snippet.h). */
static void put_run(sqlite3_str *out, const char *s, int len, const char *ellipsis)
{
    int cut = len;
    if (len > SNIPPET_MAX_RUN_BYTES) {
        cut = SNIPPET_MAX_RUN_BYTES;
        while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
            cut--;
    }
    int from = 0;
    for (int i = 0; i < cut; i++) {
        if (!is_dropped_control(s[i])) continue;
        sqlite3_str_append(out, s + from, i - from);
        from = i + 1;
    }
    sqlite3_str_append(out, s + from, cut - from);
    if (cut < len) sqlite3_str_appendall(out, ellipsis);
}

/* Appends passage f, starting no earlier than byte from, with its hits marked; returns the
 * byte after it. */
static int put_fragment(const struct job *j, const struct fragment *f, int from,
                        const struct marks *m, sqlite3_str *out)
{
    const struct token *tok = j->tok.at;
    int count = f->last - f->first + 1; /* at most SNIPPET_MAX_WORDS */
    bool marked[SNIPPET_MAX_WORDS] = {false}, joined[SNIPPET_MAX_WORDS] = {false};
    int i =
        first_hit_from(j, f->first > j->longest_hit_tokens ? f->first - j->longest_hit_tokens : 0);
    for (; i < j->hit_count && j->hits[i].off <= f->last; i++) {
        int lo = max_int(j->hits[i].off, f->first), hi = min_int(j->hits[i].last, f->last);
        for (int t = lo; t <= hi; t++) {
            marked[t - f->first] = true;
            if (t < hi) joined[t - f->first] = true; /* one span with the next token */
        }
    }
    int start = tok[f->first].start, n;
    int lo = max_int(from, f->first > 0 ? tok[f->first - 1].end : 0);
    while ((n = opener_before(j->text, lo, start)))
        start -= n;
    sqlite3_str_append(out, j->text + start, tok[f->first].start - start);
    for (int k = 0; k < count; k++) {
        const struct token *t = &tok[f->first + k];
        if (k > 0) put_run(out, j->text + t[-1].end, t->start - t[-1].end, m->ellipsis);
        if (marked[k] && !(k > 0 && joined[k - 1])) sqlite3_str_appendall(out, m->open);
        put_run(out, j->text + t->start, t->end - t->start, m->ellipsis);
        if (marked[k] && !(k + 1 < count && joined[k])) sqlite3_str_appendall(out, m->close);
    }
    int end = tok[f->last].end;
    int limit = f->last + 1 < j->tok.count ? tok[f->last + 1].start : j->tok.text_bytes;
    for (;;) {
        char c = end < limit ? j->text[end] : ' ';
        if (f->sentence_end && (c == '.' || c == '!' || c == '?'))
            end++;
        else if ((n = closer_at(j->text, end, limit)))
            end += n;
        else
            break;
    }
    sqlite3_str_append(out, j->text + tok[f->last].end, end - tok[f->last].end);
    return end;
}

/* Appends the passages, joined and cut as snippet.h says. */
static void put_snippet(const struct job *j, const struct fragment *frags, int count,
                        const struct marks *m, sqlite3_str *out)
{
    int end = 0;
    for (int k = 0; k < count; k++) {
        const struct fragment *f = &frags[k];
        if (k == 0 && f->first > 0) {
            sqlite3_str_appendall(out, m->ellipsis);
            if (f->sentence_start) sqlite3_str_appendchar(out, 1, ' ');
        } else if (k > 0 && frags[k - 1].last + 1 == f->first) {
            /* Adjacent passages: the text between them, up to the next one's openers. */
            int start = j->tok.at[f->first].start, n;
            while ((n = opener_before(j->text, end, start)))
                start -= n;
            put_run(out, j->text + end, start - end, m->ellipsis);
            end = start;
        } else if (k > 0) {
            sqlite3_str_appendf(out, " %s ", m->ellipsis);
        }
        end = put_fragment(j, f, end, m, out);
    }
    if (count == 0) return;
    const struct fragment *last = &frags[count - 1];
    if (last->last + 1 < j->tok.count || j->tok.truncated) {
        if (last->sentence_end) sqlite3_str_appendchar(out, 1, ' ');
        sqlite3_str_appendall(out, m->ellipsis);
    }
}

static const char *text_arg(sqlite3_value *v)
{
    const char *s = (const char *)sqlite3_value_text(v);
    return s ? s : "";
}

static void news_snippet(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
                         int argc, sqlite3_value **argv)
{
    if (argc != SNIPPET_ARGS && argc != SNIPPET_ARGS + 1) {
        sqlite3_result_error(ctx,
                             "news_snippet() takes the table, a column, open and close markers,"
                             " an ellipsis, words, fragments and, optionally, phrases",
                             -1);
        return;
    }
    int col = sqlite3_value_int(argv[0]);
    struct marks m = {text_arg(argv[1]), text_arg(argv[2]), text_arg(argv[3])};
    int words = sqlite3_value_int(argv[4]), max_fragments = sqlite3_value_int(argv[5]);
    if (col < 0 || col >= api->xColumnCount(fts)) {
        sqlite3_result_error(ctx, "news_snippet(): no such column", -1);
        return;
    }
    if (words < 1 || words > SNIPPET_MAX_WORDS || max_fragments < 1 ||
        max_fragments > SNIPPET_MAX_FRAGMENTS) {
        sqlite3_result_error(ctx, "news_snippet(): words must be 1 to 64, fragments 1 to 8", -1);
        return;
    }
    struct job j;
    memset(&j, 0, sizeof j);
    j.words = words;
    j.marked = argc > SNIPPET_ARGS ? sqlite3_value_int(argv[SNIPPET_ARGS]) : 0;
    struct fragment frags[SNIPPET_MAX_FRAGMENTS];
    int count = 0, text_bytes = 0;
    int rc = api->xColumnText(fts, col, &j.text, &text_bytes);
    if (rc == SQLITE_OK && j.text && text_bytes > 0) {
        rc = load_hits(api, fts, col, &j);
        if (rc == SQLITE_OK) rc = load_tokens(api, fts, text_bytes, &j);
        if (rc == SQLITE_OK) count = choose(&j, max_fragments, frags);
    }
    sqlite3_str *out = sqlite3_str_new(sqlite3_context_db_handle(ctx));
    if (rc == SQLITE_OK && count > 0) put_snippet(&j, frags, count, &m, out);
    if (rc == SQLITE_OK) rc = sqlite3_str_errcode(out);
    int len = sqlite3_str_length(out);
    char *s = sqlite3_str_finish(out);
    if (rc != SQLITE_OK) {
        sqlite3_free(s);
        sqlite3_result_error_code(ctx, rc);
    } else if (s) {
        sqlite3_result_text(ctx, s, len, sqlite3_free);
    } else {
        sqlite3_result_text(ctx, "", 0, SQLITE_STATIC);
    }
    free(j.tok.at);
    free(j.hits);
    free(j.by_end);
    free(j.in_window);
    free(j.phrase_hits);
    free(j.covered);
}

int snippet_register(fts5_api *fts5)
{
    return fts5->xCreateFunction(fts5, "news_snippet", NULL, news_snippet, NULL);
}
