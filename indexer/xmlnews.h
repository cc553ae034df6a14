/* xmlnews.h: news in XML: RSS 2.0, RSS 1.0 (RDF) and Atom feeds, NewsML-G2 (with NITF
 * or XHTML inside inlineXML) and NITF. */
#ifndef NEWS_XMLNEWS_H
#define NEWS_XMLNEWS_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "reader.h"

enum xmlnews_kind { XMLNEWS_NONE = 0, XMLNEWS_FEED, XMLNEWS_NEWSML };

/* Recognises a feed or a NewsML/NITF document from its first bytes (root element rss,
 * rdf:RDF, feed, newsItem, newsMessage, packageItem, nitf...). */
enum xmlnews_kind xmlnews_sniff(const char *data, size_t len);

/* Parses a feed: each item or entry is an article (title, link, date, author, and the
 * text of content:encoded, content or description). Items go to sink; an item without
 * title or text is rejected through sink. Returns NEWS_ERR_FORMAT when the document is
 * not well-formed XML or not a feed (with the XML line). Never loads external entities or
 * DTDs; entity amplification is bounded by libxml2's defaults. */
enum news_status xmlnews_parse_feed(const char *xml, size_t len, const struct reader_sink *sink,
                                    struct news_error *err);

/* Parses NewsML-G2 (newsItem, newsMessage, packageItem) or NITF: each news item that
 * carries text is an article (headline, dateline, byline, date, its text). Items without
 * text (pictures, concepts, planning) are skipped without a reject. Same safety as above. */
enum news_status xmlnews_parse_newsml(const char *xml, size_t len, const struct reader_sink *sink,
                                      struct news_error *err);

#endif
