"""Shared helpers for the end-to-end tests: they run the real news-index and news-query."""
import argparse
import gzip
import os
import re
import subprocess
import sys
import tempfile
import unittest

SKIP = 77  # CTest's SKIP_RETURN_CODE for these tests


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("--index", required=True)
    p.add_argument("--query", required=True)
    p.add_argument("--source-dir", required=True)
    args, rest = p.parse_known_args()
    sys.argv[1:] = rest
    return args


ARGS = parse_args()
SAMPLES = os.path.join(ARGS.source_dir, "tests", "samples")
SHARED_DATA = os.environ.get(
    "NEWS_SHARED_DATA", os.path.join(ARGS.source_dir, "..", "shared", "data"))

# NEWS_VALGRIND=1 runs every tool under valgrind's memcheck: an invalid read or write, a
# use of uninitialised memory or a definite leak makes the tool exit with VALGRIND_ERROR.
VALGRIND_ERROR = 99
VALGRIND = ["valgrind", f"--error-exitcode={VALGRIND_ERROR}", "--leak-check=full",
            "--errors-for-leak-kinds=definite", "--quiet"] \
    if os.environ.get("NEWS_VALGRIND", "0") not in ("", "0") else []
# Under valgrind the tests take 10 to 60 times as long.
TIMEOUT = 3600 if VALGRIND else 600


def command(tool, *args):
    """The command line that runs tool ("index" or "query") with args."""
    return [*VALGRIND, ARGS.index if tool == "index" else ARGS.query, *args]


def run(tool, *args, stdin=None, check=None):
    """Runs a tool; returns CompletedProcess with text stdout/stderr.
    check: the exit code to insist on."""
    proc = subprocess.run(command(tool, *args), input=stdin, capture_output=True,
                          timeout=TIMEOUT)
    proc.out = proc.stdout.decode("utf-8")
    proc.err = proc.stderr.decode("utf-8")
    if VALGRIND and proc.returncode == VALGRIND_ERROR:
        raise AssertionError(
            f"{tool} {' '.join(args)}: valgrind found errors\nstderr: {proc.err[-4000:]}")
    if check is not None and proc.returncode != check:
        raise AssertionError(
            f"{tool} {' '.join(args)}: exit {proc.returncode}, wanted {check}\n"
            f"stdout: {proc.out[:2000]}\nstderr: {proc.err[:2000]}")
    return proc


class ArchiveTest(unittest.TestCase):
    """A test case with a fresh temporary directory."""

    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory()
        self.tmp = self._tmp.name

    def tearDown(self):
        self._tmp.cleanup()

    def path(self, name):
        return os.path.join(self.tmp, name)

    def write(self, name, data):
        path = self.path(name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data if isinstance(data, bytes) else data.encode("utf-8"))
        return path


def main():
    """Runs the tests; exit 0 all passed, 1 some failed, 77 every test was skipped."""
    suite = unittest.defaultTestLoader.loadTestsFromModule(sys.modules["__main__"])
    result = unittest.TextTestRunner(verbosity=2).run(suite)
    if not result.wasSuccessful():
        sys.exit(1)
    if result.testsRun and len(result.skipped) == result.testsRun:
        sys.exit(SKIP)
    sys.exit(0)


WORDS = ("harbour council quay vote lease wind operator fishermen berth tide storm crew boat "
         "wall repair town leader budget road bridge school market minister talks court judge "
         "farm price grain river flood rescue police station festival museum library").split()


def corpus(count, seed=1, first=0):
    """count JSON Lines articles of made-up words, titled "Article N" from N = first;
    each has a word of its own ("uniqN"), so that it alone matches it."""
    import json
    import random
    rng = random.Random(seed)
    lines = []
    for i in range(first, first + count):
        body = " ".join(rng.choice(WORDS) for _ in range(rng.randint(80, 200)))
        lines.append(json.dumps({"title": f"Article {i}", "date": f"20{10 + i % 15}-0{1 + i % 9}-11",
                                 "body": f"{body} uniq{i}."}) + "\n")
    return "".join(lines)


def titles(db):
    """The archive's article titles, read straight from the file (a list: copies show)."""
    import sqlite3
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return [t for (t,) in con.execute("SELECT title FROM article ORDER BY id")]
    finally:
        con.close()


# What web archives hold, read here independently of news-index.

def warc_pages(path):
    """HTTP 2xx responses carrying HTML in a WARC file."""
    data = open(path, "rb").read()
    if path.endswith(".gz"):
        data = gzip.decompress(data)
    count, pos = 0, 0
    while (start := data.find(b"WARC/", pos)) >= 0:
        end = data.find(b"\r\n\r\n", start)
        head = data[start:end].decode("latin-1")
        length = int(re.search(r"(?im)^content-length:\s*(\d+)", head).group(1))
        body = data[end + 4:end + 4 + length]
        pos = end + 4 + length
        if re.search(r"(?im)^warc-type:\s*response", head) and body.startswith(b"HTTP/"):
            count += html_2xx(body)
    return count


def arc_pages(path):
    """HTTP 2xx responses carrying HTML in an ARC file: after each header line (its last
    field the length), that many bytes of content."""
    data = open(path, "rb").read()
    if path.endswith(".gz"):
        data = gzip.decompress(data)
    count, pos = 0, 0
    while pos < len(data):
        while data[pos:pos + 1] == b"\n":
            pos += 1
        end = data.find(b"\n", pos)
        if end < 0:
            break
        fields = data[pos:end].split(b" ")
        content = data[end + 1:end + 1 + int(fields[-1])]
        pos = end + 1 + int(fields[-1])
        if fields[0].startswith(b"http") and content.startswith(b"HTTP/"):
            count += html_2xx(content)
    return count


def html_2xx(response):
    """1 if an HTTP response is a 2xx carrying HTML, else 0."""
    status = int(response.split(b" ", 2)[1])
    head = response[:response.find(b"\r\n\r\n")]
    ctype = re.search(rb"(?im)^content-type:\s*([^;\r\n]+)", head)
    return int(200 <= status < 300 and ctype is not None and ctype.group(1).strip().lower()
               in (b"text/html", b"application/xhtml+xml"))
