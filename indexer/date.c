/* date.c: reads the date forms news sources write (ISO 8601, RFC 822, written-out English,
 * asctime, Unix time) and writes them as ISO 8601 in UTC. Calendar arithmetic is done here
 * (days from civil and back) rather than with timegm/mktime, which are not portable and
 * depend on the process's time zone. */
#include "date.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Longer input is not a date: the longest form ("Wednesday, September 18th, 2025 at 10:30:00
 * a.m. EDT (Eastern Daylight Time)") is well under it. */
#define DATE_MAX_INPUT_BYTES 128

/* How much of the input an error message quotes. */
#define DATE_SHOWN_BYTES 60

/* The date as read, before checking and conversion. */
struct date_parts {
    int year, month, day;
    bool has_month, has_day, has_time; /* "2025" and "2025-02" have no day */
    int hour, minute, second;
    int offset_minutes; /* local time minus UTC */
};

/* The trimmed input and the reading position in it. */
struct scan {
    const char *p, *end;
    const char *start;
    const char *shown; /* the input as error messages quote it */
    struct news_error *err;
};

static const char *const month_names[12] = {"january",   "february", "march",    "april",
                                            "may",       "june",     "july",     "august",
                                            "september", "october",  "november", "december"};
static const char *const month_titles[12] = {"January",   "February", "March",    "April",
                                             "May",       "June",     "July",     "August",
                                             "September", "October",  "November", "December"};
static const char *const day_names[7] = {"monday", "tuesday",  "wednesday", "thursday",
                                         "friday", "saturday", "sunday"};

/* Month names of other languages news feeds are written in (Portuguese, Spanish, French,
 * German), in ASCII as they are usually abbreviated in dates ("Set", "Dez", "Okt"); each
 * with its month number. Tried after the English ones. */
static const struct {
    const char *name;
    int month;
} foreign_months[] = {
    {"janeiro", 1},    {"fevereiro", 2},  {"marco", 3},    {"maio", 5},       {"junho", 6},
    {"julho", 7},      {"agosto", 8},     {"setembro", 9}, {"outubro", 10},   {"novembro", 11},
    {"dezembro", 12},  {"enero", 1},      {"febrero", 2},  {"marzo", 3},      {"abril", 4},
    {"mayo", 5},       {"junio", 6},      {"julio", 7},    {"septiembre", 9}, {"octubre", 10},
    {"noviembre", 11}, {"diciembre", 12}, {"janvier", 1},  {"fevrier", 2},    {"avril", 4},
    {"mars", 3},       {"juin", 6},       {"juillet", 7},  {"aout", 8},       {"octobre", 10},
    {"decembre", 12},  {"januar", 1},     {"februar", 2},  {"maerz", 3},      {"juni", 6},
    {"juli", 7},       {"oktober", 10},   {"dezember", 12}};

/* Day names of the same languages. Some abbreviations are also month names ("Mar" is
 * martes and March), so these count as day names only when a comma follows. */
static const char *const foreign_days[] = {
    "segunda",  "terca",      "quarta",    "quinta",  "sexta",    "sabado", "domingo",
    "lunes",    "martes",     "miercoles", "jueves",  "viernes",  "lundi",  "mardi",
    "mercredi", "jeudi",      "vendredi",  "samedi",  "dimanche", "montag", "dienstag",
    "mittwoch", "donnerstag", "freitag",   "samstag", "sonntag"};

/* Zone names and their offsets from UTC in minutes: RFC 822's, then a few common ones
 * whose meaning in news is not in doubt. */
static const struct {
    const char *name;
    int minutes;
} zones[] = {
    {"gmt", 0},    {"ut", 0},      {"utc", 0},     {"z", 0},      {"est", -300}, {"edt", -240},
    {"cst", -360}, {"cdt", -300},  {"mst", -420},  {"mdt", -360}, {"pst", -480}, {"pdt", -420},
    {"cet", 60},   {"cest", 120},  {"eet", 120},   {"eest", 180}, {"wet", 0},    {"west", 60},
    {"bst", 60},   {"jst", 540},   {"aest", 600},  {"aedt", 660}, {"nzst", 720}, {"nzdt", 780},
    {"hst", -600}, {"akst", -540}, {"akdt", -480},
};

/* Character classes and case folding for ASCII only, whatever the locale. */
static bool is_digit(int c)
{
    return c >= '0' && c <= '9';
}

static bool is_alpha(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_space(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* Reports a malformed date, quoting the input. Returns NEWS_ERR_FORMAT. */
static enum news_status fail(const struct scan *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static enum news_status fail(const struct scan *s, const char *fmt, ...)
{
    char why[256];
    va_list ap;
    va_start(ap, fmt);
    /* The analyzer loses track of va_start when it follows a caller into fail(). */
    vsnprintf(why, sizeof why, fmt, ap); /* NOLINT(clang-analyzer-valist.Uninitialized) */
    va_end(ap);
    return news_error_set(s->err, NEWS_ERR_FORMAT, "date '%s': %s", s->shown, why);
}

/* 1-based column of the reading position in the trimmed input. */
static size_t column(const struct scan *s)
{
    return (size_t)(s->p - s->start) + 1;
}

/* Reports the byte at the reading position as unexpected. */
static enum news_status unexpected(const struct scan *s)
{
    unsigned char c = (unsigned char)*s->p;
    if (c > 0x20 && c < 0x7F) return fail(s, "unexpected '%c' at column %zu", c, column(s));
    return fail(s, "unexpected byte 0x%02X at column %zu", c, column(s));
}

/* Copies the input into shown (at most DATE_SHOWN_BYTES, cut at a character boundary and
 * marked "..."), with control characters as '?'. */
static void quote_input(const char *b, const char *e, char shown[DATE_SHOWN_BYTES + 4])
{
    size_t n = (size_t)(e - b);
    bool is_cut = n > DATE_SHOWN_BYTES;
    if (is_cut) {
        n = DATE_SHOWN_BYTES;
        while (n > 0 && ((unsigned char)b[n] & 0xC0) == 0x80)
            n--;
    }
    for (size_t i = 0; i < n; i++) {
        shown[i] = b[i];
        if ((unsigned char)b[i] < 0x20) shown[i] = '?';
    }
    if (is_cut)
        memcpy(shown + n, "...", 4);
    else
        shown[n] = '\0';
}

/* Length of the run of digits at the reading position. */
static size_t count_digits(const struct scan *s)
{
    const char *q = s->p;
    while (q < s->end && is_digit((unsigned char)*q))
        q++;
    return (size_t)(q - s->p);
}

/* The value of n (at most 9) digits at p. */
static int digits_value(const char *p, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (p[i] - '0');
    return v;
}

/* Length of the run of ASCII letters at the reading position. */
static size_t word_len(const struct scan *s)
{
    const char *q = s->p;
    while (q < s->end && is_alpha((unsigned char)*q))
        q++;
    return (size_t)(q - s->p);
}

/* Whether the n-letter word w is name (lowercase), ignoring case. */
static bool word_is(const char *w, size_t n, const char *name)
{
    if (strlen(name) != n) return false;
    for (size_t i = 0; i < n; i++)
        if (lower((unsigned char)w[i]) != name[i]) return false;
    return true;
}

/* Whether the n-letter word w is full (lowercase) or an abbreviation of it of 3 letters or
 * more ("Feb", "Sept", "Tues"), ignoring case. */
static bool word_abbreviates(const char *w, size_t n, const char *full)
{
    if (n < 3 || n > strlen(full)) return false;
    for (size_t i = 0; i < n; i++)
        if (lower((unsigned char)w[i]) != full[i]) return false;
    return true;
}

/* Steps over whitespace. */
static void skip_spaces(struct scan *s)
{
    while (s->p < s->end && is_space((unsigned char)*s->p))
        s->p++;
}

/* Skips whitespace and any of the characters in seps. */
static void skip_seps(struct scan *s, const char *seps)
{
    while (s->p < s->end && (is_space((unsigned char)*s->p) || strchr(seps, *s->p)))
        s->p++;
}

/* Checks that nothing but whitespace is left. */
static enum news_status expect_end(struct scan *s)
{
    skip_spaces(s);
    return s->p == s->end ? NEWS_OK : unexpected(s);
}

/* Gregorian rules, also before 1582 (proleptic), as ISO 8601 has it. */
static bool is_leap(int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

/* Days in month (1-12) of year. */
static int days_in_month(int year, int month)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && is_leap(year) ? 29 : days[month - 1];
}

/* Days from 1970-01-01 to the given proleptic Gregorian date (negative before it), after
 * Howard Hinnant's days_from_civil. */
static int64_t days_from_civil(int64_t year, int month, int day)
{
    year -= month <= 2;
    int64_t era = (year >= 0 ? year : year - 399) / 400;
    int64_t yoe = year - era * 400;                                              /* 0-399 */
    int64_t doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1; /* 0-365 */
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;                         /* 0-146096 */
    return era * 146097 + doe - 719468;
}

/* The inverse of days_from_civil. */
static void civil_from_days(int64_t days, int *year, int *month, int *day)
{
    days += 719468;
    int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    int64_t doe = days - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t m = mp < 10 ? mp + 3 : mp - 9;
    *day = (int)(doy - (153 * mp + 2) / 5 + 1);
    *month = (int)m;
    *year = (int)(yoe + era * 400 + (m <= 2));
}

/* Rounds toward minus infinity, for times before 1970. */
static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && a < 0) ? q - 1 : q;
}

/* Writes value as width zero-padded digits. */
static void put_digits(char *out, int value, int width)
{
    for (int i = width - 1; i >= 0; i--) {
        out[i] = (char)('0' + value % 10);
        value /= 10;
    }
}

/* Reads a UTC offset at the '+' or '-' at the reading position: +HH, +HHMM or +HH:MM. */
static enum news_status parse_offset(struct scan *s, struct date_parts *d)
{
    int sign = *s->p == '-' ? -1 : 1;
    s->p++;
    size_t n = count_digits(s);
    int hours, minutes = 0;
    if (n == 4) {
        hours = digits_value(s->p, 2);
        minutes = digits_value(s->p + 2, 2);
        s->p += 4;
    } else if (n == 1 || n == 2) {
        hours = digits_value(s->p, n);
        s->p += n;
        if (s->p < s->end && *s->p == ':') {
            s->p++;
            if (count_digits(s) != 2)
                return fail(s, "expected 2 digits of offset minutes at column %zu", column(s));
            minutes = digits_value(s->p, 2);
            s->p += 2;
        }
    } else {
        return fail(s, "expected a UTC offset like +01:00 at column %zu", column(s));
    }
    if (hours > 18 || minutes > 59)
        return fail(s, "UTC offset %c%02d:%02d is out of range", sign < 0 ? '-' : '+', hours,
                    minutes);
    d->offset_minutes += sign * (hours * 60 + minutes);
    return NEWS_OK;
}

/* Reads an optional zone after a time: Z, a UTC offset, or a zone name (GMT and UTC may
 * carry an offset, "GMT+1"), then an optional parenthesised comment as RFC 2822 allows.
 * Reads nothing if there is no zone. */
static enum news_status parse_zone(struct scan *s, struct date_parts *d)
{
    const char *before = s->p;
    skip_spaces(s);
    if (s->p == s->end) {
        s->p = before;
        return NEWS_OK;
    }
    enum news_status st;
    if (*s->p == '+' || *s->p == '-') {
        st = parse_offset(s, d);
        if (st != NEWS_OK) return st;
    } else if (is_alpha((unsigned char)*s->p)) {
        size_t n = word_len(s);
        size_t z = 0;
        while (z < sizeof zones / sizeof zones[0] && !word_is(s->p, n, zones[z].name))
            z++;
        if (z == sizeof zones / sizeof zones[0])
            return fail(s, "unknown time zone '%.*s' at column %zu", n > 20 ? 20 : (int)n, s->p,
                        column(s));
        bool is_utc = word_is(s->p, n, "gmt") || word_is(s->p, n, "utc") || word_is(s->p, n, "ut");
        s->p += n;
        d->offset_minutes = zones[z].minutes;
        if (is_utc && s->p < s->end && (*s->p == '+' || *s->p == '-')) {
            st = parse_offset(s, d);
            if (st != NEWS_OK) return st;
        }
    } else {
        s->p = before;
        return NEWS_OK;
    }
    before = s->p;
    skip_spaces(s);
    if (s->p < s->end && *s->p == '(') {
        const char *close = memchr(s->p, ')', (size_t)(s->end - s->p));
        if (!close) return fail(s, "unclosed '(' at column %zu", column(s));
        s->p = close + 1;
    } else {
        s->p = before;
    }
    return NEWS_OK;
}

/* Length of an AM/PM marker ("am", "PM", "a.m.") at the reading position, 0 if none. */
static size_t meridiem_len(const struct scan *s, bool *is_pm)
{
    const char *q = s->p;
    if (q == s->end || (lower((unsigned char)*q) != 'a' && lower((unsigned char)*q) != 'p'))
        return 0;
    *is_pm = lower((unsigned char)*q) == 'p';
    q++;
    if (q < s->end && *q == '.') q++;
    if (q == s->end || lower((unsigned char)*q) != 'm') return 0;
    q++;
    if (q < s->end && *q == '.') q++;
    if (q < s->end && is_alpha((unsigned char)*q)) return 0;
    return (size_t)(q - s->p);
}

/* Reads a time of day: H:MM, HH:MM:SS, with an optional fraction of a second (dropped) and
 * AM/PM; with is_compact also ISO's HHMM and HHMMSS. */
static enum news_status parse_clock(struct scan *s, struct date_parts *d, bool is_compact)
{
    size_t n = count_digits(s);
    bool has_seconds = false;
    if ((n == 1 || n == 2) && s->p + n < s->end && s->p[n] == ':') {
        d->hour = digits_value(s->p, n);
        s->p += n + 1;
        if (count_digits(s) != 2)
            return fail(s, "expected 2 digits of minutes at column %zu", column(s));
        d->minute = digits_value(s->p, 2);
        s->p += 2;
        if (s->p < s->end && *s->p == ':') {
            s->p++;
            if (count_digits(s) != 2)
                return fail(s, "expected 2 digits of seconds at column %zu", column(s));
            d->second = digits_value(s->p, 2);
            s->p += 2;
            has_seconds = true;
        }
    } else if (is_compact && (n == 4 || n == 6)) {
        d->hour = digits_value(s->p, 2);
        d->minute = digits_value(s->p + 2, 2);
        if (n == 6) d->second = digits_value(s->p + 4, 2);
        has_seconds = n == 6;
        s->p += n;
    } else {
        return fail(s, "expected a time of day (HH:MM) at column %zu", column(s));
    }
    if (has_seconds && s->end - s->p >= 2 && (*s->p == '.' || *s->p == ',') &&
        is_digit((unsigned char)s->p[1])) {
        s->p++;
        s->p += count_digits(s);
    }
    const char *before = s->p;
    skip_spaces(s);
    bool is_pm = false;
    size_t m = meridiem_len(s, &is_pm);
    if (m > 0) {
        if (d->hour < 1 || d->hour > 12)
            return fail(s, "hour %d is out of range with %s (1-12)", d->hour, is_pm ? "PM" : "AM");
        d->hour = d->hour % 12 + (is_pm ? 12 : 0);
        s->p += m;
    } else {
        s->p = before;
    }
    d->has_time = true;
    return NEWS_OK;
}

/* Reads what may follow an ISO date: nothing, or 'T' or spaces, a time and a zone. */
static enum news_status parse_iso_time(struct scan *s, struct date_parts *d)
{
    if (s->p == s->end) return NEWS_OK;
    bool is_compact = false;
    if (*s->p == 'T' || *s->p == 't') {
        s->p++;
        is_compact = true;
    } else if (is_space((unsigned char)*s->p)) {
        skip_spaces(s);
    } else {
        return unexpected(s);
    }
    enum news_status st = parse_clock(s, d, is_compact);
    if (st == NEWS_OK) st = parse_zone(s, d);
    if (st == NEWS_OK) st = expect_end(s);
    return st;
}

/* Reads YYYY, YYYY-M[M] or YYYY-M[M]-D[D] ('/' or '.' may stand for '-'), then a time. */
static enum news_status parse_iso(struct scan *s, struct date_parts *d)
{
    d->year = digits_value(s->p, 4);
    s->p += 4;
    if (s->p == s->end) return NEWS_OK;
    char sep = *s->p++;
    size_t n = count_digits(s);
    if (n < 1 || n > 2) return fail(s, "expected a month number at column %zu", column(s));
    d->month = digits_value(s->p, n);
    d->has_month = true;
    s->p += n;
    if (s->p == s->end) return NEWS_OK;
    if (*s->p != sep) return unexpected(s);
    s->p++;
    n = count_digits(s);
    if (n < 1 || n > 2) return fail(s, "expected a day of the month at column %zu", column(s));
    d->day = digits_value(s->p, n);
    d->has_day = true;
    s->p += n;
    return parse_iso_time(s, d);
}

/* Reads ISO's basic YYYYMMDD, then a time. */
static enum news_status parse_basic(struct scan *s, struct date_parts *d)
{
    d->year = digits_value(s->p, 4);
    d->month = digits_value(s->p + 4, 2);
    d->day = digits_value(s->p + 6, 2);
    d->has_month = d->has_day = true;
    s->p += 8;
    return parse_iso_time(s, d);
}

/* Reads Unix time: n digits of seconds (9-10, a fraction allowed) or milliseconds (12-13). */
static enum news_status parse_unix(struct scan *s, struct date_parts *d, size_t n)
{
    int64_t value = 0;
    for (size_t i = 0; i < n; i++)
        value = value * 10 + (s->p[i] - '0');
    s->p += n;
    if (n <= 10 && s->end - s->p >= 2 && *s->p == '.' && is_digit((unsigned char)s->p[1])) {
        s->p++;
        s->p += count_digits(s);
    }
    enum news_status st = expect_end(s);
    if (st != NEWS_OK) return st;
    int64_t seconds = n >= 12 ? value / 1000 : value;
    int64_t days = floor_div(seconds, 86400), rest = seconds - days * 86400;
    civil_from_days(days, &d->year, &d->month, &d->day);
    d->hour = (int)(rest / 3600);
    d->minute = (int)(rest / 60 % 60);
    d->second = (int)(rest % 60);
    d->has_month = d->has_day = d->has_time = true;
    return NEWS_OK;
}

/* Reads a month name (and a '.' after an abbreviation). */
static enum news_status read_month(struct scan *s, struct date_parts *d)
{
    size_t n = word_len(s);
    if (n == 0) return fail(s, "expected a month name at column %zu", column(s));
    int month = 0;
    while (month < 12 && !word_abbreviates(s->p, n, month_names[month]))
        month++;
    for (size_t i = 0; month == 12 && i < sizeof foreign_months / sizeof *foreign_months; i++)
        if (word_abbreviates(s->p, n, foreign_months[i].name)) month = foreign_months[i].month - 1;
    if (month == 12)
        return fail(s, "unknown month name '%.*s' at column %zu", n > 20 ? 20 : (int)n, s->p,
                    column(s));
    s->p += n;
    if (s->p < s->end && *s->p == '.') s->p++;
    d->month = month + 1;
    d->has_month = true;
    return NEWS_OK;
}

/* Reads a day of the month of 1-2 digits, and an ordinal suffix ("18th"). */
static enum news_status read_day(struct scan *s, struct date_parts *d)
{
    size_t n = count_digits(s);
    if (n < 1 || n > 2) return fail(s, "expected a day of the month at column %zu", column(s));
    d->day = digits_value(s->p, n);
    d->has_day = true;
    s->p += n;
    static const char *const suffixes[] = {"st", "nd", "rd", "th"};
    size_t w = word_len(s);
    for (size_t i = 0; w == 2 && i < 4; i++)
        if (word_is(s->p, 2, suffixes[i])) s->p += 2;
    return NEWS_OK;
}

/* Reads an optional time and zone after a written date's year: ", 10:30 AM EST",
 * " at 10:30", ":10:30:00 +0000" (as web server logs write it). */
static enum news_status parse_trailing_time(struct scan *s, struct date_parts *d)
{
    if (s->p == s->end) return NEWS_OK;
    const char *before = s->p;
    if (*s->p == ':')
        s->p++;
    else
        skip_seps(s, ",");
    if (word_len(s) == 2 && word_is(s->p, 2, "at")) {
        s->p += 2;
        skip_spaces(s);
    }
    if (s->p == before) return unexpected(s);
    enum news_status st = parse_clock(s, d, false);
    if (st == NEWS_OK) st = parse_zone(s, d);
    if (st == NEWS_OK) st = expect_end(s);
    return st;
}

/* Reads "February 18, 2025 [time]", "Feb 2025", or asctime's "Feb 18 10:30:00 [zone] 2025". */
static enum news_status parse_month_first(struct scan *s, struct date_parts *d)
{
    enum news_status st = read_month(s, d);
    if (st != NEWS_OK) return st;
    skip_seps(s, "-");
    if (count_digits(s) == 4) {
        d->year = digits_value(s->p, 4);
        s->p += 4;
        return expect_end(s);
    }
    st = read_day(s, d);
    if (st != NEWS_OK) return st;
    skip_seps(s, ",-");
    size_t n = count_digits(s);
    if ((n == 1 || n == 2) && s->p + n < s->end && s->p[n] == ':') {
        st = parse_clock(s, d, false);
        if (st == NEWS_OK) st = parse_zone(s, d);
        if (st != NEWS_OK) return st;
        skip_spaces(s);
        if (count_digits(s) != 4)
            return fail(s, "expected a 4-digit year at column %zu", column(s));
        d->year = digits_value(s->p, 4);
        s->p += 4;
        return expect_end(s);
    }
    if (n != 4) return fail(s, "expected a 4-digit year at column %zu", column(s));
    d->year = digits_value(s->p, 4);
    s->p += 4;
    return parse_trailing_time(s, d);
}

/* Reads "18 Feb 2025 [time]" (RFC 822), "18-FEB-1987", "18th of"-less forms; RFC 2822's
 * rule for 2-digit years. */
static enum news_status parse_day_first(struct scan *s, struct date_parts *d)
{
    enum news_status st = read_day(s, d);
    if (st != NEWS_OK) return st;
    skip_seps(s, "-./");
    if (s->p < s->end && is_digit((unsigned char)*s->p))
        return fail(s,
                    "a numeric day and month (D/M/Y or M/D/Y) is ambiguous; expected a month "
                    "name at column %zu",
                    column(s));
    st = read_month(s, d);
    if (st != NEWS_OK) return st;
    skip_seps(s, "-,/");
    size_t n = count_digits(s);
    if (n == 4) {
        d->year = digits_value(s->p, 4);
    } else if (n == 2) {
        int yy = digits_value(s->p, 2);
        d->year = yy < 50 ? 2000 + yy : 1900 + yy;
    } else {
        return fail(s, "expected a 2- or 4-digit year at column %zu", column(s));
    }
    s->p += n;
    return parse_trailing_time(s, d);
}

/* Reads a written date, after an optional day name ("Tue,", "Tuesday"). */
static enum news_status parse_written(struct scan *s, struct date_parts *d)
{
    size_t n = word_len(s);
    bool day_name = false;
    for (size_t i = 0; n > 0 && i < 7 && !day_name; i++)
        day_name = word_abbreviates(s->p, n, day_names[i]);
    for (size_t i = 0; n > 0 && !day_name && i < sizeof foreign_days / sizeof *foreign_days; i++)
        day_name =
            word_abbreviates(s->p, n, foreign_days[i]) && s->p + n < s->end &&
            (s->p[n] == ',' || (s->p[n] == '.' && s->p + n + 1 < s->end && s->p[n + 1] == ','));
    if (day_name) {
        s->p += n;
        if (s->p < s->end && *s->p == '.') s->p++;
        skip_seps(s, ",");
    }
    if (s->p < s->end && is_alpha((unsigned char)*s->p)) return parse_month_first(s, d);
    if (s->p < s->end && is_digit((unsigned char)*s->p)) return parse_day_first(s, d);
    if (s->p == s->end) return fail(s, "a day name without a date");
    return fail(s, "not a date form this reader understands");
}

/* Checks the parts against the calendar, converts to UTC and writes out. */
static enum news_status finish(const struct scan *s, struct date_parts *d, char out[DATE_ISO_MAX])
{
    if (d->year < 1000 || d->year > 9999) return fail(s, "year %d is outside 1000-9999", d->year);
    if (!d->has_month) {
        put_digits(out, d->year, 4);
        out[4] = '\0';
        return NEWS_OK;
    }
    if (d->month < 1 || d->month > 12) return fail(s, "month %d does not exist (1-12)", d->month);
    if (!d->has_day) {
        put_digits(out, d->year, 4);
        out[4] = '-';
        put_digits(out + 5, d->month, 2);
        out[7] = '\0';
        return NEWS_OK;
    }
    int month_days = days_in_month(d->year, d->month);
    if (d->day < 1 || d->day > month_days)
        return fail(s, "day %d does not exist in %s %d (%d days)", d->day,
                    month_titles[d->month - 1], d->year, month_days);
    int year = d->year, month = d->month, day = d->day;
    if (d->has_time) {
        bool is_end_of_day = d->hour == 24 && d->minute == 0 && d->second == 0;
        if (d->hour > 23 && !is_end_of_day)
            return fail(s, "hour %d is out of range (00-23)", d->hour);
        if (d->minute > 59) return fail(s, "minute %d is out of range (00-59)", d->minute);
        if (d->second > 60) return fail(s, "second %d is out of range (00-59)", d->second);
        if (d->second == 60) d->second = 59; /* a leap second: keep it in its minute */
        int64_t t = days_from_civil(d->year, d->month, d->day) * 86400 + (int64_t)d->hour * 3600 +
                    (int64_t)d->minute * 60 + d->second - (int64_t)d->offset_minutes * 60;
        int64_t days = floor_div(t, 86400), rest = t - days * 86400;
        civil_from_days(days, &year, &month, &day);
        if (year < 1000 || year > 9999)
            return fail(s, "in UTC the year is %d, outside 1000-9999", year);
        d->hour = (int)(rest / 3600);
        d->minute = (int)(rest / 60 % 60);
        d->second = (int)(rest % 60);
    }
    put_digits(out, year, 4);
    out[4] = '-';
    put_digits(out + 5, month, 2);
    out[7] = '-';
    put_digits(out + 8, day, 2);
    out[10] = '\0';
    if (d->has_time) {
        out[10] = 'T';
        put_digits(out + 11, d->hour, 2);
        out[13] = ':';
        put_digits(out + 14, d->minute, 2);
        out[16] = ':';
        put_digits(out + 17, d->second, 2);
        out[19] = 'Z';
        out[20] = '\0';
    }
    return NEWS_OK;
}

enum news_status date_normalize(const char *in, char out[DATE_ISO_MAX], struct news_error *err)
{
    out[0] = '\0';
    const char *b = in ? in : "", *e = b + strlen(b);
    while (b < e && is_space((unsigned char)*b))
        b++;
    while (e > b && is_space((unsigned char)e[-1]))
        e--;
    if (b == e) return news_error_set(err, NEWS_ERR_FORMAT, "empty date");
    char shown[DATE_SHOWN_BYTES + 4];
    quote_input(b, e, shown);
    struct scan s = {b, e, b, shown, err};
    if (e - b > DATE_MAX_INPUT_BYTES)
        return fail(&s, "longer than %d bytes, not a date", DATE_MAX_INPUT_BYTES);
    struct date_parts d = {0};
    enum news_status st;
    size_t n = count_digits(&s);
    if (n == 4 && (b + 4 == e || b[4] == '-' || b[4] == '/' || b[4] == '.'))
        st = parse_iso(&s, &d);
    else if (n == 8)
        st = parse_basic(&s, &d);
    else if (n == 9 || n == 10 || n == 12 || n == 13)
        st = parse_unix(&s, &d, n);
    else if (n <= 2)
        st = parse_written(&s, &d);
    else if (b + n == e)
        st = fail(&s, "%zu digits are neither a date (YYYYMMDD) nor Unix time", n);
    else
        st = fail(&s, "not a date form this reader understands");
    if (st != NEWS_OK) return st;
    st = finish(&s, &d, out);
    if (st != NEWS_OK) out[0] = '\0';
    return st;
}
