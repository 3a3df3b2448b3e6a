-- Every stored instant in one text form: UTC with milliseconds, as
-- GeoPackage writes DATETIME ('2026-11-25T08:00:00.000Z'). Until now events
-- had that form and everything else whole seconds ('2026-11-25T08:00:00Z'),
-- and the two do not sort together. strftime gives NULL for text that is no
-- time: a check before this SQL (migrate_v4.go) stops the migration when any
-- stored time is unreadable, rather than rewrite it to NULL.
UPDATE kapok_schema SET applied_at = strftime('%Y-%m-%dT%H:%M:%fZ', applied_at);
UPDATE kapok_meta SET value = strftime('%Y-%m-%dT%H:%M:%fZ', value) WHERE key = 'as_of';
UPDATE event_history SET at = strftime('%Y-%m-%dT%H:%M:%fZ', at);
UPDATE events SET
  reported_at = strftime('%Y-%m-%dT%H:%M:%fZ', reported_at),
  dispatched_at = strftime('%Y-%m-%dT%H:%M:%fZ', dispatched_at),
  deadline = strftime('%Y-%m-%dT%H:%M:%fZ', deadline),
  closed_at = strftime('%Y-%m-%dT%H:%M:%fZ', closed_at);
UPDATE orders SET
  issued_at = strftime('%Y-%m-%dT%H:%M:%fZ', issued_at),
  start_at = strftime('%Y-%m-%dT%H:%M:%fZ', start_at),
  end_at = strftime('%Y-%m-%dT%H:%M:%fZ', end_at),
  updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', updated_at);
UPDATE gpkg_contents SET last_change = strftime('%Y-%m-%dT%H:%M:%fZ', last_change);
-- audit_log refuses UPDATE; its times are converted as it moves into the
-- journal (migration 5).
-- The view of hourly indicator values gives its hours in the same form.
DROP VIEW indicator_hourly;
CREATE VIEW indicator_hourly AS
  SELECT v.indicator_id, v.district_code,
         strftime('%Y-%m-%dT%H:00:00.000Z', v.day || ' 00:00:00', '-8 hours', '+' || h.key || ' hours') AS hour,
         h.value AS value
  FROM indicator_values v, json_each(v.hourly) h
  WHERE h.value IS NOT NULL;
