"""A full disk: news-index stops with a clear message, the archive stays whole and
searchable, and once there is room the same command adds the rest. The disk is a small
tmpfs mounted for the test, which needs root (CAP_SYS_ADMIN); without it the test is
skipped, visibly."""
import os
import subprocess

from common import ArchiveTest, corpus, main, run, titles

ARTICLES = 4000


class DiskFullTest(ArchiveTest):
    def setUp(self):
        super().setUp()
        self.disk = self.path("disk")
        os.mkdir(self.disk)
        mount = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", self.disk],
                               capture_output=True, text=True)
        if mount.returncode != 0:
            self.skipTest(f"cannot mount a small file system: {mount.stderr.strip()}")

    def tearDown(self):
        subprocess.run(["umount", self.disk], capture_output=True)
        super().tearDown()

    def test_a_full_disk_stops_the_load_and_nothing_is_lost(self):
        source = self.write("in/news.jsonl", corpus(ARTICLES, seed=5))
        db = os.path.join(self.disk, "news.db")
        command = ["--batch", "200", "--quiet", db, source]
        err = run("index", *command, check=2).err
        self.assertIn("the disk is full", err)
        self.assertIn("what was committed before this error is kept", err)
        stored = titles(db)
        self.assertTrue(0 < len(stored) < ARTICLES, len(stored))
        run("index", "--check", "--quiet", db, check=0)
        searched = run("query", "--count", "--all-copies", db, "uniq*", check=0).out
        self.assertEqual(searched.strip(), str(len(stored)))  # every article has a uniqN
        subprocess.run(["mount", "-o", "remount,size=64m", self.disk], check=True)
        run("index", *command, check=0)
        self.assertEqual(sorted(titles(db)), sorted(f"Article {i}" for i in range(ARTICLES)))
        run("index", "--check", "--quiet", db, check=0)


if __name__ == "__main__":
    main()
