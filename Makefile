# Kapok. `make run` builds and opens Kapok on the demo city; `make test` runs
# every check. Both install the Debian packages they need first (as root, or
# through sudo), so they work on a fresh Debian 12 machine.

GO          ?= go
STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2
SUDO        := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# GEOS for computational geometry (cgo); GDAL for the interoperability test;
# X11/GL headers for Fyne's cgo build.
APT_PACKAGES := gcc libgeos-dev gdal-bin python3-gdal \
	libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev libxinerama-dev libxi-dev libxxf86vm-dev

.PHONY: deps build run test bench lint fuzz screenshot clean

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

build: deps
	$(GO) build -o bin/kapok .

run: build
	bin/kapok run

lint: deps
	@test -z "$$(gofmt -l .)" || { echo "gofmt would change:"; gofmt -l .; exit 1; }
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...

test: lint
	$(GO) test -race -timeout 30m ./...

# Speed and memory targets; figures go to docs/benchmarks.md.
bench: deps
	$(GO) test -run '^$$' -bench 'DemoGuangzhou' -benchtime 3x ./data
	$(GO) test -run '^$$' -bench 'LoadGrids|GridByCode|GridsInDistrictBox' -benchmem ./data
	$(GO) test -run '^$$' -bench . -benchtime 2s ./maps
	$(GO) test -run '^$$' -bench 'WholeCity|Recolor|Pan100|DistrictCold|PointToGrid|MillionPoints|Nearest5|LoadCityMapMemory' -benchtime 2s ./app
	$(GO) test -run '^$$' -bench 'LaunchToFirstMap' -benchtime 5x ./app
	$(GO) test -run '^$$' -bench 'PanStep|ZoomStep' -benchtime 120x ./app
	$(GO) test -run '^$$' -bench 'ConsoleResident' -benchtime 1x ./app

# A short run of every fuzzer (the seeds also run in `make test`).
fuzz: deps
	for f in FuzzReadGeoJSON FuzzReadCSV FuzzDecodeGeom; do $(GO) test ./data -run '^$$' -fuzz "^$$f$$" -fuzztime 30s || exit 1; done
	$(GO) test ./maps -run '^$$' -fuzz '^FuzzRenderGeometry$$' -fuzztime 30s

# The real window under Xvfb, in Chinese and English: docs/screenshot*.png.
screenshot: build
	$(call apt_install,xvfb xauth imagemagick xdotool)
	scripts/screenshot.sh

clean:
	rm -rf bin
