/* snippet.h: news_snippet(), the passages of an article that news-query shows for a match. */
#ifndef NEWS_SNIPPET_H
#define NEWS_SNIPPET_H

#include <sqlite3.h>

/* The bounds of news_snippet()'s arguments: words per passage and passages per snippet. */
#define SNIPPET_MAX_WORDS 64
#define SNIPPET_MAX_FRAGMENTS 8

/* Longest run of text copied as it is into a snippet: a single "word" or a stretch of
 * punctuation between two words longer than this is cut (at a character boundary) and
 * marked with the ellipsis, so that one odd article cannot make a snippet of megabytes. */
#define SNIPPET_MAX_RUN_BYTES 512

/* Registers on fts5 the auxiliary function
 *
 *   news_snippet(article_fts, COLUMN, OPEN, CLOSE, ELLIPSIS, WORDS, FRAGMENTS[, PHRASES])
 *
 * which returns up to FRAGMENTS (1 to SNIPPET_MAX_FRAGMENTS) passages of about WORDS tokens
 * (1 to SNIPPET_MAX_WORDS) each from column COLUMN of the current row. With PHRASES above
 * 0, only the query's first PHRASES phrases count and are marked (query expansion adds
 * words that rank but were not asked for); 0 or none: all of them.
 *
 * - The first passage is the window of WORDS tokens that holds the most distinct query
 *   phrases (a phrase of several words counts once, and only when it fits whole), then the
 *   most phrase instances, then the earliest. Each further passage does not overlap the
 *   earlier ones and holds the most phrases that they do not, then the most instances; the
 *   passages stop when a further one would hold no new phrase.
 * - A passage starts at the start of the sentence holding its first match when the
 *   sentence fits the budget, else a few words before the match; it ends at the last
 *   sentence end that fits, else after WORDS tokens. Cuts fall between words, never inside
 *   a word or a UTF-8 sequence (see SNIPPET_MAX_RUN_BYTES for the one exception).
 * - Every token of every phrase instance is wrapped in OPEN and CLOSE; the tokens of one
 *   instance of a phrase are wrapped together ("[peace talks]"), separate phrases
 *   separately ("[peace] [talks]"). NULL markers are empty strings. Every OPEN is closed
 *   within its passage, even where a passage or a long word is cut.
 * - C0 control characters of the text other than tab, line feed and carriage return are
 *   left out (cleaned text has none), so that markers made of them, as news-query's are
 *   (search.h), are never confused with the article's own characters.
 * - Passages are shown in text order, joined by " ELLIPSIS "; ELLIPSIS also stands before
 *   the first and after the last where text was cut there (with a space between it and a
 *   whole sentence).
 * - With no match in the column (a title-only match), the snippet is the column's first
 *   WORDS tokens; an empty column (or one without a word) gives an empty snippet.
 *
 * Work is linear in the instances times the passages, plus the tokens of the column up to
 * WORDS past the last match. Bad arguments are an error with a message; a failing FTS5 call
 * is an error with its code. Returns SQLITE_OK, or the code xCreateFunction returned. */
int snippet_register(fts5_api *fts5);

#endif
