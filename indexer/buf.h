/* buf.h: a growable string that readers build their output in. */
#ifndef NEWS_BUF_H
#define NEWS_BUF_H

#include <stddef.h>

/* Zeroed, it is empty. data is NULL until the first append and NUL-terminated after it.
 * It has no size limit of its own: every buffer is fed from one record, which the input
 * layer limits. */
struct buf {
    char *data;
    size_t len, cap;
};

/* Appends n bytes (linear overall: the capacity doubles). */
void buf_add(struct buf *b, const void *bytes, size_t n);

/* Appends a NUL-terminated string, without its NUL. */
void buf_adds(struct buf *b, const char *s);

/* Returns the contents as a malloc'd string the caller frees ("" when nothing was
 * appended) and leaves b empty. */
char *buf_take(struct buf *b);

/* Like buf_take, but NULL when nothing was appended. */
char *buf_take_nonempty(struct buf *b);

/* Frees the contents and leaves b empty. */
void buf_free(struct buf *b);

#endif
