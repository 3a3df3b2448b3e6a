package syncer_test

import (
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"kapok/data/mirror"
	"kapok/data/syncer"
	"kapok/data/upstream"
	"kapok/internal/fixture"
)

// The first mirror of the demo Guangzhou (20,031 grids, 21,590 units) from
// the upstream into a new GeoPackage, as kapok sync --init makes it
// (catalogues, reference rows, users, the base — 45,020 cases, 303,402
// steps, responders, cameras, indicator values… —, the first sync, the file
// put in place): target ≤ 20 s. In the same run, GDAL's ogr2ogr copies the same
// seven layers from PostGIS into a GeoPackage, the yardstick for the
// reference part (it writes no users, catalogues, base or sync state): metrics init-s and
// ogr2ogr-s per run, and their ratio, x-ogr2ogr.
func BenchmarkSyncInitGuangzhou(b *testing.B) {
	bg := context.Background()
	src, err := mirror.OpenExisting(fixture.GuangzhouPath(b))
	if err != nil {
		b.Fatal(err)
	}
	defer func() { _ = src.Close() }()
	conn, _ := publishedUpstream(b, src)
	pg := conn.Config()
	ogr, ogrErr := exec.LookPath("ogr2ogr")
	args := []string{"-f", "GPKG", "", fmt.Sprintf("PG:dbname=%s host=%s port=%d user=%s", pg.Database, pg.Host, pg.Port, pg.User)}
	for _, t := range upstream.ReferenceTables {
		args = append(args, t.Name)
	}
	var ours, theirs, sync time.Duration
	runs := 0
	b.ResetTimer()
	for range b.N {
		dir := b.TempDir()
		start := time.Now()
		res, err := syncer.Init(bg, filepath.Join(dir, "new.gpkg"), conn, time.Now)
		if err != nil {
			b.Fatal(err)
		}
		ours += time.Since(start)
		sync += res.Sync.Took
		runs++
		if ogrErr == nil {
			b.StopTimer()
			args[2] = filepath.Join(dir, "ogr.gpkg")
			start := time.Now()
			if out, err := exec.Command(ogr, args...).CombinedOutput(); err != nil {
				b.Fatalf("ogr2ogr: %v\n%s", err, out)
			}
			theirs += time.Since(start)
			b.StartTimer()
		}
	}
	b.ReportMetric(ours.Seconds()/float64(runs), "init-s")
	b.ReportMetric(sync.Seconds()/float64(runs), "first-sync-s")
	if ogrErr != nil {
		b.Log("GDAL (ogr2ogr) not installed: no yardstick")
		return
	}
	b.ReportMetric(theirs.Seconds()/float64(runs), "ogr2ogr-s")
	b.ReportMetric(ours.Seconds()/theirs.Seconds(), "x-ogr2ogr")
}
