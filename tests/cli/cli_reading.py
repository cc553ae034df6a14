"""End-to-end tests of how news-query reads what people type: possessives, words joined by
'-' or '/', queries written in capitals, unclosed quotes. On small fixtures always, and on
real news from ../shared/data (BBC 2005, TIME 1963) when present (skipped visibly if not)."""
import json
import os
import re
import unittest

from common import SHARED_DATA, ArchiveTest, main, run

BBC_DIR = os.path.join(SHARED_DATA, "bbc-news-2005", "articles")
TIME_ALL = os.path.join(SHARED_DATA, "time-magazine-1963", "TIME.ALL")


def ids(db, query, *options):
    """The ids of every article the query finds (all copies, no limit)."""
    proc = run("query", "--all-copies", "-f", "json", "-n", "100000", *options, db, query)
    if proc.returncode not in (0, 1):
        raise AssertionError(f"news-query {query}: exit {proc.returncode}: {proc.err}")
    return {json.loads(line)["id"] for line in proc.stdout.splitlines()}


def texts(db):
    """{id: title and text} of every article, from the bulk export's whole texts."""
    proc = run("query", "--any", "--all-copies", "-f", "ndjson-bulk", "-n", "100000", db,
               "a OR the OR of OR to OR and OR in", check=0)
    out = {}
    for doc in proc.stdout.splitlines()[1::2]:  # after each action line, its document
        doc = json.loads(doc)
        out[doc["id"]] = doc["title"] + "\n" + doc["text"]
    return out


class FixtureTest(ArchiveTest):
    def setUp(self):
        super().setUp()
        self.db = self.path("a.db")
        records = [
            {"id": "1", "title": "Blair's government", "body": "The cabinet met on Monday."},
            {"id": "2", "title": "Cabinet", "body": "Blair said the government would act."},
            {"id": "3", "title": "Trade", "body": "Oil and gas prices rose; Anglo and Irish "
                                                  "officials met."},
            {"id": "4", "title": "Energy", "body": "Oil/gas prices and Anglo-Irish talks."},
            {"id": "5", "title": "Syria", "body": "Syria and Iraq agreed on unity."},
        ]
        self.write("a.jsonl", "".join(json.dumps(r) + "\n" for r in records))
        run("index", "-q", self.db, self.path("a.jsonl"), check=0)

    def test_possessive_finds_the_bare_word_and_itself(self):
        self.assertEqual(ids(self.db, "Blair's government"), ids(self.db, "Blair government"))
        self.assertEqual(len(ids(self.db, "Blair\u2019s government")), 2)
        self.assertEqual(len(ids(self.db, '"Blair\'s government"')), 1)  # exact when quoted

    def test_joined_words_need_not_be_adjacent_but_rank_first_when_they_are(self):
        for query in ("oil/gas prices", "Anglo-Irish"):
            proc = run("query", "-f", "json", self.db, query, check=0)
            found = [json.loads(line)["source_id"] for line in proc.stdout.splitlines()]
            self.assertEqual(found, ["4", "3"], query)
        self.assertEqual(len(ids(self.db, '"Anglo-Irish"')), 1)

    def test_capitals_make_operators_words_and_say_so(self):
        proc = run("query", "--explain", self.db, "SYRIA AND IRAQ", check=0)
        self.assertEqual(proc.out.splitlines()[0], '("SYRIA" AND "AND" AND "IRAQ")')
        self.assertIn("written in capitals", proc.err)
        self.assertIn("searched as words", proc.err)
        proc = run("query", "--explain", self.db, "Syria AND Iraq", check=0)
        self.assertEqual(proc.out.splitlines()[0], '("Syria" AND "Iraq")')
        self.assertEqual(proc.err, "")
        self.assertEqual(len(ids(self.db, "SYRIA OR NOTHING", "--any")), 1)

    def test_an_unclosed_quote_is_an_error_that_says_where(self):
        for query, column in (('"peace talks', 1), ('Blair "government', 7)):
            proc = run("query", self.db, query, check=2)
            self.assertIn(f"the quote at column {column} is never closed", proc.err)
            self.assertEqual(proc.out, "")


@unittest.skipUnless(os.path.isdir(BBC_DIR), f"no BBC articles in {BBC_DIR}")
class BbcTest(ArchiveTest):
    def test_blairs_government_finds_what_blair_government_finds(self):
        db = self.path("bbc.db")
        run("index", "-q", db, BBC_DIR, check=0)
        possessive, bare = ids(db, "Blair's government"), ids(db, "Blair government")
        self.assertGreater(len(bare), 100)
        self.assertTrue(bare <= possessive, f"missed {sorted(bare - possessive)[:5]}")
        # As many articles as the collection's own files name Blair and the government in,
        # read here without news-index (each distinct file once; stemming may find more).
        naming = set()
        for folder, _, names in os.walk(BBC_DIR):
            for name in names:
                with open(os.path.join(folder, name), encoding="utf-8", errors="replace") as f:
                    text = f.read()
                if re.search(r"\bblair", text, re.I) and re.search(r"\bgovernment", text, re.I):
                    naming.add(text)
        self.assertGreater(len(naming), 100)
        self.assertGreaterEqual(len(possessive), len(naming))
        # Each of them is found, in the archive's stored text too.
        every = texts(db)
        self.assertGreater(len(every), 2000)
        want = {i for i, t in every.items()
                if re.search(r"\bblair", t, re.I) and re.search(r"\bgovernment", t, re.I)}
        self.assertTrue(want <= possessive, f"missed {sorted(want - possessive)[:5]}")
        # The quoted phrase is exact: each article it finds has it, as written or curly.
        for i in ids(db, '"Blair\'s government"'):
            self.assertRegex(every[i], r"(?i)blair['\u2019]s\s+government")


@unittest.skipUnless(os.path.isfile(TIME_ALL), f"no TIME 1963 in {TIME_ALL}")
class TimeTest(ArchiveTest):
    def test_viet_nams_president_finds_what_viet_nam_president_finds(self):
        records, text = [], []
        for line in open(TIME_ALL, encoding="ascii", errors="replace"):
            if line.startswith("*TEXT") or line.startswith("*STOP"):
                if text:
                    records.append(" ".join(text))
                text = []
            elif line.strip():
                text.append(line.strip())
        if text:
            records.append(" ".join(text))
        self.assertEqual(len(records), 423)
        self.write("time.jsonl", "".join(json.dumps({"id": str(n), "body": t}) + "\n"
                                         for n, t in enumerate(records, 1)))
        db = self.path("time.db")
        run("index", "-q", db, self.path("time.jsonl"), check=0)
        possessive = ids(db, "VIET NAM'S PRESIDENT")
        bare = ids(db, "VIET NAM PRESIDENT")
        self.assertGreater(len(bare), 20)
        self.assertEqual(possessive, bare)


if __name__ == "__main__":
    main()
