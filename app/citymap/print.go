package citymap

import (
	"context"
	"image"
	"time"

	"github.com/paulmach/orb"

	"kapok/data"
	kmaps "kapok/maps"
)

// PrintDPI is the resolution of a printed map (a briefing's map page).
const PrintDPI = 300

// PrintScale is the device pixels per logical pixel (1/96 inch) at PrintDPI.
const PrintScale = PrintDPI / 96.0

// PrintMap draws the map of a region (the whole city for "") for a printed
// page: w×h logical pixels at PrintScale, the grids coloured by theme as
// of asOf, the region fitted with pad logical pixels to spare. It loads
// only what a frame draws, as `kapok render` does, and returns the
// viewport drawn, so that the page can set its overlays (the region's
// outline, the scale bar) in the same place.
func PrintMap(ctx context.Context, m data.MapService, theme, region string, w, h int, pad float64, asOf time.Time) (*image.RGBA, kmaps.Viewport, error) {
	cm, err := load(ctx, m, theme, false, asOf)
	if err != nil {
		return nil, kmaps.Viewport{}, err
	}
	target := cm.Extent
	if region != "" {
		b, err := m.RegionBound(ctx, region)
		if err != nil {
			return nil, kmaps.Viewport{}, err
		}
		target = kmaps.Project(b).(orb.Bound)
	}
	v := kmaps.NewViewport(w, h)
	v.Scale = PrintScale
	v = v.Fit(target, pad)
	img, err := cm.Map.Render(ctx, v)
	if err != nil {
		return nil, kmaps.Viewport{}, err
	}
	return img, v, nil
}
