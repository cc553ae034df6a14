/* error.h: the status codes and error message buffer every module of both tools uses. */
#ifndef NEWS_ERROR_H
#define NEWS_ERROR_H

#include <stddef.h>

enum news_status {
    NEWS_OK = 0,
    NEWS_ERR_IO,       /* reading or writing a file failed */
    NEWS_ERR_FORMAT,   /* input is not what it claims to be, or is malformed */
    NEWS_ERR_LIMIT,    /* input exceeds a hard size limit */
    NEWS_ERR_ARCHIVE,  /* the archive is missing, not an archive, or of another version */
    NEWS_ERR_SQL,      /* SQLite reported an error */
    NEWS_ERR_USAGE,    /* the caller asked for something that makes no sense */
    NEWS_ERR_BUSY,     /* another process is writing to the archive */
    NEWS_ERR_READ_ONLY /* the archive, or its directory, may not be written */
};

/* A message with context (path, record, SQLite's text), filled by the failing function. */
struct news_error {
    char msg[1024];
};

/* Sets err->msg from a printf format; err may be NULL. Returns status, for
 * `return news_error_set(err, NEWS_ERR_IO, "...")`. */
enum news_status news_error_set(struct news_error *err, enum news_status status, const char *fmt,
                                ...) __attribute__((format(printf, 3, 4)));

/* Allocation that never returns NULL: out of memory is not an input error, so it aborts
 * with a message. */
void *news_xmalloc(size_t bytes);
void *news_xrealloc(void *ptr, size_t bytes);
char *news_xstrdup(const char *s);
char *news_xstrndup(const char *s, size_t len);

#endif
