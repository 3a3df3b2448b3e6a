-- kapok: foreign keys off
-- Cases run from the console (issue 9). The events table is rebuilt (SQLite
-- cannot change a CHECK in place) to take two more sources (the citizens'
-- app, inspections) and what a case needs beyond the demo's: a global key
-- for cases reported at a console, the reporter's contact, the department
-- it was dispatched to, the center level handling it (escalation moves it
-- up), the handling's result, and a version that every step increments so
-- that two operators never both apply a step to one case. Foreign keys are
-- off for this migration (event_history and orders refer to events); the
-- runner checks them all before it commits.
CREATE TABLE events_v6 (
  fid INTEGER PRIMARY KEY AUTOINCREMENT,
  geom POINT,
  code TEXT NOT NULL UNIQUE,
  uid TEXT UNIQUE, -- UUIDv7 of a case reported at a console; NULL for the platform's
  matter_code TEXT NOT NULL REFERENCES matter_types(code),
  grid_code TEXT NOT NULL REFERENCES grids(code),
  source TEXT NOT NULL CHECK (source IN ('grid_patrol','hotline_12345','video','police','referral','citizen_app','inspection')),
  priority TEXT NOT NULL CHECK (priority IN ('low','normal','high','urgent')),
  state TEXT NOT NULL CHECK (state IN ('collected','filed','cancelled','dispatched','handling','fed_back','returned','parked','closed','evaluated')),
  description TEXT NOT NULL DEFAULT '',
  reporter_contact TEXT NOT NULL DEFAULT '',
  department TEXT NOT NULL DEFAULT '',
  level TEXT NOT NULL DEFAULT 'community' CHECK (level IN ('grid','community','street','district','city')),
  result TEXT NOT NULL DEFAULT '',
  reported_at DATETIME NOT NULL,
  dispatched_at DATETIME,
  deadline DATETIME,
  closed_at DATETIME,
  extensions INTEGER NOT NULL DEFAULT 0,
  version INTEGER NOT NULL DEFAULT 0
);
INSERT INTO events_v6 (fid, geom, code, matter_code, grid_code, source, priority, state, description, level,
  reported_at, dispatched_at, deadline, closed_at, extensions)
  SELECT e.fid, e.geom, e.code, e.matter_code, e.grid_code, e.source, e.priority, e.state, e.description,
    coalesce((SELECT handling_level FROM matter_types t WHERE t.code = e.matter_code), 'community'),
    e.reported_at, e.dispatched_at, e.deadline, e.closed_at, e.extensions
  FROM events e;
UPDATE events_v6 SET department = (SELECT department FROM matter_types t WHERE t.code = events_v6.matter_code)
  WHERE dispatched_at IS NOT NULL;
DROP TABLE events;
ALTER TABLE events_v6 RENAME TO events;
CREATE INDEX events_grid ON events(grid_code);
CREATE INDEX events_state ON events(state, deadline);
CREATE INDEX events_matter ON events(matter_code);
-- The GeoPackage R-tree's triggers went with the old table (the R-tree
-- itself, keyed by fid, stays); as in migration 3.
CREATE TRIGGER rtree_events_geom_insert AFTER INSERT ON events WHEN (new.geom NOT NULL AND NOT ST_IsEmpty(NEW.geom))
BEGIN INSERT OR REPLACE INTO rtree_events_geom VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END;
CREATE TRIGGER rtree_events_geom_update1 AFTER UPDATE OF geom ON events WHEN OLD.fid = NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
BEGIN INSERT OR REPLACE INTO rtree_events_geom VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END;
CREATE TRIGGER rtree_events_geom_update2 AFTER UPDATE OF geom ON events WHEN OLD.fid = NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
BEGIN DELETE FROM rtree_events_geom WHERE id = OLD.fid; END;
CREATE TRIGGER rtree_events_geom_update3 AFTER UPDATE ON events WHEN OLD.fid != NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
BEGIN DELETE FROM rtree_events_geom WHERE id = OLD.fid; INSERT OR REPLACE INTO rtree_events_geom VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END;
CREATE TRIGGER rtree_events_geom_update4 AFTER UPDATE ON events WHEN OLD.fid != NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
BEGIN DELETE FROM rtree_events_geom WHERE id IN (OLD.fid, NEW.fid); END;
CREATE TRIGGER rtree_events_geom_delete AFTER DELETE ON events WHEN old.geom NOT NULL
BEGIN DELETE FROM rtree_events_geom WHERE id = OLD.fid; END;

-- What each matter's clock and dispatch need (data.MatterType): the limit
-- in hours or working days, the extensions that may be approved, the grace
-- before an overdue case is escalated, the capabilities a unit needs. The
-- Go part of this migration fills them from the embedded catalogue.
ALTER TABLE matter_types ADD COLUMN limit_value INTEGER NOT NULL DEFAULT 0;
ALTER TABLE matter_types ADD COLUMN limit_unit TEXT NOT NULL DEFAULT 'hours' CHECK (limit_unit IN ('hours','working_days'));
ALTER TABLE matter_types ADD COLUMN extensions_allowed INTEGER NOT NULL DEFAULT 1;
ALTER TABLE matter_types ADD COLUMN grace_hours INTEGER NOT NULL DEFAULT 24;
ALTER TABLE matter_types ADD COLUMN capabilities TEXT NOT NULL DEFAULT '';
UPDATE matter_types SET limit_value = time_limit_hours;

-- Units held by a case (dispatched to it) or an order (busy with it while
-- it is in progress). A unit's status follows its open holds; a hold is
-- released (released_at set), never deleted, so a unit's load is countable.
CREATE TABLE unit_holds (
  uid TEXT PRIMARY KEY,
  unit_code TEXT NOT NULL REFERENCES units(code),
  holder_kind TEXT NOT NULL CHECK (holder_kind IN ('case','order')),
  holder TEXT NOT NULL, -- the case's code or the order's uid
  since TEXT NOT NULL,
  released_at TEXT
) STRICT;
CREATE INDEX unit_holds_unit ON unit_holds(unit_code, released_at);
CREATE INDEX unit_holds_holder ON unit_holds(holder, released_at);

-- A case's steps say what was done (report, dispatch, extend, escalate, …):
-- an extension or an escalation does not change the state. '' for the
-- platform's history, whose steps are their states.
ALTER TABLE event_history ADD COLUMN action TEXT NOT NULL DEFAULT '';
-- And where the case's clock stood after the step, so that its timeline
-- shows it as it was (a later extension moves the deadline).
ALTER TABLE event_history ADD COLUMN clock TEXT NOT NULL DEFAULT '';
ALTER TABLE event_history ADD COLUMN deadline TEXT;
ALTER TABLE event_history ADD COLUMN remaining_s INTEGER;
