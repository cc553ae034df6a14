/* integrity.h: is an archive whole? What news-index --check runs. */
#ifndef NEWS_INTEGRITY_H
#define NEWS_INTEGRITY_H

#include <stdint.h>

#include "archive.h"
#include "error.h"

/* At most this many problems of one kind are described; the rest are counted. */
enum { CHECK_MAX_DESCRIBED = 20 };

struct check_totals {
    uint64_t articles;     /* articles read */
    uint64_t dictionaries; /* preset dictionaries */
    uint64_t problems;     /* everything found wrong */
};

/* Checks a, opened for writing (FTS5's own check is run as a command): SQLite's
 * integrity_check of every table and index; FTS5's integrity-check of the index; that
 * every article has its text, that the text decompresses to the size recorded and hashes
 * to the article's content_hash; that no text lacks its article, every article has its
 * provenance, and the index holds one row per article. Each problem is described to
 * problem(ctx, message). Returns an error only when the checking cannot go on. */
enum news_status archive_check(struct archive *a, void (*problem)(void *ctx, const char *message),
                               void *ctx, struct check_totals *totals, struct news_error *err);

#endif
