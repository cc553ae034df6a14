/* stream.c: plain or gzip byte streams over a descriptor or a window of another stream.
 * Gzip is decoded with inflate() directly, member after member (concatenated .gz files
 * and .warc.gz have many), so that truncation and trailing junk are reported instead of
 * silently ignored as gzread() does. */
#include "stream.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "error.h"

enum { IN_BYTES = 64 * 1024 };

struct stream {
    int fd;                /* the source: a descriptor, or -1 ... */
    struct stream *parent; /* ... a window of this stream */
    uint64_t window_left;  /* bytes of the window not yet taken from parent */
    bool is_gzip, in_eof, gzip_done;
    z_stream z;
    unsigned char in[IN_BYTES];
    size_t in_len, in_pos; /* plain streams: bytes read ahead while detecting gzip */
    char *back;            /* bytes put back by stream_unread, served first */
    size_t back_len, back_pos;
    uint64_t bytes;    /* bytes delivered so far */
    uint64_t fd_bytes; /* bytes read from fd */
    uint64_t *counter; /* adds up the bytes read from fd, if set */
    char err[256];     /* why reading stopped early, if it did */
};

/* Reads raw bytes from the source; -1 on error (s->err set). */
static ssize_t source_read(struct stream *s, void *buf, size_t cap)
{
    if (s->parent) {
        if (s->window_left == 0) return 0;
        if (cap > s->window_left) cap = (size_t)s->window_left;
        size_t got = stream_read(s->parent, buf, cap);
        s->window_left -= got;
        if (got == 0) {
            const char *why = stream_error(s->parent);
            snprintf(s->err, sizeof s->err, "%s", why ? why : "the container ends inside it");
            return -1;
        }
        return (ssize_t)got;
    }
    ssize_t got;
    do
        got = read(s->fd, buf, cap);
    while (got < 0 && errno == EINTR);
    if (got < 0) snprintf(s->err, sizeof s->err, "%s", strerror(errno));
    if (got > 0) s->fd_bytes += (uint64_t)got;
    if (got > 0 && s->counter) *s->counter += (uint64_t)got;
    return got;
}

void stream_count_into(struct stream *s, uint64_t *counter)
{
    *counter += s->fd_bytes; /* what opening it read ahead */
    s->counter = counter;
}

/* Reads more compressed input; false at the end or on error. */
static bool fill_input(struct stream *s)
{
    if (s->in_eof) return false;
    ssize_t got = source_read(s, s->in, sizeof s->in);
    s->in_eof = got <= 0;
    s->z.next_in = s->in;
    s->z.avail_in = got > 0 ? (uInt)got : 0;
    return got > 0;
}

/* Reads the first bytes to see whether the stream is gzip. */
static void detect(struct stream *s)
{
    ssize_t got = 0;
    while (s->in_len < 2) {
        got = source_read(s, s->in + s->in_len, sizeof s->in - s->in_len);
        if (got <= 0) break;
        s->in_len += (size_t)got;
    }
    s->in_eof = got <= 0 && s->in_len < 2;
    s->is_gzip = s->in_len >= 2 && s->in[0] == 0x1f && s->in[1] == 0x8b;
    if (!s->is_gzip) return;
    s->z.next_in = s->in;
    s->z.avail_in = (uInt)s->in_len;
    if (inflateInit2(&s->z, 16 + MAX_WBITS) != Z_OK) { /* 16: expect a gzip header */
        snprintf(s->err, sizeof s->err, "cannot start decompressing: out of memory");
        s->is_gzip = false;
    }
}

static struct stream *stream_new(void)
{
    struct stream *s = news_xmalloc(sizeof *s);
    memset(s, 0, sizeof *s);
    s->fd = -1;
    return s;
}

struct stream *stream_open_fd(int fd)
{
    struct stream *s = stream_new();
    s->fd = fd;
    detect(s);
    return s;
}

struct stream *stream_open_window(struct stream *parent, uint64_t length)
{
    struct stream *s = stream_new();
    s->parent = parent;
    s->window_left = length;
    detect(s);
    return s;
}

/* After one gzip member: another member follows, or the data ends. Anything else is
 * reported rather than silently dropped. */
static bool next_member(struct stream *s)
{
    if (s->z.avail_in == 0 && !fill_input(s)) return false;
    if (s->z.avail_in < 2 && !s->in_eof) {
        /* The magic may straddle two reads: keep the byte, read more behind it. */
        s->in[0] = s->z.next_in[0];
        ssize_t got = source_read(s, s->in + 1, sizeof s->in - 1);
        s->in_eof = got <= 0;
        s->z.next_in = s->in;
        s->z.avail_in = 1 + (uInt)(got > 0 ? got : 0);
    }
    if (s->z.avail_in >= 2 && s->z.next_in[0] == 0x1f && s->z.next_in[1] == 0x8b) {
        inflateReset(&s->z);
        return true;
    }
    if (!s->err[0])
        snprintf(s->err, sizeof s->err, "unexpected data after the end of the gzip data");
    return false;
}

void stream_unread(struct stream *s, const char *data, size_t len)
{
    size_t left = s->back_len - s->back_pos;
    char *back = news_xmalloc(len + left);
    memcpy(back, data, len);
    if (left) memcpy(back + len, s->back + s->back_pos, left);
    free(s->back);
    s->back = back;
    s->back_len = len + left;
    s->back_pos = 0;
    s->bytes -= len;
}

size_t stream_read(struct stream *s, char *buf, size_t cap)
{
    if (cap == 0) return 0;
    if (s->back_pos < s->back_len) {
        size_t n = s->back_len - s->back_pos < cap ? s->back_len - s->back_pos : cap;
        memcpy(buf, s->back + s->back_pos, n);
        s->back_pos += n;
        s->bytes += n;
        return n;
    }
    if (s->err[0]) return 0;
    if (!s->is_gzip) {
        size_t n = 0;
        if (s->in_pos < s->in_len) {
            n = s->in_len - s->in_pos < cap ? s->in_len - s->in_pos : cap;
            memcpy(buf, s->in + s->in_pos, n);
            s->in_pos += n;
        } else if (!s->in_eof) {
            ssize_t got = source_read(s, buf, cap);
            n = got > 0 ? (size_t)got : 0;
            s->in_eof = got <= 0;
        }
        s->bytes += n;
        return n;
    }
    if (s->gzip_done) return 0;
    uInt want = cap > UINT_MAX / 2 ? UINT_MAX / 2 : (uInt)cap;
    for (;;) {
        if (s->z.avail_in == 0 && !fill_input(s)) {
            if (!s->err[0]) snprintf(s->err, sizeof s->err, "truncated gzip data");
            return 0;
        }
        s->z.next_out = (Bytef *)buf;
        s->z.avail_out = want;
        int rc = inflate(&s->z, Z_NO_FLUSH);
        size_t produced = want - s->z.avail_out;
        s->bytes += produced;
        if (rc == Z_STREAM_END) {
            s->gzip_done = !next_member(s);
            if (produced > 0 || s->gzip_done) return produced;
        } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
            snprintf(s->err, sizeof s->err, "corrupt gzip data (%s)",
                     s->z.msg ? s->z.msg : "inflate failed");
            return produced;
        } else if (produced > 0) {
            return produced;
        }
    }
}

const char *stream_error(const struct stream *s)
{
    return s->err[0] ? s->err : NULL;
}

uint64_t stream_bytes(const struct stream *s)
{
    return s->bytes;
}

bool stream_is_gzip(const struct stream *s)
{
    return s->is_gzip;
}

void stream_close(struct stream *s)
{
    if (!s) return;
    if (s->is_gzip) inflateEnd(&s->z);
    if (s->fd >= 0) close(s->fd);
    free(s->back);
    /* Leave the parent at the end of the window, read or not. */
    char skip[4096];
    while (s->parent && s->window_left > 0) {
        size_t n = s->window_left < sizeof skip ? (size_t)s->window_left : sizeof skip;
        size_t got = stream_read(s->parent, skip, n);
        if (got == 0) break;
        s->window_left -= got;
    }
    free(s);
}
