-- The base: the ground every console starts from. The domain tables of the
-- mirror `kapok upstream load` first published (cases and their histories,
-- responders, grid workers, cameras, checkpoints, patrol routes, duty
-- rosters, district rules, rosters, indicator values and readings, the Red
-- Cotton index; upstream.BaseTables), as it held them, which `kapok sync
-- --init` writes into a new mirror before its first sync. Published once:
-- every console's changes are built on it, so it is never replaced.
--
-- Generic, not a copy of each mirror table: the upstream keeps the rows for
-- new mirrors to start from and never queries inside them, and a mirror
-- table's new column needs no migration here. A table's stored columns (in
-- the mirror's order, generated ones left out) and row count:
CREATE TABLE base_tables (
  name text PRIMARY KEY CHECK (name ~ '^[a-z_][a-z0-9_]*$'),
  columns jsonb NOT NULL CHECK (jsonb_typeof(columns) = 'array' AND jsonb_array_length(columns) > 0),
  row_count bigint NOT NULL CHECK (row_count >= 0),
  published_at timestamptz NOT NULL DEFAULT now()
);
-- Its rows, n from 1 in the order read (rowid or key order): one JSON array
-- per row, a value per column, in the mirror's encoding (data/mirror's
-- baserows.go), exact: null, a string (text), an integer number (integer),
-- {"r": "…"} a real (Go's shortest round-trip form, or NaN, +Inf, -Inf),
-- {"b": "…"} a blob in base64 (a GeoPackage geometry byte for byte), {"t":
-- "…"} text jsonb cannot hold (NUL, invalid UTF-8) in base64, {"u": "…"} a
-- user's id as the user's login (ids are each mirror's own).
CREATE TABLE base_rows (
  table_name text NOT NULL REFERENCES base_tables(name),
  n bigint NOT NULL CHECK (n > 0),
  vals jsonb NOT NULL CHECK (jsonb_typeof(vals) = 'array'),
  PRIMARY KEY (table_name, n)
);
