#!/usr/bin/python3
"""Draw the `grids` layer of a Kapok mirror with Mapnik, for the side-by-side
figures in docs/benchmarks.md. Run with Debian's python3 (python3-mapnik):

    /usr/bin/python3 scripts/mapnik_compare.py gz.gpkg out.png [repeat]

Prints mapnik_frame_ms median/min/max over `repeat` renders of the map (data
read through Mapnik's OGR plugin, fill + outline per grid), then writes one
PNG. The map is 1920x1080 in Web Mercator, fitted to the layer.
"""
import statistics
import sys
import time

import mapnik

mirror, out = sys.argv[1], sys.argv[2]
repeat = int(sys.argv[3]) if len(sys.argv) > 3 else 0

m = mapnik.Map(1920, 1080, "epsg:3857")
m.background = mapnik.Color("#f4f3ef")
style = mapnik.Style()
rule = mapnik.Rule()
rule.symbols.append(mapnik.PolygonSymbolizer())
rule.symbols[0].fill = mapnik.Color("#e8ece2")
line = mapnik.LineSymbolizer()
line.stroke = mapnik.Color("#6e6e6e")
line.stroke_width = 0.6
rule.symbols.append(line)
style.rules.append(rule)
m.append_style("grids", style)
layer = mapnik.Layer("grids", "epsg:4326")
layer.datasource = mapnik.Ogr(file=mirror, layer="grids")
layer.styles.append("grids")
m.layers.append(layer)
m.zoom_all()

times = []
for _ in range(repeat):
    img = mapnik.Image(1920, 1080)
    t = time.perf_counter()
    mapnik.render(m, img)
    times.append((time.perf_counter() - t) * 1000)
if times:
    print("mapnik_frame_ms median=%.1f min=%.1f max=%.1f" % (statistics.median(times), min(times), max(times)))
mapnik.render_to_file(m, out, "png")
