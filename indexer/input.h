/* input.h: reading what the user named (files, directories, .gz files, stdin) and cutting
 * it into records, each recognised by its content. */
#ifndef NEWS_INPUT_H
#define NEWS_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum input_format { INPUT_AUTO = 0, INPUT_TEXT, INPUT_JSONL };

/* Largest record read into memory: one plain-text file, or one JSON line. */
#define INPUT_MAX_RECORD_BYTES ((size_t)32 << 20)

/* One record as read, valid until the callback returns. */
struct input_record {
    const char *path;     /* as the user can find it: the path given, or found under it */
    const char *abs_path; /* canonical absolute path, for provenance; "-" for stdin */
    size_t record;        /* 1-based record number within the file */
    uint64_t offset;      /* byte offset of the record in the (decompressed) file */
    const char *data;
    size_t len;
    enum input_format format;
};

struct input_callbacks {
    /* A record. Returns false to stop reading altogether (an interrupt). */
    bool (*on_record)(void *ctx, const struct input_record *rec);
    /* A file or record that cannot be read: what kind of problem (a short fixed phrase
     * the summary counts by), and the message with its details. record is 0 for a
     * problem with the whole file. */
    void (*on_reject)(void *ctx, const char *path, size_t record, const char *kind,
                      const char *message);
    /* A file was read to its end (or as far as it could be); bytes is its decompressed
     * size. */
    void (*on_file)(void *ctx, const char *path, uint64_t bytes);
};

/* Reads path ("-" for stdin; a directory is walked recursively in name order, skipping
 * names that begin with a dot). Gzip-compressed input is decompressed whatever its name.
 * forced is INPUT_AUTO to recognise each file by its content. Problems with a file or a
 * record go to on_reject and reading goes on. Returns false if on_record asked to stop. */
bool input_read_path(const char *path, enum input_format forced, const struct input_callbacks *cb,
                     void *ctx);

/* Recognises the format of a file from its first bytes: JSON Lines if the first
 * character after any byte order mark and whitespace is '{', plain text otherwise.
 * Returns INPUT_AUTO for binary data (NUL bytes or many control characters). */
enum input_format input_sniff(const char *data, size_t len);

#endif
