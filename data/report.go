package data

import (
	"fmt"
	"io"
	"strings"
)

// Print writes the stats as `kapok stats` shows them.
func (s *Stats) Print(w io.Writer) {
	fmt.Fprintf(w, "mirror          %s\n", s.Path)
	fmt.Fprintf(w, "city            %s (as of %s)\n", s.City, s.AsOf)
	fmt.Fprintf(w, "file size       %.1f MB\n", float64(s.SizeBytes)/1e6)
	fmt.Fprintf(w, "schema version  %d (GeoPackage %s)\n", s.SchemaVersion, s.GeoPackage)
	fmt.Fprintf(w, "extent          %.6f,%.6f,%.6f,%.6f (lon/lat, EPSG:4326)\n", s.Extent.Min[0], s.Extent.Min[1], s.Extent.Max[0], s.Extent.Max[1])
	fmt.Fprintf(w, "regions         city %d, districts %d, streets/towns %d, communities/villages %d\n",
		s.Counts["cities"], s.Counts["districts"], s.Counts["streets"], s.Counts["communities"])
	fmt.Fprintf(w, "centers         %d (city %d, district %d, street %d, community %d)\n", s.Counts["centers"],
		s.CentersByLevel["city"], s.CentersByLevel["district"], s.CentersByLevel["street"], s.CentersByLevel["community"])
	fmt.Fprintf(w, "events          %d (open %d, overdue %d)\n", s.Counts["events"], s.OpenEvents, s.OverdueEvents)
	var states []string
	for _, st := range []string{EventCollected, EventFiled, EventCancelled, EventDispatched, EventHandling, EventFedBack,
		EventReturned, EventParked, EventClosed, EventEvaluated} {
		if n := s.EventsByState[st]; n > 0 {
			states = append(states, fmt.Sprintf("%s %d", st, n))
		}
	}
	fmt.Fprintf(w, "  by state      %s\n", strings.Join(states, ", "))
	fmt.Fprintln(w, "layers:")
	for _, t := range FeatureLayers {
		fmt.Fprintf(w, "  %-16s %9d\n", t, s.Counts[t])
	}
	fmt.Fprintln(w, "tables:")
	for _, t := range AttributeTables {
		fmt.Fprintf(w, "  %-16s %9d\n", t, s.Counts[t])
	}
}
