-- The innovation program travels between consoles (issue 16 with sync,
-- issue 14): a milestone made at a console needs a key no other console
-- mints, as projects have (their UUIDv7). The local integer id stays the
-- handle a person types at this console (`projects milestone done --id`);
-- the uid names the milestone in the journal. The Go step gives the rows
-- already there a uid, then makes it unique and required, and has sync's
-- undo log follow the innovation tables.
ALTER TABLE milestones ADD COLUMN uid TEXT;
