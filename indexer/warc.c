/* warc.c: WARC record header blocks and the HTTP responses in response records: header
 * lines (case-insensitive names, folded continuation lines, \r\n or bare \n), chunked
 * transfer coding, and gzip/deflate content coding under a hard limit on the decoded size.
 * Header work is bounded by WARC_MAX_HEADER_BYTES; body work is linear in the body. */
#define ZLIB_CONST
#include "warc.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* The header limit as a size. */
#define MAX_HEADER_BYTES ((size_t)WARC_MAX_HEADER_BYTES)

/* Largest body the content coding may decode to: what stops a gzip bomb. */
#define MAX_DECODED_BYTES ((size_t)64 << 20)

/* Longest excerpt of a bad value quoted in an error message. */
#define QUOTE_BYTES 64

/* A run of bytes inside the caller's buffer. */
struct span {
    const char *s;
    size_t len;
};

/* Walks the lines of a header block that warc_header_length has measured. */
struct lines {
    const char *buf;
    size_t len; /* through the blank line */
    size_t pos; /* start of the next line */
    size_t line_no;
};

/* One header with its continuation lines folded in; value points into the scratch buffer
 * given to next_header. */
struct header {
    struct span name;
    struct span value;
    size_t line_no;
};

enum header_result {
    HEADER_OK,
    HEADER_END,       /* the blank line */
    HEADER_MALFORMED, /* a line with no colon, or a continuation with nothing to continue */
};

enum coding { CODING_IDENTITY, CODING_GZIP, CODING_DEFLATE };

/* Spaces and tabs: what trims a value and starts a continuation line. c is an unsigned
 * char value; ASCII only, whatever the locale. */
static bool is_blank(int c)
{
    return c == ' ' || c == '\t';
}

/* Lowercases ASCII letters and leaves every other value alone. */
static int ascii_lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* True if the span equals the lowercase ASCII word, ignoring case. */
static bool span_is(struct span sp, const char *word)
{
    size_t n = strlen(word);
    if (sp.len != n) return false;
    for (size_t i = 0; i < n; i++)
        if (ascii_lower((unsigned char)sp.s[i]) != word[i]) return false;
    return true;
}

/* The span without surrounding spaces, tabs and carriage returns. */
static struct span trim(struct span sp)
{
    while (sp.len > 0 && (is_blank((unsigned char)sp.s[0]) || sp.s[0] == '\r')) {
        sp.s++;
        sp.len--;
    }
    while (sp.len > 0 && (is_blank((unsigned char)sp.s[sp.len - 1]) || sp.s[sp.len - 1] == '\r'))
        sp.len--;
    return sp;
}

/* Copies the span into dst (capacity cap, NUL-terminated), cut if need be before a UTF-8
 * continuation byte so that a cut never splits a character. */
static void copy_cut(char *dst, size_t cap, struct span sp, bool lowercase)
{
    size_t n = sp.len < cap - 1 ? sp.len : cap - 1;
    if (n < sp.len)
        while (n > 0 && ((unsigned char)sp.s[n] & 0xC0) == 0x80)
            n--;
    for (size_t i = 0; i < n; i++) {
        char c = sp.s[i];
        if (lowercase && c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
        dst[i] = c;
    }
    dst[n] = '\0';
}

/* The span without one pair of enclosing angle brackets ("<urn:uuid:...>"). */
static struct span strip_angles(struct span sp)
{
    if (sp.len >= 2 && sp.s[0] == '<' && sp.s[sp.len - 1] == '>') {
        sp.s++;
        sp.len -= 2;
    }
    return sp;
}

/* See warc.h. Looks at no more than WARC_MAX_HEADER_BYTES: 0 with len at or past that
 * means the block is too long, not that more data is needed. */
size_t warc_header_length(const char *buf, size_t len)
{
    size_t limit = len < MAX_HEADER_BYTES ? len : MAX_HEADER_BYTES;
    size_t pos = 0;
    while (pos < limit) {
        const char *nl = memchr(buf + pos, '\n', limit - pos);
        if (!nl) return 0;
        size_t line_len = (size_t)(nl - (buf + pos));
        size_t next = (size_t)(nl - buf) + 1;
        if (line_len == 0 || (line_len == 1 && buf[pos] == '\r')) return next;
        pos = next;
    }
    return 0;
}

/* Reads the next line (without its "\n" or "\r\n") into *line; false past the end. */
static bool next_line(struct lines *ls, struct span *line)
{
    if (ls->pos >= ls->len) return false;
    const char *start = ls->buf + ls->pos;
    const char *nl = memchr(start, '\n', ls->len - ls->pos);
    size_t n = nl ? (size_t)(nl - start) : ls->len - ls->pos;
    ls->pos += nl ? n + 1 : n;
    if (n > 0 && start[n - 1] == '\r') n--;
    line->s = start;
    line->len = n;
    ls->line_no++;
    return true;
}

/* True if the next line is a continuation (starts with a space or tab). */
static bool continues(const struct lines *ls)
{
    return ls->pos < ls->len && is_blank((unsigned char)ls->buf[ls->pos]);
}

/* Reads the next header, folding its continuation lines into scratch (which holds the
 * whole block, so it cannot overflow) joined by single spaces. */
static enum header_result next_header(struct lines *ls, char *scratch, struct header *h)
{
    struct span line;
    if (!next_line(ls, &line) || line.len == 0) return HEADER_END;
    h->line_no = ls->line_no;
    const char *colon = memchr(line.s, ':', line.len);
    if (is_blank((unsigned char)line.s[0]) || !colon || colon == line.s) {
        while (continues(ls))
            next_line(ls, &line); /* skip the continuations too */
        return HEADER_MALFORMED;
    }
    h->name = trim((struct span){line.s, (size_t)(colon - line.s)});
    struct span v = trim((struct span){colon + 1, line.len - (size_t)(colon + 1 - line.s)});
    memcpy(scratch, v.s, v.len);
    size_t n = v.len;
    while (continues(ls)) {
        next_line(ls, &line);
        struct span more = trim(line);
        if (more.len == 0) continue;
        if (n > 0) scratch[n++] = ' ';
        memcpy(scratch + n, more.s, more.len);
        n += more.len;
    }
    h->value = (struct span){scratch, n};
    return HEADER_OK;
}

/* Reads a decimal number: digits only, no sign, no overflow. */
static bool parse_decimal(struct span sp, uint64_t *out)
{
    if (sp.len == 0) return false;
    uint64_t v = 0;
    for (size_t i = 0; i < sp.len; i++) {
        unsigned d = (unsigned)(unsigned char)sp.s[i] - '0';
        if (d > 9 || v > (UINT64_MAX - d) / 10) return false;
        v = v * 10 + d;
    }
    *out = v;
    return true;
}

/* See warc.h: the version line's prefix, exactly. */
bool warc_sniff(const char *data, size_t len)
{
    return len >= 5 && memcmp(data, "WARC/", 5) == 0;
}

/* Fills the WARC fields of h from one header. Only Content-Length can be wrong: a
 * malformed, out-of-range or conflicting value fails with a message in err. */
static enum news_status take_warc_header(struct warc_header *h, const struct header *f,
                                         bool *has_length, struct news_error *err)
{
    if (span_is(f->name, "content-length")) {
        uint64_t v;
        if (!parse_decimal(f->value, &v)) {
            bool digits = f->value.len > 0;
            for (size_t i = 0; i < f->value.len && digits; i++)
                digits = f->value.s[i] >= '0' && f->value.s[i] <= '9';
            return news_error_set(err, NEWS_ERR_FORMAT,
                                  digits ? "Content-Length \"%.*s\" is out of range (line %zu)"
                                         : "malformed Content-Length \"%.*s\" (line %zu)",
                                  (int)(f->value.len < QUOTE_BYTES ? f->value.len : QUOTE_BYTES),
                                  f->value.s, f->line_no);
        }
        if (*has_length && v != h->content_length)
            return news_error_set(err, NEWS_ERR_FORMAT,
                                  "conflicting Content-Length values (%llu, then %llu)",
                                  (unsigned long long)h->content_length, (unsigned long long)v);
        h->content_length = v;
        *has_length = true;
    } else if (span_is(f->name, "warc-type")) {
        if (!h->type[0]) copy_cut(h->type, sizeof h->type, f->value, false);
    } else if (span_is(f->name, "warc-target-uri")) {
        if (!h->target_uri[0])
            copy_cut(h->target_uri, sizeof h->target_uri, strip_angles(f->value), false);
    } else if (span_is(f->name, "warc-date")) {
        if (!h->date[0]) copy_cut(h->date, sizeof h->date, f->value, false);
    } else if (span_is(f->name, "warc-record-id")) {
        if (!h->record_id[0])
            copy_cut(h->record_id, sizeof h->record_id, strip_angles(f->value), false);
    } else if (span_is(f->name, "content-type")) {
        if (!h->content_type[0]) copy_cut(h->content_type, sizeof h->content_type, f->value, false);
    }
    return NEWS_OK;
}

/* See warc.h. The versions read are 1.0, 1.1 and the drafts 0.17 and 0.18. Also fails
 * with NEWS_ERR_FORMAT on a header line without a colon, and NEWS_ERR_LIMIT on a block
 * longer than WARC_MAX_HEADER_BYTES. *h is zeroed first, whatever the outcome. */
enum news_status warc_parse_header(const char *buf, size_t len, struct warc_header *h,
                                   struct news_error *err)
{
    static const char *const versions[] = {"1.0", "1.1", "0.17", "0.18"};
    enum news_status status = NEWS_OK;
    char *scratch = NULL;
    memset(h, 0, sizeof *h);
    if (len > MAX_HEADER_BYTES) {
        status = news_error_set(err, NEWS_ERR_LIMIT, "WARC header block of %zu bytes exceeds %zu",
                                len, MAX_HEADER_BYTES);
        goto done;
    }
    size_t block = warc_header_length(buf, len);
    if (block == 0) {
        status = news_error_set(err, NEWS_ERR_FORMAT, "no blank line after the WARC header");
        goto done;
    }
    struct lines ls = {buf, block, 0, 0};
    struct span line;
    next_line(&ls, &line);
    struct span version = trim(line); /* leading space too: the caller's offset is wrong */
    if (version.s != line.s || version.len < 5 || memcmp(version.s, "WARC/", 5) != 0) {
        status = news_error_set(err, NEWS_ERR_FORMAT, "missing WARC version line (found \"%.*s\")",
                                (int)(line.len < QUOTE_BYTES ? line.len : QUOTE_BYTES), line.s);
        goto done;
    }
    struct span number = {version.s + 5, version.len - 5};
    for (size_t i = 0; i < sizeof versions / sizeof *versions && !h->version[0]; i++)
        if (span_is(number, versions[i])) copy_cut(h->version, sizeof h->version, number, false);
    if (!h->version[0]) {
        status =
            news_error_set(err, NEWS_ERR_FORMAT, "unsupported WARC version \"%.*s\"",
                           (int)(version.len < QUOTE_BYTES ? version.len : QUOTE_BYTES), version.s);
        goto done;
    }
    scratch = news_xmalloc(block);
    bool has_length = false;
    struct header f;
    enum header_result r;
    while ((r = next_header(&ls, scratch, &f)) != HEADER_END) {
        if (r == HEADER_MALFORMED) {
            status = news_error_set(err, NEWS_ERR_FORMAT,
                                    "malformed WARC header line %zu (no \"Name:\")", f.line_no);
            goto done;
        }
        status = take_warc_header(h, &f, &has_length, err);
        if (status != NEWS_OK) goto done;
    }
    if (!has_length) status = news_error_set(err, NEWS_ERR_FORMAT, "missing Content-Length");
done:
    free(scratch);
    if (status != NEWS_OK) memset(h, 0, sizeof *h);
    return status;
}

/* Reads "HTTP/1.1 200 OK": "HTTP/" (any case), a digit, optionally "." and a digit, spaces,
 * three digits, then the end or a space and any reason. Returns the status or -1. */
static int parse_status_line(struct span line)
{
    const char *s = line.s, *end = line.s + line.len;
    static const char proto[] = "http/";
    for (size_t i = 0; i < 5; i++, s++)
        if (s == end || ascii_lower((unsigned char)*s) != proto[i]) return -1;
    if (s == end || *s < '0' || *s > '9') return -1;
    s++;
    if (s < end && *s == '.') {
        s++;
        if (s == end || *s < '0' || *s > '9') return -1;
        s++;
    }
    if (s == end || *s != ' ') return -1;
    while (s < end && *s == ' ')
        s++;
    if (end - s < 3) return -1;
    int status = 0;
    for (int i = 0; i < 3; i++, s++) {
        if (*s < '0' || *s > '9') return -1;
        status = status * 10 + (*s - '0');
    }
    if (s < end && !is_blank((unsigned char)*s)) return -1;
    return status;
}

/* Reads a Content-Type value: the media type (lowercased, without parameters) and the
 * charset parameter, quoted or not (lowercased, without quotes). */
static void parse_content_type(struct span v, struct warc_http *out)
{
    const char *end = v.s + v.len;
    const char *semi = memchr(v.s, ';', v.len);
    copy_cut(out->content_type, sizeof out->content_type,
             trim((struct span){v.s, (size_t)((semi ? semi : end) - v.s)}), true);
    const char *p = semi;
    while (p && p < end) {
        p++; /* past ';' */
        const char *eq = p;
        while (eq < end && *eq != '=' && *eq != ';')
            eq++;
        if (eq == end || *eq == ';') {
            p = eq;
            continue;
        }
        struct span name = trim((struct span){p, (size_t)(eq - p)});
        const char *q = eq + 1;
        while (q < end && is_blank((unsigned char)*q))
            q++;
        struct span value;
        if (q < end && *q == '"') {
            const char *close = memchr(q + 1, '"', (size_t)(end - q - 1));
            value = (struct span){q + 1, (size_t)((close ? close : end) - (q + 1))};
            p = close ? memchr(close, ';', (size_t)(end - close)) : NULL;
        } else {
            const char *stop = memchr(q, ';', (size_t)(end - q));
            value = trim((struct span){q, (size_t)((stop ? stop : end) - q)});
            p = stop;
        }
        if (span_is(name, "charset") && !out->charset[0])
            copy_cut(out->charset, sizeof out->charset, trim(value), true);
    }
}

/* True if the comma-separated list holds the token (ignoring case). */
static bool list_has(struct span v, const char *token)
{
    const char *p = v.s, *end = v.s + v.len;
    while (p <= end) {
        const char *comma = memchr(p, ',', (size_t)(end - p));
        const char *stop = comma ? comma : end;
        if (span_is(trim((struct span){p, (size_t)(stop - p)}), token)) return true;
        if (!comma) break;
        p = comma + 1;
    }
    return false;
}

/* Reads a chunk-size line: hex digits, then optional whitespace and ";extensions". */
static bool parse_chunk_size(struct span line, uint64_t *size)
{
    size_t i = 0;
    uint64_t v = 0;
    while (i < line.len) {
        int c = ascii_lower((unsigned char)line.s[i]), d;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (c >= 'a' && c <= 'f')
            d = c - 'a' + 10;
        else
            break;
        if (v > (UINT64_MAX >> 4)) return false;
        v = v << 4 | (uint64_t)d;
        i++;
    }
    if (i == 0) return false;
    while (i < line.len && is_blank((unsigned char)line.s[i]))
        i++;
    if (i < line.len && line.s[i] != ';') return false;
    *size = v;
    return true;
}

/* Undoes chunked transfer coding into out (which has room for n bytes). A stream cut off
 * early keeps what was read; trailers are skipped. Returns false, writing nothing, if the
 * first chunk-size line is not one: the body was stored already de-chunked. */
static bool dechunk(const char *s, size_t n, char *out, size_t *out_len)
{
    struct lines ls = {s, n, 0, 0};
    size_t o = 0;
    for (bool first = true;; first = false) {
        struct span line;
        uint64_t size;
        if (!next_line(&ls, &line)) break;
        if (ls.pos == n && s[n - 1] != '\n') {
            /* a size line cut off before its newline */
            if (first) return false;
            break;
        }
        if (!parse_chunk_size(line, &size)) {
            if (first) return false;
            break;
        }
        if (size == 0) break; /* the last chunk; trailers follow */
        size_t take = size < n - ls.pos ? (size_t)size : n - ls.pos;
        memcpy(out + o, s + ls.pos, take);
        o += take;
        ls.pos += take;
        if (take < size) break;
        if (ls.pos < n && s[ls.pos] == '\r') ls.pos++;
        if (ls.pos < n && s[ls.pos] == '\n') ls.pos++;
    }
    *out_len = o;
    return true;
}

/* How one inflate pass ended. */
enum inflate_end { INFLATE_DONE, INFLATE_TRUNCATED, INFLATE_BAD_DATA, INFLATE_TOO_BIG };

/* Inflates n bytes with the given windowBits into *out (malloc'd, NUL-terminated,
 * *out_len bytes; set whatever the outcome, the caller frees it). gzip members that
 * follow one another are all decoded. Stops at MAX_DECODED_BYTES. */
static enum inflate_end inflate_all(const char *in, size_t n, int window_bits, char **out,
                                    size_t *out_len)
{
    size_t cap = n < MAX_DECODED_BYTES / 4 ? n * 4 : MAX_DECODED_BYTES;
    if (cap < 4096) cap = 4096;
    char *buf = news_xmalloc(cap + 1);
    size_t used = 0, in_pos = 0;
    enum inflate_end end = INFLATE_DONE;
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (inflateInit2(&zs, window_bits) != Z_OK) {
        end = INFLATE_BAD_DATA;
        goto done;
    }
    for (;;) {
        if (used == cap) {
            if (cap > MAX_DECODED_BYTES) {
                end = INFLATE_TOO_BIG;
                break;
            }
            cap = cap > MAX_DECODED_BYTES / 2 ? MAX_DECODED_BYTES + 1 : cap * 2;
            buf = news_xrealloc(buf, cap + 1);
        }
        size_t in_avail = n - in_pos < UINT_MAX ? n - in_pos : UINT_MAX;
        size_t out_avail = cap - used < UINT_MAX ? cap - used : UINT_MAX;
        zs.next_in = (const Bytef *)in + in_pos;
        zs.avail_in = (uInt)in_avail;
        zs.next_out = (Bytef *)buf + used;
        zs.avail_out = (uInt)out_avail;
        int rc = inflate(&zs, Z_NO_FLUSH);
        in_pos += in_avail - zs.avail_in;
        used += out_avail - zs.avail_out;
        if (used > MAX_DECODED_BYTES) {
            end = INFLATE_TOO_BIG;
            break;
        }
        if (rc == Z_STREAM_END) {
            /* Another gzip member may follow; anything else after the end is ignored. */
            if (n - in_pos >= 2 && (unsigned char)in[in_pos] == 0x1F &&
                (unsigned char)in[in_pos + 1] == 0x8B && inflateReset(&zs) == Z_OK)
                continue;
            break;
        }
        if (rc == Z_OK || rc == Z_BUF_ERROR) {
            if (in_pos == n && zs.avail_out > 0) {
                end = INFLATE_TRUNCATED;
                break;
            }
            continue;
        }
        end = INFLATE_BAD_DATA;
        break;
    }
    inflateEnd(&zs);
done:
    buf[used] = '\0';
    *out = buf;
    *out_len = used;
    return end;
}

/* Undoes gzip or deflate content coding. zlib's header detection covers gzip and zlib
 * streams; "deflate" sent as a raw stream is tried when that fails at once. Data that is
 * not compressed at all is kept as it is; a stream cut off or damaged part way keeps what
 * was decoded. Sets *body (malloc'd) and *body_len, or fails with NEWS_ERR_LIMIT. */
static enum news_status decode_content(const char *in, size_t n, enum coding coding, char **body,
                                       size_t *body_len, struct news_error *err)
{
    char *out = NULL;
    size_t out_len = 0;
    enum inflate_end end = inflate_all(in, n, 15 + 32, &out, &out_len);
    if (end == INFLATE_BAD_DATA && out_len == 0) {
        free(out);
        end = inflate_all(in, n, -15, &out, &out_len);
        /* Text read as a raw stream can give a few bytes of garbage before failing: a raw
         * stream counts only if it did not fail. */
        if (end == INFLATE_BAD_DATA) {
            free(out);
            out = news_xmalloc(n + 1);
            memcpy(out, in, n);
            out[n] = '\0';
            out_len = n;
            end = INFLATE_DONE;
        }
    }
    if (end == INFLATE_TOO_BIG) {
        free(out);
        return news_error_set(err, NEWS_ERR_LIMIT, "%s body decodes to more than %zu MiB",
                              coding == CODING_GZIP ? "gzip" : "deflate", MAX_DECODED_BYTES >> 20);
    }
    *body = out;
    *body_len = out_len;
    return NEWS_OK;
}

/* See warc.h. Also fails with NEWS_ERR_LIMIT when the headers run past
 * WARC_MAX_HEADER_BYTES or the decoded body past 64 MiB. Malformed header lines are
 * skipped, as browsers do. The HTTP Content-Length is not used: the body is the rest of
 * the block. *out is zeroed first; on failure it stays zeroed. */
enum news_status warc_parse_http(const char *buf, size_t len, struct warc_http *out,
                                 struct news_error *err)
{
    enum news_status status = NEWS_OK;
    char *scratch = NULL, *chunks = NULL;
    memset(out, 0, sizeof *out);
    size_t block = warc_header_length(buf, len);
    if (block == 0) {
        status = len >= MAX_HEADER_BYTES
                     ? news_error_set(err, NEWS_ERR_LIMIT,
                                      "HTTP headers longer than %zu bytes (no blank line)",
                                      MAX_HEADER_BYTES)
                     : news_error_set(err, NEWS_ERR_FORMAT, "no blank line after the HTTP headers");
        goto done;
    }
    struct lines ls = {buf, block, 0, 0};
    struct span line;
    next_line(&ls, &line);
    out->status = parse_status_line(line);
    if (out->status < 0) {
        status = news_error_set(err, NEWS_ERR_FORMAT, "malformed HTTP status line \"%.*s\"",
                                (int)(line.len < QUOTE_BYTES ? line.len : QUOTE_BYTES), line.s);
        goto done;
    }
    scratch = news_xmalloc(block);
    bool chunked = false, has_type = false, has_coding = false;
    enum coding coding = CODING_IDENTITY;
    struct header f;
    enum header_result r;
    while ((r = next_header(&ls, scratch, &f)) != HEADER_END) {
        if (r == HEADER_MALFORMED) continue;
        if (span_is(f.name, "content-type") && !has_type) {
            parse_content_type(f.value, out);
            has_type = true;
        } else if (span_is(f.name, "transfer-encoding")) {
            chunked = chunked || list_has(f.value, "chunked");
        } else if (span_is(f.name, "content-encoding") && !has_coding) {
            has_coding = true;
            if (span_is(f.value, "gzip") || span_is(f.value, "x-gzip"))
                coding = CODING_GZIP;
            else if (span_is(f.value, "deflate"))
                coding = CODING_DEFLATE;
        }
    }

    const char *body = buf + block;
    size_t body_len = len - block;
    if (chunked) {
        chunks = news_xmalloc(body_len + 1);
        size_t n;
        if (dechunk(body, body_len, chunks, &n)) {
            body = chunks;
            body_len = n;
        }
    }
    if (coding != CODING_IDENTITY) {
        status = decode_content(body, body_len, coding, &out->body, &out->body_len, err);
        goto done;
    }
    if (body == chunks) {
        out->body = chunks;
        chunks = NULL;
    } else {
        out->body = news_xmalloc(body_len + 1);
        memcpy(out->body, body, body_len);
    }
    out->body[body_len] = '\0';
    out->body_len = body_len;
done:
    free(scratch);
    free(chunks);
    if (status != NEWS_OK) {
        free(out->body);
        memset(out, 0, sizeof *out);
    }
    return status;
}
