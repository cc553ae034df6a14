/* output.h: how news-query writes results: text for people, JSON Lines, CSV and TSV for
 * scripts. Formats are stable: fields are only ever added, at the end. */
#ifndef NEWS_OUTPUT_H
#define NEWS_OUTPUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "search.h"

/* OUTPUT_BULK is the bulk format of Elasticsearch and OpenSearch: an action line and the
 * article (whole text included) per match, for POST /INDEX/_bulk. */
enum output_format { OUTPUT_TEXT, OUTPUT_JSON, OUTPUT_CSV, OUTPUT_TSV, OUTPUT_BULK };

/* Writes s as a JSON string (quoted, escaped); NULL is written as null. */
void output_json_string(FILE *out, const char *s);

/* Writes s as one RFC 4180 CSV field: quoted when it holds a comma, quote, CR or LF. */
void output_csv_field(FILE *out, const char *s);

/* Writes s as one TSV field: backslash, tab, CR and LF escaped as \\ \t \r \n. */
void output_tsv_field(FILE *out, const char *s);

/* The header line of the CSV and TSV formats (nothing for the others). */
void output_header(FILE *out, enum output_format f);

/* How matches are shown: open and close around each match of a snippet (in every format
 * with a snippet), and bold titles (text: escapes, for a terminal). */
struct output_style {
    const char *open, *close;
    bool bold;
};

/* One search match. In text, a match that stands for other copies of its story says how
 * many after its title, and the snippet is one line. JSON also gives the snippet without
 * markers (snippet_text) and its matches as [start, end) offsets in characters (matches). */
void output_hit(FILE *out, enum output_format f, const struct search_hit *hit,
                const struct output_style *style);

/* One row of a count per group (--timeline, --facet): the key (NULL: no value, shown as
 * "undated" or "(none)"), its count, and in text the key padded to key_width characters
 * and a bar of bar_width cells (0: no bar). The header is CSV/TSV's, or nothing. */
void output_group_header(FILE *out, enum output_format f, const char *key_name);
void output_group_row(FILE *out, enum output_format f, const char *key_name, const char *key,
                      int64_t count, int key_width, int bar_width);

/* Characters (not bytes) of a UTF-8 string, for lining text up. */
int output_text_width(const char *s);

/* One whole article, for --show. */
void output_article(FILE *out, enum output_format f, const struct search_article *art);

#endif
