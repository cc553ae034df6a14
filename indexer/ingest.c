/* ingest.c: the pipeline of one run. Records are parsed and cleaned as they arrive and
 * held in a batch; at the end of a batch the cleaner learns which lines recur across the
 * batch's articles, drops them, and the batch is written in one transaction. */
#include "ingest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clean.h"
#include "date.h"
#include "hash.h"
#include "html.h"
#include "jsonl.h"
#include "reader.h"
#include "sgml.h"
#include "textfmt.h"
#include "utf8.h"
#include "writer.h"
#include "xmlnews.h"

/* Lines the cross-article counter remembers (about 16 bytes each, twice over). */
enum { RECUR_MAX_LINES = 2 * 1000 * 1000, TITLE_FROM_TEXT_BYTES = 120 };

/* A parsed record waiting for its batch to be written. */
struct pending {
    struct article article;
    struct clean_doc doc;
    char *abs_path;
    size_t record;
    uint64_t offset;
    unsigned char raw_hash[16];
    uint64_t source_key;
    bool seen_before; /* same raw record earlier in the batch or in the archive */
};

struct run {
    struct archive *archive;
    const struct ingest_options *opt;
    const struct ingest_reporter *rep;
    struct ingest_stats *stats;
    struct writer *writer;
    struct recur *recur;
    struct pending *batch;
    size_t batch_count;
    enum news_status status; /* first archive failure; stops the run */
    struct news_error *err;
    const char *learn_source; /* for on_new_boilerplate */
};

/* Counts one more of kind in a list of at most INGEST_MAX_REASONS kinds; once the list
 * is full, further kinds are counted together as "other". */
static void tally(struct ingest_reason *list, size_t *count, const char *kind)
{
    for (size_t i = 0; i < *count; i++) {
        if (strcmp(list[i].kind, kind) == 0) {
            list[i].count++;
            return;
        }
    }
    if (*count == INGEST_MAX_REASONS) {
        list[*count - 1].count++; /* already "other" */
        return;
    }
    struct ingest_reason *r = &list[(*count)++];
    snprintf(r->kind, sizeof r->kind, "%s", *count < INGEST_MAX_REASONS ? kind : "other");
    r->count = 1;
}

static void count_reason(struct ingest_stats *s, const char *kind)
{
    s->rejected++;
    tally(s->reasons, &s->reason_count, kind);
}

static void on_reject(void *ctx, const char *path, size_t record, const char *kind,
                      const char *message)
{
    struct run *r = ctx;
    count_reason(r->stats, kind);
    r->rep->problem(r->rep->ctx, path, record, message);
}

static void on_file(void *ctx, const char *path, uint64_t bytes)
{
    struct run *r = ctx;
    r->stats->files++;
    r->stats->bytes_read += bytes;
    if (r->rep->progress) r->rep->progress(r->rep->ctx, r->stats, path);
}

static uint64_t source_key(const char *source)
{
    return source ? hash64(source, strlen(source)) : hash64("", 0);
}

/* An article without a title is named by the start of its text, cut at a word. */
static char *title_from_text(const struct clean_doc *doc)
{
    for (size_t i = 0; i < doc->count; i++) {
        const struct clean_line *l = &doc->lines[i];
        if (l->verdict != CLEAN_KEEP) continue;
        size_t n = l->len;
        if (n > TITLE_FROM_TEXT_BYTES) {
            n = TITLE_FROM_TEXT_BYTES;
            while (n > 0 && l->text[n] != ' ')
                n--;
            if (n == 0) {
                n = TITLE_FROM_TEXT_BYTES;
                while (n > 0 && ((unsigned char)l->text[n] & 0xC0) == 0x80)
                    n--;
            }
        }
        return news_xstrndup(l->text, n);
    }
    return NULL;
}

static void on_new_boilerplate(void *ctx, uint64_t line_hash)
{
    struct run *r = ctx;
    if (r->status != NEWS_OK) return;
    r->status = writer_add_boilerplate(r->writer, r->learn_source, line_hash, r->err);
}

static void pending_free(struct pending *p)
{
    article_clear(&p->article);
    clean_doc_free(&p->doc);
    free(p->abs_path);
}

/* Writes one pending article (or records it as a duplicate). */
static enum news_status write_one(struct run *r, struct pending *p)
{
    struct ingest_stats *s = r->stats;
    struct writer_provenance prov = {p->abs_path, p->record, p->offset, {0}, p->article.source_id};
    memcpy(prov.raw_hash, p->raw_hash, 16);
    int64_t existing = 0;
    enum news_status status = writer_find_raw(r->writer, p->raw_hash, &existing, r->err);
    if (status != NEWS_OK) return status;
    if (existing) {
        bool is_new;
        status = writer_add_provenance(r->writer, existing, &prov, &is_new, r->err);
        s->duplicates++;
        if (!is_new) s->already_archived++;
        return status;
    }
    r->learn_source = p->article.source ? p->article.source : "";
    recur_mark_doc(r->recur, p->source_key, &p->doc, on_new_boilerplate, r);
    if (r->status != NEWS_OK) return r->status;
    size_t text_len;
    char *text = clean_doc_join(&p->doc, &text_len);
    if (!p->article.title) p->article.title = title_from_text(&p->doc);
    bool is_new, is_copy;
    size_t stored;
    status = writer_add_article(r->writer, &p->article, text, text_len, &prov, &is_new, &is_copy,
                                &stored, r->err);
    free(text);
    if (status != NEWS_OK) return status;
    if (is_new) {
        s->added++;
        s->copies += is_copy;
        s->text_bytes += text_len;
        s->stored_bytes += stored;
        for (size_t i = 0; i < p->doc.count; i++)
            s->lines_dropped += p->doc.lines[i].verdict != 0;
    } else {
        s->duplicates++;
    }
    return NEWS_OK;
}

/* Orders pending records by raw hash, then by position in the batch. */
static int by_raw_hash(const void *x, const void *y)
{
    const struct pending *a = *(const struct pending *const *)x;
    const struct pending *b = *(const struct pending *const *)y;
    int c = memcmp(a->raw_hash, b->raw_hash, 16);
    return c ? c : (a < b ? -1 : a > b);
}

/* Learns recurring lines from the batch, then writes it in one transaction. */
static enum news_status flush(struct run *r)
{
    enum news_status status = NEWS_OK;
    if (r->batch_count == 0) return NEWS_OK;
    /* Count lines once per distinct record: a file loaded twice is not a pattern. Copies
     * inside the batch are found by sorting it by raw hash (first occurrence kept). */
    struct pending **order = news_xmalloc(r->batch_count * sizeof *order);
    for (size_t i = 0; i < r->batch_count; i++)
        order[i] = &r->batch[i];
    qsort(order, r->batch_count, sizeof *order, by_raw_hash);
    for (size_t i = 1; i < r->batch_count; i++)
        order[i]->seen_before = memcmp(order[i - 1]->raw_hash, order[i]->raw_hash, 16) == 0;
    free(order);
    for (size_t i = 0; i < r->batch_count && status == NEWS_OK; i++) {
        struct pending *p = &r->batch[i];
        int64_t existing = 0;
        if (!p->seen_before) status = writer_find_raw(r->writer, p->raw_hash, &existing, r->err);
        p->seen_before = p->seen_before || existing != 0;
        if (!p->seen_before) recur_count(r->recur, p->source_key, &p->doc);
    }
    if (status == NEWS_OK) status = writer_begin(r->writer, r->err);
    for (size_t i = 0; i < r->batch_count && status == NEWS_OK; i++)
        status = write_one(r, &r->batch[i]);
    if (status == NEWS_OK) status = writer_commit(r->writer, r->err);
    for (size_t i = 0; i < r->batch_count; i++)
        pending_free(&r->batch[i]);
    r->batch_count = 0;
    if (r->rep->progress) r->rep->progress(r->rep->ctx, r->stats, NULL);
    return status;
}

/* Returns meta (a JSON object or NULL, freed here) with "key":value added. */
static char *meta_add(char *meta, const char *key, const char *value)
{
    size_t vlen = strlen(value), cap = (meta ? strlen(meta) : 2) + strlen(key) + 6 * vlen + 8;
    char *out = news_xmalloc(cap);
    size_t o = 0;
    if (meta && strlen(meta) > 2) {
        o = strlen(meta) - 1; /* up to the closing brace */
        memcpy(out, meta, o);
        out[o++] = ',';
    } else {
        out[o++] = '{';
    }
    o += (size_t)snprintf(out + o, cap - o, "\"%s\":\"", key);
    for (const char *c = value; *c; c++) {
        if (*c == '"' || *c == '\\') {
            out[o++] = '\\';
            out[o++] = *c;
        } else if ((unsigned char)*c < 0x20) {
            o += (size_t)snprintf(out + o, cap - o, "\\u%04x", (unsigned char)*c);
        } else {
            out[o++] = *c;
        }
    }
    out[o++] = '"';
    out[o++] = '}';
    out[o] = '\0';
    free(meta);
    return out;
}

/* Normalises the article's date; a date not understood is reported and dropped. */
static void normalise_date(struct run *r, const char *path, size_t record, struct article *a)
{
    if (!a->date) return;
    char iso[DATE_ISO_MAX];
    struct news_error perr;
    char *raw = a->date;
    a->date = NULL;
    if (date_normalize(raw, iso, &perr) == NEWS_OK) {
        a->date = news_xstrdup(iso);
    } else {
        r->stats->bad_dates++;
        char msg[sizeof perr.msg + 80];
        snprintf(msg, sizeof msg, "warning: date not understood (%s); stored without a date",
                 perr.msg);
        r->rep->problem(r->rep->ctx, path, record, msg);
    }
    free(raw);
}

/* Takes over the strings of *a as one pending article found in rec (record and offset
 * locate it in the file; raw is what its provenance hash covers). Reports and drops an
 * article with no text. Returns false when the run must stop. */
static bool add_article(struct run *r, const struct input_record *rec, struct article *a,
                        size_t record, uint64_t offset, const char *raw, size_t raw_len)
{
    struct pending *p = &r->batch[r->batch_count];
    memset(p, 0, sizeof *p);
    p->article = *a;
    memset(a, 0, sizeof *a);
    struct article *art = &p->article;
    if (r->opt->source) {
        free(art->source);
        art->source = news_xstrdup(r->opt->source);
    }
    /* What a WARC record knows that the page may not. */
    if (rec->url && !art->url) art->url = news_xstrdup(rec->url);
    if (rec->record_id && !art->source_id) art->source_id = news_xstrdup(rec->record_id);
    if (rec->crawl_date) art->meta = meta_add(art->meta, "crawled", rec->crawl_date);
    normalise_date(r, rec->path, record, art);
    const char *body = art->text ? art->text : "";
    clean_doc_split(&p->doc, body, strlen(body));
    size_t dropped = clean_doc_mark(&p->doc);
    free(art->text); /* the body now lives in p->doc */
    art->text = NULL;
    if (!art->title && dropped == p->doc.count) {
        on_reject(r, rec->path, record, "no text", "no title and no text");
        pending_free(p);
        return true;
    }
    p->abs_path = news_xstrdup(rec->abs_path);
    p->record = record;
    p->offset = offset;
    hash128_bytes(hash128(raw, raw_len), p->raw_hash);
    p->source_key = source_key(art->source);
    if (++r->batch_count == r->opt->batch_articles) r->status = flush(r);
    return r->status == NEWS_OK;
}

/* The input record a many-article reader (XML, JSON documents) is working through, for
 * its sink. */
struct xml_job {
    struct run *run;
    const struct input_record *rec;
    bool go_on;
};

static bool xml_emit(void *ctx, struct reader_record *item)
{
    struct xml_job *job = ctx;
    job->run->stats->records++;
    job->go_on = add_article(job->run, job->rec, &item->article, item->record, item->offset,
                             item->raw, item->raw_len);
    return job->go_on;
}

static void xml_reject(void *ctx, size_t record, uint64_t offset, const char *message)
{
    struct xml_job *job = ctx;
    (void)offset;
    job->run->stats->records++;
    on_reject(job->run, job->rec->path, record, "malformed", message);
}

/* Parses a record in a format of one article per record. */
static enum news_status parse_one(struct run *r, const struct input_record *rec, struct article *a,
                                  struct news_error *err)
{
    if (rec->format == INPUT_HTML) {
        struct html_context hc = {rec->url, rec->charset};
        return html_extract(rec->data, rec->len, &hc, a, err);
    }
    size_t len;
    enum utf8_source how;
    char *text = utf8_decode(rec->data, rec->len, &len, &how);
    if (how == UTF8_FROM_CP1252) r->stats->recoded++;
    enum news_status st;
    switch (rec->format) {
    case INPUT_JSONL:
        st = jsonl_parse(text, len, a, err);
        break;
    case INPUT_REUTERS:
        st = sgml_parse_record(SGML_REUTERS, text, len, a, err);
        break;
    case INPUT_TREC:
        st = sgml_parse_record(SGML_TREC, text, len, a, err);
        break;
    default:
        st = textfmt_parse(text, len, a, err);
        break;
    }
    free(text);
    return st;
}

static bool on_record(void *ctx, const struct input_record *rec)
{
    struct run *r = ctx;
    if (r->status != NEWS_OK) return false;
    if (r->opt->interrupt && *r->opt->interrupt) {
        r->stats->interrupted = true;
        return false;
    }
    struct news_error perr;
    if (rec->format == INPUT_FEED || rec->format == INPUT_NEWSML || rec->format == INPUT_JSON) {
        struct xml_job job = {r, rec, true};
        struct reader_sink sink = {xml_emit, xml_reject, &job};
        enum news_status st;
        if (rec->format == INPUT_JSON) {
            size_t len;
            enum utf8_source how;
            char *text = utf8_decode(rec->data, rec->len, &len, &how);
            if (how == UTF8_FROM_CP1252) r->stats->recoded++;
            st = jsonl_parse_document(text, len, &sink, &perr);
            free(text);
        } else if (rec->format == INPUT_FEED) {
            st = xmlnews_parse_feed(rec->data, rec->len, &sink, &perr);
        } else {
            st = xmlnews_parse_newsml(rec->data, rec->len, &sink, &perr);
        }
        if (st != NEWS_OK && job.go_on)
            on_reject(r, rec->path, 0, st == NEWS_ERR_LIMIT ? "too large" : "malformed", perr.msg);
        return job.go_on && r->status == NEWS_OK;
    }
    r->stats->records++;
    struct article a = {0};
    enum news_status st = parse_one(r, rec, &a, &perr);
    if (st != NEWS_OK) {
        char msg[sizeof perr.msg + 32];
        snprintf(msg, sizeof msg, "%s%s", rec->format == INPUT_JSONL ? "not valid JSON: " : "",
                 perr.msg);
        on_reject(r, rec->path, rec->record, st == NEWS_ERR_LIMIT ? "too large" : "malformed", msg);
        article_clear(&a);
        return true;
    }
    return add_article(r, rec, &a, rec->record, rec->offset, rec->data, rec->len);
}

static void on_skip(void *ctx, const char *path, const char *what)
{
    struct run *r = ctx;
    (void)path;
    r->stats->skipped++;
    tally(r->stats->skip_kinds, &r->stats->skip_kind_count, what);
}

static void load_known(void *ctx, const char *source, uint64_t line_hash)
{
    struct run *r = ctx;
    recur_mark_known(r->recur, source_key(source[0] ? source : NULL), line_hash);
}

enum news_status ingest_run(struct archive *a, const struct ingest_options *opt, char *const *paths,
                            size_t path_count, const struct ingest_reporter *rep,
                            struct ingest_stats *stats, struct news_error *err)
{
    memset(stats, 0, sizeof *stats);
    struct run r = {.archive = a, .opt = opt, .rep = rep, .stats = stats, .err = err};
    if (opt->batch_articles == 0)
        return news_error_set(err, NEWS_ERR_USAGE, "the batch size must be at least 1");
    r.status = writer_open(a, opt->command, &r.writer, err);
    if (r.status != NEWS_OK) return r.status;
    r.recur = recur_new(RECUR_MAX_LINES);
    r.batch = news_xmalloc(opt->batch_articles * sizeof *r.batch);
    r.status = writer_each_boilerplate(r.writer, load_known, &r, err);

    struct input_callbacks cb = {on_record, on_reject, on_skip, on_file};
    for (size_t i = 0; i < path_count && r.status == NEWS_OK; i++) {
        if (!input_read_path(paths[i], opt->format, &cb, &r)) break;
    }
    if (opt->interrupt && *opt->interrupt) stats->interrupted = true;
    /* Whatever happened, keep what was read: the last batch is committed too. */
    if (r.status == NEWS_OK) r.status = flush(&r);
    for (size_t i = 0; i < r.batch_count; i++)
        pending_free(&r.batch[i]);
    if (r.status == NEWS_OK) {
        struct writer_totals t = {stats->files, stats->added, stats->duplicates, stats->rejected};
        r.status = writer_finish_run(r.writer, &t, err);
    }
    writer_close(r.writer);
    recur_free(r.recur);
    free(r.batch);
    return r.status;
}
