/* extension.h: news_ext.so, the archive's SQL functions as a loadable SQLite extension, and
 * the SQLite API as the sources of those functions see it.
 *
 * codec.c, rank.c and snippet.c are compiled into the tools' library, where they call the
 * SQLite the tools link, and compiled again with NEWS_SQLITE_EXTENSION into the extension,
 * where sqlite3ext.h turns every sqlite3_* call into a call through the routines of the
 * program that loaded it (the sqlite3 shell, Python...). Each of them includes this header
 * after the others, so that those calls are routed in every translation unit. */
#ifndef NEWS_EXTENSION_H
#define NEWS_EXTENSION_H

#ifdef NEWS_SQLITE_EXTENSION
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT3

/* The oldest SQLite whose routines hold every function the extension calls, and that knows
 * SQLITE_INNOCUOUS (3.31.0); an older one is refused rather than read past its routines. */
#define EXTENSION_MIN_SQLITE 3031000

/* The entry point SQLite derives from the file name news_ext.so, so that ".load news_ext"
 * needs no entry point named. Registers on db news_text() (codec.h) and the FTS5 auxiliary
 * functions news_rank(), news_stats(), news_terms(), news_phrases() and news_snippet()
 * (rank.h, snippet.h), for this connection only. Returns SQLITE_OK, or an error code with
 * *err_msg set to a message from sqlite3_malloc that SQLite frees. */
__attribute__((visibility("default"))) int sqlite3_newsext_init(sqlite3 *db, char **err_msg,
                                                                const sqlite3_api_routines *api);
#else
#include <sqlite3.h>
#endif

#endif
