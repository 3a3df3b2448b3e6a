-- The status board, the tree's badges and the map's colours are read again
-- after every change a person makes (≤ 50 ms in all).
--
-- Open events per grid, with their deadlines, straight from an index: the
-- table's rows (with their geometry and texts) are not read.
CREATE INDEX events_state_grid ON events(state, grid_code, deadline);

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
CREATE TRIGGER units_update AFTER UPDATE OF grid_code ON units WHEN old.grid_code IS NOT new.grid_code
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
