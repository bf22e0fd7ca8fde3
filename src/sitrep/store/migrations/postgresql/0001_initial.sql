-- sitrep store, PostgreSQL schema version 1: the same tables and columns as the SQLite schema,
-- with native types (DATE, TIMESTAMPTZ, JSONB for the change log). Every record is kept whole as
-- JSON text in `record` (the source of truth when reading back, compared byte for byte to skip
-- unchanged events); the other columns are copies for filtering and joining.
-- Ids use the "C" collation so they sort byte-wise, as in SQLite, whatever the server's locale.

CREATE TABLE articles (
    id          TEXT COLLATE "C" PRIMARY KEY,
    external_id TEXT COLLATE "C",
    url         TEXT,
    title       TEXT NOT NULL DEFAULT '',
    outlet      TEXT,
    published   DATE,
    language    TEXT,
    source_path TEXT,
    record      TEXT NOT NULL,
    added_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX articles_external_id ON articles (external_id);
CREATE INDEX articles_published ON articles (published);

CREATE TABLE mentions (
    id             TEXT COLLATE "C" PRIMARY KEY,
    article_id     TEXT COLLATE "C" NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    -- Insertion order. A sequence rather than MAX(seq)+1 so concurrent writers never collide.
    seq            BIGINT GENERATED ALWAYS AS IDENTITY,
    event_type     TEXT NOT NULL,
    sub_event_type TEXT NOT NULL,
    event_date     DATE,
    modality       TEXT NOT NULL,
    admin1         TEXT,
    record         TEXT NOT NULL
);
CREATE INDEX mentions_article_id ON mentions (article_id);
CREATE INDEX mentions_seq ON mentions (seq);
CREATE INDEX mentions_event_type ON mentions (event_type);
CREATE INDEX mentions_event_date ON mentions (event_date);
CREATE INDEX mentions_modality ON mentions (modality);
CREATE INDEX mentions_admin1 ON mentions (admin1);

CREATE TABLE events (
    event_id       TEXT COLLATE "C" PRIMARY KEY,
    event_date     DATE,
    event_type     TEXT NOT NULL,
    sub_event_type TEXT NOT NULL,
    actor1         TEXT,
    actor2         TEXT,
    actor_search   TEXT NOT NULL DEFAULT '',  -- casefolded actor1/assoc/actor2/assoc, for substring search
    country        TEXT,
    admin1         TEXT,
    admin2         TEXT,
    location       TEXT,
    latitude       DOUBLE PRECISION,
    longitude      DOUBLE PRECISION,
    fatalities     INTEGER NOT NULL DEFAULT 0,
    modality       TEXT NOT NULL,
    record         TEXT NOT NULL,             -- the Event without created_at/updated_at
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX events_event_date ON events (event_date);
CREATE INDEX events_event_type ON events (event_type);
CREATE INDEX events_admin1 ON events (admin1);
CREATE INDEX events_fatalities ON events (fatalities);

CREATE TABLE claims (
    event_id      TEXT COLLATE "C" NOT NULL REFERENCES events (event_id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    kind          TEXT NOT NULL,
    value         INTEGER,
    low           INTEGER,
    high          INTEGER,
    qualifier     TEXT,
    victims       TEXT,
    claimant      TEXT,
    claimant_type TEXT NOT NULL,
    modality      TEXT NOT NULL,
    article_id    TEXT COLLATE "C",
    span_field    TEXT,
    span_start    INTEGER,
    span_end      INTEGER,
    text          TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (event_id, position)
);
CREATE INDEX claims_claimant ON claims (claimant);
CREATE INDEX claims_article_id ON claims (article_id);

CREATE TABLE evidence (
    event_id   TEXT COLLATE "C" NOT NULL REFERENCES events (event_id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    article_id TEXT COLLATE "C" NOT NULL,
    span_field TEXT NOT NULL,
    span_start INTEGER NOT NULL,
    span_end   INTEGER NOT NULL,
    text       TEXT NOT NULL,
    url        TEXT,
    outlet     TEXT,
    PRIMARY KEY (event_id, position)
);
CREATE INDEX evidence_article_id ON evidence (article_id);

-- No foreign key to mentions: events may be stored from a stateless run whose mentions were never kept.
CREATE TABLE event_mentions (
    event_id   TEXT COLLATE "C" NOT NULL REFERENCES events (event_id) ON DELETE CASCADE,
    mention_id TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (event_id, mention_id)
);
CREATE INDEX event_mentions_mention_id ON event_mentions (mention_id);

-- Every article id an event cites (Event.article_ids, evidence and claims): sitrep or external ids.
CREATE TABLE event_articles (
    event_id   TEXT COLLATE "C" NOT NULL REFERENCES events (event_id) ON DELETE CASCADE,
    article_id TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (event_id, article_id)
);
CREATE INDEX event_articles_article_id ON event_articles (article_id);

CREATE TABLE changes (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at         TIMESTAMPTZ NOT NULL,
    kind       TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    detail     JSONB NOT NULL
);
CREATE INDEX changes_kind ON changes (kind);
CREATE INDEX changes_subject_id ON changes (subject_id);
