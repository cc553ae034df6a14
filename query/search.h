/* search.h: what news-query asks of an archive: ranked matches with snippets, counts, and
 * single articles. */
#ifndef NEWS_SEARCH_H
#define NEWS_SEARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "archive.h"
#include "error.h"

enum search_sort { SEARCH_BY_RANK, SEARCH_BY_DATE };

/* How matches are scored: news_rank(), BM25F with a proximity bonus (schema/rank.h, the
 * default), or SQLite's bm25() with a title hit weighted as four body hits. */
enum search_ranking { SEARCH_RANK_NEWS, SEARCH_RANK_BM25 };

struct search_options {
    const char *fts;    /* an FTS5 expression from match_translate */
    const char *since;  /* ISO date prefix (YYYY, YYYY-MM or YYYY-MM-DD) or NULL */
    const char *until;  /* likewise, inclusive: "2025" includes all of 2025 */
    const char *source; /* exact source name, any case, or NULL */
    enum search_sort sort;
    bool all_copies; /* every matching article, rather than the best of each story */
    /* Every stored version of an article, rather than its current one only (the one
     * superseded by no other: see schema.sql). */
    bool all_versions;
    /* Dates that only say when a web archive captured a page (article.date_kind) count
     * as no date for since, until, SEARCH_BY_DATE and the periods of search_group. */
    bool no_captured_dates;
    enum search_ranking ranking;
    const char *rank_expr; /* if set, the FTS5 rank expression to use (from merge_rank_expr
                            * or expand_query) */
    int64_t limit;         /* 0: all */
    int64_t offset;
    int snippet_tokens; /* length of each passage of a snippet, 1-64 */
    int fragments;      /* passages in a snippet, 1-8 (0: 1), each with other query words */
    bool full_text;     /* also report each match's whole text (for exports) */
    int marked_phrases; /* snippets mark the first this many phrases of fts (0: all) */
};

/* What a snippet holds around each match: STX and ETX, control characters that
 * news_snippet never copies from an article's text (schema/snippet.h), so that they mark
 * matches and nothing else; highlight.h turns them into what is shown. */
#define SEARCH_MARK_OPEN "\x02"
#define SEARCH_MARK_CLOSE "\x03"

/* One match, valid during the callback. Absent fields are NULL. snippet: passages of the
 * text with every match marked (SEARCH_MARK_OPEN, SEARCH_MARK_CLOSE). */
struct search_hit {
    int64_t rank; /* 1-based position in the whole result, offset included */
    int64_t id;
    const char *source_id, *date, *source, *title, *url, *byline, *snippet;
    double score;        /* higher is better */
    const char *archive; /* the archive's path (set by merge_run), or NULL */
    const char *hash;    /* the article's content hash, 32 hex digits: stable everywhere */
    const char *text;    /* the whole cleaned text with o->full_text, else NULL */
    /* The story the article belongs to (the id of its first copy), and how many other
     * matches of that story this hit stands for (0 with all_copies). */
    int64_t story, copies;
    /* The id of the article's first stored version (0: this is the first, or the only),
     * and of a newer version (0: this is the current one), as stored. */
    int64_t version_of, superseded_by;
    /* What date is: "published" (the article's own date), "captured" (when a web archive
     * captured the page), or NULL when there is no date. */
    const char *date_kind;
    /* The record had no title: title is the start of the text (schema/title.h), and the
     * index holds no title for the article. */
    bool is_title_derived;
};

/* What a search that shows one article per story matched in all. */
struct search_totals {
    int64_t articles; /* matching articles, every copy counted */
    int64_t stories;  /* the stories they belong to */
};

/* Runs the search, calling each(ctx, hit) for every match in order; each returns false to
 * stop early. Unless o->all_copies, only the best-ranked match of each story is reported
 * (its story's other matches are counted in hit->copies), and the order and the limit and
 * offset are those of the stories. *hits is the number of matches reported. When totals is
 * not NULL it is set to what the search found in all, or to zeros when that was not
 * counted on the way (see search_count). With a limit, snippets are only made for the
 * matches reported; with limit 0, matches are streamed (search_stream_open). */
enum news_status search_run(struct archive *a, const struct search_options *o,
                            bool (*each)(void *ctx, const struct search_hit *hit), void *ctx,
                            int64_t *hits, struct search_totals *totals, struct news_error *err);

/* The matches of a search one at a time, in order, as search_run reports them with
 * o->limit 0 (offset applied), in memory that does not grow with their number: for
 * exports of millions of matches, and for merging several archives' matches. */
struct search_stream;

enum news_status search_stream_open(struct archive *a, const struct search_options *o,
                                    struct search_stream **out, struct news_error *err);

/* Reads the next match into *hit, whose strings stay valid until the next call or close.
 * Returns false at the end or on an error (*status says which). */
bool search_stream_next(struct search_stream *s, struct search_hit *hit, enum news_status *status,
                        struct news_error *err);

void search_stream_close(struct search_stream *s); /* accepts NULL */

/* Makes temp.article_vocab (an fts5vocab "row" table: term, doc, cnt) readable on the
 * archive's connection. The archive itself is open read-only; only the connection's temp
 * schema is written, so query_only is lifted just for that. */
enum news_status search_vocab(struct archive *a, struct news_error *err);

/* What news_rank() needs of an archive to score a query, so that several archives can be
 * ranked as one: articles, tokens per field (title, body), and per phrase of the query the
 * articles holding it (df, phrases entries, malloc'd; NULL with phrases 0 when nothing in
 * this archive matches). Summed over the archives and formatted as news_stats() text, it
 * is news_rank()'s first argument (schema/rank.h). */
struct search_stats {
    int64_t rows, tokens[2];
    int phrases;
    int64_t *df;
};

/* Fills stats for the FTS5 expression fts in archive a. The caller frees stats->df. */
enum news_status search_stats(struct archive *a, const char *fts, struct search_stats *stats,
                              struct news_error *err);

/* Counts all matching articles, every copy of a story included (and of an article's
 * versions, the current one unless o->all_versions; limit and offset ignored). */
enum news_status search_count(struct archive *a, const struct search_options *o, int64_t *count,
                              struct news_error *err);

/* What matches are counted by: a period of their date, or a stored field. */
enum search_group {
    SEARCH_BY_YEAR,
    SEARCH_BY_MONTH,
    SEARCH_BY_DAY,
    SEARCH_BY_SOURCE,
    SEARCH_BY_BYLINE,
    SEARCH_BY_LANG
};

/* Counts matches per group and calls each(ctx, key, count) in order: periods in time
 * order, with the empty periods between the first and the last included (up to a bound)
 * and undated matches last as key NULL; fields by count, largest first, at most limit
 * values (0: all), articles without a value last as key NULL. */
enum news_status search_group(struct archive *a, const struct search_options *o,
                              enum search_group by, int64_t limit,
                              bool (*each)(void *ctx, const char *key, int64_t count), void *ctx,
                              struct news_error *err);

/* For counts per period: reports the empty periods after prev (YYYY, YYYY-MM or
 * YYYY-MM-DD; "" at the start) and before key, each(ctx, period, 0) for each, at most
 * SEARCH_MAX_GAP_PERIODS, then makes key the new prev. Returns false if each did. */
enum { SEARCH_PERIOD_BYTES = 40, SEARCH_MAX_GAP_PERIODS = 10000 };
bool search_fill_gap(char prev[SEARCH_PERIOD_BYTES], const char *key,
                     bool (*each)(void *ctx, const char *key, int64_t count), void *ctx);

/* Where one article came from. */
struct search_origin {
    char *path, *source_id, *loaded_at; /* owned by search_show */
    int64_t record, offset;
    char raw_hash[33];
};

/* An earlier version of an article, replaced by news-index --replace. */
struct search_replaced {
    char *title, *replaced_at; /* owned by search_show */
    char *provenance;          /* its provenance records, a JSON array */
    char *first_path;          /* the first of them, for text output */
    int64_t first_record, records;
    bool is_text_kept;  /* news-index kept its text (a takedown since erases it) */
    bool is_restorable; /* the one news-index --restore would put back */
};

/* One of the versions stored of an article (two captures of one address, a corrected
 * edition), each a row of its own. */
struct search_version {
    int64_t id;
    char *date, *date_kind, *title; /* owned by search_show; date_kind as search_hit's */
    bool is_current;
    bool is_title_derived; /* as search_hit's */
};

/* One whole article, valid during the callback. */
struct search_article {
    int64_t id;
    const char *source_id, *date, *source, *title, *url, *byline, *text;
    const char *lang;
    const char *meta;                  /* a JSON object, or NULL */
    int64_t version_of, superseded_by; /* as search_hit's */
    const char *date_kind;             /* likewise */
    bool is_title_derived;             /* likewise */
    const struct search_origin *origins;
    size_t origin_count;
    const struct search_replaced *replaced; /* earliest first */
    size_t replaced_count;
    /* Every version stored of the article, this one included, first to last by id; none
     * when it has only this one. */
    const struct search_version *versions;
    size_t version_count;
};

/* Finds article id and calls show(ctx, article). *found is false if there is none; then
 * removed_at says when news-index --remove took it out ("" if it never did). */
enum news_status search_show(struct archive *a, int64_t id,
                             void (*show)(void *ctx, const struct search_article *art), void *ctx,
                             bool *found, char removed_at[32], struct news_error *err);

#endif
