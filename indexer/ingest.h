/* ingest.h: one news-index run: read the inputs, turn records into clean articles on
 * worker threads, drop duplicates, and write them to the archive in batches from one
 * writer thread (the pipeline is described in ingest.c). */
#ifndef NEWS_INGEST_H
#define NEWS_INGEST_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "archive.h"
#include "error.h"
#include "input.h"

/* Most worker threads a run uses (--jobs). */
enum { INGEST_MAX_JOBS = 64 };

struct ingest_options {
    enum input_format format;         /* INPUT_AUTO: recognise each file by its content */
    const char *source;               /* if set, the source of every article of the run */
    size_t batch_articles;            /* records per transaction, and the cleaner's window */
    size_t jobs;                      /* worker threads parsing, cleaning and compressing */
    const char *command;              /* recorded in the archive's run table */
    volatile sig_atomic_t *interrupt; /* set (by a signal handler) to stop after a commit */
    bool replace; /* a new version of a stored article replaces it (writer_replace) */
    bool dry_run; /* do everything but keep it: one transaction, rolled back at the end */
};

/* A kind of rejected input and how often it happened. */
struct ingest_reason {
    char kind[32];
    uint64_t count;
};

enum { INGEST_MAX_REASONS = 16, INGEST_FALLBACK_NAMES = 3 };

struct ingest_stats {
    uint64_t files, records, added, duplicates, rejected;
    uint64_t already_archived; /* duplicates that were already in the archive before the run */
    uint64_t copies;           /* articles added that are near copies of an earlier story */
    uint64_t versions;         /* of them, new versions of a stored article, kept beside it */
    uint64_t replaced;         /* stored articles replaced by a new version (--replace) */
    uint64_t withdrawn;        /* removed or replaced before: not stored again */
    uint64_t apart; /* added articles whose identity a stored article shares, though they have
                       nothing in common (writer_result.unrelated) */
    uint64_t format_records[INPUT_FORMAT_COUNT]; /* records read, by format (web archives' as
                                                    warc or arc) */
    uint64_t fallback_files; /* read as plain text only because nothing else matched */
    char fallback_names[INGEST_FALLBACK_NAMES][256]; /* the first of them */
    uint64_t bytes_read;                             /* decompressed input bytes */
    uint64_t disk_bytes;    /* input bytes read from files and stdin, before gunzip */
    uint64_t text_bytes;    /* cleaned text of the articles added */
    uint64_t stored_bytes;  /* compressed text of the articles added */
    uint64_t recoded;       /* records that were not valid UTF-8 */
    uint64_t lines_dropped; /* lines the cleaner removed from the articles added */
    uint64_t bad_dates;     /* dates not understood, stored as unknown */
    uint64_t skipped;       /* records passed over on purpose (WARC requests...) */
    struct ingest_reason reasons[INGEST_MAX_REASONS];
    size_t reason_count;
    struct ingest_reason skip_kinds[INGEST_MAX_REASONS];
    size_t skip_kind_count;
    bool interrupted;
};

/* What the run tells its caller as it goes (library code does not print). */
struct ingest_reporter {
    /* A rejected file or record (record 0: the whole file), a warning about one, or what
     * became of it when that needs saying (a replacement); kind is a short fixed phrase
     * for what it is, the same for every message of that kind. */
    void (*problem)(void *ctx, const char *path, size_t record, const char *kind,
                    const char *message);
    /* What a dry run would do to a record (replace an article, add a version of one): a
     * list the user asked for, each line of which counts. */
    void (*listing)(void *ctx, const char *path, size_t record, const char *message);
    /* Called often (after each record, file and batch) for progress displays, which
     * should limit themselves; may be NULL. */
    void (*progress)(void *ctx, const struct ingest_stats *stats, const char *path);
    void *ctx;
};

/* Reads every path into the archive. Problems with inputs are reported and counted, not
 * returned: the run goes on. Returns an error only when the archive itself fails, after
 * committing what it could. stats is zeroed first. */
enum news_status ingest_run(struct archive *a, const struct ingest_options *opt, char *const *paths,
                            size_t path_count, const struct ingest_reporter *rep,
                            struct ingest_stats *stats, struct news_error *err);

#endif
