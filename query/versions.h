/* versions.h: an article's other versions, for news-query --show: those stored beside it
 * as rows of their own (two captures of one address, a corrected edition), and those that
 * news-index --replace or --remove took out into its history. */
#ifndef NEWS_VERSIONS_H
#define NEWS_VERSIONS_H

#include <stddef.h>
#include <stdint.h>

#include "archive.h"
#include "error.h"
#include "search.h"

/* SQL for what the date of article row `a` is, as search_hit.date_kind says: 'published',
 * 'captured' or NULL. For statements that read articles. */
#define VERSIONS_DATE_KIND_SQL                                                                     \
    "CASE WHEN a.date IS NULL THEN NULL ELSE coalesce(a.date_kind, 'published') END"

/* Reads the versions stored of the article whose first version is first (its own id when
 * it is the first or only one), first to last by id, into *out (*count of them; the caller
 * frees them with versions_free). When it has no version but one, *out is NULL and *count
 * 0. */
enum news_status versions_stored(struct archive *a, int64_t first, struct search_version **out,
                                 size_t *count, struct news_error *err);

void versions_free(struct search_version *v, size_t count); /* accepts NULL */

/* Reads the versions of article id that news-index --replace took out, earliest first,
 * into *out (*count of them, NULL and 0 for none; the caller frees them with
 * versions_free_replaced). */
enum news_status versions_replaced(struct archive *a, int64_t id, struct search_replaced **out,
                                   size_t *count, struct news_error *err);

void versions_free_replaced(struct search_replaced *r, size_t count); /* accepts NULL */

/* Sets removed_at to when news-index --remove took article id out, or to "" if it never
 * did. */
enum news_status versions_removed_at(struct archive *a, int64_t id, char removed_at[32],
                                     struct news_error *err);

#endif
