/* simhash.h: a 64-bit SimHash of an article's lead, so that copies of one story with small
 * edits (wire reprints) get fingerprints a few bits apart. Pure: bytes in, fingerprint out. */
#ifndef NEWS_SIMHASH_H
#define NEWS_SIMHASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Two fingerprints within this many differing bits are copies (Manku, Jain and Das Sarma,
 * "Detecting near-duplicates for web crawling", WWW 2007: 64 bits, k = 3). SimHash flips
 * each bit with probability angle / pi, the angle between the two texts' shingle counts, so
 * 3 bits in 64 means a cosine of about 0.99: for n shingles, changing c of them flips about
 * 64 * acos(1 - c / n) / pi bits. What is fingerprinted is chosen with that in mind. */
#define SIMHASH_MAX_DISTANCE 3

/* Words per shingle: each pair of consecutive words is one feature, so a changed word
 * changes two features (three-word shingles make it three, for no gain in precision on
 * Reuters-21578). */
#define SIMHASH_SHINGLE_WORDS 2

/* Only the lead is fingerprinted: the first 150 words that count. Papers shorten wire
 * copy from the bottom (news is written most important first), and a cut last paragraph
 * of a 400-word story flips about 6 bits of a whole-text fingerprint; two texts that share
 * their first 150 words are the same story. */
#define SIMHASH_LEAD_WORDS 150

/* Lines of fewer words do not count: bylines, datelines on a line of their own, photo
 * credits, sign-offs ("Reporting by..."), rows of figures: what reprints change, or what
 * different stories of one kind share. */
#define SIMHASH_MIN_LINE_WORDS 8

/* Nor does a dateline at the start of the lead: up to this many words before a dash
 * standing alone ("LONDON (Reuters) - ", "PARIS, March 3 (AP) -- "). */
#define SIMHASH_MAX_DATELINE_WORDS 8

/* Texts with fewer words that count get no fingerprint: one changed word among 40 already
 * flips about 6.6 bits, so below that only texts identical but for punctuation or case
 * could be found, which is weak evidence of one story for so short a text (briefs, notices,
 * and empty texts, whose fingerprint would be 0). */
#define SIMHASH_MIN_WORDS 40

/* The fingerprint in SIMHASH_BLOCKS blocks of SIMHASH_BLOCK_BITS bits: two fingerprints
 * within SIMHASH_MAX_DISTANCE bits agree exactly on at least one block (pigeonhole), so
 * looking up each block finds every candidate. */
#define SIMHASH_BLOCKS 4
#define SIMHASH_BLOCK_BITS 16

/* Bytes of a word that count; longer words (URLs, runs of digits) are cut there. */
#define SIMHASH_MAX_WORD_BYTES 64

/* Fingerprints len bytes of UTF-8 text: the words of its lines of at least
 * SIMHASH_MIN_LINE_WORDS words, without a leading dateline, up to SIMHASH_LEAD_WORDS. A
 * word is a run of ASCII letters and digits and non-ASCII characters other than Latin-1 and
 * general punctuation (curly quotes, dashes, no-break spaces), so punctuation and spacing
 * do not matter; ASCII letters are lower-cased. Each shingle is hashed with hash64 and
 * votes on every bit. Returns false, leaving *fingerprint alone, when fewer than
 * SIMHASH_MIN_WORDS words count. Deterministic across runs and machines: fingerprints are
 * stored in archives, so changing any of the above needs an archive upgrade. */
bool simhash_text(const char *text, size_t len, uint64_t *fingerprint);

/* The number of bits in which a and b differ, 0 to 64. */
int simhash_distance(uint64_t a, uint64_t b);

/* Block block_no (0 to SIMHASH_BLOCKS - 1) of a fingerprint: its bits
 * block_no * SIMHASH_BLOCK_BITS and up. */
unsigned simhash_block(uint64_t fingerprint, int block_no);

#endif
