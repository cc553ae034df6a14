/* date.h: publication dates, normalised to ISO 8601 whatever form the input wrote them in. */
#ifndef NEWS_DATE_H
#define NEWS_DATE_H

#include "error.h"

#define DATE_ISO_MAX 21 /* "YYYY-MM-DDTHH:MM:SSZ" + NUL */

/* Normalises a date as found in an article to "YYYY-MM-DD", or "YYYY-MM-DDTHH:MM:SSZ" when a
 * time of day is given (converted to UTC when an offset or zone is given; taken as UTC when
 * none is). Returns NEWS_ERR_FORMAT with a message when in is not a date it understands or
 * is not a real calendar date. Years 1000-9999: archives go back to the 1800s, never reject
 * old dates.
 *
 * Forms understood (surrounding whitespace ignored, names in any case):
 *   ISO 8601     2025-02-18, 2025/02/18, 2025.02.18, 20250218, 2025-2-8; a time after 'T'
 *                or spaces: 10:30, 10:30:00, 10:30:00.123, 103000 (after 'T'); then Z,
 *                +01:00, +0100, +01, or a zone name; "2025-02" and "2025" are kept as is
 *   RFC 822/2822 [Tue,] 18 Feb 2025 [10:30[:00]] [GMT|UT|UTC|Z|EST|...|PDT|+0000] [(comment)],
 *                2-digit years: < 50 is 20xx, else 19xx
 *   written      February 18, 2025; Feb. 18th 2025; Tuesday, 18 February 2025; 18-FEB-1987;
 *                26-FEB-1987 15:01:01.79; Feb 2025; each with an optional time (with AM/PM)
 *                and zone after the year, "at" or "," allowed before the time
 *   asctime      Tue Feb 18 10:30:00 [+0000|EST] 2025 (also Twitter's created_at)
 *   Unix time    9-10 digits (seconds, optional fraction) or 12-13 digits (milliseconds)
 * Month and day names are English, full or abbreviated (3 letters or more, so "Sept" and
 * "Tues"); a day name is not checked against the date. Zone names: the RFC 822 ones and
 * CET CEST EET EEST WET WEST BST JST AEST AEDT NZST NZDT HST AKST AKDT; others are an error.
 * A leap second (:60) is read as :59; 24:00 as midnight of the next day. Purely numeric
 * day-month orders (18/02/2025, 02/18/2025) are rejected as ambiguous. On failure out is
 * the empty string. */
enum news_status date_normalize(const char *in, char out[DATE_ISO_MAX], struct news_error *err);

#endif
