/* extension.c: the entry point of news_ext.so, the loadable SQLite extension. */
#include "extension.h"

#include "codec.h"
#include "rank.h"

SQLITE_EXTENSION_INIT1

int sqlite3_newsext_init(sqlite3 *db, char **err_msg, const sqlite3_api_routines *api)
{
    SQLITE_EXTENSION_INIT2(api);
    if (sqlite3_libversion_number() < EXTENSION_MIN_SQLITE) {
        *err_msg =
            sqlite3_mprintf("news_ext: needs SQLite 3.31.0 or later, not %s", sqlite3_libversion());
        return SQLITE_ERROR;
    }
    int rc = codec_register(db);
    if (rc != SQLITE_OK) {
        *err_msg = sqlite3_mprintf("news_ext: cannot register news_text(): %s", sqlite3_errstr(rc));
        return rc;
    }
    rc = rank_register(db);
    if (rc != SQLITE_OK)
        *err_msg = sqlite3_mprintf("news_ext: cannot register news_rank() and news_snippet():"
                                   " %s (is SQLite built with FTS5?)",
                                   sqlite3_errstr(rc));
    return rc;
}
