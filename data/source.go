package data

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/mozillazg/go-pinyin"
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
	City        Region
	Districts   []Region
	Streets     []Region
	Communities []Region
	// Skipped says what the inputs disagreed on and was left out.
	Skipped []string
}

// Opener opens a named input (a file on disk or an embedded asset).
type Opener func(name string) (io.ReadCloser, error)

// ReadCitySource reads and reconciles the three inputs. Real publications
// disagree at the edges; what cannot be placed is skipped and reported, and
// only input that cannot be read at all is an error.
func ReadCitySource(open Opener, districtsFile, streetsFile, villagesFile, cityName string) (*CitySource, error) {
	feats, err := readWith(open, districtsFile, ReadGeoJSON)
	if err != nil {
		return nil, err
	}
	streetRows, err := readWith(open, streetsFile, ReadCSV)
	if err != nil {
		return nil, err
	}
	villageRows, err := readWith(open, villagesFile, ReadCSV)
	if err != nil {
		return nil, err
	}
	src := &CitySource{}
	ctx := geos.NewContext()
	districts := map[string]*Region{}
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
	streets := map[string]*Region{}
	for _, row := range streetRows {
		s, skip := divisionRow(row, LevelStreet, "areaCode", districts)
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
	communities := map[string]*Region{}
	for _, row := range villageRows {
		c, skip := divisionRow(row, LevelCommunity, "streetCode", streets)
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
	children := func(m map[string]*Region) map[string]int {
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
		return nil, &InputError{File: districtsFile, Reason: "no district has both a boundary and streets"}
	}
	if src.City.Code == "" {
		for code := range districts {
			src.City.Code = code[:4]
		}
	}
	src.City.Name, src.City.Level = cityName, LevelCity
	src.City.Pinyin = Pinyin(cityName)
	src.Districts = sortedRegions(districts)
	src.Streets = sortedRegions(streets)
	src.Communities = sortedRegions(communities)
	var all orb.MultiPolygon
	for i := range src.Districts {
		src.Districts[i].ParentCode = src.City.Code
		all = append(all, src.Districts[i].Boundary...)
	}
	// The city is the dissolved union of its districts: a valid multipolygon.
	g, err := toGEOS(ctx, all)
	if err != nil {
		return nil, err
	}
	if src.City.Boundary, err = polygonsOf(g.UnaryUnion()); err != nil {
		return nil, err
	}
	src.City.AreaKm2 = geo.Area(src.City.Boundary) / 1e6
	sort.Strings(src.Skipped)
	return src, nil
}

func readWith(open Opener, name string, read func(string, io.Reader) ([]Feature, error)) ([]Feature, error) {
	f, err := open(name)
	if err != nil {
		return nil, &InputError{File: name, Reason: err.Error()}
	}
	defer f.Close()
	return read(name, f)
}

func districtFromFeature(ctx *geos.Context, f Feature) (*Region, string) {
	code := f.Code
	if len(code) != 6 || !allDigits(code) {
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
	gg, err := toGEOS(ctx, mp)
	if err != nil {
		return nil, err.Error()
	}
	if !gg.IsValid() {
		// Quantised boundaries often touch themselves; repair rather than drop.
		if mp, err = polygonsOf(gg.MakeValid()); err != nil || len(mp) == 0 {
			return nil, "boundary is invalid and cannot be repaired"
		}
	}
	name := f.Props["name"]
	return &Region{Code: code, Name: name, Pinyin: Pinyin(name), Level: LevelDistrict, Boundary: mp, AreaKm2: geo.Area(mp) / 1e6}, ""
}

func divisionRow(row Feature, level Level, parentCol string, parents map[string]*Region) (*Region, string) {
	code, name, parent := row.Code, row.Props["name"], row.Props[parentCol]
	if len(code) != level.CodeLength() || !allDigits(code) {
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
	return &Region{Code: code, Name: name, Pinyin: Pinyin(name), Level: level, ParentCode: parent}, ""
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

func sortedRegions(m map[string]*Region) []Region {
	out := make([]Region, 0, len(m))
	for _, r := range m {
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out
}

var pinyinArgs = pinyin.NewArgs()

// placeReadings fixes characters whose default reading is wrong in place
// names: go-pinyin reads each character alone, and 番禺 is Pānyú, not Fānyú;
// 都 in a place name is dū, 长 is cháng.
var placeReadings = strings.NewReplacer("番禺", "潘禺", "都", "嘟", "长", "常")

// Pinyin is the toneless pinyin of a Chinese name, syllables run together
// ("大源村委会" → "dayuancunweihui"), for search.
func Pinyin(name string) string {
	return strings.Join(pinyin.LazyPinyin(placeReadings.Replace(name), pinyinArgs), "")
}
