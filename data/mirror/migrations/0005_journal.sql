-- The journal: every change a person makes through Kapok, one entry per
-- operation, written in the same transaction as the change. Entries are
-- hash-chained (package data/journal): hash = SHA-256(prev_hash ‖ canonical
-- entry), the previous hash as its 32 bytes. The triggers stop accidents; the chain shows tampering by anyone
-- who drops them. kapok_meta 'journal_head' holds the last position and hash,
-- so entries cut from the end show too, unless the head is rewritten with
-- them: one file cannot tell a whole chain rewritten with Kapok's own code
-- from the truth (docs/ARCHITECTURE.md, The journal). It replaces audit_log, whose rows
-- the Go part of this migration carries into the chain.
CREATE TABLE journal (
  seq INTEGER PRIMARY KEY,  -- position in this mirror's chain, from 1
  -- The entry in its canonical form (RFC 8785): exactly what the hash
  -- covers. Its fields below are read out of it, so they cannot be edited
  -- apart from it.
  entry TEXT NOT NULL CHECK (json_valid(entry)),
  prev_hash TEXT NOT NULL,  -- hex; '' for the first entry
  hash TEXT NOT NULL UNIQUE, -- hex
  id TEXT NOT NULL GENERATED ALWAYS AS (entry ->> '$.id') VIRTUAL,           -- globally unique (UUIDv7)
  console TEXT NOT NULL GENERATED ALWAYS AS (entry ->> '$.console') VIRTUAL, -- console_id of the mirror that made it
  actor TEXT NOT NULL GENERATED ALWAYS AS (entry ->> '$.actor') VIRTUAL,     -- login
  at TEXT NOT NULL GENERATED ALWAYS AS (entry ->> '$.at') VIRTUAL,           -- when, in the one time form
  kind TEXT NOT NULL GENERATED ALWAYS AS (entry ->> '$.kind') VIRTUAL,       -- order.issue, order.move, import, demo.build, audit, …
  subject TEXT NOT NULL GENERATED ALWAYS AS (entry ->> '$.subject') VIRTUAL  -- key of what it changed
) STRICT;
CREATE UNIQUE INDEX journal_id ON journal(id);
CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal
BEGIN SELECT RAISE(ABORT, 'journal is append-only'); END;
CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal
BEGIN SELECT RAISE(ABORT, 'journal is append-only'); END;

-- Orders and their targets get globally unique keys (UUIDv7), since mirrors
-- sync and two consoles would both mint order 12; the short number stays for
-- people ("#12") and is unique in one mirror only. Targets refer to their
-- order by its key. The Go part copies the rows over with new keys.
CREATE TABLE orders_v5 (
  uid TEXT PRIMARY KEY,
  number INTEGER NOT NULL UNIQUE,
  order_type TEXT NOT NULL CHECK (order_type IN ('dispatch','patrol','inspection','briefing')),
  task TEXT NOT NULL CHECK (length(trim(task)) > 0),
  priority TEXT NOT NULL CHECK (priority IN ('low','normal','high','urgent')),
  state TEXT NOT NULL CHECK (state IN ('issued','acknowledged','in_progress','done','overdue','cancelled')),
  issued_by INTEGER NOT NULL REFERENCES users(id),
  issued_at TEXT NOT NULL,
  start_at TEXT NOT NULL,
  end_at TEXT NOT NULL,
  event_code TEXT REFERENCES events(code),
  updated_at TEXT NOT NULL,
  CHECK (end_at > start_at)
) STRICT;
CREATE TABLE order_targets_v5 (
  uid TEXT PRIMARY KEY,
  order_uid TEXT NOT NULL REFERENCES orders_v5(uid) ON DELETE CASCADE,
  target_kind TEXT NOT NULL CHECK (target_kind IN ('center','unit','grid')),
  target_code TEXT NOT NULL,
  UNIQUE (order_uid, target_kind, target_code)
) STRICT;
