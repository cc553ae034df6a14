/* suggest.h: for query words that match nothing, the closest words the archive does have. */
#ifndef NEWS_SUGGEST_H
#define NEWS_SUGGEST_H

#include "archive.h"
#include "error.h"

/* Most suggestions given for one word. */
#define SUGGEST_MAX 3

/* For each plain word of query (operators, quoted phrases and field names aside) that
 * matches no article, calls each(ctx, word, suggestions) with up to SUGGEST_MAX indexed
 * words within a small edit distance, most frequent first, as written in the articles
 * ("Ukraine, Ukrainian"), or "" when there is none close enough. */
enum news_status suggest_words(struct archive *a, const char *query,
                               void (*each)(void *ctx, const char *word, const char *suggestions),
                               void *ctx, struct news_error *err);

#endif
