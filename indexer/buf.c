/* buf.c: the growable string. */
#include "buf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

void buf_add(struct buf *b, const void *bytes, size_t n)
{
    if (n >= b->cap - b->len || !b->data) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap - b->len <= n) {
            if (cap > SIZE_MAX / 2) {
                cap = SIZE_MAX; /* news_xrealloc then reports out of memory */
                break;
            }
            cap *= 2;
        }
        b->data = news_xrealloc(b->data, cap);
        b->cap = cap;
    }
    if (n) memcpy(b->data + b->len, bytes, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void buf_adds(struct buf *b, const char *s)
{
    buf_add(b, s, strlen(s));
}

char *buf_take(struct buf *b)
{
    char *s = b->data ? b->data : news_xstrdup("");
    memset(b, 0, sizeof *b);
    return s;
}

char *buf_take_nonempty(struct buf *b)
{
    if (b->len == 0) {
        buf_free(b);
        return NULL;
    }
    return buf_take(b);
}

void buf_free(struct buf *b)
{
    free(b->data);
    memset(b, 0, sizeof *b);
}
