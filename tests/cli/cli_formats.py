"""End-to-end tests of every input format news-index recognises, on small inputs written
here, and of hostile input: each must be read, or refused with a clear message, never
crash, hang or read outside its input."""
import gzip
import io
import json
import os
import tarfile

from common import ArchiveTest, main, run

PAGE = """<!DOCTYPE html>
<html lang="en-GB"><head>
<meta charset="utf-8">
<title>Harbour wall repaired after storm | The Kelby Gazette</title>
<meta property="og:title" content="Harbour wall repaired after storm">
<meta property="og:site_name" content="The Kelby Gazette">
<meta property="article:published_time" content="2024-11-02T08:15:00Z">
<meta name="author" content="Ann Reporter">
<link rel="canonical" href="https://gazette.example/2024/11/02/harbour-wall">
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li>
<li><a href="/sport">Sport</a></li></ul></nav>
<div class="cookie-banner">We use cookies to improve your experience. Accept all</div>
<article>
<h1>Harbour wall repaired after storm</h1>
<p>Engineers finished repairs to the harbour wall on Friday, three weeks after a winter
storm tore a twenty-metre gap in the old stonework and flooded the fish market.</p>
<p>The council said the work cost less than feared because volunteers helped to clear the
rubble, and that the market would reopen on Monday with its usual stalls.</p>
<p>Fishermen, who had moored their boats in the next bay while the wall was open, said they
were relieved to be home before the spring tides, which are expected later this month.</p>
<div class="share-bar"><a href="#">Share on Facebook</a> <a href="#">Share on X</a></div>
</article>
<aside class="related"><h3>Related stories</h3><ul><li><a href="/a">Storm closes road</a></li>
<li><a href="/b">Market traders count the cost</a></li></ul></aside>
<footer>Copyright 2024 The Kelby Gazette. All rights reserved.</footer>
</body></html>
"""

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Kelby Gazette</title><link>https://gazette.example/</link>
<item><title>Ferry timetable changes</title><link>https://gazette.example/ferry</link>
<guid>gazette-ferry-1</guid><pubDate>Tue, 05 Nov 2024 09:00:00 GMT</pubDate>
<dc:creator>Ben Writer</dc:creator>
<description>Short summary.</description>
<content:encoded><![CDATA[<p>The winter ferry timetable starts on Monday, with two fewer
sailings a day.</p><p>The operator blamed a shortage of crew.</p>]]></content:encoded></item>
<item><title>Library opening hours extended</title><link>https://gazette.example/library</link>
<pubDate>Wed, 06 Nov 2024 10:00:00 +0100</pubDate>
<description>&lt;p&gt;The library will open on Sundays from next month.&lt;/p&gt;</description>
</item>
</channel></rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Example Wire</title>
<entry><title>Grain talks resume</title><id>urn:wire:1</id>
<link href="https://wire.example/grain"/><published>2025-01-10T12:00:00Z</published>
<author><name>C. Correspondent</name></author>
<content type="html">&lt;p&gt;Negotiators met again on Friday to discuss grain shipments.&lt;/p&gt;</content>
</entry></feed>
"""

NEWSML = """<?xml version="1.0" encoding="UTF-8"?>
<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:newsml:example.com:20250110:1"
  version="1" standard="NewsML-G2" standardversion="2.29" xml:lang="en">
 <itemMeta><itemClass qcode="ninat:text"/><provider qcode="nprov:EXAMPLE"/>
  <versionCreated>2025-01-10T15:00:00Z</versionCreated></itemMeta>
 <contentMeta><contentCreated>2025-01-10T14:30:00Z</contentCreated>
  <headline>Bridge reopens after inspection</headline><by>Dee Desk</by></contentMeta>
 <contentSet><inlineXML contenttype="application/nitf+xml">
  <nitf xmlns="http://iptc.org/std/NITF/2006-10-18/"><body><body.head><hedline>
  <hl1>Bridge reopens after inspection</hl1></hedline></body.head><body.content>
  <p>The river bridge reopened to traffic on Friday after engineers found no damage.</p>
  <p>Buses will return to their usual routes from Saturday.</p>
  </body.content></body></nitf></inlineXML></contentSet>
</newsItem>
"""

REUTERS = """<!DOCTYPE lewis SYSTEM "lewis.dtd">
<REUTERS TOPICS="YES" LEWISSPLIT="TRAIN" CGISPLIT="TRAINING-SET" OLDID="5544" NEWID="1">
<DATE>26-FEB-1987 15:01:01.79</DATE>
<TOPICS><D>cocoa</D></TOPICS>
<PLACES><D>el-salvador</D><D>usa</D></PLACES>
<PEOPLE></PEOPLE><ORGS></ORGS><EXCHANGES></EXCHANGES><COMPANIES></COMPANIES>
<UNKNOWN>&#5;&#5;&#5;C T
&#22;&#22;&#1;f0704&#31;reute
u f BC-BAHIA-COCOA-REVIEW   02-26 0105</UNKNOWN>
<TEXT>&#2;
<TITLE>EXAMPLE COCOA REVIEW</TITLE>
<DATELINE>    SALVADOR, Feb 26 - </DATELINE><BODY>Showers continued throughout the week in
the example cocoa zone, alleviating the drought since early
January and improving prospects for the coming temporao.
    Arrivals &lt;of cocoa> were steady, traders said.
 Reuter
&#3;</BODY></TEXT>
</REUTERS>
<REUTERS TOPICS="NO" LEWISSPLIT="TRAIN" CGISPLIT="TRAINING-SET" OLDID="5545" NEWID="2">
<DATE>26-FEB-1987 15:02:20.00</DATE>
<TOPICS></TOPICS><PLACES><D>usa</D></PLACES><PEOPLE></PEOPLE><ORGS></ORGS>
<EXCHANGES></EXCHANGES><COMPANIES></COMPANIES>
<TEXT>&#2;
<TITLE>EXAMPLE CORP SETS DIVIDEND</TITLE>
<DATELINE>    NEW YORK, Feb 26 - </DATELINE><BODY>Example Corp said its board declared a
quarterly dividend of ten cts a share.
 Reuter
&#3;</BODY></TEXT>
</REUTERS>
"""

TREC = """<DOC>
<DOCNO> EX940101-0001 </DOCNO>
<DATE>January 1, 1994</DATE>
<HEADLINE><P>City council approves new budget</P></HEADLINE>
<BYLINE>By Eve Example</BYLINE>
<SECTION>Metro</SECTION>
<TEXT>
<P>The city council approved the budget late on Friday after a long debate.</P>
<P>Spending on parks rises by a tenth.</P>
</TEXT>
</DOC>
"""


def warc_record(kind, uri, payload, date="2024-11-02T10:00:00Z", rid="1"):
    head = (f"WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\n"
            f"WARC-Date: {date}\r\nWARC-Record-ID: <urn:uuid:0000-{rid}>\r\n"
            f"Content-Type: application/http; msgtype={kind}\r\n"
            f"Content-Length: {len(payload)}\r\n\r\n").encode()
    return head + payload + b"\r\n\r\n"


def http_response(body, ctype="text/html; charset=utf-8", status="200 OK"):
    return (f"HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode() + body


def tar_member(name, data, kind=b"0"):
    """One tar member written by hand, for headers tarfile will not write."""
    head = bytearray(512)
    head[0:len(name)] = name.encode()
    for offset, field in ((100, b"0000644"), (108, b"0000000"), (116, b"0000000"),
                          (124, b"%011o" % len(data)), (136, b"00000000000")):
        head[offset:offset + len(field)] = field
    head[156:157] = kind
    head[257:263] = b"ustar\0"
    head[263:265] = b"00"
    head[148:156] = b" " * 8
    head[148:156] = b"%06o\0 " % sum(head)
    return bytes(head) + data + b"\0" * (-len(data) % 512)


def show(db, article_id):
    return json.loads(run("query", "-f", "json", "--show", str(article_id), db, check=0).out)


def all_articles(db):
    """Every article of the archive, by id."""
    arts = []
    while True:
        proc = run("query", "-f", "json", "--show", str(len(arts) + 1), db)
        if proc.returncode != 0:
            return arts
        arts.append(json.loads(proc.out))


class FormatTest(ArchiveTest):
    def index(self, *paths, check=0):
        db = self.path("news.db")
        return db, run("index", db, *paths, check=check)

    def test_html_page(self):
        db, proc = self.index(self.write("page.html", PAGE))
        art = show(db, 1)
        self.assertEqual(art["title"], "Harbour wall repaired after storm")
        self.assertEqual(art["date"], "2024-11-02T08:15:00Z")
        self.assertEqual(art["byline"], "Ann Reporter")
        self.assertEqual(art["url"], "https://gazette.example/2024/11/02/harbour-wall")
        self.assertEqual(art["source"], "The Kelby Gazette")
        self.assertEqual(art["lang"], "en-GB")
        self.assertIn("Engineers finished repairs", art["text"])
        self.assertIn("spring tides", art["text"])
        for junk in ("Home", "cookies", "Share on", "Related stories", "Copyright"):
            self.assertNotIn(junk, art["text"])

    def test_html_charset_windows_1252(self):
        page = PAGE.replace('charset="utf-8"', 'charset="iso-8859-1"').replace(
            "Engineers finished", "\u201cEngineers\u201d finished")
        db, _ = self.index(self.write("latin.html", page.encode("cp1252")))
        self.assertIn("\u201cEngineers\u201d finished", show(db, 1)["text"])

    def test_feeds(self):
        db, proc = self.index(self.write("rss.xml", RSS), self.write("atom.xml", ATOM))
        self.assertIn("added:      3 articles", proc.err)
        arts = {a["title"]: a for a in all_articles(db)}
        ferry = arts["Ferry timetable changes"]
        self.assertEqual(ferry["url"], "https://gazette.example/ferry")
        self.assertEqual(ferry["source_id"], "gazette-ferry-1")
        self.assertEqual(ferry["date"], "2024-11-05T09:00:00Z")
        self.assertEqual(ferry["byline"], "Ben Writer")
        self.assertIn("two fewer sailings", ferry["text"])
        self.assertNotIn("<p>", ferry["text"])
        self.assertIn("open on Sundays", arts["Library opening hours extended"]["text"])
        grain = arts["Grain talks resume"]
        self.assertEqual(grain["byline"], "C. Correspondent")
        self.assertEqual(grain["date"], "2025-01-10T12:00:00Z")
        self.assertEqual([p["record"] for p in ferry["provenance"]], [1])

    def test_json_documents(self):
        array = json.dumps([{"title": "First of the export", "body": "One."},
                            {"title": "Second of the export", "body": "Two."}, "stray"],
                           indent=2)
        feed = json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "Blog",
                           "items": [{"id": "post-1", "title": "A feed item",
                                      "content_text": "Plain text.", "summary": "Text here.",
                                      "date_published": "2024-03-01T10:00:00Z"}]}, indent=2)
        single = json.dumps({"headline": "One pretty-printed article", "text": "Its text."},
                            indent=4)
        db, proc = self.index(self.write("export.json", array), self.write("feed.json", feed),
                              self.write("one.json", single), check=1)
        self.assertIn("export.json: record 3: not a JSON object", proc.err)
        self.assertIn("added:      4 articles", proc.err)
        titles = {a["title"]: a for a in all_articles(db)}
        self.assertEqual(titles["A feed item"]["source_id"], "post-1")
        self.assertEqual(titles["A feed item"]["date"], "2024-03-01T10:00:00Z")
        self.assertEqual(titles["Second of the export"]["provenance"][0]["record"], 2)
        self.assertIn("One pretty-printed article", titles)

    def test_newsml(self):
        db, proc = self.index(self.write("item.xml", NEWSML))
        art = show(db, 1)
        self.assertEqual(art["title"], "Bridge reopens after inspection")
        self.assertEqual(art["source_id"], "urn:newsml:example.com:20250110:1")
        self.assertIn("no damage", art["text"])
        self.assertEqual(art["date"][:10], "2025-01-10")

    def test_reuters_and_trec(self):
        db, proc = self.index(self.write("reut2-x.sgm", REUTERS), self.write("trec.txt", TREC))
        self.assertIn("added:      3 articles", proc.err)
        arts = {a["source_id"]: a for a in all_articles(db)}
        cocoa = arts["1"]
        self.assertEqual(cocoa["date"], "1987-02-26T15:01:01Z")
        self.assertEqual(cocoa["title"], "EXAMPLE COCOA REVIEW")
        self.assertEqual(cocoa["meta"]["topics"], ["cocoa"])
        self.assertEqual(cocoa["meta"]["places"], ["el-salvador", "usa"])
        self.assertIn("Arrivals <of cocoa> were steady", cocoa["text"])
        self.assertNotIn("\x03", cocoa["text"])
        trec = arts["EX940101-0001"]
        self.assertEqual(trec["title"], "City council approves new budget")
        self.assertEqual(trec["date"], "1994-01-01")
        self.assertIn("parks", trec["text"])

    def test_warc_plain_and_gzip_per_record(self):
        records = [
            b"WARC/1.0\r\nWARC-Type: warcinfo\r\nWARC-Record-ID: <urn:uuid:info>\r\n"
            b"Content-Type: application/warc-fields\r\nContent-Length: 12\r\n\r\nsoftware: x\n"
            b"\r\n\r\n",
            warc_record("request", "https://gazette.example/a", b"GET /a HTTP/1.1\r\n\r\n"),
            warc_record("response", "https://gazette.example/a", http_response(PAGE.encode()),
                        rid="2"),
            warc_record("response", "https://gazette.example/logo.png",
                        http_response(b"\x89PNG....", "image/png"), rid="3"),
            warc_record("response", "https://gazette.example/gone",
                        http_response(b"<html>gone</html>", status="404 Not Found"), rid="4"),
        ]
        plain = self.write("crawl.warc", b"".join(records))
        gz = self.write("crawl2.warc.gz", b"".join(gzip.compress(r.replace(b"0000-2", b"0000-9"))
                                                   for r in records))
        db, proc = self.index(plain)
        self.assertIn("added:      1 articles", proc.err)
        self.assertIn("skipped:    4", proc.err)
        art = show(db, 1)
        self.assertEqual(art["title"], "Harbour wall repaired after storm")
        self.assertEqual(art["source_id"], "urn:uuid:0000-2")
        self.assertEqual(art["meta"]["crawled"], "2024-11-02T10:00:00Z")
        self.assertEqual(art["provenance"][0]["offset"], len(records[0]) + len(records[1]))
        proc = run("index", db, gz, check=0)
        self.assertIn("duplicates: 1 skipped", proc.err)  # same page, other crawl

    def test_warc_record_over_the_limit_is_passed_over(self):
        big = warc_record("resource", "https://gazette.example/video", b"x" * (40 << 20))
        page = warc_record("response", "https://gazette.example/a", http_response(PAGE.encode()))
        db, proc = self.index(self.write("big.warc", big + page))
        self.assertIn("skipped:    1", proc.err)
        self.assertEqual(show(db, 1)["provenance"][0]["offset"], len(big))

    def test_broken_warc_record_is_reported_and_the_rest_read(self):
        good = warc_record("response", "https://gazette.example/a", http_response(PAGE.encode()))
        bad = b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: twelve\r\n\r\n0123456789ab\r\n\r\n"
        path = self.write("mixed.warc", bad + good)
        db, proc = self.index(path, check=1)
        self.assertIn("Content-Length", proc.err)
        self.assertIn("added:      1 articles", proc.err)

    def test_tar_gz_of_mixed_formats(self):
        buf = io.BytesIO()
        with tarfile.open(fileobj=buf, mode="w:gz") as tar:
            for name, data in (("monthly/page.html", PAGE), ("monthly/feed.xml", RSS),
                               ("monthly/wire.sgm", REUTERS), ("monthly/deep/trec", TREC)):
                info = tarfile.TarInfo(name)
                info.size = len(data.encode())
                tar.addfile(info, io.BytesIO(data.encode()))
        path = self.write("1994-01.tgz", buf.getvalue())
        db, proc = self.index(path)
        self.assertIn("added:      6 articles", proc.err)
        paths = {p["path"] for a in all_articles(db) for p in a["provenance"]}
        self.assertIn(os.path.realpath(path) + ":monthly/feed.xml", paths)

    def test_tar_read_in_short_pieces(self):
        # Stored, not compressed: gzip's 64 KiB reads of compressed input then end inside a
        # member's padding, which arrives in two pieces, as it may from a pipe.
        buf = io.BytesIO()
        with tarfile.open(fileobj=buf, mode="w", format=tarfile.USTAR_FORMAT) as tar:
            for i in range(100):
                data = f"Story {i}\n\nThe harbour committee met for the {i}th time.\n".encode()
                info = tarfile.TarInfo(f"story{i}.txt")
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
        path = self.write("stories.tar.gz", gzip.compress(buf.getvalue(), compresslevel=0))
        db, proc = self.index(path)
        self.assertIn("added:      100 articles", proc.err)

    def test_tar_pax_path_records(self):
        # A pax record names the next member; one too short for its value, or of an absurd
        # length, names nothing.
        cases = ((b"9 path=x\n", "x"), (b"18 path=long/name\n", "long/name"),
                 (b"5 path=abcdef\n", "story.txt"),
                 (b"99999999999999999999 path=x\n", "story.txt"))
        data = b"Harbour works approved\n\nThe council approved the works.\n"
        for i, (pax, name) in enumerate(cases):
            with self.subTest(pax=pax):
                tar = tar_member("PaxHeader", pax, b"x") + tar_member("story.txt", data)
                path = self.write(f"pax{i}.tar", tar + b"\0" * 1024)
                db = self.path(f"pax{i}.db")
                run("index", db, path, check=0)
                paths = {p["path"] for a in all_articles(db) for p in a["provenance"]}
                self.assertEqual(paths, {os.path.realpath(path) + ":" + name})

    def test_hostile_input(self):
        xxe = ('<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
               '<rss version="2.0"><channel><title>t</title><item><title>Item &x;</title>'
               '<description>Body text &x; here.</description></item></channel></rss>')
        bomb = ('<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa">'
                + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'
                          for i in range(9))
                + ']><rss version="2.0"><channel><title>t</title><item><title>&j;</title>'
                  '<description>x</description></item></channel></rss>')
        nested = "<html><body>" + "<div>" * 100000 + "deep text" + "</div>" * 100000 + "</body></html>"
        nested_xml = ('<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item>'
                      + "<x>" * 100000 + "</x>" * 100000 + "<title>n</title></item></channel></rss>")
        paths = [self.write("xxe.xml", xxe), self.write("bomb.xml", bomb),
                 self.write("nested.html", nested), self.write("nested.xml", nested_xml)]
        db, proc = self.index(*paths, check=None)
        self.assertIn(proc.returncode, (0, 1), proc.err)
        self.assertNotIn("Traceback", proc.err)
        out = run("query", "-f", "json", "-n", "0", "--any", db, "root OR bin OR item OR deep",
                  check=None).out
        self.assertNotIn("root:", out)
        self.assertNotIn("/bin/", out)

    def test_huge_record_without_newline(self):
        huge = b"{" + b"x" * (200 << 20)  # 200 MB, no newline: one overlong JSON line
        db = self.path("news.db")
        proc = run("index", db, "-", stdin=huge + b"\n" + json.dumps(
            {"title": "After the long line", "body": "Still read."}).encode() + b"\n", check=1)
        self.assertIn("longer than 32 MiB", proc.err)
        self.assertIn("added:      1 articles", proc.err)
        proc = run("index", "--format", "text", db, "-", stdin=b"x" * (200 << 20), check=1)
        self.assertIn("too large", proc.err)


if __name__ == "__main__":
    main()
