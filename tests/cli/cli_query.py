"""End-to-end tests of news-query on the sample articles: the query language, filters,
output formats read back with standard parsers, and exit codes."""
import csv
import io
import json
import re
import os
import sqlite3
import tempfile

from common import SAMPLES, ArchiveTest, corpus, main, run

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

    def test_text_output_highlights_with_markers_when_not_a_terminal(self):
        proc = run("query", DB, "ceasefire", check=0)
        self.assertIn("1. Envoys meet in Geneva as ceasefire talks resume", proc.out)
        self.assertIn("**ceasefire**", proc.out)
        self.assertIn("Example Wire", proc.out)
        self.assertNotIn("\033[", proc.out)
        self.assertIn("1 match", proc.err)
        colored = run("query", "--color", "always", DB, "ceasefire", check=0)
        self.assertIn("\033[1;31mceasefire\033[0m", colored.out)

    def test_json_lines(self):
        out = run("query", "--format", "json", DB, "talks", check=0).out
        rows = [json.loads(line) for line in out.splitlines()]
        self.assertEqual(len(rows), 3)
        for key in ("id", "source_id", "date", "source", "title", "url", "score", "snippet"):
            self.assertIn(key, rows[0])
        self.assertEqual([r["rank"] for r in rows], [1, 2, 3])
        self.assertTrue(rows[0]["score"] >= rows[1]["score"] >= rows[2]["score"])
        self.assertIn("**talks**", rows[0]["snippet"])

    def test_csv_and_tsv(self):
        # 64 words reach past the first paragraph (a shorter snippet ends with its sentence).
        out = run("query", "--format", "csv", "--snippet-words", "64", DB, "talks", check=0).out
        rows = list(csv.DictReader(io.StringIO(out, newline="")))
        self.assertEqual(len(rows), 3)
        self.assertEqual(rows[0]["title"], "Envoys meet in Geneva as ceasefire talks resume")
        self.assertEqual(rows[0]["source_id"], "wire-0001")
        self.assertIn("\n", rows[0]["snippet"])  # a quoted field with a line break
        tsv = run("query", "--format", "tsv", DB, "talks", check=0).out.splitlines()
        self.assertEqual(len(tsv), 4)
        # copies, story, archive, version_of, superseded_by, date_kind, title_derived last
        self.assertTrue(all(line.count("\t") == 16 for line in tsv))

    def test_ndjson_bulk_is_valid_bulk_syntax(self):
        out = run("query", "--format", "ndjson-bulk", "--limit", "0", DB, "the", check=0).out
        self.assertTrue(out.endswith("\n"))  # the bulk API wants a final newline
        lines = out.split("\n")[:-1]
        self.assertEqual(len(lines) % 2, 0)
        ids = set()
        for action, source in zip(lines[0::2], lines[1::2]):
            action, source = json.loads(action), json.loads(source)
            self.assertEqual(list(action), ["index"])  # the index is the URL's
            self.assertEqual(list(action["index"]), ["_id"])
            self.assertRegex(action["index"]["_id"], "^[0-9A-F]{32}$")
            ids.add(action["index"]["_id"])
            self.assertIsInstance(source, dict)
            for key in ("id", "title", "date", "source", "text", "story", "archive"):
                self.assertIn(key, source)
        # Every match, copies included, each once, with its whole text.
        self.assertEqual(len(ids), int(run("query", "--count", DB, "the", check=0).out))
        self.assertEqual(len(ids), len(lines) // 2)
        for source in map(json.loads, lines[1::2]):
            shown = run("query", "--format", "json", "--show", str(source["id"]), DB, check=0)
            self.assertEqual(source["text"], json.loads(shown.out)["text"])
        run("query", "--format", "ndjson-bulk", "--timeline", "year", DB, "the", check=2)
        run("query", "--format", "ndjson-bulk", "--show", "1", DB, check=2)

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
                  "talks)", "NEAR(", "-", "''", "\\"):
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
        # "--" ends a list of archives.
        self.assertIn("missing QUERY", run("query", DB, "--", check=2).err)

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
        # The stem of "coffee" is "coffe", which the stemmer turns into "coff" if searched
        # as it is: the suggestion must still be the word as the articles write it.
        db = self.path("coffee.db")
        docs = [{"id": "1", "title": "Markets", "body": "Coffee prices rose in Brazil."},
                {"id": "2", "title": "Markets", "body": "Cocoa prices fell."}]
        run("index", db, "-", stdin="".join(json.dumps(d) + "\n" for d in docs).encode(),
            check=0)
        proc = run("query", db, "coffe", check=1)
        self.assertIn("'coffe' is in no article; did you mean: Coffee", proc.err)

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
        self.assertIn("**ceasefire**", short)
        self.assertLessEqual(len(short.split()), 6)
        self.assertGreater(len(long.split()), 10)
        run("query", "--snippet-words", "0", DB, "x", check=2)

    def test_snippets_are_sentences_with_every_form_highlighted(self):
        snippet = json.loads(run("query", "-f", "json", "-n", "1", DB, "ceasefire",
                                 check=0).out)["snippet"]
        self.assertEqual(snippet, "Envoys from both sides met in Geneva on Tuesday for a new "
                                  "round of **ceasefire** talks, the first in three months. …")
        # "talks" finds and highlights "talk" and "talked" too (porter stemming).
        db = self.path("forms.db")
        doc = {"title": "Envoys", "body": "The talk went well. They talked again on Monday."}
        run("index", db, "-", stdin=(json.dumps(doc) + "\n").encode(), check=0)
        self.assertEqual(run("query", db, "talks", check=0).out.splitlines()[2].strip(),
                         "The **talk** went well. They **talked** again on Monday.")

    def test_fragments(self):
        query = ["--any", DB, "Geneva", "businesslike"]
        one = run("query", "--snippet-words", "8", *query, check=0).out
        two = run("query", "--snippet-words", "8", "--fragments", "2", *query, check=0).out
        self.assertIn("**Geneva**", one)
        self.assertNotIn("**businesslike**", one)
        # The second passage adds the word the first lacks, after it as in the text.
        self.assertIn(" … ", two)
        self.assertLess(two.index("**Geneva**"), two.index("**businesslike**"))
        self.assertNotIn("\033[", two)
        same = run("query", "--snippet-words", "8", "--fragments", "8", *query, check=0).out
        self.assertEqual(same, two)  # no passage without a new word
        for bad in ("0", "9", "abc", ""):
            proc = run("query", "--fragments", bad, DB, "talks", check=2)
            self.assertIn("--fragments needs a number from 1 to 8", proc.err)
            self.assertIn("Try 'news-query --help'", proc.err)

    def test_expand_adds_the_strongest_words_of_the_best_matches(self):
        out = run("query", "--expand", "--explain", DB, "ceasefire", check=0).out.splitlines()
        self.assertTrue(out[0].startswith('("ceasefire") OR '), out)
        self.assertIn('"geneva"', out[0])  # from the one article about the ceasefire
        # The added words rank without matching: the query is there twice, its copy ANDed.
        self.assertIn(' OR (("ceasefire") AND (', out[0])
        # Statistics (8 articles, title and body tokens, one count per phrase), then the
        # weights: 1 for the query's phrase, 0 for its copy, at most 0.4 for added words.
        stats, weights = re.fullmatch(r"news_rank\('([\d ]+)', (.*)\)", out[1]).groups()
        self.assertEqual(len(stats.split()), 3 + 2 + 10)
        self.assertEqual(weights.split(", ")[:3], ["1", "0", "0.4000"])
        rows = [json.loads(l) for l in run("query", "--expand", "-f", "json", DB, "ceasefire",
                                           check=0).out.splitlines()]
        self.assertEqual(rows[0]["title"], "Envoys meet in Geneva as ceasefire talks resume")
        # Snippets mark what was asked for, not the words feedback added ("Geneva").
        marked = {r["snippet_text"][a:b].lower() for r in rows for a, b in r["matches"]}
        self.assertEqual(marked, {"ceasefire"})
        self.assertEqual(run("query", "--expand", "-c", DB, "xqzvw", check=1).out, "0\n")

    def test_expand_ranks_the_same_matches(self):
        for query in (["said"], ["--any", "talks ceasefire"]):
            ids = [sorted(json.loads(l)["id"] for l in run(
                "query", *extra, *query[:-1], "-f", "json", "--all-copies", DB, query[-1],
                check=0).out.splitlines()) for extra in ([], ["--expand"])]
            self.assertEqual(ids[0], ids[1], query)
            self.assertGreater(len(ids[0]), 1)

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

    def test_ranking_rewards_terms_close_together_and_title_hits(self):
        filler = " ".join(f"word{i}" for i in range(60))
        docs = [{"id": "near", "title": "Report one", "body": f"peace talks began. {filler}"},
                {"id": "far", "title": "Report two", "body": f"peace {filler} talks began."},
                {"id": "title", "title": "Ceasefire agreed", "body": filler},
                {"id": "body", "title": "Report three", "body": f"ceasefire {filler}"}]
        # Words in more than half the articles carry no weight; these keep the others rare.
        docs += [{"id": f"other{i}", "title": f"Weather {i}", "body": f"rain {filler}"}
                 for i in range(6)]
        db = self.path("rank.db")
        run("index", db, "-", stdin="".join(json.dumps(d) + "\n" for d in docs).encode(),
            check=0)
        order = [json.loads(l)["source_id"] for l in run(
            "query", "-f", "json", db, "peace talks", check=0).out.splitlines()]
        self.assertEqual(order, ["near", "far"])
        for ranking in ("bm25", "news"):
            order = [json.loads(l)["source_id"] for l in run(
                "query", "--ranking", ranking, "-f", "json", db, "ceasefire",
                check=0).out.splitlines()]
            self.assertEqual(order, ["title", "body"], ranking)
        run("query", "--ranking", "tfidf", db, "x", check=2)
        # The query's word order counts: "talks peace" finds both, neither in that order.
        scores = [json.loads(l)["score"] for l in run(
            "query", "-f", "json", db, "peace talks", check=0).out.splitlines()]
        reversed_scores = [json.loads(l)["score"] for l in run(
            "query", "-f", "json", db, "talks peace", check=0).out.splitlines()]
        self.assertGreater(scores[0], reversed_scores[0])

    def test_expand_counts_common_words_in_samples_and_rare_ones_exactly(self):
        # 6,000 articles: words are counted in samples of the archive first, in full when
        # rare there. "lantern" is in a third of them, "airship" only in the ten on topic.
        lines = corpus(6000).splitlines()
        docs = [json.loads(l) for l in lines]
        for i, d in enumerate(docs):
            if i % 3 == 0:
                d["body"] += " lantern"
        docs += [{"title": f"Zeppelin {i}", "body": f"On day {i} the zeppelin airship {i} flew "
                  f"over the harbour, lantern {i} lit" + (" dirigible" if i % 2 else "")}
                 for i in range(10)]  # lines told apart: a line repeated is boilerplate
        db = self.path("big.db")
        run("index", "-q", db, "-", stdin="".join(json.dumps(d) + "\n" for d in docs).encode(),
            check=0)
        out = run("query", "--expand", "--explain", db, "harbour zeppelin", check=0).out
        expr, rank = out.splitlines()
        added = re.findall(r'"(\w+)"', expr.split(" AND (")[-1])
        stats = re.fullmatch(r"news_rank\('([\d ]+)'.*", rank).group(1).split()
        counts = dict(zip(added, map(int, stats[-len(added):])))
        self.assertEqual(counts["airship"], 10)  # rare: exact
        self.assertEqual(counts["dirigible"], 5)
        self.assertLess(abs(counts["lantern"] - 2010) / 2010, 0.1, counts)  # estimated
        every = [sorted(json.loads(l)["id"] for l in run(
            "query", *extra, "-f", "json", "-n", "0", "--all-copies", db, "harbour zeppelin",
            check=0).out.splitlines()) for extra in ([], ["--expand"])]
        self.assertEqual(every[0], every[1])
        self.assertEqual(len(every[0]), 10)

    def test_several_archives_rank_as_one(self):
        filler = " ".join(f"filler{i}" for i in range(40))
        docs = [{"id": f"s{i}", "title": f"Harbour report {i}", "date": f"{year}-05-0{i % 9 + 1}",
                 "source": source, "body": f"{body} {filler}"}
                for i, (year, source, body) in enumerate([
                    (1995, "Gazette", "dockers strike at the harbour over wages"),
                    (1995, "Courier", "the harbour strike ended after talks on wages"),
                    (1996, "Gazette", "harbour strike strike strike, the port is closed"),
                    (1996, "Courier", "weather: rain at the harbour"),
                    (2003, "Gazette", "a strike at the harbour, then another strike"),
                    (2003, "Courier", "harbour cranes sold"),
                    (2003, "Gazette", "strike vote among teachers")])]
        docs += [{"id": f"o{i}", "title": f"Garden notes {i}", "date": f"{1995 + i % 9}-01-01",
                  "body": f"roses and tulips {filler}"} for i in range(12)]
        def index(name, part):
            db = self.path(name)
            run("index", db, "-", stdin="".join(json.dumps(d) + "\n" for d in part).encode(),
                check=0)
            return db
        whole = index("all.db", docs)
        old = index("1990s.db", [d for d in docs if d.get("date", "") < "2000"])
        new = index("2000s.db", [d for d in docs if d.get("date", "") >= "2000"])

        def hits(*args):  # copies are grouped per archive, so every copy is compared
            out = run("query", "-f", "json", "-n", "0", "--all-copies", *args, check=0).out
            return [json.loads(line) for line in out.splitlines()]
        for query in (["harbour strike"], ["--any", "harbour strike wages"],
                      ["--expand", "--any", "harbour strike"]):
            one = hits(*query[:-1], whole, query[-1])
            merged = hits(*query[:-1], old, new, "--", query[-1])
            # The same ranking with the same scores: the statistics are the archives' sum.
            self.assertEqual([h["source_id"] for h in merged], [h["source_id"] for h in one])
            for a, b in zip(merged, one):
                self.assertAlmostEqual(a["score"], b["score"], places=3)
            self.assertEqual({h["archive"] for h in merged}, {old, new})
        page = hits("--any", "--offset", "2", "--limit", "3", old, new, "--", "harbour strike")
        self.assertEqual([h["source_id"] for h in page],
                         [h["source_id"] for h in hits("--any", whole, "harbour strike")][2:5])
        self.assertEqual([h["rank"] for h in page], [3, 4, 5])
        # Everything (-n 0) is merged from each archive's stream of matches in order: with
        # an offset, by date, and one match per story.
        ids = lambda hs: [h["source_id"] for h in hs]
        every = hits("--any", whole, "harbour strike")
        rest = hits("--any", "--offset", "2", old, new, "--", "harbour strike")
        self.assertEqual(ids(rest), ids(every)[2:])
        self.assertEqual([h["rank"] for h in rest], list(range(3, len(every) + 1)))
        self.assertEqual(ids(hits("--sort", "date", "--any", old, new, "--", "harbour strike")),
                         ids(hits("--sort", "date", "--any", whole, "harbour strike")))
        def stories(*limit):  # these filler-heavy texts are grouped as copies
            return [json.loads(line) for line in run(
                "query", "-f", "json", *limit, "--any", old, new, "--", "harbour strike",
                check=0).out.splitlines()]
        self.assertEqual(stories("-n", "0"), stories("-n", "100"))
        self.assertEqual(run("query", "-c", old, new, "--", "harbour", check=0).out, "7\n")
        # Years between the archives are there, with no matches.
        years = run("query", "-f", "csv", "--timeline", "year", old, new, "--", "harbour",
                    check=0).out.split()
        self.assertEqual(years, ["period,count", "1995,2", "1996,2", "1997,0", "1998,0",
                                 "1999,0", "2000,0", "2001,0", "2002,0", "2003,3"])
        sources = run("query", "-f", "csv", "--facet", "source", old, new, "--", "strike",
                      check=0).out.split()
        self.assertEqual(sources, ["value,count", "Gazette,4", "Courier,1"])
        # A word missing from one archive is not reported as missing.
        proc = run("query", old, new, "--", "wages cranes zebra", check=1)
        self.assertIn("'zebra' is in no article", proc.err)
        self.assertNotIn("'wages'", proc.err)
        self.assertNotIn("'cranes'", proc.err)
        for bad in (["--show", "1", old, new, "--"], ["--ranking", "bm25", old, new, "--", "x"],
                    ["--", "x"], [old, "--limit", "3", "--", "x"]):
            run("query", *bad, check=2)
        self.assertIn("cannot open", run("query", old, self.path("none.db"), "--", "x",
                                         check=2).err)

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
        for option in ("--all-versions", "--no-captured-dates"):
            self.assertIn(option, proc.out)
        self.assertEqual(proc.err, "")


# An archive with versions: a JSON Lines article corrected (a new edition under its own
# id), a wire story whose reprint was corrected (so that the story has a superseded copy:
# what is compared is the first 150 words, which the corrections leave alone),
# and a web archive's two captures of a page that gives no date of its own (dated by their
# capture) beside a page that does.
LEAD = ("The harbour town council met on Thursday to vote on the flood barrier lease, and "
        "the fishermen asked the operator to repair the quay wall before the winter storms "
        "reached the berth, as the tide had already damaged the road to the market and the "
        "school near the river where the town keeps its rescue boat and crew.\n\n"
        "The leader of the council said the budget would pay for the repair if the minister "
        "agreed to the lease, and the court would hear the case of the farm by the river in "
        "the spring. The police station and the library will stay open during the works, "
        "and the festival on the quay will go ahead as planned, the council said. Talks "
        "with the operator continue, and the price of the grain kept in the harbour will not "
        "rise, the market traders were told at a meeting in the museum on Friday night.")


def bridge(text, date):
    return json.dumps({"id": "1", "title": "Mayor opens bridge", "date": date,
                       "body": f"The mayor opened the new bridge over the river on Monday, {text}"
                               " Cheers came from the town."}) + "\n"


def wire(own_id, title, end):
    return json.dumps({"id": own_id, "title": title, "source": "Wire", "date": "2020-03-01",
                       "body": f"{LEAD}\n\n{end}"}) + "\n"


def warc_response(uri, date, rid, html):
    body = html.encode()
    payload = (f"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
               f"Content-Length: {len(body)}\r\n\r\n").encode() + body
    return (f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {uri}\r\n"
            f"WARC-Date: {date}\r\nWARC-Record-ID: <urn:uuid:0000-{rid}>\r\n"
            f"Content-Type: application/http; msgtype=response\r\n"
            f"Content-Length: {len(payload)}\r\n\r\n").encode() + payload + b"\r\n\r\n"


def page(title, text, head=""):
    return (f"<html><head><title>{title}</title>{head}</head><body><article><h1>{title}</h1>"
            f"<p>{text}</p></article></body></html>")


FERRY = ("The town ferry will sail every {} from March, the operator said, after complaints "
         "from commuters about the gaps in the winter timetable.")


def version_rows(*args):
    out = run("query", "-f", "json", *args, check=None)
    return [json.loads(line) for line in out.out.splitlines()]


class VersionsTest(ArchiveTest):
    def setUp(self):
        super().setUp()
        self.db = self.path("versions.db")
        news = self.write("news.jsonl", bridge("to cheers.", "2024-05-01")
                          + wire("a", "Council votes on barrier", "Reported by the wire.")
                          + wire("b", "Barrier vote reprinted", "Reprinted by a paper, which"
                                 " added a long note at the end of its copy for its readers."))
        crawl = self.write("crawl.warc", warc_response(
            "https://gazette.example/ferry", "2012-01-18T10:02:03Z", "1",
            page("Ferry timetable changes", FERRY.format("hour")))
            + warc_response("https://gazette.example/ferry", "2012-01-19T10:02:03Z", "2",
                            page("Ferry timetable changes", FERRY.format("half hour")))
            + warc_response("https://gazette.example/fair", "2012-01-18T11:00:00Z", "3",
                            page("Fair day moves", "The town fair will move to the quay.",
                                 '<meta property="article:published_time" content="2012-01-10">')))
        run("index", "--quiet", self.db, news, crawl, check=0)
        # The same file with two records corrected: new versions of articles 1 and 3 (the
        # reprint's shorter, so that it ranks above the version it supersedes).
        self.write("news.jsonl", bridge("to loud cheers.", "2024-05-02")
                   + wire("a", "Council votes on barrier", "Reported by the wire.")
                   + wire("b", "Barrier vote reprinted", "Reprinted by a paper."))
        run("index", "--quiet", self.db, news, check=0)
        con = sqlite3.connect(self.db)
        self.ids = {(title, superseded is None): id for id, title, superseded in con.execute(
            "SELECT id, title, superseded_by FROM article")}
        con.close()
        self.bridge, self.old_bridge = (self.ids[("Mayor opens bridge", c)] for c in (True, False))
        self.ferry, self.old_ferry = (self.ids[("Ferry timetable changes", c)]
                                      for c in (True, False))
        self.reprint, self.old_reprint = (self.ids[("Barrier vote reprinted", c)]
                                          for c in (True, False))

    def ids_of(self, *args):
        return sorted(h["id"] for h in version_rows(*args))

    def test_searches_show_the_current_version_only(self):
        current = sorted([self.bridge, self.ids[("Council votes on barrier", True)],
                          self.ferry, self.ids[("Fair day moves", True)]])
        superseded = {self.old_bridge, self.old_ferry, self.old_reprint}
        # Ranked pages (the index alone), filtered and date-sorted pages, streams.
        for args in ([], ["--since", "2000"], ["--sort", "date"], ["-n", "0"],
                     ["-n", "0", "--sort", "date"], ["--expand"]):
            got = self.ids_of(*args, self.db, "town")
            self.assertEqual(got, current, args)
        # A page is full: superseded versions take no place on it.
        self.assertEqual(len(version_rows("--all-copies", "-n", "5", self.db, "town")), 5)
        every = self.ids_of("--all-copies", "--all-versions", "-n", "0", self.db, "town")
        self.assertEqual(len(every), 8)
        self.assertTrue(superseded < set(every))
        for args in ([], ["--since", "2000"], ["-n", "0"]):
            got = self.ids_of("--all-copies", *args, self.db, "town")
            self.assertEqual(set(got) & superseded, set(), args)
            self.assertIn(self.reprint, got)
        # A superseded version says by which; the current one has nothing superseding it.
        rows = {h["id"]: h for h in version_rows("--all-versions", "-n", "0", self.db, "bridge")}
        self.assertEqual(sorted(rows), sorted([self.bridge, self.old_bridge]))
        self.assertEqual(rows[self.old_bridge]["superseded_by"], self.bridge)
        self.assertEqual(rows[self.old_bridge]["version_of"], None)
        self.assertEqual(rows[self.bridge]["superseded_by"], None)
        self.assertEqual(rows[self.bridge]["version_of"], self.old_bridge)
        text = run("query", "--all-versions", self.db, "bridge", check=0).out
        self.assertIn(f"id {self.old_bridge} · superseded by {self.bridge} ·", text)
        self.assertNotIn("superseded", run("query", self.db, "bridge", check=0).out)

    def test_counts_count_the_current_version_once(self):
        def count(*args):
            return int(run("query", "-c", *args, self.db, "town", check=0).out)
        self.assertEqual(count(), 5)
        self.assertEqual(count("--since", "2013"), 3)
        self.assertEqual(count("--all-versions"), 8)
        self.assertEqual(count("--all-versions", "--since", "2013"), 5)
        def csv_rows(*args):
            return run("query", "-f", "csv", *args, check=0).out.split()
        for extra, bridges, wire in (([], 1, 2), (["--all-versions"], 2, 3)):
            self.assertEqual(csv_rows("--timeline", "year", *extra, self.db, "bridge"),
                             ["period,count", f"2024,{bridges}"], extra)
            self.assertEqual(csv_rows("--facet", "source", *extra, self.db, "barrier"),
                             ["value,count", f"Wire,{wire}"], extra)
        # The story's copies: the superseded reprint is not one of them, on every path.
        for args in ([], ["--since", "2000"], ["-n", "0"]):
            (story,) = version_rows(*args, self.db, "barrier")
            self.assertEqual(story["copies"], 1, args)
            (story,) = version_rows("--all-versions", *args, self.db, "barrier")
            self.assertEqual(story["copies"], 2, args)
        err = run("query", self.db, "barrier", check=0).err
        self.assertIn("2 matches (1 copy collapsed", err)

    def test_machine_formats_end_with_the_version_fields(self):
        args = ("--all-versions", "-n", "0", self.db, "ferry OR fair")
        out = run("query", "-f", "csv", *args, check=0).out
        rows = list(csv.reader(io.StringIO(out, newline="")))
        self.assertEqual(rows[0][-5:], ["archive", "version_of", "superseded_by", "date_kind",
                                        "title_derived"])
        want = {self.old_ferry: (None, self.ferry, "captured"),
                self.ferry: (self.old_ferry, None, "captured"),
                self.ids[("Fair day moves", True)]: (None, None, "published")}
        as_text = {k: ["" if v is None else str(v) for v in vals] for k, vals in want.items()}
        self.assertEqual({int(r[1]): r[-4:-1] for r in rows[1:]}, as_text)
        self.assertEqual({r[-1] for r in rows[1:]}, {"false"})
        tsv = run("query", "-f", "tsv", *args, check=0).out.splitlines()
        self.assertTrue(all(line.count("\t") == 16 for line in tsv))
        self.assertEqual({int(line.split("\t")[1]): line.split("\t")[-4:-1]
                          for line in tsv[1:]}, as_text)
        for h in version_rows(*args):
            # JSON alone then has the snippet without markers and where its matches are.
            self.assertEqual(list(h)[-7:], ["archive", "version_of", "superseded_by", "date_kind",
                                            "snippet_text", "matches", "title_derived"])
            self.assertIs(h["title_derived"], False)
            self.assertEqual((h["version_of"], h["superseded_by"], h["date_kind"]), want[h["id"]])
        text = run("query", self.db, "ferry", check=0).out
        self.assertIn("2012-01-19T10:02:03Z (captured) · id", text)
        self.assertNotIn("(captured)", run("query", self.db, "fair", check=0).out)
        # The bulk export follows --all-versions too, and carries the same fields.
        def bulk(*extra):
            out = run("query", "-f", "ndjson-bulk", "-n", "0", *extra, self.db, "ferry",
                      check=0).out.splitlines()
            return [json.loads(line) for line in out[1::2]]
        (doc,) = bulk()
        self.assertEqual((doc["id"], doc["version_of"], doc["superseded_by"], doc["date_kind"]),
                         (self.ferry, self.old_ferry, None, "captured"))
        self.assertEqual(sorted(d["id"] for d in bulk("--all-versions")),
                         sorted([self.ferry, self.old_ferry]))

    def test_show_lists_the_versions(self):
        shown = json.loads(run("query", "-f", "json", "--show", str(self.old_ferry), self.db,
                               check=0).out)
        self.assertEqual(shown["superseded_by"], self.ferry)
        self.assertEqual(shown["date_kind"], "captured")
        self.assertEqual([(v["id"], v["date"], v["date_kind"], v["current"])
                          for v in shown["versions"]],
                         [(self.old_ferry, "2012-01-18T10:02:03Z", "captured", False),
                          (self.ferry, "2012-01-19T10:02:03Z", "captured", True)])
        self.assertEqual({v["title"] for v in shown["versions"]}, {"Ferry timetable changes"})
        current = json.loads(run("query", "-f", "json", "--show", str(self.ferry), self.db,
                                 check=0).out)
        self.assertEqual(current["versions"], shown["versions"])
        self.assertEqual(current["superseded_by"], None)
        alone = json.loads(run("query", "-f", "json", "--show",
                               str(self.ids[("Fair day moves", True)]), self.db, check=0).out)
        self.assertEqual((alone["versions"], alone["date_kind"]), ([], "published"))
        text = run("query", "--show", str(self.old_ferry), self.db, check=0).out.splitlines()
        self.assertIn("date:       2012-01-18T10:02:03Z (captured)", text)
        self.assertIn(f"superseded: by {self.ferry}; the current version is {self.ferry}", text)
        at = text.index(f"versions:   {self.old_ferry}  2012-01-18T10:02:03Z (captured)"
                        "  Ferry timetable changes  (shown)")
        self.assertEqual(text[at + 1], f"            {self.ferry}  2012-01-19T10:02:03Z"
                                       " (captured)  Ferry timetable changes  (current)")
        text = run("query", "--show", str(self.ferry), self.db, check=0).out
        self.assertIn("(current, shown)", text)
        self.assertNotIn("superseded:", text)
        self.assertNotIn("versions:", run("query", "--show", str(self.ids[(
            "Fair day moves", True)]), self.db, check=0).out)

    def test_show_says_whether_a_replaced_versions_text_is_kept(self):
        news = self.write("news.jsonl", bridge("to louder cheers than ever.", "2024-05-03"))
        run("index", "--quiet", "--replace", self.db, news, check=0)
        shown = json.loads(run("query", "-f", "json", "--show", str(self.bridge), self.db,
                               check=0).out)
        self.assertEqual([v["text_kept"] for v in shown["earlier_versions"]], [True])
        text = run("query", "--show", str(self.bridge), self.db, check=0).out
        self.assertIn("(its text is kept: news-index --restore ARCHIVE "
                      f"{self.bridge} puts it back)", text)
        # An archive upgraded from before texts were kept has history without them.
        con = sqlite3.connect(self.db)
        con.execute("UPDATE article_history SET text_z = NULL")
        con.commit()
        con.close()
        shown = json.loads(run("query", "-f", "json", "--show", str(self.bridge), self.db,
                               check=0).out)
        self.assertEqual([v["text_kept"] for v in shown["earlier_versions"]], [False])
        self.assertNotIn("text is kept", run("query", "--show", str(self.bridge), self.db,
                                             check=0).out)

    def test_no_captured_dates(self):
        fair = self.ids[("Fair day moves", True)]
        self.assertEqual(self.ids_of("--since", "2012-01-15", self.db, "ferry OR fair"),
                         [self.ferry])
        self.assertEqual(self.ids_of("--no-captured-dates", "--since", "2012-01-15", self.db,
                                     "ferry OR fair"), [])
        self.assertEqual(self.ids_of("--no-captured-dates", "--until", "2012", self.db,
                                     "ferry OR fair"), [fair])
        self.assertEqual(self.ids_of("--no-captured-dates", self.db, "ferry date:2012"), [])
        self.assertEqual(self.ids_of(self.db, "ferry date:2012"), [self.ferry])
        def years(*args):
            return run("query", "-f", "csv", "--timeline", "year", *args, self.db,
                       "ferry OR fair", check=0).out.split()
        self.assertEqual(years(), ["period,count", "2012,2"])
        self.assertEqual(years("--no-captured-dates"), ["period,count", "2012,1", ",1"])
        # By date, a capture date counts as a date unless told otherwise: then it is last.
        for extra in ([], ["-n", "0"]):
            order = [h["id"] for h in version_rows("--sort", "date", *extra, self.db,
                                                   "ferry OR fair")]
            self.assertEqual(order, [self.ferry, fair], extra)
            order = [h["id"] for h in version_rows("--sort", "date", "--no-captured-dates",
                                                   *extra, self.db, "ferry OR fair")]
            self.assertEqual(order, [fair, self.ferry], extra)

    def test_several_archives(self):
        other = self.path("other.db")
        run("index", "--quiet", other, self.write("other.jsonl", json.dumps(
            {"title": "Ferry fares", "date": "2011-06-01",
             "body": "The ferry fares will rise in the town."}) + "\n"), check=0)
        for extra in ([], ["-n", "0"], ["--since", "2000"]):
            hits = version_rows(*extra, self.db, other, "--", "ferry")
            self.assertEqual([(h["archive"], h["superseded_by"]) for h in hits],
                             [(self.db, None), (other, None)] if hits[0]["archive"] == self.db
                             else [(other, None), (self.db, None)], extra)
            hits = version_rows("--all-versions", *extra, self.db, other, "--", "ferry")
            self.assertEqual(len(hits), 3, extra)
        self.assertEqual(run("query", "-c", self.db, other, "--", "ferry", check=0).out, "2\n")
        self.assertEqual(run("query", "-c", "--all-versions", self.db, other, "--", "ferry",
                             check=0).out, "3\n")
        for extra in ([], ["-n", "0"]):
            order = [h["title"] for h in version_rows(
                "--sort", "date", "--no-captured-dates", *extra, self.db, other, "--", "ferry")]
            self.assertEqual(order, ["Ferry fares", "Ferry timetable changes"], extra)
            order = [h["title"] for h in version_rows(
                "--sort", "date", *extra, self.db, other, "--", "ferry")]
            self.assertEqual(order, ["Ferry timetable changes", "Ferry fares"], extra)
        years = run("query", "-f", "csv", "--timeline", "year", "--no-captured-dates", self.db,
                    other, "--", "ferry", check=0).out.split()
        self.assertEqual(years, ["period,count", "2011,1", ",1"])


if __name__ == "__main__":
    main()
