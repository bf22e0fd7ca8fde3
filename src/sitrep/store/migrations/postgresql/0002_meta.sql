-- Small named values the pipeline keeps with the data, e.g. that stored mentions await re-fusion.
CREATE TABLE meta (
    key   TEXT COLLATE "C" PRIMARY KEY,
    value TEXT NOT NULL
);
