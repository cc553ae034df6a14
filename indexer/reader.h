/* reader.h: how a reader of a many-article format (SGML dumps, feeds, NewsML, WARC) hands
 * back each article it finds, and each record it cannot read. */
#ifndef NEWS_READER_H
#define NEWS_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "article.h"

/* One article found in a file. */
struct reader_record {
    struct article article; /* the sink may take its strings, setting the fields to NULL;
                               the reader frees whatever is left after emit returns */
    size_t record;          /* 1-based position of the record in the file */
    uint64_t offset;        /* byte offset of the record in the file, or 0 when unknown */
    const char *raw;        /* the record's bytes as read (hashed for provenance) */
    size_t raw_len;
};

/* Where a reader sends what it finds. */
struct reader_sink {
    /* An article. Returns false to stop reading (an interrupt). */
    bool (*emit)(void *ctx, struct reader_record *rec);
    /* A record that cannot be read: reported, and reading goes on with the next one. */
    void (*reject)(void *ctx, size_t record, uint64_t offset, const char *message);
    void *ctx;
};

#endif
