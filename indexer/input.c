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
        if (p[i] < 0x20 && p[i] != '\n' && p[i] != '\r' && p[i] != '\t' && p[i] != '\f')
            controls++;
    }
    if (controls * 20 > n) return INPUT_AUTO;
    size_t i = (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) ? 3 : 0;
    while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n')) i++;
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
    do got = read(s->fd, s->in, sizeof s->in);
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
        do got = read(fd, s->in + s->in_len, sizeof s->in - s->in_len);
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
        do got = read(s->fd, s->in + 1, sizeof s->in - 1);
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
            do got = read(s->fd, buf, cap);
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

/* A whole file is one plain-text article. */
static bool read_text(struct stream *s, char *buf, size_t len, const struct input_callbacks *cb,
                      void *ctx)
{
    size_t cap = len > READ_CHUNK ? len : READ_CHUNK;
    buf = news_xrealloc(buf, cap);
    for (;;) {
        if (len == cap) {
            if (cap >= INPUT_MAX_RECORD_BYTES) {
                reject(cb, ctx, s->path, 0, "too large",
                       "larger than %zu MiB, too large for one plain-text article",
                       INPUT_MAX_RECORD_BYTES >> 20);
                free(buf);
                return true;
            }
            cap = cap * 2 > INPUT_MAX_RECORD_BYTES ? INPUT_MAX_RECORD_BYTES : cap * 2;
            buf = news_xrealloc(buf, cap);
        }
        size_t got = stream_read(s, buf + len, cap - len);
        if (got == 0) break;
        len += got;
    }
    bool go_on = true;
    if (s->err[0]) {
        reject(cb, ctx, s->path, 0, "unreadable", "%s after %zu bytes", s->err, len);
    } else {
        struct input_record rec = {s->path, s->abs_path, 1, 0, buf, len, INPUT_TEXT};
        go_on = cb->on_record(ctx, &rec);
    }
    free(buf);
    return go_on;
}

/* One JSON object per line; blank lines are skipped, an overlong line is rejected and
 * skipped to its end without holding it in memory. */
static bool read_jsonl(struct stream *s, char *buf, size_t len, const struct input_callbacks *cb,
                       void *ctx)
{
    size_t cap = READ_CHUNK > len ? READ_CHUNK : len;
    buf = news_xrealloc(buf, cap);
    size_t line_no = 1, start = 0, scan = 0;
    uint64_t base = 0; /* file offset of buf[0] */
    bool eof = false, skipping = false, go_on = true;
    while (go_on) {
        char *nl = memchr(buf + scan, '\n', len - scan);
        if (!nl && !eof) {
            /* Need more: slide the partial line to the front, grow if it is long. */
            if (start > 0) {
                memmove(buf, buf + start, len - start);
                base += start;
                len -= start;
                scan -= start;
                start = 0;
            }
            if (len == cap) {
                if (cap >= INPUT_MAX_RECORD_BYTES) {
                    if (!skipping)
                        reject(cb, ctx, s->path, line_no, "too large",
                               "line %zu is longer than %zu MiB", line_no,
                               INPUT_MAX_RECORD_BYTES >> 20);
                    skipping = true;
                    base += len;
                    len = scan = 0;
                } else {
                    cap = cap * 2 > INPUT_MAX_RECORD_BYTES ? INPUT_MAX_RECORD_BYTES : cap * 2;
                    buf = news_xrealloc(buf, cap);
                }
            }
            scan = len;
            size_t got = stream_read(s, buf + len, cap - len);
            if (got == 0) eof = true;
            len += got;
            continue;
        }
        size_t end = nl ? (size_t)(nl - buf) : len;
        if (skipping) {
            skipping = false;
        } else {
            size_t i = start;
            while (i < end && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r')) i++;
            if (i < end) {
                struct input_record rec = {s->path, s->abs_path, line_no, base + start,
                                           buf + start, end - start, INPUT_JSONL};
                go_on = cb->on_record(ctx, &rec);
            }
        }
        if (!nl) break;
        line_no++;
        start = scan = end + 1;
    }
    if (go_on && s->err[0])
        reject(cb, ctx, s->path, line_no, "unreadable", "%s at line %zu", s->err, line_no);
    free(buf);
    return go_on;
}

/* Reads one open file (fd is taken over; path "-" is stdin). */
static bool read_file(const char *path, int fd, enum input_format forced,
                      const struct input_callbacks *cb, void *ctx)
{
    struct stream *s = news_xmalloc(sizeof *s);
    memset(s, 0, sizeof *s);
    s->path = path;
    char abs[PATH_MAX];
    s->abs_path = strcmp(path, "-") == 0 ? "-" : (realpath(path, abs) ? abs : path);
    bool go_on = true;
    if (!stream_open(s, fd)) {
        reject(cb, ctx, path, 0, "unreadable", "%s", s->err);
        goto done;
    }
    char *buf = news_xmalloc(SNIFF_BYTES);
    size_t len = 0, got;
    /* Enough to recognise the format; a pipe is not waited on for more than that. */
    while (len < SNIFF_MIN_BYTES && (got = stream_read(s, buf + len, SNIFF_BYTES - len)) > 0)
        len += got;
    enum input_format format = forced ? forced : input_sniff(buf, len);
    if (s->err[0] && len == 0) {
        reject(cb, ctx, path, 0, "unreadable", "%s", s->err);
        free(buf);
    } else if (len == 0) {
        reject(cb, ctx, path, 0, "empty file", "empty file");
        free(buf);
    } else if (format == INPUT_AUTO) {
        reject(cb, ctx, path, 0, "not text", "binary data, not a news article");
        free(buf);
    } else if (format == INPUT_JSONL) {
        go_on = read_jsonl(s, buf, len, cb, ctx);
    } else {
        go_on = read_text(s, buf, len, cb, ctx);
    }
done:
    cb->on_file(ctx, path, s->bytes);
    stream_close(s);
    free(s);
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

static bool read_any(const char *path, enum input_format forced, const struct input_callbacks *cb,
                     void *ctx, const struct dir_ancestor *up, int depth);

static bool read_dir(const char *path, const struct stat *st, enum input_format forced,
                     const struct input_callbacks *cb, void *ctx, const struct dir_ancestor *up,
                     int depth)
{
    for (const struct dir_ancestor *a = up; a; a = a->up) {
        if (a->dev == st->st_dev && a->ino == st->st_ino) {
            reject(cb, ctx, path, 0, "unreadable", "directory loop (a link to a parent), skipped");
            return true;
        }
    }
    if (depth > MAX_DIR_DEPTH) {
        reject(cb, ctx, path, 0, "unreadable", "directories nested deeper than %d, skipped",
               MAX_DIR_DEPTH);
        return true;
    }
    struct dirent **names = NULL;
    int n = scandir(path, &names, not_hidden, alphasort);
    if (n < 0) {
        reject(cb, ctx, path, 0, "unreadable", "cannot list directory: %s", strerror(errno));
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
            go_on = read_any(child, forced, cb, ctx, &here, depth + 1);
            free(child);
        }
        free(names[i]);
    }
    free(names);
    return go_on;
}

static bool read_any(const char *path, enum input_format forced, const struct input_callbacks *cb,
                     void *ctx, const struct dir_ancestor *up, int depth)
{
    if (strcmp(path, "-") == 0) {
        int fd = dup(STDIN_FILENO);
        if (fd < 0) {
            reject(cb, ctx, path, 0, "unreadable", "cannot read standard input: %s",
                   strerror(errno));
            return true;
        }
        return read_file(path, fd, forced, cb, ctx);
    }
    struct stat st;
    if (stat(path, &st) != 0) {
        reject(cb, ctx, path, 0, "unreadable", "%s", strerror(errno));
        return true;
    }
    if (S_ISDIR(st.st_mode)) return read_dir(path, &st, forced, cb, ctx, up, depth);
    if (!S_ISREG(st.st_mode)) {
        reject(cb, ctx, path, 0, "unreadable", "not a regular file, skipped");
        return true;
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        reject(cb, ctx, path, 0, "unreadable", "%s", strerror(errno));
        return true;
    }
    return read_file(path, fd, forced, cb, ctx);
}

bool input_read_path(const char *path, enum input_format forced, const struct input_callbacks *cb,
                     void *ctx)
{
    return read_any(path, forced, cb, ctx, NULL, 0);
}
