"""Titles made from the text: a record without a title is shown with the start of its text
as its title, but the index holds no title for it, so that its first words do not count
twice; news-query says which titles are made so (title_derived). Removing, replacing,
restoring and versions keep the index whole, and an archive of schema version 6, which
indexed such titles, is upgraded to what a fresh load gives."""
import csv
import io
import json
import sqlite3
import zlib

from cli_takedown import matches
from common import ArchiveTest, main, run

ZEBRAS = ("Zebras crossed the harbour road on Tuesday morning.\n\n"
          "The council said the animals came from a farm near the river.")


def record(body, title=None, rid=None):
    """A JSON Lines record of the source Wire, with an own id when rid is given."""
    r = {"source": "Wire", "body": body}
    if title:
        r["title"] = title
    if rid:
        r["id"] = rid
    return json.dumps(r) + "\n"


def flags(db):
    """(id, title, title_derived) of every article, read straight from the file."""
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT id, title, title_derived FROM article ORDER BY id").fetchall()
    finally:
        con.close()


class DerivedTitleTest(ArchiveTest):
    def setUp(self):
        super().setUp()
        self.db = self.path("news.db")
        self.jsonl = self.write("in/wire.jsonl", record(ZEBRAS, rid="u1") + record(
            "Rangers counted the quokkas on the island for a week.", "Quokka census finished"))
        # A plain text file's first line is its title: the file's own, not made from a text.
        self.text = self.write("in/walrus.txt", "Walrus naps on the jetty\n\n"
                               "A walrus slept on the jetty for most of the afternoon.\n")
        run("index", "--quiet", self.db, self.jsonl, self.text, check=0)

    def check(self):
        index_matches_text(self.db)
        run("index", "--check", "--quiet", self.db, check=0)

    def test_a_made_title_is_shown_but_not_indexed_as_a_title(self):
        self.assertEqual(flags(self.db), [
            (1, "Zebras crossed the harbour road on Tuesday morning.", 1),
            (2, "Quokka census finished", 0), (3, "Walrus naps on the jetty", 0)])
        self.assertEqual(matches(self.db, "title:zebras"), [])
        self.assertEqual(matches(self.db, "zebras"), [1])
        self.assertEqual(matches(self.db, "body:zebras"), [1])
        self.assertEqual(matches(self.db, "title:quokka"), [2])
        self.assertEqual(matches(self.db, "title:walrus"), [3])
        run("query", self.db, "title:zebras", check=1)
        self.assertIn("Zebras crossed the harbour road", run("query", self.db, "zebras",
                                                             check=0).out)
        self.check()

    def test_json_says_which_titles_are_made_from_the_text(self):
        def derived(*args):
            out = run("query", "-f", "json", "-n", "0", *args, check=0).out
            return {h["id"]: (h["title"], h["title_derived"]) for h in map(json.loads,
                                                                           out.splitlines())}
        want = {1: ("Zebras crossed the harbour road on Tuesday morning.", True),
                2: ("Quokka census finished", False), 3: ("Walrus naps on the jetty", False)}
        query = "zebras OR quokkas OR walrus"
        self.assertEqual(derived(self.db, query), want)
        # Several archives: the field comes through the merge, last in each object.
        other = self.path("other.db")
        run("index", "--quiet", other, self.text, check=0)
        out = run("query", "-f", "json", self.db, other, "--", query, check=0).out
        hits = [json.loads(line) for line in out.splitlines()]
        self.assertEqual(sorted((h["archive"] == other, h["title"], h["title_derived"])
                                for h in hits),
                         sorted([(False, *want[1]), (False, *want[2]), (False, *want[3]),
                                 (True, *want[3])]))
        self.assertTrue(all(list(h)[-1] == "title_derived" for h in hits))
        out = run("query", "-f", "csv", self.db, query, check=0).out
        rows = list(csv.reader(io.StringIO(out, newline="")))
        self.assertEqual(rows[0][-2:], ["date_kind", "title_derived"])
        self.assertEqual(sorted((r[5], r[-1]) for r in rows[1:]),
                         sorted((t, str(d).lower()) for t, d in want.values()))
        bulk = run("query", "-f", "ndjson-bulk", self.db, "zebras", check=0).out.splitlines()
        self.assertIs(json.loads(bulk[1])["title_derived"], True)
        shown = json.loads(run("query", "-f", "json", "--show", "1", self.db, check=0).out)
        self.assertEqual((shown["title"], shown["title_derived"]), want[1])
        self.assertEqual(list(shown)[-1], "title_derived")
        shown = json.loads(run("query", "-f", "json", "--show", "2", self.db, check=0).out)
        self.assertIs(shown["title_derived"], False)

    def test_versions_replace_restore_and_remove_keep_the_index_whole(self):
        # A new version of the untitled record, beside it.
        later = self.write("v2/wire.jsonl", record(ZEBRAS + " Two of them were caught.",
                                                   rid="u1"))
        err = run("index", self.db, later, check=0).err
        self.assertIn("1 of them new versions of stored articles", err)
        self.assertEqual(flags(self.db)[3], (4, "Zebras crossed the harbour road on Tuesday"
                                             " morning.", 1))
        self.assertEqual(matches(self.db, "caught"), [4])
        shown = json.loads(run("query", "-f", "json", "--show", "4", self.db, check=0).out)
        self.assertEqual([(v["id"], v["title_derived"]) for v in shown["versions"]],
                         [(1, True), (4, True)])
        self.check()
        # Replaced by a version with a title of its own, and back.
        titled = self.write("v3/wire.jsonl", record(ZEBRAS + " All were caught by noon.",
                                                    "Zebra escape ends", "u1"))
        run("index", "--quiet", "--replace", self.db, titled, check=0)
        self.assertEqual(flags(self.db)[3], (4, "Zebra escape ends", 0))
        self.assertEqual(matches(self.db, "title:zebra"), [4])
        self.check()
        run("index", "--quiet", "--restore", self.db, "4", check=0)
        self.assertEqual(flags(self.db)[3][2], 1)
        self.assertEqual(matches(self.db, "title:zebra"), [])
        self.assertEqual(matches(self.db, "caught"), [4])
        self.check()
        run("index", "--quiet", "--restore", self.db, "4", check=0)
        self.assertEqual(flags(self.db)[3], (4, "Zebra escape ends", 0))
        self.check()
        run("index", "--quiet", "--remove", self.db, "1", "4", check=0)
        self.assertEqual(matches(self.db, "zebras"), [])
        self.check()


def news_text(blob):
    """The text of an article_text.text_z blob stored without a preset dictionary."""
    assert blob[0] == 1, "a small archive has no preset dictionary"
    return zlib.decompress(blob[5:]).decode("utf-8")


def connect(db):
    """A connection that reads the view FTS5 indexes, as news-index's do."""
    con = sqlite3.connect(db)
    con.create_function("news_text", 1, news_text)
    return con


def to_version_6(db):
    """Turns an archive back into schema version 6, which had no mark and indexed every
    title: the index entries of marked titles are made again with the title."""
    con = connect(db)
    for rowid, title, body in con.execute(
            "SELECT d.id, a.title, d.body FROM article_doc d JOIN article a ON a.id = d.id"
            " WHERE a.title_derived").fetchall():
        con.execute("INSERT INTO article_fts(article_fts, rowid, title, body)"
                    " VALUES ('delete', ?, '', ?)", (rowid, body))
        con.execute("INSERT INTO article_fts(rowid, title, body) VALUES (?, ?, ?)",
                    (rowid, title, body))
    con.executescript("""
        DROP VIEW article_doc;
        CREATE VIEW article_doc (id, title, body) AS
            SELECT a.id, a.title, CAST(news_text(t.text_z) AS TEXT)
            FROM article AS a JOIN article_text AS t ON t.id = a.id;
        ALTER TABLE article DROP COLUMN title_derived;
        UPDATE article_history SET fields = json_remove(fields, '$.title_derived');
        PRAGMA user_version = 6;""")
    con.commit()
    con.close()


def index_matches_text(db):
    """FTS5's check of the index against what the view gives (rank 1: for an external
    content table, the comparison is made only when asked for)."""
    con = connect(db)
    try:
        con.execute("INSERT INTO article_fts(article_fts, rank) VALUES ('integrity-check', 1)")
    finally:
        con.close()


class UpgradeTest(ArchiveTest):
    def test_an_upgraded_archive_indexes_titles_as_a_fresh_one(self):
        fresh = self.path("fresh.db")
        jsonl = self.write("in/wire.jsonl", record(ZEBRAS, rid="u1") + record(
            "Rangers counted the quokkas on the island for a week.", "Quokka census finished")
            + record("Beauty versus the world.", "Beauty") + record(
                "Ostriches " * 30 + "ran.\n\nThey ran far.", rid="u2"))
        run("index", "--quiet", fresh, jsonl, check=0)
        titled = self.write("v2/wire.jsonl", record(ZEBRAS + " More.", "Zebra escape", "u1"))
        run("index", "--quiet", "--replace", fresh, titled, check=0)
        old = self.path("old.db")
        run("index", "--quiet", old, jsonl, check=0)
        run("index", "--quiet", "--replace", old, titled, check=0)
        to_version_6(old)
        self.assertEqual(matches(old, "title:ostriches"), [4])
        self.assertIn("news-index --upgrade " + old, run("query", old, "zebras", check=2).err)
        run("index", "--upgrade", old, check=0)
        self.assertEqual(flags(old), flags(fresh))
        self.assertEqual([f[2] for f in flags(old)], [0, 0, 0, 1])
        for query in ("title:ostriches", "ostriches", "title:zebra", "title:beauty", "zebras"):
            self.assertEqual(matches(old, query), matches(fresh, query), query)
        self.assertEqual(matches(old, "title:ostriches"), [])
        index_matches_text(old)
        run("index", "--check", "--quiet", old, check=0)
        # The replaced version kept its mark: restored, it is indexed as no title again.
        run("index", "--quiet", "--restore", old, "1", check=0)
        self.assertEqual(flags(old)[0][2], 1)
        self.assertEqual(matches(old, "title:zebra"), [])
        index_matches_text(old)


if __name__ == "__main__":
    main()
