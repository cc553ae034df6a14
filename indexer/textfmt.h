/* textfmt.h: plain-text articles: a title line (optionally "date YYYY-MM-DD <title>"), then
 * the body, paragraphs separated by blank lines. */
#ifndef NEWS_TEXTFMT_H
#define NEWS_TEXTFMT_H

#include <stddef.h>

#include "article.h"
#include "error.h"

/* Longest title kept; a longer first line is cut at a word boundary. */
#define TEXTFMT_MAX_TITLE_BYTES 1000

/* Parses len bytes of valid UTF-8 into *out (zeroed by the caller). The first non-empty
 * line is the title, unless it reads "date YYYY-MM-DD title" (leading whitespace allowed),
 * in which case it gives the date as well. The rest, with leading blank lines removed, is
 * the raw body; the cleaner decides what of it is the article. Fails with NEWS_ERR_FORMAT
 * when there is no text at all. On failure *out stays zeroed. */
enum news_status textfmt_parse(const char *buf, size_t len, struct article *out,
                               struct news_error *err);

#endif
