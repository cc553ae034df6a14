"""End-to-end tests of how news-query shows matches: markers that the article's own text
cannot be taken for when piped, escapes on a terminal (a pseudo-terminal here) or when
asked, and JSON offsets that slice the matched words out of the plain snippet, on small
fixtures and on the BBC collection in ../shared/data when it is there."""
import json
import os
import pty
import re
import subprocess
import tempfile
import unittest

from common import SHARED_DATA, TIMEOUT, ArchiveTest, command, main, run

BBC_BUSINESS = os.path.join(SHARED_DATA, "bbc-news-2005", "articles", "business")

FIXTURES = [
    {"title": "Kremlin answers envoys", "date": "2025-02-18",
     "body": "[Russian president Vladimir] Putin said on Tuesday that talks could resume. "
             "Officials in Zürich offered a venue."},
    {"title": "Délégués à Zürich", "date": "2025-02-19",
     "body": "Les délégués à Zürich: «Les négociations» continuent. Talks in Zürich went on "
             "late, and the talk of a deal grew."},
]

_tmp = tempfile.TemporaryDirectory()
DB = os.path.join(_tmp.name, "fixtures.db")

ESCAPE = re.compile("\033\\[[0-9;]*m")


def setUpModule():
    lines = "".join(json.dumps(f, ensure_ascii=False) + "\n" for f in FIXTURES)
    run("index", DB, "-", stdin=lines.encode("utf-8"), check=0)


def tearDownModule():
    _tmp.cleanup()


def on_terminal(*args, env=None):
    """Runs news-query with stdout on a pseudo-terminal, NO_COLOR unset unless env sets it;
    returns (exit code, stdout text with the terminal's CR LF line ends made LF)."""
    master, slave = pty.openpty()
    environ = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    proc = subprocess.Popen(command("query", *args), stdout=slave, stderr=subprocess.DEVNULL,
                            env={**environ, **(env or {})})
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the other end is closed
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    code = proc.wait(timeout=TIMEOUT)
    return code, b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


def json_rows(*args, db=DB):
    """Every match as JSON; args are options, then the query (ending them with "--" names
    the archives, in place of db)."""
    archives = [] if "--" in args else [db]
    out = run("query", "--format", "json", "--limit", "0", *args[:-1], *archives, args[-1],
              check=0).out
    return [json.loads(line) for line in out.splitlines()]


class HighlightTest(ArchiveTest):
    def test_piped_text_marks_matches_apart_from_the_articles_brackets(self):
        out = run("query", DB, "Putin", check=0).out
        self.assertIn("[Russian president Vladimir] **Putin** said", out)
        self.assertIsNone(ESCAPE.search(out))
        out = run("query", DB, '"talks could resume"', check=0).out
        self.assertIn("that **talks could resume**.", out)  # a phrase is one highlight

    def test_color_always_writes_escapes_into_a_pipe(self):
        out = run("query", "--color", "always", DB, "Putin", check=0).out
        self.assertIn("[Russian president Vladimir] \033[1;31mPutin\033[0m said", out)
        self.assertIn("\033[1mKremlin answers envoys\033[0m", out)
        self.assertNotIn("**", out)
        # Escapes are for text only: JSON keeps plain markers whatever --color says.
        row = json_rows("--color", "always", "Putin")[0]
        self.assertIsNone(ESCAPE.search(row["snippet"]))
        self.assertIn("**Putin**", row["snippet"])
        run("query", "--color", "sometimes", DB, "Putin", check=2)

    def test_a_terminal_gets_escapes_unless_told_otherwise(self):
        code, out = on_terminal(DB, "Putin")
        self.assertEqual(code, 0)
        self.assertIn("\033[1;31mPutin\033[0m", out)
        code, out = on_terminal("--color", "never", DB, "Putin")
        self.assertEqual(code, 0)
        self.assertIn("**Putin**", out)
        self.assertIsNone(ESCAPE.search(out))

    def test_no_color_keeps_a_terminal_plain_unless_color_is_asked_for(self):
        code, out = on_terminal(DB, "Putin", env={"NO_COLOR": "1"})
        self.assertEqual(code, 0)
        self.assertIn("[Russian president Vladimir] **Putin** said", out)
        self.assertIsNone(ESCAPE.search(out))
        # Set but empty is as unset (no-color.org).
        code, out = on_terminal(DB, "Putin", env={"NO_COLOR": ""})
        self.assertIn("\033[1;31mPutin\033[0m", out)
        # An explicit --color always wins over NO_COLOR.
        code, out = on_terminal("--color", "always", DB, "Putin", env={"NO_COLOR": "1"})
        self.assertIn("\033[1;31mPutin\033[0m", out)
        # Bars are characters, not colour: NO_COLOR leaves them.
        code, out = on_terminal("--facet", "source", DB, "Putin", env={"NO_COLOR": "1"})
        self.assertIn("\u2588" * 40, out)

    def test_highlight_chooses_the_markers_in_every_format(self):
        html = ("--highlight", "<b>,</b>")
        out = run("query", *html, DB, "Putin", check=0).out
        self.assertIn("[Russian president Vladimir] <b>Putin</b> said", out)
        self.assertNotIn("**", out)
        row = json_rows(*html, "Putin")[0]
        self.assertIn("<b>Putin</b>", row["snippet"])
        self.assertEqual(marked(row["snippet_text"], row["matches"], "<b>", "</b>"),
                         row["snippet"])
        out = run("query", "--format", "csv", *html, DB, "Putin", check=0).out
        self.assertIn("<b>Putin</b>", out)
        # In place of the escapes too; a terminal still gets its bold title.
        out = run("query", "--color", "always", *html, DB, "Putin", check=0).out
        self.assertIn("] <b>Putin</b> said", out)
        self.assertIn("\033[1mKremlin answers envoys\033[0m", out)
        self.assertNotIn("\033[1;31m", out)
        code, out = on_terminal(*html, DB, "Putin")
        self.assertEqual(code, 0)
        self.assertIn("] <b>Putin</b> said", out)
        # The brackets of earlier versions, for scripts that want them.
        self.assertIn("] [Putin] said", run("query", "--highlight", "[,]", DB, "Putin",
                                            check=0).out)

    def test_bad_highlight_is_a_usage_error(self):
        for bad, message in (("<b>", "two markers and one comma"),
                             ("<b>,</b>,", "two markers and one comma"),
                             (",</b>", "OPEN is empty"),
                             ("x" * 33 + ",y", "at most 32 bytes"),
                             ("\x01,y", "no control character but ESC")):
            proc = run("query", "--highlight", bad, DB, "Putin", check=2)
            self.assertIn(message, proc.err)
            self.assertTrue(proc.err.startswith("news-query: --highlight"), proc.err)
            self.assertIn("Try 'news-query --help'", proc.err)
            self.assertEqual(proc.out, "")
        self.assertIn("--highlight", run("query", "--help", check=0).out)

    def test_json_offsets_slice_out_the_matched_words(self):
        rows = json_rows("--any", "--fragments", "3", "zurich talks")
        self.assertEqual(len(rows), 2)
        after_multibyte = 0
        for row in rows:
            text, matches = row["snippet_text"], row["matches"]
            self.assertGreater(len(matches), 1)
            for start, end in matches:
                self.assertIn(text[start:end].lower(), {"zürich", "talks", "talk"})
                after_multibyte += any(ord(c) > 127 for c in text[:start])
            self.assertEqual(marked(text, matches), row["snippet"])
            self.assertNotIn("**", text)
        self.assertGreater(after_multibyte, 0)

    def test_several_archives_show_matches_alike(self):
        other = self.path("other.db")
        doc = {"title": "Envoys in Zürich", "body": "In Zürich, «Putin» was all anyone said."}
        run("index", other, "-", stdin=(json.dumps(doc, ensure_ascii=False) + "\n").encode(),
            check=0)
        out = run("query", DB, other, "--", "Putin", check=0).out
        self.assertIn("[Russian president Vladimir] **Putin** said", out)
        self.assertIn("In Zürich, «**Putin**» was", out)
        rows = json_rows("--highlight", "<,>", DB, other, "--", "Putin")
        self.assertEqual(len(rows), 2)
        for row in rows:
            self.assertEqual([row["snippet_text"][a:b] for a, b in row["matches"]], ["Putin"])
            self.assertEqual(marked(row["snippet_text"], row["matches"], "<", ">"),
                             row["snippet"])

    def test_json_snippet_without_matches_has_none(self):
        row = json_rows("title:Kremlin")[0]
        self.assertEqual(row["matches"], [])
        self.assertEqual(row["snippet_text"], row["snippet"])
        self.assertIn("[Russian president Vladimir] Putin", row["snippet_text"])
        # The new fields come last, after every field there was before.
        self.assertEqual(list(row)[-4:], ["date_kind", "snippet_text", "matches", "title_derived"])


def marked(text, matches, open_="**", close="**"):
    """text with each match between markers, as news-query's snippet field has it."""
    out, at = [], 0
    for start, end in matches:
        out += [text[at:start], open_, text[start:end], close]
        at = end
    return "".join(out + [text[at:]])


@unittest.skipUnless(os.path.isdir(BBC_BUSINESS), f"no BBC articles in {BBC_BUSINESS}")
class BbcHighlightTest(ArchiveTest):
    def test_offsets_slice_out_the_matches_in_real_news(self):
        db = self.path("bbc.db")
        run("index", "--quiet", db, BBC_BUSINESS, check=0)
        # Business news is full of "£", two bytes in UTF-8, before the matches.
        after_pound = 0
        for query, stem in (("profits", "profit"), ("banks", "bank"), ("prices", "pric"),
                            ("shares", "shar")):
            rows = json_rows("--fragments", "2", query, db=db)
            self.assertGreater(len(rows), 10, query)
            for row in rows:
                text = row["snippet_text"]
                for start, end in row["matches"]:
                    self.assertRegex(text[start:end].lower(), rf"^{stem}\w*$", row["id"])
                    after_pound += "£" in text[:start]
                self.assertEqual(marked(text, row["matches"]), row["snippet"], row["id"])
        self.assertGreater(after_pound, 0)  # some are: byte offsets would miss them


if __name__ == "__main__":
    main()
