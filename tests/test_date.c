/* test_date.c: date normalisation: every accepted form, zone conversion across day, month
 * and year boundaries, and the rejections with their messages. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "date.h"

/* An input and its ISO form, or (want NULL) a phrase of the rejection's message. */
struct date_case {
    const char *in;
    const char *want;
    const char *msg;
};

static const struct date_case cases[] = {
    /* ISO 8601 and its relatives. */
    {"2025-02-18", "2025-02-18", NULL},
    {"2025-02-18T10:30:00Z", "2025-02-18T10:30:00Z", NULL},
    {"2025-02-18t10:30:00z", "2025-02-18T10:30:00Z", NULL},
    {"2025-02-18T10:30:00+01:00", "2025-02-18T09:30:00Z", NULL},
    {"2025-02-18T10:30:00.123-0500", "2025-02-18T15:30:00Z", NULL},
    {"2025-02-18T10:30:00,5+05:30", "2025-02-18T05:00:00Z", NULL},
    {"2025-02-18T10:30:00-03", "2025-02-18T13:30:00Z", NULL},
    {"2025-02-18 10:30:00", "2025-02-18T10:30:00Z", NULL},
    {"2025-02-18 10:30:00 +0100", "2025-02-18T09:30:00Z", NULL},
    {"2025-02-18 10:30:00 UTC", "2025-02-18T10:30:00Z", NULL},
    {"2025-02-18T10:30", "2025-02-18T10:30:00Z", NULL},
    {"2025-02-18T00:00:00Z", "2025-02-18T00:00:00Z", NULL},
    {"2025/02/18", "2025-02-18", NULL},
    {"2025.02.18", "2025-02-18", NULL},
    {"2025-2-8", "2025-02-08", NULL},
    {"20250218", "2025-02-18", NULL},
    {"20250218T103000Z", "2025-02-18T10:30:00Z", NULL},
    {"20250218T1030+0100", "2025-02-18T09:30:00Z", NULL},
    {"2025-02", "2025-02", NULL},
    {"2025", "2025", NULL},
    {"  \t2025-02-18\n ", "2025-02-18", NULL},
    {"1850-07-04", "1850-07-04", NULL},
    {"1000-01-01", "1000-01-01", NULL},
    {"9999-12-31T23:59:59Z", "9999-12-31T23:59:59Z", NULL},
    /* Zone conversion across boundaries, leap years included. */
    {"2025-01-01T00:30:00+01:00", "2024-12-31T23:30:00Z", NULL},
    {"2024-12-31T20:00:00-05:00", "2025-01-01T01:00:00Z", NULL},
    {"2024-03-01T01:00:00+02:00", "2024-02-29T23:00:00Z", NULL},
    {"2023-03-01T01:00:00+02:00", "2023-02-28T23:00:00Z", NULL},
    {"2000-02-28T22:00:00-03:00", "2000-02-29T01:00:00Z", NULL},
    {"1900-02-28T22:00:00-03:00", "1900-03-01T01:00:00Z", NULL},
    {"2025-04-30T23:59:59-00:01", "2025-05-01T00:00:59Z", NULL},
    {"1865-04-15T07:22:00-05:00", "1865-04-15T12:22:00Z", NULL},
    {"1801-01-01T00:00:00+14:00", "1800-12-31T10:00:00Z", NULL},
    {"2025-02-18T24:00:00Z", "2025-02-19T00:00:00Z", NULL},
    {"2016-12-31T23:59:60Z", "2016-12-31T23:59:59Z", NULL},
    /* RFC 822 / 1123 / 2822. */
    {"Tue, 18 Feb 2025 10:30:00 GMT", "2025-02-18T10:30:00Z", NULL},
    /* Feeds in other languages (pt, es, fr, de), with their day names before a comma. */
    {"Seg, 24 Set 2018 19:22:00 -0300", "2018-09-24T22:22:00Z", NULL},
    {"Mar, 18 Dic 2018 08:00:00 +0100", "2018-12-18T07:00:00Z", NULL},
    {"Mar 18 2025", "2025-03-18", NULL},
    {"lundi, 3 mars 2025", "2025-03-03", NULL},
    {"3 Okt 2024", "2024-10-03", NULL},
    {"12 Dez 2024 10:00 +0100", "2024-12-12T09:00:00Z", NULL},
    {"18 Feb 2025 10:30:00 +0000", "2025-02-18T10:30:00Z", NULL},
    {"Tue, 18 Feb 2025 10:30:00 EST", "2025-02-18T15:30:00Z", NULL},
    {"Tue, 18 Feb 2025 10:30 EDT", "2025-02-18T14:30:00Z", NULL},
    {"Tue, 18 Feb 2025 22:30:00 PST", "2025-02-19T06:30:00Z", NULL},
    {"Sat, 01 Mar 2025 01:00:00 +0200", "2025-02-28T23:00:00Z", NULL},
    {"Tue, 18 Feb 2025 10:30:00 CST", "2025-02-18T16:30:00Z", NULL},
    {"Tue, 18 Feb 2025 10:30:00 CDT", "2025-02-18T15:30:00Z", NULL},
    {"Tue, 18 Feb 2025 10:30:00 MST", "2025-02-18T17:30:00Z", NULL},
    {"Tue, 18 Feb 2025 10:30:00 MDT", "2025-02-18T16:30:00Z", NULL},
    {"Tue, 18 Feb 2025 10:30:00 PDT", "2025-02-18T17:30:00Z", NULL},
    {"Tue, 18 Feb 2025 10:30:00 UT", "2025-02-18T10:30:00Z", NULL},
    {"Tue, 18 Feb 2025 10:30:00 Z", "2025-02-18T10:30:00Z", NULL},
    {"Tue, 18 Feb 2025 10:30:00 -0000 (UTC)", "2025-02-18T10:30:00Z", NULL},
    {"Tue, 18 Feb 2025 10:30:00 GMT+0100", "2025-02-18T09:30:00Z", NULL},
    {"tue,18 feb 2025 10:30:00 gmt", "2025-02-18T10:30:00Z", NULL},
    {"Tue, 18 Feb 25 10:30:00 GMT", "2025-02-18T10:30:00Z", NULL},
    {"Wed, 18 Feb 87 10:30:00 GMT", "1987-02-18T10:30:00Z", NULL},
    {"18 Feb 49", "2049-02-18", NULL},
    {"18 Feb 50", "1950-02-18", NULL},
    {"18 Feb 2025", "2025-02-18", NULL},
    /* Written-out dates. */
    {"February 18, 2025", "2025-02-18", NULL},
    {"Feb 18 2025", "2025-02-18", NULL},
    {"Feb. 18, 2025", "2025-02-18", NULL},
    {"Sept. 5, 2025", "2025-09-05", NULL},
    {"SEPTEMBER 5TH, 2025", "2025-09-05", NULL},
    {"February 1st 2025", "2025-02-01", NULL},
    {"18 February 2025", "2025-02-18", NULL},
    {"Tuesday, February 18, 2025", "2025-02-18", NULL},
    {"Tuesday 18 February 2025", "2025-02-18", NULL},
    {"February 18, 2025 10:30 AM", "2025-02-18T10:30:00Z", NULL},
    {"February 18, 2025, 12:05 a.m. EST", "2025-02-18T05:05:00Z", NULL},
    {"February 18, 2025 at 12:00 PM", "2025-02-18T12:00:00Z", NULL},
    {"Feb 18, 2025 11:59 pm PST", "2025-02-19T07:59:00Z", NULL},
    {"February 2025", "2025-02", NULL},
    {"18-FEB-1987", "1987-02-18", NULL},
    {"18-feb-87", "1987-02-18", NULL},
    {"26-FEB-1987 15:01:01.79", "1987-02-26T15:01:01Z", NULL},
    {" 5-MAR-1987 09:10:24.91", "1987-03-05T09:10:24Z", NULL},
    {"18/Feb/2025:10:30:00 +0100", "2025-02-18T09:30:00Z", NULL},
    {"18 Feb 2025 10:30 CET", "2025-02-18T09:30:00Z", NULL},
    /* JavaScript's Date.prototype.toString and toDateString. */
    {"Tue Feb 18 2025 10:30:00 GMT+0100 (Central European Standard Time)", "2025-02-18T09:30:00Z",
     NULL},
    {"Tue Feb 18 2025", "2025-02-18", NULL},
    /* asctime and Twitter. */
    {"Tue Feb 18 10:30:00 2025", "2025-02-18T10:30:00Z", NULL},
    {"Wed Oct 10 20:19:24 +0000 2018", "2018-10-10T20:19:24Z", NULL},
    {"Tue Feb 18 22:30:00 EST 2025", "2025-02-19T03:30:00Z", NULL},
    /* Unix time. */
    {"1739874600", "2025-02-18T10:30:00Z", NULL},
    {"1739874600.25", "2025-02-18T10:30:00Z", NULL},
    {"1739874600123", "2025-02-18T10:30:00Z", NULL},
    {"946684799", "1999-12-31T23:59:59Z", NULL},
    {"951782400", "2000-02-29T00:00:00Z", NULL},
    {"100000000000", "1973-03-03T09:46:40Z", NULL},
    {"9999999999", "2286-11-20T17:46:39Z", NULL},

    /* Rejections. */
    {"", NULL, "empty date"},
    {"   ", NULL, "empty date"},
    {"2025-02-30", NULL, "day 30 does not exist in February 2025 (28 days)"},
    {"2024-02-30", NULL, "day 30 does not exist in February 2024 (29 days)"},
    {"2025-02-29", NULL, "day 29 does not exist in February 2025"},
    {"1900-02-29", NULL, "day 29 does not exist in February 1900"},
    {"2025-04-31", NULL, "day 31 does not exist in April 2025 (30 days)"},
    {"2025-02-00", NULL, "day 0 does not exist"},
    {"31 Jun 2025", NULL, "day 31 does not exist in June 2025"},
    {"2025-13-01", NULL, "month 13 does not exist (1-12)"},
    {"2025-00", NULL, "month 0 does not exist"},
    {"20251301", NULL, "month 13 does not exist"},
    {"2025-02-18T25:00:00Z", NULL, "hour 25 is out of range (00-23)"},
    {"2025-02-18T24:00:01Z", NULL, "hour 24 is out of range"},
    {"2025-02-18T10:60:00Z", NULL, "minute 60 is out of range (00-59)"},
    {"2025-02-18T10:30:61Z", NULL, "second 61 is out of range"},
    {"February 18, 2025 13:00 PM", NULL, "hour 13 is out of range with PM (1-12)"},
    {"February 18, 2025 0:30 am", NULL, "hour 0 is out of range with AM"},
    {"0999-12-31", NULL, "year 999 is outside 1000-9999"},
    {"1000-01-01T00:30:00+01:00", NULL, "in UTC the year is 999"},
    {"9999-12-31T23:30:00-01:00", NULL, "in UTC the year is 10000"},
    {"2025-02-18T10:30:00+19:00", NULL, "UTC offset +19:00 is out of range"},
    {"2025-02-18T10:30:00+01:0", NULL, "expected 2 digits of offset minutes"},
    {"2025-02-18T10:30:00 CEST2", NULL, "unexpected '2' at column 25"},
    {"Tue, 18 Feb 2025 10:30:00 XYZ", NULL, "unknown time zone 'XYZ' at column 27"},
    {"2025-02-18T10:30:00Z trailing", NULL, "unexpected 't' at column 22"},
    {"2025-02-18T10:30:00 Europe/Paris", NULL, "unknown time zone 'Europe' at column 21"},
    {"2025-02-18T10:30:00Z 5", NULL, "unexpected '5' at column 22"},
    {"2025-02-18x", NULL, "unexpected 'x' at column 11"},
    {"2025-02/18", NULL, "unexpected '/' at column 8"},
    {"2025-02-18T", NULL, "expected a time of day (HH:MM) at column 12"},
    {"2025-02-18T10", NULL, "expected a time of day"},
    {"2025-02-18T10:3", NULL, "expected 2 digits of minutes at column 15"},
    {"2025-02-18 10:30:5", NULL, "expected 2 digits of seconds"},
    {"2025-", NULL, "expected a month number at column 6"},
    {"2025-02-", NULL, "expected a day of the month at column 9"},
    {"18 Foo 2025", NULL, "unknown month name 'Foo' at column 4"},
    {"Ja 18 2025", NULL, "unknown month name 'Ja'"},
    {"Feb 18", NULL, "expected a 4-digit year at column 7"},
    {"February 18, 25", NULL, "expected a 4-digit year"},
    {"18 Feb 202", NULL, "expected a 2- or 4-digit year"},
    {"18 Feb 2025 GMT", NULL, "expected a time of day (HH:MM) at column 13"},
    {"18/02/2025", NULL, "ambiguous"},
    {"02/18/2025", NULL, "ambiguous"},
    {"Tuesday", NULL, "a day name without a date"},
    {"yesterday", NULL, "unknown month name 'yesterday'"},
    {"n/a", NULL, "unknown month name 'n'"},
    {"-", NULL, "not a date form"},
    {"12345", NULL, "5 digits are neither a date (YYYYMMDD) nor Unix time"},
    {"12345678901", NULL, "11 digits are neither"},
    {"123", NULL, "3 digits are neither"},
    {"1739874600Z", NULL, "unexpected 'Z' at column 11"},
    {"2025 Feb 18", NULL, "not a date form"},
    {"Tue, 18 Feb 2025 10:30:00 +0000 (UTC", NULL, "unclosed '(' at column 33"},
    {"2025-02-18\xC3\xA9", NULL, "unexpected byte 0xC3 at column 11"},
};

static void check_case(const struct date_case *c)
{
    char out[DATE_ISO_MAX];
    struct news_error err = {{0}};
    memset(out, 'x', sizeof out);
    enum news_status st = date_normalize(c->in, out, &err);
    if (c->want) {
        CHECK_INT(st, NEWS_OK);
        CHECK_STR(out, c->want);
        if (st != NEWS_OK) fprintf(stderr, "  input: '%s'\n  msg: %s\n", c->in, err.msg);
    } else {
        CHECK_INT(st, NEWS_ERR_FORMAT);
        CHECK_STR(out, "");
        CHECK(strstr(err.msg, c->msg) != NULL);
        if (!strstr(err.msg, c->msg))
            fprintf(stderr, "  input: '%s'\n  got:  %s\n  want: %s\n", c->in, err.msg, c->msg);
    }
}

/* Every day from 1000 to 9999 survives a round trip through a zone that moves it a day. */
static void check_every_day(void)
{
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int failures = 0;
    long days = 0;
    for (int y = 1000; y <= 9999; y++) {
        bool is_leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        for (int m = 1; m <= 12; m++) {
            int n = mdays[m - 1] + (m == 2 && is_leap);
            for (int d = 1; d <= n; d++) {
                char in[64], want[DATE_ISO_MAX], out[DATE_ISO_MAX];
                snprintf(in, sizeof in, "%04d-%02d-%02d", y, m, d);
                snprintf(want, sizeof want, "%04d-%02d-%02d", y, m, d);
                if (date_normalize(in, out, NULL) != NEWS_OK || strcmp(out, want) != 0) failures++;
                days++;
            }
        }
    }
    CHECK_INT(failures, 0);
    CHECK_INT(days, 3287182); /* days in years 1000-9999 of the proleptic Gregorian calendar */

    /* The day after each month's last day, by zone conversion, is the next month's first. */
    failures = 0;
    for (int y = 1896; y <= 2104; y++) {
        bool is_leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        for (int m = 1; m <= 12; m++) {
            int last = mdays[m - 1] + (m == 2 && is_leap);
            char in[64], want[DATE_ISO_MAX], out[DATE_ISO_MAX];
            snprintf(in, sizeof in, "%04d-%02d-%02dT23:00:00-02:00", y, m, last);
            snprintf(want, sizeof want, "%04d-%02d-01T01:00:00Z", m == 12 ? y + 1 : y,
                     m == 12 ? 1 : m + 1);
            if (date_normalize(in, out, NULL) != NEWS_OK || strcmp(out, want) != 0) {
                failures++;
                fprintf(stderr, "  %s -> %s, want %s\n", in, out, want);
            }
        }
    }
    CHECK_INT(failures, 0);
}

/* Unix time agrees with the calendar: midnight of each 1 January from 1973 on. */
static void check_unix_years(void)
{
    int failures = 0;
    int64_t seconds = 94694400; /* 1973-01-01T00:00:00Z */
    for (int y = 1973; y <= 2286; y++) {
        char in[32], want[DATE_ISO_MAX], out[DATE_ISO_MAX];
        snprintf(in, sizeof in, "%lld", (long long)seconds);
        snprintf(want, sizeof want, "%04d-01-01T00:00:00Z", y);
        if (seconds >= 100000000 && seconds <= 9999999999LL &&
            (date_normalize(in, out, NULL) != NEWS_OK || strcmp(out, want) != 0)) {
            failures++;
            fprintf(stderr, "  %s -> %s, want %s\n", in, out, want);
        }
        bool is_leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        seconds += (is_leap ? 366 : 365) * 86400LL;
    }
    CHECK_INT(failures, 0);
}

/* Messages quote long input cut at a character boundary; overlong input is rejected. */
static void check_long_input(void)
{
    char in[300], out[DATE_ISO_MAX];
    struct news_error err;
    memset(in, 'a', sizeof in - 1);
    in[sizeof in - 1] = '\0';
    CHECK_INT(date_normalize(in, out, &err), NEWS_ERR_FORMAT);
    CHECK(strstr(err.msg, "longer than 128 bytes") != NULL);
    /* 59 ASCII bytes then a 2-byte character straddling the 60-byte cut. */
    memset(in, 'b', 59);
    memcpy(in + 59, "\xC3\xA9 2025", 8);
    CHECK_INT(date_normalize(in, out, &err), NEWS_ERR_FORMAT);
    CHECK(strstr(err.msg, "bbb...'") != NULL);
    CHECK(strstr(err.msg, "\xC3") == NULL);
    CHECK_INT(date_normalize(NULL, out, &err), NEWS_ERR_FORMAT);
    CHECK_INT(date_normalize("2025-02-18", out, NULL), NEWS_OK);
}

int main(void)
{
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check_case(&cases[i]);
    check_every_day();
    check_unix_years();
    check_long_input();
    return check_report("test_date");
}
