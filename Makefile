# iommu-groups: the two commands of the README, plus install.
#
#   make run     install build dependencies, build, run iommu-groups on this machine
#   make check   the same set-up, a sanitizer build (ASan+UBSan) and every test;
#                the last line is "N passed, N failed"
#   make install PREFIX=/usr/local DESTDIR=
#
# ORACLE_LIVE=0 skips the live kernel boots of make check; FUZZ_SECONDS sets how
# long each fuzz target runs (default 15).

PREFIX    ?= /usr/local
DESTDIR   ?=
BUILDDIR  ?= build
CHECKDIR  ?= build-check
FUZZDIR   ?= build-fuzz
ORACLE_LIVE ?= 1
FUZZ_SECONDS ?= 15


.PHONY: all deps build run check install clean

all: build

deps:
	scripts/install-deps

$(BUILDDIR)/build.ninja:
	meson setup --prefix=$(PREFIX) $(BUILDDIR) >/dev/null

build: deps $(BUILDDIR)/build.ninja
	ninja -C $(BUILDDIR)

run: build
	$(BUILDDIR)/tools/iommu-groups

check: deps
	ORACLE_LIVE=$(ORACLE_LIVE) FUZZ_SECONDS=$(FUZZ_SECONDS) \
		tests/run-all $(CHECKDIR) $(FUZZDIR)

install: build
	DESTDIR=$(DESTDIR) meson install -C $(BUILDDIR) --no-rebuild

clean:
	rm -rf $(BUILDDIR) $(CHECKDIR) $(FUZZDIR)

include Makefile.oracle
