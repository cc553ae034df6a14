/* clean.h: what of a plain-text article is the article. Each decision is a function of its
 * own: promos and notices, photo captions, short lines repeated inside one article, and
 * lines that recur across many articles of the same source. */
#ifndef NEWS_CLEAN_H
#define NEWS_CLEAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A line this short (in words) that appears twice in one article is boilerplate. */
#define CLEAN_REPEAT_MAX_WORDS 12
/* A line this short (in words) that appears in this many articles of one source is. */
#define CLEAN_RECUR_MAX_WORDS 30
#define CLEAN_RECUR_MIN_ARTICLES 5
/* A block of lines none longer than this (bytes) is one hard-wrapped paragraph. */
#define CLEAN_WRAP_MAX_BYTES 100

/* Why a line was dropped. */
enum clean_verdict {
    CLEAN_KEEP = 0,
    CLEAN_PROMO,   /* advert, sign-up, share bar, error notice */
    CLEAN_CAPTION, /* photo caption with a credit */
    CLEAN_REPEAT,  /* short line repeated inside the article */
    CLEAN_RECUR    /* line recurring across articles of the source */
};

/* One line of the body, whitespace-normalised. */
struct clean_line {
    char *text; /* owned, NUL-terminated */
    size_t len;
    size_t words;
    uint64_t hash;
    size_t block; /* lines of one block were not separated by a blank line */
    enum clean_verdict verdict;
};

/* A body split into lines; owns its lines. */
struct clean_doc {
    struct clean_line *lines;
    size_t count, cap;
};

/* Words in s: runs of characters that are not spaces. */
size_t clean_word_count(const char *s, size_t len);

/* Collapses whitespace (including no-break spaces) to single spaces, removes control
 * characters, trims. Returns a malloc'd string and its length in *out_len. s must be
 * valid UTF-8. */
char *clean_normalize(const char *s, size_t len, size_t *out_len);

/* True for advertising, sign-up, subscription, share-bar, cookie and error-notice lines:
 * a short line mostly made of such phrases, one that opens with a call to action, or any
 * line with three or more of them. s is one normalised line. */
bool clean_is_promo(const char *s, size_t len);

/* True for a photo caption carrying a credit ("... Picture: Name/Agency", "... | AP"). */
bool clean_is_caption(const char *s, size_t len);

/* Splits a body (valid UTF-8) into normalised, non-empty lines; blank lines separate
 * blocks. Resets doc first. */
void clean_doc_split(struct clean_doc *doc, const char *text, size_t len);

/* Marks promos, captions and short lines repeated inside the article. Returns how many
 * lines it marked. */
size_t clean_doc_mark(struct clean_doc *doc);

/* Joins the kept lines into the stored text: paragraphs separated by a blank line, the
 * lines of a hard-wrapped block joined with spaces. Returns a malloc'd string. */
char *clean_doc_join(const struct clean_doc *doc, size_t *out_len);

/* Frees the lines (the struct itself is the caller's). */
void clean_doc_free(struct clean_doc *doc);

/* Counts of lines across the articles of each source, bounded in memory: when full,
 * lines seen only once are forgotten. */
struct recur;

struct recur *recur_new(size_t max_entries);
void recur_free(struct recur *r);

/* Counts each distinct short kept line of doc once for source_key. */
void recur_count(struct recur *r, uint64_t source_key, const struct clean_doc *doc);

/* Records a line already known to be boilerplate for source_key (from the archive). */
void recur_mark_known(struct recur *r, uint64_t source_key, uint64_t line_hash);

/* Marks the kept lines of doc that recur across CLEAN_RECUR_MIN_ARTICLES articles of the
 * source or are known boilerplate. For each line newly found to be boilerplate, calls
 * on_new(ctx, line_hash) once, so the caller can remember it. Returns lines marked. */
size_t recur_mark_doc(struct recur *r, uint64_t source_key, struct clean_doc *doc,
                      void (*on_new)(void *ctx, uint64_t line_hash), void *ctx);

#endif
