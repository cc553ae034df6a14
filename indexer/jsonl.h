/* jsonl.h: JSON Lines articles: one JSON object per line, with the field names news sources use. */
#ifndef NEWS_JSONL_H
#define NEWS_JSONL_H

#include <stddef.h>

#include "article.h"
#include "error.h"
#include "reader.h"

/* Deepest nesting of objects and arrays a line may hold (the line's own object is level 1). */
#define JSONL_MAX_DEPTH 64

/* Parses one line (len bytes, not NUL-terminated necessarily, may end in "\r"; the caller
 * guarantees valid UTF-8) into *out (which must be zeroed; on success the caller owns its
 * strings and frees them with article_clear; on failure *out is left zeroed). Returns
 * NEWS_ERR_FORMAT with err->msg saying what is wrong and where ("expected ':' after an
 * object key at column 17"), NEWS_ERR_LIMIT over the nesting limit.
 *
 * The line must be exactly one JSON object (RFC 8259; a leading byte order mark and
 * surrounding whitespace are allowed). Its members map onto the article by key, compared
 * case-insensitively; for each field the first key of its list below that yields a value
 * wins, and of duplicate keys the first that yields a value:
 *   title      title, headline, name
 *   text       body, text, content, article, articleBody, article_body, full_text,
 *              description, summary
 *   date       date, published, datePublished, date_published, published_at, publishedAt,
 *              pubDate, publish_date, created_at, timestamp
 *   url        url, link, uri, canonical_url, permalink
 *   source     source, publication, publisher, site, site_name, source_name, outlet
 *   byline     author, byline, authors, creator, writer
 *   source_id  id, _id, guid, uuid, doc_id, docid, article_id
 * A string yields itself trimmed of surrounding whitespace (nothing if that leaves it
 * empty); a number its literal text; true, false and null nothing; an array its string
 * elements and the "name" of its object elements, joined with ", "; an object its "name"
 * string member ("title" then "name" for the title, "text" for the text). Escapes are
 * decoded (\u0000 is dropped, a lone surrogate becomes U+FFFD); the text keeps its newlines
 * as they are. Columns in messages are 1-based byte columns of the line. */
enum news_status jsonl_parse(const char *line, size_t len, struct article *out,
                             struct news_error *err);

/* Parses a whole JSON document (not JSON Lines): an array of article objects; an object
 * holding such an array under "items" (JSON Feed), "articles", "entries", "results",
 * "data", "documents", "docs", "news" or "stories"; or else one object that is itself the
 * article. Each article goes to sink (record = its position in the list, offset = its byte
 * offset); an element that is not an article object is rejected through sink. Returns
 * NEWS_ERR_FORMAT when the document is not valid JSON (the byte where it goes wrong). */
enum news_status jsonl_parse_document(const char *doc, size_t len, const struct reader_sink *sink,
                                      struct news_error *err);

#endif
