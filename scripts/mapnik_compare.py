#!/usr/bin/python3
"""Draw the `grids` layer of a Kapok mirror with Mapnik, to set beside
`kapok render` (docs/benchmarks.md; scripts/compare_mapnik.sh runs both).
Run with Debian's python3 (python3-mapnik):

    /usr/bin/python3 scripts/mapnik_compare.py gz.gpkg out.png
    /usr/bin/python3 scripts/mapnik_compare.py gz.gpkg out.png --repeat 30

Mapnik in its cheapest configuration for the job: the map in longitude/
latitude like the layer (EPSG:4326 both, so nothing is reprojected), the
grids read from the GeoPackage through the OGR plugin, one polygon fill and
a 0.6 px outline per grid, 1920x1080, written as an RGB PNG at zlib level 1
(png32:z=1:t=0, the pixel format and compression `kapok render` writes).

Without --repeat it is the whole job, as `kapok render` is: read the layer,
draw, write the PNG. With --repeat N the features are read once into a
MemoryDatasource and N frames are drawn from memory and timed (the
counterpart of `kapok render --repeat N`); it prints
mapnik_frame_ms median/min/max and writes the last frame.
"""
import argparse
import statistics
import time

import mapnik

WIDTH, HEIGHT = 1920, 1080
LONLAT = "epsg:4326"


def grid_map(datasource):
    m = mapnik.Map(WIDTH, HEIGHT, LONLAT)
    m.background = mapnik.Color("#f4f3ef")
    fill = mapnik.PolygonSymbolizer()
    fill.fill = mapnik.Color("#e8ece2")
    outline = mapnik.LineSymbolizer()
    outline.stroke = mapnik.Color("#6e6e6e")
    outline.stroke_width = 0.6
    rule = mapnik.Rule()
    rule.symbols.append(fill)
    rule.symbols.append(outline)
    style = mapnik.Style()
    style.rules.append(rule)
    m.append_style("grids", style)
    layer = mapnik.Layer("grids", LONLAT)
    layer.datasource = datasource
    layer.styles.append("grids")
    m.layers.append(layer)
    m.zoom_all()
    return m


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("mirror")
    ap.add_argument("out")
    ap.add_argument("--repeat", type=int, default=0, help="frames to time with the features in memory")
    args = ap.parse_args()
    ogr = mapnik.Ogr(file=args.mirror, layer="grids")
    if args.repeat <= 0:
        img = mapnik.Image(WIDTH, HEIGHT)
        mapnik.render(grid_map(ogr), img)
        img.save(args.out, "png32:z=1:t=0")
        return
    memory = mapnik.MemoryDatasource()
    for feature in ogr.all_features():
        memory.add_feature(feature)
    m = grid_map(memory)
    times = []
    for _ in range(args.repeat):
        img = mapnik.Image(WIDTH, HEIGHT)
        start = time.perf_counter()
        mapnik.render(m, img)
        times.append((time.perf_counter() - start) * 1000)
    print("mapnik_frame_ms median=%.1f min=%.1f max=%.1f" % (statistics.median(times), min(times), max(times)))
    img.save(args.out, "png32:z=1:t=0")


if __name__ == "__main__":
    main()
