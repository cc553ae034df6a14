"""The ingest pipeline: worker threads change nothing in the archive, the preset
dictionary is trained from the first large batch while older text still reads, and
progress says how far the run is."""
import json
import os
import random
import sqlite3

from common import ArchiveTest, main, run

WORDS = ("harbour council quay vote lease wind operator fishermen berth tide storm crew boat "
         "wall repair town leader budget road bridge school market minister talks strike "
         "shares profit bank rates oil prices election court police report").split()
SENTENCES = [
    "The council said the decision would be reviewed next month.",
    "Shares in the operator rose sharply in early trading on Tuesday.",
    "Subscribe to our newsletter for the latest local news.",
    "A spokesman for the harbour authority declined to comment.",
]


def articles(count, seed, words=90):
    """JSON Lines of count articles: random words, common sentences and a masthead line that
    recurs (the cleaner learns it), an exact duplicate and a near copy among them."""
    rng = random.Random(seed)
    lines = []
    for i in range(count):
        body = []
        for _ in range(4):
            body.append(" ".join(rng.choice(WORDS) for _ in range(words // 4)).capitalize()
                        + ". " + rng.choice(SENTENCES))
        body.append("Kelby Harbour Gazette, evening edition")  # a masthead that recurs
        lines.append({"title": f"Report {seed}-{i}", "date": f"2024-{1 + i % 12:02d}-01",
                      "source": ["Gazette", "Courier"][i % 2], "body": "\n\n".join(body)})
    lines.append(dict(lines[3]))  # an exact duplicate
    near = dict(lines[5])
    near["title"] = "Reprinted: " + near["title"]
    near["body"] = "By a staff writer\n\n" + near["body"]
    lines.append(near)
    return "".join(json.dumps(a) + "\n" for a in lines)


def dump(db):
    """Everything stored, but the times of runs and dictionaries."""
    con = sqlite3.connect(db)
    out = {}
    for table, order in [("article", "id"), ("article_text", "id"), ("provenance", "id"),
                         ("simhash_block", "block_no, value, article_id"),
                         ("boilerplate_line", "source, line_hash")]:
        out[table] = con.execute(f"SELECT * FROM {table} ORDER BY {order}").fetchall()
    out["dictionary"] = con.execute(
        "SELECT id, articles, sample_bytes, bytes FROM dictionary ORDER BY id").fetchall()
    out["run"] = con.execute("SELECT files, added, duplicates, rejected FROM run").fetchall()
    con.close()
    return out


class PipelineTest(ArchiveTest):
    def test_threads_do_not_change_the_archive(self):
        src = self.write("in/a.jsonl", articles(700, 1))
        self.write("in/b.jsonl", articles(300, 2))
        one, four = self.path("one.db"), self.path("four.db")
        run("index", "--jobs", "1", "--batch", "150", one, self.path("in"), check=0)
        run("index", "--jobs", "4", "--batch", "150", four, self.path("in"), check=0)
        first = dump(one)
        self.assertEqual(len(first["article"]), 1002)  # 1004 read, two exact duplicates
        self.assertEqual(len(first["dictionary"]), 1)
        self.assertTrue(first["boilerplate_line"])
        self.assertEqual(first, dump(four))
        # And a second run over the same input adds nothing, with threads.
        again = run("index", "--jobs", "3", four, src, check=0)
        self.assertIn("added:      0 articles", again.err)

    def test_dictionary_is_trained_once_and_older_text_still_reads(self):
        db = self.path("news.db")
        run("index", db, self.write("small.jsonl", articles(5, 3)), check=0)
        con = sqlite3.connect(db)
        self.assertEqual(con.execute("SELECT count(*) FROM dictionary").fetchone()[0], 0)
        self.assertEqual(
            con.execute("SELECT DISTINCT substr(text_z, 1, 1) FROM article_text").fetchall(),
            [(b"\x01",)])
        con.close()
        big = run("index", db, self.write("big.jsonl", articles(800, 4)), check=0)
        con = sqlite3.connect(db)
        dicts = con.execute("SELECT id, articles, length(bytes) FROM dictionary").fetchall()
        self.assertEqual(len(dicts), 1)
        self.assertEqual(dicts[0][2], 32768)
        formats = dict(con.execute("SELECT substr(text_z, 1, 1), count(*) FROM article_text"
                                   " GROUP BY 1").fetchall())
        self.assertEqual(formats[b"\x01"], 6)  # the first run's
        self.assertEqual(formats[b"\x02"], 801)
        stored, text = con.execute("SELECT sum(length(text_z)), sum(text_bytes) FROM article"
                                   " JOIN article_text USING (id) WHERE id > 6").fetchone()
        con.close()
        self.assertLess(stored / text, 0.35, big.err)
        # Old and new text read back in full, for --show, snippets and export.
        small = [json.loads(line) for line in articles(5, 3).splitlines()]
        large = [json.loads(line) for line in articles(800, 4).splitlines()]
        for article_id, source in ((1, small[0]), (300, large[300 - 7])):
            shown = json.loads(run("query", "--show", str(article_id), "--format", "json", db,
                                   check=0).out)
            self.assertEqual(shown["title"], source["title"])
            self.assertIn(source["body"].split("\n\n")[0], shown["text"])
        found = run("query", "--format", "ndjson-bulk", "--limit", "0", db, "harbour", check=0)
        texts = [json.loads(line)["text"] for line in found.out.splitlines()[1::2]]
        self.assertGreater(len(texts), 700)
        self.assertTrue(all("harbour" in t.lower() for t in texts))
        # A later large run keeps the dictionary it has.
        run("index", db, self.write("more.jsonl", articles(800, 5)), check=0)
        con = sqlite3.connect(db)
        self.assertEqual(con.execute("SELECT count(*) FROM dictionary").fetchone()[0], 1)
        con.close()

        # Retrained from the archive's own text, a new dictionary serves the articles
        # added after it; those stored under the first, or none, still read.
        trained = run("index", "--train-dictionary", db, check=0)
        self.assertRegex(trained.err, r"trained dictionary 2 from \d+ articles")
        run("index", db, self.write("later.jsonl", articles(50, 8)), check=0)
        con = sqlite3.connect(db)
        by_dict = dict(con.execute(
            "SELECT CASE WHEN substr(text_z, 1, 1) = x'02' THEN unicode(substr(text_z, 6, 1))"
            " ELSE 0 END, count(*) FROM article_text GROUP BY 1").fetchall())
        con.close()
        self.assertEqual(by_dict, {0: 6, 1: 1602, 2: 51})
        for article_id in (1, 500, 1659):  # no dictionary, the first, the second
            shown = json.loads(run("query", "--show", str(article_id), "--format", "json", db,
                                   check=0).out)
            self.assertTrue(shown["text"])

    def test_train_dictionary_refuses_what_it_cannot_do(self):
        small = self.path("small.db")
        run("index", small, self.write("s.jsonl", articles(5, 9)), check=0)
        proc = run("index", "--train-dictionary", small, check=2)
        self.assertIn("too little to train a dictionary from", proc.err)
        missing = self.path("missing.db")
        proc = run("index", "--train-dictionary", missing, check=2)
        self.assertIn("cannot open archive", proc.err)
        self.assertFalse(os.path.exists(missing))
        proc = run("index", "--train-dictionary", small, self.path("s.jsonl"), check=2)
        self.assertIn("takes ARCHIVE only", proc.err)

    def test_progress_says_how_far_and_how_long(self):
        db = self.path("news.db")
        proc = run("index", "--progress", db, self.write("a.jsonl", articles(300, 6)), check=0)
        self.assertRegex(proc.err, r"\d+ files, \d+ articles, [\d.]+ [kKMG]?B, \d+ articles/s"
                                   r" \d+%, \d+s left")
        # Reading stdin, the size is unknown: no estimate, but progress all the same.
        proc = run("index", "--progress", self.path("b.db"), "-",
                   stdin=articles(50, 7).encode(), check=0)
        self.assertIn("articles/s", proc.err)
        self.assertNotIn("left", proc.err)

    def test_jobs_must_be_a_small_number(self):
        for bad in ("0", "65", "x", ""):
            proc = run("index", "--jobs", bad, self.path("news.db"), "-", check=2)
            self.assertIn("--jobs needs a number from 1 to 64", proc.err)


if __name__ == "__main__":
    main()
