-- The city platform's reference data, as the mirrors hold it (data/mirror's
-- 0002_domain.sql), in PostGIS: geometry in WGS 84 (SRID 4326), codes as keys.
-- Every row carries a change version: a number from the one sequence
-- change_version, set by a trigger on every insert and update, so a console
-- pulls "what changed since version V" from all tables with one number.

CREATE SEQUENCE change_version;

CREATE FUNCTION set_change_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.version := nextval('change_version');
  RETURN NEW;
END $$;

-- Regions: city (4 digits) → district (6) → street/town (9) → community/village (12).
CREATE TABLE cities (
  code text PRIMARY KEY CHECK (length(code) = 4),
  name text NOT NULL,
  pinyin text NOT NULL,
  area_km2 double precision NOT NULL DEFAULT 0,
  geom geometry(MultiPolygon, 4326),
  version bigint NOT NULL
);
CREATE TABLE districts (
  code text PRIMARY KEY CHECK (length(code) = 6),
  name text NOT NULL,
  pinyin text NOT NULL,
  city_code text NOT NULL REFERENCES cities(code),
  area_km2 double precision NOT NULL DEFAULT 0,
  geom geometry(MultiPolygon, 4326),
  version bigint NOT NULL
);
CREATE TABLE streets (
  code text PRIMARY KEY CHECK (length(code) = 9),
  name text NOT NULL,
  pinyin text NOT NULL,
  district_code text NOT NULL REFERENCES districts(code),
  kind text NOT NULL CHECK (kind IN ('street','town')),
  area_km2 double precision NOT NULL DEFAULT 0,
  geom geometry(MultiPolygon, 4326),
  version bigint NOT NULL
);
CREATE TABLE communities (
  code text PRIMARY KEY CHECK (length(code) = 12),
  name text NOT NULL,
  pinyin text NOT NULL,
  street_code text NOT NULL REFERENCES streets(code),
  kind text NOT NULL CHECK (kind IN ('community','village')),
  area_km2 double precision NOT NULL DEFAULT 0,
  demo_point boolean NOT NULL DEFAULT false,
  geom geometry(MultiPolygon, 4326),
  version bigint NOT NULL
);
-- Comprehensive grids: 15-digit code = community code + 3-digit sequence.
CREATE TABLE grids (
  code text PRIMARY KEY CHECK (length(code) = 15),
  community_code text NOT NULL REFERENCES communities(code),
  kind text NOT NULL CHECK (kind IN ('residential','village','commercial','industrial','special')),
  area_m2 double precision NOT NULL DEFAULT 0,
  population integer NOT NULL DEFAULT 0,
  households integer NOT NULL DEFAULT 0,
  geom geometry(MultiPolygon, 4326),
  version bigint NOT NULL,
  CHECK (substr(code, 1, 12) = community_code)
);
-- Four-level comprehensive governance centers, one per region.
CREATE TABLE centers (
  code text PRIMARY KEY,
  level text NOT NULL CHECK (level IN ('city','district','street','community')),
  region_code text NOT NULL UNIQUE,
  name text NOT NULL,
  duty_phone text NOT NULL,
  staff_on_duty integer NOT NULL DEFAULT 0,
  status text NOT NULL CHECK (status IN ('normal','alert','emergency','offline')),
  geom geometry(Point, 4326),
  version bigint NOT NULL
);
-- Minimum emergency disposal units.
CREATE TABLE units (
  code text PRIMARY KEY,
  name text NOT NULL,
  unit_type text NOT NULL CHECK (unit_type IN ('community','village','enterprise','school','hospital','market','transport')),
  grid_code text NOT NULL REFERENCES grids(code),
  capabilities text NOT NULL DEFAULT '',
  status text NOT NULL CHECK (status IN ('available','dispatched','busy','offline')),
  geom geometry(Point, 4326),
  version bigint NOT NULL
);

-- Per table: the version trigger, an index for "changed since", a spatial
-- index, and an index on the parent's code.
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['cities','districts','streets','communities','grids','centers','units'] LOOP
    EXECUTE format('CREATE TRIGGER %I BEFORE INSERT OR UPDATE ON %I FOR EACH ROW EXECUTE FUNCTION set_change_version()', t || '_version', t);
    EXECUTE format('CREATE UNIQUE INDEX %I ON %I (version)', t || '_version', t);
    EXECUTE format('CREATE INDEX %I ON %I USING gist (geom)', t || '_geom', t);
  END LOOP;
END $$;
CREATE INDEX districts_city ON districts (city_code);
CREATE INDEX streets_district ON streets (district_code);
CREATE INDEX communities_street ON communities (street_code);
CREATE INDEX grids_community ON grids (community_code);
CREATE INDEX units_grid ON units (grid_code);
