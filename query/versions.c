/* versions.c: an article's other versions, stored and in history. Fixed SQL only; the
 * article's id is bound. */
#include "versions.h"

#include <stdio.h>
#include <stdlib.h>

/* An article's versions are the row whose id is its first version's and the rows whose
 * version_of names it (both found through an index); the current one is the one that no
 * other supersedes. */
static const char stored_sql[] =
    "SELECT a.id, a.date, " VERSIONS_DATE_KIND_SQL ", a.title, a.superseded_by IS NULL,"
    " a.title_derived"
    " FROM article a WHERE a.id = ?1 OR a.version_of = ?1 ORDER BY a.id";

/* Replaced versions, earliest first. news-index --restore puts back the last of those whose
 * text was kept (its ST_FIND_REPLACED). The provenance is news-index's JSON, checked before
 * it is read, so that a damaged value costs that value only. */
static const char replaced_sql[] =
    "SELECT h.title, r.started_at, CASE WHEN json_valid(h.provenance) THEN h.provenance"
    " ELSE '[]' END, CASE WHEN json_valid(h.provenance) THEN"
    " json_extract(h.provenance, '$[0].path') END, CASE WHEN json_valid(h.provenance) THEN"
    " json_extract(h.provenance, '$[0].record') END, CASE WHEN json_valid(h.provenance) THEN"
    " json_array_length(h.provenance) END, h.text_z IS NOT NULL,"
    " h.id = (SELECT max(k.id) FROM article_history k WHERE k.article_id = ?1"
    " AND k.event = 'replaced' AND k.text_z IS NOT NULL)"
    " FROM article_history h JOIN run r ON r.id = h.run_id"
    " WHERE h.article_id = ?1 AND h.event = 'replaced' ORDER BY h.id";

static const char removed_sql[] =
    "SELECT r.started_at FROM article_history h JOIN run r ON r.id = h.run_id"
    " WHERE h.article_id = ?1 AND h.event = 'removed' ORDER BY h.id LIMIT 1";

/* Column text lives only until the next step: what is kept is copied. */
static char *column_dup(sqlite3_stmt *st, int i)
{
    const char *s = (const char *)sqlite3_column_text(st, i);
    return s ? news_xstrdup(s) : NULL;
}

/* Runs sql with ?1 bound to article id, calling row(ctx, st) for each row; what is read
 * is named in the error message. */
static enum news_status read_rows(struct archive *a, const char *sql, int64_t id, const char *what,
                                  void (*row)(void *ctx, sqlite3_stmt *st), void *ctx,
                                  struct news_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(archive_db(a), sql, -1, &st, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, id);
        while ((rc = sqlite3_step(st)) == SQLITE_ROW)
            row(ctx, st);
    }
    enum news_status status = NEWS_OK;
    if (rc != SQLITE_DONE)
        status = news_error_set(err, NEWS_ERR_SQL, "cannot read %s of article %lld: %s (%s)", what,
                                (long long)id, sqlite3_errmsg(archive_db(a)), archive_path(a));
    sqlite3_finalize(st);
    return status;
}

struct stored {
    struct search_version *v;
    size_t n;
};

static void add_stored(void *ctx, sqlite3_stmt *st)
{
    struct stored *s = ctx;
    s->v = news_xrealloc(s->v, (s->n + 1) * sizeof *s->v);
    s->v[s->n++] = (struct search_version){
        .id = sqlite3_column_int64(st, 0),
        .date = column_dup(st, 1),
        .date_kind = column_dup(st, 2),
        .title = column_dup(st, 3),
        .is_current = sqlite3_column_int(st, 4) != 0,
        .is_title_derived = sqlite3_column_int(st, 5) != 0,
    };
}

enum news_status versions_stored(struct archive *a, int64_t first, struct search_version **out,
                                 size_t *count, struct news_error *err)
{
    struct stored s = {NULL, 0};
    enum news_status status = read_rows(a, stored_sql, first, "the versions", add_stored, &s, err);
    if (status != NEWS_OK || s.n < 2) { /* one version: nothing to list */
        versions_free(s.v, s.n);
        s = (struct stored){NULL, 0};
    }
    *out = s.v;
    *count = s.n;
    return status;
}

void versions_free(struct search_version *v, size_t count)
{
    for (size_t i = 0; v && i < count; i++) {
        free(v[i].date);
        free(v[i].date_kind);
        free(v[i].title);
    }
    free(v);
}

struct replaced {
    struct search_replaced *r;
    size_t n;
};

static void add_replaced(void *ctx, sqlite3_stmt *st)
{
    struct replaced *r = ctx;
    r->r = news_xrealloc(r->r, (r->n + 1) * sizeof *r->r);
    r->r[r->n++] = (struct search_replaced){
        .title = column_dup(st, 0),
        .replaced_at = column_dup(st, 1),
        .provenance = column_dup(st, 2),
        .first_path = column_dup(st, 3),
        .first_record = sqlite3_column_int64(st, 4),
        .records = sqlite3_column_int64(st, 5),
        .is_text_kept = sqlite3_column_int(st, 6) != 0,
        .is_restorable = sqlite3_column_int(st, 7) != 0,
    };
}

enum news_status versions_replaced(struct archive *a, int64_t id, struct search_replaced **out,
                                   size_t *count, struct news_error *err)
{
    struct replaced r = {NULL, 0};
    enum news_status status =
        read_rows(a, replaced_sql, id, "the replaced versions", add_replaced, &r, err);
    if (status != NEWS_OK) {
        versions_free_replaced(r.r, r.n);
        r = (struct replaced){NULL, 0};
    }
    *out = r.r;
    *count = r.n;
    return status;
}

void versions_free_replaced(struct search_replaced *r, size_t count)
{
    for (size_t i = 0; r && i < count; i++) {
        free(r[i].title);
        free(r[i].replaced_at);
        free(r[i].provenance);
        free(r[i].first_path);
    }
    free(r);
}

static void copy_removed_at(void *ctx, sqlite3_stmt *st)
{
    const char *when = (const char *)sqlite3_column_text(st, 0);
    snprintf(ctx, 32, "%s", when ? when : "?");
}

enum news_status versions_removed_at(struct archive *a, int64_t id, char removed_at[32],
                                     struct news_error *err)
{
    removed_at[0] = '\0';
    return read_rows(a, removed_sql, id, "the history", copy_removed_at, removed_at, err);
}
