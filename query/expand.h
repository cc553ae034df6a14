/* expand.h: pseudo-relevance feedback (news-query --expand), over one archive or several
 * searched as one. */
#ifndef NEWS_EXPAND_H
#define NEWS_EXPAND_H

#include "error.h"
#include "merge.h"
#include "search.h"

#define EXPAND_DOCS 10    /* RM3's usual number of feedback documents */
#define EXPAND_TERMS 10   /* Terrier's and RM3's usual number of added terms */
#define EXPAND_WEIGHT 0.4 /* Terrier's Rocchio beta: the strongest added term's weight */

/* Runs o's query over the archives of m (o->rank_expr as merge_rank_expr(..., true, ...)
 * made it, with the archives' statistics), takes its best EXPAND_DOCS matches, each
 * counting by its score as in Lavrenko's relevance model, and picks the EXPAND_TERMS words
 * that are far more frequent in them than the archives predict (Amati's Bo1; the
 * archives' counts of common words are estimated from samples, see expand.c). Returns in
 * *fts the query with those words added so that they rank without matching anything more,
 * "(Q) OR ((Q) AND (w1 OR ...))", and in *weights the news_rank() call with the statistics
 * and the weights: 1 for Q's phrases, 0 for their copy, each added word by its strength
 * (at most EXPAND_WEIGHT). Both malloc'd, caller frees. *phrases is Q's number of phrases,
 * the ones snippets should mark. With no matches or no word worth adding, *fts is a copy
 * of the query, *weights NULL and *phrases 0. */
enum news_status expand_query(const struct merge *m, const struct search_options *o, char **fts,
                              char **weights, int *phrases, struct news_error *err);

#endif
