"""End-to-end tests of news-index: formats, duplicates, bad input, exit codes, provenance."""
import gzip
import json
import os
import signal
import sqlite3
import subprocess
import time

from common import SAMPLES, ArchiveTest, command, main, run

ARTICLE = " date 2024-05-01 A test headline\n\nFirst paragraph of the test.\n\nSecond paragraph.\n"


def show(db, article_id):
    return json.loads(run("query", "--format", "json", "--show", str(article_id), db, check=0).out)


class IndexTest(ArchiveTest):
    def test_samples_load_and_rerun_adds_nothing(self):
        db = self.path("news.db")
        first = run("index", db, SAMPLES, check=0)
        self.assertIn("added:      8 articles", first.err)
        self.assertEqual(first.out, "", "news-index writes nothing to stdout")
        second = run("index", db, SAMPLES, check=0)
        self.assertIn("added:      0 articles", second.err)
        self.assertIn("8 already in the archive", second.err)
        self.assertIn("nothing new", second.err)
        self.assertEqual(run("query", "--count", db, "the", check=0).out.strip(), "8")

    def test_the_readmes_example_query_finds_an_article_without_the_shared_data(self):
        # What the demo target runs, without ../shared/data's seed article.
        db = self.path("sample.db")
        run("index", "--quiet", db, SAMPLES, os.path.join(os.path.dirname(SAMPLES), "demo"),
            check=0)
        out = run("query", db, "Ukraine peace talks", check=0).out
        self.assertIn("**Ukraine**", out)

    def test_exact_duplicates_in_other_files_are_stored_once_with_provenance(self):
        a = self.write("in/a.txt", ARTICLE)
        b = self.write("in/b.txt", ARTICLE.replace("\n\n", "\n\n\n"))  # same once cleaned
        db = self.path("news.db")
        proc = run("index", db, self.path("in"), check=0)
        self.assertIn("added:      1 articles", proc.err)
        self.assertIn("duplicates: 1 skipped", proc.err)
        art = show(db, 1)
        self.assertEqual([p["path"] for p in art["provenance"]], [a, b])
        self.assertEqual(len(art["provenance"][0]["raw_hash"]), 32)

    def test_plain_text_metadata_and_cleaning(self):
        self.write("in/a.txt", ARTICLE.replace("Second", "Advertisement Hide Ad\n\nSecond"))
        db = self.path("news.db")
        run("index", "--source", "Test Gazette", db, self.path("in"), check=0)
        art = show(db, 1)
        self.assertEqual(art["title"], "A test headline")
        self.assertEqual(art["date"], "2024-05-01")
        self.assertEqual(art["source"], "Test Gazette")
        self.assertEqual(art["text"], "First paragraph of the test.\n\nSecond paragraph.")

    def test_jsonl_fields_and_bad_lines(self):
        lines = [
            json.dumps({"id": 17, "headline": "Good one", "body": "Text one.",
                        "published": "2025-02-18T10:30:00+01:00", "link": "https://x.example/1",
                        "author": ["A. Writer", "B. Writer"], "publication": "Daily"}),
            "{not json",
            "",
            json.dumps({"title": "Good two", "text": "Text two.", "date": "18 February 1887"}),
            json.dumps({"title": "", "body": ""}),
            json.dumps({"title": "Bad date", "body": "Kept anyway.", "date": "sometime"}),
        ]
        path = self.write("feed.jsonl", "\n".join(lines) + "\n")
        db = self.path("news.db")
        proc = run("index", db, path, check=1)
        self.assertIn(f"{path}: record 2: not valid JSON", proc.err)
        self.assertIn(f"{path}: record 5: no title and no text", proc.err)
        self.assertIn("record 6: warning: date not understood", proc.err)
        self.assertIn("added:      3 articles", proc.err)
        self.assertIn("rejected:   2", proc.err)
        one = show(db, 1)
        self.assertEqual(one["source_id"], "17")
        self.assertEqual(one["date"], "2025-02-18T09:30:00Z")
        self.assertEqual(one["url"], "https://x.example/1")
        self.assertEqual(one["byline"], "A. Writer, B. Writer")
        self.assertEqual(one["source"], "Daily")
        self.assertEqual(one["provenance"][0]["record"], 1)
        self.assertEqual(one["provenance"][0]["source_id"], "17")
        self.assertEqual(show(db, 2)["date"], "1887-02-18")
        self.assertEqual(show(db, 3)["date"], None)
        self.assertEqual(show(db, 2)["provenance"][0]["offset"], len(lines[0]) + len(lines[1]) + 3)

    def test_windows_1252_input_is_stored_as_utf8(self):
        path = self.write("latin.txt", "Caf\xe9 prices\n\nA coffee costs \xa33 \x96 or more.\n"
                          .replace("\x96", "\u2013").encode("cp1252"))
        db = self.path("news.db")
        proc = run("index", db, path, check=0)
        self.assertIn("recoded:    1 (not UTF-8", proc.err)
        art = show(db, 1)
        self.assertEqual(art["title"], "Café prices")
        self.assertEqual(art["text"], "A coffee costs £3 – or more.")

    def test_gzip_and_stdin(self):
        gz = self.path("a.txt.gz")
        with gzip.open(gz, "wb") as f:
            f.write(ARTICLE.encode())
        db = self.path("news.db")
        run("index", db, gz, check=0)
        proc = run("index", db, "-", stdin=ARTICLE.replace("test", "stdin").encode(), check=0)
        self.assertIn("added:      1 articles", proc.err)
        self.assertEqual(show(db, 2)["provenance"][0]["path"], "-")
        self.assertEqual(show(db, 1)["provenance"][0]["path"], gz)

    def test_bad_files_are_reported_and_the_run_goes_on(self):
        self.write("in/1-good.txt", ARTICLE)
        self.write("in/2-empty.txt", "")
        self.write("in/3-binary.bin", bytes(range(256)) * 10)
        good_gz = gzip.compress(ARTICLE.replace("test", "gzip").encode() * 50)
        self.write("in/4-truncated.txt.gz", good_gz[: len(good_gz) // 2])
        self.write("in/5-fake.gz", "Not gzip at all\n\nJust text named .gz.\n")
        self.write("in/6-good.txt", ARTICLE.replace("test", "other"))
        unreadable = self.write("in/7-unreadable.txt", ARTICLE.replace("test", "secret"))
        os.chmod(unreadable, 0)
        db = self.path("news.db")
        # An input that is not there is a mistake in the command: nothing is created.
        proc = run("index", db, self.path("in"), self.path("missing"), check=2)
        self.assertIn(f"cannot read {self.path('missing')}: No such file or directory", proc.err)
        self.assertFalse(os.path.exists(db))
        proc = run("index", db, self.path("in"), check=1)
        err = proc.err
        self.assertIn("2-empty.txt: empty file", err)
        self.assertIn("3-binary.bin: binary data", err)
        self.assertIn("4-truncated.txt.gz: truncated gzip data", err)
        if os.geteuid() != 0:  # root reads anything
            self.assertIn("7-unreadable.txt: Permission denied", err)
        self.assertNotIn("5-fake.gz", err)  # recognised by content: it is text
        self.assertIn("added:      ", err)
        titles = {json.loads(l)["title"] for l in
                  run("query", "-f", "json", "-n", "0", "--any", db, "paragraph text",
                      check=0).out.splitlines()}
        self.assertTrue({"A test headline", "A other headline", "Not gzip at all"} <= titles)

    def test_directory_loops_and_hidden_files(self):
        self.write("in/a.txt", ARTICLE)
        self.write("in/.hidden.txt", ARTICLE.replace("test", "hidden"))
        os.symlink(self.path("in"), self.path("in/loop"))
        db = self.path("news.db")
        proc = run("index", db, self.path("in"), check=1)
        self.assertIn("directory loop", proc.err)
        self.assertIn("added:      1 articles", proc.err)

    def test_not_an_archive(self):
        notes = self.write("notes.txt", "my notes\n")
        proc = run("index", notes, SAMPLES, check=2)
        self.assertIn("not a news archive", proc.err)
        self.assertEqual(open(notes).read(), "my notes\n", "the file is left alone")
        other = self.path("other.db")
        con = sqlite3.connect(other)
        con.execute("CREATE TABLE t(x)")
        con.close()
        self.assertIn("not a news archive", run("index", other, SAMPLES, check=2).err)
        self.assertIn("not a news archive", run("query", notes, "x", check=2).err)
        self.assertIn("cannot open archive", run("query", self.path("no.db"), "x", check=2).err)

    def test_usage_errors(self):
        for args in ([], [self.path("x.db")], ["--format", "xml", "x.db", "y"],
                     ["--batch", "0", "x.db", "y"], ["--bogus"]):
            proc = run("index", *args, check=2)
            self.assertIn("Try 'news-index --help'", proc.err)
            self.assertEqual(proc.out, "")
        self.assertIn("Usage: news-index", run("index", "--help", check=0).out)

    def test_forced_format(self):
        path = self.write("a.data", '{"title": "Looks like JSON", "body": "b"}\n')
        db = self.path("news.db")
        run("index", "--format", "text", db, path, check=0)
        self.assertEqual(show(db, 1)["title"], '{"title": "Looks like JSON", "body": "b"}')

    def test_schema_and_fts_are_consistent(self):
        db = self.path("news.db")
        run("index", "--batch", "2", db, SAMPLES, check=0)
        con = sqlite3.connect(db)
        con.create_function("news_text", 1, lambda b: None)  # integrity-check needs no text
        self.assertEqual(con.execute("PRAGMA integrity_check").fetchone()[0], "ok")
        con.execute("INSERT INTO article_fts(article_fts, rank) VALUES ('integrity-check', 0)")
        runs = con.execute("SELECT added, finished_at IS NOT NULL FROM run").fetchall()
        self.assertEqual(runs, [(8, 1)])
        con.close()

    def test_interrupt_commits_what_was_read(self):
        lines = [json.dumps({"title": f"Article {i}", "body": f"Body text {i}."}) + "\n"
                 for i in range(2000)]
        db = self.path("news.db")
        proc = subprocess.Popen(command("index", "--batch", "100", db, "-"), stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        proc.stdin.write("".join(lines[:1000]).encode())
        proc.stdin.flush()
        stored = 0
        deadline = time.time() + 120
        while stored < 900 and time.time() < deadline:  # wait for batches to be committed
            time.sleep(0.1)
            try:
                con = sqlite3.connect(db)
                stored = con.execute("SELECT count(*) FROM article").fetchone()[0]
                con.close()
            except sqlite3.Error:
                pass
        proc.send_signal(signal.SIGINT)
        time.sleep(0.5)
        proc.stdin.write("".join(lines[1000:]).encode())  # arrives after the interrupt
        proc.stdin.close()
        err = proc.stderr.read().decode()
        self.assertEqual(proc.wait(timeout=120), 130, err)
        self.assertIn("(interrupted)", err)
        con = sqlite3.connect(db)
        stored = con.execute("SELECT count(*) FROM article").fetchone()[0]
        con.close()
        self.assertIn(f"added:      {stored} articles", err)
        self.assertTrue(900 <= stored <= 1000, stored)
        # Running again picks up where it stopped: nothing twice, nothing lost.
        again = run("index", db, "-", stdin="".join(lines).encode(), check=0)
        self.assertIn(f"{stored} already in the archive", again.err)
        self.assertEqual(run("query", "--count", db, "body", check=0).out.strip(), "2000")


if __name__ == "__main__":
    main()
