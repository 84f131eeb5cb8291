SHELL := /bin/bash
# convscope — the two commands a new machine needs:
#   make run    installs what is missing, builds, and opens the first lesson (ARGS="…" for flags)
#   make test   installs what the tests need, builds, and runs every test
# and, to put it on the system: make install (PREFIX=/usr/local, DESTDIR honoured), make uninstall
SWIFT ?= swift
ARGS ?=

# Where `make install` puts things: $(DESTDIR)$(PREFIX)/bin, share/man/man1 and the shells'
# completion folders. DESTDIR is for packagers (a staging root); PREFIX is where it will live.
PREFIX ?= /usr/local
DESTDIR ?=
BINDIR := $(DESTDIR)$(PREFIX)/bin
MANDIR := $(DESTDIR)$(PREFIX)/share/man/man1
BASHDIR := $(DESTDIR)$(PREFIX)/share/bash-completion/completions
ZSHDIR := $(DESTDIR)$(PREFIX)/share/zsh/site-functions
FISHDIR := $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
BIN := .build/release/convscope

.PHONY: run test build release setup-run setup-test lint bench clean install uninstall man

run: setup-run release
	.build/release/convscope $(ARGS)

test: setup-test
	@mkdir -p .build
	$(SWIFT) build --build-tests 2>&1 | tee .build/build.log; exit $${PIPESTATUS[0]}
	@if grep -E '(Sources|Tests)/[^:]*:[0-9]+:[0-9]+: warning:' .build/build.log; then \
	  echo "make test: the build has compiler warnings (listed above)"; exit 1; fi
	@# Every test that drives a process or tmux has its own deadline; this one bounds the whole
	@# run (a few minutes normally) far inside CI's 90 minutes, whatever hangs.
	CONVSCOPE_BIN=$(CURDIR)/.build/debug/convscope timeout --kill-after=60 2700 $(SWIFT) test

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

# The manual page from swift-argument-parser's generator (see scripts/man-page.sh).
man: release
	scripts/man-page.sh $(BIN) .build/man

install: setup-run man
	install -d "$(BINDIR)" "$(MANDIR)" "$(BASHDIR)" "$(ZSHDIR)" "$(FISHDIR)"
	install -m 755 $(BIN) "$(BINDIR)/convscope"
	install -m 644 .build/man/convscope.1 "$(MANDIR)/convscope.1"
	$(BIN) --generate-completion-script bash > "$(BASHDIR)/convscope"
	$(BIN) --generate-completion-script zsh > "$(ZSHDIR)/_convscope"
	$(BIN) --generate-completion-script fish > "$(FISHDIR)/convscope.fish"
	@echo "installed convscope in $(BINDIR), its manual in $(MANDIR), completions for bash, zsh, fish"

uninstall:
	rm -f "$(BINDIR)/convscope" "$(MANDIR)/convscope.1" "$(BASHDIR)/convscope" \
	  "$(ZSHDIR)/_convscope" "$(FISHDIR)/convscope.fish"

clean:
	rm -rf .build
