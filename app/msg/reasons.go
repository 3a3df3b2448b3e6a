package msg

import (
	"fmt"
	"strings"

	"kapok/data"
)

// Reasons says why a unit was recommended, in the language: its tier, its
// distance, the capabilities the case's matter needs that it has and
// lacks, and its recent load — "同网格 · 320 m · 具备灭火能力" or
// "same grid · 320 m · can do fire fighting".
func (c *Catalog) Reasons(l Lang, r data.Recommendation) string {
	parts := []string{c.Text(l, "reason.tier."+r.Tier.String(), nil), Distance(r.DistanceM)}
	list := func(caps []string) string {
		names := make([]string, len(caps))
		for i, k := range caps {
			names[i] = c.Text(l, k, nil)
		}
		sep := ", "
		if l == Chinese {
			sep = "、"
		}
		return strings.Join(names, sep)
	}
	if len(r.Has) > 0 {
		parts = append(parts, c.Text(l, "reason.has", map[string]string{"C": list(r.Has)}))
	}
	if len(r.Lacks) > 0 {
		parts = append(parts, c.Text(l, "reason.lacks", map[string]string{"C": list(r.Lacks)}))
	}
	if r.Load > 0 {
		parts = append(parts, c.Text(l, "reason.load", map[string]string{"N": fmt.Sprint(r.Load)}))
	}
	return strings.Join(parts, " · ")
}

// Distance is a straight-line distance as people read it: metres to the
// ten under a kilometre, kilometres to one decimal above.
func Distance(m float64) string {
	if m < 995 {
		return fmt.Sprintf("%.0f m", float64(int((m+5)/10)*10))
	}
	return fmt.Sprintf("%.1f km", m/1000)
}
