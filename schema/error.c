/* error.c: error messages and the allocation wrappers. */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum news_status news_error_set(struct news_error *err, enum news_status status, const char *fmt,
                                ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return status;
}

static void out_of_memory(size_t bytes)
{
    fprintf(stderr, "fatal: out of memory allocating %zu bytes\n", bytes);
    abort();
}

void *news_xmalloc(size_t bytes)
{
    void *p = malloc(bytes ? bytes : 1);
    if (!p) out_of_memory(bytes);
    return p;
}

void *news_xrealloc(void *ptr, size_t bytes)
{
    void *p = realloc(ptr, bytes ? bytes : 1);
    if (!p) out_of_memory(bytes);
    return p;
}

char *news_xstrndup(const char *s, size_t len)
{
    char *p = news_xmalloc(len + 1);
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

char *news_xstrdup(const char *s)
{
    return news_xstrndup(s, strlen(s));
}
