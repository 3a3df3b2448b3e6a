-- The status board, the tree's badges and the map's colours are read again
-- after every change a person makes (≤ 50 ms in all).
--
-- The case queue (≤ 30 ms for all 45,000 demo cases) sorts on these
-- columns and filters on the others: SQLite orders the cases reading this
-- index only, then reads the rows of the first few hundred. The open events
-- per grid with their deadlines (badges, board, map) come from it too,
-- without the table's rows (geometry, texts). It starts with the columns of
-- events_state, which it replaces (one index fewer to write, 2 MB less).
CREATE INDEX events_queue ON events(state, deadline, closed_at, reported_at, code, grid_code, source, matter_code);
DROP INDEX events_state;

-- What changes seldom (how punctually closed events were closed, how many
-- units each grid has, the regions and their grids) is counted once and
-- kept by each open mirror, and so are the open events per grid between two
-- changes (one refresh reads them for the badges, the board and the map).
-- These generations say when to count again: triggers bump them on every
-- write that changes those counts, whoever writes (this process, another
-- one, a tool), so a kept count is never stale.
CREATE TABLE kapok_count_gens (name TEXT PRIMARY KEY, gen INTEGER NOT NULL) WITHOUT ROWID;
INSERT INTO kapok_count_gens VALUES ('events', 0), ('closed_events', 0), ('units', 0), ('regions', 0);

CREATE TRIGGER events_insert AFTER INSERT ON events
BEGIN UPDATE kapok_count_gens SET gen = gen + 1 WHERE name = 'events'; END;
CREATE TRIGGER events_delete AFTER DELETE ON events
BEGIN UPDATE kapok_count_gens SET gen = gen + 1 WHERE name = 'events'; END;
CREATE TRIGGER events_update AFTER UPDATE ON events
BEGIN UPDATE kapok_count_gens SET gen = gen + 1 WHERE name = 'events'; END;

CREATE TRIGGER closed_events_insert AFTER INSERT ON events WHEN new.closed_at IS NOT NULL
BEGIN UPDATE kapok_count_gens SET gen = gen + 1 WHERE name = 'closed_events'; END;
CREATE TRIGGER closed_events_delete AFTER DELETE ON events WHEN old.closed_at IS NOT NULL
BEGIN UPDATE kapok_count_gens SET gen = gen + 1 WHERE name = 'closed_events'; END;
CREATE TRIGGER closed_events_update AFTER UPDATE OF closed_at, deadline, grid_code ON events
WHEN old.closed_at IS NOT new.closed_at
  OR (new.closed_at IS NOT NULL AND (old.deadline IS NOT new.deadline OR old.grid_code IS NOT new.grid_code))
BEGIN UPDATE kapok_count_gens SET gen = gen + 1 WHERE name = 'closed_events'; END;

CREATE TRIGGER units_insert AFTER INSERT ON units
BEGIN UPDATE kapok_count_gens SET gen = gen + 1 WHERE name = 'units'; END;
CREATE TRIGGER units_delete AFTER DELETE ON units
BEGIN UPDATE kapok_count_gens SET gen = gen + 1 WHERE name = 'units'; END;
-- (units also counts a unit moved or given other capabilities: the
-- recommendation's index of units is built again then.)
CREATE TRIGGER units_update AFTER UPDATE OF grid_code, geom, capabilities ON units
WHEN old.grid_code IS NOT new.grid_code OR old.geom IS NOT new.geom OR old.capabilities IS NOT new.capabilities
BEGIN UPDATE kapok_count_gens SET gen = gen + 1 WHERE name = 'units'; END;

CREATE TRIGGER cities_insert_gen AFTER INSERT ON cities
BEGIN UPDATE kapok_count_gens SET gen = gen + 1 WHERE name = 'regions'; END;
CREATE TRIGGER cities_delete_gen AFTER DELETE ON cities
BEGIN UPDATE kapok_count_gens SET gen = gen + 1 WHERE name = 'regions'; END;
CREATE TRIGGER cities_update_gen AFTER UPDATE ON cities
BEGIN UPDATE kapok_count_gens SET gen = gen + 1 WHERE name = 'regions'; END;
CREATE TRIGGER districts_insert_gen AFTER INSERT ON districts
BEGIN UPDATE kapok_count_gens SET gen = gen + 1 WHERE name = 'regions'; END;
CREATE TRIGGER districts_delete_gen AFTER DELETE ON districts
BEGIN UPDATE kapok_count_gens SET gen = gen + 1 WHERE name = 'regions'; END;
CREATE TRIGGER districts_update_gen AFTER UPDATE ON districts
BEGIN UPDATE kapok_count_gens SET gen = gen + 1 WHERE name = 'regions'; END;
CREATE TRIGGER streets_insert_gen AFTER INSERT ON streets
BEGIN UPDATE kapok_count_gens SET gen = gen + 1 WHERE name = 'regions'; END;
CREATE TRIGGER streets_delete_gen AFTER DELETE ON streets
BEGIN UPDATE kapok_count_gens SET gen = gen + 1 WHERE name = 'regions'; END;
CREATE TRIGGER streets_update_gen AFTER UPDATE ON streets
BEGIN UPDATE kapok_count_gens SET gen = gen + 1 WHERE name = 'regions'; END;
CREATE TRIGGER communities_insert_gen AFTER INSERT ON communities
BEGIN UPDATE kapok_count_gens SET gen = gen + 1 WHERE name = 'regions'; END;
CREATE TRIGGER communities_delete_gen AFTER DELETE ON communities
BEGIN UPDATE kapok_count_gens SET gen = gen + 1 WHERE name = 'regions'; END;
CREATE TRIGGER communities_update_gen AFTER UPDATE ON communities
BEGIN UPDATE kapok_count_gens SET gen = gen + 1 WHERE name = 'regions'; END;
CREATE TRIGGER grids_insert_gen AFTER INSERT ON grids
BEGIN UPDATE kapok_count_gens SET gen = gen + 1 WHERE name = 'regions'; END;
CREATE TRIGGER grids_delete_gen AFTER DELETE ON grids
BEGIN UPDATE kapok_count_gens SET gen = gen + 1 WHERE name = 'regions'; END;
CREATE TRIGGER grids_update_gen AFTER UPDATE ON grids
BEGIN UPDATE kapok_count_gens SET gen = gen + 1 WHERE name = 'regions'; END;

-- A recommendation (≤ 1 ms) reads the units' statuses and the holds of the
-- last day again only when these moved.
INSERT INTO kapok_count_gens VALUES ('unit_status', 0), ('unit_holds', 0);
CREATE TRIGGER units_status_gen AFTER UPDATE OF status ON units WHEN old.status IS NOT new.status
BEGIN UPDATE kapok_count_gens SET gen = gen + 1 WHERE name = 'unit_status'; END;
CREATE TRIGGER units_insert_status_gen AFTER INSERT ON units
BEGIN UPDATE kapok_count_gens SET gen = gen + 1 WHERE name = 'unit_status'; END;
CREATE TRIGGER units_delete_status_gen AFTER DELETE ON units
BEGIN UPDATE kapok_count_gens SET gen = gen + 1 WHERE name = 'unit_status'; END;
CREATE TRIGGER unit_holds_insert_gen AFTER INSERT ON unit_holds
BEGIN UPDATE kapok_count_gens SET gen = gen + 1 WHERE name = 'unit_holds'; END;
CREATE TRIGGER unit_holds_delete_gen AFTER DELETE ON unit_holds
BEGIN UPDATE kapok_count_gens SET gen = gen + 1 WHERE name = 'unit_holds'; END;
CREATE TRIGGER unit_holds_update_gen AFTER UPDATE OF unit_code, since ON unit_holds
BEGIN UPDATE kapok_count_gens SET gen = gen + 1 WHERE name = 'unit_holds'; END;
