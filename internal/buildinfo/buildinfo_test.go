package buildinfo

import "testing"

func TestString(t *testing.T) {
	for _, c := range []struct {
		in   Info
		want string
	}{
		{Info{Version: "0.17.0", Commit: "0123456789abcdef0123", Date: "2026-11-26T02:30:00Z"}, "kapok 0.17.0 (0123456789ab) built 2026-11-26T02:30:00Z"},
		{Info{Version: "devel", Commit: "0123456789abcdef-dirty"}, "kapok devel (0123456789ab-dirty)"},
		{Info{Version: "devel"}, "kapok devel"},
	} {
		if got := c.in.String(); got != c.want {
			t.Errorf("%+v.String() = %q, want %q", c.in, got, c.want)
		}
	}
}

// Linked values win, the date comes out in UTC; unset, the version is
// "devel" (a test binary has no VCS stamp).
func TestRead(t *testing.T) {
	if in := Read(); in.Version != "devel" {
		t.Errorf("Read() without ldflags = %+v, want version devel", in)
	}
	version, commit, date = "0.17.0", "abc-dirty", "2026-11-26T10:30:00+08:00"
	t.Cleanup(func() { version, commit, date = "", "", "" })
	if in := Read(); in != (Info{Version: "0.17.0", Commit: "abc-dirty", Date: "2026-11-26T02:30:00Z"}) {
		t.Errorf("Read() with linked values = %+v", in)
	}
}
