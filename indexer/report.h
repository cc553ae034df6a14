/* report.h: what news-index tells its user on stderr while it works: progress, problems
 * (repeats of one kind in one file collapsed to one line), and the summary of a run. */
#ifndef NEWS_REPORT_H
#define NEWS_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ingest.h"

/* Kinds of problem held back for one file before further kinds are shown at once. */
enum { REPORT_MAX_GROUPS = 16 };

/* The problems of one kind in the file being reported on: the first, and how many more. */
struct report_group {
    char *kind, *message; /* owned */
    size_t first_record, last_record;
    uint64_t count;
};

struct report {
    FILE *out;                     /* stderr, or a test's file */
    const char *archive;           /* for messages */
    double started, last_progress; /* report_now() seconds */
    const char *stage;             /* --check's stage shown, and when it began */
    double stage_started;
    uint64_t input_total; /* bytes of the inputs on disk; 0 if unknown (stdin) */
    bool progress;        /* show progress (a terminal, or --progress) */
    bool shown;           /* a progress line is on the screen, to be cleared first */
    char *group_path;     /* the file whose problems are held back (owned), or NULL */
    struct report_group groups[REPORT_MAX_GROUPS];
    size_t group_count;
};

/* Sets up r to write to out; progress only when asked. Release with report_finish. */
void report_init(struct report *r, FILE *out, const char *archive, bool progress);

/* Prints the problems held back, and frees what r holds. */
void report_finish(struct report *r);

/* A monotonic clock in seconds. */
double report_now(void);

/* For ingest_reporter.problem (ctx is a struct report). A problem with a file is held back
 * while the following ones are about the same file: the first of each kind is then
 * printed with how many more of that kind there were, as "news-index: PATH: record N:
 * MESSAGE (and 121 more like it, to record 131)". */
void report_problem(void *ctx, const char *path, size_t record, const char *kind,
                    const char *message);

/* For ingest_reporter.listing: printed at once, in full. */
void report_listing(void *ctx, const char *path, size_t record, const char *message);

/* Prints the problems held back (at the end of a run, or before the summary). */
void report_flush(struct report *r);

/* For ingest_reporter.progress: one line, rewritten at most four times a second. */
void report_progress(void *ctx, const struct ingest_stats *s, const char *path);

/* The summary of a load (first the problems held back). */
void report_summary(struct report *r, const struct ingest_stats *s, bool dry_run);

/* For check_reporter: a problem found by --check, and its progress. */
void report_check_problem(void *ctx, const char *message);
void report_check_progress(void *ctx, const char *stage, uint64_t done, uint64_t total);

/* For archive_reporter: the progress of an upgrade. */
void report_upgrade_progress(void *ctx, const char *stage, uint64_t done, uint64_t total);

/* Clears the progress line if one is shown. */
void report_clear(struct report *r);

/* A byte count for people: 812 B, 4.7 KB, 12.3 MB, 1.2 GB. */
const char *report_bytes(uint64_t bytes, char buf[32]);

/* Seconds for people: 42s, 7m05s or 3h12m. */
const char *report_time(double secs, char buf[32]);

#endif
