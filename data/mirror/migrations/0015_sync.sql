-- Sync with the upstream (issue 14).
--
-- sync_log: every journal entry the upstream handed back, in its arrival
-- order (this console's own ones too), with what applying it here did:
-- applied, rejected (no longer valid after an earlier arrival: the refusal
-- as JSON), skipped (a kind consoles do not share) or within (part of a
-- larger change, applied with it).
CREATE TABLE sync_log (
  arrival INTEGER PRIMARY KEY,
  entry_id TEXT NOT NULL UNIQUE,
  console TEXT NOT NULL,
  console_seq INTEGER NOT NULL,
  kind TEXT NOT NULL,
  subject TEXT NOT NULL,
  actor TEXT NOT NULL,
  at TEXT NOT NULL,
  entry TEXT NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('applied', 'rejected', 'skipped', 'within')),
  refusal TEXT CHECK (refusal IS NULL OR json_valid(refusal)),
  applied_at TEXT NOT NULL,
  resolved_at TEXT
) STRICT;
CREATE INDEX sync_log_console ON sync_log (console, outcome);

-- The undo log: for each change made here and not yet confirmed by the
-- upstream's order, the rows it inserted, updated (before and after) and
-- deleted, so that sync can take the change back, let earlier arrivals go
-- first and take it again on top. Triggers on the tables the shared
-- operations write fill it (a Go step makes them from the tables'
-- columns: sync_undo_<table>); journalAppend tags a change's rows with
-- its journal position, or drops them for changes not shared.
CREATE TABLE sync_undo (
  n INTEGER PRIMARY KEY AUTOINCREMENT,
  seq INTEGER,
  tbl TEXT NOT NULL,
  op TEXT NOT NULL CHECK (op IN ('I', 'U', 'D'))
) STRICT;
CREATE INDEX sync_undo_seq ON sync_undo (seq);
-- A row here turns the triggers off for the transaction that holds it
-- (the demo's build, taking changes back, reference rows pulled).
CREATE TABLE sync_capture_off (one INTEGER PRIMARY KEY CHECK (one = 1)) STRICT;

-- This console's own changes, not yet confirmed, that no longer applied
-- when taken again on top of earlier arrivals: their effect is not in the
-- mirror until their own arrival decides.
CREATE TABLE sync_refused_local (
  seq INTEGER PRIMARY KEY,
  refusal TEXT NOT NULL CHECK (json_valid(refusal))
) STRICT;
