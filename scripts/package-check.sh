#!/bin/sh
# package-check.sh DEB VERSION COMMIT DATE (make package-check): checks the
# Debian package make package built. Its fields and contents, lintian (fails
# on errors; warnings are listed in the README), the desktop entry and the
# AppStream metainfo; then installs it with apt-get, checks `kapok version`
# and what kapok run would start, removes it and checks its files are gone.
# Runs as root or through $SUDO.
set -eu
deb=${1:?usage: package-check.sh DEB VERSION COMMIT DATE}
version=${2:?} commit=${3:?} date=${4:?}
SUDO=${SUDO:-}
fail() { echo "package-check: $*" >&2; exit 1; }
field() { dpkg-deb --field "$deb" "$1"; }

[ -f "$deb" ] || fail "no $deb"
dpkg-deb --info "$deb"
[ "$(field Package)" = kapok ] || fail "Package is $(field Package)"
[ "$(field Version)" = "$version-1" ] || fail "Version is $(field Version), not $version-1"
[ "$(field Architecture)" = amd64 ] || fail "Architecture is $(field Architecture)"
depends=$(field Depends)
# The C libraries the binaries link: libc, GEOS, OpenGL and X11 (GLFW).
for lib in libc6 libgeos-c1v5 libgl1 libx11-6 libxrandr2 libxcursor1 libxi6 libxinerama1 libxxf86vm1; do
	echo "$depends" | tr ',' '\n' | grep -q "^ *$lib\( \|$\)" || fail "Depends lacks $lib: $depends"
done
# xdg-open opens the user guide and briefings from the console.
[ "$(field Recommends)" = xdg-utils ] || fail "Recommends is $(field Recommends), not xdg-utils"

id=cn.kapok.console
expected="/usr/bin/kapok /usr/bin/kapok-console
/usr/share/applications/$id.desktop /usr/share/metainfo/$id.metainfo.xml
/usr/share/icons/hicolor/scalable/apps/$id.svg
/usr/share/doc/kapok/copyright /usr/share/doc/kapok/changelog.Debian.gz
/usr/share/man/man1/kapok.1.gz /usr/share/man/man1/kapok-console.1.gz"
for s in 16 22 24 32 48 64 128 256 512; do
	expected="$expected /usr/share/icons/hicolor/${s}x$s/apps/$id.png"
done
for f in docs/USER-GUIDE*.md docs/guide/*.png; do
	case $f in docs/guide/*.png) rel=guide/${f#docs/guide/} ;; *) rel=${f#docs/} ;; esac
	[ -f "$f" ] && expected="$expected /usr/share/doc/kapok/$rel"
done
contents=$(dpkg-deb --contents "$deb" | awk '{print $6}' | sed 's|^\./|/|')
for p in $expected; do
	echo "$contents" | grep -qx "$p" || fail "$deb lacks $p"
done
echo "package-check: fields and $(echo "$expected" | wc -w) expected paths present"

# lintian: errors fail; warnings and the rest are printed.
lintian --fail-on error --tag-display-limit 0 "$deb" || fail "lintian reports errors"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dpkg-deb -x "$deb" "$tmp"
desktop-file-validate "$tmp/usr/share/applications/$id.desktop" || fail "desktop entry invalid"
appstreamcli validate --no-net --explain "$tmp/usr/share/metainfo/$id.metainfo.xml" || fail "metainfo invalid"
for s in 16 256 512; do
	file "$tmp/usr/share/icons/hicolor/${s}x$s/apps/$id.png" | grep -q "PNG image data, $s x $s" || fail "icon ${s}x$s is not a $s px PNG"
done

# Installed: apt-get pulls the dependencies; kapok version names this build.
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --allow-downgrades "./$deb" >"$tmp/apt.log" 2>&1 ||
	{ cat "$tmp/apt.log"; fail "apt-get install failed"; }
got=$(/usr/bin/kapok version)
short=$(printf %.12s "$commit")
case $commit in *-dirty) short=$short-dirty ;; esac
want="kapok $version ($short) built $(date -u -d "$date" +%Y-%m-%dT%H:%M:%SZ)"
[ "$got" = "$want" ] || fail "kapok version: got \"$got\", want \"$want\""
[ "$(/usr/bin/kapok --version)" = "$want" ] || fail "kapok --version differs from kapok version"
/usr/bin/kapok run --help >/dev/null || fail "kapok run --help failed"
echo "package-check: installed; $got"

$SUDO dpkg -r kapok >/dev/null
for p in $expected; do
	[ ! -e "$p" ] || fail "$p is still there after dpkg -r kapok"
done
! dpkg-query -W -f='${Status}' kapok 2>/dev/null | grep -q 'ok installed' || fail "kapok still installed"
echo "package-check: removed; all $(echo "$expected" | wc -w) paths gone. OK"
