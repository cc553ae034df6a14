/* archive.h: opening, creating and checking an archive, the SQLite file both tools share. */
#ifndef NEWS_ARCHIVE_H
#define NEWS_ARCHIVE_H

#include <sqlite3.h>
#include <stdint.h>

#include "error.h"

#define ARCHIVE_APPLICATION_ID 0x4E455753 /* 'NEWS' */
#define ARCHIVE_SCHEMA_VERSION 7

/* schema.sql, embedded at build time. */
extern const char archive_schema_sql[];

enum archive_mode {
    ARCHIVE_READ,      /* the file must be an existing archive; opened read-only */
    ARCHIVE_WRITE,     /* created with the current schema if missing or empty; fails with
                          NEWS_ERR_BUSY if another process has it open for writing */
    ARCHIVE_WRITE_WAIT /* the same, but waits for the other process to finish */
};

struct archive;

/* Opens path (for writing, NEWS_ERR_READ_ONLY when it or its directory may not be
 * written). One process at a time may open an archive for writing (any number may read
 * it meanwhile, each seeing the last committed state). Registers the SQL functions the schema needs
 * on the connection. Fails with NEWS_ERR_ARCHIVE and a message naming path when the file is missing
 * (READ), is not an SQLite database, is a database of some other program, or has a schema version
 * this build does not know. Opening an archive of an older version for writing upgrades it in one
 * transaction; for reading, it is an error that says how to upgrade. *out is set only on success;
 * close it with archive_close. */
enum news_status archive_open(const char *path, enum archive_mode mode, struct archive **out,
                              struct news_error *err);

/* What opening an archive tells its caller while it upgrades it: stage says what is being
 * done; done and total count articles in a stage that reads them one by one, total being 0
 * when unknown. Called often (cheap to ignore), and only when an upgrade reads articles. */
struct archive_reporter {
    void (*progress)(void *ctx, const char *stage, uint64_t done, uint64_t total);
    void *ctx;
};

/* archive_open, telling rep (NULL: nobody) how an upgrade goes. */
enum news_status archive_open_reporting(const char *path, enum archive_mode mode,
                                        const struct archive_reporter *rep, struct archive **out,
                                        struct news_error *err);

/* Closes the connection; accepts NULL. */
void archive_close(struct archive *a);

/* The connection, owned by the archive. */
sqlite3 *archive_db(const struct archive *a);

/* The path the archive was opened with. */
const char *archive_path(const struct archive *a);

/* Runs sql (no results) and reports SQLite's message with context on failure. */
enum news_status archive_exec(struct archive *a, const char *sql, struct news_error *err);

#endif
