package mirror

import (
	"context"
	"path/filepath"
	"testing"
)

// Migration 12 brings a mirror's indicators in step with the catalogue:
// the demo's first thresholds (which put most values in alarm) are
// replaced.
func TestMigration12RecalibratesIndicators(t *testing.T) {
	ctx := context.Background()
	m, err := openAt(filepath.Join(t.TempDir(), "old.gpkg"), 11)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = m.Close() }()
	if _, err := m.DB.Exec(`INSERT INTO indicator_defs (id, code, category, name_zh, name_en, unit, direction, warn, alarm) VALUES
		(1, 'transport-01H', 'transport', '地铁客流量', 'metro ridership', '万人次', 'higher_better', 29.75, 24.5),
		(2, 'environment-01H', 'environment', '空气质量指数', 'AQI', 'AQI', 'lower_better', 71.5, 88)`); err != nil {
		t.Fatal(err)
	}
	if err := m.migrate(ctx, 12); err != nil {
		t.Fatal(err)
	}
	defs, err := m.IndicatorDefs(ctx)
	if err != nil || len(defs) != 2 {
		t.Fatalf("%+v %v", defs, err)
	}
	if d := defs[0]; d.Threshold != "baseline" || d.Warn != 0.7 || d.Alarm != 0.5 || d.Rollup != "sum" || d.Refresh.Minutes() != 1 || d.Source != "市交通运输局" {
		t.Fatalf("metro ridership after the migration: %+v", d)
	}
	if d := defs[1]; d.Threshold != "absolute" || d.Warn != 100 || d.Alarm != 150 || d.Hysteresis != 10 {
		t.Fatalf("AQI after the migration: %+v", d)
	}
}
