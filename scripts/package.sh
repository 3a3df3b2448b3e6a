#!/bin/sh
# Builds the Debian package dist/kapok_VERSION-1_amd64.deb (make package):
# the two binaries linked with the build's identity, the desktop entry,
# icons, AppStream metainfo, man pages, copyright, changelog and the user
# guide, staged under dist/root and packed by nfpm (assets/package/nfpm.yaml).
# Environment: KAPOK_VERSION, KAPOK_COMMIT, KAPOK_DATE (set by the Makefile),
# KAPOK_MAINTAINER, GO, NFPM.
set -eu
cd "$(dirname "$0")/.."
: "${KAPOK_VERSION:?}" "${KAPOK_COMMIT:?}" "${KAPOK_DATE:?}" "${KAPOK_MAINTAINER:?}"
GO=${GO:-go}
NFPM=${NFPM:-github.com/goreleaser/nfpm/v2/cmd/nfpm@v2.45.2}
id=cn.kapok.console
root=dist/root
doc=$root/usr/share/doc/kapok
rm -rf "$root"
mkdir -p "$root/usr/bin" "$doc" "$root/usr/share/applications" "$root/usr/share/metainfo" "$root/usr/share/man/man1"
umask 022

# The binaries: position-independent, stripped, with the build's identity.
# The date is the commit's, so that a commit builds the same package.
pkg=kapok/internal/buildinfo
ldflags="-s -w -X $pkg.version=$KAPOK_VERSION -X $pkg.commit=$KAPOK_COMMIT -X $pkg.date=$KAPOK_DATE"
export CGO_CPPFLAGS="${CGO_CPPFLAGS:-} -D_FORTIFY_SOURCE=2"
export CGO_LDFLAGS="${CGO_LDFLAGS:--O2 -g} -Wl,-z,relro -Wl,-z,now"
for b in kapok:. kapok-console:./app/cmd/kapok-console; do
	$GO build -trimpath -buildvcs=false -buildmode=pie -ldflags "$ldflags" -o "$root/usr/bin/${b%%:*}" "${b#*:}"
done

# Icons: the hand-drawn SVG, and PNGs rendered from it in the hicolor sizes.
for s in 16 22 24 32 48 64 128 256 512; do
	d=$root/usr/share/icons/hicolor/${s}x$s/apps
	mkdir -p "$d"
	rsvg-convert -w "$s" -h "$s" assets/package/kapok.svg -o "$d/$id.png"
done
mkdir -p "$root/usr/share/icons/hicolor/scalable/apps"
cp assets/package/kapok.svg "$root/usr/share/icons/hicolor/scalable/apps/$id.svg"

cp assets/package/$id.desktop "$root/usr/share/applications/"
day=$(printf %.10s "$KAPOK_DATE")
sed -e "s/@VERSION@/$KAPOK_VERSION/" -e "s/@DATE@/$day/" assets/package/$id.metainfo.xml >"$root/usr/share/metainfo/$id.metainfo.xml"

# Man pages: kapok's from its own usage text.
when=$(date -u -d "$KAPOK_DATE" +%Y-%m-%d)
{
	printf '%s\n' "'\\\" -*- coding: utf-8 -*-"
	printf '.TH KAPOK 1 "%s" "kapok %s" "User Commands"\n' "$when" "$KAPOK_VERSION"
	printf '.SH NAME\nkapok \\- command console for city grid governance\n'
	printf '.SH SYNOPSIS\n.B kapok\n[\\fICOMMAND\\fR] [\\fIOPTIONS\\fR]\n'
	printf '.SH DESCRIPTION\nWithout a command, \\fBkapok\\fR opens the console window (\\fBkapok-console\\fR(1)) on the demo city, which the first run builds in the user'"'"'s data folder (\\fI$XDG_DATA_HOME/kapok/mirror.gpkg\\fR, by default \\fI~/.local/share/kapok/mirror.gpkg\\fR).\n'
	printf 'Each command prints its flags with \\fB\\-\\-help\\fR. The user guide is \\fI/usr/share/doc/kapok/USER-GUIDE.md\\fR (English: \\fIUSER-GUIDE.en.md\\fR) where installed.\n'
	printf '.SH USAGE\n.nf\n'
	"$root/usr/bin/kapok" help | sed -e 's/\\/\\e/g' -e 's/^[.'"'"']/\\\&&/'
	printf '.fi\n.SH SEE ALSO\n\\fBkapok-console\\fR(1)\n'
} | gzip -9n >"$root/usr/share/man/man1/kapok.1.gz"
{
	printf '.TH KAPOK-CONSOLE 1 "%s" "kapok %s" "User Commands"\n' "$when" "$KAPOK_VERSION"
	printf '.SH NAME\nkapok-console \\- the Kapok console window\n'
	printf '.SH SYNOPSIS\n.B kapok-console\n[\\fB\\-\\-mirror\\fR \\fIFILE\\fR] [\\fB\\-\\-user\\fR \\fILOGIN\\fR] [\\fB\\-\\-select\\fR \\fICODE\\fR] [\\fB\\-\\-live\\fR] [\\fB\\-\\-upstream\\fR \\fIDSN\\fR] [\\fB\\-\\-quit\\-after\\fR \\fIDURATION\\fR]\n'
	printf '.SH DESCRIPTION\nThe console window, which \\fBkapok\\fR(1) with no command (or \\fBkapok run\\fR) opens. Without \\fB\\-\\-mirror\\fR it opens the demo city in the user'"'"'s data folder, building it on first run.\n'
	printf 'With \\fBKAPOK_USER\\fR and \\fBKAPOK_PASSWORD\\fR set it logs in at once. Its flags: \\fBkapok-console \\-\\-help\\fR.\n'
	printf '.SH SEE ALSO\n\\fBkapok\\fR(1)\n'
} | gzip -9n >"$root/usr/share/man/man1/kapok-console.1.gz"

# Documentation: copyright (with the statically linked Go modules, from
# their licence files), the changelog, and the user guide if written.
scripts/package-licenses.sh . ./app/cmd/kapok-console <assets/package/copyright >"$doc/copyright"
{
	printf 'kapok (%s-1) unstable; urgency=medium\n\n' "$KAPOK_VERSION"
	printf '  * Built from commit %s.\n    Changes: the git history of Kapok.\n\n' "$KAPOK_COMMIT"
	printf ' -- %s  %s\n' "$KAPOK_MAINTAINER" "$(date -u -R -d "$KAPOK_DATE")"
} | gzip -9n >"$doc/changelog.Debian.gz"
for f in docs/USER-GUIDE*.md; do
	[ -f "$f" ] && cp "$f" "$doc/"
done
for f in docs/guide/*.png; do
	[ -f "$f" ] && mkdir -p "$doc/guide" && cp "$f" "$doc/guide/"
done

# Runtime dependencies: the shared libraries the binaries load, as
# dpkg-shlibdeps maps them to packages and versions.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/debian"
printf 'Source: kapok\n\nPackage: kapok\nArchitecture: amd64\n' >"$tmp/debian/control"
bins="$PWD/$root/usr/bin/kapok $PWD/$root/usr/bin/kapok-console"
# shellcheck disable=SC2086 # two paths
KAPOK_DEPENDS=$(cd "$tmp" && dpkg-shlibdeps -O $bins 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
[ -n "$KAPOK_DEPENDS" ] || { echo "package.sh: dpkg-shlibdeps found no dependencies" >&2; exit 1; }
# GLFW (Fyne's window system) loads these X11 libraries with dlopen, which
# dpkg-shlibdeps cannot see (go-gl/glfw's glfw/src/x11_init.c): the packages
# that hold them here.
for so in libXxf86vm.so.1 libXi.so.6 libXrandr.so.2 libXcursor.so.1 libXinerama.so.1 libX11-xcb.so.1 libXrender.so.1; do
	p=$(dpkg -S "x86_64-linux-gnu/$so" 2>/dev/null | grep -v -- '-dev:' | head -n 1 | cut -d: -f1)
	[ -n "$p" ] || { echo "package.sh: no installed package holds $so" >&2; exit 1; }
	KAPOK_DEPENDS="$KAPOK_DEPENDS, $p"
done
export KAPOK_VERSION KAPOK_MAINTAINER KAPOK_DEPENDS

# Reproducible: every file's time is the commit's.
export SOURCE_DATE_EPOCH
SOURCE_DATE_EPOCH=$(date -u -d "$KAPOK_DATE" +%s)
find "$root" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
deb=dist/kapok_${KAPOK_VERSION}-1_amd64.deb
rm -f "$deb"
$GO run "$NFPM" pkg --packager deb --config assets/package/nfpm.yaml --target "$deb"
echo "$deb"
