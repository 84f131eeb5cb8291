#!/usr/bin/env bash
# Checks `make install` and `make uninstall` into a staging folder (DESTDIR), as a packager would
# use them: every file lands where the README says, the manual renders without a warning, each
# completion script names the subcommands, the installed binary runs, and uninstall removes it all.
set -euo pipefail
cd "$(dirname "$0")/.."
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
make --no-print-directory install DESTDIR="$stage" PREFIX=/usr >/dev/null
files=(
  usr/bin/convscope
  usr/share/man/man1/convscope.1
  usr/share/bash-completion/completions/convscope
  usr/share/zsh/site-functions/_convscope
  usr/share/fish/vendor_completions.d/convscope.fish
)
fail() { echo "check-install: $*" >&2; exit 1; }
for f in "${files[@]}"; do [ -s "$stage/$f" ] || fail "missing or empty: $f"; done
"$stage/usr/bin/convscope" lessons | grep -q first || fail "the installed binary does not list its lessons"
for f in "${files[@]:2}"; do
  for sub in view render export check gradcheck; do
    grep -q "$sub" "$stage/$f" || fail "$f does not complete the subcommand $sub"
  done
done
bash -n "$stage/usr/share/bash-completion/completions/convscope" || fail "the bash completion has a syntax error"
page="$stage/usr/share/man/man1/convscope.1"
warnings=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null || true)
[ -z "$warnings" ] || fail "the manual page has warnings: $warnings"
LC_ALL=C.UTF-8 MANWIDTH=80 man -l "$page" 2>/dev/null | grep -q "a 7x7 input" || fail "the manual page lost the help text"
make --no-print-directory uninstall DESTDIR="$stage" PREFIX=/usr >/dev/null
for f in "${files[@]}"; do [ ! -e "$stage/$f" ] || fail "uninstall left $f"; done
echo "check-install: make install and make uninstall put and remove ${#files[@]} files"
