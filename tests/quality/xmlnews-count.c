/* xmlnews-count.c: runs the feed and NewsML readers over files and prints, per file,
 * "PATH<TAB>kind<TAB>articles<TAB>rejected<TAB>error", so that what they make of a corpus
 * can be checked. A file that sniffs as neither is read as a feed, to say why it fails.
 * With -v, each article follows as "\t#RECORD<TAB>title<TAB>date<TAB>text bytes". */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xmlnews.h"

/* Largest file read. */
#define MAX_FILE_BYTES ((size_t)64 << 20)

enum { EXIT_OK = 0, EXIT_UNREADABLE = 1, EXIT_USAGE = 2 };

struct counts {
    size_t articles, rejected;
    bool verbose;
};

static bool count_article(void *ctx, struct reader_record *rec)
{
    struct counts *c = ctx;
    c->articles++;
    if (c->verbose)
        printf("\t#%zu\t%s\t%s\t%zu\n", rec->record, rec->article.title ? rec->article.title : "-",
               rec->article.date ? rec->article.date : "-",
               rec->article.text ? strlen(rec->article.text) : 0);
    return true;
}

static void count_reject(void *ctx, size_t record, uint64_t offset, const char *message)
{
    struct counts *c = ctx;
    (void)offset;
    c->rejected++;
    if (c->verbose) printf("\t#%zu\trejected: %s\n", record, message);
}

/* Reads the whole file at path into a malloc'd buffer; NULL (errno set) on failure. */
static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 16, n = 0, got;
    char *buf = malloc(cap);
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *bigger = cap < MAX_FILE_BYTES ? realloc(buf, cap * 2) : NULL;
            if (!bigger) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = bigger;
            cap *= 2;
        }
    }
    bool failed = ferror(f) != 0;
    fclose(f);
    if (failed) {
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

/* Prints the line for one file; false if it could not be read. */
static bool count_file(const char *path, bool verbose)
{
    size_t len = 0;
    char *data = read_file(path, &len);
    if (!data) {
        fprintf(stderr, "xmlnews-count: error: cannot read %s\n", path);
        return false;
    }
    struct counts c = {0, 0, verbose};
    struct reader_sink sink = {count_article, count_reject, &c};
    struct news_error err = {{0}};
    enum xmlnews_kind kind = xmlnews_sniff(data, len < 4096 ? len : 4096);
    enum news_status st = kind == XMLNEWS_NEWSML ? xmlnews_parse_newsml(data, len, &sink, &err)
                                                 : xmlnews_parse_feed(data, len, &sink, &err);
    static const char *const kinds[] = {"none", "feed", "newsml"};
    printf("%s\t%s\t%zu\t%zu\t%s\n", path, kinds[kind], c.articles, c.rejected,
           st == NEWS_OK ? "-" : err.msg);
    free(data);
    return true;
}

int main(int argc, char **argv)
{
    bool verbose = argc > 1 && strcmp(argv[1], "-v") == 0;
    int first = verbose ? 2 : 1;
    if (first >= argc) {
        fprintf(stderr, "usage: xmlnews-count [-v] FILE...\n");
        return EXIT_USAGE;
    }
    int status = EXIT_OK;
    for (int i = first; i < argc; i++)
        if (!count_file(argv[i], verbose)) status = EXIT_UNREADABLE;
    if (ferror(stdout) || fclose(stdout) != 0) {
        fprintf(stderr, "xmlnews-count: error: writing the output failed\n");
        return EXIT_UNREADABLE;
    }
    return status;
}
