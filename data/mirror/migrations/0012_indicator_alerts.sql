-- Monitoring (issue 11): indicators judged against their thresholds, the
-- values fed since the demo's hourly archive, and the alerts they open.

-- The catalogue's columns (assets/indicators.csv; filled from it by the
-- migration's Go step for the indicators a mirror has).
ALTER TABLE indicator_defs ADD COLUMN rollup TEXT NOT NULL DEFAULT 'sum' CHECK (rollup IN ('sum','mean'));
ALTER TABLE indicator_defs ADD COLUMN threshold TEXT NOT NULL DEFAULT 'absolute' CHECK (threshold IN ('absolute','baseline'));
ALTER TABLE indicator_defs ADD COLUMN hysteresis REAL NOT NULL DEFAULT 0 CHECK (hysteresis >= 0);
ALTER TABLE indicator_defs ADD COLUMN refresh_seconds INTEGER NOT NULL DEFAULT 3600 CHECK (refresh_seconds > 0);
ALTER TABLE indicator_defs ADD COLUMN source TEXT NOT NULL DEFAULT '';

-- Values fed (kapok feed) and the transport group's minute values: one row
-- per indicator, region (the city, a district or a street) and instant.
-- The hourly archive (indicator_values) keeps the districts' history.
CREATE TABLE indicator_readings (
  indicator_id INTEGER NOT NULL REFERENCES indicator_defs(id),
  region_code TEXT NOT NULL,
  at TEXT NOT NULL,
  value REAL NOT NULL,
  PRIMARY KEY (indicator_id, region_code, at)
) STRICT, WITHOUT ROWID;
-- (No index on at alone: every read is by indicator and region first, and
-- the mirror's size is counted.)

-- Each series' latest value fed, kept by a trigger, so that an evaluation
-- reads a row per series however many values were fed.
-- (first_at, the series' earliest value, tells an evaluation whether a
-- week's baseline can exist before it looks for one.)
CREATE TABLE indicator_latest (
  indicator_id INTEGER NOT NULL,
  region_code TEXT NOT NULL,
  at TEXT NOT NULL,
  value REAL NOT NULL,
  first_at TEXT NOT NULL,
  PRIMARY KEY (indicator_id, region_code)
) STRICT, WITHOUT ROWID;
CREATE TRIGGER indicator_readings_latest AFTER INSERT ON indicator_readings
BEGIN
  INSERT INTO indicator_latest VALUES (new.indicator_id, new.region_code, new.at, new.value, new.at)
  ON CONFLICT (indicator_id, region_code) DO UPDATE SET
    value = CASE WHEN excluded.at > indicator_latest.at THEN excluded.value ELSE indicator_latest.value END,
    at = max(indicator_latest.at, excluded.at),
    first_at = min(indicator_latest.first_at, excluded.first_at);
END;

-- How each indicator stands in each region after the last evaluation: the
-- value judged, its baseline (baseline thresholds) and the severity, which
-- the next evaluation's hysteresis starts from.
CREATE TABLE indicator_status (
  indicator_id INTEGER NOT NULL REFERENCES indicator_defs(id),
  region_code TEXT NOT NULL,
  at TEXT NOT NULL,
  value REAL NOT NULL,
  baseline REAL,
  severity TEXT NOT NULL CHECK (severity IN ('normal','warn','alarm')),
  PRIMARY KEY (indicator_id, region_code)
) STRICT, WITHOUT ROWID;

-- An alert is one episode of an indicator in a region at one severity:
-- opened when the severity rises to it, cleared when it falls (to normal,
-- or to warn from alarm, which opens a warn alert). Acknowledged once, by
-- an operator; the time to acknowledge is acked_at - opened_at.
CREATE TABLE alerts (
  uid TEXT PRIMARY KEY,
  indicator_id INTEGER NOT NULL REFERENCES indicator_defs(id),
  region_code TEXT NOT NULL,
  severity TEXT NOT NULL CHECK (severity IN ('warn','alarm')),
  opened_at TEXT NOT NULL,
  opened_value REAL NOT NULL,
  cleared_at TEXT,
  cleared_value REAL,
  acked_at TEXT,
  acked_by INTEGER REFERENCES users(id),
  CHECK (cleared_at IS NULL OR cleared_at >= opened_at),
  CHECK ((acked_at IS NULL) = (acked_by IS NULL))
) STRICT;
-- At most one open alert per indicator and region.
CREATE UNIQUE INDEX alerts_open ON alerts(indicator_id, region_code) WHERE cleared_at IS NULL;
CREATE INDEX alerts_opened ON alerts(opened_at);

-- The hourly archive has a generation: what evaluations work out from it
-- (each district's latest value and its baseline) is kept until it moves.
INSERT INTO kapok_count_gens VALUES ('indicator_archive', 0);
CREATE TRIGGER indicator_values_insert_gen AFTER INSERT ON indicator_values
BEGIN UPDATE kapok_count_gens SET gen = gen + 1 WHERE name = 'indicator_archive'; END;
CREATE TRIGGER indicator_values_delete_gen AFTER DELETE ON indicator_values
BEGIN UPDATE kapok_count_gens SET gen = gen + 1 WHERE name = 'indicator_archive'; END;
CREATE TRIGGER indicator_values_update_gen AFTER UPDATE ON indicator_values
BEGIN UPDATE kapok_count_gens SET gen = gen + 1 WHERE name = 'indicator_archive'; END;
