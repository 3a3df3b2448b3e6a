package demo

import (
	"fmt"
	"io"
	"path"
	"sort"
	"strings"

	"kapok/assets"
	"kapok/data"
	"kapok/data/geoio"
	"kapok/data/geom"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"
	"github.com/twpayne/go-geos"
)

// CitySource is a city's published division data: district boundaries
// (GeoJSON, feature id = 6-digit code, properties.name) and the official lists
// of streets/towns and communities/villages (the CSV formats of the
// china-division package). Boundaries exist only for districts; the rest is
// synthesized by the demo generator.
type CitySource struct {
	City        data.Region
	Districts   []data.Region
	Streets     []data.Region
	Communities []data.Region
	// Skipped says what the inputs disagreed on and was left out.
	Skipped []string
}

// Opener opens a named input (a file on disk or an embedded asset).
type Opener func(name string) (io.ReadCloser, error)

// ReadCitySource reads and reconciles the three inputs. Real publications
// disagree at the edges; what cannot be placed is skipped and reported, and
// only input that cannot be read at all is an error.
func ReadCitySource(open Opener, districtsFile, streetsFile, villagesFile, cityName string) (*CitySource, error) {
	feats, err := readWith(open, districtsFile, geoio.ReadGeoJSON)
	if err != nil {
		return nil, err
	}
	streetRows, err := readWith(open, streetsFile, geoio.ReadCSV)
	if err != nil {
		return nil, err
	}
	villageRows, err := readWith(open, villagesFile, geoio.ReadCSV)
	if err != nil {
		return nil, err
	}
	src := &CitySource{}
	ctx := geos.NewContext()
	districts := map[string]*data.Region{}
	for _, f := range feats {
		d, skip := districtFromFeature(ctx, f)
		if skip != "" {
			src.Skipped = append(src.Skipped, fmt.Sprintf("%s: %s: %s", districtsFile, f.Record, skip))
			continue
		}
		if districts[d.Code] != nil {
			src.Skipped = append(src.Skipped, fmt.Sprintf("%s: %s: second boundary for district %s ignored", districtsFile, f.Record, d.Code))
			continue
		}
		districts[d.Code] = d
	}
	streets := map[string]*data.Region{}
	for _, row := range streetRows {
		s, skip := divisionRow(row, data.LevelStreet, "areaCode", districts)
		if skip != "" {
			src.Skipped = append(src.Skipped, fmt.Sprintf("%s: %s: %s", streetsFile, row.Record, skip))
			continue
		}
		if streets[s.Code] != nil {
			src.Skipped = append(src.Skipped, fmt.Sprintf("%s: %s: duplicate code", streetsFile, row.Record))
			continue
		}
		s.Kind = "street"
		if strings.HasSuffix(s.Name, "镇") {
			s.Kind = "town"
		}
		streets[s.Code] = s
		if src.City.Code == "" {
			src.City.Code = row.Props["cityCode"]
		}
	}
	communities := map[string]*data.Region{}
	for _, row := range villageRows {
		c, skip := divisionRow(row, data.LevelCommunity, "streetCode", streets)
		if skip != "" {
			src.Skipped = append(src.Skipped, fmt.Sprintf("%s: %s: %s", villagesFile, row.Record, skip))
			continue
		}
		if communities[c.Code] != nil {
			src.Skipped = append(src.Skipped, fmt.Sprintf("%s: %s: duplicate code", villagesFile, row.Record))
			continue
		}
		c.Kind = "community"
		if strings.Contains(c.Name, "村") && !strings.Contains(c.Name, "社区") {
			c.Kind = "village"
		}
		communities[c.Code] = c
	}
	// Keep only complete chains: a district needs streets, a street needs
	// communities, or there is nothing to tile it with.
	children := func(m map[string]*data.Region) map[string]int {
		n := map[string]int{}
		for _, r := range m {
			n[r.ParentCode]++
		}
		return n
	}
	perStreet := children(communities)
	for code, s := range streets {
		if perStreet[code] == 0 {
			src.Skipped = append(src.Skipped, fmt.Sprintf("%s: street %s %s has no communities: skipped", streetsFile, code, s.Name))
			delete(streets, code)
		}
	}
	perDistrict := children(streets)
	for code, d := range districts {
		if perDistrict[code] == 0 {
			src.Skipped = append(src.Skipped, fmt.Sprintf("%s: district %s %s has a boundary but no streets: skipped", districtsFile, code, d.Name))
			delete(districts, code)
		}
	}
	if len(districts) == 0 {
		return nil, &data.InputError{File: districtsFile, Reason: "no district has both a boundary and streets"}
	}
	if src.City.Code == "" {
		for code := range districts {
			src.City.Code = code[:4]
		}
	}
	src.City.Name, src.City.Level = cityName, data.LevelCity
	src.City.Pinyin = data.Pinyin(cityName)
	src.Districts = sortedRegions(districts)
	src.Streets = sortedRegions(streets)
	src.Communities = sortedRegions(communities)
	var all orb.MultiPolygon
	for i := range src.Districts {
		src.Districts[i].ParentCode = src.City.Code
		all = append(all, src.Districts[i].Boundary...)
	}
	// The city is the dissolved union of its districts: a valid multipolygon.
	g, err := geom.ToGEOS(ctx, all)
	if err != nil {
		return nil, err
	}
	if src.City.Boundary, err = geom.Polygons(g.UnaryUnion()); err != nil {
		return nil, err
	}
	src.City.AreaKm2 = geo.Area(src.City.Boundary) / 1e6
	sort.Strings(src.Skipped)
	return src, nil
}

func readWith(open Opener, name string, read func(string, io.Reader) ([]geoio.Feature, error)) ([]geoio.Feature, error) {
	f, err := open(name)
	if err != nil {
		return nil, &data.InputError{File: name, Reason: err.Error()}
	}
	defer func() { _ = f.Close() }()
	return read(name, f)
}

func districtFromFeature(ctx *geos.Context, f geoio.Feature) (*data.Region, string) {
	code := f.Code
	if len(code) != 6 || !data.AllDigits(code) {
		return nil, fmt.Sprintf("id %q is not a 6-digit district code", code)
	}
	var mp orb.MultiPolygon
	switch g := f.Geom.(type) {
	case orb.Polygon:
		mp = orb.MultiPolygon{g}
	case orb.MultiPolygon:
		mp = g
	default:
		return nil, fmt.Sprintf("geometry is %s, want Polygon or MultiPolygon", f.Geom.GeoJSONType())
	}
	gg, err := geom.ToGEOS(ctx, mp)
	if err != nil {
		return nil, err.Error()
	}
	if !gg.IsValid() {
		// Quantised boundaries often touch themselves; repair rather than drop.
		if mp, err = geom.Polygons(gg.MakeValid()); err != nil || len(mp) == 0 {
			return nil, "boundary is invalid and cannot be repaired"
		}
	}
	name := f.Props["name"]
	return &data.Region{Code: code, Name: name, Pinyin: data.Pinyin(name), Level: data.LevelDistrict, Boundary: mp, AreaKm2: geo.Area(mp) / 1e6}, ""
}

func divisionRow(row geoio.Feature, level data.Level, parentCol string, parents map[string]*data.Region) (*data.Region, string) {
	code, name, parent := row.Code, row.Props["name"], row.Props[parentCol]
	if len(code) != level.CodeLength() || !data.AllDigits(code) {
		return nil, fmt.Sprintf("code %q is not a %d-digit %s code", code, level.CodeLength(), level)
	}
	if name == "" {
		return nil, "empty name"
	}
	if parent == "" {
		parent = code[:(level - 1).CodeLength()]
	}
	if !strings.HasPrefix(code, parent) {
		return nil, fmt.Sprintf("code does not start with its parent code %s", parent)
	}
	if parents[parent] == nil {
		return nil, fmt.Sprintf("parent %s has no boundary or was skipped: skipped", parent)
	}
	return &data.Region{Code: code, Name: name, Pinyin: data.Pinyin(name), Level: level, ParentCode: parent}, ""
}

func sortedRegions(m map[string]*data.Region) []data.Region {
	out := make([]data.Region, 0, len(m))
	for _, r := range m {
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out
}

// Guangzhou reads the embedded division data of Guangzhou (assets/guangzhou:
// 11 districts with boundaries, 178 streets and towns, 2,851 communities and
// villages), the model city.
func Guangzhou() (*CitySource, error) {
	open := func(n string) (io.ReadCloser, error) { return assets.FS.Open(path.Join("guangzhou", n)) }
	return ReadCitySource(open, "districts.geojson", "streets.csv", "villages.csv", "广州市")
}
