/* html.h: the article in a web page: main-content extraction and metadata. */
#ifndef NEWS_HTML_H
#define NEWS_HTML_H

#include <stddef.h>

#include "article.h"
#include "error.h"

/* What is known about a page from outside it. */
struct html_context {
    const char *url;     /* the address it was fetched from (WARC-Target-URI), or NULL */
    const char *charset; /* from the HTTP Content-Type header, or NULL */
};

/* Extracts the article from len bytes of HTML in any encoding (byte order mark, then
 * ctx->charset, then <meta charset>, then sniffing; ISO-8859-1 read as windows-1252). Fills
 * *out (zeroed by the caller; every string valid UTF-8): title, date (as found, e.g. an
 * ISO 8601 string; the caller normalises it), byline, url (canonical), source (site name),
 * lang, and text: headings and paragraphs of the main content in order, separated by blank
 * lines, without navigation, ads, comments, related links, cookie banners or share bars.
 * Returns NEWS_ERR_FORMAT ("no article text found") when the page has no main text; *out
 * stays zeroed on failure. ctx may be NULL. */
enum news_status html_extract(const char *html, size_t len, const struct html_context *ctx,
                              struct article *out, struct news_error *err);

/* Converts an HTML fragment in UTF-8 (a feed item's content) to plain text: paragraphs
 * separated by blank lines, scripts and styles dropped, entities decoded. Returns a
 * malloc'd valid UTF-8 string and its length in *out_len. */
char *html_fragment_text(const char *html, size_t len, size_t *out_len);

#endif
