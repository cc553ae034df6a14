"""End-to-end tests on real news from ../shared/data (skipped, visibly, when it is absent):
the seed article's cleaning and ranking, and the BBC collection loaded twice."""
import json
import os
import re
import unittest

from common import SAMPLES, SHARED_DATA, ArchiveTest, main, run

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
        for term in ("[Ukraine]", "[peace]", "[talks]"):
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


if __name__ == "__main__":
    main()
