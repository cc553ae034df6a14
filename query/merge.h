/* merge.h: several archives searched as one (one per decade, say): one ranking with
 * comparable scores, counts and groups summed. With a single archive every function is
 * the plain search.h call. */
#ifndef NEWS_MERGE_H
#define NEWS_MERGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "archive.h"
#include "error.h"
#include "search.h"

/* The archives, in the order given; paths are the caller's. */
struct merge {
    struct archive **archives;
    char *const *paths;
    size_t n;
};

/* The rank expression that scores o's query alike in every archive: news_rank() with the
 * archives' summed statistics as its first argument, followed by the arguments of
 * o->rank_expr if that is a news_rank() call (query expansion's weights). *expr is NULL
 * for a single archive unless always is true (each scores with its own statistics; query
 * expansion reuses them) or when o asks for bm25, malloc'd otherwise. */
enum news_status merge_rank_expr(const struct merge *m, const struct search_options *o, bool always,
                                 char **expr, struct news_error *err);

/* Runs o in every archive and reports the matches as one ranking, best score first (ties:
 * archive order, then each archive's own order), or newest first with --sort date;
 * o->offset and o->limit apply to the merged ranking, and totals (if not NULL) are summed
 * (see search_run). Copies of a story are collapsed within each archive. hit->archive
 * names the archive. With several archives, the shown page of each archive's matches is
 * held in memory. */
enum news_status merge_run(const struct merge *m, const struct search_options *o,
                           bool (*each)(void *ctx, const struct search_hit *hit), void *ctx,
                           int64_t *hits, struct search_totals *totals, struct news_error *err);

/* Counts the matches in all archives. */
enum news_status merge_count(const struct merge *m, const struct search_options *o, int64_t *count,
                             struct news_error *err);

/* search_group() over all archives, counts added up per key, in search_group()'s order. */
enum news_status merge_group(const struct merge *m, const struct search_options *o,
                             enum search_group by, int64_t limit,
                             bool (*each)(void *ctx, const char *key, int64_t count), void *ctx,
                             struct news_error *err);

#endif
