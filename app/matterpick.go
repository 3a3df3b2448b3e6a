package app

import (
	"sort"
	"strings"

	"kapok/data"
)

// MatterSearch finds matters of the catalogue by code, Chinese name,
// pinyin (whole or initials: "xftd" or "xiaofangtongdao" for 消防通道堵塞)
// or English name, for the report dialog's picker.
type MatterSearch struct {
	entries []matterEntry
}

type matterEntry struct {
	m                    data.MatterType
	pinyin, initials, en string
}

// NewMatterSearch indexes a catalogue.
func NewMatterSearch(matters []data.MatterType) *MatterSearch {
	s := &MatterSearch{}
	for _, m := range matters {
		var ini strings.Builder
		for _, r := range m.NameZh {
			if p := data.Pinyin(string(r)); p != "" {
				ini.WriteByte(p[0])
			}
		}
		s.entries = append(s.entries, matterEntry{m: m, pinyin: data.Pinyin(m.NameZh), initials: ini.String(), en: strings.ToLower(m.NameEn)})
	}
	return s
}

// Find returns the matters matching q, best first: a code prefix, then a
// name, pinyin or initials that start with q, then one that contains it;
// ties in catalogue order. An empty query lists them all.
func (s *MatterSearch) Find(q string) []data.MatterType {
	q = fold(q)
	type hit struct {
		rank, at int
	}
	var hits []hit
	for i, e := range s.entries {
		rank := -1
		switch {
		case q == "":
			rank = 0
		case strings.HasPrefix(strings.ToLower(e.m.Code), q):
			rank = 0
		case strings.HasPrefix(e.m.NameZh, q) || strings.HasPrefix(e.pinyin, q) || strings.HasPrefix(e.initials, q) || strings.HasPrefix(fold(e.en), q):
			rank = 1
		case strings.Contains(e.m.NameZh, q) || strings.Contains(e.pinyin, q) || strings.Contains(fold(e.en), q):
			rank = 2
		}
		if rank >= 0 {
			hits = append(hits, hit{rank, i})
		}
	}
	sort.SliceStable(hits, func(a, b int) bool { return hits[a].rank < hits[b].rank })
	out := make([]data.MatterType, len(hits))
	for i, h := range hits {
		out[i] = s.entries[h.at].m
	}
	return out
}
