package app

import (
	"context"
	"io"
	"os"
	"path"
	"path/filepath"
	"sync"
	"testing"

	"kapok/assets"
	"kapok/data"
	kmaps "kapok/maps"
)

var (
	cityOnce sync.Once
	cityMap  *CityMap
	cityErr  error
)

// guangzhouMap builds the demo mirror once per test binary and loads it.
func guangzhouMap(b testing.TB) *CityMap {
	cityOnce.Do(func() {
		dir, err := os.MkdirTemp("", "kapok-render")
		if err != nil {
			cityErr = err
			return
		}
		open := func(n string) (io.ReadCloser, error) { return assets.FS.Open(path.Join("guangzhou", n)) }
		src, err := data.ReadCitySource(open, "districts.geojson", "streets.csv", "villages.csv", "广州市")
		if err != nil {
			cityErr = err
			return
		}
		out := filepath.Join(dir, "gz.gpkg")
		if _, cityErr = data.BuildDemo(out, src, data.DefaultDemoOptions()); cityErr != nil {
			return
		}
		m, err := data.Open(out)
		if err != nil {
			cityErr = err
			return
		}
		defer m.Close()
		cityMap, cityErr = LoadCityMap(m, "events")
	})
	if cityErr != nil {
		b.Fatal(cityErr)
	}
	return cityMap
}

// Target: whole city at 1920×1080, every cache cold, ≤ 40 ms.
func BenchmarkWholeCityCold(b *testing.B) {
	cm := guangzhouMap(b)
	v := kmaps.NewViewport(1920, 1080).Fit(cm.Extent, 12)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		cm.Map.ClearCache()
		if _, err := cm.Map.Render(context.Background(), v); err != nil {
			b.Fatal(err)
		}
	}
}
