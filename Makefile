# A thin wrapper over meson: `make run` and `make test` from a fresh Debian 12
# machine. Everything lives in build/ (and build-asan/ for the sanitizer run).

BUILDDIR ?= build
ASANDIR ?= build-asan
MESON_OPTIONS ?=

.PHONY: all deps setup build run test test-asan bench pot clean

all: build

deps:
	./build-aux/install-deps.sh

$(BUILDDIR)/build.ninja:
	meson setup $(BUILDDIR) $(MESON_OPTIONS)

setup: deps $(BUILDDIR)/build.ninja

build: setup
	meson compile -C $(BUILDDIR)

run: build
	./build-aux/run-demo.sh $(BUILDDIR)

test: build
	@status=0; ./build-aux/run-tests.sh $(BUILDDIR) || status=$$?; \
	./build-aux/test-summary.py $(BUILDDIR)/meson-logs/testlog.json; \
	exit $$status

# The same suite built with AddressSanitizer and UndefinedBehaviorSanitizer;
# any report fails the run.
$(ASANDIR)/build.ninja:
	meson setup $(ASANDIR) -Dbuildtype=debug -Db_sanitize=address,undefined \
	  -Db_lundef=false $(MESON_OPTIONS)

test-asan: deps $(ASANDIR)/build.ninja
	meson compile -C $(ASANDIR)
	@status=0; ./build-aux/run-tests.sh $(ASANDIR) || status=$$?; \
	./build-aux/test-summary.py $(ASANDIR)/meson-logs/testlog.json; \
	exit $$status

# Speed and memory benchmarks; their numbers go into docs/benchmarks.md.
bench: build
	meson test -C $(BUILDDIR) --benchmark --verbose

pot: setup
	meson compile -C $(BUILDDIR) studydeck-pot

clean:
	rm -rf $(BUILDDIR) $(ASANDIR)
