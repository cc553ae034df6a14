/* test_stream.c: plain and gzip streams, many members, truncation, junk, windows, unread. */
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>
#include <zlib.h>

#include "check.h"
#include "stream.h"

/* A descriptor that reads the len bytes of data (an unlinked temporary file). */
static int fd_of(const void *data, size_t len)
{
    char path[] = "/tmp/test_stream.XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) return -1;
    unlink(path);
    if (write(fd, data, len) != (ssize_t)len || lseek(fd, 0, SEEK_SET) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Gzips len bytes as one member; returns its length in out (cap bytes). */
static size_t gzip_member(const char *text, size_t len, unsigned char *out, size_t cap)
{
    z_stream z = {0};
    deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
    z.next_in = (Bytef *)(uintptr_t)text;
    z.avail_in = (uInt)len;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    deflate(&z, Z_FINISH);
    size_t n = cap - z.avail_out;
    deflateEnd(&z);
    return n;
}

/* Reads everything from s into buf (cap bytes); returns the length. */
static size_t read_all(struct stream *s, char *buf, size_t cap)
{
    size_t len = 0, got;
    while (len < cap && (got = stream_read(s, buf + len, cap - len)) > 0)
        len += got;
    return len;
}

int main(void)
{
    char buf[8192];
    unsigned char gz[4096];

    /* Plain bytes pass through. */
    struct stream *s = stream_open_fd(fd_of("plain text", 10));
    CHECK(!stream_is_gzip(s));
    CHECK_INT(read_all(s, buf, sizeof buf), 10);
    CHECK(memcmp(buf, "plain text", 10) == 0);
    CHECK(stream_error(s) == NULL);
    CHECK_INT(stream_bytes(s), 10);
    stream_close(s);

    /* Two gzip members read as one stream. */
    size_t n1 = gzip_member("first ", 6, gz, sizeof gz);
    size_t n2 = gzip_member("second", 6, gz + n1, sizeof gz - n1);
    s = stream_open_fd(fd_of(gz, n1 + n2));
    CHECK(stream_is_gzip(s));
    CHECK_INT(read_all(s, buf, sizeof buf), 12);
    CHECK(memcmp(buf, "first second", 12) == 0);
    CHECK(stream_error(s) == NULL);
    stream_close(s);

    /* Truncated gzip: what was there, then an error that says so. */
    char text[3000];
    for (size_t i = 0; i < sizeof text; i++)
        text[i] = (char)('a' + (i * 7) % 26);
    size_t n = gzip_member(text, sizeof text, gz, sizeof gz);
    s = stream_open_fd(fd_of(gz, n / 2));
    read_all(s, buf, sizeof buf);
    CHECK(stream_error(s) != NULL && strstr(stream_error(s), "truncated") != NULL);
    stream_close(s);

    /* Junk after the gzip data is reported, not ignored. */
    memcpy(gz + n, "JUNK", 4);
    s = stream_open_fd(fd_of(gz, n + 4));
    CHECK_INT(read_all(s, buf, sizeof buf), sizeof text);
    CHECK(stream_error(s) != NULL && strstr(stream_error(s), "after the end") != NULL);
    stream_close(s);

    /* Corrupt deflate data. */
    memcpy(gz, "\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\xff\xff\xff\xff", 14);
    s = stream_open_fd(fd_of(gz, 14));
    read_all(s, buf, sizeof buf);
    CHECK(stream_error(s) != NULL);
    stream_close(s);

    /* Windows: a member of a container, gzip inside, and the parent left after it. */
    n1 = gzip_member("inner", 5, gz + 3, sizeof gz - 3);
    memcpy(gz, "ab:", 3);
    memcpy(gz + 3 + n1, ":tail", 5);
    struct stream *parent = stream_open_fd(fd_of(gz, 3 + n1 + 5));
    CHECK_INT(stream_read(parent, buf, 3), 3);
    struct stream *w = stream_open_window(parent, n1);
    CHECK(stream_is_gzip(w));
    CHECK_INT(read_all(w, buf, sizeof buf), 5);
    CHECK(memcmp(buf, "inner", 5) == 0);
    stream_close(w);
    CHECK_INT(read_all(parent, buf, sizeof buf), 5);
    CHECK(memcmp(buf, ":tail", 5) == 0);
    stream_close(parent);

    /* A window closed unread still moves the parent past it; one longer than the parent
     * ends with an error. */
    parent = stream_open_fd(fd_of("0123456789", 10));
    w = stream_open_window(parent, 4);
    stream_close(w);
    CHECK_INT(read_all(parent, buf, sizeof buf), 6);
    CHECK(memcmp(buf, "456789", 6) == 0);
    stream_close(parent);
    parent = stream_open_fd(fd_of("0123", 4));
    w = stream_open_window(parent, 10);
    CHECK_INT(read_all(w, buf, sizeof buf), 4);
    CHECK(stream_error(w) != NULL);
    stream_close(w);
    stream_close(parent);

    /* Unread bytes come back first and are not counted twice. */
    s = stream_open_fd(fd_of("abcdef", 6));
    CHECK_INT(stream_read(s, buf, 3), 3);
    stream_unread(s, "abc", 3);
    CHECK_INT(read_all(s, buf, sizeof buf), 6);
    CHECK(memcmp(buf, "abcdef", 6) == 0);
    CHECK_INT(stream_bytes(s), 6);
    stream_close(s);

    /* An empty input. */
    s = stream_open_fd(fd_of("", 0));
    CHECK_INT(read_all(s, buf, sizeof buf), 0);
    CHECK(stream_error(s) == NULL);
    stream_close(s);
    return check_report("test_stream");
}
