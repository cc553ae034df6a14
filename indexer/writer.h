/* writer.h: everything news-index writes to an archive: articles, their text and index
 * entries, provenance, runs, and learned boilerplate. One writer per connection. */
#ifndef NEWS_WRITER_H
#define NEWS_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "archive.h"
#include "article.h"
#include "codec.h"
#include "error.h"
#include "story.h"

struct writer;

/* Where one input record came from. */
struct writer_provenance {
    const char *abs_path;
    size_t record;
    uint64_t offset;
    unsigned char raw_hash[16];
    const char *source_id;
};

/* Prepares the statements and records the start of a run (command is what was typed).
 * A dry run (dry_run) does all its work in one transaction that writer_commit leaves open
 * and writer_close rolls back: it changes nothing. *out is set only on success; close
 * with writer_close. */
enum news_status writer_open(struct archive *a, const char *command, bool dry_run,
                             struct writer **out, struct news_error *err);

/* Finalizes the statements; accepts NULL. Does not commit: call writer_commit first. */
void writer_close(struct writer *w);

/* Opens a write transaction if none is open; writer_commit commits it (but in a dry run). */
enum news_status writer_begin(struct writer *w, struct news_error *err);
enum news_status writer_commit(struct writer *w, struct news_error *err);

/* Looks up the article an identical raw record produced; *article_id is 0 if none. */
enum news_status writer_find_raw(struct writer *w, const unsigned char raw_hash[16],
                                 int64_t *article_id, struct news_error *err);

/* Adds a provenance row for article_id unless the same record is already recorded.
 * Sets *is_new accordingly. */
enum news_status writer_add_provenance(struct writer *w, int64_t article_id,
                                       const struct writer_provenance *p, bool *is_new,
                                       struct news_error *err);

/* An article's cleaned text made ready to store: everything that needs no database
 * (the duplicate key, the fingerprint, the compression), so that it can be done on any
 * thread, with one codec per thread. */
struct writer_text {
    char *text; /* the cleaned text, owned; set before writer_text_prepare */
    size_t len;
    unsigned char content_hash[16]; /* of the title and text as stored */
    struct story_place place;       /* its fingerprint; the story is found when stored */
    unsigned char *blob;            /* the text compressed, owned */
    size_t blob_len;
};

/* Fills in t for an article titled title, compressing under dict (NULL for none). */
enum news_status writer_text_prepare(struct writer_text *t, const char *title, struct codec *c,
                                     const struct codec_dict *dict, struct news_error *err);

/* Frees what t owns; accepts a zeroed t. */
void writer_text_free(struct writer_text *t);

/* What became of an article given to writer_add_article. */
enum writer_outcome {
    WRITER_ADDED,     /* stored as article `id` */
    WRITER_VERSION,   /* a new version of article `other` (the same identity, identity.h),
                         stored beside it as article `id` and linked to it */
    WRITER_DUPLICATE, /* same title and text as article `other`: its provenance was added */
    WRITER_REPLACED,  /* a new version of article `other`, stored in its place under its id
                         (writer_replace); the replaced version is kept in article_history */
    WRITER_WITHDRAWN  /* removed or replaced earlier (article `other`): not stored again */
};

struct writer_result {
    enum writer_outcome outcome;
    int64_t id;    /* the article stored (added, version, replaced), else 0 */
    int64_t other; /* the article it duplicates, is a version of, or replaced */
    /* Added: a stored article with the same identity but nothing in common with it
     * (identity_related), which it is therefore not a version of; else 0. */
    int64_t unrelated;
    char other_title[200]; /* the title of `other` or `unrelated` (cut), for messages */
    bool is_copy;          /* stored, and joined an earlier story */
    bool is_current;       /* a version, and now the current one of its article */
};

/* Stores an article whose text t holds, prepared: indexes title and text, records
 * provenance, and puts the article in the story of the articles it is a near copy of
 * (story.h), or in a story of its own; out says what happened. A record with the identity
 * a->identity of a stored article (the current version of it) and other text is a new
 * version of that article: stored and linked to it, or in its place with writer_replace;
 * unless their kind of identity can be reused (an own id, a URL) and the two have nothing
 * in common (identity_related), when the new one is an article of its own. The newer
 * version by date (then the later stored) is the current one. a->date must already be ISO
 * 8601 or NULL. */
enum news_status writer_add_article(struct writer *w, const struct article *a,
                                    struct writer_text *t, const struct writer_provenance *p,
                                    struct writer_result *out, struct news_error *err);

/* Whether writer_add_article stores a new version of a stored article in its place (true)
 * or beside it (false, the default). A replaced version's fields, text, hash and provenance
 * stay in article_history, from which writer_restore can bring it back. */
void writer_replace(struct writer *w, bool replace);

/* Takes article id out of the archive: its text, its index entry, its fingerprint and its
 * provenance, keeping in article_history its hash (so that loading it again does not bring
 * it back) and where it came from; the texts of its earlier versions kept there are
 * erased too. Another version of it becomes the current one. *found is false when there
 * is no article id. */
enum news_status writer_remove(struct writer *w, int64_t id, bool *found, struct news_error *err);

/* Undoes the last replacement of article id: the version it replaced takes its place again
 * under the same id, and the version taken out is kept in article_history as replaced (so
 * that restoring again swaps them back). *found is false when there is no article id or
 * no replaced version of it with its text; *restored_title (cut) then is "". */
enum news_status writer_restore(struct writer *w, int64_t id, bool *found, char restored_title[200],
                                struct news_error *err);

/* The ids of the articles from source (in any case), in order; *ids is malloc'd. */
enum news_status writer_source_articles(struct writer *w, const char *source, int64_t **ids,
                                        size_t *count, struct news_error *err);

/* The preset dictionary new articles are compressed with: the newest in the archive, or
 * NULL when it has none yet. */
const struct codec_dict *writer_dictionary(const struct writer *w);

/* Stores a new preset dictionary (trained from articles articles, sample_bytes of text)
 * and makes it the one writer_dictionary returns. */
enum news_status writer_add_dictionary(struct writer *w, const unsigned char *bytes, size_t len,
                                       uint64_t articles, uint64_t sample_bytes,
                                       struct news_error *err);

/* Trains a new preset dictionary from the text already in the archive (an even sample of
 * its articles, at most CODEC_TRAIN_MAX_SAMPLE bytes) and stores it with
 * writer_add_dictionary: articles added later use it; those stored before keep theirs.
 * Fails with NEWS_ERR_USAGE when the archive holds less than CODEC_TRAIN_MIN_SAMPLE of
 * text. *articles and *bytes say what the sample held. */
enum news_status writer_retrain_dictionary(struct writer *w, uint64_t *articles, uint64_t *bytes,
                                           struct news_error *err);

/* Calls each(ctx, source, line_hash) for every boilerplate line learned so far. */
enum news_status writer_each_boilerplate(struct writer *w,
                                         void (*each)(void *ctx, const char *source,
                                                      uint64_t line_hash),
                                         void *ctx, struct news_error *err);

/* Remembers a line that recurs across articles of source ("" for none). */
enum news_status writer_add_boilerplate(struct writer *w, const char *source, uint64_t line_hash,
                                        struct news_error *err);

/* Records the end of the run with its totals. */
struct writer_totals {
    uint64_t files, added, duplicates, rejected;
};
enum news_status writer_finish_run(struct writer *w, const struct writer_totals *t,
                                   struct news_error *err);

#endif
