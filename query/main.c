/* main.c: news-query, the command line around match, search and output. */
#include <getopt.h>
#include <stdarg.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "archive.h"
#include "expand.h"
#include "highlight.h"
#include "match.h"
#include "merge.h"
#include "output.h"
#include "search.h"
#include "snippet.h"
#include "suggest.h"

enum exit_code { EXIT_MATCH = 0, EXIT_NO_MATCH = 1, EXIT_ERROR = 2 }; /* as grep */

static const char usage_text[] =
    "Usage: news-query [OPTION]... ARCHIVE QUERY...\n"
    "       news-query [OPTION]... ARCHIVE... -- QUERY...\n"
    "       news-query [--format=json] --show=ID ARCHIVE\n"
    "Search news archives made by news-index; best matches first. Several archives\n"
    "(one per decade, say) are searched as one, with one ranking.\n"
    "\n"
    "Query: words (all must match), \"a phrase\", OR, NOT or -word to exclude,\n"
    "prefix*, title:word, NEAR(a b, 5), date:1987-03..1987-06, and (parentheses).\n"
    "Example: 'Ukraine \"peace talks\" -Gaza'\n"
    "\n"
    "  -a, --any            rank articles matching any of the words\n"
    "      --expand         rank also by the words the best matches share (pseudo-\n"
    "                       relevance feedback); the matches stay the same\n"
    "      --since=DATE     only articles dated on or after DATE (YYYY[-MM[-DD]])\n"
    "      --until=DATE     only articles dated on or before DATE (YYYY[-MM[-DD]])\n"
    "      --source=NAME    only articles from source NAME (any case)\n"
    "      --all-copies     show every copy of a story; by default only its best match\n"
    "                       is shown, with the number of copies in its story\n"
    "      --all-versions   show every stored version of an article (two captures of\n"
    "                       a page, a corrected edition); by default only its current\n"
    "                       one is searched, shown and counted\n"
    "      --no-captured-dates  a date that is only when a web archive captured the\n"
    "                       page counts as no date for --since, --until, date:,\n"
    "                       --sort date and --timeline\n"
    "  -s, --sort=ORDER     rank (default: best first) or date (newest first)\n"
    "  -n, --limit=N        show N matches (default 10; 0 for all)\n"
    "      --offset=N       skip the first N matches\n"
    "  -c, --count          print only the number of matches\n"
    "  -f, --format=FORMAT  text (default), json (JSON Lines), csv, tsv, or\n"
    "                       ndjson-bulk (Elasticsearch/OpenSearch bulk, whole texts)\n"
    "      --snippet-words=N  words in each passage, 1 to 64 (default 32)\n"
    "      --fragments=N    up to N passages in a snippet, 1 to 8 (default 1), each\n"
    "                       adding query words the others lack\n"
    "      --color=WHEN     escapes for a terminal (bold titles, matches in bold red):\n"
    "                       auto (when stdout is a terminal and NO_COLOR is unset\n"
    "                       or empty), always, never\n"
    "      --highlight=OPEN,CLOSE  put matches between OPEN and CLOSE in every format,\n"
    "                       instead of ** or escapes; e.g. '<b>,</b>'\n"
    "      --timeline=UNIT  count matches per year, month or day (a bar chart on a\n"
    "                       terminal; --format csv for plotting)\n"
    "      --facet=FIELD    count matches per source, byline or lang, largest first\n"
    "      --show=ID        print article ID in full, with its provenance\n"
    "      --explain        print the query as the FTS5 expression it becomes, and exit\n"
    "      --ranking=NAME   news (default): per-field BM25 with a bonus for query words\n"
    "                       close together; or bm25: SQLite's bm25(), title x4\n"
    "  -h, --help           show this help and exit\n"
    "  -V, --version        show the version and exit\n"
    "\n"
    "In snippets, matched words are shown **like this**, or in colour on a terminal.\n"
    "Articles whose leads are near-identical (wire copies) form a story, shown once\n"
    "as '(+N copies)'. --count, --timeline and --facet count articles, copies included.\n"
    "Exit status: 0 if something matched, 1 if nothing did, 2 on error.\n";

struct cli {
    struct search_options search;
    enum output_format format;
    enum match_mode mode;
    char **archives; /* into argv */
    size_t archive_count;
    char *query; /* the QUERY words joined */
    int64_t show_id;
    bool count_only, explain, grouping, expand;
    bool bars;                 /* --timeline and --facet draw bars (text for a terminal) */
    struct output_style style; /* how matches and titles are shown */
    bool has_markers;          /* --highlight, whose markers are: */
    struct highlight_markers markers;
    enum search_group group; /* with grouping: --timeline or --facet */
    char since[MATCH_DATE_BYTES], until[MATCH_DATE_BYTES];
};

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Reports a misuse of the command line: one line, then where to read more. */
static int usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("news-query: ", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\nTry 'news-query --help' for more information.\n", stderr);
    return EXIT_ERROR;
}

static bool parse_count(const char *s, int64_t min, int64_t *out)
{
    char *end;
    long long n = strtoll(s, &end, 10);
    if (*s == '\0' || *end || n < min || n > INT64_MAX / 2) return false;
    *out = n;
    return true;
}

/* Parses a number from 1 to max. */
static bool parse_small(const char *s, int max, int *out)
{
    int64_t n;
    if (!parse_count(s, 1, &n) || n > max) return false;
    *out = (int)n;
    return true;
}

/* Joins the QUERY arguments with spaces. */
static char *join_words(char **words, int count)
{
    size_t len = 1;
    for (int i = 0; i < count; i++)
        len += strlen(words[i]) + 1;
    char *s = news_xmalloc(len);
    s[0] = '\0';
    for (int i = 0; i < count; i++) {
        if (i) strcat(s, " ");
        strcat(s, words[i]);
    }
    return s;
}

/* Reads the operands from argv[first] on: ARCHIVE QUERY..., or ARCHIVE... -- QUERY..., and
 * checks them against the options; returns -1 to go on, or the exit code to stop with.
 * longopts: the options, which must not be found among the query's words. */
static int operands(int argc, char **argv, int first, const struct option *longopts,
                    struct cli *cli)
{
    if (cli->format == OUTPUT_BULK && (cli->grouping || cli->show_id))
        return usage_error("%s", "--format ndjson-bulk exports matches, not counts or --show");
    if (first >= argc) return usage_error("%s", "missing ARCHIVE");
    int separator = -1;
    for (int i = first; i < argc && separator < 0; i++)
        if (strcmp(argv[i], "--") == 0) separator = i;
    cli->archives = argv + first;
    cli->archive_count = separator < 0 ? 1 : (size_t)(separator - first);
    int words = separator < 0 ? first + 1 : separator + 1; /* the query's first */
    if (cli->archive_count == 0) return usage_error("%s", "missing ARCHIVE before '--'");
    for (size_t i = 0; i < cli->archive_count; i++)
        if (cli->archives[i][0] == '-')
            return usage_error("options go before ARCHIVE; '%s' was found among the archives",
                               cli->archives[i]);
    if (cli->show_id == 0 && words >= argc) return usage_error("%s", "missing QUERY");
    if (cli->show_id != 0 && words < argc) return usage_error("%s", "--show takes no QUERY");
    if (cli->show_id != 0 && cli->archive_count > 1)
        return usage_error("%s", "--show reads one archive (article ids are per archive)");
    if (cli->search.ranking == SEARCH_RANK_BM25 && cli->archive_count > 1)
        return usage_error("%s", "--ranking bm25 cannot rank several archives as one (its "
                                 "scores rest on each archive's own statistics)");
    for (int i = words; i < argc; i++) {
        /* An option typed after the archive would silently become a query word. */
        for (const struct option *o = longopts; o->name && strncmp(argv[i], "--", 2) == 0; o++) {
            size_t n = strlen(o->name);
            if (strncmp(argv[i] + 2, o->name, n) == 0 &&
                (argv[i][n + 2] == '\0' || argv[i][n + 2] == '='))
                return usage_error("options go before ARCHIVE; '%s' was found in the query",
                                   argv[i]);
        }
        /* So would a short one; excluding a one-letter word is not worth that risk. */
        if (argv[i][0] == '-' && argv[i][1] && strchr("asncfhV", argv[i][1]) && !argv[i][2])
            return usage_error("options go before ARCHIVE; '%s' was found in the query", argv[i]);
    }
    cli->query = join_words(argv + words, argc - words);
    return -1;
}

/* How the output looks, decided here only: escapes (bold titles, matches in colour) in text
 * for a terminal, matches between plain markers everywhere else, or between --highlight's
 * wherever they are. */
static void choose_style(struct cli *cli, enum highlight_when when)
{
    bool text = cli->format == OUTPUT_TEXT, tty = isatty(STDOUT_FILENO);
    bool escapes = text && highlight_use_escapes(when, tty, getenv("NO_COLOR"));
    cli->bars = text && highlight_use_escapes(when, tty, NULL); /* characters, not colour */
    cli->style.bold = escapes;
    cli->style.open = escapes ? HIGHLIGHT_ESCAPE_OPEN : HIGHLIGHT_PLAIN_OPEN;
    cli->style.close = escapes ? HIGHLIGHT_ESCAPE_CLOSE : HIGHLIGHT_PLAIN_CLOSE;
    if (cli->has_markers) { /* the user's, in place of both */
        cli->style.open = cli->markers.open;
        cli->style.close = cli->markers.close;
    }
}

/* Parses argv into cli; returns -1 to go on, or the exit code to stop with. */
static int parse_args(int argc, char **argv, struct cli *cli)
{
    enum {
        OPT_SINCE = 256,
        OPT_UNTIL,
        OPT_SOURCE,
        OPT_OFFSET,
        OPT_COLOR,
        OPT_SHOW,
        OPT_EXPLAIN,
        OPT_RANKING,
        OPT_TIMELINE,
        OPT_FACET,
        OPT_SNIPPET_WORDS,
        OPT_FRAGMENTS,
        OPT_EXPAND,
        OPT_ALL_COPIES,
        OPT_ALL_VERSIONS,
        OPT_NO_CAPTURED_DATES,
        OPT_HIGHLIGHT
    };
    static const struct option longopts[] = {
        {"any", no_argument, NULL, 'a'},
        {"since", required_argument, NULL, OPT_SINCE},
        {"until", required_argument, NULL, OPT_UNTIL},
        {"source", required_argument, NULL, OPT_SOURCE},
        {"all-copies", no_argument, NULL, OPT_ALL_COPIES},
        {"all-versions", no_argument, NULL, OPT_ALL_VERSIONS},
        {"no-captured-dates", no_argument, NULL, OPT_NO_CAPTURED_DATES},
        {"sort", required_argument, NULL, 's'},
        {"limit", required_argument, NULL, 'n'},
        {"offset", required_argument, NULL, OPT_OFFSET},
        {"count", no_argument, NULL, 'c'},
        {"format", required_argument, NULL, 'f'},
        {"color", required_argument, NULL, OPT_COLOR},
        {"highlight", required_argument, NULL, OPT_HIGHLIGHT},
        {"show", required_argument, NULL, OPT_SHOW},
        {"explain", no_argument, NULL, OPT_EXPLAIN},
        {"ranking", required_argument, NULL, OPT_RANKING},
        {"timeline", required_argument, NULL, OPT_TIMELINE},
        {"facet", required_argument, NULL, OPT_FACET},
        {"expand", no_argument, NULL, OPT_EXPAND},
        {"snippet-words", required_argument, NULL, OPT_SNIPPET_WORDS},
        {"fragments", required_argument, NULL, OPT_FRAGMENTS},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0}};
    static const char *const formats[] = {"text", "json", "csv", "tsv", "ndjson-bulk"};
    /* The options that only say yes. */
    const struct {
        int c;
        bool *flag;
    } flags[] = {{OPT_ALL_COPIES, &cli->search.all_copies},
                 {OPT_ALL_VERSIONS, &cli->search.all_versions},
                 {OPT_NO_CAPTURED_DATES, &cli->search.no_captured_dates},
                 {'c', &cli->count_only},
                 {OPT_EXPAND, &cli->expand},
                 {OPT_EXPLAIN, &cli->explain}};
    cli->search.limit = 10;
    cli->search.snippet_tokens = 32;
    cli->search.fragments = 1;
    enum highlight_when when = HIGHLIGHT_AUTO;
    struct news_error err;
    int c;
    /* '+': options end at ARCHIVE, so that a query such as "ukraine -russia" keeps its
     * exclusions instead of having them read as options. */
    while ((c = getopt_long(argc, argv, "+as:n:cf:hV", longopts, NULL)) != -1) {
        size_t flag = 0;
        while (flag < sizeof flags / sizeof *flags && flags[flag].c != c)
            flag++;
        if (flag < sizeof flags / sizeof *flags) {
            *flags[flag].flag = true;
            continue;
        }
        switch (c) {
        case 'a':
            cli->mode = MATCH_ANY;
            break;
        case OPT_SINCE:
            if (!match_date_valid(optarg))
                return usage_error("--since needs a date YYYY, YYYY-MM or YYYY-MM-DD, not '%s'",
                                   optarg);
            cli->search.since = optarg;
            break;
        case OPT_UNTIL:
            if (!match_date_valid(optarg))
                return usage_error("--until needs a date YYYY, YYYY-MM or YYYY-MM-DD, not '%s'",
                                   optarg);
            cli->search.until = optarg;
            break;
        case OPT_SOURCE:
            cli->search.source = optarg;
            break;
        case 's':
            if (strcmp(optarg, "rank") != 0 && strcmp(optarg, "date") != 0)
                return usage_error("--sort is rank or date, not '%s'", optarg);
            cli->search.sort = optarg[0] == 'd' ? SEARCH_BY_DATE : SEARCH_BY_RANK;
            break;
        case 'n':
            if (!parse_count(optarg, 0, &cli->search.limit))
                return usage_error("--limit needs a number, 0 or more, not '%s'", optarg);
            break;
        case OPT_OFFSET:
            if (!parse_count(optarg, 0, &cli->search.offset))
                return usage_error("--offset needs a number, 0 or more, not '%s'", optarg);
            break;
        case 'f': {
            size_t i = 0;
            while (i < 5 && strcmp(optarg, formats[i]) != 0)
                i++;
            if (i == 5)
                return usage_error("--format is text, json, csv, tsv or ndjson-bulk, not '%s'",
                                   optarg);
            cli->format = (enum output_format)i;
            break;
        }
        case OPT_COLOR:
            if (!highlight_when_parse(optarg, &when))
                return usage_error("--color is auto, always or never, not '%s'", optarg);
            break;
        case OPT_HIGHLIGHT:
            if (highlight_markers_parse(optarg, &cli->markers, &err) != NEWS_OK)
                return usage_error("%s", err.msg);
            cli->has_markers = true;
            break;
        case OPT_SNIPPET_WORDS:
            if (!parse_small(optarg, SNIPPET_MAX_WORDS, &cli->search.snippet_tokens))
                return usage_error("--snippet-words needs a number from 1 to 64, not '%s'", optarg);
            break;
        case OPT_FRAGMENTS:
            if (!parse_small(optarg, SNIPPET_MAX_FRAGMENTS, &cli->search.fragments))
                return usage_error("--fragments needs a number from 1 to 8, not '%s'", optarg);
            break;
        case OPT_TIMELINE:
            if (strcmp(optarg, "year") == 0)
                cli->group = SEARCH_BY_YEAR;
            else if (strcmp(optarg, "month") == 0)
                cli->group = SEARCH_BY_MONTH;
            else if (strcmp(optarg, "day") == 0)
                cli->group = SEARCH_BY_DAY;
            else
                return usage_error("--timeline is year, month or day, not '%s'", optarg);
            cli->grouping = true;
            break;
        case OPT_FACET:
            if (strcmp(optarg, "source") == 0)
                cli->group = SEARCH_BY_SOURCE;
            else if (strcmp(optarg, "byline") == 0 || strcmp(optarg, "author") == 0)
                cli->group = SEARCH_BY_BYLINE;
            else if (strcmp(optarg, "lang") == 0)
                cli->group = SEARCH_BY_LANG;
            else
                return usage_error("--facet is source, byline or lang, not '%s'", optarg);
            cli->grouping = true;
            break;
        case OPT_RANKING:
            if (strcmp(optarg, "news") != 0 && strcmp(optarg, "bm25") != 0)
                return usage_error("--ranking is news or bm25, not '%s'", optarg);
            cli->search.ranking = optarg[0] == 'n' ? SEARCH_RANK_NEWS : SEARCH_RANK_BM25;
            break;
        case OPT_SHOW:
            if (!parse_count(optarg, 1, &cli->show_id))
                return usage_error("--show needs an article id (a number), not '%s'", optarg);
            break;
        case 'h':
            fputs(usage_text, stdout);
            return EXIT_MATCH;
        case 'V':
            puts("news-query " NEWS_VERSION);
            return EXIT_MATCH;
        default:
            return usage_error("%s", "invalid option");
        }
    }
    int code = operands(argc, argv, optind, longopts, cli);
    if (code >= 0) return code;
    /* An export for a search engine holds every article; story groups the copies. */
    cli->search.full_text = cli->format == OUTPUT_BULK;
    cli->search.all_copies |= cli->format == OUTPUT_BULK;
    choose_style(cli, when);
    return -1;
}

struct printer {
    enum output_format format;
    const struct output_style *style;
    bool several;   /* archives: name each match's in text */
    int64_t copies; /* of the stories shown, collapsed into them */
};

static bool print_hit(void *ctx, const struct search_hit *hit)
{
    struct printer *p = ctx;
    p->copies += hit->copies;
    struct search_hit h = *hit;
    if (p->format == OUTPUT_TEXT && !p->several) h.archive = NULL;
    output_hit(stdout, p->format, &h, p->style);
    return !ferror(stdout);
}

static void print_article(void *ctx, const struct search_article *art)
{
    output_article(stdout, *(const enum output_format *)ctx, art);
}

/* Rows of a --timeline or --facet count, kept to line them up and scale the bars: there
 * are as many as periods or values, whatever the number of matches. */
struct groups {
    char **keys;
    int64_t *counts;
    size_t n, cap;
};

static bool collect_group(void *ctx, const char *key, int64_t count)
{
    struct groups *g = ctx;
    if (g->n == g->cap) {
        g->cap = g->cap ? g->cap * 2 : 64;
        g->keys = news_xrealloc(g->keys, g->cap * sizeof *g->keys);
        g->counts = news_xrealloc(g->counts, g->cap * sizeof *g->counts);
    }
    g->keys[g->n] = key ? news_xstrdup(key) : NULL;
    g->counts[g->n++] = count;
    return true;
}

/* Prints the counts per group; returns the number of matches counted. */
static int64_t print_groups(const struct cli *cli, const struct groups *g)
{
    const char *key_name = cli->group <= SEARCH_BY_DAY ? "period" : "value";
    int64_t max = 0, total = 0;
    int width = 0;
    for (size_t i = 0; i < g->n; i++) {
        if (g->counts[i] > max) max = g->counts[i];
        total += g->counts[i];
        int w = output_text_width(g->keys[i] ? g->keys[i] : "undated");
        if (w > width) width = w;
    }
    output_group_header(stdout, cli->format, key_name);
    for (size_t i = 0; i < g->n; i++) {
        int bar = cli->bars && max > 0 ? (int)((g->counts[i] * 40 + max - 1) / max) : 0;
        output_group_row(stdout, cli->format, key_name, g->keys[i], g->counts[i], width, bar);
    }
    return total;
}

/* The count of a search's matches on stderr: articles, the copies collapsed into the
 * stories shown (their best matches), and how many were shown. */
static void print_summary(int64_t total, int64_t collapsed, int64_t shown)
{
    fprintf(stderr, "news-query: %" PRId64 " match%s", total, total == 1 ? "" : "es");
    if (collapsed > 0)
        fprintf(stderr, " (%" PRId64 " cop%s collapsed into the stories shown)", collapsed,
                collapsed == 1 ? "y" : "ies");
    fprintf(stderr, "; showed %" PRId64 "\n", shown);
}

/* Query words that are in no article, with the closest words of the first archive that
 * lacks them; with several archives, only words that no archive has are reported. */
struct missing {
    char **words, **suggestions;
    size_t *archives; /* how many archives lack the word */
    size_t n, cap;
};

static void collect_missing(void *ctx, const char *word, const char *suggestions)
{
    struct missing *m = ctx;
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->words[i], word) == 0) {
            if (!m->suggestions[i][0]) {
                free(m->suggestions[i]);
                m->suggestions[i] = news_xstrdup(suggestions);
            }
            m->archives[i]++;
            return;
        }
    if (m->n == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 8;
        m->words = news_xrealloc(m->words, m->cap * sizeof *m->words);
        m->suggestions = news_xrealloc(m->suggestions, m->cap * sizeof *m->suggestions);
        m->archives = news_xrealloc(m->archives, m->cap * sizeof *m->archives);
    }
    m->words[m->n] = news_xstrdup(word);
    m->suggestions[m->n] = news_xstrdup(suggestions);
    m->archives[m->n++] = 1;
}

/* Suggestions are a courtesy: a failure to make them is not the query's. */
static void suggest(const struct merge *m, const char *query)
{
    struct missing miss = {NULL, NULL, NULL, 0, 0};
    struct news_error err;
    for (size_t i = 0; i < m->n; i++)
        if (suggest_words(m->archives[i], query, collect_missing, &miss, &err) != NEWS_OK) {
            fprintf(stderr, "news-query: (no spelling suggestions: %s)\n", err.msg);
            break;
        }
    for (size_t i = 0; i < miss.n; i++) {
        if (miss.archives[i] == m->n && miss.suggestions[i][0])
            fprintf(stderr, "news-query: '%s' is in no article; did you mean: %s?\n", miss.words[i],
                    miss.suggestions[i]);
        else if (miss.archives[i] == m->n)
            fprintf(stderr, "news-query: '%s' is in no article\n", miss.words[i]);
        free(miss.words[i]);
        free(miss.suggestions[i]);
    }
    free(miss.words);
    free(miss.suggestions);
    free(miss.archives);
}

/* Runs what cli asks; returns the exit code. */
static int run(struct cli *cli, const struct merge *m)
{
    struct news_error err;
    if (cli->show_id) {
        bool found;
        char removed_at[32];
        if (search_show(m->archives[0], cli->show_id, print_article, &cli->format, &found,
                        removed_at, &err) != NEWS_OK)
            goto fail;
        if (!found && removed_at[0])
            fprintf(stderr, "news-query: no article with id %" PRId64 " in %s: removed %s\n",
                    cli->show_id, m->paths[0], removed_at);
        else if (!found)
            fprintf(stderr, "news-query: no article with id %" PRId64 " in %s\n", cli->show_id,
                    m->paths[0]);
        return found ? EXIT_MATCH : EXIT_NO_MATCH;
    }
    char *fts = NULL;
    /* date:A..B words in the query narrow --since and --until. */
    snprintf(cli->since, sizeof cli->since, "%s", cli->search.since ? cli->search.since : "");
    snprintf(cli->until, sizeof cli->until, "%s", cli->search.until ? cli->search.until : "");
    if (match_take_dates(cli->query, cli->since, cli->until, &err) != NEWS_OK) {
        fprintf(stderr, "news-query: error: %s\n", err.msg);
        return EXIT_ERROR;
    }
    cli->search.since = cli->since[0] ? cli->since : NULL;
    cli->search.until = cli->until[0] ? cli->until : NULL;
    if (match_translate(cli->query, cli->mode, &fts, &err) != NEWS_OK) {
        fprintf(stderr, "news-query: error: %s\n", err.msg);
        return EXIT_ERROR;
    }
    if (match_operators_are_words(cli->query))
        fputs("news-query: note: the query is written in capitals, so AND, OR and NOT in it are "
              "searched as words; write the other words in lowercase to use them as operators\n",
              stderr);
    /* Several archives: one set of statistics for all, so that scores compare. */
    char *rank_expr = NULL;
    cli->search.fts = fts;
    /* Feedback ranks a list of best matches; counts, dates and bm25() need none. */
    bool expand = cli->expand && cli->search.ranking == SEARCH_RANK_NEWS &&
                  cli->search.sort == SEARCH_BY_RANK && !cli->count_only && !cli->grouping;
    enum news_status st = merge_rank_expr(m, &cli->search, expand, &rank_expr, &err);
    cli->search.rank_expr = rank_expr;
    if (st == NEWS_OK && expand) {
        char *expanded = NULL, *weights = NULL;
        st = expand_query(m, &cli->search, &expanded, &weights, &cli->search.marked_phrases, &err);
        if (st == NEWS_OK) {
            free(fts);
            cli->search.fts = fts = expanded;
            if (weights) { /* else nothing was added: the first statistics still hold */
                free(rank_expr);
                cli->search.rank_expr = rank_expr = weights;
            }
        }
    }
    if (st != NEWS_OK) {
        free(fts);
        free(rank_expr);
        goto fail;
    }
    if (cli->explain) { /* what the query means, in FTS5's syntax; no search */
        printf("%s\n", fts);
        if (rank_expr) printf("%s\n", rank_expr);
        free(fts);
        free(rank_expr);
        return EXIT_MATCH;
    }
    int64_t hits = 0, total = 0;
    if (cli->grouping) {
        struct groups g = {0};
        st = merge_group(m, &cli->search, cli->group, cli->search.limit, collect_group, &g, &err);
        if (st == NEWS_OK) hits = print_groups(cli, &g);
        for (size_t i = 0; i < g.n; i++)
            free(g.keys[i]);
        free(g.keys);
        free(g.counts);
    } else if (cli->count_only) {
        st = merge_count(m, &cli->search, &total, &err);
        if (st == NEWS_OK) printf("%" PRId64 "\n", total);
        hits = total;
    } else {
        struct printer p = {cli->format, &cli->style, m->n > 1, 0};
        struct search_totals totals;
        output_header(stdout, cli->format);
        st = merge_run(m, &cli->search, print_hit, &p, &hits, &totals, &err);
        total = totals.articles;
        if (st == NEWS_OK && total == 0 &&
            (cli->format == OUTPUT_TEXT || (hits == 0 && cli->search.offset)))
            st = merge_count(m, &cli->search, &total, &err);
        if (st == NEWS_OK && cli->format == OUTPUT_TEXT && total > 0)
            print_summary(total, p.copies, hits);
        if (total > hits) hits = total;
    }
    free(fts);
    free(rank_expr);
    cli->search.rank_expr = NULL;
    if (st != NEWS_OK) goto fail;
    if (hits == 0) {
        fputs("news-query: no matches", stderr);
        if (cli->mode == MATCH_ALL && strchr(cli->query, ' '))
            fputs(" for all of the words; try --any to rank articles matching any of them", stderr);
        fputs("\n", stderr);
        suggest(m, cli->query);
    }
    return hits > 0 ? EXIT_MATCH : EXIT_NO_MATCH;
fail:
    fprintf(stderr, "news-query: error: %s\n", err.msg);
    return EXIT_ERROR;
}

int main(int argc, char **argv)
{
    struct cli cli = {0};
    int code = parse_args(argc, argv, &cli);
    if (code >= 0) return code;
    struct news_error err;
    struct archive **archives = news_xmalloc(cli.archive_count * sizeof *archives);
    struct merge m = {archives, cli.archives, 0};
    while (m.n < cli.archive_count &&
           archive_open(cli.archives[m.n], ARCHIVE_READ, &archives[m.n], &err) == NEWS_OK)
        m.n++;
    if (m.n < cli.archive_count) {
        fprintf(stderr, "news-query: error: %s\n", err.msg);
        code = EXIT_ERROR;
    } else {
        code = run(&cli, &m);
    }
    for (size_t i = 0; i < m.n; i++)
        archive_close(archives[i]);
    free(archives);
    free(cli.query);
    if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0) {
        fprintf(stderr, "news-query: error: cannot write the results\n");
        code = EXIT_ERROR;
    }
    return code;
}
