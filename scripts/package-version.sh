#!/bin/sh
# package-version.sh NEXT: this checkout's version, for the binaries and the
# Debian package. A clean checkout of a tag vX.Y.Z is X.Y.Z; any other
# commit is a pre-release of NEXT (the release being worked on), as Debian
# orders them: NEXT~gitYYYYMMDD.HASH (the commit's UTC date and 12-digit
# hash), with ".dirty" when tracked files differ from the commit. Outside
# a git checkout: NEXT~unknown.
set -eu
next=${1:?usage: package-version.sh NEXT}
if ! hash=$(git rev-parse --short=12 HEAD 2>/dev/null); then
	echo "$next~unknown"
	exit 0
fi
dirty=
git diff --quiet HEAD -- 2>/dev/null || dirty=.dirty
if tag=$(git describe --tags --exact-match --match 'v[0-9]*' 2>/dev/null); then
	echo "${tag#v}${dirty:++dirty}"
	exit 0
fi
day=$(TZ=UTC git log -1 --date=format-local:%Y%m%d --format=%cd)
echo "$next~git$day.$hash$dirty"
