"""Takedowns and corrections: news-index --remove and --remove-source take articles out of
the text, the index and the fingerprints so that nothing of them is found, and loading the
same files again does not bring them back; a new version of an article (same URL, or same
source and id) is stored beside the earlier one, or with --replace in its place, the earlier
version's text and provenance kept in history, from which --restore brings it back."""
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

    def test_a_new_version_is_kept_beside_the_earlier_without_replace(self):
        err = run("index", self.db, self.second, check=0).err
        self.assertIn("versions:   2 of them new versions of stored articles, kept beside them", err)
        self.assertNotIn("conflict", err)
        self.assertEqual(matches(self.db, "secondword"), [3])
        self.assertEqual(matches(self.db, "firstword"), [1])
        con = sqlite3.connect(self.db)
        self.assertEqual(con.execute("SELECT id, version_of, superseded_by FROM article"
                                     " ORDER BY id").fetchall(),
                         [(1, None, 3), (2, None, 4), (3, 1, None), (4, 2, None)])
        con.close()
        self.assertEqual(history(self.db), [])
        run("index", "--check", "--quiet", self.db, check=0)

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

    def test_a_replacement_is_undone_by_restore(self):
        err = run("index", "--replace", self.db, self.second, check=0).err
        self.assertIn(f"record 1: replaced article 1 (\"Harbour wall to be rebuilt\") by this"
                      f" version; 'news-index --restore {self.db} 1' puts the earlier one back",
                      err)
        err = run("index", "--restore", self.db, "1", check=0).err
        self.assertIn("article 1 is its earlier version again (\"Harbour wall to be rebuilt\")",
                      err)
        self.assertEqual(matches(self.db, "firstword"), [1])
        self.assertEqual(matches(self.db, "secondword"), [])
        self.assertEqual(titles(self.db), ["Harbour wall to be rebuilt", "With an id"])
        shown = json.loads(run("query", "--format", "json", "--show", "1", self.db,
                               check=0).out)
        self.assertEqual(shown["provenance"][0]["path"], self.first)
        self.assertIn("rebuild the wall", shown["text"])
        run("index", "--check", "--quiet", self.db, check=0)
        # And undone again: the corrected version, kept as replaced, comes back.
        run("index", "--restore", self.db, "1", check=0)
        self.assertEqual(matches(self.db, "secondword"), [1])
        run("index", "--check", "--quiet", self.db, check=0)
        # Nothing to restore: no such article.
        err = run("index", "--restore", self.db, "99", check=1).err
        self.assertIn("article 99 has no replaced version to restore", err)

    def test_a_damaged_replaced_text_is_named_and_restores_nothing(self):
        run("index", "--quiet", "--replace", self.db, self.second, check=0)
        con = sqlite3.connect(self.db)
        con.execute("UPDATE article_history SET text_z = x'00112233' WHERE article_id = 1")
        con.commit()
        con.close()
        err = run("index", "--restore", self.db, "1", check=2).err
        self.assertIn("restoring article 1: cannot read a replaced version's text", err)
        self.assertEqual(matches(self.db, "secondword"), [1])  # as it was
        run("index", "--check", "--quiet", self.db, check=0)

    def test_dry_run_lists_what_would_be_replaced_and_changes_nothing(self):
        before = open(self.db, "rb").read()
        err = run("index", "--replace", "--dry-run", self.db, self.second, check=0).err
        self.assertIn('record 1: would replace article 1 ("Harbour wall to be rebuilt") by'
                      ' "Harbour wall to be repaired"', err)
        self.assertIn('record 2: would replace article 2 ("With an id") by "With an id"', err)
        self.assertIn("a dry run: nothing was stored", err)
        self.assertEqual(matches(self.db, "secondword"), [])
        self.assertEqual(history(self.db), [])
        con = sqlite3.connect(self.db)
        self.assertEqual(con.execute("SELECT count(*) FROM run").fetchone(), (1,))
        con.close()

    def test_a_takedown_erases_the_replaced_versions_text_too(self):
        run("index", "--quiet", "--replace", self.db, self.second, check=0)
        run("index", "--quiet", "--remove", self.db, "1", check=0)
        con = sqlite3.connect(self.db)
        self.assertEqual(con.execute("SELECT count(*) FROM article_history WHERE article_id = 1"
                                     " AND (text_z IS NOT NULL OR fields IS NOT NULL"
                                     " OR title IS NOT NULL)").fetchone(), (0,))
        con.close()
        err = run("index", "--restore", self.db, "1", check=1).err
        self.assertIn("article 1 has no replaced version to restore", err)
        run("index", "--check", "--quiet", self.db, check=0)

    def test_removing_the_current_version_makes_the_earlier_current(self):
        run("index", "--quiet", self.db, self.second, check=0)
        run("index", "--quiet", "--remove", self.db, "3", check=0)
        con = sqlite3.connect(self.db)
        self.assertEqual(con.execute("SELECT id, version_of, superseded_by FROM article"
                                     " ORDER BY id").fetchall(),
                         [(1, None, None), (2, None, 4), (4, 2, None)])
        con.close()
        # The first version goes: the next is the first of the article's versions.
        run("index", "--quiet", "--remove", self.db, "2", check=0)
        con = sqlite3.connect(self.db)
        self.assertEqual(con.execute("SELECT id, version_of, superseded_by FROM article"
                                     " ORDER BY id").fetchall(),
                         [(1, None, None), (4, None, None)])
        con.close()
        run("index", "--check", "--quiet", self.db, check=0)


if __name__ == "__main__":
    main()
