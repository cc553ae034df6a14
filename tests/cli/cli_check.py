"""news-index --check: a whole archive passes; each kind of damage is found, named and
makes the exit status 1; what is not an archive is an error."""
import json
import os
import random
import shutil
import sqlite3

from common import ArchiveTest, main, run

WORDS = ("harbour council quay vote lease wind operator fishermen berth tide storm crew boat "
         "wall repair town leader budget road bridge school market minister talks").split()


class CheckTest(ArchiveTest):
    def setUp(self):
        super().setUp()
        rng = random.Random(3)
        lines = [{"title": f"Report {i}", "date": "2024-03-01",
                  "body": " ".join(rng.choice(WORDS) for _ in range(180)) + "."}
                 for i in range(400)]  # enough text for a preset dictionary
        self.db = self.path("news.db")
        run("index", self.db, "-", stdin="".join(json.dumps(l) + "\n" for l in lines).encode(),
            check=0)

    def damaged(self, *sql):
        """A copy of the archive with sql run on it; returns the check's output."""
        copy = self.path(f"damaged-{len(os.listdir(self.tmp))}.db")
        shutil.copy(self.db, copy)
        con = sqlite3.connect(copy)
        con.executescript(";".join(sql))
        con.close()
        return run("index", "--check", copy, check=1).err

    def test_a_whole_archive_passes(self):
        out = run("index", "--check", self.db, check=0)
        self.assertIn("whole: 400 articles, each with its text and hash; index, 1 dictionary"
                      " and counts agree", out.err)
        self.assertEqual(out.out, "")
        self.assertEqual(run("index", "--check", "--quiet", self.db, check=0).err, "")

    def test_progress_names_each_stage(self):
        err = run("index", "--check", "--progress", self.db, check=0).err
        self.assertIn("\r\033[Kchecking ", err)  # a small archive is done before the second
        self.assertTrue(err.endswith("counts agree\n"), err[-200:])
        self.assertNotIn("checking", run("index", "--check", self.db, check=0).err)

    def test_damaged_text_is_found(self):
        err = self.damaged("UPDATE article_text SET text_z = substr(text_z, 1, 40) || x'00'"
                           " || substr(text_z, 42) WHERE id = 7")
        self.assertIn("article 7: stored text is damaged", err)
        self.assertIn("1 problem found in 400 articles", err)

    def test_a_changed_title_no_longer_matches_its_hash(self):
        err = self.damaged("UPDATE article SET title = 'Changed' WHERE id = 9")
        self.assertIn("article 9: title and text do not match its content hash", err)

    def test_text_and_provenance_must_be_there(self):
        err = self.damaged("DELETE FROM article_text WHERE id = 11",
                           "DELETE FROM provenance WHERE article_id = 12")
        self.assertIn("article 11 has no text", err)
        self.assertIn("1 articles have no provenance", err)
        self.assertIn("2 problems found", err)

    def test_a_missing_dictionary_is_named(self):
        err = self.damaged("DELETE FROM dictionary")
        self.assertIn("needs dictionary 1, which is missing", err)
        self.assertIn("... and 380 more articles whose text does not read", err)

    def test_fingerprint_blocks_must_match_the_articles(self):
        err = self.damaged("DELETE FROM simhash_block WHERE article_id = 3 AND block_no = 0")
        self.assertRegex(err, r"\d+ fingerprint blocks for \d+ fingerprinted articles \(4 each\)")
        err = self.damaged("INSERT INTO simhash_block VALUES (0, 1, 9999, 1, 9999)")
        self.assertIn("1 fingerprint blocks belong to no article", err)

    def test_versions_must_be_linked_as_stored(self):
        # Articles 2 and 3 made versions of article 1, as news-index links them: whole.
        link = ("UPDATE article SET version_of = 1, superseded_by = 3 WHERE id = 2",
                "UPDATE article SET version_of = 1 WHERE id = 3",
                "UPDATE article SET superseded_by = 2 WHERE id = 1")
        copy = self.path("linked.db")
        shutil.copy(self.db, copy)
        con = sqlite3.connect(copy)
        con.executescript(";".join(link))
        con.close()
        run("index", "--check", "--quiet", copy, check=0)
        err = self.damaged(*link, "UPDATE article SET superseded_by = NULL WHERE id = 2")
        self.assertIn("1 articles do not have exactly one current version", err)
        err = self.damaged(*link, "UPDATE article SET version_of = 2 WHERE id = 3")
        self.assertIn("1 versions name a first version that is missing or is not a first", err)
        err = self.damaged("UPDATE article SET superseded_by = 9999 WHERE id = 4")
        self.assertIn("1 versions are superseded by an article that is missing", err)

    def test_index_damage_is_found(self):
        err = self.damaged("DELETE FROM article_fts_docsize WHERE id = 5")
        self.assertIn("full-text index: 399 rows for 400 articles", err)
        err = self.damaged("UPDATE article_fts_data SET block = zeroblob(length(block))"
                           " WHERE id = (SELECT max(id) FROM article_fts_data)")
        self.assertIn("full-text index: database disk image is malformed", err)

    def test_an_index_that_does_not_hold_the_text_is_found(self):
        # The title marked as made from the text, which the index does not show: the view
        # now gives no title, the index still holds it. Only a comparison with the texts
        # finds that; FTS5's check of its own structure does not.
        err = self.damaged("UPDATE article SET title_derived = 1 WHERE id = 3")
        self.assertIn("full-text index: does not hold what the articles' titles and texts are",
                      err)
        self.assertIn("1 problem found in 400 articles", err)
        err = self.damaged("UPDATE article_text SET text_z = (SELECT text_z FROM article_text"
                           " WHERE id = 4) WHERE id = 3")
        self.assertIn("article 3: title and text do not match its content hash", err)
        self.assertIn("full-text index: does not hold", err)

    def test_what_is_not_an_archive(self):
        missing = self.path("missing.db")
        self.assertIn("cannot open archive", run("index", "--check", missing, check=2).err)
        self.assertFalse(os.path.exists(missing))
        notes = self.write("notes.txt", "not a database\n")
        self.assertIn("not a news archive", run("index", "--check", notes, check=2).err)
        self.assertIn("takes ARCHIVE only",
                      run("index", "--check", self.db, notes, check=2).err)


if __name__ == "__main__":
    main()
