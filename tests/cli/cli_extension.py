"""news_ext.so, the archive's SQL functions as a loadable SQLite extension: the sqlite3
shell and Python's sqlite3 read an archive's text, search, rank and highlight with it
exactly as news-query does, and without it the archive's view cannot be read.

Needs the sqlite3 shell, a Python whose sqlite3 module can load extensions (Debian's
python3 can) and nm; without one of them every test is reported skipped."""
import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile

from common import SAMPLES, SKIP, ArchiveTest, main, run

p = argparse.ArgumentParser()
p.add_argument("--extension", required=True)
EXTENSION = p.parse_known_args()[0].extension

WORDS = ("harbour council quay vote lease wind operator fishermen berth tide storm crew boat "
         "wall repair town leader budget road bridge school market minister").split()

_tmp = tempfile.TemporaryDirectory()
DB = os.path.join(_tmp.name, "news.db")


def python_with_extensions():
    """This interpreter, or the first python3 on PATH, whose sqlite3 can load extensions."""
    candidates = [sys.executable] + [os.path.join(d, "python3")
                                     for d in os.environ.get("PATH", "").split(os.pathsep)]
    probe = "import sqlite3; sqlite3.connect(':memory:').enable_load_extension(True)"
    for exe in candidates:
        if os.access(exe, os.X_OK) and subprocess.run(
                [exe, "-c", probe], capture_output=True).returncode == 0:
            return exe
    return None


SQLITE3 = shutil.which("sqlite3")
PYTHON = python_with_extensions()
NM = shutil.which("nm")


def setUpModule():
    run("index", DB, SAMPLES, check=0)
    # Enough text in a second run for a preset dictionary: these articles' text is stored
    # in format 2, the samples' in format 1.
    rng = random.Random(5)
    lines = [{"title": f"Report {i}", "date": "2024-03-01",
              "body": " ".join(rng.choice(WORDS) for _ in range(rng.randint(150, 220))) + "."}
             for i in range(400)]
    run("index", DB, "-", stdin="".join(json.dumps(l) + "\n" for l in lines).encode(), check=0)


def tearDownModule():
    _tmp.cleanup()


def shell(sql, load=True, check=0, db=DB):
    """Runs one SQL statement in the sqlite3 shell on the archive, after loading the
    extension the way the README says (".load" and the path without ".so"). Returns the
    CompletedProcess, with rows: the result rows as dicts."""
    script = (f".load {os.path.splitext(EXTENSION)[0]}\n" if load else "") + f".mode json\n{sql};\n"
    proc = subprocess.run([SQLITE3, "-batch", "-bail", "-readonly", db], input=script,
                          capture_output=True, text=True, timeout=120)
    if proc.returncode != check:
        raise AssertionError(f"sqlite3: exit {proc.returncode}, wanted {check}\n{sql}\n"
                             f"stderr: {proc.stderr[:2000]}")
    proc.rows = json.loads(proc.stdout) if proc.returncode == 0 and proc.stdout.strip() else []
    return proc


def quote(text):
    return "'" + text.replace("'", "''") + "'"


def search_sql(fts):
    """news-query's search for an FTS5 expression: its ranking, score and snippet."""
    return ("SELECT rowid AS id, -news_rank(article_fts) AS score,"
            " news_snippet(article_fts, 1, '**', '**', '…', 32, 1) AS snippet"
            f" FROM article_fts WHERE article_fts MATCH {quote(fts)}"
            " AND rank MATCH 'news_rank()' ORDER BY rank")


def news_query(query):
    """news-query's matches for query, every one, as (FTS5 expression, hits)."""
    fts = run("query", "--explain", DB, query, check=0).out.strip()
    out = run("query", "--format", "json", "--limit", "0", "--all-copies", DB, query,
              check=0).out
    return fts, [json.loads(line) for line in out.splitlines()]


class ExtensionTest(ArchiveTest):
    def assertSameHits(self, got, want):
        """The same articles, scores (to news-query's 6 digits) and snippets; got in
        news-query's order, best first (ties between equal scores in either order)."""
        self.assertEqual(len(got), len(want))
        self.assertEqual({h["id"]: h["snippet"] for h in got},
                         {h["id"]: h["snippet"] for h in want})
        scores = {h["id"]: h["score"] for h in want}
        for h in got:
            self.assertAlmostEqual(h["score"], scores[h["id"]], delta=1e-5 * scores[h["id"]])
        self.assertEqual([h["score"] for h in got],
                         sorted((h["score"] for h in got), reverse=True))

    def test_news_text_reads_both_stored_formats_as_news_query_shows_them(self):
        formats = {r["format"]: r["ids"] for r in shell(
            "SELECT hex(substr(text_z, 1, 1)) AS format, json_group_array(id) AS ids"
            " FROM article_text GROUP BY 1").rows}
        self.assertEqual(sorted(formats), ["01", "02"])
        plain, with_dict = json.loads(formats["01"]), json.loads(formats["02"])
        self.assertEqual(len(plain) + len(with_dict), 408)
        ids = plain + with_dict[:3] + with_dict[-2:]
        docs = shell("SELECT id, title, body FROM article_doc"
                     f" WHERE id IN ({','.join(map(str, ids))})").rows
        self.assertEqual(len(docs), len(ids))
        for doc in docs:
            shown = json.loads(run("query", "--format", "json", "--show", str(doc["id"]), DB,
                                   check=0).out)
            self.assertEqual((doc["title"], doc["body"]), (shown["title"], shown["text"]))
        # The same text straight from the table, under the function's own name.
        one = shell(f"SELECT news_text(text_z) AS text FROM article_text WHERE id = {ids[-1]}")
        self.assertEqual(one.rows[0]["text"], docs[-1]["body"])

    def test_search_ranks_and_highlights_as_news_query_does(self):
        fts, want = news_query("talks")
        got = shell(search_sql(fts)).rows
        self.assertSameHits(got, want)
        self.assertEqual(len(got), 3)
        self.assertEqual(got[0]["id"], want[0]["id"])
        self.assertIn("ceasefire **talks**", got[0]["snippet"])
        # Many matches of nearly equal length: the ranking, not the order of the rows.
        fts, want = news_query("harbour wind")
        self.assertGreater(len(want), 300)
        self.assertSameHits(shell(search_sql(fts)).rows, want)

    def test_the_readmes_search_leaves_out_superseded_versions_as_news_query_does(self):
        db = self.path("versions.db")
        def record(text):
            return json.dumps({"id": "1", "title": "Harbour report", "body": text}) + "\n"
        news = self.write("news.jsonl", record("The harbour wall was repaired by the town."))
        run("index", "--quiet", db, news, check=0)
        self.write("news.jsonl", record("The harbour wall was repaired by the whole town."))
        run("index", "--quiet", db, news, check=0)
        readme = ("SELECT a.id FROM article_fts JOIN article AS a ON a.id = article_fts.rowid"
                  " WHERE article_fts MATCH 'harbour' AND rank MATCH 'news_rank()'{}"
                  " ORDER BY rank LIMIT 10")
        def ids(*options):
            out = run("query", "-f", "json", *options, db, "harbour", check=0).out
            return sorted(json.loads(line)["id"] for line in out.splitlines())
        current = [r["id"] for r in shell(readme.format(" AND a.superseded_by IS NULL"),
                                          db=db).rows]
        self.assertEqual(current, ids())
        self.assertEqual(len(current), 1)
        every = sorted(r["id"] for r in shell(readme.format(""), db=db).rows)
        self.assertEqual(every, ids("--all-versions"))
        self.assertEqual(len(every), 2)

    def test_the_other_auxiliary_functions(self):
        rows = shell("SELECT news_phrases(article_fts) AS phrases, news_stats(article_fts) AS"
                     " stats, news_terms(article_fts) AS terms FROM article_fts"
                     " WHERE article_fts MATCH 'ceasefire talks'").rows
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0]["phrases"], 2)
        stats = [int(n) for n in rows[0]["stats"].split()]
        self.assertEqual((len(stats), stats[0], stats[3], stats[4]), (5, 408, 1, 3))
        self.assertIn("ceasefir talk resum", rows[0]["terms"])  # stemmed, as indexed

    def test_without_the_extension_the_archive_does_not_read(self):
        err = shell("SELECT body FROM article_doc WHERE id = 1", load=False, check=1).stderr
        self.assertIn("no such function: news_text", err)
        err = shell(search_sql("talks"), load=False, check=1).stderr
        self.assertIn("no such function: news_rank", err)

    def test_damaged_text_is_an_sql_error(self):
        err = shell("SELECT news_text(x'020500000009000000aa')", check=1).stderr
        self.assertIn("preset dictionary 9 is missing or damaged", err)
        self.assertIn("unknown format", shell("SELECT news_text(x'07ff')", check=1).stderr)
        self.assertEqual(shell("SELECT news_text(NULL) AS t").rows, [{"t": None}])

    def test_python_loads_it(self):
        script = (
            "import json, sqlite3, sys\n"
            "con = sqlite3.connect(f'file:{sys.argv[1]}?mode=ro', uri=True)\n"
            "con.enable_load_extension(True)\n"
            "con.load_extension(sys.argv[2])\n"
            "con.enable_load_extension(False)\n"
            "doc = con.execute('SELECT title, body FROM article_doc WHERE id = 6').fetchone()\n"
            "hits = con.execute(sys.argv[3]).fetchall()\n"
            "print(json.dumps({'doc': doc, 'hits': hits}))\n")
        fts, want = news_query("ceasefire talks")
        proc = subprocess.run([PYTHON, "-c", script, DB, EXTENSION, search_sql(fts)],
                              capture_output=True, text=True, timeout=120)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        got = json.loads(proc.stdout)
        shown = json.loads(run("query", "--format", "json", "--show", "6", DB, check=0).out)
        self.assertEqual(got["doc"], [shown["title"], shown["text"]])
        self.assertSameHits([dict(zip(("id", "score", "snippet"), h)) for h in got["hits"]],
                            want)
        self.assertIn("**ceasefire** **talks**", got["hits"][0][2])

    def test_sqlite_comes_from_the_loading_program(self):
        """Only the entry point is exported, and no sqlite3_* function is imported: every
        call goes through the routines the loading program passes in."""
        defined = subprocess.run([NM, "-D", "--defined-only", EXTENSION], capture_output=True,
                                 text=True, check=True).stdout.split()
        undefined = subprocess.run([NM, "-D", "--undefined-only", EXTENSION],
                                   capture_output=True, text=True, check=True).stdout.split()
        self.assertIn("sqlite3_newsext_init", defined)
        self.assertEqual([s for s in defined if s.startswith(("sqlite3", "codec", "rank"))],
                         ["sqlite3_newsext_init"])
        self.assertEqual([s for s in undefined if s.startswith("sqlite3")], [])
        self.assertIn("inflate", undefined)


if __name__ == "__main__":
    missing = [what for what, have in (("the sqlite3 shell", SQLITE3), ("nm", NM),
                                       ("a Python that can load SQLite extensions", PYTHON))
               if not have]
    if missing:
        print(f"skipped: missing {', '.join(missing)}", file=sys.stderr)
        sys.exit(SKIP)
    main()
