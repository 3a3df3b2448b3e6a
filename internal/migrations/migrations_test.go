package migrations

import (
	"strings"
	"testing"
	"testing/fstest"
)

func TestList(t *testing.T) {
	good := fstest.MapFS{
		"migrations/0002_more.sql":  {Data: []byte("B")},
		"migrations/0001_first.sql": {Data: []byte("A")},
		"migrations/README":         {Data: []byte("not a step")},
	}
	fs, err := List(good)
	if err != nil || len(fs) != 2 || fs[0].Version != 1 || fs[0].Name != "0001_first.sql" || fs[0].SQL != "A" || fs[1].Version != 2 || fs[1].SQL != "B" {
		t.Fatalf("%+v %v", fs, err)
	}
	for name, bad := range map[string]fstest.MapFS{
		"a gap":        {"migrations/0001_a.sql": {}, "migrations/0003_c.sql": {}},
		"not numbered": {"migrations/first.sql": {}},
		"repeated":     {"migrations/0001_a.sql": {}, "migrations/0001_b.sql": {}},
	} {
		if _, err := List(bad); err == nil || !strings.Contains(err.Error(), "want number") {
			t.Errorf("%s: %v", name, err)
		}
	}
}
