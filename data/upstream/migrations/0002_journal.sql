-- The journal of every console's operations, in the order they reached the
-- upstream. An entry is stored exactly as its console hashed it (the
-- canonical form, RFC 8785; data/journal), as text: jsonb would reorder and
-- respace it, and the hash would no longer match. Its id and console are
-- read out of it, so they cannot be edited apart from it; the id is unique,
-- so pushing an entry again is refused by the constraint, never doubled.
CREATE TABLE journal (
  arrival bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, -- arrival order
  entry text NOT NULL CHECK (entry::jsonb ->> 'id' <> '' AND entry::jsonb ->> 'console' <> ''),
  entry_id text NOT NULL UNIQUE GENERATED ALWAYS AS (entry::jsonb ->> 'id') STORED,
  console text NOT NULL GENERATED ALWAYS AS (entry::jsonb ->> 'console') STORED,
  console_seq bigint NOT NULL CHECK (console_seq > 0), -- position in its console's chain
  prev_hash text NOT NULL CHECK (prev_hash = '' OR prev_hash ~ '^[0-9a-f]{64}$'), -- hex; '' for a console's first
  hash text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'), -- hex SHA-256(previous hash ‖ entry)
  received_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (console, console_seq)
);

CREATE FUNCTION journal_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'journal is append-only';
END $$;
CREATE TRIGGER journal_no_update BEFORE UPDATE OR DELETE ON journal
  FOR EACH ROW EXECUTE FUNCTION journal_append_only();

-- Each console's journal head as the upstream last accepted it: its last
-- position and hash. A console whose own chain no longer leads to this head
-- was truncated or rewritten.
CREATE TABLE console_heads (
  console text PRIMARY KEY,
  seq bigint NOT NULL CHECK (seq > 0),
  hash text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER journal_no_truncate BEFORE TRUNCATE ON journal
  FOR EACH STATEMENT EXECUTE FUNCTION journal_append_only();
