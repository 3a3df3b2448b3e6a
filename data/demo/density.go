package demo

import "kapok/data"

// demoDensity estimates people per km² for a community, from how urban its
// district is (small districts are the old urban core) and whether it is an
// urban community or a village. It only steers how many grids a community
// gets; populations are drawn per grid later.
func demoDensity(districtAreaKm2 map[string]float64) func(data.Region) float64 {
	perKm2 := func(c data.Region) float64 {
		area := districtAreaKm2[c.Code[:6]]
		village := c.Kind == "village"
		switch {
		case area < 150: // the urban core
			return 30000
		case area < 1000 && !village:
			return 9000
		case area < 1000:
			return 1200
		case !village:
			return 4000
		default:
			return 400
		}
	}
	// Communities hold a few thousand to a few tens of thousands of people
	// whatever their area: a large suburban community is mostly fields.
	return func(c data.Region) float64 {
		return min(max(c.AreaKm2*perKm2(c), 1500), 40000) / max(c.AreaKm2, 1e-9)
	}
}
