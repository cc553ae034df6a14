/* output.c: result formats. Only this module and main.c write to stdout. */
#include "output.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "highlight.h"

/* Fields of a match in the machine formats, in order. */
static const char *const hit_fields[] = {
    "rank",    "id",         "source_id",     "date",      "source",       "title",
    "url",     "byline",     "score",         "snippet",   "copies",       "story",
    "archive", "version_of", "superseded_by", "date_kind", "title_derived"};

void output_json_string(FILE *out, const char *s)
{
    if (!s) {
        fputs("null", out);
        return;
    }
    putc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"':
            fputs("\\\"", out);
            break;
        case '\\':
            fputs("\\\\", out);
            break;
        case '\n':
            fputs("\\n", out);
            break;
        case '\r':
            fputs("\\r", out);
            break;
        case '\t':
            fputs("\\t", out);
            break;
        default:
            if (*p < 0x20)
                fprintf(out, "\\u%04x", *p);
            else
                putc(*p, out);
        }
    }
    putc('"', out);
}

void output_csv_field(FILE *out, const char *s)
{
    if (!s) return;
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, out);
        return;
    }
    putc('"', out);
    for (; *s; s++) {
        if (*s == '"') putc('"', out);
        putc(*s, out);
    }
    putc('"', out);
}

void output_tsv_field(FILE *out, const char *s)
{
    if (!s) return;
    for (; *s; s++) {
        switch (*s) {
        case '\\':
            fputs("\\\\", out);
            break;
        case '\t':
            fputs("\\t", out);
            break;
        case '\n':
            fputs("\\n", out);
            break;
        case '\r':
            fputs("\\r", out);
            break;
        default:
            putc(*s, out);
        }
    }
}

void output_header(FILE *out, enum output_format f)
{
    if (f != OUTPUT_CSV && f != OUTPUT_TSV) return;
    for (size_t i = 0; i < sizeof hit_fields / sizeof *hit_fields; i++) {
        if (i) putc(f == OUTPUT_CSV ? ',' : '\t', out);
        fputs(hit_fields[i], out);
    }
    fputs(f == OUTPUT_CSV ? "\r\n" : "\n", out);
}

/* Writes an article id, or null for 0 (none), as JSON. */
static void json_id(FILE *out, int64_t id)
{
    if (id)
        fprintf(out, "%" PRId64, id);
    else
        fputs("null", out);
}

/* The JSON fields that say which version of its article a match or article is, and what
 * its date is. */
static void json_version_fields(FILE *out, int64_t version_of, int64_t superseded_by,
                                const char *date_kind)
{
    fputs(",\"version_of\":", out);
    json_id(out, version_of);
    fputs(",\"superseded_by\":", out);
    json_id(out, superseded_by);
    fputs(",\"date_kind\":", out);
    output_json_string(out, date_kind);
}

/* The last of a match's fields: whether its title is the start of its text. */
static void json_title_derived(FILE *out, bool is_title_derived)
{
    fprintf(out, ",\"title_derived\":%s", is_title_derived ? "true" : "false");
}

static bool is_captured(const char *date_kind)
{
    return date_kind && strcmp(date_kind, "captured") == 0;
}

/* A date for people: "undated" when there is none, and marked when it is only when a web
 * archive captured the page. */
static void put_date(FILE *out, const char *date, const char *date_kind)
{
    fputs(date ? date : "undated", out);
    if (date && is_captured(date_kind)) fputs(" (captured)", out);
}

/* Writes s with every run of whitespace (paragraph breaks included) as one space. */
static void put_one_line(FILE *out, const char *s)
{
    bool space = false;
    for (; s && *s; s++) {
        if (*s == '\n' || *s == '\r' || *s == '\t' || *s == ' ') {
            space = true;
            continue;
        }
        if (space) putc(' ', out);
        space = false;
        putc(*s, out);
    }
}

/* The snippet with its matches between the style's markers (one_line: as one line, for
 * text), malloc'd; NULL for none. */
static char *marked_snippet(const struct search_hit *h, const struct output_style *st,
                            bool one_line)
{
    if (!h->snippet) return NULL;
    struct highlight_split s;
    highlight_split(h->snippet, one_line, &s);
    char *marked = highlight_join(&s, st->open, st->close);
    highlight_split_free(&s);
    return marked;
}

static void hit_text(FILE *out, const struct search_hit *h, const struct output_style *st)
{
    fprintf(out, "%" PRId64 ". %s", h->rank, st->bold ? "\033[1m" : "");
    put_one_line(out, h->title && h->title[0] ? h->title : "(untitled)");
    fputs(st->bold ? "\033[0m" : "", out);
    if (h->copies > 0)
        fprintf(out, "  (+%" PRId64 " cop%s)", h->copies, h->copies == 1 ? "y" : "ies");
    fputs("\n   ", out);
    put_date(out, h->date, h->date_kind);
    if (h->source) fprintf(out, " · %s", h->source);
    fprintf(out, " · id %" PRId64, h->id);
    if (h->superseded_by) fprintf(out, " · superseded by %" PRId64, h->superseded_by);
    fprintf(out, " · score %.2f", h->score);
    if (h->archive) fprintf(out, " · %s", h->archive);
    putc('\n', out);
    if (h->url) fprintf(out, "   %s\n", h->url);
    char *snippet = marked_snippet(h, st, true);
    if (snippet && snippet[0]) fprintf(out, "   %s\n", snippet);
    free(snippet);
    putc('\n', out);
}

/* ,"snippet_text":...,"matches":[[start,end],...]: the snippet without marks, or null, and
 * where each match is in it, in characters (Unicode code points), end exclusive: what
 * text[start:end] takes in Python. */
static void json_matches(FILE *out, const struct highlight_split *s, bool has_snippet)
{
    fputs(",\"snippet_text\":", out);
    output_json_string(out, has_snippet ? s->text : NULL);
    fputs(",\"matches\":[", out);
    for (size_t i = 0; i < s->span_count; i++)
        fprintf(out, "%s[%zu,%zu]", i ? "," : "", s->spans[i].start_char, s->spans[i].end_char);
    putc(']', out);
}

static void hit_json(FILE *out, const struct search_hit *h, const struct output_style *st)
{
    fprintf(out, "{\"rank\":%" PRId64 ",\"id\":%" PRId64 ",\"source_id\":", h->rank, h->id);
    output_json_string(out, h->source_id);
    fputs(",\"date\":", out);
    output_json_string(out, h->date);
    fputs(",\"source\":", out);
    output_json_string(out, h->source);
    fputs(",\"title\":", out);
    output_json_string(out, h->title);
    fputs(",\"url\":", out);
    output_json_string(out, h->url);
    fputs(",\"byline\":", out);
    output_json_string(out, h->byline);
    fprintf(out, ",\"score\":%.6g,\"snippet\":", h->score);
    struct highlight_split s;
    highlight_split(h->snippet, false, &s);
    char *snippet = h->snippet ? highlight_join(&s, st->open, st->close) : NULL;
    output_json_string(out, snippet);
    free(snippet);
    fprintf(out, ",\"copies\":%" PRId64 ",\"story\":%" PRId64 ",\"archive\":", h->copies, h->story);
    output_json_string(out, h->archive);
    json_version_fields(out, h->version_of, h->superseded_by, h->date_kind);
    json_matches(out, &s, h->snippet != NULL);
    highlight_split_free(&s);
    json_title_derived(out, h->is_title_derived);
    fputs("}\n", out);
}

static void hit_delimited(FILE *out, const struct search_hit *h, const struct output_style *st,
                          bool csv)
{
    void (*field)(FILE *, const char *) = csv ? output_csv_field : output_tsv_field;
    char sep = csv ? ',' : '\t';
    fprintf(out, "%" PRId64 "%c%" PRId64 "%c", h->rank, sep, h->id, sep);
    const char *texts[] = {h->source_id, h->date, h->source, h->title, h->url, h->byline};
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        field(out, texts[i]);
        putc(sep, out);
    }
    fprintf(out, "%.6g%c", h->score, sep);
    char *snippet = marked_snippet(h, st, false);
    field(out, snippet);
    free(snippet);
    fprintf(out, "%c%" PRId64 "%c%" PRId64 "%c", sep, h->copies, sep, h->story, sep);
    field(out, h->archive);
    int64_t ids[] = {h->version_of, h->superseded_by};
    for (size_t i = 0; i < sizeof ids / sizeof *ids; i++) {
        putc(sep, out);
        if (ids[i]) fprintf(out, "%" PRId64, ids[i]); /* 0: none, an empty field */
    }
    putc(sep, out);
    field(out, h->date_kind);
    fprintf(out, "%c%s", sep, h->is_title_derived ? "true" : "false");
    fputs(csv ? "\r\n" : "\n", out);
}

/* Writes ,"name":value for n string fields (NULL values as null). */
static void json_fields(FILE *out, const char *const *names, const char *const *values, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        fprintf(out, ",\"%s\":", names[i]);
        output_json_string(out, values[i]);
    }
}

/* An action line that indexes the article under its content hash (the same in every archive
 * and every run, so a second export replaces rather than duplicates), the index being the
 * one in the request's URL; then the article as a JSON object. */
static void hit_bulk(FILE *out, const struct search_hit *h)
{
    fputs("{\"index\":{\"_id\":", out);
    output_json_string(out, h->hash);
    fprintf(out, "}}\n{\"id\":%" PRId64 ",\"source_id\":", h->id);
    output_json_string(out, h->source_id);
    const char *names[] = {"date", "source", "title", "url", "byline", "text", "archive"};
    const char *values[] = {h->date, h->source, h->title, h->url, h->byline, h->text, h->archive};
    json_fields(out, names, values, sizeof names / sizeof *names);
    fprintf(out, ",\"story\":%" PRId64, h->story);
    json_version_fields(out, h->version_of, h->superseded_by, h->date_kind);
    json_title_derived(out, h->is_title_derived);
    fputs("}\n", out);
}

void output_hit(FILE *out, enum output_format f, const struct search_hit *hit,
                const struct output_style *style)
{
    switch (f) {
    case OUTPUT_TEXT:
        hit_text(out, hit, style);
        break;
    case OUTPUT_JSON:
        hit_json(out, hit, style);
        break;
    case OUTPUT_CSV:
        hit_delimited(out, hit, style, true);
        break;
    case OUTPUT_TSV:
        hit_delimited(out, hit, style, false);
        break;
    case OUTPUT_BULK:
        hit_bulk(out, hit);
        break;
    }
}

/* ,"versions":[...]: the versions stored of an article, for --show. */
static void versions_json(FILE *out, const struct search_article *a)
{
    fputs(",\"versions\":[", out);
    for (size_t i = 0; i < a->version_count; i++) {
        const struct search_version *v = &a->versions[i];
        fprintf(out, "%s{\"id\":%" PRId64, i ? "," : "", v->id);
        const char *names[] = {"date", "date_kind", "title"};
        const char *values[] = {v->date, v->date_kind, v->title};
        json_fields(out, names, values, sizeof names / sizeof *names);
        fprintf(out, ",\"current\":%s", v->is_current ? "true" : "false");
        json_title_derived(out, v->is_title_derived);
        putc('}', out);
    }
    putc(']', out);
}

static void article_json(FILE *out, const struct search_article *a)
{
    fprintf(out, "{\"id\":%" PRId64 ",\"source_id\":", a->id);
    output_json_string(out, a->source_id);
    const char *names[] = {"date", "source", "title", "url", "byline", "lang", "text"};
    const char *values[] = {a->date, a->source, a->title, a->url, a->byline, a->lang, a->text};
    json_fields(out, names, values, sizeof names / sizeof *names);
    /* meta is already a JSON object, written by news-index. */
    fprintf(out, ",\"meta\":%s", a->meta ? a->meta : "null");
    fputs(",\"provenance\":[", out);
    for (size_t i = 0; i < a->origin_count; i++) {
        const struct search_origin *o = &a->origins[i];
        fputs(i ? ",{\"path\":" : "{\"path\":", out);
        output_json_string(out, o->path);
        fprintf(out, ",\"record\":%" PRId64 ",\"offset\":%" PRId64 ",\"raw_hash\":", o->record,
                o->offset);
        output_json_string(out, o->raw_hash);
        fputs(",\"source_id\":", out);
        output_json_string(out, o->source_id);
        fputs(",\"loaded_at\":", out);
        output_json_string(out, o->loaded_at);
        putc('}', out);
    }
    fputs("],\"earlier_versions\":[", out);
    for (size_t i = 0; i < a->replaced_count; i++) {
        const struct search_replaced *r = &a->replaced[i];
        fputs(i ? ",{\"title\":" : "{\"title\":", out);
        output_json_string(out, r->title);
        fputs(",\"replaced_at\":", out);
        output_json_string(out, r->replaced_at);
        /* written by SQLite's json functions in news-index, and checked when read */
        fprintf(out, ",\"provenance\":%s,\"text_kept\":%s}", r->provenance ? r->provenance : "[]",
                r->is_text_kept ? "true" : "false");
    }
    putc(']', out);
    json_version_fields(out, a->version_of, a->superseded_by, a->date_kind);
    versions_json(out, a);
    json_title_derived(out, a->is_title_derived);
    fputs("}\n", out);
}

/* The versions of an article in text: the one shown superseded, the versions replaced by
 * news-index --replace, and those stored beside it, one line each. */
static void article_versions_text(FILE *out, const struct search_article *a)
{
    int64_t current = 0;
    for (size_t i = 0; i < a->version_count; i++)
        if (a->versions[i].is_current) current = a->versions[i].id;
    if (a->superseded_by) {
        fprintf(out, "superseded: by %" PRId64, a->superseded_by);
        if (current) fprintf(out, "; the current version is %" PRId64, current);
        putc('\n', out);
    }
    for (size_t i = 0; i < a->replaced_count; i++) {
        const struct search_replaced *r = &a->replaced[i];
        fprintf(out, "replaced:   %s, an earlier version titled \"%s\"",
                r->replaced_at ? r->replaced_at : "?", r->title ? r->title : "");
        if (r->first_path)
            fprintf(out, ", from %s, record %" PRId64, r->first_path, r->first_record);
        if (r->records > 1) fprintf(out, " (and %" PRId64 " more)", r->records - 1);
        if (r->is_restorable)
            fprintf(out,
                    " (its text is kept: news-index --restore ARCHIVE %" PRId64 " puts it back)",
                    a->id);
        else if (r->is_text_kept)
            fputs(" (its text is kept)", out);
        putc('\n', out);
    }
    for (size_t i = 0; i < a->version_count; i++) {
        const struct search_version *v = &a->versions[i];
        fprintf(out, "%s%" PRId64 "  ", i ? "            " : "versions:   ", v->id);
        put_date(out, v->date, v->date_kind);
        fputs("  ", out);
        put_one_line(out, v->title && v->title[0] ? v->title : "(untitled)");
        bool shown = v->id == a->id;
        if (v->is_current || shown)
            fprintf(out, "  (%s%s%s)", v->is_current ? "current" : "",
                    v->is_current && shown ? ", " : "", shown ? "shown" : "");
        putc('\n', out);
    }
}

static void article_text(FILE *out, const struct search_article *a)
{
    fprintf(out, "id:         %" PRId64 "\n", a->id);
    const char *names[] = {"title", "date", "source", "byline", "url", "source id", "lang", "meta"};
    const char *values[] = {a->title, a->date,      a->source, a->byline,
                            a->url,   a->source_id, a->lang,   a->meta};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        if (!values[i]) continue;
        fprintf(out, "%s:%*s%s", names[i], (int)(11 - strlen(names[i])), "", values[i]);
        if (values[i] == a->date && is_captured(a->date_kind)) fputs(" (captured)", out);
        putc('\n', out);
    }
    for (size_t i = 0; i < a->origin_count; i++) {
        const struct search_origin *o = &a->origins[i];
        fprintf(out, "from:       %s, record %" PRId64 ", offset %" PRId64 " (loaded %s)\n",
                o->path, o->record, o->offset, o->loaded_at ? o->loaded_at : "?");
    }
    article_versions_text(out, a);
    fprintf(out, "\n%s\n", a->text ? a->text : "");
}

void output_article(FILE *out, enum output_format f, const struct search_article *art)
{
    if (f == OUTPUT_JSON)
        article_json(out, art);
    else
        article_text(out, art);
}

void output_group_header(FILE *out, enum output_format f, const char *key_name)
{
    if (f == OUTPUT_CSV) fprintf(out, "%s,count\r\n", key_name);
    if (f == OUTPUT_TSV) fprintf(out, "%s\tcount\n", key_name);
}

int output_text_width(const char *s)
{
    int width = 0;
    for (; s && *s; s++)
        width += ((unsigned char)*s & 0xC0) != 0x80;
    return width;
}

void output_group_row(FILE *out, enum output_format f, const char *key_name, const char *key,
                      int64_t count, int key_width, int bar_width)
{
    const char *shown = key ? key : strcmp(key_name, "period") == 0 ? "undated" : "(none)";
    switch (f) {
    case OUTPUT_JSON:
        fprintf(out, "{\"%s\":", key_name);
        output_json_string(out, key);
        fprintf(out, ",\"count\":%" PRId64 "}\n", count);
        break;
    case OUTPUT_CSV:
        output_csv_field(out, key);
        fprintf(out, ",%" PRId64 "\r\n", count);
        break;
    case OUTPUT_TSV:
        output_tsv_field(out, key);
        fprintf(out, "\t%" PRId64 "\n", count);
        break;
    case OUTPUT_BULK: /* not a format for counts: news-query refuses the pair */
        break;
    case OUTPUT_TEXT:
        fputs("  ", out);
        put_one_line(out, shown);
        fprintf(out, "%*s  %8" PRId64 "  ",
                key_width > output_text_width(shown) ? key_width - output_text_width(shown) : 0, "",
                count);
        for (int i = 0; i < bar_width; i++)
            fputs("\xE2\x96\x88", out); /* full block */
        putc('\n', out);
        break;
    }
}
