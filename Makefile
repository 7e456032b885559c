# A thin wrapper over meson: `make run` and `make test` from a fresh Debian 12
# machine. Everything lives in build/ (and build-asan/ for the sanitizer run).

BUILDDIR ?= build
ASANDIR ?= build-asan
MESON_OPTIONS ?=

.PHONY: all deps setup build run test test-readers test-asan bench pot clean

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

# npm anki-reader, a reader of Anki packages we did not write, checks our
# exports where npm is at hand; without it that one test is skipped.
test-readers:
	@if command -v npm >/dev/null 2>&1; then \
	  (cd tests/anki-read && npm ci --no-audit --no-fund --loglevel=error) || \
	  echo "npm ci failed in tests/anki-read: the anki-read test will be skipped"; \
	fi

test: build test-readers
	@status=0; ./build-aux/run-tests.sh $(BUILDDIR) || status=$$?; \
	./build-aux/test-summary.py $(BUILDDIR)/meson-logs/testlog.json; \
	exit $$status

# The same suite built with AddressSanitizer and UndefinedBehaviorSanitizer;
# any report fails the run.
$(ASANDIR)/build.ninja:
	meson setup $(ASANDIR) -Dbuildtype=debug -Db_sanitize=address,undefined \
	  -Db_lundef=false $(MESON_OPTIONS)

test-asan: deps test-readers $(ASANDIR)/build.ninja
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
