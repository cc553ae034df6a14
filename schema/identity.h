/* identity.h: what makes two records versions of one article, rather than two articles.
 *
 * A record's identity is what it says of itself, scoped so that it cannot join strangers:
 * the address a web archive captured; or its own id (JSON id, feed guid, NewsML guid,
 * Reuters NEWID, TREC DOCNO) within its source, or within its input file when it has no
 * source (two files that both number their records 1, 2, ... are not one collection); or
 * else its URL. Records with the same identity and other text are versions of one article.
 * An own id or a URL can still be reused for something else (a site that numbers anew, a
 * canonical link that names the home page), so such records are versions only when they
 * have something in common (identity_related); captures of one address always are. */
#ifndef NEWS_IDENTITY_H
#define NEWS_IDENTITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum identity_kind {
    IDENTITY_NONE,    /* nothing identifies the record: it can only be a duplicate */
    IDENTITY_CAPTURE, /* a web archive's capture of an address */
    IDENTITY_ID,      /* its own id, within its source or its file */
    IDENTITY_URL      /* its URL */
};

/* What a record says of itself. Any field may be NULL. */
struct identity_input {
    const char *captured_url; /* the address a web archive captured (WARC-Target-URI, ARC URL) */
    const char *source_id;    /* the record's own id */
    const char *source;       /* its publication */
    const char *file;         /* the input file's absolute path; "-" (stdin) scopes nothing */
    const char *url;          /* its URL */
};

/* The identity: a kind and a 64-bit key (article.identity), 0 for IDENTITY_NONE. Equal keys
 * mean the same kind and the same identity (barring a 64-bit hash collision, which
 * identity_related guards against for all but captures). */
struct identity {
    enum identity_kind kind;
    int64_t key;
};

/* The identity of a record, by the first rule that applies: a captured address; an own id
 * with a source (compared in any ASCII case); an own id with an input file; a URL. */
struct identity identity_of(const struct identity_input *in);

/* Whether two versions of a title and text have anything in common: half the words of the
 * shorter title (and two words, when it has two), or two fifths of the pairs of consecutive
 * words of the shorter text. Texts are UTF-8; words are runs of letters and digits compared
 * in ASCII lower case. (Of 20,000 random pairs of Reuters-21578 stories, none shares two
 * fifths of its pairs, the most 0.385; of its 310 pairs of wire copies the least shares
 * 0.626.) */
bool identity_related(const char *title_a, const char *text_a, size_t len_a, const char *title_b,
                      const char *text_b, size_t len_b);

#endif
