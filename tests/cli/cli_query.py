"""End-to-end tests of news-query on the sample articles: the query language, filters,
output formats read back with standard parsers, and exit codes."""
import csv
import io
import json
import os
import tempfile

from common import SAMPLES, ArchiveTest, main, run

_tmp = tempfile.TemporaryDirectory()
DB = os.path.join(_tmp.name, "samples.db")


def setUpModule():
    run("index", DB, SAMPLES, check=0)


def tearDownModule():
    _tmp.cleanup()


def titles(*args, check=0):
    """Titles of all matches; args are options, then the query."""
    *options, query = args
    out = run("query", "--format", "json", "--limit", "0", *options, DB, query,
              check=check).out
    return [json.loads(line)["title"] for line in out.splitlines()]


class QueryTest(ArchiveTest):
    def test_all_words_must_match_best_first(self):
        got = titles("ceasefire talks")
        self.assertEqual(got, ["Envoys meet in Geneva as ceasefire talks resume"])
        # "talks" also finds "talk" and "talked" (porter stemming).
        self.assertEqual(len(titles("talks")), 3)

    def test_title_hits_rank_above_body_hits(self):
        got = titles("--any", "treaty chess")
        self.assertEqual(set(got), {"Treaty signed after long night of negotiation",
                                    "Young champion keeps her nerve in rapid chess final"})

    def test_text_output_highlights_with_brackets_when_not_a_terminal(self):
        proc = run("query", DB, "ceasefire", check=0)
        self.assertIn("1. Envoys meet in Geneva as ceasefire talks resume", proc.out)
        self.assertIn("[ceasefire]", proc.out)
        self.assertIn("Example Wire", proc.out)
        self.assertNotIn("\033[", proc.out)
        self.assertIn("1 match", proc.err)
        colored = run("query", "--color", "always", DB, "ceasefire", check=0)
        self.assertIn("\033[1mceasefire\033[0m", colored.out)

    def test_json_lines(self):
        out = run("query", "--format", "json", DB, "talks", check=0).out
        rows = [json.loads(line) for line in out.splitlines()]
        self.assertEqual(len(rows), 3)
        for key in ("id", "source_id", "date", "source", "title", "url", "score", "snippet"):
            self.assertIn(key, rows[0])
        self.assertEqual([r["rank"] for r in rows], [1, 2, 3])
        self.assertTrue(rows[0]["score"] >= rows[1]["score"] >= rows[2]["score"])
        self.assertIn("[talks]", rows[0]["snippet"])

    def test_csv_and_tsv(self):
        out = run("query", "--format", "csv", DB, "talks", check=0).out
        rows = list(csv.DictReader(io.StringIO(out, newline="")))
        self.assertEqual(len(rows), 3)
        self.assertEqual(rows[0]["title"], "Envoys meet in Geneva as ceasefire talks resume")
        self.assertEqual(rows[0]["source_id"], "wire-0001")
        self.assertIn("\n", rows[0]["snippet"])  # a quoted field with a line break
        tsv = run("query", "--format", "tsv", DB, "talks", check=0).out.splitlines()
        self.assertEqual(len(tsv), 4)
        self.assertTrue(all(line.count("\t") == 11 for line in tsv))  # copies, story last

    def test_count_limit_offset(self):
        self.assertEqual(run("query", "--count", DB, "the", check=0).out, "8\n")
        first = titles("--limit", "3", "the")
        self.assertEqual(len(first), 3)  # the last --limit wins
        page = run("query", "-f", "json", "-n", "2", "--offset", "2", DB, "the", check=0).out
        self.assertEqual([json.loads(l)["rank"] for l in page.splitlines()], [3, 4])
        beyond = run("query", "-f", "json", "--offset", "100", DB, "the", check=0)
        self.assertEqual(beyond.out, "")

    def test_filters(self):
        self.assertEqual(titles("--since", "2025", "--until", "2025-03-04", "talks"),
                         ["Envoys meet in Geneva as ceasefire talks resume"])
        self.assertEqual(titles("--until", "1999", "treaty"),
                         ["Treaty signed after long night of negotiation"])
        self.assertEqual(len(titles("--source", "example wire", "the")), 3)
        self.assertEqual(titles("--source", "Nobody", "the", check=1), [])
        by_date = titles("--sort", "date", "the")
        self.assertEqual(by_date[0], "Museum returns bronze figures to Nigeria")
        self.assertEqual(by_date[-2], "Treaty signed after long night of negotiation")
        for bad in (["--since", "2025-13"], ["--until", "yesterday"], ["--sort", "size"],
                    ["--limit", "-1"], ["--format", "xml"]):
            proc = run("query", *bad, DB, "talks", check=2)
            self.assertIn("Try 'news-query --help'", proc.err)
            self.assertEqual(proc.out, "")

    def test_query_language(self):
        self.assertEqual(titles('"ceasefire talks"'),
                         ["Envoys meet in Geneva as ceasefire talks resume"])
        self.assertEqual(titles('"talks ceasefire"', check=1), [])
        self.assertEqual(len(titles("talks -Geneva")), 2)
        self.assertEqual(len(titles("talks NOT Geneva")), 2)
        # Words after the archive are the query, even those that start with '-'.
        proc = run("query", "-f", "json", DB, "talks", "-Geneva", "-Nigeria", check=0)
        self.assertEqual([json.loads(l)["title"] for l in proc.out.splitlines()],
                         ["Grain prices jump as Black Sea shipping deal lapses"])
        late = run("query", DB, "talks", "--limit=3", check=2)
        self.assertIn("options go before ARCHIVE", late.err)
        self.assertEqual(len(titles("chess OR treaty")), 2)
        self.assertEqual(titles("title:treaty"), ["Treaty signed after long night of negotiation"])
        self.assertEqual(titles("title:talks"),
                         ["Envoys meet in Geneva as ceasefire talks resume"])
        self.assertEqual(titles("negot*"), ["Treaty signed after long night of negotiation"])
        self.assertEqual(len(titles("(chess OR treaty) night")), 1)
        # NEAR: "Envoys meet in Geneva as ceasefire talks resume" has two words between.
        self.assertEqual(titles("NEAR(geneva talks, 2)"),
                         ["Envoys meet in Geneva as ceasefire talks resume"])
        self.assertEqual(titles("NEAR(geneva talks, 1)", check=1), [])

    def test_awkward_input_never_shows_sqlite_errors(self):
        for q in ("U.S. sanctions", "Putin's war", "peace-talks", '"unbalanced', "AND", "OR",
                  "NOT", ",", "?", "%", "/", "+", "@", "a:b", "(", ")", '"', "*", "title:",
                  "talks)", "NEAR(", "-", "--", "''", "\\"):
            proc = run("query", DB, q)
            self.assertIn(proc.returncode, (0, 1, 2), q)
            self.assertNotIn("fts5", proc.err.lower(), q)
            self.assertNotIn("sql", proc.err.lower(), q)
            self.assertNotIn("syntax error", proc.err.lower(), q)
            if proc.returncode == 2:
                self.assertTrue(proc.err.startswith("news-query: error: "), (q, proc.err))
            else:
                self.assertNotIn("error", proc.err, q)
        proc = run("query", DB, "", check=2)
        self.assertIn("no words", proc.err)

    def test_no_match_suggests_any(self):
        proc = run("query", DB, "chess treaty", check=1)
        self.assertEqual(proc.out, "")
        self.assertIn("--any", proc.err)
        self.assertEqual(len(titles("--any", "chess treaty")), 2)

    def test_words_in_no_article_get_suggestions(self):
        proc = run("query", DB, "ceasfire", check=1)
        self.assertIn("'ceasfire' is in no article; did you mean: ceasefire", proc.err)
        self.assertEqual(proc.out, "")
        proc = run("query", DB, "talks", "xqzvw", check=1)
        self.assertIn("'xqzvw' is in no article\n", proc.err)
        self.assertNotIn("'talks'", proc.err)  # it matches: no suggestion

    def test_date_ranges_in_the_query(self):
        self.assertEqual(titles("talks date:2025-03..2025-04"),
                         ["Envoys meet in Geneva as ceasefire talks resume",
                          "Museum returns bronze figures to Nigeria"])
        self.assertEqual(titles("--since", "2025-04", "talks date:2025"),
                         ["Museum returns bronze figures to Nigeria"])
        proc = run("query", DB, "talks date:2025-13", check=2)
        self.assertIn("'date:2025-13'", proc.err)
        late = run("query", DB, "talks", "-c", check=2)
        self.assertIn("options go before ARCHIVE", late.err)

    def test_snippet_words(self):
        short = json.loads(run("query", "-f", "json", "-n", "1", "--snippet-words", "5", DB,
                               "ceasefire", check=0).out)["snippet"]
        long = json.loads(run("query", "-f", "json", "-n", "1", DB, "ceasefire",
                              check=0).out)["snippet"]
        self.assertIn("[ceasefire]", short)
        self.assertLessEqual(len(short.split()), 6)
        self.assertGreater(len(long.split()), 10)
        run("query", "--snippet-words", "0", DB, "x", check=2)

    def test_expand_adds_the_strongest_words_of_the_best_matches(self):
        out = run("query", "--expand", "--explain", DB, "ceasefire", check=0).out.splitlines()
        self.assertTrue(out[0].startswith('("ceasefire") OR '), out)
        self.assertIn('"geneva"', out[0])  # from the one article about the ceasefire
        self.assertTrue(out[1].startswith("news_rank(1, "), out)
        rows = [json.loads(l) for l in run("query", "--expand", "-f", "json", DB, "ceasefire",
                                           check=0).out.splitlines()]
        self.assertEqual(rows[0]["title"], "Envoys meet in Geneva as ceasefire talks resume")
        self.assertEqual(run("query", "--expand", "-c", DB, "xqzvw", check=1).out, "0\n")

    def test_show(self):
        proc = run("query", "--show", "1", DB, check=0)
        self.assertIn("title:", proc.out)
        self.assertIn("from:", proc.out)
        art = json.loads(run("query", "-f", "json", "--show", "1", DB, check=0).out)
        self.assertTrue(art["text"])
        self.assertEqual(len(art["provenance"]), 1)
        missing = run("query", "--show", "999", DB, check=1)
        self.assertIn("no article with id 999", missing.err)
        run("query", "--show", "x", DB, check=2)

    def test_explain_prints_the_fts5_expression(self):
        proc = run("query", "--explain", DB, 'talks -Geneva "peace deal"', check=0)
        self.assertEqual(proc.out, '(("talks" AND "peace deal") NOT "Geneva")\n')
        self.assertEqual(run("query", "--any", "--explain", DB, "a b", check=0).out,
                         '("a" OR "b")\n')

    def test_bm25f_rewards_terms_close_together_and_title_hits(self):
        filler = " ".join(f"word{i}" for i in range(60))
        docs = [{"id": "near", "title": "Report one", "body": f"peace talks began. {filler}"},
                {"id": "far", "title": "Report two", "body": f"peace {filler} talks began."},
                {"id": "title", "title": "Ceasefire agreed", "body": filler},
                {"id": "body", "title": "Report three", "body": f"ceasefire {filler}"}]
        db = self.path("rank.db")
        run("index", db, "-", stdin="".join(json.dumps(d) + "\n" for d in docs).encode(),
            check=0)
        order = [json.loads(l)["source_id"] for l in run(
            "query", "--ranking", "bm25f", "-f", "json", db, "peace talks", check=0).out.splitlines()]
        self.assertEqual(order, ["near", "far"])
        for ranking in ("bm25", "bm25f"):
            order = [json.loads(l)["source_id"] for l in run(
                "query", "--ranking", ranking, "-f", "json", db, "ceasefire",
                check=0).out.splitlines()]
            self.assertEqual(order, ["title", "body"], ranking)
        run("query", "--ranking", "tfidf", db, "x", check=2)

    def test_timeline_and_facets(self):
        out = run("query", "--format", "csv", "--timeline", "year", DB, "the", check=0).out
        rows = list(csv.DictReader(io.StringIO(out, newline="")))
        years = {r["period"]: int(r["count"]) for r in rows}
        self.assertEqual(years["1921"], 1)
        self.assertEqual(years["1922"], 0)  # empty years between are shown
        self.assertEqual(sum(years.values()), 8)
        self.assertEqual((rows[-2]["period"], rows[-1]["period"]), ("2025", ""))  # undated last
        months = [json.loads(l) for l in run("query", "-f", "json", "--timeline", "month",
                                             "--since", "2025", DB, "the", check=0).out.splitlines()]
        self.assertEqual([m["period"] for m in months], ["2025-01", "2025-02", "2025-03", "2025-04"])
        self.assertEqual([m["count"] for m in months], [1, 0, 2, 1])
        text = run("query", "--facet", "source", DB, "the", check=0).out.splitlines()
        self.assertEqual(text[0].split(), ["Example", "Wire", "3"])
        self.assertEqual(text[1].split(), ["(none)", "5"])
        bars = run("query", "--facet", "source", "--color", "always", DB, "the", check=0).out
        self.assertIn("\u2588" * 40, bars)
        run("query", "--timeline", "week", DB, "the", check=2)
        run("query", "--facet", "title", DB, "the", check=2)

    def test_help(self):
        proc = run("query", "--help", check=0)
        self.assertIn("Usage: news-query", proc.out)
        self.assertEqual(proc.err, "")


if __name__ == "__main__":
    main()
