/* arc.c: ARC record header lines (v1 and v2) and their 14-digit capture dates. Work is
 * bounded by ARC_MAX_LINE_BYTES; nothing is allocated. */
#include "arc.h"

#include <string.h>

/* Longest excerpt of a bad value quoted in an error message. */
#define QUOTE_BYTES 64

enum { V1_FIELDS = 5, V2_FIELDS = 10 };

/* A run of bytes inside the caller's line. */
struct span {
    const char *s;
    size_t len;
};

/* How many bytes of a value of n bytes an error message quotes. */
static int quoted(size_t n)
{
    return (int)(n < QUOTE_BYTES ? n : QUOTE_BYTES);
}

static bool is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* See arc.h: the version block's URL, exactly. */
bool arc_sniff(const char *data, size_t len)
{
    static const char prefix[] = "filedesc://";
    return len >= sizeof prefix - 1 && memcmp(data, prefix, sizeof prefix - 1) == 0;
}

/* See arc.h. */
size_t arc_header_length(const char *buf, size_t len)
{
    size_t limit = len < ARC_MAX_LINE_BYTES ? len : ARC_MAX_LINE_BYTES;
    const char *nl = memchr(buf, '\n', limit);
    return nl ? (size_t)(nl - buf) + 1 : 0;
}

/* Splits the line at runs of spaces into fields, keeping the first max. Returns how many
 * there are, which may be more than max. */
static size_t split_fields(struct span line, struct span *fields, size_t max)
{
    size_t n = 0, i = 0;
    for (;;) {
        while (i < line.len && line.s[i] == ' ')
            i++;
        if (i == line.len) return n;
        size_t start = i;
        while (i < line.len && line.s[i] != ' ')
            i++;
        if (n < max) fields[n] = (struct span){line.s + start, i - start};
        n++;
    }
}

/* Copies a field into dst (cap bytes with its NUL), or fails, naming it, if it does not fit. */
static enum news_status copy_field(char *dst, size_t cap, struct span f, const char *name,
                                   struct news_error *err)
{
    if (f.len >= cap)
        return news_error_set(err, NEWS_ERR_FORMAT,
                              "%s of %zu bytes is longer than %zu (\"%.*s...\")", name, f.len,
                              cap - 1, quoted(f.len), f.s);
    if (f.len > 0) memcpy(dst, f.s, f.len);
    dst[f.len] = '\0';
    return NEWS_OK;
}

/* True if the URL starts with a scheme (RFC 3986): a letter, then letters, digits, '+', '-'
 * or '.', then ':'. Every ARC URL has one ("filedesc:", "dns:", "http:"); a line of a page
 * that happens to have the right number of fields seldom does. */
static bool has_scheme(struct span url)
{
    if (url.len == 0 || !is_alpha(url.s[0])) return false;
    for (size_t i = 1; i < url.len; i++) {
        char c = url.s[i];
        if (c == ':') return true;
        if (!is_alpha(c) && !is_digit(c) && c != '+' && c != '-' && c != '.') return false;
    }
    return false;
}

/* Reads the Archive-length: decimal digits only, no sign, no overflow. */
static enum news_status parse_length(struct span f, uint64_t *out, struct news_error *err)
{
    uint64_t v = 0;
    for (size_t i = 0; i < f.len; i++)
        if (!is_digit(f.s[i]))
            return news_error_set(err, NEWS_ERR_FORMAT, "malformed length \"%.*s\"", quoted(f.len),
                                  f.s);
    for (size_t i = 0; i < f.len; i++) {
        unsigned d = (unsigned)(f.s[i] - '0');
        if (v > (UINT64_MAX - d) / 10)
            return news_error_set(err, NEWS_ERR_FORMAT, "length \"%.*s\" is out of range",
                                  quoted(f.len), f.s);
        v = v * 10 + d;
    }
    *out = v;
    return NEWS_OK;
}

/* Checks the line (without its line end) for length and control characters, and splits it
 * into its 5 or 10 fields, of which it sets *n. */
static enum news_status split_line(struct span ln, struct span fields[V2_FIELDS], size_t *n,
                                   struct news_error *err)
{
    if (ln.len >= ARC_MAX_LINE_BYTES)
        return news_error_set(err, NEWS_ERR_FORMAT, "header line of %zu bytes is longer than %d",
                              ln.len, ARC_MAX_LINE_BYTES - 1);
    for (size_t i = 0; i < ln.len; i++) {
        unsigned char c = (unsigned char)ln.s[i];
        if (c < 0x20 || c == 0x7F)
            return news_error_set(err, NEWS_ERR_FORMAT,
                                  "control character 0x%02X at byte %zu of the header line", c,
                                  i + 1);
    }
    *n = split_fields(ln, fields, V2_FIELDS);
    if (*n == 0) return news_error_set(err, NEWS_ERR_FORMAT, "empty header line");
    if (*n != V1_FIELDS && *n != V2_FIELDS)
        return news_error_set(err, NEWS_ERR_FORMAT,
                              "header line has %zu fields, not 5 (ARC v1) or 10 (ARC v2): \"%.*s\"",
                              *n, quoted(ln.len), ln.s);
    return NEWS_OK;
}

/* See arc.h. */
enum news_status arc_parse_header(const char *line, size_t len, struct arc_header *h,
                                  struct news_error *err)
{
    struct span ln = {line, len}, f[V2_FIELDS] = {{NULL, 0}};
    size_t n = 0;
    memset(h, 0, sizeof *h);
    if (ln.len > 0 && ln.s[ln.len - 1] == '\n') ln.len--;
    if (ln.len > 0 && ln.s[ln.len - 1] == '\r') ln.len--;
    enum news_status status = split_line(ln, f, &n, err);
    if (status != NEWS_OK) goto done;
    status = copy_field(h->url, sizeof h->url, f[0], "URL", err);
    if (status != NEWS_OK) goto done;
    if (!has_scheme(f[0])) {
        status = news_error_set(err, NEWS_ERR_FORMAT, "URL \"%.*s\" has no scheme",
                                quoted(f[0].len), f[0].s);
        goto done;
    }
    if ((status = copy_field(h->ip, sizeof h->ip, f[1], "IP address", err)) != NEWS_OK ||
        (status = copy_field(h->date, sizeof h->date, f[2], "date", err)) != NEWS_OK ||
        (status = copy_field(h->content_type, sizeof h->content_type, f[3], "content type", err)) !=
            NEWS_OK ||
        (status = parse_length(f[n - 1], &h->length, err)) != NEWS_OK)
        goto done;
    h->version = n == V1_FIELDS ? 1 : 2;
done:
    if (status != NEWS_OK) memset(h, 0, sizeof *h);
    return status;
}

/* See arc.h. */
bool arc_date_iso(const char *date, char out[ARC_ISO_DATE_BYTES])
{
    static const int widths[6] = {4, 2, 2, 2, 2, 2};
    static const int month_days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int v[6]; /* year, month, day, hour, minute, second */
    const char *p = date;
    out[0] = '\0';
    for (int i = 0; i < 6; i++) {
        v[i] = 0;
        for (int k = 0; k < widths[i]; k++, p++) {
            if (!is_digit(*p)) return false;
            v[i] = v[i] * 10 + (*p - '0');
        }
    }
    if (*p != '\0') return false;
    bool leap = (v[0] % 4 == 0 && v[0] % 100 != 0) || v[0] % 400 == 0;
    if (v[0] < 1000 || v[1] < 1 || v[1] > 12 || v[2] < 1 ||
        v[2] > month_days[v[1] - 1] + (v[1] == 2 && leap) || v[3] > 23 || v[4] > 59 || v[5] > 59)
        return false;
    /* "YYYYMMDDhhmmss" to "YYYY-MM-DDThh:mm:ssZ": the digits as they are, separators between. */
    static const char seps[6] = {'-', '-', 'T', ':', ':', 'Z'};
    size_t o = 0;
    p = date;
    for (int i = 0; i < 6; i++) {
        for (int k = 0; k < widths[i]; k++)
            out[o++] = *p++;
        out[o++] = seps[i];
    }
    out[o] = '\0';
    return true;
}
