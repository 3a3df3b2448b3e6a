package gpkg

import (
	"database/sql"
	"net/url"

	sqlite3 "github.com/mattn/go-sqlite3"
	"github.com/paulmach/orb"
)

// DriverName is go-sqlite3 with the GeoPackage SQL functions the R-tree
// triggers call (ST_MinX, ST_MaxX, ST_MinY, ST_MaxY, ST_IsEmpty) registered
// on every connection.
const DriverName = "kapok_sqlite3"

func init() {
	sql.Register(DriverName, &sqlite3.SQLiteDriver{ConnectHook: registerGeoPackageFuncs})
}

// URI is a file: URI for path with the driver options in q, escaped so that
// any file name works.
func URI(path string, q url.Values) string {
	return "file:" + url.PathEscape(path) + "?" + q.Encode()
}

// GeoPackage header values (spec 1.2, requirements 2 and 2a). GeoPackage owns
// PRAGMA user_version.
const (
	ApplicationID = 0x47504B47 // "GPKG"
	UserVersion   = 10200      // GeoPackage 1.2.0
)

// registerGeoPackageFuncs gives each connection the functions named by the
// GeoPackage R-tree triggers (spec annex F.3), as GDAL does for its own.
func registerGeoPackageFuncs(c *sqlite3.SQLiteConn) error {
	coord := func(pick func(orb.Bound) float64) func([]byte) (any, error) {
		return func(b []byte) (any, error) {
			bd, empty, err := Bounds(b)
			if err != nil || empty {
				return nil, err
			}
			return pick(bd), nil
		}
	}
	funcs := map[string]any{
		"ST_MinX": coord(func(b orb.Bound) float64 { return b.Min[0] }),
		"ST_MaxX": coord(func(b orb.Bound) float64 { return b.Max[0] }),
		"ST_MinY": coord(func(b orb.Bound) float64 { return b.Min[1] }),
		"ST_MaxY": coord(func(b orb.Bound) float64 { return b.Max[1] }),
		"ST_IsEmpty": func(b []byte) (bool, error) {
			_, empty, err := Bounds(b)
			return empty, err
		},
	}
	for name, fn := range funcs {
		if err := c.RegisterFunc(name, fn, true); err != nil {
			return err
		}
	}
	return nil
}
