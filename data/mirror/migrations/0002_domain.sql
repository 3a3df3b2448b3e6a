-- The Kapok domain. Feature tables (those with a geometry) follow the
-- GeoPackage rules: an INTEGER PRIMARY KEY fid, a geometry column whose
-- declared type is the geometry type, and only GeoPackage column types, so
-- they cannot be STRICT. Every other table is STRICT.
-- Times are RFC 3339 UTC text ('2026-11-25T08:00:00Z').

CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  login TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('system','admin','leader','operator','grid_worker')),
  jurisdiction_code TEXT NOT NULL
) STRICT;
INSERT INTO users (id, login, name, role, jurisdiction_code) VALUES (1, 'system', 'Kapok system', 'system', '');

-- Append-only: every write to the mirror records who and when.
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  user_id INTEGER NOT NULL REFERENCES users(id),
  action TEXT NOT NULL,
  entity TEXT NOT NULL,
  entity_key TEXT NOT NULL DEFAULT '',
  detail TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

CREATE TABLE kapok_meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

-- Regions: city (4 digits) → district (6) → street/town (9) → community/village (12).
CREATE TABLE cities (
  fid INTEGER PRIMARY KEY AUTOINCREMENT,
  geom MULTIPOLYGON,
  code TEXT NOT NULL UNIQUE CHECK (length(code) = 4),
  name TEXT NOT NULL,
  pinyin TEXT NOT NULL,
  area_km2 REAL NOT NULL DEFAULT 0
);
CREATE TABLE districts (
  fid INTEGER PRIMARY KEY AUTOINCREMENT,
  geom MULTIPOLYGON,
  code TEXT NOT NULL UNIQUE CHECK (length(code) = 6),
  name TEXT NOT NULL,
  pinyin TEXT NOT NULL,
  city_code TEXT NOT NULL REFERENCES cities(code),
  area_km2 REAL NOT NULL DEFAULT 0
);
CREATE TABLE streets (
  fid INTEGER PRIMARY KEY AUTOINCREMENT,
  geom MULTIPOLYGON,
  code TEXT NOT NULL UNIQUE CHECK (length(code) = 9),
  name TEXT NOT NULL,
  pinyin TEXT NOT NULL,
  district_code TEXT NOT NULL REFERENCES districts(code),
  kind TEXT NOT NULL CHECK (kind IN ('street','town')),
  area_km2 REAL NOT NULL DEFAULT 0
);
CREATE INDEX streets_district ON streets(district_code);
CREATE TABLE communities (
  fid INTEGER PRIMARY KEY AUTOINCREMENT,
  geom MULTIPOLYGON,
  code TEXT NOT NULL UNIQUE CHECK (length(code) = 12),
  name TEXT NOT NULL,
  pinyin TEXT NOT NULL,
  street_code TEXT NOT NULL REFERENCES streets(code),
  kind TEXT NOT NULL CHECK (kind IN ('community','village')),
  area_km2 REAL NOT NULL DEFAULT 0,
  demo_point BOOLEAN NOT NULL DEFAULT 0
);
CREATE INDEX communities_street ON communities(street_code);

-- Comprehensive grids: 15-digit code = community code + 3-digit sequence.
CREATE TABLE grids (
  fid INTEGER PRIMARY KEY AUTOINCREMENT,
  geom MULTIPOLYGON,
  code TEXT NOT NULL UNIQUE CHECK (length(code) = 15),
  community_code TEXT NOT NULL REFERENCES communities(code),
  kind TEXT NOT NULL CHECK (kind IN ('residential','village','commercial','industrial','special')),
  area_m2 REAL NOT NULL DEFAULT 0,
  population INTEGER NOT NULL DEFAULT 0,
  households INTEGER NOT NULL DEFAULT 0,
  CHECK (substr(code, 1, 12) = community_code)
);
CREATE INDEX grids_community ON grids(community_code);

CREATE TABLE grid_workers (
  id INTEGER PRIMARY KEY,
  grid_code TEXT NOT NULL REFERENCES grids(code),
  name TEXT NOT NULL,
  phone TEXT NOT NULL,
  on_duty INTEGER NOT NULL DEFAULT 0 CHECK (on_duty IN (0,1))
) STRICT;
CREATE INDEX grid_workers_grid ON grid_workers(grid_code);

-- Four-level comprehensive governance centers, one per region.
CREATE TABLE centers (
  fid INTEGER PRIMARY KEY AUTOINCREMENT,
  geom POINT,
  code TEXT NOT NULL UNIQUE,
  level TEXT NOT NULL CHECK (level IN ('city','district','street','community')),
  region_code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  duty_phone TEXT NOT NULL,
  staff_on_duty INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL CHECK (status IN ('normal','alert','emergency','offline'))
);

-- The catalogue of grid matters.
CREATE TABLE matter_types (
  code TEXT PRIMARY KEY,
  name_zh TEXT NOT NULL,
  name_en TEXT NOT NULL,
  category TEXT NOT NULL,
  department TEXT NOT NULL,
  time_limit_hours INTEGER NOT NULL CHECK (time_limit_hours > 0),
  handling_level TEXT NOT NULL CHECK (handling_level IN ('grid','community','street','district','city'))
) STRICT;

-- Minimum emergency disposal units and their responders.
CREATE TABLE units (
  fid INTEGER PRIMARY KEY AUTOINCREMENT,
  geom POINT,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  unit_type TEXT NOT NULL CHECK (unit_type IN ('community','village','enterprise','school','hospital','market','transport')),
  grid_code TEXT NOT NULL REFERENCES grids(code),
  capabilities TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL CHECK (status IN ('available','dispatched','busy','offline'))
);
CREATE INDEX units_grid ON units(grid_code);
CREATE TABLE responders (
  id INTEGER PRIMARY KEY,
  unit_code TEXT NOT NULL REFERENCES units(code),
  name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('police','unit_staff','volunteer','grid_worker')),
  phone TEXT NOT NULL,
  on_duty INTEGER NOT NULL DEFAULT 0 CHECK (on_duty IN (0,1))
) STRICT;
CREATE INDEX responders_unit ON responders(unit_code);

-- Events (cases), GB/T 30428 workflow. The handling clock starts at dispatch.
CREATE TABLE events (
  fid INTEGER PRIMARY KEY AUTOINCREMENT,
  geom POINT,
  code TEXT NOT NULL UNIQUE,
  matter_code TEXT NOT NULL REFERENCES matter_types(code),
  grid_code TEXT NOT NULL REFERENCES grids(code),
  source TEXT NOT NULL CHECK (source IN ('grid_patrol','hotline_12345','video','police','referral')),
  priority TEXT NOT NULL CHECK (priority IN ('low','normal','high','urgent')),
  state TEXT NOT NULL CHECK (state IN ('collected','filed','cancelled','dispatched','handling','fed_back','returned','parked','closed','evaluated')),
  description TEXT NOT NULL DEFAULT '',
  reported_at DATETIME NOT NULL,
  dispatched_at DATETIME,
  deadline DATETIME,
  closed_at DATETIME,
  extensions INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX events_grid ON events(grid_code);
CREATE INDEX events_state ON events(state, deadline);
-- One row per state an event entered: the timestamp per state. Clustered by
-- event (WITHOUT ROWID) so an event's history is one range read and needs no
-- second index.
CREATE TABLE event_history (
  event_code TEXT NOT NULL REFERENCES events(code),
  step INTEGER NOT NULL,
  state TEXT NOT NULL,
  at TEXT NOT NULL,
  actor TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (event_code, step)
) STRICT, WITHOUT ROWID;

-- Orders (schedules) issued by a user to centers, units or grids.
CREATE TABLE orders (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
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
CREATE TABLE order_targets (
  order_id INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
  target_kind TEXT NOT NULL CHECK (target_kind IN ('center','unit','grid')),
  target_code TEXT NOT NULL,
  PRIMARY KEY (order_id, target_kind, target_code)
) STRICT;
CREATE INDEX order_targets_code ON order_targets(target_code);

-- City operations indicators and their hourly values per district.
CREATE TABLE indicator_defs (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  category TEXT NOT NULL CHECK (category IN ('transport','public_safety','urban_management','environment','public_services','emergency','social_stability','grid_work')),
  name_zh TEXT NOT NULL,
  name_en TEXT NOT NULL,
  unit TEXT NOT NULL,
  direction TEXT NOT NULL CHECK (direction IN ('higher_better','lower_better')),
  warn REAL NOT NULL,
  alarm REAL NOT NULL
) STRICT;
-- Hourly values, one row per indicator, district and local (Beijing) day
-- holding that day's 24 hourly values as a JSON array (null for hours not
-- yet measured). A row per hour would be 1.7 million rows, 44 MB for the
-- demo city; this is a tenth of that and the view below unpacks it.
CREATE TABLE indicator_values (
  indicator_id INTEGER NOT NULL REFERENCES indicator_defs(id),
  district_code TEXT NOT NULL REFERENCES districts(code),
  day TEXT NOT NULL,
  hourly TEXT NOT NULL CHECK (json_valid(hourly) AND json_array_length(hourly) = 24),
  PRIMARY KEY (indicator_id, district_code, day)
) STRICT, WITHOUT ROWID;
CREATE VIEW indicator_hourly AS
  SELECT v.indicator_id, v.district_code,
         strftime('%Y-%m-%dT%H:00:00Z', v.day || ' 00:00:00', '-8 hours', '+' || h.key || ' hours') AS hour,
         h.value AS value
  FROM indicator_values v, json_each(v.hourly) h
  WHERE h.value IS NOT NULL;

-- The Red Cotton Index: five dimensions plus one composite, per district per day.
CREATE TABLE red_cotton_index (
  district_code TEXT NOT NULL REFERENCES districts(code),
  day TEXT NOT NULL,
  safety REAL NOT NULL,
  rule_of_law REAL NOT NULL,
  services REAL NOT NULL,
  harmony REAL NOT NULL,
  participation REAL NOT NULL,
  composite REAL NOT NULL,
  rank INTEGER NOT NULL,
  PRIMARY KEY (district_code, day)
) STRICT;

-- Security layers.
CREATE TABLE cameras (
  fid INTEGER PRIMARY KEY AUTOINCREMENT,
  geom POINT,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  grid_code TEXT NOT NULL REFERENCES grids(code),
  kind TEXT NOT NULL CHECK (kind IN ('street','entrance','traffic','public_place')),
  status TEXT NOT NULL CHECK (status IN ('online','offline'))
);
CREATE INDEX cameras_grid ON cameras(grid_code);
CREATE TABLE checkpoints (
  fid INTEGER PRIMARY KEY AUTOINCREMENT,
  geom POINT,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  district_code TEXT NOT NULL REFERENCES districts(code),
  kind TEXT NOT NULL CHECK (kind IN ('road','boundary','station','port')),
  status TEXT NOT NULL CHECK (status IN ('online','offline'))
);
CREATE INDEX checkpoints_district ON checkpoints(district_code);
CREATE TABLE patrol_routes (
  fid INTEGER PRIMARY KEY AUTOINCREMENT,
  geom LINESTRING,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  street_code TEXT NOT NULL REFERENCES streets(code),
  shift TEXT NOT NULL CHECK (shift IN ('day','night','all_day')),
  length_m REAL NOT NULL DEFAULT 0
);
CREATE INDEX patrol_routes_street ON patrol_routes(street_code);

-- Every other reference gets an index too, so that changing or checking a
-- parent never scans a child table.
CREATE INDEX districts_city ON districts(city_code);
CREATE INDEX events_matter ON events(matter_code);
CREATE INDEX orders_event ON orders(event_code);
CREATE INDEX orders_user ON orders(issued_by);
CREATE INDEX audit_log_user ON audit_log(user_id);
CREATE INDEX indicator_values_district ON indicator_values(district_code);
