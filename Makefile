SHELL := /bin/bash
# convscope — the two commands a new machine needs:
#   make run    installs what is missing, builds, and opens the first lesson (ARGS="…" for flags)
#   make test   installs what the tests need, builds, and runs every test
SWIFT ?= swift
ARGS ?=

.PHONY: run test build release setup-run setup-test lint bench clean

run: setup-run release
	.build/release/convscope $(ARGS)

test: setup-test
	@mkdir -p .build
	$(SWIFT) build --build-tests 2>&1 | tee .build/build.log; exit $${PIPESTATUS[0]}
	@if grep -E '(Sources|Tests)/[^:]*:[0-9]+:[0-9]+: warning:' .build/build.log; then \
	  echo "make test: the build has compiler warnings (listed above)"; exit 1; fi
	CONVSCOPE_BIN=$(CURDIR)/.build/debug/convscope $(SWIFT) test

build:
	$(SWIFT) build --build-tests

release:
	$(SWIFT) build -c release --product convscope

setup-run:
	@scripts/setup.sh run

setup-test:
	@scripts/setup.sh test

lint:
	$(SWIFT) format lint --strict -r Sources Tests

bench: setup-run release
	.build/release/convscope bench $(ARGS)

clean:
	rm -rf .build
