package brief

import (
	"context"
	"path/filepath"
	"testing"

	"kapok/app/msg"
	"kapok/data/mirror"
	"kapok/data/sign"
	"kapok/internal/fixture"
)

// The briefings' targets: the whole city's in at most 3 s and 10 MB, one
// street's in at most 1 s; end to end (read, evaluate, draw, write,
// sign), on the demo Guangzhou. Warm: the mirror open and its caches
// filled by a first make; cold: the mirror opened for each make (the
// files in the OS's cache either way).
func benchBrief(b *testing.B, region string, cold bool) {
	b.Setenv("XDG_CONFIG_HOME", b.TempDir())
	keys, err := sign.DefaultDir()
	if err != nil {
		b.Fatal(err)
	}
	m := fixture.WritableGuangzhou(b)
	out := filepath.Join(b.TempDir(), "b.pdf")
	opt := Options{Region: region, Lang: msg.Chinese, Now: fixture.AsOf, User: "leader", KeyDir: keys}
	res, err := Make(context.Background(), m, out, opt) // the key made, the caches filled
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		mm := m
		if cold {
			b.StopTimer()
			if mm, err = mirror.Open(m.Path); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
		}
		if res, err = Make(context.Background(), mm, out, opt); err != nil {
			b.Fatal(err)
		}
		if cold {
			b.StopTimer()
			_ = mm.Close()
			b.StartTimer()
		}
	}
	b.ReportMetric(float64(res.Bytes)/1e6, "MB/pdf")
	b.ReportMetric(float64(res.Pages), "pages")
}

func BenchmarkBriefCityWarm(b *testing.B)   { benchBrief(b, "", false) }
func BenchmarkBriefCityCold(b *testing.B)   { benchBrief(b, "", true) }
func BenchmarkBriefStreetWarm(b *testing.B) { benchBrief(b, "440106001", false) }
func BenchmarkBriefStreetCold(b *testing.B) { benchBrief(b, "440106001", true) }
func BenchmarkBriefDistrict(b *testing.B)   { benchBrief(b, "440106", false) }
