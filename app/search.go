package app

import (
	"sort"
	"strings"
	"unicode"

	"kapok/data"
)

// SearchHit is a region or grid found by the search box.
type SearchHit struct {
	Code, Name string
	Level      string // district, street, community, grid
}

// Searcher finds regions by code, Chinese name or pinyin, and grids by code.
type Searcher struct {
	entries []searchEntry
}

type searchEntry struct {
	hit          SearchHit
	name, pinyin string // name as written; pinyin lower case without spaces
}

// NewSearcher indexes the regions and grids.
func NewSearcher(regions []data.RegionSummary, grids []data.Grid) *Searcher {
	s := &Searcher{}
	names := map[string]string{}
	for _, r := range regions {
		if r.Level == data.LevelCity {
			continue
		}
		names[r.Code] = r.Name
		s.entries = append(s.entries, searchEntry{SearchHit{r.Code, r.Name, r.Level.String()}, r.Name, fold(r.Pinyin)})
	}
	grid := T("grid")
	for _, g := range grids {
		name := data.ShortName(names[g.CommunityCode]) + " " + grid + " " + strings.TrimLeft(g.Code[12:], "0")
		s.entries = append(s.entries, searchEntry{hit: SearchHit{g.Code, name, "grid"}})
	}
	return s
}

// fold is a query or pinyin in lower case without spaces, apostrophes or
// hyphens: "Da Yuan", "da'yuan" and "dayuan" are one query.
func fold(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if !unicode.IsSpace(r) && r != '\'' && r != '-' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Find returns up to limit hits for q, best first: a code prefix, an exact
// name, a name or pinyin that starts with q, then one that contains it;
// within a rank, higher levels first, then code order.
func (s *Searcher) Find(q string, limit int) []SearchHit {
	q = strings.TrimSpace(q)
	fq := fold(q)
	if fq == "" {
		return nil
	}
	digits := strings.IndexFunc(fq, func(r rune) bool { return r < '0' || r > '9' }) < 0
	type ranked struct {
		e    *searchEntry
		rank int
	}
	var found []ranked
	for i := range s.entries {
		e := &s.entries[i]
		rank := -1
		switch {
		case digits && strings.HasPrefix(e.hit.Code, fq):
			rank = 0
		case digits || e.name == "":
		case e.name == q || data.ShortName(e.name) == q:
			rank = 1
		case strings.HasPrefix(e.name, q), strings.HasPrefix(e.pinyin, fq):
			rank = 2
		case strings.Contains(e.name, q), strings.Contains(e.pinyin, fq):
			rank = 3
		}
		if rank >= 0 {
			found = append(found, ranked{e, rank})
		}
	}
	sort.SliceStable(found, func(i, j int) bool {
		a, b := found[i], found[j]
		if a.rank != b.rank {
			return a.rank < b.rank
		}
		if len(a.e.hit.Code) != len(b.e.hit.Code) {
			return len(a.e.hit.Code) < len(b.e.hit.Code)
		}
		return a.e.hit.Code < b.e.hit.Code
	})
	out := make([]SearchHit, 0, min(limit, len(found)))
	for _, f := range found[:min(limit, len(found))] {
		out = append(out, f.e.hit)
	}
	return out
}
