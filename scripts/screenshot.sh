#!/bin/sh
# Runs the real console under Xvfb on the demo city and saves its window as
# docs/screenshot.png (Chinese) and docs/screenshot-en.png (English): Dayuan
# Village chosen, with a patrol order issued to its grids.
# Needs: xvfb, imagemagick (import), xdotool — `make screenshot` installs them.
set -eu
cd "$(dirname "$0")/.."
# The demo's documented login (README): the order is issued, and the console
# opened, as the city's leadership group, without the login form.
export KAPOK_USER=leader KAPOK_PASSWORD=kapok-demo-2026
work=$(mktemp -d)
trap 'kill $xvfb 2>/dev/null || true; rm -rf "$work"' EXIT
mirror=$work/demo.gpkg
bin/kapok demo --out "$mirror" >/dev/null
grids=$(seq -f '440111021200%03g' 1 7 | paste -sd, -)
start=$(date -u +%Y-%m-%dT%H:00:00Z)
end=$(date -u -d '+8 hours' +%Y-%m-%dT%H:00:00Z)
bin/kapok orders issue --mirror "$mirror" --targets "$grids" --type patrol --priority high \
	--task "大源村夜间巡逻 / Dayuan Village night patrol" --start "$start" --end "$end" >/dev/null
display=:${SCREENSHOT_DISPLAY:-97}
Xvfb "$display" -screen 0 1600x1000x24 >/dev/null 2>&1 &
xvfb=$!
sleep 1
DISPLAY=$display xdotool mousemove 1590 990 # the pointer off the map: no tooltip
shoot() { # LANG OUT
	log=$work/run.log
	# A fresh config folder: a language picked in the settings would win over LANG.
	XDG_CONFIG_HOME=$work/config-$1 DISPLAY=$display LANG=$1 \
		bin/kapok run --mirror "$mirror" --select 440111021200 --quit-after 8s >"$log" 2>&1 &
	pid=$!
	for _ in $(seq 1 100); do grep -q "first map frame" "$log" && break; sleep 0.2; done
	grep "first map frame" "$log" || { cat "$log"; exit 1; }
	sleep 3 # the chosen village's frame and the panels settle
	DISPLAY=$display xdotool mousemove 700 955 # off the map: no tooltip
	sleep 1
	win=$(DISPLAY=$display xdotool search --name '^Kapok' | head -1)
	DISPLAY=$display import -window "$win" "$2"
	wait $pid
	echo "saved $2"
}
shoot zh_CN.UTF-8 docs/screenshot.png
shoot en_US.UTF-8 docs/screenshot-en.png
