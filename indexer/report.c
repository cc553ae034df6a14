/* report.c: news-index's messages on stderr: progress, problems and summaries. */
#include "report.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

void report_init(struct report *r, FILE *out, const char *archive, bool progress)
{
    memset(r, 0, sizeof *r);
    r->out = out;
    r->archive = archive;
    r->progress = progress;
    r->started = report_now();
}

void report_finish(struct report *r)
{
    report_flush(r);
    free(r->group_path);
    r->group_path = NULL;
}

double report_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void report_clear(struct report *r)
{
    if (r->shown) fputs("\r\033[K", r->out);
    r->shown = false;
}

const char *report_time(double secs, char buf[32])
{
    unsigned long s = secs < 0 ? 0 : (unsigned long)(secs + 0.5);
    if (s < 60)
        snprintf(buf, 32, "%lus", s);
    else if (s < 3600)
        snprintf(buf, 32, "%lum%02lus", s / 60, s % 60);
    else
        snprintf(buf, 32, "%luh%02lum", s / 3600, s / 60 % 60);
    return buf;
}

const char *report_bytes(uint64_t bytes, char buf[32])
{
    static const char *const units[] = {"B", "KB", "MB", "GB", "TB"};
    double v = (double)bytes;
    size_t u = 0;
    while (v >= 1000 && u + 1 < sizeof units / sizeof *units)
        v /= 1000, u++;
    snprintf(buf, 32, u ? "%.1f %s" : "%.0f %s", v, units[u]);
    return buf;
}

/* ---- problems, collapsed per file and kind ---- */

static void print_problem(struct report *r, const char *path, const struct report_group *g)
{
    report_clear(r);
    fprintf(r->out, "news-index: %s: ", path);
    if (g->first_record) fprintf(r->out, "record %zu: ", g->first_record);
    fputs(g->message, r->out);
    if (g->count > 1 && g->last_record)
        fprintf(r->out, " (and %llu more like it, to record %zu)",
                (unsigned long long)(g->count - 1), g->last_record);
    else if (g->count > 1)
        fprintf(r->out, " (and %llu more like it)", (unsigned long long)(g->count - 1));
    fputc('\n', r->out);
}

void report_flush(struct report *r)
{
    for (size_t i = 0; i < r->group_count; i++) {
        print_problem(r, r->group_path, &r->groups[i]);
        free(r->groups[i].kind);
        free(r->groups[i].message);
    }
    r->group_count = 0;
}

void report_problem(void *ctx, const char *path, size_t record, const char *kind,
                    const char *message)
{
    struct report *r = ctx;
    if (!r->group_path || strcmp(r->group_path, path) != 0) {
        report_flush(r);
        free(r->group_path);
        r->group_path = news_xstrdup(path);
    }
    for (size_t i = 0; i < r->group_count; i++) {
        struct report_group *g = &r->groups[i];
        if (strcmp(g->kind, kind) == 0) {
            g->count++;
            g->last_record = record;
            return;
        }
    }
    struct report_group g = {news_xstrdup(kind), news_xstrdup(message), record, record, 1};
    if (r->group_count == REPORT_MAX_GROUPS) { /* so many kinds: no holding back */
        print_problem(r, path, &g);
        free(g.kind);
        free(g.message);
        return;
    }
    r->groups[r->group_count++] = g;
}

void report_listing(void *ctx, const char *path, size_t record, const char *message)
{
    struct report *r = ctx;
    report_flush(r);
    report_clear(r);
    fprintf(r->out, "news-index: %s: record %zu: %s\n", path, record, message);
}

/* ---- progress ---- */

void report_progress(void *ctx, const struct ingest_stats *s, const char *path)
{
    struct report *r = ctx;
    double t = report_now();
    if (!r->progress || s->disk_bytes == 0 || t - r->last_progress < 0.25) return;
    r->last_progress = t;
    double secs = t - r->started;
    char read[32], eta[48] = "", took[32];
    if (r->input_total && s->disk_bytes > 0 && s->disk_bytes <= r->input_total) {
        double rate = (double)s->disk_bytes / secs;
        snprintf(eta, sizeof eta, " %.0f%%, %s left",
                 100.0 * (double)s->disk_bytes / (double)r->input_total,
                 report_time((double)(r->input_total - s->disk_bytes) / rate, took));
    }
    size_t len = path ? strlen(path) : 0;
    fprintf(r->out, "\r\033[K%llu files, %llu articles, %s, %.0f articles/s%s  %s%s",
            (unsigned long long)s->files, (unsigned long long)s->added,
            report_bytes(s->disk_bytes, read), secs > 0 ? (double)s->added / secs : 0.0, eta,
            len > 30 ? "..." : "", path ? path + (len > 30 ? len - 30 : 0) : "");
    r->shown = true;
}

void report_check_problem(void *ctx, const char *message)
{
    struct report *r = ctx;
    report_clear(r);
    fprintf(r->out, "news-index: %s: %s\n", r->archive, message);
}

/* A progress line for a stage of work that reads articles: "checking texts: 5 of 9
 * articles, 56%, 2s left", or without a total how long it has taken so far. */
static void stage_progress(struct report *r, const char *doing, const char *stage, uint64_t done,
                           uint64_t total)
{
    double t = report_now();
    if (r->stage != stage) r->stage = stage, r->stage_started = t;
    if (!r->progress || t - r->last_progress < 0.25) return;
    r->last_progress = t;
    char took[32], left[32];
    if (total && done && done <= total) {
        double rate = (double)done / (t - r->stage_started);
        fprintf(r->out, "\r\033[K%s%s: %llu of %llu articles, %.0f%%, %s left", doing, stage,
                (unsigned long long)done, (unsigned long long)total,
                100.0 * (double)done / (double)total,
                report_time((double)(total - done) / rate, left));
    } else {
        fprintf(r->out, "\r\033[K%s%s, %s so far", doing, stage,
                report_time(t - r->stage_started, took));
    }
    r->shown = true;
}

void report_check_progress(void *ctx, const char *stage, uint64_t done, uint64_t total)
{
    stage_progress(ctx, "checking ", stage, done, total);
}

void report_upgrade_progress(void *ctx, const char *stage, uint64_t done, uint64_t total)
{
    stage_progress(ctx, "upgrading the archive: ", stage, done, total);
}

/* ---- the summary ---- */

/* Ends a summary line with " (kind n, kind n)" when there are kinds. */
static void print_kinds(FILE *out, const struct ingest_reason *kinds, size_t count)
{
    for (size_t i = 0; i < count; i++)
        fprintf(out, "%s%s %llu", i ? ", " : " (", kinds[i].kind,
                (unsigned long long)kinds[i].count);
    fputs(count ? ")\n" : "\n", out);
}

/* "  read:       reuters 21578, text 2380, ..." and the files read as text by fallback. */
static void print_formats(FILE *out, const struct ingest_stats *s)
{
    /* In the order a reader meets them in the README's table of formats. */
    static const enum input_format order[] = {INPUT_TEXT, INPUT_JSONL,  INPUT_JSON,    INPUT_HTML,
                                              INPUT_FEED, INPUT_NEWSML, INPUT_REUTERS, INPUT_TREC,
                                              INPUT_WARC, INPUT_ARC};
    bool any = false;
    for (size_t i = 0; i < sizeof order / sizeof *order; i++) {
        uint64_t n = s->format_records[order[i]];
        if (!n) continue;
        fprintf(out, "%s%s %llu", any ? ", " : "  read:       ", input_format_name(order[i]),
                (unsigned long long)n);
        any = true;
    }
    if (any) fputs(" records\n", out);
    if (!s->fallback_files) return;
    fprintf(out, "  as text:    %llu file%s read as plain text only because nothing else matched:",
            (unsigned long long)s->fallback_files, s->fallback_files == 1 ? "" : "s");
    for (uint64_t i = 0; i < s->fallback_files && i < INGEST_FALLBACK_NAMES; i++)
        fprintf(out, "%s %s", i ? "," : "", s->fallback_names[i]);
    if (s->fallback_files > INGEST_FALLBACK_NAMES)
        fprintf(out, " and %llu more",
                (unsigned long long)(s->fallback_files - INGEST_FALLBACK_NAMES));
    fputc('\n', out);
}

/* The lines about versions: new ones, replacements, shared identities. */
static void print_versions(FILE *out, const struct ingest_stats *s, bool dry_run)
{
    /* Loading the same records again with --replace would do nothing (they are in the
     * archive already): what can be done now is taking the earlier versions out. */
    if (s->versions)
        fprintf(out,
                "  versions:   %llu of them new versions of stored articles, kept beside them "
                "(news-query shows the current one, --show ID every one; news-index --remove "
                "ID takes one out; --replace stores new versions in place of the earlier)\n",
                (unsigned long long)s->versions);
    if (s->replaced)
        fprintf(out, "  replaced:   %llu stored article%s by a new version%s\n",
                (unsigned long long)s->replaced, s->replaced == 1 ? "" : "s",
                dry_run ? "" : " (the earlier kept in the archive's history: --restore)");
    if (s->apart)
        fprintf(out,
                "  apart:      %llu of them share an own id or URL with a stored article they "
                "have nothing in common with; kept as articles of their own\n",
                (unsigned long long)s->apart);
}

void report_summary(struct report *r, const struct ingest_stats *s, bool dry_run)
{
    FILE *out = r->out;
    char read[32], text[32], stored[32];
    report_flush(r);
    report_clear(r);
    fprintf(out, "news-index: %llu files, %llu records, %s read in %.1f s%s%s\n",
            (unsigned long long)s->files, (unsigned long long)s->records,
            report_bytes(s->bytes_read, read), report_now() - r->started,
            s->interrupted ? " (interrupted)" : "",
            dry_run ? "; a dry run: nothing was stored, this is what would be" : "");
    print_formats(out, s);
    fprintf(out, "  added:      %llu articles, %s of text stored in %s\n",
            (unsigned long long)s->added, report_bytes(s->text_bytes, text),
            report_bytes(s->stored_bytes, stored));
    fprintf(out, "  duplicates: %llu skipped (%llu already in the archive)\n",
            (unsigned long long)s->duplicates, (unsigned long long)s->already_archived);
    if (s->copies)
        fprintf(out, "  copies:     %llu of them near copies of an earlier story (kept)\n",
                (unsigned long long)s->copies);
    print_versions(out, s, dry_run);
    if (s->withdrawn)
        fprintf(out, "  withdrawn:  %llu removed or replaced earlier, not stored again\n",
                (unsigned long long)s->withdrawn);
    fprintf(out, "  rejected:   %llu", (unsigned long long)s->rejected);
    print_kinds(out, s->reasons, s->reason_count);
    if (s->recoded)
        fprintf(out, "  recoded:    %llu (not UTF-8, read as windows-1252)\n",
                (unsigned long long)s->recoded);
    if (s->skipped) {
        fprintf(out, "  skipped:    %llu records that are not articles",
                (unsigned long long)s->skipped);
        print_kinds(out, s->skip_kinds, s->skip_kind_count);
    }
    if (s->bad_dates)
        fprintf(out, "  dates:      %llu not understood, stored as unknown\n",
                (unsigned long long)s->bad_dates);
    if (s->added == 0 && s->replaced == 0 && s->duplicates > 0 &&
        s->duplicates == s->already_archived)
        fputs("  nothing new: every article is already in the archive\n", out);
}
