"""End-to-end tests on real news from ../shared/data (skipped, visibly, when it is absent):
the seed article's cleaning and ranking, and the BBC collection loaded twice."""
import json
import os
import re
import sqlite3
import unittest

from common import SAMPLES, SHARED_DATA, ArchiveTest, main, run, warc_pages

SEED_DIR = os.path.join(SHARED_DATA, "seed")
BBC_DIR = os.path.join(SHARED_DATA, "bbc-news-2005", "articles")

# What the seed page carries that is not the journalist's text.
SEED_BOILERPLATE = (
    "Advertisement Hide Ad",
    "Sign up to our Politics newsletter",
    "Thank you for signing up",
    "Sorry, there seem to be some issues",
    "Submitting...",
    "Picture: Evelyn Hockstein",
    "SPUTNIK/AFP via Getty Images",
)


def squash(text):
    return re.sub(r"\s+", " ", text).strip()


def seed_paragraphs():
    """The seed's paragraphs, read independently of news-index: every non-empty line after
    the first that carries none of the boilerplate above."""
    (name,) = os.listdir(SEED_DIR)
    with open(os.path.join(SEED_DIR, name), encoding="utf-8") as f:
        lines = [squash(l) for l in f.read().splitlines()[1:]]
    return [l for l in lines if l and not any(b in l for b in SEED_BOILERPLATE)]


@unittest.skipUnless(os.path.isdir(SEED_DIR), f"no seed article in {SEED_DIR}")
class SeedTest(ArchiveTest):
    def setUp(self):
        super().setUp()
        self.db = self.path("sample.db")
        run("index", self.db, SAMPLES, SEED_DIR, check=0)

    def seed(self):
        out = run("query", "-f", "json", "-n", "1", self.db, "Healey", check=0).out
        return json.loads(run("query", "-f", "json", "--show", str(json.loads(out)["id"]),
                              self.db, check=0).out)

    def test_seed_keeps_every_paragraph_and_no_boilerplate(self):
        art = self.seed()
        self.assertEqual(art["title"], "Russia and the US have agreed to seek closer ties")
        self.assertEqual(art["date"], "2025-02-18")
        stored = art["text"].split("\n\n")
        paragraphs = seed_paragraphs()
        self.assertGreater(len(paragraphs), 25)
        self.assertEqual(stored, paragraphs)  # all of them, in order, nothing else
        for b in SEED_BOILERPLATE:
            self.assertNotIn(b, art["text"])

    def test_seed_ranks_first_for_ukraine_peace_talks(self):
        proc = run("query", self.db, "Ukraine peace talks", check=0)
        first = proc.out.split("\n\n")[0]
        self.assertTrue(first.startswith("1. Russia and the US have agreed to seek closer ties"),
                        proc.out)
        for term in ("**Ukraine**", "**peace**", "**talks**"):
            self.assertIn(term, first)
        rows = [json.loads(l) for l in run("query", "-f", "json", "--any", self.db,
                                           "Ukraine peace talks", check=0).out.splitlines()]
        self.assertEqual(rows[0]["title"], "Russia and the US have agreed to seek closer ties")
        self.assertGreater(len(rows), 1)


def bbc_distinct():
    """Distinct BBC articles by title and whitespace-normalised text, read independently."""
    seen = set()
    files = 0
    for d, _, names in os.walk(BBC_DIR):
        for n in names:
            raw = open(os.path.join(d, n), "rb").read()
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                text = raw.decode("cp1252")
            lines = [squash(l) for l in text.splitlines()]
            lines = [l for l in lines if l]
            seen.add((lines[0], tuple(lines[1:])))
            files += 1
    return files, len(seen)


@unittest.skipUnless(os.path.isdir(BBC_DIR), f"no BBC articles in {BBC_DIR}")
class BbcTest(ArchiveTest):
    def test_bbc_twice(self):
        files, distinct = bbc_distinct()
        self.assertEqual(files, 2225)
        db = self.path("bbc.db")
        first = run("index", db, BBC_DIR, check=0)
        self.assertIn(f"added:      {distinct} articles", first.err)
        self.assertIn(f"duplicates: {files - distinct} skipped", first.err)
        self.assertIn("recoded:    1 (not UTF-8", first.err)  # sport/199.txt
        second = run("index", db, BBC_DIR, check=0)
        self.assertIn("added:      0 articles", second.err)
        self.assertIn(f"duplicates: {files} skipped ({files} already in the archive)", second.err)
        self.assertEqual(run("query", "--count", db, "the", check=0).out.strip(), str(distinct))
        # The Latin-1 file reads as it should.
        out = run("query", "-f", "json", db, "title:Chelsea title:sack title:Mutu", check=0).out
        art = json.loads(run("query", "-f", "json", "--show", str(json.loads(out)["id"]), db,
                             check=0).out)
        self.assertIn("£15.8m", art["text"])


REUTERS_DIR = os.path.join(SHARED_DATA, "reuters21578")
FEEDS_DIR = os.path.join(SHARED_DATA, "rss-atom-feed-samples")
NEWSML_DIR = os.path.join(SHARED_DATA, "iptc-newsml-g2-examples")
WARC_DIR = os.path.join(SHARED_DATA, "ukwa-warc-test-corpus")


def feed_items():
    """Items of every well-formed feed, counted with Python's own XML parser."""
    import xml.etree.ElementTree as ET
    total, files = 0, 0
    for d, _, names in os.walk(FEEDS_DIR):
        for n in names:
            if not n.endswith((".xml", ".rss", ".atom", ".rdf")):
                continue
            try:
                root = ET.parse(os.path.join(d, n)).getroot()
            except ET.ParseError:
                continue
            local = root.tag.rsplit("}", 1)[-1]
            if local not in ("rss", "RDF", "feed"):
                continue
            files += 1
            total += sum(1 for e in root.iter() if e.tag.rsplit("}", 1)[-1] in ("item", "entry"))
    return files, total


def warc_html_responses():
    """HTTP 2xx text/html responses in the WARC files, counted here independently."""
    return sum(warc_pages(os.path.join(d, n)) for d, _, names in os.walk(WARC_DIR) for n in names
               if n.endswith((".warc", ".warc.gz")))


@unittest.skipUnless(os.path.isdir(REUTERS_DIR), f"no Reuters-21578 in {REUTERS_DIR}")
class ReutersTest(ArchiveTest):
    def test_all_21578_records_with_1987_dates(self):
        files = sorted(os.path.join(REUTERS_DIR, n) for n in os.listdir(REUTERS_DIR)
                       if n.endswith(".sgm"))
        records = sum(open(f, "rb").read().count(b"<REUTERS ") for f in files)
        self.assertEqual(records, 21578)
        db = self.path("reuters.db")
        # One record, NEWID 12793, is empty: rejected with a message, and only that one.
        proc = run("index", db, *files, check=1)
        self.assertIn("rejected:   1 (malformed 1)", proc.err)
        self.assertIn("reut2-012.sgm: record 793: no text", proc.err)
        m = re.search(r"added:\s+(\d+) articles", proc.err)
        d = re.search(r"duplicates: (\d+) skipped", proc.err)
        self.assertEqual(int(m.group(1)) + int(d.group(1)), records - 1, proc.err)
        self.assertNotIn("warning", proc.err)
        self.assertIn(f"{records} records", proc.err)
        con = sqlite3.connect(db)
        total, in_1987 = con.execute("SELECT count(*), count(*) FILTER (WHERE date >= '1987' "
                                     "AND date < '1988') FROM article").fetchone()
        con.close()
        self.assertEqual(in_1987, total)
        # The first record of the collection: a cocoa review dated 26 February 1987.
        first = json.loads(run("query", "-f", "json", "--since", "1987-02-26", "--until",
                               "1987-02-26", db, "title:bahia title:cocoa", check=0).out)
        self.assertEqual(first["source_id"], "1")
        self.assertEqual(first["date"], "1987-02-26T15:01:01Z")


@unittest.skipUnless(os.path.isdir(FEEDS_DIR), f"no feed samples in {FEEDS_DIR}")
class FeedsTest(ArchiveTest):
    def test_every_item_of_every_well_formed_feed(self):
        files, items = feed_items()
        db = self.path("feeds.db")
        proc = run("index", db, FEEDS_DIR, check=None)
        self.assertIn(proc.returncode, (0, 1), proc.err)
        records = int(re.search(r"(\d+) records", proc.err).group(1))
        self.assertGreaterEqual(records, items, proc.err)


@unittest.skipUnless(os.path.isdir(NEWSML_DIR), f"no NewsML examples in {NEWSML_DIR}")
class NewsmlTest(ArchiveTest):
    def test_newsml_examples_with_text(self):
        db = self.path("newsml.db")
        proc = run("index", db, NEWSML_DIR, check=None)
        self.assertIn(proc.returncode, (0, 1), proc.err)
        added = int(re.search(r"added:\s+(\d+) articles", proc.err).group(1))
        self.assertGreaterEqual(added, 3, proc.err)


@unittest.skipUnless(os.path.isdir(WARC_DIR), f"no WARC corpus in {WARC_DIR}")
class WarcTest(ArchiveTest):
    def test_html_responses_of_the_warc_files(self):
        expected = warc_html_responses()
        files = [os.path.join(d, n) for d, _, names in os.walk(WARC_DIR) for n in names
                 if n.endswith((".warc", ".warc.gz"))]
        db = self.path("warc.db")
        proc = run("index", db, *files, check=None)
        self.assertIn(proc.returncode, (0, 1), proc.err)
        m = re.search(r"added:\s+(\d+) articles", proc.err)
        d = re.search(r"duplicates: (\d+) skipped", proc.err)
        rejected = re.search(r"rejected:\s+(\d+)", proc.err)
        self.assertEqual(int(m.group(1)) + int(d.group(1)) + int(rejected.group(1)), expected,
                         proc.err)


if __name__ == "__main__":
    main()
