/* input.c: files, directories, gzip and stdin, cut into records. All I/O of the indexer's
 * input is here; everything after it works on bytes in memory. */
/* realpath() is X/Open. */
#define _XOPEN_SOURCE 700
#include "input.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "error.h"

enum { SNIFF_BYTES = 64 * 1024, SNIFF_MIN_BYTES = 512, READ_CHUNK = 64 * 1024, MAX_DIR_DEPTH = 64 };

enum input_format input_sniff(const char *data, size_t len)
{
    const unsigned char *p = (const unsigned char *)data;
    size_t n = len < SNIFF_BYTES ? len : SNIFF_BYTES;
    bool utf16 = n >= 2 && ((p[0] == 0xFF && p[1] == 0xFE) || (p[0] == 0xFE && p[1] == 0xFF));
    size_t controls = 0;
    for (size_t i = 0; i < n && !utf16; i++) {
        if (p[i] == 0) return INPUT_AUTO;
        if (p[i] < 0x20 && p[i] != '\n' && p[i] != '\r' && p[i] != '\t' && p[i] != '\f') controls++;
    }
    if (controls * 20 > n) return INPUT_AUTO;
    size_t i = (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) ? 3 : 0;
    while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
        i++;
    return i < n && p[i] == '{' ? INPUT_JSONL : INPUT_TEXT;
}

/* An open input stream, file or stdin, plain or gzip (one or more members, as .warc.gz
 * and concatenated .gz files have). Read with read(2), so a pipe delivers records as
 * they arrive. */
struct stream {
    int fd;
    const char *path;
    const char *abs_path;
    bool is_gzip, in_eof, gzip_done;
    z_stream z;
    unsigned char in[READ_CHUNK];
    size_t in_len, in_pos; /* plain streams: bytes read ahead while sniffing */
    uint64_t bytes;        /* decompressed bytes delivered so far */
    char err[256];         /* why reading stopped early, if it did */
};

/* Reads more compressed input; false at the end or on error. */
static bool fill_input(struct stream *s)
{
    if (s->in_eof) return false;
    ssize_t got;
    do
        got = read(s->fd, s->in, sizeof s->in);
    while (got < 0 && errno == EINTR);
    if (got < 0) {
        snprintf(s->err, sizeof s->err, "%s", strerror(errno));
        return false;
    }
    s->in_eof = got == 0;
    s->z.next_in = s->in;
    s->z.avail_in = (uInt)got;
    return got > 0;
}

/* Opens fd (taking ownership): reads the first bytes to see whether it is gzip. Returns
 * false with s->err set when it cannot. */
static bool stream_open(struct stream *s, int fd)
{
    s->fd = fd;
    ssize_t got = 0;
    while (s->in_len < 2) {
        do
            got = read(fd, s->in + s->in_len, sizeof s->in - s->in_len);
        while (got < 0 && errno == EINTR);
        if (got <= 0) break;
        s->in_len += (size_t)got;
    }
    if (got < 0) {
        snprintf(s->err, sizeof s->err, "%s", strerror(errno));
        return false;
    }
    s->in_eof = got == 0;
    s->is_gzip = s->in_len >= 2 && s->in[0] == 0x1f && s->in[1] == 0x8b;
    if (!s->is_gzip) return true;
    s->z.next_in = s->in;
    s->z.avail_in = (uInt)s->in_len;
    if (inflateInit2(&s->z, 16 + MAX_WBITS) != Z_OK) { /* 16: expect a gzip header */
        snprintf(s->err, sizeof s->err, "cannot start decompressing: out of memory");
        s->is_gzip = false;
        return false;
    }
    return true;
}

static void stream_close(struct stream *s)
{
    if (s->is_gzip) inflateEnd(&s->z);
    close(s->fd);
}

/* After one gzip member: another member follows, or the data ends. Anything else is
 * reported rather than silently dropped. */
static bool next_member(struct stream *s)
{
    if (s->z.avail_in == 0 && !fill_input(s)) return false;
    if (s->z.avail_in < 2 && !s->in_eof) {
        /* The magic may straddle two reads: keep the byte, read more behind it. */
        unsigned char first = s->z.next_in[0];
        s->in[0] = first;
        ssize_t got;
        do
            got = read(s->fd, s->in + 1, sizeof s->in - 1);
        while (got < 0 && errno == EINTR);
        s->in_eof = got <= 0;
        s->z.next_in = s->in;
        s->z.avail_in = 1 + (uInt)(got > 0 ? got : 0);
    }
    if (s->z.avail_in >= 2 && s->z.next_in[0] == 0x1f && s->z.next_in[1] == 0x8b) {
        inflateReset(&s->z);
        return true;
    }
    snprintf(s->err, sizeof s->err, "unexpected data after the end of the gzip data");
    return false;
}

/* Reads up to cap bytes; returns the count (0 at the end). Sets s->err on a read or
 * decompression error, after returning what could be read before it. */
static size_t stream_read(struct stream *s, char *buf, size_t cap)
{
    if (s->err[0] || cap == 0) return 0;
    if (!s->is_gzip) {
        size_t n = 0;
        if (s->in_pos < s->in_len) {
            n = s->in_len - s->in_pos < cap ? s->in_len - s->in_pos : cap;
            memcpy(buf, s->in + s->in_pos, n);
            s->in_pos += n;
        } else if (!s->in_eof) {
            ssize_t got;
            do
                got = read(s->fd, buf, cap);
            while (got < 0 && errno == EINTR);
            if (got < 0) snprintf(s->err, sizeof s->err, "%s", strerror(errno));
            n = got > 0 ? (size_t)got : 0;
            s->in_eof = got == 0;
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

static void reject(const struct input_callbacks *cb, void *ctx, const char *path, size_t record,
                   const char *kind, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static void reject(const struct input_callbacks *cb, void *ctx, const char *path, size_t record,
                   const char *kind, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    cb->on_reject(ctx, path, record, kind, msg);
}

/* One walk over the user's inputs: the callbacks, and the stream and buffer that every
 * file reuses (allocating them per file made the heap grow and shrink for each one). */
struct walk {
    const struct input_callbacks *cb;
    void *ctx;
    enum input_format forced;
    struct stream *s;
    char *buf;
    size_t cap;
};

/* Grows the walk's buffer to at least want bytes (never past the record limit). */
static void grow(struct walk *w, size_t want)
{
    if (want <= w->cap) return;
    size_t cap = w->cap ? w->cap : READ_CHUNK;
    while (cap < want)
        cap *= 2;
    if (cap > INPUT_MAX_RECORD_BYTES) cap = INPUT_MAX_RECORD_BYTES;
    w->buf = news_xrealloc(w->buf, cap);
    w->cap = cap;
}

/* A whole file is one plain-text article; len bytes of it are in the buffer already. */
static bool read_text(struct walk *w, size_t len)
{
    struct stream *s = w->s;
    for (;;) {
        if (len == w->cap) {
            if (w->cap >= INPUT_MAX_RECORD_BYTES) {
                reject(w->cb, w->ctx, s->path, 0, "too large",
                       "larger than %zu MiB, too large for one plain-text article",
                       INPUT_MAX_RECORD_BYTES >> 20);
                return true;
            }
            grow(w, w->cap * 2);
        }
        size_t got = stream_read(s, w->buf + len, w->cap - len);
        if (got == 0) break;
        len += got;
    }
    if (s->err[0]) {
        reject(w->cb, w->ctx, s->path, 0, "unreadable", "%s after %zu bytes", s->err, len);
        return true;
    }
    struct input_record rec = {s->path, s->abs_path, 1, 0, w->buf, len, INPUT_TEXT};
    return w->cb->on_record(w->ctx, &rec);
}

/* One JSON object per line; len bytes are in the buffer already. Blank lines are skipped;
 * an overlong line is rejected and skipped to its end without holding it in memory. */
static bool read_jsonl(struct walk *w, size_t len)
{
    struct stream *s = w->s;
    size_t line_no = 1, start = 0, scan = 0;
    uint64_t base = 0; /* file offset of buf[0] */
    bool eof = false, skipping = false, go_on = true;
    while (go_on) {
        char *nl = memchr(w->buf + scan, '\n', len - scan);
        if (!nl && !eof) {
            /* Need more: slide the partial line to the front, grow if it is long. */
            if (start > 0) {
                memmove(w->buf, w->buf + start, len - start);
                base += start;
                len -= start;
                scan -= start;
                start = 0;
            }
            if (len == w->cap) {
                if (w->cap >= INPUT_MAX_RECORD_BYTES) {
                    if (!skipping)
                        reject(w->cb, w->ctx, s->path, line_no, "too large",
                               "line %zu is longer than %zu MiB", line_no,
                               INPUT_MAX_RECORD_BYTES >> 20);
                    skipping = true;
                    base += len;
                    len = 0;
                } else {
                    grow(w, w->cap * 2);
                }
            }
            scan = len;
            size_t got = stream_read(s, w->buf + len, w->cap - len);
            if (got == 0) eof = true;
            len += got;
            continue;
        }
        size_t end = nl ? (size_t)(nl - w->buf) : len;
        if (skipping) {
            skipping = false;
        } else {
            size_t i = start;
            while (i < end && (w->buf[i] == ' ' || w->buf[i] == '\t' || w->buf[i] == '\r'))
                i++;
            if (i < end) {
                struct input_record rec = {s->path,        s->abs_path, line_no,    base + start,
                                           w->buf + start, end - start, INPUT_JSONL};
                go_on = w->cb->on_record(w->ctx, &rec);
            }
        }
        if (!nl) break;
        line_no++;
        start = scan = end + 1;
    }
    if (go_on && s->err[0])
        reject(w->cb, w->ctx, s->path, line_no, "unreadable", "%s at line %zu", s->err, line_no);
    return go_on;
}

/* Reads one open file (fd is taken over; path "-" is stdin). */
static bool read_file(struct walk *w, const char *path, int fd)
{
    struct stream *s = w->s;
    memset(s, 0, sizeof *s);
    s->path = path;
    char abs[PATH_MAX];
    s->abs_path = strcmp(path, "-") == 0 ? "-" : (realpath(path, abs) ? abs : path);
    bool go_on = true;
    if (!stream_open(s, fd)) {
        reject(w->cb, w->ctx, path, 0, "unreadable", "%s", s->err);
        goto done;
    }
    /* Enough to recognise the format; a pipe is not waited on for more than that. */
    size_t len = 0, got;
    while (len < SNIFF_MIN_BYTES && (got = stream_read(s, w->buf + len, w->cap - len)) > 0)
        len += got;
    enum input_format format = w->forced ? w->forced : input_sniff(w->buf, len);
    if (s->err[0] && len == 0)
        reject(w->cb, w->ctx, path, 0, "unreadable", "%s", s->err);
    else if (len == 0)
        reject(w->cb, w->ctx, path, 0, "empty file", "empty file");
    else if (format == INPUT_AUTO)
        reject(w->cb, w->ctx, path, 0, "not text", "binary data, not a news article");
    else if (format == INPUT_JSONL)
        go_on = read_jsonl(w, len);
    else
        go_on = read_text(w, len);
done:
    w->cb->on_file(w->ctx, path, s->bytes);
    stream_close(s);
    /* Keep a buffer that one huge record grew from holding on to its memory. */
    if (w->cap > 4 * READ_CHUNK) {
        w->buf = news_xrealloc(w->buf, READ_CHUNK);
        w->cap = READ_CHUNK;
    }
    return go_on;
}

struct dir_ancestor {
    dev_t dev;
    ino_t ino;
    const struct dir_ancestor *up;
};

static int not_hidden(const struct dirent *e)
{
    return e->d_name[0] != '.';
}

static bool read_any(struct walk *w, const char *path, const struct dir_ancestor *up, int depth);

static bool read_dir(struct walk *w, const char *path, const struct stat *st,
                     const struct dir_ancestor *up, int depth)
{
    for (const struct dir_ancestor *a = up; a; a = a->up) {
        if (a->dev == st->st_dev && a->ino == st->st_ino) {
            reject(w->cb, w->ctx, path, 0, "unreadable",
                   "directory loop (a link to a parent), skipped");
            return true;
        }
    }
    if (depth > MAX_DIR_DEPTH) {
        reject(w->cb, w->ctx, path, 0, "unreadable", "directories nested deeper than %d, skipped",
               MAX_DIR_DEPTH);
        return true;
    }
    struct dirent **names = NULL;
    int n = scandir(path, &names, not_hidden, alphasort);
    if (n < 0) {
        reject(w->cb, w->ctx, path, 0, "unreadable", "cannot list directory: %s", strerror(errno));
        return true;
    }
    struct dir_ancestor here = {st->st_dev, st->st_ino, up};
    bool go_on = true;
    size_t plen = strlen(path);
    bool slash = plen > 0 && path[plen - 1] == '/';
    for (int i = 0; i < n; i++) {
        if (go_on) {
            size_t size = plen + strlen(names[i]->d_name) + 2;
            char *child = news_xmalloc(size);
            snprintf(child, size, "%s%s%s", path, slash ? "" : "/", names[i]->d_name);
            go_on = read_any(w, child, &here, depth + 1);
            free(child);
        }
        free(names[i]);
    }
    free(names);
    return go_on;
}

static bool read_any(struct walk *w, const char *path, const struct dir_ancestor *up, int depth)
{
    int fd;
    if (strcmp(path, "-") == 0) {
        fd = dup(STDIN_FILENO);
        if (fd < 0) {
            reject(w->cb, w->ctx, path, 0, "unreadable", "cannot read standard input: %s",
                   strerror(errno));
            return true;
        }
        return read_file(w, path, fd);
    }
    struct stat st;
    if (stat(path, &st) != 0) {
        reject(w->cb, w->ctx, path, 0, "unreadable", "%s", strerror(errno));
        return true;
    }
    if (S_ISDIR(st.st_mode)) return read_dir(w, path, &st, up, depth);
    if (!S_ISREG(st.st_mode)) {
        reject(w->cb, w->ctx, path, 0, "unreadable", "not a regular file, skipped");
        return true;
    }
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        reject(w->cb, w->ctx, path, 0, "unreadable", "%s", strerror(errno));
        return true;
    }
    return read_file(w, path, fd);
}

bool input_read_path(const char *path, enum input_format forced, const struct input_callbacks *cb,
                     void *ctx)
{
    struct walk w = {cb, ctx, forced, news_xmalloc(sizeof *w.s), NULL, 0};
    grow(&w, SNIFF_BYTES);
    bool go_on = read_any(&w, path, NULL, 0);
    free(w.s);
    free(w.buf);
    return go_on;
}
