package mirror

import "testing"

func TestLastValue(t *testing.T) {
	for _, c := range []struct {
		hourly   string
		upTo     int
		hour     int
		v        float64
		ok, fail bool
	}{
		{"[1,2,3]", 2, 2, 3, true, false},
		{"[1,2,3]", 1, 1, 2, true, false},
		{"[1,null,null]", 2, 0, 1, true, false},
		{"[null,null]", 1, 0, 0, false, false},
		{"[1, 2.5 ,null]", 23, 1, 2.5, true, false},
		{"[]", 5, 0, 0, false, false},
		{"[1,x]", 1, 1, 0, false, true},
		{"[7]", 0, 0, 7, true, false},
	} {
		h, v, ok, err := lastValue(c.hourly, c.upTo)
		if h != c.hour || v != c.v || ok != c.ok || (err != nil) != c.fail {
			t.Errorf("lastValue(%q, %d) = %d, %v, %v, %v", c.hourly, c.upTo, h, v, ok, err)
		}
	}
}
