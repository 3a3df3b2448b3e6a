# Kapok. `make run` builds and opens Kapok on the demo city; `make test` runs
# every check. Both install the Debian packages they need first (as root, or
# through sudo), so they work on a fresh Debian 12 machine.

GO          ?= go
STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2
ERRCHECK    ?= github.com/kisielk/errcheck@v1.30.0
SUDO        := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# GEOS for computational geometry (cgo); GDAL for the interoperability test;
# X11/GL headers for Fyne's cgo build; PostgreSQL 15 with PostGIS 3 for the
# upstream's tests (internal/pgtest starts a throwaway cluster).
APT_PACKAGES := gcc libgeos-dev gdal-bin python3-gdal poppler-utils postgresql-15 postgresql-15-postgis-3 \
	libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev libxinerama-dev libxi-dev libxxf86vm-dev

# The build's identity, which `kapok version` prints (kapok/internal/buildinfo):
# scripts/package-version.sh's version (X.Y.Z on a clean checkout of tag
# vX.Y.Z, else NEXT_VERSION~gitYYYYMMDD.HASH[.dirty], a pre-release of the
# next one; bump NEXT_VERSION after tagging), the commit (with -dirty when
# tracked files differ) and the commit's date, so that a commit builds the
# same binaries. Each can be set on the command line (make VERSION=…).
NEXT_VERSION := 0.17.0
VERSION ?= $(shell scripts/package-version.sh $(NEXT_VERSION))
COMMIT  ?= $(shell git rev-parse HEAD 2>/dev/null)$(shell git rev-parse -q HEAD >/dev/null 2>&1 && ! git diff --quiet HEAD -- 2>/dev/null && echo -dirty)
DATE    ?= $(shell git log -1 --format=%cI 2>/dev/null)
KAPOK_LDFLAGS := -X kapok/internal/buildinfo.version=$(VERSION) -X kapok/internal/buildinfo.commit=$(COMMIT) -X kapok/internal/buildinfo.date=$(DATE)
# The package's maintainer (Debian control and changelog).
MAINTAINER ?= Kapok developers <kapok@kapok.cn>
DEB := dist/kapok_$(VERSION)-1_amd64.deb

# What `make package` needs besides the build's: rsvg-convert (icons),
# dpkg-shlibdeps (dependencies), lintian, appstreamcli, desktop-file-validate, file.
PACKAGE_APT := librsvg2-bin dpkg-dev lintian appstream desktop-file-utils file

.PHONY: deps build run test bench lint fuzz screenshot clean package package-check icon

# apt_install installs the Debian packages of $(1) that are missing.
define apt_install
	@missing=$$(for p in $(1); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing Debian packages:" $$missing; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi
endef

deps:
	$(call apt_install,$(APT_PACKAGES))

# Two binaries: kapok (the command line, no GUI toolkit) and kapok-console
# (the window), which `kapok run` hands over to.
build: deps
	$(GO) build -ldflags '$(KAPOK_LDFLAGS)' -o bin/kapok .
	$(GO) build -ldflags '$(KAPOK_LDFLAGS)' -o bin/kapok-console ./app/cmd/kapok-console

# The Debian package, $(DEB) (assets/package, scripts/package.sh).
package: deps
	$(call apt_install,$(PACKAGE_APT))
	KAPOK_VERSION='$(VERSION)' KAPOK_COMMIT='$(COMMIT)' KAPOK_DATE='$(DATE)' KAPOK_MAINTAINER='$(MAINTAINER)' GO='$(GO)' \
		scripts/package.sh

# The console's window icon, rendered from the package's SVG.
icon:
	$(call apt_install,librsvg2-bin)
	rsvg-convert -w 256 -h 256 assets/package/kapok.svg -o app/cmd/kapok-console/Icon.png

# Builds the package, checks its fields, contents and lintian, installs it
# (apt-get, as root or through sudo), runs it and removes it.
package-check: package
	SUDO='$(SUDO)' scripts/package-check.sh '$(DEB)' '$(VERSION)' '$(COMMIT)' '$(DATE)'

run: build
	bin/kapok run

lint: deps
	@test -z "$$(gofmt -l .)" || { echo "gofmt would change:"; gofmt -l .; exit 1; }
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...
	$(GO) run $(ERRCHECK) -exclude scripts/errcheck.excludes ./...

test: lint
	$(GO) test -race -timeout 30m ./...
	$(MAKE) package-check

# Speed and memory targets; figures go to docs/benchmarks.md.
bench: deps
	$(GO) test -run '^$$' -bench 'DemoGuangzhou' -benchtime 3x ./data/demo
	$(GO) test -run '^$$' -bench 'LoadGrids|GridByCode|GridsInDistrictBox' -benchmem ./data/mirror
	$(GO) test -run '^$$' -bench 'VerifyJournalMillion' -benchtime 3x ./data/mirror
	$(GO) test -run '^$$' -bench 'JournalAppend' ./data/mirror
	$(GO) test -run '^$$' -bench 'CaseQueue|CaseDetail|RecommendDemo' -benchmem ./data/mirror
	$(GO) test -run '^$$' -bench 'CaseAction' -benchtime 500x -benchmem ./data/mirror
	$(GO) test -run '^$$' -bench 'Recommend|NewRanker' -benchmem ./data/dispatch
	$(GO) test -run '^$$' -bench . -benchmem ./data/schedule
	$(GO) test -run '^$$' -bench . -benchtime 3x ./data/schedule/autofill
	$(GO) test -run '^$$' -bench 'CheckDistrictRoster|CoverageCity' -benchmem ./data/mirror
	$(GO) test -run '^$$' -bench 'PublishStreetWeek' -benchtime 3x ./data/mirror
	$(GO) test -run '^$$' -bench 'EvaluateIndicators' -benchmem ./data/mirror
	$(GO) test -run '^$$' -bench 'Feed100k' -benchtime 3x -benchmem ./data/mirror
	$(GO) test -run '^$$' -bench 'UpstreamLoadGuangzhou' -benchtime 3x .
	$(GO) test -run '^$$' -bench 'SyncInitGuangzhou' -benchtime 3x ./data/syncer
	$(GO) test -run '^$$' -bench 'SyncPushPull10k' -benchtime 3x ./data/syncer
	$(GO) test -run '^$$' -bench 'SyncIdleGuangzhou' -benchtime 20x ./data/syncer
	$(GO) test -run '^$$' -bench 'SyncFewReferenceChangesGuangzhou' -benchtime 10x ./data/syncer
	$(GO) test -run '^$$' -bench 'SyncLoad100Consoles' -benchtime 1x ./data/syncer
	$(GO) test -run '^$$' -bench . ./data/journal
	$(GO) test -run '^$$' -bench . -benchtime 2s ./maps
	$(GO) test -run '^$$' -bench 'WholeCity|Recolor|Pan100|DistrictCold|PointToGrid|MillionPoints|LoadCityMapMemory|RenderCommand' -benchtime 2s ./app/citymap
	$(GO) test -run '^$$' -bench 'Chart30Days|ChartDay|Sparkline' -benchtime 50x -benchmem ./app/chart
	$(GO) test -run '^$$' -bench 'IndicatorSeries30Days' -benchtime 20x -benchmem ./data/mirror
	$(GO) test -run '^$$' -bench 'Timeline' -benchtime 20x ./data/mirror
	$(GO) test -run '^$$' -bench 'Brief' -benchtime 5x ./app/brief
	$(GO) test -run '^$$' -bench 'SignFile10MB' ./data/sign
	$(GO) test -run '^$$' -bench . -benchtime 20x ./data/password
	$(GO) test -run '^$$' -bench 'JournalPage100k' -benchtime 5x ./app
	$(GO) test -run '^$$' -bench 'LaunchToFirstMap' -benchtime 5x ./app
	$(GO) test -run '^$$' -bench 'PanStep|ZoomStep' -benchtime 120x ./app
	$(GO) test -run '^$$' -bench 'ConsoleResident' -benchtime 1x ./app
	$(GO) test -run '^$$' -bench 'RefreshAfterAction' -benchtime 60x ./app
	$(GO) test -run '^$$' -bench 'ReplayPlayback3600x' -benchtime 150x ./app

# A short run of every fuzzer (the seeds also run in `make test`).
fuzz: deps
	for f in FuzzReadGeoJSON FuzzReadCSV; do $(GO) test ./data/geoio -run '^$$' -fuzz "^$$f$$" -fuzztime 30s || exit 1; done
	$(GO) test ./data -run '^$$' -fuzz '^FuzzParseIndicators$$' -fuzztime 30s
	$(GO) test ./data/redcotton -run '^$$' -fuzz '^FuzzParse$$' -fuzztime 30s
	for f in FuzzReadCSV FuzzReadJSONL; do $(GO) test ./data/readings -run '^$$' -fuzz "^$$f$$" -fuzztime 30s || exit 1; done
	$(GO) test ./data/gpkg -run '^$$' -fuzz '^FuzzDecodeGeom$$' -fuzztime 30s
	$(GO) test ./data/mirror -run '^$$' -fuzz '^FuzzDecodeMultiPolygons$$' -fuzztime 30s
	for f in FuzzCanonicalFormIsJCS FuzzParseStoredEntry; do $(GO) test ./data/journal -run '^$$' -fuzz "^$$f$$" -fuzztime 30s || exit 1; done
	$(GO) test ./maps -run '^$$' -fuzz '^FuzzRenderGeometry$$' -fuzztime 30s
	$(GO) test ./data/password -run '^$$' -fuzz '^FuzzParse$$' -fuzztime 30s
	for f in FuzzParseSignature FuzzParseKeyLine; do $(GO) test ./data/sign -run '^$$' -fuzz "^$$f$$" -fuzztime 30s || exit 1; done

# The real window under Xvfb, in Chinese and English: docs/screenshot*.png.
screenshot: build
	$(call apt_install,xvfb xauth imagemagick xdotool)
	scripts/screenshot.sh

clean:
	rm -rf bin dist
