-- Registers the feature tables in gpkg_contents and gpkg_geometry_columns and
-- gives each the GeoPackage R-tree spatial index extension (spec 1.2, annex F.3).
-- The triggers call ST_IsEmpty/ST_MinX/... which Kapok registers on every
-- connection (data/gpkgfuncs.go) and GDAL provides itself.

INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) VALUES ('cities', 'features', 'cities', 'The city', 4326);
INSERT INTO gpkg_geometry_columns VALUES ('cities', 'geom', 'MULTIPOLYGON', 4326, 0, 0);
INSERT INTO gpkg_extensions VALUES ('cities', 'geom', 'gpkg_rtree_index', 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only');
CREATE VIRTUAL TABLE rtree_cities_geom USING rtree(id, minx, maxx, miny, maxy);
CREATE TRIGGER rtree_cities_geom_insert AFTER INSERT ON cities WHEN (new.geom NOT NULL AND NOT ST_IsEmpty(NEW.geom))
BEGIN INSERT OR REPLACE INTO rtree_cities_geom VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END;
CREATE TRIGGER rtree_cities_geom_update1 AFTER UPDATE OF geom ON cities WHEN OLD.fid = NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
BEGIN INSERT OR REPLACE INTO rtree_cities_geom VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END;
CREATE TRIGGER rtree_cities_geom_update2 AFTER UPDATE OF geom ON cities WHEN OLD.fid = NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
BEGIN DELETE FROM rtree_cities_geom WHERE id = OLD.fid; END;
CREATE TRIGGER rtree_cities_geom_update3 AFTER UPDATE ON cities WHEN OLD.fid != NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
BEGIN DELETE FROM rtree_cities_geom WHERE id = OLD.fid; INSERT OR REPLACE INTO rtree_cities_geom VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END;
CREATE TRIGGER rtree_cities_geom_update4 AFTER UPDATE ON cities WHEN OLD.fid != NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
BEGIN DELETE FROM rtree_cities_geom WHERE id IN (OLD.fid, NEW.fid); END;
CREATE TRIGGER rtree_cities_geom_delete AFTER DELETE ON cities WHEN old.geom NOT NULL
BEGIN DELETE FROM rtree_cities_geom WHERE id = OLD.fid; END;

INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) VALUES ('districts', 'features', 'districts', 'Districts (区)', 4326);
INSERT INTO gpkg_geometry_columns VALUES ('districts', 'geom', 'MULTIPOLYGON', 4326, 0, 0);
INSERT INTO gpkg_extensions VALUES ('districts', 'geom', 'gpkg_rtree_index', 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only');
CREATE VIRTUAL TABLE rtree_districts_geom USING rtree(id, minx, maxx, miny, maxy);
CREATE TRIGGER rtree_districts_geom_insert AFTER INSERT ON districts WHEN (new.geom NOT NULL AND NOT ST_IsEmpty(NEW.geom))
BEGIN INSERT OR REPLACE INTO rtree_districts_geom VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END;
CREATE TRIGGER rtree_districts_geom_update1 AFTER UPDATE OF geom ON districts WHEN OLD.fid = NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
BEGIN INSERT OR REPLACE INTO rtree_districts_geom VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END;
CREATE TRIGGER rtree_districts_geom_update2 AFTER UPDATE OF geom ON districts WHEN OLD.fid = NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
BEGIN DELETE FROM rtree_districts_geom WHERE id = OLD.fid; END;
CREATE TRIGGER rtree_districts_geom_update3 AFTER UPDATE ON districts WHEN OLD.fid != NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
BEGIN DELETE FROM rtree_districts_geom WHERE id = OLD.fid; INSERT OR REPLACE INTO rtree_districts_geom VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END;
CREATE TRIGGER rtree_districts_geom_update4 AFTER UPDATE ON districts WHEN OLD.fid != NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
BEGIN DELETE FROM rtree_districts_geom WHERE id IN (OLD.fid, NEW.fid); END;
CREATE TRIGGER rtree_districts_geom_delete AFTER DELETE ON districts WHEN old.geom NOT NULL
BEGIN DELETE FROM rtree_districts_geom WHERE id = OLD.fid; END;

INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) VALUES ('streets', 'features', 'streets', 'Streets and towns (街道/镇)', 4326);
INSERT INTO gpkg_geometry_columns VALUES ('streets', 'geom', 'MULTIPOLYGON', 4326, 0, 0);
INSERT INTO gpkg_extensions VALUES ('streets', 'geom', 'gpkg_rtree_index', 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only');
CREATE VIRTUAL TABLE rtree_streets_geom USING rtree(id, minx, maxx, miny, maxy);
CREATE TRIGGER rtree_streets_geom_insert AFTER INSERT ON streets WHEN (new.geom NOT NULL AND NOT ST_IsEmpty(NEW.geom))
BEGIN INSERT OR REPLACE INTO rtree_streets_geom VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END;
CREATE TRIGGER rtree_streets_geom_update1 AFTER UPDATE OF geom ON streets WHEN OLD.fid = NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
BEGIN INSERT OR REPLACE INTO rtree_streets_geom VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END;
CREATE TRIGGER rtree_streets_geom_update2 AFTER UPDATE OF geom ON streets WHEN OLD.fid = NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
BEGIN DELETE FROM rtree_streets_geom WHERE id = OLD.fid; END;
CREATE TRIGGER rtree_streets_geom_update3 AFTER UPDATE ON streets WHEN OLD.fid != NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
BEGIN DELETE FROM rtree_streets_geom WHERE id = OLD.fid; INSERT OR REPLACE INTO rtree_streets_geom VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END;
CREATE TRIGGER rtree_streets_geom_update4 AFTER UPDATE ON streets WHEN OLD.fid != NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
BEGIN DELETE FROM rtree_streets_geom WHERE id IN (OLD.fid, NEW.fid); END;
CREATE TRIGGER rtree_streets_geom_delete AFTER DELETE ON streets WHEN old.geom NOT NULL
BEGIN DELETE FROM rtree_streets_geom WHERE id = OLD.fid; END;

INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) VALUES ('communities', 'features', 'communities', 'Communities and villages (社区/村)', 4326);
INSERT INTO gpkg_geometry_columns VALUES ('communities', 'geom', 'MULTIPOLYGON', 4326, 0, 0);
INSERT INTO gpkg_extensions VALUES ('communities', 'geom', 'gpkg_rtree_index', 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only');
CREATE VIRTUAL TABLE rtree_communities_geom USING rtree(id, minx, maxx, miny, maxy);
CREATE TRIGGER rtree_communities_geom_insert AFTER INSERT ON communities WHEN (new.geom NOT NULL AND NOT ST_IsEmpty(NEW.geom))
BEGIN INSERT OR REPLACE INTO rtree_communities_geom VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END;
CREATE TRIGGER rtree_communities_geom_update1 AFTER UPDATE OF geom ON communities WHEN OLD.fid = NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
BEGIN INSERT OR REPLACE INTO rtree_communities_geom VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END;
CREATE TRIGGER rtree_communities_geom_update2 AFTER UPDATE OF geom ON communities WHEN OLD.fid = NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
BEGIN DELETE FROM rtree_communities_geom WHERE id = OLD.fid; END;
CREATE TRIGGER rtree_communities_geom_update3 AFTER UPDATE ON communities WHEN OLD.fid != NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
BEGIN DELETE FROM rtree_communities_geom WHERE id = OLD.fid; INSERT OR REPLACE INTO rtree_communities_geom VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END;
CREATE TRIGGER rtree_communities_geom_update4 AFTER UPDATE ON communities WHEN OLD.fid != NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
BEGIN DELETE FROM rtree_communities_geom WHERE id IN (OLD.fid, NEW.fid); END;
CREATE TRIGGER rtree_communities_geom_delete AFTER DELETE ON communities WHEN old.geom NOT NULL
BEGIN DELETE FROM rtree_communities_geom WHERE id = OLD.fid; END;

INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) VALUES ('grids', 'features', 'grids', 'Comprehensive grids (综合网格)', 4326);
INSERT INTO gpkg_geometry_columns VALUES ('grids', 'geom', 'MULTIPOLYGON', 4326, 0, 0);
INSERT INTO gpkg_extensions VALUES ('grids', 'geom', 'gpkg_rtree_index', 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only');
CREATE VIRTUAL TABLE rtree_grids_geom USING rtree(id, minx, maxx, miny, maxy);
CREATE TRIGGER rtree_grids_geom_insert AFTER INSERT ON grids WHEN (new.geom NOT NULL AND NOT ST_IsEmpty(NEW.geom))
BEGIN INSERT OR REPLACE INTO rtree_grids_geom VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END;
CREATE TRIGGER rtree_grids_geom_update1 AFTER UPDATE OF geom ON grids WHEN OLD.fid = NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
BEGIN INSERT OR REPLACE INTO rtree_grids_geom VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END;
CREATE TRIGGER rtree_grids_geom_update2 AFTER UPDATE OF geom ON grids WHEN OLD.fid = NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
BEGIN DELETE FROM rtree_grids_geom WHERE id = OLD.fid; END;
CREATE TRIGGER rtree_grids_geom_update3 AFTER UPDATE ON grids WHEN OLD.fid != NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
BEGIN DELETE FROM rtree_grids_geom WHERE id = OLD.fid; INSERT OR REPLACE INTO rtree_grids_geom VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END;
CREATE TRIGGER rtree_grids_geom_update4 AFTER UPDATE ON grids WHEN OLD.fid != NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
BEGIN DELETE FROM rtree_grids_geom WHERE id IN (OLD.fid, NEW.fid); END;
CREATE TRIGGER rtree_grids_geom_delete AFTER DELETE ON grids WHEN old.geom NOT NULL
BEGIN DELETE FROM rtree_grids_geom WHERE id = OLD.fid; END;

INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) VALUES ('centers', 'features', 'centers', 'Comprehensive governance centers (综治中心)', 4326);
INSERT INTO gpkg_geometry_columns VALUES ('centers', 'geom', 'POINT', 4326, 0, 0);
INSERT INTO gpkg_extensions VALUES ('centers', 'geom', 'gpkg_rtree_index', 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only');
CREATE VIRTUAL TABLE rtree_centers_geom USING rtree(id, minx, maxx, miny, maxy);
CREATE TRIGGER rtree_centers_geom_insert AFTER INSERT ON centers WHEN (new.geom NOT NULL AND NOT ST_IsEmpty(NEW.geom))
BEGIN INSERT OR REPLACE INTO rtree_centers_geom VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END;
CREATE TRIGGER rtree_centers_geom_update1 AFTER UPDATE OF geom ON centers WHEN OLD.fid = NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
BEGIN INSERT OR REPLACE INTO rtree_centers_geom VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END;
CREATE TRIGGER rtree_centers_geom_update2 AFTER UPDATE OF geom ON centers WHEN OLD.fid = NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
BEGIN DELETE FROM rtree_centers_geom WHERE id = OLD.fid; END;
CREATE TRIGGER rtree_centers_geom_update3 AFTER UPDATE ON centers WHEN OLD.fid != NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
BEGIN DELETE FROM rtree_centers_geom WHERE id = OLD.fid; INSERT OR REPLACE INTO rtree_centers_geom VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END;
CREATE TRIGGER rtree_centers_geom_update4 AFTER UPDATE ON centers WHEN OLD.fid != NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
BEGIN DELETE FROM rtree_centers_geom WHERE id IN (OLD.fid, NEW.fid); END;
CREATE TRIGGER rtree_centers_geom_delete AFTER DELETE ON centers WHEN old.geom NOT NULL
BEGIN DELETE FROM rtree_centers_geom WHERE id = OLD.fid; END;

INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) VALUES ('units', 'features', 'units', 'Minimum emergency disposal units (最小应急处置单元)', 4326);
INSERT INTO gpkg_geometry_columns VALUES ('units', 'geom', 'POINT', 4326, 0, 0);
INSERT INTO gpkg_extensions VALUES ('units', 'geom', 'gpkg_rtree_index', 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only');
CREATE VIRTUAL TABLE rtree_units_geom USING rtree(id, minx, maxx, miny, maxy);
CREATE TRIGGER rtree_units_geom_insert AFTER INSERT ON units WHEN (new.geom NOT NULL AND NOT ST_IsEmpty(NEW.geom))
BEGIN INSERT OR REPLACE INTO rtree_units_geom VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END;
CREATE TRIGGER rtree_units_geom_update1 AFTER UPDATE OF geom ON units WHEN OLD.fid = NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
BEGIN INSERT OR REPLACE INTO rtree_units_geom VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END;
CREATE TRIGGER rtree_units_geom_update2 AFTER UPDATE OF geom ON units WHEN OLD.fid = NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
BEGIN DELETE FROM rtree_units_geom WHERE id = OLD.fid; END;
CREATE TRIGGER rtree_units_geom_update3 AFTER UPDATE ON units WHEN OLD.fid != NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
BEGIN DELETE FROM rtree_units_geom WHERE id = OLD.fid; INSERT OR REPLACE INTO rtree_units_geom VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END;
CREATE TRIGGER rtree_units_geom_update4 AFTER UPDATE ON units WHEN OLD.fid != NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
BEGIN DELETE FROM rtree_units_geom WHERE id IN (OLD.fid, NEW.fid); END;
CREATE TRIGGER rtree_units_geom_delete AFTER DELETE ON units WHEN old.geom NOT NULL
BEGIN DELETE FROM rtree_units_geom WHERE id = OLD.fid; END;

INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) VALUES ('events', 'features', 'events', 'Events (事件)', 4326);
INSERT INTO gpkg_geometry_columns VALUES ('events', 'geom', 'POINT', 4326, 0, 0);
INSERT INTO gpkg_extensions VALUES ('events', 'geom', 'gpkg_rtree_index', 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only');
CREATE VIRTUAL TABLE rtree_events_geom USING rtree(id, minx, maxx, miny, maxy);
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

INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) VALUES ('cameras', 'features', 'cameras', 'Video cameras (视频)', 4326);
INSERT INTO gpkg_geometry_columns VALUES ('cameras', 'geom', 'POINT', 4326, 0, 0);
INSERT INTO gpkg_extensions VALUES ('cameras', 'geom', 'gpkg_rtree_index', 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only');
CREATE VIRTUAL TABLE rtree_cameras_geom USING rtree(id, minx, maxx, miny, maxy);
CREATE TRIGGER rtree_cameras_geom_insert AFTER INSERT ON cameras WHEN (new.geom NOT NULL AND NOT ST_IsEmpty(NEW.geom))
BEGIN INSERT OR REPLACE INTO rtree_cameras_geom VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END;
CREATE TRIGGER rtree_cameras_geom_update1 AFTER UPDATE OF geom ON cameras WHEN OLD.fid = NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
BEGIN INSERT OR REPLACE INTO rtree_cameras_geom VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END;
CREATE TRIGGER rtree_cameras_geom_update2 AFTER UPDATE OF geom ON cameras WHEN OLD.fid = NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
BEGIN DELETE FROM rtree_cameras_geom WHERE id = OLD.fid; END;
CREATE TRIGGER rtree_cameras_geom_update3 AFTER UPDATE ON cameras WHEN OLD.fid != NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
BEGIN DELETE FROM rtree_cameras_geom WHERE id = OLD.fid; INSERT OR REPLACE INTO rtree_cameras_geom VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END;
CREATE TRIGGER rtree_cameras_geom_update4 AFTER UPDATE ON cameras WHEN OLD.fid != NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
BEGIN DELETE FROM rtree_cameras_geom WHERE id IN (OLD.fid, NEW.fid); END;
CREATE TRIGGER rtree_cameras_geom_delete AFTER DELETE ON cameras WHEN old.geom NOT NULL
BEGIN DELETE FROM rtree_cameras_geom WHERE id = OLD.fid; END;

INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) VALUES ('checkpoints', 'features', 'checkpoints', 'Checkpoints (卡口)', 4326);
INSERT INTO gpkg_geometry_columns VALUES ('checkpoints', 'geom', 'POINT', 4326, 0, 0);
INSERT INTO gpkg_extensions VALUES ('checkpoints', 'geom', 'gpkg_rtree_index', 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only');
CREATE VIRTUAL TABLE rtree_checkpoints_geom USING rtree(id, minx, maxx, miny, maxy);
CREATE TRIGGER rtree_checkpoints_geom_insert AFTER INSERT ON checkpoints WHEN (new.geom NOT NULL AND NOT ST_IsEmpty(NEW.geom))
BEGIN INSERT OR REPLACE INTO rtree_checkpoints_geom VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END;
CREATE TRIGGER rtree_checkpoints_geom_update1 AFTER UPDATE OF geom ON checkpoints WHEN OLD.fid = NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
BEGIN INSERT OR REPLACE INTO rtree_checkpoints_geom VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END;
CREATE TRIGGER rtree_checkpoints_geom_update2 AFTER UPDATE OF geom ON checkpoints WHEN OLD.fid = NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
BEGIN DELETE FROM rtree_checkpoints_geom WHERE id = OLD.fid; END;
CREATE TRIGGER rtree_checkpoints_geom_update3 AFTER UPDATE ON checkpoints WHEN OLD.fid != NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
BEGIN DELETE FROM rtree_checkpoints_geom WHERE id = OLD.fid; INSERT OR REPLACE INTO rtree_checkpoints_geom VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END;
CREATE TRIGGER rtree_checkpoints_geom_update4 AFTER UPDATE ON checkpoints WHEN OLD.fid != NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
BEGIN DELETE FROM rtree_checkpoints_geom WHERE id IN (OLD.fid, NEW.fid); END;
CREATE TRIGGER rtree_checkpoints_geom_delete AFTER DELETE ON checkpoints WHEN old.geom NOT NULL
BEGIN DELETE FROM rtree_checkpoints_geom WHERE id = OLD.fid; END;

INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) VALUES ('patrol_routes', 'features', 'patrol_routes', 'Patrol routes (巡逻路线)', 4326);
INSERT INTO gpkg_geometry_columns VALUES ('patrol_routes', 'geom', 'LINESTRING', 4326, 0, 0);
INSERT INTO gpkg_extensions VALUES ('patrol_routes', 'geom', 'gpkg_rtree_index', 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only');
CREATE VIRTUAL TABLE rtree_patrol_routes_geom USING rtree(id, minx, maxx, miny, maxy);
CREATE TRIGGER rtree_patrol_routes_geom_insert AFTER INSERT ON patrol_routes WHEN (new.geom NOT NULL AND NOT ST_IsEmpty(NEW.geom))
BEGIN INSERT OR REPLACE INTO rtree_patrol_routes_geom VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END;
CREATE TRIGGER rtree_patrol_routes_geom_update1 AFTER UPDATE OF geom ON patrol_routes WHEN OLD.fid = NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
BEGIN INSERT OR REPLACE INTO rtree_patrol_routes_geom VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END;
CREATE TRIGGER rtree_patrol_routes_geom_update2 AFTER UPDATE OF geom ON patrol_routes WHEN OLD.fid = NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
BEGIN DELETE FROM rtree_patrol_routes_geom WHERE id = OLD.fid; END;
CREATE TRIGGER rtree_patrol_routes_geom_update3 AFTER UPDATE ON patrol_routes WHEN OLD.fid != NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
BEGIN DELETE FROM rtree_patrol_routes_geom WHERE id = OLD.fid; INSERT OR REPLACE INTO rtree_patrol_routes_geom VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END;
CREATE TRIGGER rtree_patrol_routes_geom_update4 AFTER UPDATE ON patrol_routes WHEN OLD.fid != NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
BEGIN DELETE FROM rtree_patrol_routes_geom WHERE id IN (OLD.fid, NEW.fid); END;
CREATE TRIGGER rtree_patrol_routes_geom_delete AFTER DELETE ON patrol_routes WHEN old.geom NOT NULL
BEGIN DELETE FROM rtree_patrol_routes_geom WHERE id = OLD.fid; END;
