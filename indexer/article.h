/* article.h: one news article as the readers produce it and the writer stores it. */
#ifndef NEWS_ARTICLE_H
#define NEWS_ARTICLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "identity.h"

/* Plain data. Every string is malloc'd, NUL-terminated valid UTF-8, or NULL when absent;
 * the struct owns them (article_clear frees them). */
struct article {
    char *title;
    char *date; /* as found in the input; ingest normalises it to ISO 8601 */
    char *source;
    char *byline;
    char *url;
    char *source_id; /* the record's own identifier: JSON id, DOCNO, NEWID... */
    char *lang;      /* language tag as found (en, en-GB, fr), or NULL */
    char *meta;      /* further metadata as a JSON object ({"topics":["grain"]}), or NULL */
    char *text;      /* the body: paragraphs separated by blank lines */
    /* Set by ingest, not by the readers: */
    struct identity identity; /* what makes other records versions of it (identity.h) */
    bool is_date_captured;    /* date is when a web archive captured the page */
    bool is_title_derived;    /* the record had no title: title is the start of the text */
};

/* Frees every field and zeroes the struct; accepts a zeroed struct. */
void article_clear(struct article *a);

#endif
