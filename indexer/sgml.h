/* sgml.h: newswire dumps in SGML: Reuters-21578 (<REUTERS> records) and TREC (<DOC>
 * records). They are not XML; records are split by the caller at their end tags. */
#ifndef NEWS_SGML_H
#define NEWS_SGML_H

#include <stddef.h>

#include "article.h"
#include "error.h"

enum sgml_kind { SGML_NONE = 0, SGML_REUTERS, SGML_TREC };

/* Recognises a Reuters or TREC file from its first bytes. */
enum sgml_kind sgml_sniff(const char *data, size_t len);

/* The end tag that closes one record of kind ("</REUTERS>" or "</DOC>"). */
const char *sgml_end_tag(enum sgml_kind kind);

/* Parses one record (from its start tag to its end tag) into *out (zeroed by the caller).
 * Reuters: TITLE, DATE (as found), DATELINE, BODY (or the TEXT when there is no BODY),
 * NEWID as source_id, TOPICS, PLACES, PEOPLE, ORGS, EXCHANGES into meta as JSON arrays.
 * TREC: DOCNO as source_id, DATE, HEADLINE, BYLINE, SECTION (meta), TEXT. Entities and
 * character references are decoded; control characters dropped. Fails with
 * NEWS_ERR_FORMAT ("no text") for a record with neither title nor text. */
enum news_status sgml_parse_record(enum sgml_kind kind, const char *rec, size_t len,
                                   struct article *out, struct news_error *err);

#endif
