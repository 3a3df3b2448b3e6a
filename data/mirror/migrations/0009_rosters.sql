-- Patrol rosters (issue 10): a week's plan of which units patrol which
-- grids in which shift, for a district or a street. Made at consoles, so
-- keyed by UUIDs (mirrors sync).
CREATE TABLE rosters (
  uid TEXT PRIMARY KEY,
  region_code TEXT NOT NULL,
  week TEXT NOT NULL CHECK (week GLOB '[0-9][0-9][0-9][0-9]-W[0-5][0-9]'),
  state TEXT NOT NULL CHECK (state IN ('draft','published')),
  version INTEGER NOT NULL DEFAULT 0,
  -- The shift table the roster was planned with (JSON: [{"name","start","end"}]).
  shifts TEXT NOT NULL,
  created_by INTEGER NOT NULL REFERENCES users(id),
  created_at TEXT NOT NULL,
  published_at TEXT,
  updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX rosters_region_week ON rosters(region_code, week);

-- One unit patrolling one grid in one shift ("2026-12-01/day"). Conflicts
-- (the same unit elsewhere in the shift, too little rest) are allowed in a
-- draft and listed by the check; publishing refuses them.
CREATE TABLE roster_assignments (
  uid TEXT PRIMARY KEY,
  roster_uid TEXT NOT NULL REFERENCES rosters(uid) ON DELETE CASCADE,
  unit_code TEXT NOT NULL REFERENCES units(code),
  grid_code TEXT NOT NULL REFERENCES grids(code),
  shift TEXT NOT NULL,
  lent INTEGER NOT NULL DEFAULT 0 CHECK (lent IN (0, 1)),
  -- The patrol order it became when the roster was published (or amended).
  order_uid TEXT REFERENCES orders(uid),
  UNIQUE (roster_uid, unit_code, grid_code, shift)
) STRICT;
CREATE INDEX roster_assignments_unit ON roster_assignments(unit_code, shift);
-- A roster's assignments read from the index alone (a district's week is
-- thousands of rows, read on every check).
CREATE INDEX roster_assignments_read ON roster_assignments(roster_uid, unit_code, grid_code, shift, lent);
CREATE INDEX roster_assignments_grid ON roster_assignments(grid_code);

-- Every change to a roster, in order: who did what, when.
CREATE TABLE roster_history (
  roster_uid TEXT NOT NULL REFERENCES rosters(uid) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  at TEXT NOT NULL,
  actor INTEGER NOT NULL REFERENCES users(id),
  action TEXT NOT NULL CHECK (action IN ('plan','assign','unassign','autofill','publish','amend')),
  unit_code TEXT NOT NULL DEFAULT '',
  grid_code TEXT NOT NULL DEFAULT '',
  shift TEXT NOT NULL DEFAULT '',
  count INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (roster_uid, seq)
) STRICT, WITHOUT ROWID;

-- A unit off duty for a while (leave, training, repair): unavailable to
-- rosters in the shifts it overlaps.
CREATE TABLE unit_leave (
  uid TEXT PRIMARY KEY,
  unit_code TEXT NOT NULL REFERENCES units(code),
  start_at TEXT NOT NULL,
  end_at TEXT NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  CHECK (end_at > start_at)
) STRICT;
CREATE INDEX unit_leave_unit ON unit_leave(unit_code, start_at);

-- A district's own shift table and patrol rules (JSON), where it has set
-- them; the defaults otherwise.
CREATE TABLE district_schedule_rules (
  district_code TEXT PRIMARY KEY,
  shifts TEXT,
  patrol_rules TEXT
) STRICT;
