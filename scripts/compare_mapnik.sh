#!/bin/sh
# Kapok beside Mapnik, like for like, in one run (the figures in
# docs/benchmarks.md):
#   1. from file: process start to PNG written, `kapok render` against
#      scripts/mapnik_compare.py reading the same GeoPackage, measured side
#      by side in one hyperfine invocation;
#   2. per frame with the data in memory for both: `kapok render --repeat`
#      against Mapnik drawing from a MemoryDatasource.
# Needs hyperfine and Debian's python3-mapnik (run with /usr/bin/python3).
#
# Usage: scripts/compare_mapnik.sh MIRROR KAPOK [KAPOK…]
#   MIRROR  a mirror, e.g. made by `kapok demo --out gz.gpkg`
#   KAPOK   kapok binaries to time (several: an older build beside a newer)
# RUNS (default 30) sets the hyperfine runs and the frames timed.
set -eu
[ $# -ge 2 ] || { echo "usage: $0 MIRROR KAPOK [KAPOK…]" >&2; exit 2; }
mirror=$1
shift
runs=${RUNS:-30}
script=$(dirname "$0")/mapnik_compare.py
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

echo "== $(date -u +%FT%TZ) on $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== from file, process start to PNG written (hyperfine -N -w 3 -r $runs)"
n=0
cmds=""
for k in "$@"; do
	n=$((n + 1))
	cmds="$cmds|$k render --mirror $mirror --out $out/k$n.png"
done
# One invocation, so both run under the same conditions, alternating warm-ups.
IFS='|'
# shellcheck disable=SC2086 # split on | on purpose
hyperfine -N -w 3 -r "$runs" ${cmds#|} "/usr/bin/python3 $script $mirror $out/m.png"
unset IFS

echo "== per frame, data in memory ($runs frames each)"
for k in "$@"; do
	printf '%s: ' "$k"
	"$k" render --mirror "$mirror" --out "$out/k.png" --repeat "$runs"
done
printf 'mapnik: '
/usr/bin/python3 "$script" "$mirror" "$out/m.png" --repeat "$runs"
