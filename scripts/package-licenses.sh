#!/bin/sh
# package-licenses.sh PKG... < copyright-head: the package's machine-readable
# copyright file. To the head (assets/package/copyright) it adds a paragraph
# for each Go module that PKG... link statically, licence and copyright
# lines read from the module's own licence file, then one License paragraph
# for each licence named. Fails on a licence it cannot tell.
set -eu
GO=${GO:-go}
head=$(mktemp)
body=$(mktemp)
trap 'rm -f "$head" "$body"' EXIT
cat >"$head"

licence() { # the DEP-5 short name of licence file $1
	if grep -q 'Apache License' "$1" && grep -q 'Version 2.0' "$1"; then echo Apache-2.0
	elif grep -q 'Mozilla Public License' "$1"; then echo MPL-2.0
	elif grep -q 'Permission is hereby granted, free of charge' "$1"; then echo Expat
	elif grep -q 'Redistribution and use in source and binary forms' "$1"; then
		if grep -qiE 'Neither the name|names of (its|the) contributors' "$1"; then echo BSD-3-clause; else echo BSD-2-clause; fi
	elif grep -q 'Permission to use, copy, modify, and/or distribute' "$1"; then echo ISC
	elif grep -q 'DO WHAT THE FUCK YOU WANT' "$1"; then echo WTFPL-2
	elif grep -q 'The FreeType License' "$1" && grep -q 'GNU General Public License' "$1"; then echo 'FTL or GPL-2+'
	elif grep -q 'Creative Commons Attribution 4.0 International' "$1"; then echo CC-BY-4.0
	else return 1
	fi
}

printf '\nFiles: go-modules/std/*\nCopyright: 2009 The Go Authors\nComment: The Go runtime and standard library, linked into both binaries.\nLicense: BSD-3-clause\n' >>"$body"
$GO list -deps -f '{{with .Module}}{{if not .Main}}{{.Path}} {{.Version}} {{.Dir}}{{end}}{{end}}' "$@" | sort -u |
	while read -r path version dir; do
		file=$(find "$dir" -maxdepth 1 -type f \( -iname 'licen[cs]e*' -o -iname 'copying*' \) | sort | head -n 1)
		[ -n "$file" ] || { echo "package-licenses: $path $version has no licence file" >&2; exit 1; }
		name=$(licence "$file") || { echo "package-licenses: cannot tell the licence of $path ($file)" >&2; exit 1; }
		who=$(grep -iE '^[[:space:]]*copyright[[:space:]]*(\(c\)|©|[0-9])' "$file" | head -n 3 |
			sed -E 's/^[[:space:]]*[Cc]opyright[[:space:]]*(\([cC]\)|©)?[[:space:]]*//' | sed '2,$s/^/ /')
		[ -n "$who" ] || who="the authors of $path"
		printf '\nFiles: go-modules/%s/*\nCopyright: %s\nComment: Go module %s %s, linked statically.\nLicense: %s\n' \
			"$path" "$who" "$path" "$version" "$name" >>"$body"
		if [ "$path" = github.com/mattn/go-sqlite3 ]; then
			printf '\nFiles: go-modules/%s/sqlite3-binding.c go-modules/%s/sqlite3-binding.h\nCopyright: none (the SQLite amalgamation, in the public domain)\nLicense: public-domain\n' \
				"$path" "$path" >>"$body"
		fi
	done
cat "$head" "$body"

# One License paragraph for each short name used above.
cat "$head" "$body" | sed -n 's/^License: //p' | sed 's/ or /\n/g' | sort -u | while read -r name; do
	printf '\nLicense: %s\n' "$name"
	case $name in
	Apache-2.0) echo ' On Debian systems, the full text of the Apache License, Version 2.0, is in'
		echo ' /usr/share/common-licenses/Apache-2.0.' ;;
	MPL-2.0) echo ' On Debian systems, the full text of the Mozilla Public License, Version 2.0,'
		echo ' is in /usr/share/common-licenses/MPL-2.0.' ;;
	CC-BY-4.0) echo ' Creative Commons Attribution 4.0 International Public License: its full text'
		echo ' is at https://creativecommons.org/licenses/by/4.0/legalcode.' ;;
	FTL) echo ' The FreeType Project License (BSD-like, with a credit clause): its full text'
		echo ' is in licenses/ftl.txt of the Go module github.com/golang/freetype and at'
		echo ' https://freetype.org/license.html.' ;;
	GPL-2+) echo ' This program is free software; you can redistribute it and/or modify it under'
		echo ' the terms of the GNU General Public License as published by the Free Software'
		echo ' Foundation; either version 2 of the License, or (at your option) any later'
		echo ' version. On Debian systems, the full text of the GNU General Public License'
		echo ' version 2 is in /usr/share/common-licenses/GPL-2.' ;;
	Kapok) echo ' No licence has been published for Kapok'"'"'s own code yet: until one is, its'
		echo ' authors keep all rights, and this package may be used as the project that'
		echo ' distributes it allows.' ;;
	public-domain) echo ' The author disclaims copyright to this source code. In place of a legal'
		echo ' notice, here is a blessing: May you do good and not evil. (SQLite)' ;;
	WTFPL-2) sed 's/^/ /; s/^ $/ ./' <<'TXT'
DO WHAT THE FUCK YOU WANT TO PUBLIC LICENSE
Version 2, December 2004

Everyone is permitted to copy and distribute verbatim or modified copies
of this license document, and changing it is allowed as long as the name
is changed.

DO WHAT THE FUCK YOU WANT TO PUBLIC LICENSE
TERMS AND CONDITIONS FOR COPYING, DISTRIBUTION AND MODIFICATION

0. You just DO WHAT THE FUCK YOU WANT TO.
TXT
		;;
	Expat) sed 's/^/ /; s/^ $/ ./' <<'TXT'
Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in
all copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
TXT
		;;
	ISC) sed 's/^/ /; s/^ $/ ./' <<'TXT'
Permission to use, copy, modify, and/or distribute this software for any
purpose with or without fee is hereby granted, provided that the above
copyright notice and this permission notice appear in all copies.

THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES
WITH REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF
MERCHANTABILITY AND FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR
ANY SPECIAL, DIRECT, INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES
WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS, WHETHER IN AN
ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING OUT OF
OR IN CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE.
TXT
		;;
	BSD-2-clause | BSD-3-clause) {
		cat <<'TXT'
Redistribution and use in source and binary forms, with or without
modification, are permitted provided that the following conditions are met:

1. Redistributions of source code must retain the above copyright notice,
   this list of conditions and the following disclaimer.
2. Redistributions in binary form must reproduce the above copyright notice,
   this list of conditions and the following disclaimer in the documentation
   and/or other materials provided with the distribution.
TXT
		[ "$name" = BSD-2-clause ] || cat <<'TXT'
3. Neither the name of the copyright holder nor the names of its
   contributors may be used to endorse or promote products derived from
   this software without specific prior written permission.
TXT
		cat <<'TXT'

THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS"
AND ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE
IMPLIED WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE
ARE DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDER OR CONTRIBUTORS BE
LIABLE FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR
CONSEQUENTIAL DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF
SUBSTITUTE GOODS OR SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS
INTERRUPTION) HOWEVER CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN
CONTRACT, STRICT LIABILITY, OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE)
ARISING IN ANY WAY OUT OF THE USE OF THIS SOFTWARE, EVEN IF ADVISED OF THE
POSSIBILITY OF SUCH DAMAGE.
TXT
	} | sed 's/^/ /; s/^ $/ ./' ;;
	*) echo "package-licenses: no text for licence $name" >&2; exit 1 ;;
	esac
done
