package readings

import (
	"bytes"
	"fmt"
	"testing"
	"time"
)

// benchInput is n records of transport values in the 11 districts and the
// city, one a minute per series, as CSV or JSON Lines.
func benchInput(f Format, n int) []byte {
	regions := []string{"4401", "440103", "440104", "440105", "440106", "440111", "440112", "440113", "440114", "440115", "440117", "440118"}
	var b bytes.Buffer
	if f == CSV {
		b.WriteString("indicator,region,time,value\n")
	}
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.FixedZone("", 8*3600))
	for i := 0; i < n; i++ {
		code, region := fmt.Sprintf("transport-0%dH", 1+i%9), regions[(i/9)%len(regions)]
		at, v := now.Add(-time.Duration(i/108)*time.Minute).Format(time.RFC3339), 10+float64(i%70)/10
		if f == CSV {
			fmt.Fprintf(&b, "%s,%s,%s,%g\n", code, region, at, v)
		} else {
			fmt.Fprintf(&b, `{"indicator":%q,"region":%q,"time":%q,"value":%g}`+"\n", code, region, at, v)
		}
	}
	return b.Bytes()
}

// Reading 100,000 values, as kapok feed does before feeding them.
func BenchmarkRead100k(b *testing.B) {
	for _, f := range []Format{CSV, JSONL} {
		in := benchInput(f, 100_000)
		b.Run(string(f), func(b *testing.B) {
			b.SetBytes(int64(len(in)))
			for i := 0; i < b.N; i++ {
				rs, err := Read("bench", bytes.NewReader(in), f)
				if err != nil || len(rs) != 100_000 {
					b.Fatal(len(rs), err)
				}
			}
		})
	}
}
