/* rank.h: news_rank(), the ranking function of the archive's full-text index. */
#ifndef NEWS_RANK_H
#define NEWS_RANK_H

#include <sqlite3.h>

/* The parameters, chosen from the literature rather than fitted to a test collection:
 * BM25's usual k1; length normalisation per field (BM25F), gentler for titles, whose
 * lengths vary less in meaning; a title hit worth three body hits; and a proximity bonus
 * for neighbouring query words found close together, with the weights of Metzler and
 * Croft's sequential dependence model (2005) and its 8-token unordered window. */
#define RANK_K1 1.2
#define RANK_B_TITLE 0.5
#define RANK_B_BODY 0.75
#define RANK_W_TITLE 3.0
#define RANK_W_BODY 1.0
#define RANK_NEAR_WINDOW 8
#define RANK_W_BIGRAM (0.10 / 0.85)
#define RANK_W_WINDOW (0.05 / 0.85)

/* Registers the archive's FTS5 auxiliary functions on db:
 * - news_rank([stats,] [weight, ...]), for "article_fts MATCH ? AND rank MATCH
 *   'news_rank()' ORDER BY rank": lower values are better, like bm25(). Weights scale the
 *   query's phrases in order (default 1). stats, text in news_stats()'s format, replaces
 *   this table's statistics: summed over several archives, it makes their scores compare.
 * - news_stats(): "ROWS TITLE_TOKENS BODY_TOKENS DF..." for the query, one DF (rows
 *   holding the phrase) per phrase.
 * - news_terms(), news_phrases(), news_hits(), news_snippet(): see rank.c and snippet.h.
 * Returns SQLITE_OK, or an SQLite error code if FTS5 is missing. */
int rank_register(sqlite3 *db);

/* Reads news_stats() text ("ROWS TITLE_TOKENS BODY_TOKENS DF...": non-negative integers
 * separated by spaces): stores the first max counts in counts and returns how many the
 * text holds (which may be more than max), or -1 if it holds anything else. */
int rank_stats_read(const char *text, sqlite3_int64 *counts, int max);

#endif
