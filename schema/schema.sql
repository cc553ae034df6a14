-- The news archive: one SQLite file shared by news-index (writes) and news-query (reads).
-- This file is the only copy of the schema; both tools embed it at build time.
-- An archive is recognised by application_id 0x4E455753 ('NEWS'); user_version is the
-- schema version below. Bump it, and add the step from the previous version to the
-- migrations in archive.c, whenever this changes.
PRAGMA application_id = 1313167187;
PRAGMA user_version = 7;

-- One row per distinct article: its metadata, kept small so that a search can read the
-- date, source and story of thousands of matches quickly. Its text is in article_text.
-- content_hash over the cleaned title and text is what makes exact duplicates collapse
-- into one row. Near-duplicates (wire copies:
-- the same story with a different byline, dateline or last paragraph) stay rows of their
-- own, linked by story: see simhash_block below.
-- Versions (two captures of one web address, or a corrected edition with the same own id)
-- are rows of their own too, linked by version_of; searches show the current one, the one
-- superseded_by no other.
CREATE TABLE article (
    id           INTEGER PRIMARY KEY,
    title        TEXT NOT NULL,
    date         TEXT,            -- ISO 8601: YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ (UTC)
    source       TEXT,            -- publication name
    byline       TEXT,
    url          TEXT,
    source_id    TEXT,            -- the record's own identifier (JSON id, DOCNO, NEWID...)
    lang         TEXT,            -- language tag as found (en, en-GB), or NULL
    meta         TEXT,            -- further metadata as a JSON object (topics, dateline...)
    text_bytes   INTEGER NOT NULL, -- size of the cleaned text in bytes
    content_hash BLOB NOT NULL UNIQUE, -- 16 bytes, hash of cleaned title + text
    simhash      INTEGER,         -- 64-bit SimHash of the text (simhash.h); NULL if too short
    story        INTEGER,         -- id of the first article of its copies; its own id if none
    identity     INTEGER,         -- what makes records versions of it (identity.h); NULL if nothing
    version_of   INTEGER,         -- id of its first stored version; NULL if it is the first or only
    superseded_by INTEGER,        -- id of a newer version; NULL for the current version
    date_kind    TEXT CHECK (date_kind IN ('captured')), -- NULL: the article's own date;
                                  -- 'captured': when a web archive captured the page
    title_derived INTEGER NOT NULL DEFAULT 0 CHECK (title_derived IN (0, 1))
                                  -- 1: the record had no title and title is the start of
                                  -- its text (title.h): shown but not indexed as a title
);
CREATE INDEX article_date ON article(date);
CREATE INDEX article_source ON article(source, date);
CREATE INDEX article_story ON article(story);
-- A new version of a stored article is recognised by its identity; the versions of an
-- article are found from its first; and searches leave out the few versions superseded.
CREATE INDEX article_identity ON article(identity) WHERE identity IS NOT NULL;
CREATE INDEX article_version_of ON article(version_of) WHERE version_of IS NOT NULL;
CREATE INDEX article_superseded ON article(superseded_by) WHERE superseded_by IS NOT NULL;

-- The cleaned text of each article, stored once, compressed by codec.c: a format byte,
-- the length, the id of the preset dictionary if one was used, and the zlib stream.
CREATE TABLE article_text (
    id     INTEGER PRIMARY KEY REFERENCES article(id),
    text_z BLOB NOT NULL
);

-- Preset dictionaries for zlib (codec.h): 32 KiB of text typical of the archive, trained
-- from the first articles loaded, so that each article compresses almost as well as the
-- whole archive would in one stream. New articles use the newest; every stored article
-- names the one it was compressed with, so older dictionaries stay as long as they are used.
CREATE TABLE dictionary (
    id         INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,     -- ISO 8601 UTC
    articles   INTEGER NOT NULL,  -- how many articles the sample held
    sample_bytes INTEGER NOT NULL, -- and how much text
    bytes      BLOB NOT NULL      -- at most 32768 bytes
);

-- The fingerprints of article.simhash in four 16-bit blocks: fingerprints within 3 bits of
-- each other share at least one block, so looking up the four blocks of a new article finds
-- every earlier article that may be a copy (story.c). Articles without a fingerprint have no
-- rows here and are never grouped. The fingerprint and story are copied from the article
-- (neither ever changes) so that a lookup reads this compact table only, not article rows
-- spread over the whole file. article_id has no REFERENCES clause: with one, every
-- article deleted (news-index --remove, --replace) would make SQLite scan the whole table
-- for rows pointing at it (0.15 s an article at 1,000,000); news-index --check finds
-- blocks without their article instead.
CREATE TABLE simhash_block (
    block_no   INTEGER NOT NULL,  -- 0 to 3: bits 16 * block_no and up of the fingerprint
    value      INTEGER NOT NULL,  -- those 16 bits, 0 to 65535
    article_id INTEGER NOT NULL,  -- article(id)
    simhash    INTEGER NOT NULL,  -- article.simhash
    story      INTEGER NOT NULL,  -- article.story
    PRIMARY KEY (block_no, value, article_id)
) WITHOUT ROWID;

-- Where each article came from: every input record that produced it, the first one
-- and any later exact copies. A record already loaded (same raw bytes, same place) is
-- not loaded twice, which is what makes re-running an ingest safe.
CREATE TABLE provenance (
    id         INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES article(id),
    run_id     INTEGER NOT NULL REFERENCES run(id),
    path       TEXT NOT NULL,     -- absolute path of the input file, or '-' for stdin
    record     INTEGER NOT NULL,  -- 1-based record number within the file
    offset     INTEGER NOT NULL,  -- byte offset of the record in the (decompressed) file
    raw_hash   BLOB NOT NULL,     -- 16 bytes, hash of the raw record as read
    source_id  TEXT,              -- the record's own identifier, if it has one
    UNIQUE (raw_hash, path, record)
);
CREATE INDEX provenance_article ON provenance(article_id);

-- Article versions taken out of the archive: by news-index --remove (a takedown) or
-- replaced by a corrected version (--replace). What stays: the article's id, its content
-- hash (so that loading the same files again does not bring the version back), the run,
-- and the provenance records the version had, as a JSON array. A replaced version keeps
-- its title, its fields and its text, so that news-index --restore can put it back; a
-- removed one keeps nothing of the article's words.
CREATE TABLE article_history (
    id           INTEGER PRIMARY KEY,
    article_id   INTEGER NOT NULL,  -- never given to another article
    event        TEXT NOT NULL CHECK (event IN ('removed', 'replaced')),
    run_id       INTEGER NOT NULL REFERENCES run(id),
    content_hash BLOB NOT NULL,
    title        TEXT,              -- the replaced version's title; NULL when removed
    provenance   TEXT NOT NULL,     -- [{"path":..,"record":..,"offset":..,"raw_hash":..,
                                    --   "source_id":..,"run_id":..}, ...]
    fields       TEXT,              -- a replaced version's other columns of article, as a
                                    -- JSON object; NULL when removed
    text_z       BLOB               -- a replaced version's text as article_text held it;
                                    -- NULL when removed
);
CREATE INDEX article_history_hash ON article_history(content_hash);
CREATE INDEX article_history_article ON article_history(article_id);

-- One row per news-index run: when, with what command, and what it did.
CREATE TABLE run (
    id          INTEGER PRIMARY KEY,
    started_at  TEXT NOT NULL,    -- ISO 8601 UTC
    finished_at TEXT,             -- NULL if the run was killed before it could finish
    command     TEXT NOT NULL,
    files       INTEGER NOT NULL DEFAULT 0,
    added       INTEGER NOT NULL DEFAULT 0,
    duplicates  INTEGER NOT NULL DEFAULT 0,
    rejected    INTEGER NOT NULL DEFAULT 0
);

-- Lines found to recur across many articles of one source (mastheads, promos, wire
-- trailers). Later runs drop them from the first article they see.
CREATE TABLE boilerplate_line (
    source    TEXT NOT NULL,      -- '' when the articles carry no source
    line_hash INTEGER NOT NULL,
    PRIMARY KEY (source, line_hash)
) WITHOUT ROWID;

-- What FTS5 indexes: each article's title and its text decompressed. news_text() is the
-- codec's SQL function, registered on every connection by archive_open(). A title made
-- from the text is indexed as no title: its words are the text's first, and indexed as a
-- title as well they would count twice, once with a title's weight.
CREATE VIEW article_doc (id, title, body) AS
    SELECT a.id, CASE WHEN a.title_derived THEN '' ELSE a.title END,
           CAST(news_text(t.text_z) AS TEXT)
    FROM article AS a JOIN article_text AS t ON t.id = a.id;

-- Full-text index over title and body. External content: the text lives only in
-- article_text; rows are added and removed with the exact values indexed.
CREATE VIRTUAL TABLE article_fts USING fts5(
    title, body,
    content = 'article_doc', content_rowid = 'id',
    tokenize = 'porter unicode61 remove_diacritics 2'
);
-- Best first: bm25 with a title hit worth four body hits.
INSERT INTO article_fts(article_fts, rank) VALUES ('rank', 'bm25(4.0, 1.0)');
-- Bulk loading: merge 16 segments of a level at a time, not 4, and let up to 64 pile up
-- before a merge must happen inside an insert. Fewer, larger merges: loading 20,000
-- articles took 12% less time with these than with the defaults (3.7 s against 4.2 s).
INSERT INTO article_fts(article_fts, rank) VALUES ('automerge', 16);
INSERT INTO article_fts(article_fts, rank) VALUES ('crisismerge', 64);
