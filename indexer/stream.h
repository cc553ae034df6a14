/* stream.h: bytes from a file, stdin, or a member of a container, gunzipped when they are
 * gzip whatever the name says. Reads return what is there (a pipe delivers records as
 * they arrive), and every failure becomes a message, never a crash. */
#ifndef NEWS_STREAM_H
#define NEWS_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct stream;

/* Opens a stream over fd, which it takes over (closed by stream_close). Never NULL. */
struct stream *stream_open_fd(int fd);

/* Opens a stream over the next `length` bytes of parent (a tar member). parent must not be
 * read until this stream is closed; closing it skips what was not read. Never NULL. */
struct stream *stream_open_window(struct stream *parent, uint64_t length);

/* Adds every byte s reads from its descriptor (before any gunzip) to *counter, which
 * must outlive s: how far through its inputs a run is. */
void stream_count_into(struct stream *s, uint64_t *counter);

/* Reads up to cap bytes; returns how many (0 at the end or after an error). */
size_t stream_read(struct stream *s, char *buf, size_t cap);

/* Puts len bytes just read back in front of the stream: the next reads return them
 * first. For a reader that looked at the start of a stream before knowing what it is. */
void stream_unread(struct stream *s, const char *data, size_t len);

/* Why reading stopped early ("truncated gzip data", strerror...), or NULL. */
const char *stream_error(const struct stream *s);

/* Bytes delivered so far (after decompression). */
uint64_t stream_bytes(const struct stream *s);

/* True if the stream is being gunzipped. */
bool stream_is_gzip(const struct stream *s);

/* Closes the stream (and its descriptor); accepts NULL. */
void stream_close(struct stream *s);

#endif
