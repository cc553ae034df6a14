/* input.c: files, directories, stdin and containers (gzip, tar, WARC, ARC), cut into records.
 * All I/O of the indexer's input is here; everything after it works on bytes in memory. */
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

#include "arc.h"
#include "error.h"
#include "sgml.h"
#include "stream.h"
#include "textfmt.h"
#include "warc.h"
#include "xmlnews.h"

enum {
    SNIFF_BYTES = 4096,     /* read before deciding what a file is */
    READ_CHUNK = 64 * 1024, /* reads, and the buffers' starting size */
    MAX_DIR_DEPTH = 64,
    MAX_NESTING = 4, /* a tar member inside a tar inside a tar... */
    TAR_BLOCK = 512
};

static const char *const format_names[] = {
    [INPUT_AUTO] = "auto",     [INPUT_TEXT] = "text",       [INPUT_JSONL] = "jsonl",
    [INPUT_JSON] = "json",     [INPUT_HTML] = "html",       [INPUT_FEED] = "feed",
    [INPUT_NEWSML] = "newsml", [INPUT_REUTERS] = "reuters", [INPUT_TREC] = "trec",
    [INPUT_BINARY] = "binary", [INPUT_TAR] = "tar",         [INPUT_WARC] = "warc",
    [INPUT_ARC] = "arc"};

const char *input_format_name(enum input_format f)
{
    return (size_t)f < INPUT_FORMAT_COUNT && format_names[f] ? format_names[f] : "?";
}

/* Case-insensitive prefix test for ASCII markup names. */
static bool starts_with_ci(const char *s, size_t len, const char *prefix)
{
    size_t n = strlen(prefix);
    if (len < n) return false;
    for (size_t i = 0; i < n; i++) {
        char a = s[i], b = prefix[i];
        if (a >= 'A' && a <= 'Z') a = (char)(a - 'A' + 'a');
        if (a != b) return false;
    }
    return true;
}

/* Whether s starts with an HTML start tag <NAME followed by '>', '/' or a space, NAME
 * being an element of a page or of a fragment of one (a feed item's content, a saved
 * extract). */
static bool html_tag(const char *s, size_t len)
{
    static const char *const names[] = {
        "html", "head", "body",   "meta",  "title",  "div",    "article", "section", "main",
        "p",    "h1",   "h2",     "h3",    "h4",     "h5",     "h6",      "img",     "a",
        "span", "ul",   "ol",     "table", "figure", "header", "footer",  "nav",     "blockquote",
        "br",   "em",   "strong", "b",     "i",      "link",   "script",  "style",   "form"};
    if (len < 2 || s[0] != '<') return false;
    size_t n = 1;
    while (n < len && ((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= 'A' && s[n] <= 'Z') ||
                       (s[n] >= '0' && s[n] <= '9')))
        n++;
    if (n == len || !(s[n] == '>' || s[n] == '/' || s[n] == ' ' || s[n] == '\t' || s[n] == '\r' ||
                      s[n] == '\n'))
        return false;
    for (size_t j = 0; j < sizeof names / sizeof *names; j++)
        if (strlen(names[j]) == n - 1 && starts_with_ci(s + 1, n - 1, names[j])) return true;
    return false;
}

/* Does this markup look like a web page, or a fragment of one? Looks at the tags in what
 * was read, past comments. */
static bool looks_like_html(const char *s, size_t len)
{
    for (size_t i = 0; i + 1 < len; i++) {
        if (s[i] != '<') continue;
        if (starts_with_ci(s + i, len - i, "<!doctype html") || html_tag(s + i, len - i))
            return true;
    }
    return false;
}

enum input_format input_sniff(const char *data, size_t len)
{
    const unsigned char *p = (const unsigned char *)data;
    size_t n = len < SNIFF_BYTES ? len : SNIFF_BYTES;
    if (n >= TAR_BLOCK && memcmp(data + 257, "ustar", 5) == 0) return INPUT_TAR;
    if (warc_sniff(data, n)) return INPUT_WARC;
    if (arc_sniff(data, n)) return INPUT_ARC;
    bool utf16 = n >= 2 && ((p[0] == 0xFF && p[1] == 0xFE) || (p[0] == 0xFE && p[1] == 0xFF));
    size_t controls = 0;
    for (size_t i = 0; i < n && !utf16; i++) {
        if (p[i] == 0) return INPUT_BINARY;
        if (p[i] < 0x20 && p[i] != '\n' && p[i] != '\r' && p[i] != '\t' && p[i] != '\f') controls++;
    }
    if (controls * 20 > n) return INPUT_BINARY;
    size_t i = (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) ? 3 : 0;
    while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
        i++;
    if (i < n && p[i] == '[') return INPUT_JSON;
    if (i < n && p[i] == '{') {
        /* JSON Lines put a whole object on the first line; a pretty-printed document
         * does not. A first line longer than what was read is taken as JSON Lines. */
        const char *nl = memchr(data + i, '\n', n - i);
        if (!nl) return INPUT_JSONL;
        size_t end = (size_t)(nl - data);
        while (end > i && (p[end - 1] == '\r' || p[end - 1] == ' ' || p[end - 1] == '\t'))
            end--;
        return p[end - 1] == '}' ? INPUT_JSONL : INPUT_JSON;
    }
    if (i >= n || p[i] != '<') return INPUT_TEXT;
    switch (sgml_sniff(data, n)) {
    case SGML_REUTERS:
        return INPUT_REUTERS;
    case SGML_TREC:
        return INPUT_TREC;
    case SGML_NONE:
        break;
    }
    switch (xmlnews_sniff(data, n)) {
    case XMLNEWS_FEED:
        return INPUT_FEED;
    case XMLNEWS_NEWSML:
        return INPUT_NEWSML;
    case XMLNEWS_NONE:
        break;
    }
    return looks_like_html(data + i, n - i) ? INPUT_HTML : INPUT_TEXT;
}

/* One level of nesting: a file, or a member of the container above it. Each level keeps
 * its buffer across files (allocating per file made the heap grow and shrink each time). */
struct level {
    char *buf;
    size_t cap;
};

/* One walk over the user's inputs. */
struct walk {
    const struct input_callbacks *cb;
    void *ctx;
    enum input_format forced;
    struct level levels[MAX_NESTING + 1];
};

/* What is being read at one level. */
struct file {
    struct walk *w;
    struct level *lv;
    int depth;
    const char *path, *abs_path;
    struct stream *s;
    bool is_fallback; /* read as plain text only because nothing else matched */
};

static void reject(const struct file *f, size_t record, const char *kind, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void reject(const struct file *f, size_t record, const char *kind, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    f->w->cb->on_reject(f->w->ctx, f->path, record, kind, msg);
}

/* Grows the level's buffer to at least want bytes (never past the record limit). */
static void grow(struct level *lv, size_t want)
{
    if (want <= lv->cap) return;
    size_t cap = lv->cap ? lv->cap : READ_CHUNK;
    while (cap < want)
        cap *= 2;
    if (cap > INPUT_MAX_RECORD_BYTES) cap = INPUT_MAX_RECORD_BYTES;
    lv->buf = news_xrealloc(lv->buf, cap);
    lv->cap = cap;
}

/* Reads until the buffer holds want bytes or the stream ends; returns the length held. */
static size_t fill_to(struct file *f, size_t len, size_t want)
{
    grow(f->lv, want);
    while (len < want) {
        size_t got = stream_read(f->s, f->lv->buf + len, want - len);
        if (got == 0) break;
        len += got;
    }
    return len;
}

static bool emit(struct file *f, enum input_format format, size_t record, uint64_t offset,
                 const char *data, size_t len)
{
    struct input_record rec = {.path = f->path,
                               .abs_path = f->abs_path,
                               .record = record,
                               .offset = offset,
                               .data = data,
                               .len = len,
                               .format = format,
                               .is_fallback = f->is_fallback};
    return f->w->cb->on_record(f->w->ctx, &rec);
}

/* The whole file is one record (a text article, a page, a feed); len bytes are read. */
static bool read_whole(struct file *f, enum input_format format, size_t len)
{
    for (;;) {
        if (len == f->lv->cap) {
            if (f->lv->cap >= INPUT_MAX_RECORD_BYTES) {
                reject(f, 0, "too large", "larger than %zu MiB, too large to read as %s",
                       INPUT_MAX_RECORD_BYTES >> 20, input_format_name(format));
                return true;
            }
            grow(f->lv, f->lv->cap * 2);
        }
        size_t got = stream_read(f->s, f->lv->buf + len, f->lv->cap - len);
        if (got == 0) break;
        len += got;
    }
    if (stream_error(f->s)) {
        reject(f, 0, "unreadable", "%s after %zu bytes", stream_error(f->s), len);
        return true;
    }
    return emit(f, format, 1, 0, f->lv->buf, len);
}

/* First occurrence of needle (n bytes) in hay[0..len), or NULL. */
static const char *find(const char *hay, size_t len, const char *needle, size_t n)
{
    if (n == 0 || len < n) return NULL;
    const char *end = hay + len - n + 1; /* one past the last possible start */
    for (const char *p = hay; p < end; p++) {
        p = memchr(p, needle[0], (size_t)(end - p));
        if (!p) return NULL;
        if (memcmp(p, needle, n) == 0) return p;
    }
    return NULL;
}

/* A record of a delimited format: a JSON line, or an SGML record ending at its end tag.
 * Passes it on, trimmed to where it starts. */
static bool delimited_record(struct file *f, enum input_format format, size_t record,
                             uint64_t offset, const char *data, size_t len)
{
    if (format == INPUT_JSONL) {
        size_t i = 0;
        while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r'))
            i++;
        return i == len ? true : emit(f, format, record, offset, data, len);
    }
    /* SGML: skip what precedes the start tag (a DOCTYPE line, blank lines). */
    const char *start = format == INPUT_REUTERS ? "<REUTERS" : "<DOC>";
    const char *p = find(data, len, start, strlen(start));
    if (!p) {
        size_t i = 0;
        while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n'))
            i++;
        if (i < len && !(record == 1 && i + 1 < len && data[i] == '<' && data[i + 1] == '!'))
            reject(f, record, "malformed", "text outside any %s record", start + 1);
        return true;
    }
    size_t skip = (size_t)(p - data);
    return emit(f, format, record, offset + skip, p, len - skip);
}

/* Cuts the stream into records at delim (kept with the record when keep_delim: an SGML end
 * tag; dropped otherwise: a newline). A record longer than the limit is rejected and
 * skipped to its end without being held in memory. len bytes are in the buffer already. */
static bool read_delimited(struct file *f, enum input_format format, size_t len)
{
    const char *delim = format == INPUT_JSONL
                            ? "\n"
                            : sgml_end_tag(format == INPUT_REUTERS ? SGML_REUTERS : SGML_TREC);
    size_t dlen = strlen(delim);
    bool keep_delim = format != INPUT_JSONL;
    size_t record = 1, start = 0, scan = 0;
    uint64_t base = 0; /* file offset of buf[0] */
    bool eof = false, skipping = false, go_on = true;
    grow(f->lv, READ_CHUNK);
    while (go_on) {
        const char *hit = find(f->lv->buf + scan, len - scan, delim, dlen);
        if (!hit && !eof) {
            /* Need more: slide the partial record to the front, grow if it is long. */
            if (start > 0) {
                memmove(f->lv->buf, f->lv->buf + start, len - start);
                base += start;
                len -= start;
                start = 0;
            }
            if (len == f->lv->cap) {
                if (f->lv->cap >= INPUT_MAX_RECORD_BYTES) {
                    if (!skipping)
                        reject(f, record, "too large", "record %zu is longer than %zu MiB", record,
                               INPUT_MAX_RECORD_BYTES >> 20);
                    skipping = true;
                    /* Keep the tail: the delimiter may straddle the cut. */
                    size_t keep = dlen - 1;
                    memmove(f->lv->buf, f->lv->buf + len - keep, keep);
                    base += len - keep;
                    len = keep;
                } else {
                    grow(f->lv, f->lv->cap * 2);
                }
            }
            scan = len >= dlen ? len - (dlen - 1) : 0;
            size_t got = stream_read(f->s, f->lv->buf + len, f->lv->cap - len);
            if (got == 0) eof = true;
            len += got;
            continue;
        }
        size_t end = hit ? (size_t)(hit - f->lv->buf) : len;
        size_t rec_end = hit && keep_delim ? end + dlen : end;
        if (skipping)
            skipping = false;
        else if (rec_end > start)
            go_on = delimited_record(f, format, record, base + start, f->lv->buf + start,
                                     rec_end - start);
        if (!hit) break;
        record++;
        start = scan = end + dlen;
    }
    if (go_on && stream_error(f->s))
        reject(f, record, "unreadable", "%s in record %zu", stream_error(f->s), record);
    return go_on;
}

static bool read_stream(struct file *f);

/* Reads len bytes, or as many as s holds: a read returns what has arrived (a pipe, a gzip
 * member cut between two reads of compressed input), so one read may be short. */
static size_t read_exactly(struct stream *s, char *buf, size_t len)
{
    size_t got = 0;
    while (got < len) {
        size_t n = stream_read(s, buf + got, len - got);
        if (n == 0) break;
        got += n;
    }
    return got;
}

/* Reads a tar archive: every regular member is read as a file of its own. The len bytes
 * sniffed are given back to the stream first. */
static bool read_tar(struct file *f, size_t len)
{
    char hdr[TAR_BLOCK];
    stream_unread(f->s, f->lv->buf, len);
    char long_name[4096] = "";
    bool go_on = true;
    for (size_t member = 1; go_on; member++) {
        size_t got = read_exactly(f->s, hdr, TAR_BLOCK);
        if (got == 0) break;
        if (got < TAR_BLOCK) {
            reject(f, member, "unreadable", "the tar archive ends inside a header%s%s",
                   stream_error(f->s) ? ": " : "", stream_error(f->s) ? stream_error(f->s) : "");
            break;
        }
        bool zero = true;
        for (size_t i = 0; i < TAR_BLOCK && zero; i++)
            zero = hdr[i] == 0;
        if (zero) break; /* the end-of-archive blocks */
        unsigned sum = 0, want = 0;
        for (size_t i = 0; i < TAR_BLOCK; i++)
            sum += (i >= 148 && i < 156) ? ' ' : (unsigned char)hdr[i];
        for (size_t i = 148; i < 156 && hdr[i] >= '0' && hdr[i] <= '7'; i++)
            want = want * 8 + (unsigned)(hdr[i] - '0');
        if (sum != want) {
            reject(f, member, "malformed", "not a tar header (bad checksum); the rest is skipped");
            break;
        }
        uint64_t size = 0;
        if ((unsigned char)hdr[124] & 0x80) { /* base-256 */
            for (size_t i = 125; i < 136; i++)
                size = (size << 8) | (unsigned char)hdr[i];
        } else {
            for (size_t i = 124; i < 136 && hdr[i] >= '0' && hdr[i] <= '7'; i++)
                size = size * 8 + (uint64_t)(hdr[i] - '0');
        }
        char type = hdr[156];
        char name[4096];
        if (long_name[0]) {
            snprintf(name, sizeof name, "%s", long_name);
            long_name[0] = '\0';
        } else if (memcmp(hdr + 257, "ustar", 5) == 0 && hdr[345]) {
            snprintf(name, sizeof name, "%.155s/%.100s", hdr + 345, hdr);
        } else {
            snprintf(name, sizeof name, "%.100s", hdr);
        }
        /* The member's data, read as a file, or skipped. */
        struct stream *member_stream = stream_open_window(f->s, size);
        if (type == 'L' && size < sizeof long_name) { /* GNU long name for the next member */
            size_t n = read_exactly(member_stream, long_name, (size_t)size);
            long_name[n] = '\0';
        } else if (type == 'x' && size < 65536) { /* pax: "LEN path=NAME\n" records */
            char *pax = news_xmalloc((size_t)size + 1);
            size_t n = read_exactly(member_stream, pax, (size_t)size);
            pax[n] = '\0';
            for (char *rec = pax; rec < pax + n;) {
                char *end = NULL;
                long rec_len = strtol(rec, &end, 10);
                if (rec_len <= 0 || rec_len > pax + n - rec || *end != ' ') break;
                /* The value runs from after "path=" to the newline that ends the record;
                 * a record too short to hold it is not a name. */
                const char *newline = rec + rec_len - 1;
                if (strncmp(end + 1, "path=", 5) == 0 && end + 6 <= newline && *newline == '\n')
                    snprintf(long_name, sizeof long_name, "%.*s", (int)(newline - (end + 6)),
                             end + 6);
                rec += rec_len;
            }
            free(pax);
        } else if ((type == '0' || type == '\0' || type == '7') && f->depth < MAX_NESTING) {
            size_t plen = strlen(f->path) + strlen(name) + 2;
            size_t alen = strlen(f->abs_path) + strlen(name) + 2;
            char *path = news_xmalloc(plen), *abs_path = news_xmalloc(alen);
            snprintf(path, plen, "%s:%s", f->path, name);
            snprintf(abs_path, alen, "%s:%s", f->abs_path, name);
            struct file child = {
                f->w, &f->w->levels[f->depth + 1], f->depth + 1, path, abs_path, member_stream,
                false};
            go_on = read_stream(&child);
            f->w->cb->on_file(f->w->ctx, path, stream_bytes(member_stream));
            free(path);
            free(abs_path);
        } else if (type == '0' || type == '\0') {
            reject(f, member, "unreadable", "%s: containers nested too deep, skipped", name);
        }
        stream_close(member_stream);
        size_t pad = (size_t)((TAR_BLOCK - size % TAR_BLOCK) % TAR_BLOCK);
        char skip[TAR_BLOCK];
        if (read_exactly(f->s, skip, pad) < pad && stream_error(f->s)) {
            reject(f, member, "unreadable", "%s", stream_error(f->s));
            break;
        }
        if (stream_error(f->s)) {
            reject(f, member, "unreadable", "%s: %s", name, stream_error(f->s));
            break;
        }
    }
    return go_on;
}

/* A container being cut into records (WARC, ARC): what the level's buffer holds. */
struct scan {
    struct file *f;
    size_t len;    /* bytes held in f->lv->buf */
    uint64_t base; /* file offset of buf[0] */
    size_t record; /* records begun so far */
};

/* Drops n bytes from the front of the buffer. */
static void consume(struct scan *sc, size_t n)
{
    memmove(sc->f->lv->buf, sc->f->lv->buf + n, sc->len - n);
    sc->base += n;
    sc->len -= n;
}

/* Drops the blank lines that end the previous record, then reads until the buffer starts
 * with a whole header (as measure finds it), holds max bytes, or the stream ends. Returns
 * the header's length, or 0 (sc->len is 0 at the end of the stream). */
static size_t next_header(struct scan *sc, size_t max, size_t (*measure)(const char *, size_t))
{
    for (;;) {
        size_t blank = 0;
        while (blank < sc->len && (sc->f->lv->buf[blank] == '\r' || sc->f->lv->buf[blank] == '\n'))
            blank++;
        if (blank) consume(sc, blank);
        size_t n = sc->len > 0 ? measure(sc->f->lv->buf, sc->len) : 0;
        if (n || sc->len >= max) return n;
        size_t before = sc->len;
        sc->len = fill_to(sc->f, sc->len, sc->len + READ_CHUNK < max ? sc->len + READ_CHUNK : max);
        if (sc->len == before) return 0;
    }
}

/* Passes over a record that starts the buffer (a header of head bytes, then length bytes
 * of content, more than the buffer holds) without holding it. Returns false if the stream
 * ended first. */
static bool pass_over(struct scan *sc, size_t head, uint64_t length)
{
    uint64_t left = length - (sc->len - head), start = sc->base;
    sc->len = 0;
    while (left > 0) {
        size_t want = left < sc->f->lv->cap ? (size_t)left : sc->f->lv->cap;
        size_t got = stream_read(sc->f->s, sc->f->lv->buf, want);
        if (got == 0) break;
        left -= got;
    }
    sc->base = start + head + (length - left);
    return left == 0;
}

/* Reports a web archive's record that the file ends inside (name: "WARC", "ARC"). */
static void cut_short(struct file *f, const char *name, size_t record, uint64_t offset)
{
    const char *why = stream_error(f->s);
    reject(f, record, "unreadable", "%s record at offset %llu is cut short%s%s", name,
           (unsigned long long)offset, why ? ": " : "", why ? why : "");
}

/* What became of a web archive's record that hold_record was given. */
enum held { HELD, PASSED_OVER, CUT_SHORT };

/* Reads the record that starts the buffer (a header of head bytes, then length bytes of
 * content) until it is all held, or passes over one larger than INPUT_MAX_RECORD_BYTES
 * without holding it: counted as skipped as skip_kind, or, when that is NULL (a page),
 * reported as too large. A file that ends inside the record is reported (name: "WARC",
 * "ARC"). */
static enum held hold_record(struct scan *sc, const char *name, size_t head, uint64_t length,
                             const char *skip_kind)
{
    struct file *f = sc->f;
    uint64_t offset = sc->base;
    if (length > INPUT_MAX_RECORD_BYTES) {
        if (skip_kind)
            f->w->cb->on_skip(f->w->ctx, f->path, skip_kind);
        else
            reject(f, sc->record, "too large", "%s record at offset %llu is larger than %zu MiB",
                   name, (unsigned long long)offset, INPUT_MAX_RECORD_BYTES >> 20);
        if (pass_over(sc, head, length)) return PASSED_OVER;
    } else {
        sc->len = fill_to(f, sc->len, head + (size_t)length);
        if (sc->len >= head + (size_t)length) return HELD;
    }
    cut_short(f, name, sc->record, offset);
    return CUT_SHORT;
}

/* The HTTP response a web archive captured (content, n bytes): passed on as a record when
 * it is a 2xx HTML page, counted as skipped when it is another response, reported when it
 * cannot be read. cap says where it is and what captured it (container, url, record_id,
 * crawl_date); the rest is filled here. Returns false if on_record asked to stop. */
static bool emit_capture(struct file *f, struct input_record cap, const char *content, size_t n)
{
    struct warc_http resp;
    struct news_error err;
    if (warc_parse_http(content, n, &resp, &err) != NEWS_OK) {
        reject(f, cap.record, "malformed", "HTTP response in %s record at offset %llu: %s",
               cap.container == INPUT_ARC ? "ARC" : "WARC", (unsigned long long)cap.offset,
               err.msg);
        return true;
    }
    bool ok = resp.status >= 200 && resp.status < 300;
    bool go_on = true;
    if (ok && (strcmp(resp.content_type, "text/html") == 0 ||
               strcmp(resp.content_type, "application/xhtml+xml") == 0)) {
        cap.data = resp.body;
        cap.len = resp.body_len;
        cap.format = INPUT_HTML;
        cap.charset = resp.charset[0] ? resp.charset : NULL;
        go_on = f->w->cb->on_record(f->w->ctx, &cap);
    } else {
        f->w->cb->on_skip(f->w->ctx, f->path, ok ? "response not HTML" : "response not 2xx");
    }
    free(resp.body);
    return go_on;
}

/* After a malformed WARC header: drops bytes up to the next line that starts with "WARC/".
 * Returns false if the stream ends first. */
static bool warc_resync(struct scan *sc)
{
    const char *next = NULL;
    for (;;) {
        next = find(sc->f->lv->buf + 1, sc->len > 0 ? sc->len - 1 : 0, "\nWARC/", 6);
        if (next || sc->len < 6) break;
        size_t keep = 5;
        consume(sc, sc->len - keep);
        sc->len = fill_to(sc->f, keep, READ_CHUNK);
        if (sc->len == keep) return false;
    }
    if (!next) return false;
    consume(sc, (size_t)(next - sc->f->lv->buf) + 1);
    return true;
}

/* Reads a WARC file: every HTTP response that carries an HTML page is a record; other
 * records are skipped and counted. A malformed record is reported and reading resumes at
 * the next line that starts a record. */
static bool read_warc(struct file *f, size_t len)
{
    struct scan sc = {f, len, 0, 0};
    bool go_on = true;
    struct warc_header h;
    struct news_error err;
    while (go_on) {
        size_t hlen = next_header(&sc, (size_t)WARC_MAX_HEADER_BYTES, warc_header_length);
        if (sc.len == 0) break;
        sc.record++;
        enum news_status st =
            hlen ? warc_parse_header(f->lv->buf, hlen, &h, &err)
                 : news_error_set(&err, NEWS_ERR_FORMAT, "no complete WARC header");
        if (st != NEWS_OK) {
            reject(f, sc.record, "malformed", "WARC record at offset %llu: %s",
                   (unsigned long long)sc.base, err.msg);
            if (!warc_resync(&sc)) break;
            continue;
        }
        uint64_t rec_offset = sc.base;
        bool http = strcmp(h.type, "response") == 0 &&
                    starts_with_ci(h.content_type, strlen(h.content_type), "application/http");
        enum held held = hold_record(&sc, "WARC", hlen, h.content_length,
                                     http        ? NULL
                                     : h.type[0] ? h.type
                                                 : "untyped");
        if (held == CUT_SHORT) break;
        if (held == PASSED_OVER) continue;
        size_t total = hlen + (size_t)h.content_length;
        if (!http) {
            const char *what = !h.type[0]                        ? "untyped"
                               : strcmp(h.type, "response") == 0 ? "response not HTTP"
                                                                 : h.type;
            f->w->cb->on_skip(f->w->ctx, f->path, what);
        } else {
            struct input_record cap = {.path = f->path,
                                       .abs_path = f->abs_path,
                                       .record = sc.record,
                                       .offset = rec_offset,
                                       .container = INPUT_WARC,
                                       .url = h.target_uri[0] ? h.target_uri : NULL,
                                       .record_id = h.record_id[0] ? h.record_id : NULL,
                                       .crawl_date = h.date[0] ? h.date : NULL};
            go_on = emit_capture(f, cap, f->lv->buf + hlen, (size_t)h.content_length);
        }
        consume(&sc, total);
    }
    if (go_on && stream_error(f->s))
        reject(f, sc.record, "unreadable", "%s after record %zu", stream_error(f->s), sc.record);
    return go_on;
}

/* After a malformed ARC header line at the front of the buffer: drops it, and what follows,
 * up to the next line that parses as a header line. Returns false if the stream ends first. */
static bool arc_resync(struct scan *sc)
{
    struct arc_header h;
    size_t pos = 0; /* where to look for the newline that ends the line before a candidate */
    for (;;) {
        const char *buf = sc->f->lv->buf;
        const char *nl = memchr(buf + pos, '\n', sc->len - pos);
        if (!nl) {
            consume(sc, sc->len);
            pos = 0;
            sc->len = fill_to(sc->f, 0, READ_CHUNK);
            if (sc->len == 0) return false;
            continue;
        }
        size_t start = (size_t)(nl - buf) + 1;
        size_t n = arc_header_length(buf + start, sc->len - start);
        if (n == 0 && sc->len - start < ARC_MAX_LINE_BYTES) {
            /* The candidate is not all held: keep it and the newline before it, read more. */
            consume(sc, start - 1);
            pos = 0;
            size_t before = sc->len;
            sc->len = fill_to(sc->f, sc->len, 1 + ARC_MAX_LINE_BYTES);
            if (sc->len > before) continue;
            consume(sc, sc->len);
            return false;
        }
        if (n && arc_parse_header(buf + start, n, &h, NULL) == NEWS_OK) {
            consume(sc, start);
            return true;
        }
        pos = start;
    }
}

/* What an ARC record that does not capture a web page over HTTP is, for the summary; NULL
 * for an http: or https: URL. */
static const char *arc_skip_kind(const char *url)
{
    size_t n = strlen(url);
    if (starts_with_ci(url, n, "http:") || starts_with_ci(url, n, "https:")) return NULL;
    if (starts_with_ci(url, n, "filedesc:")) return "filedesc";
    if (starts_with_ci(url, n, "dns:")) return "dns";
    return "response not HTTP";
}

/* Reads an ARC file (v1 or v2): every HTTP response that carries an HTML page is a record;
 * the version block, DNS lookups and other captures are skipped and counted. A malformed
 * header line is reported and reading resumes at the next line that parses as one. */
static bool read_arc(struct file *f, size_t len)
{
    struct scan sc = {f, len, 0, 0};
    bool go_on = true;
    struct arc_header h = {.length = 0};
    struct news_error err;
    while (go_on) {
        size_t hlen = next_header(&sc, ARC_MAX_LINE_BYTES, arc_header_length);
        if (sc.len == 0) break;
        sc.record++;
        uint64_t rec_offset = sc.base;
        if (!hlen && sc.len < ARC_MAX_LINE_BYTES) { /* the file ends inside the line */
            cut_short(f, "ARC", sc.record, rec_offset);
            break;
        }
        enum news_status st =
            hlen ? arc_parse_header(f->lv->buf, hlen, &h, &err)
                 : news_error_set(&err, NEWS_ERR_FORMAT, "header line longer than %d bytes",
                                  ARC_MAX_LINE_BYTES - 1);
        if (st != NEWS_OK) {
            reject(f, sc.record, "malformed", "ARC record at offset %llu: %s",
                   (unsigned long long)rec_offset, err.msg);
            if (!arc_resync(&sc)) break;
            continue;
        }
        const char *kind = arc_skip_kind(h.url);
        enum held held = hold_record(&sc, "ARC", hlen, h.length, kind);
        if (held == CUT_SHORT) break;
        if (held == PASSED_OVER) continue;
        size_t total = hlen + (size_t)h.length;
        if (kind) {
            f->w->cb->on_skip(f->w->ctx, f->path, kind);
        } else {
            char iso[ARC_ISO_DATE_BYTES];
            struct input_record cap = {.path = f->path,
                                       .abs_path = f->abs_path,
                                       .record = sc.record,
                                       .offset = rec_offset,
                                       .container = INPUT_ARC,
                                       .url = h.url,
                                       .crawl_date = arc_date_iso(h.date, iso) ? iso : NULL};
            go_on = emit_capture(f, cap, f->lv->buf + hlen, (size_t)h.length);
        }
        consume(&sc, total);
    }
    if (go_on && stream_error(f->s))
        reject(f, sc.record, "unreadable", "%s after record %zu", stream_error(f->s), sc.record);
    return go_on;
}

/* Recognises what f's stream holds and reads it. */
static bool read_stream(struct file *f)
{
    size_t len = fill_to(f, 0, SNIFF_BYTES);
    enum input_format format = input_sniff(f->lv->buf, len);
    /* Containers are always recognised; --format applies to what they hold. */
    if (f->w->forced && format != INPUT_TAR && format != INPUT_WARC && format != INPUT_ARC)
        format = f->w->forced;
    f->is_fallback = !f->w->forced && format == INPUT_TEXT && !textfmt_is_article(f->lv->buf, len);
    if (stream_error(f->s) && len == 0) {
        reject(f, 0, "unreadable", "%s", stream_error(f->s));
        return true;
    }
    if (len == 0) {
        reject(f, 0, "empty file", "empty file");
        return true;
    }
    switch (format) {
    case INPUT_BINARY:
        reject(f, 0, "not text", "binary data, not a news article");
        return true;
    case INPUT_TAR:
        return read_tar(f, len);
    case INPUT_WARC:
        return read_warc(f, len);
    case INPUT_ARC:
        return read_arc(f, len);
    case INPUT_JSONL:
    case INPUT_REUTERS:
    case INPUT_TREC:
        return read_delimited(f, format, len);
    default:
        return read_whole(f, format, len);
    }
}

/* Reads one open file (fd is taken over; path "-" is stdin). */
static bool read_file(struct walk *w, const char *path, int fd)
{
    char abs[PATH_MAX];
    const char *abs_path = strcmp(path, "-") == 0 ? "-" : (realpath(path, abs) ? abs : path);
    struct file f = {w, &w->levels[0], 0, path, abs_path, stream_open_fd(fd), false};
    if (w->cb->disk_bytes) stream_count_into(f.s, w->cb->disk_bytes);
    bool go_on = read_stream(&f);
    w->cb->on_file(w->ctx, path, stream_bytes(f.s));
    stream_close(f.s);
    /* Keep a buffer that one huge record grew from holding on to its memory. */
    for (int i = 0; i <= MAX_NESTING; i++) {
        if (w->levels[i].cap > 4 * READ_CHUNK) {
            free(w->levels[i].buf);
            w->levels[i].buf = NULL;
            w->levels[i].cap = 0;
        }
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

/* Reports a problem with a path before there is a file to read. */
static void reject_path(struct walk *w, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void reject_path(struct walk *w, const char *path, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    w->cb->on_reject(w->ctx, path, 0, "unreadable", msg);
}

static bool read_any(struct walk *w, const char *path, const struct dir_ancestor *up, int depth);

static bool read_dir(struct walk *w, const char *path, const struct stat *st,
                     const struct dir_ancestor *up, int depth)
{
    for (const struct dir_ancestor *a = up; a; a = a->up) {
        if (a->dev == st->st_dev && a->ino == st->st_ino) {
            reject_path(w, path, "directory loop (a link to a parent), skipped");
            return true;
        }
    }
    if (depth > MAX_DIR_DEPTH) {
        reject_path(w, path, "directories nested deeper than %d, skipped", MAX_DIR_DEPTH);
        return true;
    }
    struct dirent **names = NULL;
    int n = scandir(path, &names, not_hidden, alphasort);
    if (n < 0) {
        reject_path(w, path, "cannot list directory: %s", strerror(errno));
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
            reject_path(w, path, "cannot read standard input: %s", strerror(errno));
            return true;
        }
        return read_file(w, path, fd);
    }
    struct stat st;
    if (stat(path, &st) != 0) {
        reject_path(w, path, "%s", strerror(errno));
        return true;
    }
    if (S_ISDIR(st.st_mode)) return read_dir(w, path, &st, up, depth);
    if (!S_ISREG(st.st_mode)) {
        reject_path(w, path, "not a regular file, skipped");
        return true;
    }
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        reject_path(w, path, "%s", strerror(errno));
        return true;
    }
    return read_file(w, path, fd);
}

bool input_read_path(const char *path, enum input_format forced, const struct input_callbacks *cb,
                     void *ctx)
{
    struct walk w = {cb, ctx, forced, {{NULL, 0}}};
    bool go_on = read_any(&w, path, NULL, 0);
    for (int i = 0; i <= MAX_NESTING; i++)
        free(w.levels[i].buf);
    return go_on;
}
