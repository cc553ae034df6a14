/* textfmt.h: plain-text articles: a title line (optionally "date YYYY-MM-DD <title>"), then
 * the body, paragraphs separated by blank lines. */
#ifndef NEWS_TEXTFMT_H
#define NEWS_TEXTFMT_H

#include <stdbool.h>
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

/* Whether the start of a file (a few KB are enough) has the shape of a plain-text
 * article, rather than of something that is read as plain text only because nothing else
 * matched (markup or data of no format news-index knows, a list of addresses or words, a
 * README): a first line that could be a title (not markup, not a Markdown heading, at most
 * TEXTFMT_MAX_TITLE_BYTES, with a letter in it), and a line of prose (three in four of its
 * words made of letters, no JSON, and five words or more, or three that end a sentence). */
bool textfmt_is_article(const char *buf, size_t len);

#endif
