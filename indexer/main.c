/* main.c: news-index, the command line around ingest_run. */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "archive.h"
#include "integrity.h"
#include "ingest.h"
#include "report.h"
#include "writer.h"

enum exit_code {
    EXIT_ALL_READ = 0,     /* every input was read and stored (or was a duplicate) */
    EXIT_REJECTED = 1,     /* the run finished, but some files or records were rejected */
    EXIT_FAILURE_ = 2,     /* bad usage, or the archive could not be opened or written */
    EXIT_BUSY = 75,        /* another news-index is writing to the archive (EX_TEMPFAIL) */
    EXIT_INTERRUPTED = 130 /* stopped by a signal; everything read so far was committed */
};

static const char usage_text[] =
    "Usage: news-index [OPTION]... ARCHIVE INPUT...\n"
    "       news-index --remove ARCHIVE ID...\n"
    "       news-index --remove-source=NAME ARCHIVE\n"
    "       news-index --restore ARCHIVE ID...\n"
    "Load news articles into ARCHIVE (an SQLite file, created if missing).\n"
    "INPUT is a file, a directory (read recursively), a .gz file, or - for stdin.\n"
    "Each file's format is recognised from its content.\n"
    "\n"
    "  -f, --format=FORMAT  read every file as FORMAT: auto (default), text, jsonl,\n"
    "                       json, html, feed, newsml, reuters, trec\n"
    "  -s, --source=NAME    the publication every article of this run comes from\n"
    "  -b, --batch=N        records per transaction (default 5000)\n"
    "  -j, --jobs=N         threads parsing, cleaning and compressing (default: the\n"
    "                       number of processors); one more thread writes\n"
    "  -q, --quiet          no progress and no summary; problems are still reported\n"
    "      --progress       show progress even when stderr is not a terminal\n"
    "      --replace        store a new version of a stored article (the same own id\n"
    "                       or address, other text) in its place, keeping the\n"
    "                       earlier in the archive's history; without it, the new\n"
    "                       version is stored beside the earlier\n"
    "      --dry-run        read and check everything, store nothing: lists what\n"
    "                       --replace would replace, and new versions\n"
    "      --restore        only put back the versions of articles ID... that their\n"
    "                       last --replace took out (itself undone the same way)\n"
    "      --remove         only take the articles ID... out of ARCHIVE (text,\n"
    "                       index, provenance); loading them again will not restore\n"
    "                       them\n"
    "      --remove-source=NAME  only take every article from source NAME out\n"
    "      --wait           if another news-index is using ARCHIVE, wait for it to\n"
    "                       finish (without it: exit 75 at once)\n"
    "      --upgrade        only upgrade ARCHIVE to this version's schema, then exit\n"
    "      --check          only check that ARCHIVE is whole (index, text, hashes,\n"
    "                       counts); exit 1 if anything is wrong\n"
    "      --train-dictionary  only train a new compression dictionary from the text\n"
    "                       in ARCHIVE, for the articles added from then on\n"
    "  -h, --help           show this help and exit\n"
    "  -V, --version        show the version and exit\n"
    "\n"
    "Recognised by content: plain-text articles (first line the title, or\n"
    "'date YYYY-MM-DD title'), JSON Lines and JSON documents, HTML pages, RSS and\n"
    "Atom feeds, NewsML-G2 and NITF, Reuters-21578 and TREC SGML, WARC files (their\n"
    "HTML responses), inside gzip and tar (.tar.gz, .tgz) files and directories.\n"
    "\n"
    "Exit status: 0 all input stored, 1 some input rejected (the rest stored; with\n"
    "--check: something is wrong), 2 usage or archive error, 75 ARCHIVE is in use\n"
    "by another news-index, 130 interrupted (what was read is kept).\n";

struct cli {
    struct ingest_options opt;
    const char *archive;
    char **inputs;
    size_t input_count;
    bool quiet, progress, wait, upgrade_only, train_only, check_only, remove, restore;
    const char *remove_source;
};

static volatile sig_atomic_t interrupted;
/* The connection whose running statement a signal stops at once (--check, whose SQLite
 * checks are long single steps); NULL while loading, which stops between batches. */
static sqlite3 *volatile interrupt_db;

static void on_signal(int sig)
{
    (void)sig;
    interrupted = 1;
    if (interrupt_db) sqlite3_interrupt(interrupt_db);
}

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Reports a misuse of the command line: one line, then where to read more. */
static int usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("news-index: ", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\nTry 'news-index --help' for more information.\n", stderr);
    return EXIT_FAILURE_;
}

/* Reads a whole decimal number from 1 to max into *out; false if arg is not one. */
static bool count_arg(const char *arg, long max, size_t *out)
{
    char *end;
    long n = strtol(arg, &end, 10);
    if (*end || end == arg || n < 1 || n > max) return false;
    *out = (size_t)n;
    return true;
}

/* An article id: a whole number from 1; 0 when arg is not one. */
static int64_t article_id_arg(const char *arg)
{
    char *end;
    errno = 0;
    long long v = strtoll(arg, &end, 10);
    return end != arg && *end == '\0' && errno == 0 && v > 0 ? (int64_t)v : 0;
}

/* Reads the options with an argument into cli; returns -1 to go on, or the exit code. */
static int option_value(int c, const char *arg, struct cli *cli)
{
    switch (c) {
    case 'f':
        cli->opt.format = INPUT_BINARY;
        for (int f = INPUT_AUTO; f < INPUT_BINARY; f++)
            if (strcmp(arg, input_format_name((enum input_format)f)) == 0)
                cli->opt.format = (enum input_format)f;
        if (cli->opt.format == INPUT_BINARY)
            return usage_error("unknown format '%s' (auto, text, jsonl, json, html, feed, "
                               "newsml, reuters or trec)",
                               arg);
        return -1;
    case 's':
        if (arg[0] == '\0') return usage_error("%s--source needs a name", "");
        cli->opt.source = arg;
        return -1;
    case 'b':
        if (!count_arg(arg, 1000000, &cli->opt.batch_articles))
            return usage_error("--batch needs a number from 1 to 1000000, not '%s'", arg);
        return -1;
    case 'j':
        if (!count_arg(arg, INGEST_MAX_JOBS, &cli->opt.jobs))
            return usage_error("--jobs needs a number from 1 to %d, not '%s'", INGEST_MAX_JOBS,
                               arg);
        return -1;
    case 'Y':
        if (arg[0] == '\0') return usage_error("%s--remove-source needs a name", "");
        cli->remove_source = arg;
        return -1;
    default:
        return usage_error("%s", "invalid option");
    }
}

/* Checks the operands (and the modes that decide what they are) and points cli at them;
 * returns -1 to go on, or the exit code. */
static int operands(int argc, char **argv, int first, struct cli *cli)
{
    /* The modes that work on ARCHIVE alone, or on ARCHIVE and ids, not loading INPUT. */
    const char *mode = NULL;
    int modes = 0;
    const struct {
        bool on;
        const char *name;
    } only[] = {{cli->upgrade_only, "--upgrade"},
                {cli->check_only, "--check"},
                {cli->train_only, "--train-dictionary"},
                {cli->remove, "--remove"},
                {cli->remove_source != NULL, "--remove-source"},
                {cli->restore, "--restore"}};
    for (size_t i = 0; i < sizeof only / sizeof *only; i++)
        if (only[i].on) mode = only[i].name, modes++;
    if (modes > 1)
        return usage_error("%s", "--upgrade, --check, --train-dictionary, --remove, "
                                 "--remove-source and --restore go one at a time");
    if (mode && cli->opt.replace) return usage_error("--replace is for loading, not for %s", mode);
    if (mode && cli->opt.dry_run) return usage_error("--dry-run is for loading, not for %s", mode);
    int count = argc - first;
    if (cli->remove || cli->restore) {
        if (count < 2)
            return count == 0 ? usage_error("%s", "missing ARCHIVE and ID")
                              : usage_error("%s needs article ids", mode);
        for (int i = first + 1; i < argc; i++)
            if (article_id_arg(argv[i]) == 0)
                return usage_error("%s takes article ids (as news-query shows them), not '%s'",
                                   mode, argv[i]);
    } else if (mode && count > 1) {
        return usage_error("%s takes ARCHIVE only, no INPUT", mode);
    } else if (count < (mode ? 1 : 2)) {
        return usage_error("%s", count == 0 ? "missing ARCHIVE and INPUT"
                                            : "missing INPUT (a file, directory or -)");
    }
    /* An input that is not there is a mistake in the command: said before the archive is
     * created or changed. */
    for (int i = first + 1; !mode && i < argc; i++) {
        struct stat sb;
        if (strcmp(argv[i], "-") != 0 && (stat(argv[i], &sb) != 0 || access(argv[i], R_OK) != 0))
            return usage_error("cannot read %s: %s", argv[i], strerror(errno));
    }
    cli->archive = argv[first];
    cli->inputs = argv + first + 1;
    cli->input_count = (size_t)(argc - first - 1);
    return -1;
}

/* Parses argv into cli; returns -1 to go on, or the exit code to stop with. */
static int parse_args(int argc, char **argv, struct cli *cli)
{
    static const struct option longopts[] = {{"format", required_argument, NULL, 'f'},
                                             {"source", required_argument, NULL, 's'},
                                             {"batch", required_argument, NULL, 'b'},
                                             {"jobs", required_argument, NULL, 'j'},
                                             {"quiet", no_argument, NULL, 'q'},
                                             {"progress", no_argument, NULL, 'P'},
                                             {"help", no_argument, NULL, 'h'},
                                             {"version", no_argument, NULL, 'V'},
                                             {"upgrade", no_argument, NULL, 'U'},
                                             {"train-dictionary", no_argument, NULL, 'T'},
                                             {"check", no_argument, NULL, 'C'},
                                             {"wait", no_argument, NULL, 'W'},
                                             {"replace", no_argument, NULL, 'R'},
                                             {"remove", no_argument, NULL, 'X'},
                                             {"remove-source", required_argument, NULL, 'Y'},
                                             {"restore", no_argument, NULL, 'Z'},
                                             {"dry-run", no_argument, NULL, 'D'},
                                             {NULL, 0, NULL, 0}};
    /* The options that only say yes. */
    const struct {
        int c;
        bool *flag;
    } flags[] = {{'q', &cli->quiet},       {'P', &cli->progress},   {'U', &cli->upgrade_only},
                 {'T', &cli->train_only},  {'C', &cli->check_only}, {'W', &cli->wait},
                 {'R', &cli->opt.replace}, {'X', &cli->remove},     {'Z', &cli->restore},
                 {'D', &cli->opt.dry_run}};
    cli->opt.batch_articles = 5000;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    cli->opt.jobs = cpus < 1 ? 1 : cpus > INGEST_MAX_JOBS ? INGEST_MAX_JOBS : (size_t)cpus;
    int c, code = -1;
    while (code < 0 && (c = getopt_long(argc, argv, "f:s:b:j:qhV", longopts, NULL)) != -1) {
        size_t i = 0;
        while (i < sizeof flags / sizeof *flags && flags[i].c != c)
            i++;
        if (i < sizeof flags / sizeof *flags) {
            *flags[i].flag = true;
        } else if (c == 'h') {
            fputs(usage_text, stdout);
            code = EXIT_ALL_READ;
        } else if (c == 'V') {
            puts("news-index " NEWS_VERSION);
            code = EXIT_ALL_READ;
        } else {
            code = option_value(c, optarg, cli);
        }
    }
    if (code < 0) code = operands(argc, argv, optind, cli);
    if (!cli->quiet && !cli->progress) cli->progress = isatty(STDERR_FILENO);
    if (cli->quiet) cli->progress = false;
    return code;
}

/* The command as typed, for the archive's record of runs. */
static char *joined_command(int argc, char **argv)
{
    size_t len = 1;
    for (int i = 0; i < argc; i++)
        len += strlen(argv[i]) + 1;
    char *s = news_xmalloc(len);
    s[0] = '\0';
    for (int i = 0; i < argc; i++) {
        if (i) strcat(s, " ");
        strcat(s, argv[i]);
    }
    return s;
}

/* Adds up the size of what path names, as input_read_path will read it: a file, or the
 * files under a directory whose names do not begin with a dot. False for stdin or what
 * cannot be read, where no total can be known. */
static bool input_size(const char *path, uint64_t *total, int depth)
{
    struct stat sb;
    if (strcmp(path, "-") == 0 || stat(path, &sb) != 0 || depth > 64) return false;
    if (!S_ISDIR(sb.st_mode)) {
        *total += S_ISREG(sb.st_mode) ? (uint64_t)sb.st_size : 0;
        return S_ISREG(sb.st_mode);
    }
    DIR *d = opendir(path);
    if (!d) return false;
    bool known = true;
    struct dirent *e;
    while (known && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue;
        size_t len = strlen(path) + strlen(e->d_name) + 2;
        char *child = news_xmalloc(len);
        snprintf(child, len, "%s/%s", path, e->d_name);
        known = input_size(child, total, depth + 1);
        free(child);
    }
    closedir(d);
    return known;
}

/* --check: 0 when every check passes, 1 when something is wrong, 2 when the archive could
 * not be checked, 130 when interrupted. */
static int check_archive(struct archive *a, struct report *rep, bool quiet)
{
    struct news_error err;
    struct check_totals t;
    struct check_reporter reporter = {report_check_problem, report_check_progress, rep,
                                      &interrupted};
    interrupt_db = archive_db(a);
    enum news_status st = archive_check(a, &reporter, &t, &err);
    interrupt_db = NULL;
    report_clear(rep);
    if (st != NEWS_OK) {
        fprintf(stderr, "news-index: error: %s\n", err.msg);
        return EXIT_FAILURE_;
    }
    if (t.interrupted) {
        fprintf(stderr,
                "news-index: %s: check interrupted after %llu articles; %llu problem%s so far\n",
                rep->archive, (unsigned long long)t.articles, (unsigned long long)t.problems,
                t.problems == 1 ? "" : "s");
        return EXIT_INTERRUPTED;
    }
    const char *path = rep->archive;
    if (t.problems)
        fprintf(stderr, "news-index: %s: %llu problem%s found in %llu articles\n", path,
                (unsigned long long)t.problems, t.problems == 1 ? "" : "s",
                (unsigned long long)t.articles);
    else if (!quiet)
        fprintf(stderr,
                "news-index: %s: whole: %llu articles, each with its text and hash; index, "
                "%llu dictionar%s and counts agree%s\n",
                path, (unsigned long long)t.articles, (unsigned long long)t.dictionaries,
                t.dictionaries == 1 ? "y" : "ies",
                t.index_check_skipped ? " (read-only: the full-text index's own check, which "
                                        "needs write access, was skipped)"
                                      : "");
    return t.problems ? EXIT_REJECTED : EXIT_ALL_READ;
}

/* --train-dictionary: a new preset dictionary from the archive's own text. */
static int train_dictionary(struct archive *a, const char *command, bool quiet)
{
    struct news_error err;
    struct writer *w = NULL;
    uint64_t articles = 0, bytes = 0;
    enum news_status st = writer_open(a, command, false, &w, &err);
    if (st == NEWS_OK) st = writer_retrain_dictionary(w, &articles, &bytes, &err);
    if (st == NEWS_OK) {
        struct writer_totals none = {0, 0, 0, 0};
        st = writer_finish_run(w, &none, &err);
    }
    if (st == NEWS_OK && !quiet) {
        char text[32];
        fprintf(stderr,
                "news-index: trained dictionary %lu from %llu articles (%s of text); "
                "articles added from now on are compressed with it\n",
                (unsigned long)writer_dictionary(w)->id, (unsigned long long)articles,
                report_bytes(bytes, text));
    }
    writer_close(w);
    if (st == NEWS_OK) return EXIT_ALL_READ;
    fprintf(stderr, "news-index: error: %s\n", err.msg);
    return EXIT_FAILURE_;
}

/* --remove and --remove-source: every article named is taken out, a thousand to a
 * transaction (an interrupt stops after one); 1 when an id names no article, or the
 * source has none. */
static int remove_articles(struct archive *a, const struct cli *cli, const char *command)
{
    struct news_error err;
    struct writer *w = NULL;
    int64_t *ids = NULL;
    size_t count = 0, removed = 0, missing = 0;
    bool progress = cli->progress, shown = false;
    enum news_status st = writer_open(a, command, false, &w, &err);
    if (st == NEWS_OK && cli->remove_source) {
        st = writer_source_articles(w, cli->remove_source, &ids, &count, &err);
    } else if (st == NEWS_OK) {
        count = cli->input_count;
        ids = news_xmalloc(count * sizeof *ids);
        for (size_t i = 0; i < count; i++)
            ids[i] = article_id_arg(cli->inputs[i]);
    }
    for (size_t i = 0; st == NEWS_OK && i < count && !interrupted; i += 1000) {
        st = writer_begin(w, &err);
        for (size_t j = i; st == NEWS_OK && j < count && j < i + 1000; j++) {
            bool found;
            st = writer_remove(w, ids[j], &found, &err);
            removed += found;
            if (st == NEWS_OK && !found) {
                missing++;
                if (shown) fputs("\r\033[K", stderr), shown = false;
                fprintf(stderr, "news-index: %s: no article %lld\n", cli->archive,
                        (long long)ids[j]);
            }
        }
        if (st == NEWS_OK) st = writer_commit(w, &err);
        if (progress && st == NEWS_OK) {
            fprintf(stderr, "\r\033[Kremoved %zu of %zu articles", removed, count);
            shown = true;
        }
    }
    if (shown) fputs("\r\033[K", stderr);
    if (st == NEWS_OK) {
        struct writer_totals none = {0, 0, 0, 0};
        st = writer_finish_run(w, &none, &err);
    }
    writer_close(w);
    free(ids);
    if (st != NEWS_OK) {
        fprintf(stderr, "news-index: error: %s\n", err.msg);
        return EXIT_FAILURE_;
    }
    if (!cli->quiet || interrupted)
        fprintf(stderr, "news-index: %s: %zu article%s removed%s%s%s%s\n", cli->archive, removed,
                removed == 1 ? "" : "s", cli->remove_source ? " from source " : "",
                cli->remove_source ? cli->remove_source : "",
                interrupted ? " before the interrupt" : "",
                removed == 1 ? "; it is no longer stored or searchable"
                : removed    ? "; they are no longer stored or searchable"
                             : "");
    if (interrupted) return EXIT_INTERRUPTED;
    return missing || (cli->remove_source && count == 0) ? EXIT_REJECTED : EXIT_ALL_READ;
}

/* --restore: for each id, the version its last --replace took out is put back, in one
 * transaction; 1 when an id names no article, or one with no such version. */
static int restore_articles(struct archive *a, const struct cli *cli, const char *command)
{
    struct news_error err;
    struct writer *w = NULL;
    size_t restored = 0, missing = 0;
    enum news_status st = writer_open(a, command, false, &w, &err);
    if (st == NEWS_OK) st = writer_begin(w, &err);
    for (size_t i = 0; st == NEWS_OK && i < cli->input_count; i++) {
        int64_t id = article_id_arg(cli->inputs[i]);
        bool found;
        char title[200];
        st = writer_restore(w, id, &found, title, &err);
        if (st == NEWS_OK && found && !cli->quiet)
            fprintf(stderr,
                    "news-index: %s: article %lld is its earlier version again (\"%s\"); the "
                    "version it replaced is kept, and --restore %lld again puts it back\n",
                    cli->archive, (long long)id, title, (long long)id);
        if (st == NEWS_OK && !found)
            fprintf(stderr, "news-index: %s: article %lld has no replaced version to restore\n",
                    cli->archive, (long long)id);
        restored += found;
        missing += !found;
    }
    if (st == NEWS_OK) {
        struct writer_totals none = {0, 0, 0, 0};
        st = writer_finish_run(w, &none, &err);
    }
    if (st == NEWS_OK) st = writer_commit(w, &err);
    writer_close(w);
    if (st != NEWS_OK) {
        fprintf(stderr, "news-index: error: %s\n", err.msg);
        return EXIT_FAILURE_;
    }
    return missing ? EXIT_REJECTED : EXIT_ALL_READ;
}

/* Opens the archive for writing, upgrading it when it is of an older version (progress on
 * rep); for --check, a copy on read-only media is opened for reading. */
static enum news_status open_archive(const struct cli *cli, struct report *rep, struct archive **a,
                                     struct news_error *err)
{
    struct archive_reporter upgrading = {report_upgrade_progress, rep};
    enum news_status st = archive_open_reporting(
        cli->archive, cli->wait ? ARCHIVE_WRITE_WAIT : ARCHIVE_WRITE, &upgrading, a, err);
    report_clear(rep);
    /* A copy on read-only media can still be checked, but for FTS5's check. */
    if (st == NEWS_ERR_READ_ONLY && cli->check_only &&
        archive_open(cli->archive, ARCHIVE_READ, a, err) == NEWS_OK)
        return NEWS_OK;
    return st;
}

int main(int argc, char **argv)
{
    struct cli cli = {0};
    int code = parse_args(argc, argv, &cli);
    if (code >= 0) return code;

    struct sigaction sa = {0};
    sa.sa_handler = on_signal;
    /* A second signal stops at once (WAL keeps the file sound); reads are restarted so
     * that an interrupt is seen between records, not as a read error. */
    sa.sa_flags = (int)(SA_RESETHAND | SA_RESTART);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    cli.opt.interrupt = &interrupted;
    char *command = joined_command(argc, argv);
    cli.opt.command = command;

    struct news_error err;
    struct archive *a = NULL;
    struct report rep;
    report_init(&rep, stderr, cli.archive, cli.progress);
    for (size_t i = 0; rep.progress && i < cli.input_count; i++) {
        if (!input_size(cli.inputs[i], &rep.input_total, 0)) {
            rep.input_total = 0; /* stdin or unreadable: no estimate */
            break;
        }
    }
    struct ingest_reporter reporter = {report_problem, report_listing, report_progress, &rep};
    struct ingest_stats stats;
    code = EXIT_FAILURE_;
    struct stat sb;
    enum news_status st;
    /* A dry run changes nothing, so it does not create the archive either. */
    bool must_exist = cli.train_only || cli.check_only || cli.remove || cli.remove_source ||
                      cli.restore || cli.opt.dry_run;
    if (must_exist && stat(cli.archive, &sb) != 0) {
        fprintf(stderr, "news-index: error: cannot open archive %s: %s\n", cli.archive,
                strerror(errno));
    } else if ((st = open_archive(&cli, &rep, &a, &err)) != NEWS_OK) {
        fprintf(stderr, "news-index: error: %s\n", err.msg);
        if (st == NEWS_ERR_BUSY) code = EXIT_BUSY;
    } else if (cli.upgrade_only) {
        code = EXIT_ALL_READ; /* opening for writing upgraded it */
    } else if (cli.train_only) {
        code = train_dictionary(a, command, cli.quiet);
    } else if (cli.check_only) {
        code = check_archive(a, &rep, cli.quiet);
    } else if (cli.remove || cli.remove_source) {
        code = remove_articles(a, &cli, command);
    } else if (cli.restore) {
        code = restore_articles(a, &cli, command);
    } else if (ingest_run(a, &cli.opt, cli.inputs, cli.input_count, &reporter, &stats, &err) !=
               NEWS_OK) {
        report_flush(&rep);
        report_clear(&rep);
        fprintf(stderr, "news-index: error: %s\n", err.msg);
        fputs("news-index: what was committed before this error is kept and the archive is "
              "whole; once the cause is mended, the same command adds the rest\n",
              stderr);
    } else {
        if (cli.quiet)
            report_flush(&rep);
        else
            report_summary(&rep, &stats, cli.opt.dry_run);
        code = stats.interrupted ? EXIT_INTERRUPTED
               : stats.rejected  ? EXIT_REJECTED
                                 : EXIT_ALL_READ;
    }
    report_finish(&rep);
    archive_close(a);
    free(command);
    return code;
}
