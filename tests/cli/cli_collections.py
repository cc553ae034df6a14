"""Every collection in ../shared/data loaded into one archive, in two orders (skipped,
visibly, when the data is absent): no record of one collection is taken for a version of
another's, every feed item with a guid of its own and every HTML page captured by the web
archives is stored, the archive is whole, and it holds exactly the distinct articles of the
collections loaded one by one. What is expected is read from the files here, with Python's
own parsers, not from news-index."""
import os
import re
import sqlite3
import unittest
import xml.etree.ElementTree as ET

from common import SHARED_DATA, ArchiveTest, arc_pages, main, run, warc_pages

DATA = os.path.realpath(SHARED_DATA)
COLLECTIONS = sorted(n for n in os.listdir(DATA) if os.path.isdir(os.path.join(DATA, n))) \
    if os.path.isdir(DATA) else []


def files_under(top, suffixes):
    return sorted(os.path.join(d, n) for d, _, names in os.walk(top) for n in names
                  if n.endswith(suffixes) and not n.startswith("."))


def local(tag):
    return tag.rsplit("}", 1)[-1]


def feed_guids():
    """(feed path, guid) of every item or entry, with a title or some text, whose guid (Atom:
    id) no other item of its feed has, in every well-formed RSS or Atom file."""
    wanted = set()
    for path in files_under(os.path.join(DATA, "rss-atom-feed-samples"),
                            (".xml", ".rss", ".atom", ".rdf")):
        try:
            with open(path, "rb") as f:
                root = ET.fromstring(f.read().lstrip())
        except ET.ParseError:
            continue
        if local(root.tag) not in ("rss", "feed"):
            continue
        items = [e for e in root.iter() if local(e.tag) in ("item", "entry")]
        found = []
        for item in items:
            fields = {local(c.tag): (c.text or "").strip() for c in item}
            guid = fields.get("guid") or fields.get("id")
            text = any(fields.get(k) for k in ("title", "description", "encoded", "summary",
                                               "content"))
            if guid and text:
                found.append(guid)
        wanted |= {(path, g) for g in found if found.count(g) == 1}
    return wanted


def groupings(db):
    """The archive's articles as the input records each was stored from, by collection:
    {collection: {frozenset of (path, record), ...}}, and the number of articles. Cleaning
    learns lines that recur across the articles of a load, so an article's stored text (and
    hash) may differ with what else was loaded; which records make one article must not."""
    articles = articles_records(db)
    out = {}
    for records in articles:
        for c in {collection_of(p) for p, _ in records}:
            out.setdefault(c, set()).add(frozenset(r for r in records if collection_of(r[0]) == c))
    return out, len(articles)


def articles_records(db):
    """The (path, record) pairs of each article."""
    by_article = {}
    for article, path, record in query(db, "SELECT article_id, path, record FROM provenance"):
        by_article.setdefault(article, set()).add((path, record))
    return list(by_article.values())


def query(db, sql):
    con = sqlite3.connect(db)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def collection_of(path):
    return os.path.relpath(path, DATA).split(os.sep)[0]


@unittest.skipUnless(COLLECTIONS, f"no shared data in {DATA}")
class CollectionsTest(ArchiveTest):
    def load(self, name, *inputs):
        db = self.path(name)
        proc = run("index", db, *inputs)
        self.assertIn(proc.returncode, (0, 1), proc.err)  # some files are rejected, rightly
        return db, proc.err

    def test_every_collection_together_in_two_orders(self):
        alone, counts, apart = {}, {}, 0
        for c in COLLECTIONS:
            db, err = self.load(f"alone-{c}.db", os.path.join(DATA, c))
            grouped, counts[c] = groupings(db)
            alone[c] = grouped.get(c, set())
            apart += int(m.group(1)) if (m := re.search(r"apart:\s+(\d+)", err)) else 0
        orders = {"forward": COLLECTIONS, "backward": COLLECTIONS[::-1]}
        for order, names in orders.items():
            with self.subTest(order=order):
                db, err = self.load(f"{order}.db", *(os.path.join(DATA, c) for c in names))
                self.check_together(db, err, alone, sum(counts.values()), apart)

    def check_together(self, db, err, alone, own_counts, apart):
        # Each collection's records make the same articles as when it is loaded alone, and
        # the archive holds the collections' own counts less the articles found in more
        # than one collection (true duplicates).
        together, count = groupings(db)
        for c in COLLECTIONS:
            self.assertEqual(together.get(c, set()), alone[c], c)
        shared = sum(len({collection_of(p) for p, _ in records}) - 1
                     for records in articles_records(db))
        self.assertEqual(count, own_counts - shared)
        self.assertNotIn("conflict", err)
        together_apart = int(m.group(1)) if (m := re.search(r"apart:\s+(\d+)", err)) else 0
        self.assertEqual(together_apart, apart, err)  # none between collections
        # A version and its first version come from one collection.
        for path, first_path in query(
                db, "SELECT (SELECT min(path) FROM provenance WHERE article_id = a.id),"
                    " (SELECT min(path) FROM provenance WHERE article_id = a.version_of)"
                    " FROM article AS a WHERE a.version_of IS NOT NULL"):
            self.assertEqual(collection_of(path), collection_of(first_path), (path, first_path))
        # Every feed item with a guid of its own is stored (or is a copy of one that is).
        stored = set(query(db, "SELECT path, source_id FROM provenance"))
        missing = feed_guids() - stored
        self.assertEqual(missing, set(), sorted(missing)[:5])
        # Every HTML page captured in a WARC or ARC file has its record.
        archives = files_under(os.path.join(DATA, "ukwa-warc-test-corpus"),
                               (".warc", ".warc.gz", ".arc", ".arc.gz"))
        self.assertGreaterEqual(len(archives), 7)
        for path in archives:
            ((records,),) = query(db, "SELECT count(*) FROM provenance WHERE path = '"
                                  + path.replace("'", "''") + "'")
            pages = arc_pages(path) if ".arc" in path else warc_pages(path)
            self.assertGreater(pages, 0, path)
            self.assertEqual(records, pages, path)
        run("index", "--check", "--quiet", db, check=0)


if __name__ == "__main__":
    main()
