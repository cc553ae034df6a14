"""An archive you can trust: news-index killed at any moment leaves a whole archive that the
same command completes; readers see a consistent archive during a load; one writer at a
time; read-only archives, directories, other files and newer versions are refused with a
clear message and left as they were."""
import hashlib
import json
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import time

from common import ARGS, SAMPLES, ArchiveTest, corpus, main, run, titles

FILES = 3
PER_FILE = 1500


def digest(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def start(*args):
    return subprocess.Popen([ARGS.index, *args], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)


class SafetyTest(ArchiveTest):
    def setUp(self):
        super().setUp()
        self.inputs = [self.write(f"in/part{i}.jsonl", corpus(PER_FILE, seed=i, first=i * PER_FILE))
                       for i in range(FILES)]
        self.expected = sorted(f"Article {i}" for i in range(FILES * PER_FILE))

    def load(self, db, *extra):
        """The command every run in a test repeats: small batches, so many commits."""
        return ["--batch", "150", "--quiet", *extra, db, self.path("in")]

    def assert_whole(self, db):
        run("index", "--check", "--quiet", db, check=0)

    def wait_for_articles(self, db, proc, at_least):
        deadline = time.time() + 300
        while time.time() < deadline and proc.poll() is None:
            try:
                if os.path.exists(db) and len(titles(db)) >= at_least:
                    return
            except sqlite3.Error:
                pass
            time.sleep(0.05)
        self.fail(f"no {at_least} articles in {db}: {proc.stderr.read().decode()[:2000]}")

    def test_killed_at_twenty_points_and_completed_by_the_same_command(self):
        db = self.path("news.db")
        rng = random.Random(7)
        held = 0
        for point in range(20):
            # Kill points spread over the load: the first while the archive is being
            # created, then each after another 4% of the articles is committed (up to
            # 76%, so that a busy machine still finds the run going), a random moment into
            # the next batch (reading, cleaning, writing, committing).
            proc = start(*self.load(db))
            target = len(self.expected) * point // 25
            if target:
                self.wait_for_articles(db, proc, target)
            time.sleep(rng.uniform(0.0, 0.3 if point == 0 else 0.05))
            self.assertIsNone(proc.poll(), f"kill point {point}: news-index had finished")
            proc.kill()
            proc.wait()
            proc.stderr.close()
            if not os.path.exists(db):
                continue  # killed before the archive was created
            self.assert_whole(db)
            now = titles(db)
            self.assertEqual(len(now), len(set(now)), "an article stored twice")
            self.assertGreaterEqual(len(now), held, "committed articles lost")
            self.assertTrue(set(now) <= set(self.expected))
            held = len(now)
        run("index", *self.load(db), check=0)
        self.assertEqual(sorted(titles(db)), self.expected)
        self.assert_whole(db)
        con = sqlite3.connect(db)
        # Every article has its provenance, once per file record, however many runs.
        self.assertEqual(con.execute("SELECT count(DISTINCT article_id), count(*)"
                                     " FROM provenance").fetchone(),
                         (len(self.expected), len(self.expected)))
        con.close()
        out = run("query", "--format", "json", db, "uniq4321", check=0).out.splitlines()
        self.assertEqual([json.loads(line)["title"] for line in out], ["Article 4321"])

    def test_queries_during_a_load_see_one_consistent_archive(self):
        db = self.path("news.db")
        proc = start(*self.load(db))
        self.wait_for_articles(db, proc, 150)
        seen = 0
        checks = 0
        while proc.poll() is None or checks < 3:
            # The summary's count and the matches listed come from one state of the archive.
            out = run("query", "-n", "0", "--all-copies", "--color", "never", db, "harbour",
                      check=0)
            matches = int(re.search(r"(\d+) match", out.err).group(1))
            self.assertEqual(matches, len(re.findall(r" · id \d+", out.out)), out.err)
            self.assertGreaterEqual(matches, seen)
            seen = matches
            checks += 1
        self.assertEqual(proc.wait(), 0, proc.stderr.read().decode())
        proc.stderr.close()
        self.assertGreater(checks, 3)
        self.assertEqual(sorted(titles(db)), self.expected)
        self.assert_whole(db)

    def test_a_second_writer_is_refused_or_waits(self):
        db = self.path("news.db")
        first = start(*self.load(db))
        self.wait_for_articles(db, first, 150)
        busy = run("index", db, SAMPLES)
        self.assertEqual(busy.returncode, 75, busy.err)
        self.assertIn("in use by another news-index", busy.err)
        self.assertIn("--wait", busy.err)
        self.assertEqual(run("index", "--check", db).returncode, 75)
        waiting = subprocess.run([ARGS.index, "--wait", "--quiet", db, SAMPLES],
                                 capture_output=True, timeout=600)
        self.assertEqual(waiting.returncode, 0, waiting.stderr.decode())
        self.assertEqual(first.wait(), 0, first.stderr.read().decode())
        first.stderr.close()
        # The waiting run began only once the first had finished with the archive.
        con = sqlite3.connect(db)
        (finished, _), (_, began) = con.execute(
            "SELECT finished_at, started_at FROM run ORDER BY id").fetchall()
        con.close()
        self.assertLessEqual(finished, began)
        self.assertEqual(len(titles(db)), len(self.expected) + 8)  # the 8 sample articles
        self.assert_whole(db)

    def test_what_is_not_an_archive_is_refused_and_left_alone(self):
        folder = os.path.dirname(self.inputs[0])
        for tool, args in (("index", [folder, SAMPLES]), ("query", [folder, "x"]),
                           ("index", ["--check", folder])):
            self.assertIn("is a directory, not a news archive", run(tool, *args, check=2).err)
        db = self.path("news.db")
        run("index", "--quiet", db, SAMPLES, check=0)
        con = sqlite3.connect(db)
        con.execute("PRAGMA user_version = 99")
        con.close()
        before = digest(db)
        for tool, args in (("index", [db, SAMPLES]), ("query", [db, "x"]),
                           ("index", ["--check", db]), ("index", ["--upgrade", db])):
            err = run(tool, *args, check=2).err
            self.assertIn("is a version 99 archive; this program knows versions 1 to", err)
        self.assertEqual(digest(db), before)
        other = self.path("other.db")  # another program's database
        con = sqlite3.connect(other)
        con.execute("CREATE TABLE notes(x)")
        con.execute("INSERT INTO notes VALUES ('mine')")
        con.commit()
        con.close()
        before = digest(other)
        for tool, args in (("index", [other, SAMPLES]), ("query", [other, "x"]),
                           ("index", ["--check", other]), ("index", ["--remove", other, "1"])):
            self.assertIn("is not a news archive (an SQLite database of something else)",
                          run(tool, *args, check=2).err)
        self.assertEqual(digest(other), before)
        text = self.write("notes.txt", "not a database at all\n" * 100)
        for tool, args in (("index", [text, SAMPLES]), ("query", [text, "x"])):
            self.assertIn("is not a news archive (not an SQLite database)",
                          run(tool, *args, check=2).err)
        self.assertEqual(open(text).read(), "not a database at all\n" * 100)
        empty = self.write("empty.db", b"")
        self.assertIn("is an empty file, not a news archive", run("query", empty, "x", check=2).err)
        self.assertEqual(os.path.getsize(empty), 0)


class ReadOnlyTest(ArchiveTest):
    """A read-only archive, and one on read-only media (a directory nobody may write to):
    news-query searches both; news-index refuses both and changes nothing."""

    def as_reader(self, tool, *args, check=None):
        if os.geteuid() != 0:
            return run(tool, *args, check=check)
        # root may write anything: run as nobody, for whom permissions hold
        exe = ARGS.index if tool == "index" else ARGS.query
        proc = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                               exe, *args], capture_output=True, timeout=600)
        proc.out, proc.err = proc.stdout.decode(), proc.stderr.decode()
        if check is not None:
            self.assertEqual(proc.returncode, check, proc.err)
        return proc

    def test_read_only_file_and_read_only_directory(self):
        os.chmod(self.tmp, 0o755)
        made = self.path("made.db")
        run("index", "--quiet", made, SAMPLES, check=0)
        for name, file_mode, dir_mode in (("file", 0o444, 0o777), ("media", 0o444, 0o555),
                                          ("directory", 0o666, 0o555)):
            folder = self.path(name)
            os.mkdir(folder)
            db = os.path.join(folder, "news.db")
            shutil.copy(made, db)
            os.chmod(db, file_mode)
            os.chmod(folder, dir_mode)
            before = digest(db)
            hit = self.as_reader("query", "-n", "1", db, "Ukraine", check=0)
            self.assertIn("1 match", hit.err)
            err = self.as_reader("index", db, SAMPLES, check=2).err
            if name == "directory":
                self.assertIn("its directory is not writable", err)
            else:
                self.assertIn("is read-only: news-index cannot change it", err)
            # A copy on read-only media can still be checked, but for FTS5's own check.
            err = self.as_reader("index", "--check", db, check=0).err
            self.assertIn("whole: 8 articles", err)
            self.assertIn("(read-only: the full-text index's own check, which needs write"
                          " access, was skipped)", err)
            self.assertEqual(digest(db), before)
            if dir_mode == 0o555:  # nothing could be written beside it either
                self.assertEqual(sorted(os.listdir(folder)), ["news.db"])
            os.chmod(folder, 0o755)


if __name__ == "__main__":
    main()
