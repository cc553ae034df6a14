"""Titles made from the text: a record without a title is shown with the start of its text
as its title, but the index holds no title for it, so that its first words do not count
twice; news-query says which titles are made so (title_derived). Removing, replacing,
restoring and versions keep the index whole, and an archive of schema version 6, which
indexed such titles, is upgraded to what a fresh load gives."""
import json
import sqlite3

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

    def test_versions_replace_restore_and_remove_keep_the_index_whole(self):
        # A new version of the untitled record, beside it.
        later = self.write("v2/wire.jsonl", record(ZEBRAS + " Two of them were caught.",
                                                   rid="u1"))
        err = run("index", self.db, later, check=0).err
        self.assertIn("1 of them new versions of stored articles", err)
        self.assertEqual(flags(self.db)[3], (4, "Zebras crossed the harbour road on Tuesday"
                                             " morning.", 1))
        self.assertEqual(matches(self.db, "caught"), [4])
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


if __name__ == "__main__":
    main()
