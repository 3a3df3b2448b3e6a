-- kapok: foreign keys off
-- Patrol routes as patrol areas (issue 10): an assignment patrols one grid
-- or walks one patrol route (every grid the route crosses is patrolled).
-- roster_assignments is rebuilt (SQLite cannot drop a NOT NULL): exactly
-- one of grid_code and route_code is set, and area_code is whichever it is,
-- so that one unit in one area in one shift is one row.
CREATE TABLE roster_assignments_new (
  uid TEXT PRIMARY KEY,
  roster_uid TEXT NOT NULL REFERENCES rosters(uid) ON DELETE CASCADE,
  unit_code TEXT NOT NULL REFERENCES units(code),
  grid_code TEXT REFERENCES grids(code),
  route_code TEXT REFERENCES patrol_routes(code),
  area_code TEXT NOT NULL GENERATED ALWAYS AS (coalesce(grid_code, route_code)) VIRTUAL,
  shift TEXT NOT NULL,
  lent INTEGER NOT NULL DEFAULT 0 CHECK (lent IN (0, 1)),
  order_uid TEXT REFERENCES orders(uid),
  CHECK ((grid_code IS NULL) != (route_code IS NULL)),
  UNIQUE (roster_uid, unit_code, area_code, shift)
) STRICT;
INSERT INTO roster_assignments_new (uid, roster_uid, unit_code, grid_code, shift, lent, order_uid)
  SELECT uid, roster_uid, unit_code, grid_code, shift, lent, order_uid FROM roster_assignments;
DROP TABLE roster_assignments;
ALTER TABLE roster_assignments_new RENAME TO roster_assignments;
CREATE INDEX roster_assignments_unit ON roster_assignments(unit_code, shift);
-- A roster's assignments read from the index alone (a district's week is
-- thousands of rows, read on every check).
CREATE INDEX roster_assignments_read ON roster_assignments(roster_uid, unit_code, grid_code, route_code, shift, lent);
CREATE INDEX roster_assignments_grid ON roster_assignments(grid_code);
CREATE INDEX roster_assignments_route ON roster_assignments(route_code);
CREATE INDEX roster_assignments_order ON roster_assignments(order_uid);

ALTER TABLE roster_history ADD COLUMN route_code TEXT NOT NULL DEFAULT '';

-- Routes have a generation like regions and units: what is worked out
-- from their lines (the grids each crosses) is kept until they change.
INSERT INTO kapok_count_gens VALUES ('routes', 0);
CREATE TRIGGER patrol_routes_insert_gen AFTER INSERT ON patrol_routes
BEGIN UPDATE kapok_count_gens SET gen = gen + 1 WHERE name = 'routes'; END;
CREATE TRIGGER patrol_routes_delete_gen AFTER DELETE ON patrol_routes
BEGIN UPDATE kapok_count_gens SET gen = gen + 1 WHERE name = 'routes'; END;
CREATE TRIGGER patrol_routes_update_gen AFTER UPDATE ON patrol_routes
BEGIN UPDATE kapok_count_gens SET gen = gen + 1 WHERE name = 'routes'; END;
