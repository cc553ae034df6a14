"""Takedowns and corrections: news-index --remove and --remove-source take articles out of
the text, the index and the fingerprints so that nothing of them is found, and loading the
same files again does not bring them back; a new version of an article (same URL, or same
source and id) is a conflict unless --replace is given, which stores it in its place and
keeps the earlier version's provenance."""
import json
import sqlite3

from cli_copies import ORIGINAL, REPRINT, UNRELATED
from common import ArchiveTest, corpus, main, run, titles


def matches(db, word):
    """Ids the full-text index itself returns for word, without news-query's help."""
    con = sqlite3.connect(db)
    try:
        return [r for (r,) in con.execute(
            "SELECT rowid FROM article_fts WHERE article_fts MATCH ? ORDER BY rowid", (word,))]
    finally:
        con.close()


def history(db):
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT article_id, event, title, provenance FROM article_history"
                           " ORDER BY id").fetchall()
    finally:
        con.close()


def found(db, query):
    """news-query's matches (exit 1 when there are none)."""
    out = run("query", "--format", "json", "--all-copies", "-n", "0", db, query)
    assert out.returncode == (0 if out.out else 1), out.err
    return out.out.splitlines()


class RemoveTest(ArchiveTest):
    def setUp(self):
        super().setUp()
        self.db = self.path("news.db")
        self.source = self.write("in/news.jsonl", corpus(60, seed=2))
        run("index", "--quiet", self.db, self.source, check=0)

    def check(self):
        run("index", "--check", "--quiet", self.db, check=0)

    def test_removed_articles_are_found_nowhere_and_stay_removed(self):
        self.assertEqual(matches(self.db, "uniq4"), [5])  # "Article 4" is id 5
        out = run("index", "--remove", self.db, "5", "9", check=0)
        self.assertIn("2 articles removed; they are no longer stored or searchable", out.err)
        for word in ("uniq4", "uniq8"):
            self.assertEqual(matches(self.db, word), [])
            self.assertEqual(found(self.db, word), [])
        self.assertRegex(run("query", "--show", "5", self.db, check=1).err,
                         r"no article with id 5 in .*: removed \d{4}-\d\d-\d\dT")
        self.assertNotIn("Article 4", titles(self.db))
        self.assertEqual(len(titles(self.db)), 58)
        con = sqlite3.connect(self.db)
        self.assertEqual(con.execute("SELECT count(*) FROM article_text WHERE id IN (5, 9)")
                         .fetchone()[0], 0)
        self.assertEqual(con.execute("SELECT count(*) FROM provenance WHERE article_id IN"
                                     " (5, 9)").fetchone()[0], 0)
        con.close()
        self.check()
        # What stays: the ids, the event, where they came from; not their words.
        kept = history(self.db)
        self.assertEqual([(i, e, t) for i, e, t, _ in kept],
                         [(5, "removed", None), (9, "removed", None)])
        self.assertEqual(json.loads(kept[0][3])[0]["record"], 5)
        # The same load again does not restore them; a new article gets a new id.
        out = run("index", self.db, self.source, check=0)
        self.assertIn("withdrawn:  2 removed or replaced earlier, not stored again", out.err)
        self.assertEqual(matches(self.db, "uniq4"), [])
        more = self.write("in/more.jsonl", corpus(1, seed=9, first=500))
        run("index", "--quiet", self.db, more, check=0)
        self.assertEqual(matches(self.db, "uniq500"), [61])
        self.check()

    def test_unknown_ids_and_usage(self):
        err = run("index", "--remove", self.db, "4", "999", check=1).err
        self.assertIn("no article 999", err)
        self.assertIn("1 article removed; it is no longer stored or searchable", err)
        for args in (["--remove", self.db], ["--remove", self.db, "x"],
                     ["--remove", self.db, "0"], ["--remove", "--check", self.db, "1"],
                     ["--remove-source", "", self.db], ["--replace", "--remove", self.db, "1"],
                     ["--remove-source", "A", self.db, "extra"]):
            self.assertIn("Try 'news-index --help'", run("index", *args, check=2).err, args)
        missing = self.path("missing.db")
        self.assertIn("cannot open archive", run("index", "--remove", missing, "1", check=2).err)
        self.check()

    def test_remove_a_source(self):
        other = self.write("in/other.jsonl", corpus(10, seed=4, first=100))
        run("index", "--quiet", "--source", "Daily Example", self.db, other, check=0)
        self.assertEqual(len(titles(self.db)), 70)
        out = run("index", "--remove-source", "daily EXAMPLE", self.db, check=0)
        self.assertIn("10 articles removed from source daily EXAMPLE", out.err)
        self.assertEqual(sorted(titles(self.db)), sorted(f"Article {i}" for i in range(60)))
        self.assertEqual(matches(self.db, "uniq105"), [])
        self.assertIn("0 articles removed",
                      run("index", "--remove-source", "Nobody", self.db, check=1).err)
        self.check()


class StoryTest(ArchiveTest):
    def test_removing_the_first_of_a_story_leaves_the_copies_a_story(self):
        db = self.path("news.db")
        self.write("in/1-original.txt", ORIGINAL)
        self.write("in/2-unrelated.txt", UNRELATED)
        self.write("in/3-reprint.txt", REPRINT)
        run("index", "--quiet", db, self.path("in"), check=0)
        con = sqlite3.connect(db)
        self.assertEqual(con.execute("SELECT id, story FROM article ORDER BY id").fetchall(),
                         [(1, 1), (2, 2), (3, 1)])
        con.close()
        run("index", "--remove", "--quiet", db, "1", check=0)
        con = sqlite3.connect(db)
        self.assertEqual(con.execute("SELECT id, story FROM article ORDER BY id").fetchall(),
                         [(2, 2), (3, 3)])
        self.assertEqual(con.execute("SELECT DISTINCT story FROM simhash_block"
                                     " WHERE article_id = 3").fetchall(), [(3,)])
        self.assertEqual(con.execute("SELECT count(*) FROM simhash_block WHERE article_id = 1")
                         .fetchone()[0], 0)
        con.close()
        self.assertEqual([json.loads(l)["id"] for l in found(db, "barrier")], [3, 2])
        run("index", "--check", "--quiet", db, check=0)
        # A new copy of the story joins the reprint's story, now named after it.
        self.write("in2/4-again.txt", ORIGINAL.replace("Anna Berg", "Ola Berg"))
        run("index", "--quiet", db, self.path("in2"), check=0)
        con = sqlite3.connect(db)
        self.assertEqual(con.execute("SELECT story FROM article WHERE id = 4").fetchone(), (3,))
        con.close()


def version(url, text, title="Harbour wall to be rebuilt", source_id=None):
    record = {"title": title, "url": url, "body": text, "source": "Example Gazette"}
    if source_id:
        record["id"] = source_id
    return json.dumps(record) + "\n"


class ReplaceTest(ArchiveTest):
    def setUp(self):
        super().setUp()
        self.db = self.path("news.db")
        self.first = self.write("v1/news.jsonl", version(
            "https://gazette.example/wall", "The council voted to rebuild the wall firstword.")
            + version(None, "A story with an id of its own idword.", "With an id", "G-7"))
        run("index", "--quiet", self.db, self.first, check=0)
        self.second = self.write("v2/news.jsonl", version(
            "https://gazette.example/wall",
            "Correction: the council voted to repair the wall secondword.",
            "Harbour wall to be repaired")
            + version(None, "The story with an id, corrected idword2.", "With an id", "G-7"))

    def test_a_new_version_is_a_conflict_without_replace(self):
        err = run("index", self.db, self.second, check=1).err
        self.assertIn("record 1: conflict: article 1 has the same URL or source id but other"
                      " text; kept it (--replace stores the new version in its place)", err)
        self.assertIn("record 2: conflict: article 2", err)
        self.assertIn("rejected:   2 (conflict 2)", err)
        self.assertEqual(matches(self.db, "secondword"), [])
        self.assertEqual(matches(self.db, "firstword"), [1])
        self.assertEqual(history(self.db), [])

    def test_replace_stores_the_new_version_in_place_and_keeps_the_old_provenance(self):
        err = run("index", "--replace", self.db, self.second, check=0).err
        self.assertIn("replaced:   2 stored articles by a new version", err)
        self.assertEqual(matches(self.db, "secondword"), [1])
        self.assertEqual(matches(self.db, "firstword"), [])
        self.assertEqual(matches(self.db, "idword2"), [2])
        self.assertEqual(titles(self.db), ["Harbour wall to be repaired", "With an id"])
        shown = json.loads(run("query", "--format", "json", "--show", "1", self.db,
                               check=0).out)
        self.assertIn("repair the wall", shown["text"])
        earlier = shown["earlier_versions"]
        self.assertEqual([v["title"] for v in earlier], ["Harbour wall to be rebuilt"])
        self.assertEqual(earlier[0]["provenance"][0]["path"], self.first)
        self.assertIn('replaced:   ', run("query", "--show", "1", self.db, check=0).out)
        self.assertIn(f'an earlier version titled "Harbour wall to be rebuilt", from {self.first},'
                      ' record 1', run("query", "--show", "1", self.db, check=0).out)
        kept = history(self.db)
        self.assertEqual([(i, e, t) for i, e, t, _ in kept],
                         [(1, "replaced", "Harbour wall to be rebuilt"),
                          (2, "replaced", "With an id")])
        self.assertEqual(json.loads(kept[0][3])[0]["path"], self.first)
        run("index", "--check", "--quiet", self.db, check=0)
        # Loading the first version again does not bring it back, with or without --replace.
        err = run("index", "--replace", self.db, self.first, check=0).err
        self.assertIn("withdrawn:  2 removed or replaced earlier", err)
        self.assertEqual(matches(self.db, "firstword"), [])
        self.assertEqual(matches(self.db, "secondword"), [1])
        run("index", "--check", "--quiet", self.db, check=0)


if __name__ == "__main__":
    main()
