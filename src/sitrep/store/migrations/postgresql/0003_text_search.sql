-- Text search (the API's q=) reads the SQLite store, which indexes notes and evidence with
-- FTS5 in this migration; a PostgreSQL store needs nothing here. Kept so that both backends
-- number their migrations alike.
SELECT 1;
