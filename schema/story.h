/* story.h: wire copies: the stored articles whose fingerprints are within
 * SIMHASH_MAX_DISTANCE bits of a new one, found through the archive's simhash_block index.
 * news-index and the upgrade to schema version 3 share it, so that an upgraded archive
 * groups its articles exactly as a freshly loaded one. */
#ifndef NEWS_STORY_H
#define NEWS_STORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "archive.h"
#include "error.h"

struct story_index;

/* Prepares the statements on a's connection, which must hold schema version 3 (or be
 * upgrading to it). *out is set only on success; close it with story_index_close. */
enum news_status story_index_open(struct archive *a, struct story_index **out,
                                  struct news_error *err);

/* Finalizes the statements; accepts NULL. */
void story_index_close(struct story_index *s);

/* Sets *story to the lowest story id among the articles recorded with story_index_add
 * whose fingerprints differ from fingerprint in at most SIMHASH_MAX_DISTANCE bits, or to 0
 * when there are none. The lowest, when a text is close to articles of different stories:
 * the oldest story wins, and stories already stored are never merged or renumbered. Only
 * the articles sharing a 16-bit block with fingerprint are read, through an index. */
enum news_status story_index_find(struct story_index *s, uint64_t fingerprint, int64_t *story,
                                  struct news_error *err);

/* Where a new article goes. */
struct story_place {
    bool has_fingerprint; /* false when the text is too short to tell (simhash.h) */
    uint64_t fingerprint;
    int64_t story; /* the story it joins, or its own id when it is no copy */
};

/* Fingerprints the text of article id, about to be stored, and finds its story with
 * story_index_find. */
enum news_status story_index_place(struct story_index *s, int64_t id, const char *text, size_t len,
                                   struct story_place *out, struct news_error *err);

/* The two halves of story_index_place, for a caller that fingerprints texts on other
 * threads: story_place_fingerprint touches no database and may run on any thread;
 * story_index_settle then finds the story of article id from the fingerprint in *p. */
void story_place_fingerprint(const char *text, size_t len, struct story_place *out);
enum news_status story_index_settle(struct story_index *s, int64_t id, struct story_place *p,
                                    struct news_error *err);

/* Binds what article.simhash (the fingerprint, or NULL) and article.story hold for p to
 * parameters fingerprint_param and story_param of st. */
void story_place_bind(const struct story_place *p, sqlite3_stmt *st, int fingerprint_param,
                      int story_param);

/* Records article_id, just stored as p says, so that later lookups find it: nothing when
 * it has no fingerprint. */
enum news_status story_index_add(struct story_index *s, int64_t article_id,
                                 const struct story_place *p, struct news_error *err);

#endif
