-- Full-text index for text search (the API's q=): event notes and evidence sentences.
-- Trigram tokens match any substring of three or more characters, case-insensitively, as
-- the LIKE scan over every record did, but from an index. Kept in step by triggers.

-- Notes live inside the JSON record: a contentless index keyed by the event's rowid; a
-- delete must repeat the indexed value, which the record still holds in OLD.
CREATE VIRTUAL TABLE events_fts USING fts5(notes, content='', tokenize='trigram');
INSERT INTO events_fts (rowid, notes) SELECT rowid, COALESCE(json_extract(record, '$.notes'), '') FROM events;
CREATE TRIGGER events_fts_insert AFTER INSERT ON events BEGIN
    INSERT INTO events_fts (rowid, notes) VALUES (new.rowid, COALESCE(json_extract(new.record, '$.notes'), ''));
END;
CREATE TRIGGER events_fts_delete AFTER DELETE ON events BEGIN
    INSERT INTO events_fts (events_fts, rowid, notes) VALUES ('delete', old.rowid, COALESCE(json_extract(old.record, '$.notes'), ''));
END;
CREATE TRIGGER events_fts_update AFTER UPDATE OF record ON events BEGIN
    INSERT INTO events_fts (events_fts, rowid, notes) VALUES ('delete', old.rowid, COALESCE(json_extract(old.record, '$.notes'), ''));
    INSERT INTO events_fts (rowid, notes) VALUES (new.rowid, COALESCE(json_extract(new.record, '$.notes'), ''));
END;

-- Evidence sentences: an external-content index over evidence.text.
CREATE VIRTUAL TABLE evidence_fts USING fts5(text, content='evidence', content_rowid='rowid', tokenize='trigram');
INSERT INTO evidence_fts (evidence_fts) VALUES ('rebuild');
CREATE TRIGGER evidence_fts_insert AFTER INSERT ON evidence BEGIN
    INSERT INTO evidence_fts (rowid, text) VALUES (new.rowid, new.text);
END;
CREATE TRIGGER evidence_fts_delete AFTER DELETE ON evidence BEGIN
    INSERT INTO evidence_fts (evidence_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
END;
CREATE TRIGGER evidence_fts_update AFTER UPDATE OF text ON evidence BEGIN
    INSERT INTO evidence_fts (evidence_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
    INSERT INTO evidence_fts (rowid, text) VALUES (new.rowid, new.text);
END;
