/* input.h: reading what the user named (files, directories, gzip, tar, WARC, ARC, stdin)
 * and cutting it into records, each recognised by its content. */
#ifndef NEWS_INPUT_H
#define NEWS_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What a record is. INPUT_AUTO asks for recognition; the last four are containers and
 * never reach a record callback. */
enum input_format {
    INPUT_AUTO = 0,
    INPUT_TEXT,    /* one plain-text article per file */
    INPUT_JSONL,   /* one JSON object per line */
    INPUT_JSON,    /* one JSON document: an array of articles, a feed of them, or one */
    INPUT_HTML,    /* one web page */
    INPUT_FEED,    /* RSS or Atom: the file is one record with many articles */
    INPUT_NEWSML,  /* NewsML-G2 or NITF: likewise */
    INPUT_REUTERS, /* Reuters-21578 SGML: one <REUTERS> per record */
    INPUT_TREC,    /* TREC SGML: one <DOC> per record */
    INPUT_BINARY,  /* not text: rejected */
    INPUT_TAR,     /* a tar archive: each member is read as a file */
    INPUT_WARC,    /* a WARC file: each HTML response is a record */
    INPUT_ARC      /* an ARC file (the web archive format before WARC): likewise */
};

/* How many formats there are, for tables indexed by format. */
enum { INPUT_FORMAT_COUNT = INPUT_ARC + 1 };

/* Largest record read into memory: one file's article, one JSON line, one SGML, WARC or
 * ARC record. */
#define INPUT_MAX_RECORD_BYTES ((size_t)32 << 20)

/* One record as read, valid until the callback returns. */
struct input_record {
    const char *path;     /* as the user can find it: the path given or found under it, with
                             ":member" for a tar member */
    const char *abs_path; /* canonical absolute path (":member" likewise), for provenance;
                             "-" for stdin */
    size_t record;        /* 1-based record number within the file (a JSON line number) */
    uint64_t offset;      /* byte offset of the record in the (decompressed) file */
    const char *data;
    size_t len;
    enum input_format format;
    /* INPUT_WARC or INPUT_ARC for a page a web archive captured, else INPUT_AUTO; then: */
    enum input_format container;
    const char *url;        /* the address captured: WARC-Target-URI, an ARC record's URL */
    const char *charset;    /* from the HTTP Content-Type, or NULL */
    const char *record_id;  /* WARC-Record-ID, or NULL */
    const char *crawl_date; /* when it was captured, ISO 8601 (WARC-Date) */
    /* Plain text only because nothing else matched (textfmt_is_article): a file that may
     * not be an article at all, such as a README or a list of addresses. */
    bool is_fallback;
};

struct input_callbacks {
    /* A record. Returns false to stop reading altogether (an interrupt). */
    bool (*on_record)(void *ctx, const struct input_record *rec);
    /* A file or record that cannot be read: what kind of problem (a short fixed phrase
     * the summary counts by), and the message with its details. record is 0 for a
     * problem with the whole file. */
    void (*on_reject)(void *ctx, const char *path, size_t record, const char *kind,
                      const char *message);
    /* A record deliberately passed over (a WARC request, a non-HTML response): what it is. */
    void (*on_skip)(void *ctx, const char *path, const char *what);
    /* A file was read to its end (or as far as it could be); bytes is its decompressed
     * size. */
    void (*on_file)(void *ctx, const char *path, uint64_t bytes);
    /* If set, every byte read from a file or stdin (before gunzip) is added to it. */
    uint64_t *disk_bytes;
};

/* Reads path ("-" for stdin; a directory is walked recursively in name order, skipping
 * names that begin with a dot). Gzip is decompressed and tar members are read as files,
 * whatever the names say. forced is INPUT_AUTO to recognise each file by its content, or
 * a record format (TEXT to TREC) to read every file as that. Problems with a file or a
 * record go to on_reject and reading goes on. Returns false if on_record asked to stop. */
bool input_read_path(const char *path, enum input_format forced, const struct input_callbacks *cb,
                     void *ctx);

/* Recognises a file from its first bytes (a few KB): a container, a record format, or
 * INPUT_BINARY for data that is not text. */
enum input_format input_sniff(const char *data, size_t len);

/* The format's name as --format takes it ("text", "jsonl", ...), for messages. */
const char *input_format_name(enum input_format f);

#endif
