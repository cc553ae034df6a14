"""Identity and versions: records are versions of one article only when they say they are
(the same address captured, the same own id within one source or one file, the same URL)
and have something in common; versions are kept beside each other and linked; --replace
keeps what it replaces, and --restore puts it back; nothing is refused or lost because two
collections number their records alike. Also what news-index says of what it read."""
import json
import os
import re
import sqlite3
import unittest

from common import SHARED_DATA, ArchiveTest, main, run, titles

SCRAPER_A = (
    '{"id": 1, "title": "Mayor opens bridge", "text": "The mayor opened the new bridge over '
    'the river on Tuesday, after three years of building work and two delays."}\n'
    '{"id": 2, "title": "School wins prize", "text": "A primary school in the town has won a '
    'national prize for its garden, planted by pupils over two summers."}\n')
SCRAPER_B = (
    '{"id": 1, "title": "Storm closes port", "text": "A storm closed the port for two days '
    'this week, leaving ferries at anchor and lorries queued along the coast road."}\n'
    '{"id": 2, "title": "Library reopens", "text": "The library reopened on Monday after a '
    'refit that added a children\'s room, a cafe and longer opening hours."}\n')
# Reuters-21578's shape: NEWIDs 1 and 2, and no source.
REUTERS = """<!DOCTYPE lewis SYSTEM "lewis.dtd">
<REUTERS TOPICS="YES" NEWID="1">
<DATE>26-FEB-1987 15:01:01.79</DATE>
<TEXT><TITLE>BAHIA COCOA REVIEW</TITLE>
<BODY>Showers continued throughout the week in the Bahia cocoa zone, alleviating the
drought since early January and improving prospects for the coming temporao.
</BODY></TEXT>
</REUTERS>
<REUTERS TOPICS="NO" NEWID="2">
<DATE>26-FEB-1987 15:02:20.00</DATE>
<TEXT><TITLE>STANDARD OIL &lt;SRD> TO FORM FINANCIAL UNIT</TITLE>
<BODY>Standard Oil Co and BP North America Inc said they plan to form a venture to
manage the money market borrowing and investment activities of both companies.
</BODY></TEXT>
</REUTERS>
"""

FEED = os.path.join(SHARED_DATA, "rss-atom-feed-samples", "rss-parser", "itunes-missing-image.rss")
WIKIPEDIA = os.path.join(SHARED_DATA, "ukwa-warc-test-corpus", "wikipedia-sopa-blackout-2012")


def rows(db, sql, *args):
    con = sqlite3.connect(db)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


class IdentityTest(ArchiveTest):
    def test_files_that_number_records_alike_are_not_one_collection(self):
        a = self.write("a/scraperA.jsonl", SCRAPER_A)
        b = self.write("b/scraperB.jsonl", SCRAPER_B)
        db = self.path("c.db")
        proc = run("index", db, a, b, check=0)
        self.assertIn("added:      4 articles", proc.err)
        self.assertNotRegex(proc.err, r"record \d+:")  # nothing to say about any record
        self.assertEqual(sorted(titles(db)), ["Library reopens", "Mayor opens bridge",
                                              "School wins prize", "Storm closes port"])
        # In the other order, and again: nothing new, nothing lost.
        db2 = self.path("c2.db")
        run("index", "--quiet", db2, b, a, check=0)
        self.assertEqual(sorted(titles(db2)), sorted(titles(db)))
        self.assertIn("nothing new", run("index", db, b, a, check=0).err)

    def test_replace_never_takes_another_collections_article(self):
        sgm = self.write("reuters/reut2-000.sgm", REUTERS)
        scraper = self.write("a/scraperA.jsonl", SCRAPER_A)
        db = self.path("r.db")
        run("index", "--quiet", db, sgm, check=0)
        dry = run("index", "--replace", "--dry-run", db, scraper, check=0)
        self.assertNotIn("would replace", dry.err)
        proc = run("index", "--replace", db, scraper, check=0)
        self.assertNotIn("replaced", proc.err)
        self.assertEqual(titles(db), ["BAHIA COCOA REVIEW",
                                      "STANDARD OIL <SRD> TO FORM FINANCIAL UNIT",
                                      "Mayor opens bridge", "School wins prize"])
        self.assertEqual(rows(db, "SELECT count(*) FROM article_history"), [(0,)])
        run("index", "--check", "--quiet", db, check=0)

    def test_a_corrected_file_gives_versions_and_strangers_stay_apart(self):
        path = self.write("a/scraper.jsonl", SCRAPER_A)
        db = self.path("v.db")
        run("index", "--quiet", db, path, check=0)
        self.write("a/scraper.jsonl", SCRAPER_A.replace("two delays", "three delays")
                   .replace("School wins prize", "Bake sale raises funds")
                   .replace("A primary school in the town has won a national prize for its "
                            "garden, planted by pupils over two summers",
                            "A bake sale at the church hall raised four hundred pounds"))
        proc = run("index", db, path, check=0)
        self.assertIn("versions:   1 of them new versions of stored articles", proc.err)
        self.assertIn('record 2: article 2 ("School wins prize") has the same own id as this'
                      ' record ("Bake sale raises funds") but nothing in common with it; stored'
                      ' it as an article of its own', proc.err)
        self.assertIn("apart:      1 of them", proc.err)
        self.assertEqual(rows(db, "SELECT id, title, version_of, superseded_by FROM article"
                                  " ORDER BY id"),
                         [(1, "Mayor opens bridge", None, 3), (2, "School wins prize", None, None),
                          (3, "Mayor opens bridge", 1, None),
                          (4, "Bake sale raises funds", None, None)])
        run("index", "--check", "--quiet", db, check=0)
        # Following the summary's advice: --show lists the versions, --remove takes the
        # earlier one out, and the current one is all that is left of the article.
        self.assertIn("news-index --remove ID takes one out", proc.err)
        shown = json.loads(run("query", "-f", "json", "--show", "3", db, check=0).out)
        self.assertEqual([(v["id"], v["current"]) for v in shown["versions"]],
                         [(1, False), (3, True)])
        run("index", "--quiet", "--remove", db, "1", check=0)
        self.assertEqual(rows(db, "SELECT id, version_of, superseded_by FROM article"
                                  " WHERE title = 'Mayor opens bridge'"), [(3, None, None)])
        hits = run("query", "-f", "json", "--all-versions", db, "mayor", check=0).out
        self.assertEqual([json.loads(l)["id"] for l in hits.splitlines()], [3])
        run("index", "--check", "--quiet", db, check=0)

    def test_a_real_replacement_is_restorable(self):
        path = self.write("a/scraper.jsonl", SCRAPER_A)
        db = self.path("v.db")
        # A dry run changes nothing: it does not even create the archive.
        self.assertIn("cannot open archive", run("index", "--dry-run", db, path, check=2).err)
        self.assertFalse(os.path.exists(db))
        run("index", "--quiet", db, path, check=0)
        self.write("a/scraper.jsonl", SCRAPER_A.replace("two delays", "three delays"))
        dry = run("index", "--replace", "--dry-run", db, path, check=0)
        self.assertIn('record 1: would replace article 1 ("Mayor opens bridge") by'
                      ' "Mayor opens bridge"', dry.err)
        run("index", "--quiet", "--replace", db, path, check=0)
        self.assertEqual(rows(db, "SELECT event, title, text_z IS NOT NULL FROM article_history"),
                         [("replaced", "Mayor opens bridge", 1)])
        self.assertEqual(rows(db, "SELECT count(*) FROM article"), [(2,)])
        run("index", "--quiet", "--restore", db, "1", check=0)
        shown = json.loads(run("query", "-f", "json", "--show", "1", db, check=0).out)
        self.assertIn("two delays", shown["text"])
        self.assertEqual(rows(db, "SELECT event, text_z IS NOT NULL FROM article_history"),
                         [("replaced", 1)])  # the correction, kept in turn
        run("index", "--check", "--quiet", db, check=0)

    def test_repeated_problems_collapse_to_a_line_per_file(self):
        path = self.write("bad.jsonl", '{"title": "Good", "text": "Fine text."}\n'
                          + "not json\n" * 40 + '{"title": "Also good", "text": "More."}\n')
        proc = run("index", self.path("b.db"), path, check=1)
        self.assertEqual(proc.err.count(path), 1, proc.err)
        self.assertRegex(proc.err, r"record 2: not valid JSON: [^\n]*\(and 39 more like it, to"
                                   r" record 41\)")
        self.assertIn("rejected:   40 (malformed 40)", proc.err)


class WhatWasReadTest(ArchiveTest):
    def test_formats_counted_and_fallbacks_named(self):
        self.write("in/article.txt", "Ministers meet\n\nTalks went on late into the night.\n")
        self.write("in/README.md", "# Scrapes\n\nThese are the files the scraper wrote.\n")
        self.write("in/urls.txt", "http://example.com/a\nhttp://example.com/b\n")
        self.write("in/wire.jsonl", SCRAPER_A)
        self.write("in/fragment.html",
                   "<p>There's lots to like about the <a href=\"x\">new browser</a>.</p>")
        db = self.path("w.db")
        proc = run("index", db, self.path("in"), check=0)
        self.assertIn("  read:       text 3, jsonl 2, html 1 records\n", proc.err)
        self.assertIn("  as text:    2 files read as plain text only because nothing else"
                      f" matched: {self.path('in/README.md')}, {self.path('in/urls.txt')}\n",
                      proc.err)
        # A fragment of a page is read as HTML: no markup in its title or text.
        for (title,) in rows(db, "SELECT title FROM article"):
            self.assertNotIn("<", title)


@unittest.skipUnless(os.path.isfile(FEED), f"no feed samples in {SHARED_DATA}")
class FeedTest(ArchiveTest):
    def test_items_sharing_the_sites_address_are_each_stored(self):
        import xml.etree.ElementTree as ET
        with open(FEED, "rb") as f:  # the file starts with a blank line before <?xml
            items = ET.fromstring(f.read().lstrip()).findall("./channel/item")
        guids = {i.findtext("guid") for i in items}
        self.assertEqual((len(items), len(guids)), (131, 130))  # one guid is given twice
        db = self.path("f.db")
        proc = run("index", db, FEED, check=0)
        self.assertNotRegex(proc.err, r"record \d+:")
        self.assertEqual(rows(db, "SELECT count(*) FROM article"), [(131,)])
        self.assertEqual({g for (g,) in rows(db, "SELECT source_id FROM article")}, guids)
        # The two items under one guid (the same show, retitled) are versions of one.
        self.assertEqual(rows(db, "SELECT count(*) FROM article WHERE version_of IS NOT NULL"),
                         [(1,)])


@unittest.skipUnless(os.path.isdir(WIKIPEDIA), f"no WARC corpus in {SHARED_DATA}")
class CaptureTest(ArchiveTest):
    def test_two_captures_of_one_page_are_versions_dated_by_capture(self):
        db = self.path("w.db")
        proc = run("index", db, WIKIPEDIA, check=0)
        self.assertNotIn("unrelated", proc.err)
        self.assertIn("versions:   1 of them", proc.err)
        pages = rows(db, "SELECT id, version_of, superseded_by, date, date_kind FROM article"
                         " WHERE url = 'http://en.wikipedia.org/wiki/Main_Page' ORDER BY id")
        self.assertEqual(len(pages), 2, pages)
        (first, _, newer, date1, kind1), (second, of, current, date2, kind2) = pages
        self.assertEqual((of, newer, current), (first, second, None))
        self.assertEqual((kind1, kind2), ("captured", "captured"))
        self.assertTrue(date1.startswith("2012-01-18T") and date2.startswith("2012-01-19T"),
                        (date1, date2))
        # Loaded the other way round, the later capture is still the current version.
        db2 = self.path("w2.db")
        for d in sorted(os.listdir(WIKIPEDIA), reverse=True):
            if os.path.isdir(os.path.join(WIKIPEDIA, d)):
                run("index", "--quiet", db2, os.path.join(WIKIPEDIA, d), check=0)
        pages = rows(db2, "SELECT date, superseded_by IS NULL FROM article"
                          " WHERE url = 'http://en.wikipedia.org/wiki/Main_Page' ORDER BY date")
        self.assertEqual([current for _, current in pages], [0, 1], pages)


if __name__ == "__main__":
    main()
