/* match.h: the query language: translates what a researcher types into an FTS5 MATCH expression. */
#ifndef NEWS_MATCH_H
#define NEWS_MATCH_H

#include <stdbool.h>

#include "error.h"

/* Longest query accepted, in bytes, and deepest nesting of parentheses; beyond either the
 * query is refused with NEWS_ERR_USAGE. */
#define MATCH_MAX_QUERY_BYTES ((size_t)10000)
#define MATCH_MAX_DEPTH 32

/* What words side by side mean: all of them (implicit AND) or any of them (implicit OR).
 * Explicit AND, OR and NOT mean the same in both modes. */
enum match_mode { MATCH_ALL, MATCH_ANY };

/* Translates query into an FTS5 expression. On success *out_fts is a malloc'd string the
 * caller frees.
 * On a query that cannot mean anything, returns NEWS_ERR_USAGE with err->msg a short message
 * for a person (no "fts5", no SQLite text), e.g. "unmatched ')' at column 7" or "the query
 * has no words to search for".
 *
 * The language: words (all must match in MATCH_ALL, any in MATCH_ANY); "quoted phrases"
 * (a quote never closed is an error, naming its column); OR, AND, NOT in uppercase (NOT
 * binds tighter than AND, AND tighter than OR; in MATCH_ANY explicit AND also binds
 * tighter than the implicit OR between words), except in a query written in capitals
 * (match_operators_are_words), where they are words; -word, -"phrase", -(group) and NOT x
 * exclude; word* is a prefix; title:x, body:x and text:x (= body) restrict x to one
 * column, x a word, phrase or group; NEAR(a b "c d", N) matches its words and phrases
 * within N tokens (default 10, at most 1000) of each other; parentheses group, an unclosed
 * one closes at the end.
 * Words are read as people write them: an English possessive ending ('s, ’s) is dropped
 * (Putin's finds Putin and Putin's); words joined by '-' or '/' are searched as their
 * parts, not as a phrase (Anglo-Irish finds "Anglo and Irish"), unless excluded. Every
 * literal reaches FTS5 as a double-quoted string, so other punctuation inside a word
 * (U.S., 10:30) only separates tokens, and a quoted phrase is searched exactly as written;
 * words with no letter or digit at all are dropped. The output is fully parenthesised and
 * always valid FTS5 syntax (SQLite 3.40.1, tables with columns title and body); a query
 * nested too deeply for FTS5's parser to hold (exclusions or fields inside many
 * parentheses) is refused instead. Curly double quotes work like '"'. The query must be
 * valid UTF-8. */
enum news_status match_translate(const char *query, enum match_mode mode, char **out_fts,
                                 struct news_error *err);

/* True when query is written in capitals (it has capital letters, of Latin, Greek or
 * Cyrillic, outside the words AND, OR and NOT, and no lowercase letter) and holds one of
 * those words: match_translate searches them as words, and the caller may say so. */
bool match_operators_are_words(const char *query);

/* Longest date a query may name: "YYYY-MM-DD". */
#define MATCH_DATE_BYTES 11

/* Takes the date restrictions out of query, in place: date:A limits matches to the period
 * A, and date:A..B, date:A.. and date:..B to a range, where A and B are YYYY, YYYY-MM or
 * YYYY-MM-DD, inclusive ("date:1987-03..1987-06"). Quoted phrases are left alone. since
 * and until hold the bounds already set ("" for none: --since and --until give them) and
 * are narrowed by every date: word.
 * Returns NEWS_ERR_USAGE naming the word when one is malformed. */
enum news_status match_take_dates(char *query, char since[MATCH_DATE_BYTES],
                                  char until[MATCH_DATE_BYTES], struct news_error *err);

/* True if s is YYYY, YYYY-MM or YYYY-MM-DD with a real month and a day of 1 to 31. */
bool match_date_valid(const char *s);

#endif
