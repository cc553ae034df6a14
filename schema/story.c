/* story.c: the SQL of simhash_block. Its statements are prepared once in story_index_open,
 * reset after each use and finalized in story_index_close. */
#include "story.h"

#include <stdlib.h>

#include "simhash.h"

enum story_stmt { ST_FIND, ST_ADD_BLOCK, ST_COUNT };

static const char *const stmt_sql[ST_COUNT] = {
    /* Every article sharing a block with ?1..?4 (blocks 0 to 3): four searches of the
     * table's key, reading nothing else. An article sharing two blocks comes twice, which
     * does no harm; written as an OR, SQLite removes such repeats at about twice the cost
     * of the whole lookup. */
    [ST_FIND] = "SELECT story, simhash FROM simhash_block WHERE block_no = 0 AND value = ?1"
                " UNION ALL SELECT story, simhash FROM simhash_block"
                " WHERE block_no = 1 AND value = ?2"
                " UNION ALL SELECT story, simhash FROM simhash_block"
                " WHERE block_no = 2 AND value = ?3"
                " UNION ALL SELECT story, simhash FROM simhash_block"
                " WHERE block_no = 3 AND value = ?4",
    [ST_ADD_BLOCK] = "INSERT OR IGNORE INTO simhash_block(block_no, value, article_id, simhash,"
                     " story) VALUES (?1, ?2, ?3, ?4, ?5)",
};

struct story_index {
    struct archive *archive;
    sqlite3_stmt *st[ST_COUNT];
};

static enum news_status sql_error(struct story_index *s, struct news_error *err, const char *what)
{
    return news_error_set(err, NEWS_ERR_SQL, "%s: %s (%s)", what,
                          sqlite3_errmsg(archive_db(s->archive)), archive_path(s->archive));
}

enum news_status story_index_open(struct archive *a, struct story_index **out,
                                  struct news_error *err)
{
    struct story_index *s = news_xmalloc(sizeof *s);
    s->archive = a;
    for (int i = 0; i < ST_COUNT; i++)
        s->st[i] = NULL;
    for (int i = 0; i < ST_COUNT; i++) {
        if (sqlite3_prepare_v3(archive_db(a), stmt_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &s->st[i],
                               NULL) != SQLITE_OK) {
            enum news_status status = sql_error(s, err, "cannot prepare the copy finder");
            story_index_close(s);
            return status;
        }
    }
    *out = s;
    return NEWS_OK;
}

void story_index_close(struct story_index *s)
{
    if (!s) return;
    for (int i = 0; i < ST_COUNT; i++)
        sqlite3_finalize(s->st[i]);
    free(s);
}

enum news_status story_index_find(struct story_index *s, uint64_t fingerprint, int64_t *story,
                                  struct news_error *err)
{
    sqlite3_stmt *st = s->st[ST_FIND];
    for (int b = 0; b < SIMHASH_BLOCKS; b++)
        sqlite3_bind_int(st, b + 1, (int)simhash_block(fingerprint, b));
    int64_t lowest = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t candidate = sqlite3_column_int64(st, 0);
        uint64_t other = (uint64_t)sqlite3_column_int64(st, 1);
        if (simhash_distance(fingerprint, other) <= SIMHASH_MAX_DISTANCE &&
            (lowest == 0 || candidate < lowest))
            lowest = candidate;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) return sql_error(s, err, "cannot look up copies");
    *story = lowest;
    return NEWS_OK;
}

enum news_status story_index_add(struct story_index *s, int64_t article_id,
                                 const struct story_place *p, struct news_error *err)
{
    if (!p->has_fingerprint) return NEWS_OK;
    sqlite3_stmt *st = s->st[ST_ADD_BLOCK];
    for (int b = 0; b < SIMHASH_BLOCKS; b++) {
        sqlite3_bind_int(st, 1, b);
        sqlite3_bind_int(st, 2, (int)simhash_block(p->fingerprint, b));
        sqlite3_bind_int64(st, 3, article_id);
        sqlite3_bind_int64(st, 4, (sqlite3_int64)p->fingerprint);
        sqlite3_bind_int64(st, 5, p->story);
        int rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc != SQLITE_DONE) return sql_error(s, err, "cannot record a fingerprint");
    }
    return NEWS_OK;
}

enum news_status story_index_place(struct story_index *s, int64_t id, const char *text, size_t len,
                                   struct story_place *out, struct news_error *err)
{
    story_place_fingerprint(text, len, out);
    return story_index_settle(s, id, out, err);
}

void story_place_fingerprint(const char *text, size_t len, struct story_place *out)
{
    out->fingerprint = 0;
    out->has_fingerprint = simhash_text(text, len, &out->fingerprint);
    out->story = 0;
}

enum news_status story_index_settle(struct story_index *s, int64_t id, struct story_place *p,
                                    struct news_error *err)
{
    int64_t story = 0;
    if (p->has_fingerprint) {
        enum news_status status = story_index_find(s, p->fingerprint, &story, err);
        if (status != NEWS_OK) return status;
    }
    p->story = story ? story : id;
    return NEWS_OK;
}

void story_place_bind(const struct story_place *p, sqlite3_stmt *st, int fingerprint_param,
                      int story_param)
{
    if (p->has_fingerprint)
        sqlite3_bind_int64(st, fingerprint_param, (sqlite3_int64)p->fingerprint);
    else
        sqlite3_bind_null(st, fingerprint_param);
    sqlite3_bind_int64(st, story_param, p->story);
}
