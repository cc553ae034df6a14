/* check.h: the test harness: CHECK assertions that report and count, and a summary. */
#ifndef NEWS_CHECK_H
#define NEWS_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int check_failures;
static int check_count;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        check_count++;                                                                             \
        if (!(cond)) {                                                                             \
            check_failures++;                                                                      \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);               \
        }                                                                                          \
    } while (0)

/* Compares two strings (NULL-safe) and prints both when they differ. */
#define CHECK_STR(got, want)                                                                       \
    do {                                                                                           \
        const char *check_g = (got), *check_w = (want);                                            \
        check_count++;                                                                             \
        if (!check_g || !check_w ? check_g != check_w : strcmp(check_g, check_w) != 0) {           \
            check_failures++;                                                                      \
            fprintf(stderr, "%s:%d: %s\n  got:  %s\n  want: %s\n", __FILE__, __LINE__, #got,       \
                    check_g ? check_g : "(null)", check_w ? check_w : "(null)");                   \
        }                                                                                          \
    } while (0)

#define CHECK_INT(got, want)                                                                       \
    do {                                                                                           \
        long long check_g = (long long)(got), check_w = (long long)(want);                         \
        check_count++;                                                                             \
        if (check_g != check_w) {                                                                  \
            check_failures++;                                                                      \
            fprintf(stderr, "%s:%d: %s: got %lld, want %lld\n", __FILE__, __LINE__, #got, check_g, \
                    check_w);                                                                      \
        }                                                                                          \
    } while (0)

/* The shared test data folder: argv[1], else $NEWS_SHARED_DATA, else ../shared/data next
 * to the repository this file is in (tests/ is one level below its root). Tests that use
 * it say visibly when it is absent. */
static inline void check_data_dir(int argc, char **argv, char *out, size_t cap)
{
    const char *env = getenv("NEWS_SHARED_DATA");
    if (argc > 1) {
        snprintf(out, cap, "%s", argv[1]);
    } else if (env && env[0]) {
        snprintf(out, cap, "%s", env);
    } else {
        const char *file = __FILE__;
        const char *slash = strrchr(file, '/');
        if (slash)
            snprintf(out, cap, "%.*s/../../shared/data", (int)(slash - file), file);
        else
            snprintf(out, cap, "../../shared/data");
    }
}

/* Ends main(): prints the tally and returns the exit status CTest reads. */
static inline int check_report(const char *name)
{
    printf("%s: %d checks, %d failed\n", name, check_count, check_failures);
    if (check_count == 0) {
        printf("%s: no checks ran\n", name);
        return 1;
    }
    return check_failures ? 1 : 0;
}

#endif
