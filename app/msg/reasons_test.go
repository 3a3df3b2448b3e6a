package msg

import (
	"testing"

	"kapok/data"
)

func TestReasons(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		r      data.Recommendation
		zh, en string
	}{
		{data.Recommendation{Tier: data.LevelCommunity + 1, SameGrid: true, DistanceM: 318, Has: []string{"fire_fighting"}},
			"同网格 · 320 m · 具备灭火能力", "same grid · 320 m · can do fire fighting"},
		{data.Recommendation{Tier: data.LevelCommunity, DistanceM: 1450, Has: []string{"flood_control"}, Lacks: []string{"first_aid", "evacuation"}, Load: 2},
			"同社区 · 1.4 km · 具备防汛能力 · 缺急救、疏散转移能力 · 24小时内已派2次",
			"same community · 1.4 km · can do flood control · lacks first aid, evacuation · 2 taken in 24 h"},
		{data.Recommendation{Tier: data.LevelStreet, DistanceM: 4}, "同街道 · 0 m", "same street · 0 m"},
		{data.Recommendation{Tier: data.LevelCity, DistanceM: 12345}, "跨区 · 12.3 km", "another district · 12.3 km"},
	} {
		if got := c.Reasons(Chinese, tc.r); got != tc.zh {
			t.Errorf("zh: %q, want %q", got, tc.zh)
		}
		if got := c.Reasons(English, tc.r); got != tc.en {
			t.Errorf("en: %q, want %q", got, tc.en)
		}
	}
}

func TestDistance(t *testing.T) {
	for m, want := range map[float64]string{0: "0 m", 4.9: "0 m", 5: "10 m", 994: "990 m", 995: "1.0 km", 1049: "1.0 km", 1051: "1.1 km", 25300: "25.3 km"} {
		if got := Distance(m); got != want {
			t.Errorf("Distance(%v) = %q, want %q", m, got, want)
		}
	}
}
