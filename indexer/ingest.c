/* ingest.c: the pipeline of one run.
 *
 * Records are read on the calling thread and gathered into batches. For each batch:
 *   1. parse: worker threads parse and clean the records, each into its own slot, so the
 *      results stay in input order;
 *   2. learn: the calling thread drops records already loaded, learns which lines recur
 *      across the batch's articles and drops them (clean.h), names untitled articles, and
 *      at the archive's first large batch trains the preset dictionary (codec.h);
 *   3. prepare: worker threads hash, fingerprint and compress each article's text;
 *   4. write: the writer thread stores the batch in one transaction, in input order, each
 *      article as soon as it is prepared.
 * Steps 3 and 4 of a batch run while the next batch is read and parsed. The calling
 * thread waits for the writer before step 2, the only other step that uses the archive,
 * so one thread at a time uses the connection, and the archive does not depend on the
 * number of threads. At most two batches are in memory. */
#include "ingest.h"

#include <libxml/parser.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clean.h"
#include "codec.h"
#include "date.h"
#include "hash.h"
#include "html.h"
#include "jsonl.h"
#include "reader.h"
#include "sgml.h"
#include "textfmt.h"
#include "title.h"
#include "utf8.h"
#include "writer.h"
#include "xmlnews.h"

enum {
    RECUR_MAX_LINES = 2 * 1000 * 1000, /* lines the cross-article counter remembers */
    /* A batch also ends at this much input, whatever its record count. */
    BATCH_MAX_BYTES = 64 << 20
};

/* A problem found while parsing a record, reported in input order afterwards. */
struct note {
    size_t record;
    char *kind; /* what ingest_stats counts it as, or what kind of warning it is */
    char *message;
    bool is_warning; /* not a rejection: the record is stored */
};

/* An article parsed from a record, on its way to the archive. */
struct pending {
    struct article article;
    struct clean_doc doc;
    const char *path, *abs_path; /* its record's */
    size_t record;
    uint64_t offset;
    unsigned char raw_hash[16];
    uint64_t source_key;
    size_t seq;              /* its place in the batch */
    bool seen_before;        /* same raw record earlier in the batch or in the archive */
    struct writer_text text; /* set in steps 2 and 3 unless seen_before */
    bool ready;              /* step 3 is done with it (under the batch's lock) */
};

/* One input record, copied as read; parsing fills in the rest. */
struct raw {
    char *path, *abs_path, *url, *charset, *record_id, *crawl_date;
    char *data; /* freed once parsed */
    size_t len, record;
    uint64_t offset;
    enum input_format format, container;
    struct pending *articles;
    size_t article_count, article_cap;
    struct note *notes;
    size_t note_count;
    uint64_t records, recoded, bad_dates;
};

/* What writing a batch added up to, merged into ingest_stats by the calling thread. */
struct batch_totals {
    uint64_t added, duplicates, already_archived, copies, text_bytes, stored_bytes, lines_dropped;
    uint64_t versions, replaced, withdrawn, apart;
};

/* What became of an article that needs saying: a replacement, a version in a dry run, or
 * an identity shared with an unrelated article. Reported by the calling thread. */
struct event {
    const struct pending *p;
    struct writer_result res;
};

struct boilerplate {
    char *source;
    uint64_t line_hash;
};

struct run;

struct batch {
    struct run *run;
    struct raw *raws;
    size_t raw_count, raw_cap, bytes;
    struct pending **items; /* every article of every record, in input order */
    size_t item_count;
    struct boilerplate *learned; /* lines found to recur, to store with the batch */
    size_t learned_count, learned_cap;
    struct codec_dict *dict; /* what step 3 compresses with, or NULL */
    atomic_size_t next;      /* the next item a worker takes, in steps 1 and 3 */
    pthread_mutex_t lock;
    pthread_cond_t prepared;
    pthread_t workers[INGEST_MAX_JOBS];
    size_t worker_count;
    pthread_t writer;
    bool writing;
    struct batch_totals totals;
    struct event *events;
    size_t event_count;
    enum news_status status;
    struct news_error err;
};

struct run {
    struct archive *archive;
    const struct ingest_options *opt;
    const struct ingest_reporter *rep;
    struct ingest_stats *stats;
    struct writer *writer;
    struct recur *recur;
    struct batch *filling; /* records being read */
    struct batch *written; /* the batch the writer thread has, or NULL */
    size_t jobs;
    struct codec_sample sample; /* for the first dictionary */
    enum news_status status;    /* first archive failure; stops the run */
    struct news_error *err;
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

static void reject_now(struct run *r, const char *path, size_t record, const char *kind,
                       const char *message)
{
    r->stats->rejected++;
    tally(r->stats->reasons, &r->stats->reason_count, kind);
    r->rep->problem(r->rep->ctx, path, record, kind, message);
}

static char *xstrdup_or_null(const char *s)
{
    return s ? news_xstrdup(s) : NULL;
}

/* ---------------------------------------------------------------------------------------
 * Step 1: parsing a record (on a worker thread: touches only its raw)
 * ------------------------------------------------------------------------------------- */

static void note(struct raw *raw, size_t record, const char *kind, const char *message,
                 bool is_warning)
{
    raw->notes = news_xrealloc(raw->notes, (raw->note_count + 1) * sizeof *raw->notes);
    raw->notes[raw->note_count++] =
        (struct note){record, news_xstrdup(kind), news_xstrdup(message), is_warning};
}

static uint64_t source_key(const char *source)
{
    return source ? hash64(source, strlen(source)) : hash64("", 0);
}

static void pending_free(struct pending *p)
{
    article_clear(&p->article);
    clean_doc_free(&p->doc);
    writer_text_free(&p->text);
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

/* Normalises the article's date; a date not understood is noted and dropped. */
static void normalise_date(struct raw *raw, size_t record, struct article *a)
{
    if (!a->date) return;
    char iso[DATE_ISO_MAX];
    struct news_error perr;
    char *date = a->date;
    a->date = NULL;
    if (date_normalize(date, iso, &perr) == NEWS_OK) {
        a->date = news_xstrdup(iso);
    } else {
        raw->bad_dates++;
        char msg[sizeof perr.msg + 80];
        snprintf(msg, sizeof msg, "warning: date not understood (%s); stored without a date",
                 perr.msg);
        note(raw, record, "date not understood", msg, true);
    }
    free(date);
}

/* Takes over the strings of *a as one more article of raw (record and offset locate it in
 * the file; bytes is what its provenance hash covers). Notes and drops an article with no
 * text. */
static void add_article(const struct ingest_options *opt, struct raw *raw, struct article *a,
                        size_t record, uint64_t offset, const char *bytes, size_t len)
{
    if (raw->article_count == raw->article_cap) {
        raw->article_cap = raw->article_cap ? 2 * raw->article_cap : 1;
        raw->articles = news_xrealloc(raw->articles, raw->article_cap * sizeof *raw->articles);
    }
    struct pending *p = &raw->articles[raw->article_count];
    memset(p, 0, sizeof *p);
    p->article = *a;
    memset(a, 0, sizeof *a);
    struct article *art = &p->article;
    if (opt->source) {
        free(art->source);
        art->source = news_xstrdup(opt->source);
    }
    /* What a web archive's record knows that the page may not: its address, its record id,
     * and when it was captured, which dates a page that gives no date of its own. */
    if (raw->url && !art->url) art->url = news_xstrdup(raw->url);
    if (raw->record_id && !art->source_id) art->source_id = news_xstrdup(raw->record_id);
    if (raw->crawl_date) art->meta = meta_add(art->meta, "crawled", raw->crawl_date);
    if (raw->crawl_date && !art->date) {
        art->date = news_xstrdup(raw->crawl_date);
        art->is_date_captured = true;
    }
    normalise_date(raw, record, art);
    art->is_date_captured = art->is_date_captured && art->date;
    struct identity_input id = {raw->container ? raw->url : NULL, art->source_id, art->source,
                                raw->abs_path, art->url};
    art->identity = identity_of(&id);
    const char *body = art->text ? art->text : "";
    clean_doc_split(&p->doc, body, strlen(body));
    size_t dropped = clean_doc_mark(&p->doc);
    free(art->text); /* the body now lives in p->doc */
    art->text = NULL;
    if (!art->title && dropped == p->doc.count) {
        note(raw, record, "no text", "no title and no text", false);
        pending_free(p);
        return;
    }
    p->path = raw->path;
    p->abs_path = raw->abs_path;
    p->record = record;
    p->offset = offset;
    hash128_bytes(hash128(bytes, len), p->raw_hash);
    p->source_key = source_key(art->source);
    raw->article_count++;
}

/* The record a many-article reader (XML, JSON documents) is working through. */
struct many_job {
    const struct ingest_options *opt;
    struct raw *raw;
};

static bool many_emit(void *ctx, struct reader_record *item)
{
    struct many_job *job = ctx;
    job->raw->records++;
    add_article(job->opt, job->raw, &item->article, item->record, item->offset, item->raw,
                item->raw_len);
    return true;
}

static void many_reject(void *ctx, size_t record, uint64_t offset, const char *message)
{
    struct many_job *job = ctx;
    (void)offset;
    job->raw->records++;
    note(job->raw, record, "malformed", message, false);
}

static char *decode(struct raw *raw, size_t *len)
{
    enum utf8_source how;
    char *text = utf8_decode(raw->data, raw->len, len, &how);
    if (how == UTF8_FROM_CP1252) raw->recoded++;
    return text;
}

/* Parses one record into raw's articles and notes. */
static void parse_raw(const struct ingest_options *opt, struct raw *raw)
{
    struct news_error perr;
    enum news_status st;
    if (raw->format == INPUT_FEED || raw->format == INPUT_NEWSML || raw->format == INPUT_JSON) {
        struct many_job job = {opt, raw};
        struct reader_sink sink = {many_emit, many_reject, &job};
        if (raw->format == INPUT_JSON) {
            size_t len;
            char *text = decode(raw, &len);
            st = jsonl_parse_document(text, len, &sink, &perr);
            free(text);
        } else if (raw->format == INPUT_FEED) {
            st = xmlnews_parse_feed(raw->data, raw->len, &sink, &perr);
        } else {
            st = xmlnews_parse_newsml(raw->data, raw->len, &sink, &perr);
        }
        if (st != NEWS_OK)
            note(raw, 0, st == NEWS_ERR_LIMIT ? "too large" : "malformed", perr.msg, false);
        return;
    }
    raw->records++;
    struct article a = {0};
    if (raw->format == INPUT_HTML) {
        struct html_context hc = {raw->url, raw->charset};
        st = html_extract(raw->data, raw->len, &hc, &a, &perr);
    } else {
        size_t len;
        char *text = decode(raw, &len);
        switch (raw->format) {
        case INPUT_JSONL:
            st = jsonl_parse(text, len, &a, &perr);
            break;
        case INPUT_REUTERS:
            st = sgml_parse_record(SGML_REUTERS, text, len, &a, &perr);
            break;
        case INPUT_TREC:
            st = sgml_parse_record(SGML_TREC, text, len, &a, &perr);
            break;
        default:
            st = textfmt_parse(text, len, &a, &perr);
            break;
        }
        free(text);
    }
    if (st != NEWS_OK) {
        char msg[sizeof perr.msg + 32];
        snprintf(msg, sizeof msg, "%s%s", raw->format == INPUT_JSONL ? "not valid JSON: " : "",
                 perr.msg);
        note(raw, raw->record, st == NEWS_ERR_LIMIT ? "too large" : "malformed", msg, false);
        article_clear(&a);
        return;
    }
    add_article(opt, raw, &a, raw->record, raw->offset, raw->data, raw->len);
}

static void *parse_worker(void *arg)
{
    struct batch *b = arg;
    size_t i;
    while ((i = atomic_fetch_add(&b->next, 1)) < b->raw_count) {
        struct raw *raw = &b->raws[i];
        parse_raw(b->run->opt, raw);
        free(raw->data);
        raw->data = NULL;
    }
    return NULL;
}

/* Runs fn(b) on jobs threads and waits for them; on the calling thread if one cannot be
 * started. */
static void run_workers(struct batch *b, size_t jobs, void *(*fn)(void *))
{
    b->worker_count = 0;
    for (size_t i = 0; i < jobs; i++) {
        if (pthread_create(&b->workers[b->worker_count], NULL, fn, b) != 0) break;
        b->worker_count++;
    }
    if (b->worker_count == 0) fn(b);
}

static void join_workers(struct batch *b)
{
    for (size_t i = 0; i < b->worker_count; i++)
        pthread_join(b->workers[i], NULL);
    b->worker_count = 0;
}

/* ---------------------------------------------------------------------------------------
 * Step 3: preparing texts (worker threads, each with its own compressor)
 * ------------------------------------------------------------------------------------- */

static void *prepare_worker(void *arg)
{
    struct batch *b = arg;
    struct codec *c = codec_new();
    size_t i;
    while ((i = atomic_fetch_add(&b->next, 1)) < b->item_count) {
        struct pending *p = b->items[i];
        enum news_status st = NEWS_OK;
        struct news_error err;
        if (!p->seen_before) {
            const char *title = p->article.title ? p->article.title : "";
            if (!c)
                st = news_error_set(&err, NEWS_ERR_FORMAT, "cannot start zlib compression");
            else
                st = writer_text_prepare(&p->text, title, c, b->dict, &err);
        }
        pthread_mutex_lock(&b->lock);
        if (st != NEWS_OK && b->status == NEWS_OK) /* the run stops: say where */
            b->status =
                news_error_set(&b->err, st, "%s record %zu: %s", p->abs_path, p->record, err.msg);
        p->ready = true;
        pthread_cond_broadcast(&b->prepared);
        pthread_mutex_unlock(&b->lock);
    }
    codec_free(c);
    return NULL;
}

/* ---------------------------------------------------------------------------------------
 * Step 4: writing (the writer thread)
 * ------------------------------------------------------------------------------------- */

/* Waits until step 3 is done with p; false if it failed. */
static bool wait_prepared(struct batch *b, const struct pending *p)
{
    pthread_mutex_lock(&b->lock);
    while (!p->ready)
        pthread_cond_wait(&b->prepared, &b->lock);
    bool ok = b->status == NEWS_OK;
    pthread_mutex_unlock(&b->lock);
    return ok;
}

static enum news_status write_one(struct batch *b, struct pending *p, struct news_error *err)
{
    struct writer *w = b->run->writer;
    struct batch_totals *t = &b->totals;
    struct writer_provenance prov = {p->abs_path, p->record, p->offset, {0}, p->article.source_id};
    memcpy(prov.raw_hash, p->raw_hash, 16);
    if (p->seen_before) {
        /* Its first copy is stored by now: in an earlier run or earlier in this batch. */
        int64_t existing = 0;
        enum news_status status = writer_find_raw(w, p->raw_hash, &existing, err);
        if (status != NEWS_OK) return status;
        /* The batch is written in order, first copies first; a first copy may have been
         * left out only as withdrawn. */
        if (!existing && t->withdrawn) {
            t->duplicates++;
            return NEWS_OK;
        }
        if (!existing)
            return news_error_set(err, NEWS_ERR_SQL,
                                  "internal error: the first copy of %s record %zu is missing",
                                  p->abs_path, p->record);
        t->duplicates++;
        bool is_new;
        status = writer_add_provenance(w, existing, &prov, &is_new, err);
        if (!is_new) t->already_archived++;
        return status;
    }
    struct writer_result res;
    enum news_status status = writer_add_article(w, &p->article, &p->text, &prov, &res, err);
    if (status != NEWS_OK) return status;
    switch (res.outcome) {
    case WRITER_ADDED:
    case WRITER_VERSION:
    case WRITER_REPLACED:
        t->added += res.outcome != WRITER_REPLACED;
        t->versions += res.outcome == WRITER_VERSION;
        t->replaced += res.outcome == WRITER_REPLACED;
        t->apart += res.unrelated != 0;
        t->copies += res.is_copy;
        t->text_bytes += p->text.len;
        t->stored_bytes += p->text.blob_len;
        for (size_t i = 0; i < p->doc.count; i++)
            t->lines_dropped += p->doc.lines[i].verdict != 0;
        break;
    case WRITER_DUPLICATE:
        t->duplicates++;
        break;
    case WRITER_WITHDRAWN:
        t->withdrawn++;
        break;
    }
    /* Reported by the calling thread, which owns the reporter. */
    bool dry_run = b->run->opt->dry_run;
    if (res.outcome == WRITER_REPLACED || res.unrelated ||
        (dry_run && res.outcome == WRITER_VERSION)) {
        b->events = news_xrealloc(b->events, (b->event_count + 1) * sizeof *b->events);
        b->events[b->event_count++] = (struct event){p, res};
    }
    return NEWS_OK;
}

static void *write_batch(void *arg)
{
    struct batch *b = arg;
    struct writer *w = b->run->writer;
    struct news_error err;
    enum news_status status = writer_begin(w, &err);
    for (size_t i = 0; i < b->learned_count && status == NEWS_OK; i++)
        status = writer_add_boilerplate(w, b->learned[i].source, b->learned[i].line_hash, &err);
    for (size_t i = 0; i < b->item_count && status == NEWS_OK; i++) {
        if (!wait_prepared(b, b->items[i])) break; /* b->status says why */
        status = write_one(b, b->items[i], &err);
    }
    pthread_mutex_lock(&b->lock);
    if (status == NEWS_OK) status = b->status;
    pthread_mutex_unlock(&b->lock);
    if (status == NEWS_OK) status = writer_commit(w, &err);
    /* Step 3 must be over before the batch is freed, whatever happened here. */
    join_workers(b);
    if (b->status == NEWS_OK && status != NEWS_OK) {
        b->status = status;
        b->err = err;
    }
    return NULL;
}

/* ---------------------------------------------------------------------------------------
 * Batches (the calling thread)
 * ------------------------------------------------------------------------------------- */

static struct batch *batch_new(struct run *r)
{
    struct batch *b = news_xmalloc(sizeof *b);
    memset(b, 0, sizeof *b);
    b->run = r;
    pthread_mutex_init(&b->lock, NULL);
    pthread_cond_init(&b->prepared, NULL);
    return b;
}

static void batch_free(struct batch *b)
{
    if (!b) return;
    for (size_t i = 0; i < b->raw_count; i++) {
        struct raw *raw = &b->raws[i];
        free(raw->path);
        free(raw->abs_path);
        free(raw->url);
        free(raw->charset);
        free(raw->record_id);
        free(raw->crawl_date);
        free(raw->data);
        for (size_t j = 0; j < raw->article_count; j++)
            pending_free(&raw->articles[j]);
        free(raw->articles);
        for (size_t j = 0; j < raw->note_count; j++) {
            free(raw->notes[j].kind);
            free(raw->notes[j].message);
        }
        free(raw->notes);
    }
    free(b->raws);
    free(b->items);
    for (size_t i = 0; i < b->learned_count; i++)
        free(b->learned[i].source);
    free(b->learned);
    free(b->events);
    free(b->dict);
    pthread_mutex_destroy(&b->lock);
    pthread_cond_destroy(&b->prepared);
    free(b);
}

/* Says what became of an article when that needs saying (struct event). */
static void report_event(struct run *r, const struct event *e)
{
    const struct pending *p = e->p;
    const struct writer_result *res = &e->res;
    const char *title = p->article.title ? p->article.title : "";
    char msg[1024];
    const char *kind;
    if (res->unrelated) {
        bool by_id = p->article.identity.kind == IDENTITY_ID;
        kind = by_id ? "same id, unrelated" : "same URL, unrelated";
        snprintf(msg, sizeof msg,
                 "article %lld (\"%s\") has the same %s as this record (\"%.200s\") but nothing "
                 "in common with it; %s",
                 (long long)res->unrelated, res->other_title, by_id ? "own id" : "URL", title,
                 r->opt->dry_run ? "it would be an article of its own"
                                 : "stored it as an article of its own");
    } else if (res->outcome == WRITER_VERSION) {
        kind = "would add a version";
        snprintf(msg, sizeof msg, "would be a new version of article %lld (\"%s\")%s",
                 (long long)res->other, res->other_title,
                 res->is_current ? ", and the current one" : ", older than the current one");
    } else if (r->opt->dry_run) {
        kind = "would replace";
        snprintf(msg, sizeof msg, "would replace article %lld (\"%s\") by \"%.200s\"",
                 (long long)res->other, res->other_title, title);
    } else {
        kind = "replaced";
        snprintf(msg, sizeof msg,
                 "replaced article %lld (\"%s\") by this version; 'news-index --restore %s "
                 "%lld' puts the earlier one back",
                 (long long)res->other, res->other_title, archive_path(r->archive),
                 (long long)res->other);
    }
    if (r->opt->dry_run && !res->unrelated)
        r->rep->listing(r->rep->ctx, p->path, p->record, msg);
    else
        r->rep->problem(r->rep->ctx, p->path, p->record, kind, msg);
}

/* Waits for the writer thread, merges what it did into the run's figures, and frees its
 * batch. */
static void finish_writing(struct run *r)
{
    struct batch *b = r->written;
    if (!b) return;
    if (b->writing) pthread_join(b->writer, NULL);
    r->written = NULL;
    struct ingest_stats *s = r->stats;
    s->added += b->totals.added;
    s->duplicates += b->totals.duplicates;
    s->already_archived += b->totals.already_archived;
    s->copies += b->totals.copies;
    s->text_bytes += b->totals.text_bytes;
    s->stored_bytes += b->totals.stored_bytes;
    s->lines_dropped += b->totals.lines_dropped;
    s->versions += b->totals.versions;
    s->replaced += b->totals.replaced;
    s->withdrawn += b->totals.withdrawn;
    s->apart += b->totals.apart;
    for (size_t i = 0; i < b->event_count; i++)
        report_event(r, &b->events[i]);
    if (b->status != NEWS_OK && r->status == NEWS_OK) {
        r->status = b->status;
        *r->err = b->err;
    }
    batch_free(b);
    if (r->rep->progress) r->rep->progress(r->rep->ctx, r->stats, NULL);
}

/* An article without a title is named by the start of its text, cut at a word (title.h). */
static char *title_from_text(const struct clean_doc *doc)
{
    for (size_t i = 0; i < doc->count; i++) {
        const struct clean_line *l = &doc->lines[i];
        if (l->verdict == CLEAN_KEEP)
            return news_xstrndup(l->text, title_from_line(l->text, l->len));
    }
    return NULL;
}

/* For recur_mark_doc: a line just found to recur, stored with the batch. */
struct learning {
    struct batch *batch;
    const char *source;
};

static void on_new_boilerplate(void *ctx, uint64_t line_hash)
{
    struct learning *l = ctx;
    struct batch *b = l->batch;
    if (b->learned_count == b->learned_cap) {
        b->learned_cap = b->learned_cap ? 2 * b->learned_cap : 16;
        b->learned = news_xrealloc(b->learned, b->learned_cap * sizeof *b->learned);
    }
    b->learned[b->learned_count++] = (struct boilerplate){news_xstrdup(l->source), line_hash};
}

/* Orders pending records by raw hash, then by position in the batch. */
static int by_raw_hash(const void *x, const void *y)
{
    const struct pending *a = *(const struct pending *const *)x;
    const struct pending *b = *(const struct pending *const *)y;
    int c = memcmp(a->raw_hash, b->raw_hash, 16);
    return c ? c : (a->seq < b->seq ? -1 : a->seq > b->seq);
}

/* Trains the archive's first preset dictionary once the run has seen enough new text to
 * learn from: at the first batch with the default batch size; small batches are gathered
 * until then (their articles are stored without a dictionary, which reads as well). */
static enum news_status maybe_train(struct run *r, struct batch *b)
{
    if (writer_dictionary(r->writer)) return NEWS_OK;
    struct codec_sample *sample = &r->sample;
    for (size_t i = 0; i < b->item_count; i++) {
        const struct pending *p = b->items[i];
        if (!p->seen_before && !codec_sample_add(sample, p->text.text, p->text.len)) break;
    }
    if (sample->bytes < CODEC_TRAIN_MIN_SAMPLE) return NEWS_OK;
    unsigned char dict[CODEC_DICT_MAX];
    size_t len = codec_sample_train(sample, dict);
    enum news_status st =
        writer_add_dictionary(r->writer, dict, len, sample->count, sample->bytes, r->err);
    codec_sample_clear(sample);
    return st;
}

/* Step 2, then starts steps 3 and 4 on the batch, which from then on belongs to the
 * writer (finish_writing reports how they went). Fails only in step 2, when b is still the
 * caller's. */
static enum news_status learn_and_write(struct run *r, struct batch *b)
{
    size_t count = 0;
    for (size_t i = 0; i < b->raw_count; i++)
        count += b->raws[i].article_count;
    b->items = news_xmalloc((count + 1) * sizeof *b->items);
    for (size_t i = 0; i < b->raw_count; i++)
        for (size_t j = 0; j < b->raws[i].article_count; j++) {
            b->raws[i].articles[j].seq = b->item_count;
            b->items[b->item_count++] = &b->raws[i].articles[j];
        }

    /* Count lines once per distinct record: a file loaded twice is not a pattern. Copies
     * inside the batch are found by sorting it by raw hash (first occurrence kept). */
    struct pending **order = news_xmalloc((count + 1) * sizeof *order);
    memcpy(order, b->items, count * sizeof *order);
    qsort(order, count, sizeof *order, by_raw_hash);
    for (size_t i = 1; i < count; i++)
        order[i]->seen_before = memcmp(order[i - 1]->raw_hash, order[i]->raw_hash, 16) == 0;
    free(order);
    enum news_status status = NEWS_OK;
    for (size_t i = 0; i < count && status == NEWS_OK; i++) {
        struct pending *p = b->items[i];
        int64_t existing = 0;
        if (!p->seen_before) status = writer_find_raw(r->writer, p->raw_hash, &existing, r->err);
        p->seen_before = p->seen_before || existing != 0;
        if (!p->seen_before) recur_count(r->recur, p->source_key, &p->doc);
    }
    for (size_t i = 0; i < count && status == NEWS_OK; i++) {
        struct pending *p = b->items[i];
        if (p->seen_before) continue;
        struct learning l = {b, p->article.source ? p->article.source : ""};
        recur_mark_doc(r->recur, p->source_key, &p->doc, on_new_boilerplate, &l);
        p->text.text = clean_doc_join(&p->doc, &p->text.len);
        if (!p->article.title) {
            p->article.title = title_from_text(&p->doc);
            p->article.is_title_derived = p->article.title != NULL;
        }
    }
    if (status == NEWS_OK) status = maybe_train(r, b);
    if (status != NEWS_OK) return status;
    const struct codec_dict *dict = writer_dictionary(r->writer);
    if (dict) {
        b->dict = news_xmalloc(sizeof *b->dict);
        *b->dict = *dict;
    }
    atomic_store(&b->next, 0);
    run_workers(b, r->jobs, prepare_worker);
    if (pthread_create(&b->writer, NULL, write_batch, b) != 0)
        write_batch(b); /* no thread to be had: write it here */
    else
        b->writing = true;
    r->written = b;
    if (!b->writing) finish_writing(r);
    return NEWS_OK;
}

/* Steps 1 and 2 of the batch being filled, and hands it to the writer. */
static void flush(struct run *r)
{
    struct batch *b = r->filling;
    r->filling = NULL;
    if (!b || b->raw_count == 0 || r->status != NEWS_OK) {
        batch_free(b);
        return;
    }
    atomic_store(&b->next, 0);
    run_workers(b, r->jobs, parse_worker);
    join_workers(b);
    struct ingest_stats *s = r->stats;
    for (size_t i = 0; i < b->raw_count; i++) {
        struct raw *raw = &b->raws[i];
        s->records += raw->records;
        s->format_records[raw->container ? raw->container : raw->format] += raw->records;
        s->recoded += raw->recoded;
        s->bad_dates += raw->bad_dates;
        for (size_t j = 0; j < raw->note_count; j++) {
            const struct note *n = &raw->notes[j];
            if (n->is_warning)
                r->rep->problem(r->rep->ctx, raw->path, n->record, n->kind, n->message);
            else
                reject_now(r, raw->path, n->record, n->kind, n->message);
        }
    }
    finish_writing(r); /* the previous batch: step 2 reads the archive */
    enum news_status status = r->status;
    if (status == NEWS_OK) status = learn_and_write(r, b);
    if (status != NEWS_OK) {
        r->status = status;
        batch_free(b);
    }
}

/* ---------------------------------------------------------------------------------------
 * Reading (the calling thread)
 * ------------------------------------------------------------------------------------- */

static void on_reject(void *ctx, const char *path, size_t record, const char *kind,
                      const char *message)
{
    reject_now(ctx, path, record, kind, message);
}

static void on_file(void *ctx, const char *path, uint64_t bytes)
{
    struct run *r = ctx;
    r->stats->files++;
    r->stats->bytes_read += bytes;
    if (r->rep->progress) r->rep->progress(r->rep->ctx, r->stats, path);
}

static bool on_record(void *ctx, const struct input_record *rec)
{
    struct run *r = ctx;
    if (r->status != NEWS_OK) return false;
    if (r->opt->interrupt && *r->opt->interrupt) {
        r->stats->interrupted = true;
        return false;
    }
    if (!r->filling) r->filling = batch_new(r);
    struct batch *b = r->filling;
    if (b->raw_count == b->raw_cap) {
        b->raw_cap = b->raw_cap ? 2 * b->raw_cap : 64;
        b->raws = news_xrealloc(b->raws, b->raw_cap * sizeof *b->raws);
    }
    struct raw *raw = &b->raws[b->raw_count++];
    memset(raw, 0, sizeof *raw);
    raw->path = news_xstrdup(rec->path);
    raw->abs_path = news_xstrdup(rec->abs_path);
    raw->url = xstrdup_or_null(rec->url);
    raw->charset = xstrdup_or_null(rec->charset);
    raw->record_id = xstrdup_or_null(rec->record_id);
    raw->crawl_date = xstrdup_or_null(rec->crawl_date);
    raw->data = news_xmalloc(rec->len + 1);
    memcpy(raw->data, rec->data, rec->len);
    raw->data[rec->len] = '\0';
    raw->len = rec->len;
    raw->record = rec->record;
    raw->offset = rec->offset;
    raw->format = rec->format;
    raw->container = rec->container;
    if (rec->is_fallback) {
        struct ingest_stats *s = r->stats;
        if (s->fallback_files < INGEST_FALLBACK_NAMES)
            snprintf(s->fallback_names[s->fallback_files], sizeof *s->fallback_names, "%s",
                     rec->path);
        s->fallback_files++;
    }
    b->bytes += rec->len;
    if (b->raw_count >= r->opt->batch_articles || b->bytes >= BATCH_MAX_BYTES) flush(r);
    if (r->rep->progress) r->rep->progress(r->rep->ctx, r->stats, rec->path);
    return r->status == NEWS_OK;
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
    r.jobs = opt->jobs == 0 ? 1 : opt->jobs > INGEST_MAX_JOBS ? INGEST_MAX_JOBS : opt->jobs;
    xmlInitParser(); /* before any thread parses: libxml2 sets up its globals here */
    r.status = writer_open(a, opt->command, opt->dry_run, &r.writer, err);
    if (r.status == NEWS_OK) writer_replace(r.writer, opt->replace);
    if (r.status != NEWS_OK) return r.status;
    r.recur = recur_new(RECUR_MAX_LINES);
    r.status = writer_each_boilerplate(r.writer, load_known, &r, err);

    struct input_callbacks cb = {on_record, on_reject, on_skip, on_file, &stats->disk_bytes};
    for (size_t i = 0; i < path_count && r.status == NEWS_OK; i++) {
        if (!input_read_path(paths[i], opt->format, &cb, &r)) break;
    }
    if (opt->interrupt && *opt->interrupt) stats->interrupted = true;
    /* Whatever happened, keep what was read: the last batch is committed too. */
    flush(&r);
    finish_writing(&r);
    batch_free(r.filling);
    if (r.status == NEWS_OK) {
        struct writer_totals t = {stats->files, stats->added, stats->duplicates, stats->rejected};
        r.status = writer_finish_run(r.writer, &t, err);
    }
    writer_close(r.writer);
    recur_free(r.recur);
    codec_sample_clear(&r.sample);
    return r.status;
}
