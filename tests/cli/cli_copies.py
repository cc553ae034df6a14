"""End-to-end tests of wire copies: news-index groups near-identical articles into stories
(in one batch, across runs, on upgrade), and news-query shows a story once unless asked."""
import csv
import io
import json
import os
import random
import re
import sqlite3

from common import ArchiveTest, main, run

# One wire story. Its reprint has another headline (the first line), another byline and
# dateline, and the last paragraph cut; both keep the first 150 words of the story.
PARAGRAPHS = [
    "Engineers at the Kelby flood barrier said on Thursday that the gates would be closed "
    "for the third time this winter as a storm surge and spring tides threatened the low "
    "streets around the old harbour.",
    "The barrier, finished four years ago at a cost of 48 million pounds, was designed to "
    "be closed about twice a year, but rising sea levels and a run of deep Atlantic "
    "depressions have kept the control room busy since November.",
    "Residents of the Marsh Lane estate, which flooded twice in the decade before the "
    "barrier was built, were told to move cars away from the quay and to keep sandbags "
    "ready in case water came over the lower wall at the river mouth.",
    "The environment agency said the barrier had already prevented damage worth several "
    "times its cost, and that a review of how often it should be used would report to "
    "ministers before the end of the year.",
    "Local councillors have asked for the review to look again at the lower wall, which "
    "was left out of the original scheme to save money and which now protects about two "
    "hundred homes and the only road to the lifeboat station.",
    "The agency said it would publish the review in full, together with the tide records "
    "kept since the barrier opened, and hold a public meeting in the town hall in the "
    "spring.",
]
ORIGINAL = ("Flood barrier to close again as storm surge nears\n\n"
            "By Anna Berg, Example Wire\n\n"
            "KELBY (Example Wire) - " + "\n\n".join(PARAGRAPHS) + "\n")
REPRINT = ("Kelby shuts its flood gates for the third time this winter\n\n"
           "From our correspondent\n\n"
           "KELBY, Jan 12 - " + "\n\n".join(PARAGRAPHS[:-1]) + "\n")
UNRELATED = ("Lifeboat crew rescue two from yacht off Kelby\n\n"
             "The Kelby lifeboat was launched on Friday evening after a yacht lost its mast "
             "in heavy seas two miles south of the harbour, and its crew of two were brought "
             "ashore cold but unhurt shortly before midnight.\n\n"
             "The coxswain said the storm surge had made the harbour mouth difficult, and "
             "thanked the flood barrier engineers who had kept the lifeboat station road "
             "open while the gates were being closed for the night.\n")


def rows(db, *options, query="barrier"):
    """The matches, without the archive's path (which names the file, not the article)."""
    out = run("query", "--format", "json", "--limit", "0", *options, db, query, check=0).out
    return [{k: v for k, v in json.loads(line).items() if k != "archive"}
            for line in out.splitlines()]


class CopiesTest(ArchiveTest):
    def setUp(self):
        super().setUp()
        self.write("in/1-original.txt", ORIGINAL)
        self.write("in/2-unrelated.txt", UNRELATED)
        self.write("in/3-reprint.txt", REPRINT)
        self.db = self.path("news.db")

    def index(self, *args):
        return run("index", *args, self.db, self.path("in"), check=0)

    def stories(self, db=None):
        """Each article's title with its story's first title, from the archive itself."""
        con = sqlite3.connect(db or self.db)
        try:
            return dict(con.execute("SELECT a.title, s.title FROM article a"
                                    " JOIN article s ON s.id = a.story"))
        finally:
            con.close()

    def test_one_batch_groups_the_reprint_with_the_original(self):
        proc = self.index()
        self.assertIn("copies:     1 of them", proc.err)
        got = rows(self.db)
        self.assertEqual([r["title"] for r in got],
                         ["Flood barrier to close again as storm surge nears",
                          "Lifeboat crew rescue two from yacht off Kelby"])
        self.assertEqual([r["copies"] for r in got], [1, 0])
        self.assertEqual(got[0]["story"], got[0]["id"])  # the first article names the story
        everything = rows(self.db, "--all-copies")
        self.assertEqual(len(everything), 3)
        reprint = [r for r in everything if r["title"].startswith("Kelby shuts")][0]
        self.assertEqual(reprint["story"], got[0]["id"])
        self.assertEqual(sum(r["copies"] for r in everything), 0)

    def test_batches_of_one_and_later_runs_group_the_same(self):
        self.index("--batch", "1")
        one_by_one = self.stories()
        self.assertEqual(one_by_one["Kelby shuts its flood gates for the third time this winter"],
                         "Flood barrier to close again as storm surge nears")
        os.remove(self.path("in/3-reprint.txt"))
        later = self.path("later.db")
        run("index", later, self.path("in"), check=0)
        run("index", later, self.write("more/3-reprint.txt", REPRINT), check=0)
        self.assertEqual(self.stories(later), one_by_one)

    def test_rerunning_the_ingest_groups_nothing_twice(self):
        self.index()
        before = self.stories()
        con = sqlite3.connect(self.db)
        blocks = con.execute("SELECT count(*) FROM simhash_block").fetchone()[0]
        con.close()
        self.assertEqual(blocks, 3 * 4)
        again = self.index()
        self.assertIn("nothing new", again.err)
        self.assertNotIn("copies:", again.err)
        self.assertEqual(self.stories(), before)
        con = sqlite3.connect(self.db)
        self.assertEqual(con.execute("SELECT count(*) FROM simhash_block").fetchone()[0], blocks)
        con.close()
        self.assertEqual([r["copies"] for r in rows(self.db)], [1, 0])

    def test_text_output_and_summary_say_what_was_collapsed(self):
        self.index()
        proc = run("query", self.db, "barrier", check=0)
        self.assertIn("1. Flood barrier to close again as storm surge nears  (+1 copy)\n",
                      proc.out)
        self.assertNotIn("Kelby shuts", proc.out)
        self.assertIn("**barrier**", proc.out)
        self.assertIn("3 matches (1 copy collapsed into the stories shown); "
                      "showed 2", proc.err)
        every = run("query", "--all-copies", self.db, "barrier", check=0)
        self.assertIn("Kelby shuts", every.out)
        self.assertNotIn("(+", every.out)
        self.assertIn("3 matches; showed 3", every.err)

    def test_counts_are_of_articles(self):
        self.index()
        self.assertEqual(run("query", "--count", self.db, "barrier", check=0).out, "3\n")
        self.assertEqual(run("query", "--count", "--all-copies", self.db, "barrier",
                             check=0).out, "3\n")
        out = run("query", "--format", "csv", "--facet", "source", self.db, "barrier",
                  check=0).out
        self.assertEqual(sum(int(r["count"]) for r in csv.DictReader(io.StringIO(out))), 3)

    def test_limit_offset_sort_and_filters_apply_to_stories(self):
        self.index()
        self.assertEqual(len(rows(self.db, "--limit", "1")), 1)
        second = run("query", "-f", "json", "-n", "1", "--offset", "1", self.db, "barrier",
                     check=0).out.splitlines()
        self.assertEqual([json.loads(l)["title"] for l in second],
                         ["Lifeboat crew rescue two from yacht off Kelby"])
        self.assertEqual(json.loads(second[0])["rank"], 2)
        self.assertEqual(len(rows(self.db, "--sort", "date")), 2)
        # Copies outside the filter are not counted: only the reprint has these words.
        alone = rows(self.db, query='"shuts its flood gates" OR correspondent')
        self.assertEqual([(r["title"][:11], r["copies"]) for r in alone], [("Kelby shuts", 0)])

    def test_csv_keeps_the_old_columns_first(self):
        self.index()
        out = run("query", "--format", "csv", self.db, "barrier", check=0).out
        reader = csv.reader(io.StringIO(out, newline=""))
        header = next(reader)
        self.assertEqual(header[:13], ["rank", "id", "source_id", "date", "source", "title",
                                       "url", "byline", "score", "snippet", "copies", "story",
                                       "archive"])
        first = next(reader)
        self.assertEqual((first[5], first[10]),
                         ("Flood barrier to close again as storm surge nears", "1"))

    def test_short_texts_are_never_grouped(self):
        brief = "Barrier closed\n\nThe Kelby flood barrier was closed on Thursday night.\n"
        self.write("in/4-brief.txt", brief)
        self.write("in/5-brief.txt", brief.replace("Barrier closed", "Gates shut"))
        self.index()
        briefs = rows(self.db, query='"barrier was closed on Thursday night"')
        self.assertEqual([r["copies"] for r in briefs], [0, 0])
        con = sqlite3.connect(self.db)
        self.assertEqual(con.execute("SELECT count(*) FROM article WHERE simhash IS NULL"
                                     " AND story = id").fetchone()[0], 2)
        con.close()

    def test_an_upgraded_archive_groups_as_a_fresh_one(self):
        self.index()
        fresh = rows(self.db, "--all-copies")
        old = self.path("old.db")
        run("index", old, self.path("in"), check=0)
        to_version_2(old)
        refused = run("query", old, "barrier", check=2)
        self.assertIn("news-index --upgrade " + old, refused.err)
        run("index", "--upgrade", old, check=0)
        self.assertEqual(rows(old, "--all-copies"), fresh)
        self.assertEqual(rows(old), rows(self.db))
        self.assertEqual(self.stories(old), self.stories())


class LargePageTest(ArchiveTest):
    """Pages of more than 100 rows are read in one pass rather than row by row: the rows,
    their order and their snippets are the same."""

    def test_a_large_page_reads_as_pages_of_lookups_do(self):
        rng = random.Random(7)
        words = ("harbour council quay vote lease wind operator fishermen berth tide storm "
                 "crew boat wall repair town leader budget road bridge school market").split()
        lines = []
        for i in range(150):
            body = " ".join(rng.choice(words) for _ in range(60))
            lines.append({"id": f"a{i}", "title": f"Report {i}", "date": f"2024-01-{1 + i % 28:02d}",
                          "body": f"Kelby {body}."})
        for i in range(0, 30, 3):  # reprints of ten of them, later in the file
            lines.append(dict(lines[i], id=f"copy{i}", title=f"Reprint of {i}"))
        db = self.path("many.db")
        run("index", db, "-", stdin="".join(json.dumps(l) + "\n" for l in lines).encode(),
            check=0)
        for options in ([], ["--all-copies"], ["--sort", "date"]):
            every = rows(db, *options, query="kelby")
            self.assertEqual(len(every), 160 if options == ["--all-copies"] else 150, options)
            self.assertEqual([r["rank"] for r in every], list(range(1, len(every) + 1)))
            self.assertTrue(all("**Kelby**" in r["snippet"] for r in every))
            first = rows(db, "--limit", "100", *options, query="kelby")
            self.assertEqual(every[:100], first, options)
            page = rows(db, "--limit", "120", "--offset", "20", *options, query="kelby")
            self.assertEqual(every[20:140], page, options)
        self.assertEqual(sum(r["copies"] for r in rows(db, query="kelby")), 10)

    def test_a_story_with_many_copies_at_the_top(self):
        """Limited pages ordered by rank are read from the best matches in the index (more
        of them when copies fill them); --limit 0 reads every match. Same page either way."""
        rng = random.Random(11)
        words = "harbour council quay vote lease wind operator berth tide storm".split()
        story = " ".join(rng.choice(words) for _ in range(70))
        lines = [{"title": f"Zebra escapes, edition {i}", "date": "2024-02-01",
                  "body": f"A zebra, the zebra of Kelby: {story}."} for i in range(60)]
        for i in range(20):
            body = " ".join(rng.choice(words) for _ in range(70))
            lines.append({"title": f"Notes {i}", "date": "2024-02-02",
                          "body": f"{body} and a zebra."})
        db = self.path("zebra.db")
        run("index", db, "-", stdin="".join(json.dumps(l) + "\n" for l in lines).encode(),
            check=0)
        every = rows(db, query="zebra")
        self.assertEqual(len(every), 21)
        self.assertEqual(every[0]["copies"], 59)
        for limit, offset in ((1, 0), (3, 0), (5, 2), (20, 1)):
            self.assertEqual(rows(db, "--limit", str(limit), "--offset", str(offset),
                                  query="zebra"), every[offset:offset + limit])
        summary = run("query", "-n", "3", db, "zebra", check=0).err
        self.assertIn("80 matches (59 copies collapsed into the stories shown); showed 3",
                      summary)


def to_version_2(path):
    """Turns an archive back into what schema version 2 looked like: the article table
    with its text inline and without simhash and story, and neither the block table nor
    the tables of versions 4 and 5. Version 2 had no preset dictionaries, so the archive must
    hold none (a small one never does)."""
    con = sqlite3.connect(path)
    assert con.execute("SELECT count(*) FROM dictionary").fetchone()[0] == 0
    con.executescript("""
        DROP TABLE simhash_block; DROP VIEW article_doc; DROP TABLE dictionary;
        DROP TABLE article_history;
        CREATE TABLE article_v2 (id INTEGER PRIMARY KEY, title TEXT NOT NULL, date TEXT,
            source TEXT, byline TEXT, url TEXT, source_id TEXT, text_bytes INTEGER NOT NULL,
            text_z BLOB NOT NULL, content_hash BLOB NOT NULL UNIQUE, lang TEXT, meta TEXT);
        INSERT INTO article_v2 SELECT a.id, a.title, a.date, a.source, a.byline, a.url,
            a.source_id, a.text_bytes, t.text_z, a.content_hash, a.lang, a.meta
            FROM article a JOIN article_text t ON t.id = a.id;
        DROP TABLE article_text; DROP TABLE article;
        ALTER TABLE article_v2 RENAME TO article;
        CREATE INDEX article_date ON article(date);
        CREATE INDEX article_source ON article(source, date);
        CREATE VIEW article_doc (id, title, body) AS
            SELECT id, title, CAST(news_text(text_z) AS TEXT) FROM article;
        PRAGMA user_version = 2;""")
    con.close()


if __name__ == "__main__":
    main()
