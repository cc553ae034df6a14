/* fuzz_date.c: libFuzzer target for the date reader: any bytes as the date string a reader
 * found. A date read is a real calendar date in one of the four ISO 8601 forms the
 * archive stores, which reads back as itself; anything else is a format error with a
 * message and an empty result. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The value of n digits at s, or -1 if one of them is not a digit. */
static int digits(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

static bool is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* True for YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ naming a real moment, with a
 * year from 1000 to 9999. */
static bool is_stored_form(const char *s)
{
    static const int month_days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    size_t n = strlen(s);
    if (n != 4 && n != 7 && n != 10 && n != 20) return false;
    int year = digits(s, 4);
    if (year < 1000) return false;
    if (n == 4) return true;
    int month = digits(s + 5, 2);
    if (s[4] != '-' || month < 1 || month > 12) return false;
    if (n == 7) return true;
    int day = digits(s + 8, 2);
    int last = month_days[month - 1] + (month == 2 && is_leap(year));
    if (s[7] != '-' || day < 1 || day > last) return false;
    if (n == 10) return true;
    int hour = digits(s + 11, 2), minute = digits(s + 14, 2), second = digits(s + 17, 2);
    return s[10] == 'T' && s[13] == ':' && s[16] == ':' && s[19] == 'Z' && hour >= 0 &&
           hour <= 23 && minute >= 0 && minute <= 59 && second >= 0 && second <= 59;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *in = malloc(size + 1);
    if (!in) return 0;
    memcpy(in, data, size);
    in[size] = '\0';
    char out[DATE_ISO_MAX], again[DATE_ISO_MAX];
    struct news_error err;
    err.msg[0] = '\0';
    enum news_status st = date_normalize(in, out, &err);
    if (st == NEWS_OK) {
        if (!is_stored_form(out)) abort();
        if (date_normalize(out, again, &err) != NEWS_OK || strcmp(out, again) != 0) abort();
    } else if (st != NEWS_ERR_FORMAT || out[0] != '\0' || err.msg[0] == '\0') {
        abort();
    }
    free(in);
    return 0;
}
