/* integrity.h: is an archive whole? What news-index --check runs. */
#ifndef NEWS_INTEGRITY_H
#define NEWS_INTEGRITY_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "archive.h"
#include "error.h"

/* At most this many problems of one kind are described; the rest are counted. */
enum { CHECK_MAX_DESCRIBED = 20 };

struct check_totals {
    uint64_t articles;        /* articles read */
    uint64_t dictionaries;    /* preset dictionaries */
    uint64_t problems;        /* everything found wrong */
    bool interrupted;         /* stopped before the end: what was not checked is unknown */
    bool index_check_skipped; /* FTS5's own check, which needs write access, was not run */
};

/* What the check tells its caller as it goes. */
struct check_reporter {
    /* A problem found, described in one line. */
    void (*problem)(void *ctx, const char *message);
    /* Called often (cheap to ignore): stage is what is being checked; done and total
     * count articles in the stage that reads them, and are 0 in the others. May be NULL. */
    void (*progress)(void *ctx, const char *stage, uint64_t done, uint64_t total);
    void *ctx;
    volatile sig_atomic_t *interrupt; /* set (by a signal handler) to stop; may be NULL */
};

/* Checks a, opened for writing (FTS5's own check is run as a command; on an archive
 * opened for reading it is skipped, and totals say so): SQLite's
 * integrity_check of every table and index; FTS5's integrity-check of the index, and
 * when every text reads, of the index against the titles and texts; that
 * every article has its text, that the text decompresses to the size recorded and hashes
 * to the article's content_hash; that no text lacks its article, every article has its
 * provenance, and the index holds one row per article. Returns an error only when the
 * checking cannot go on; stops early, with totals->interrupted set, when *interrupt is set. */
enum news_status archive_check(struct archive *a, const struct check_reporter *rep,
                               struct check_totals *totals, struct news_error *err);

#endif
