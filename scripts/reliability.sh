#!/usr/bin/env bash
# The slow cases of issue 18: inputs that once made convscope do huge work or lose files, run
# against a built binary and measured (exit status, peak memory, wall time). Prints one Markdown
# table; a row ends in `ok` or `FAIL (why)`. Exit status: the number of FAIL rows (0 = all well).
#
#   scripts/reliability.sh [BINARY]       # default .build/release/convscope
#
# Each part lives in scripts/reliability/*.sh and is sourced with these set:
#   BIN      the binary under test
#   WORK     an empty scratch folder (removed at the end)
#   measure  NAME refused|ok [--limit-mb M] [--limit-s S] [--timeout S] [--stdin F] -- CMD ...
# Large inputs are made in WORK by the part itself (nothing big is committed).
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
BIN="$(realpath "${1:-$here/../.build/release/convscope}")"
if [ ! -x "$BIN" ]; then
  echo "reliability: no binary at $BIN (build it: swift build -c release)" >&2
  exit 2
fi
WORK="$(mktemp -d "${TMPDIR:-/tmp}/convscope-reliability.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
failures=0
measure() {
  python3 "$here/reliability/measure.py" "$@" || failures=$((failures + 1))
}
echo "| input | expected | exit | max RSS MB | seconds | verdict |"
echo "|---|---|---|---|---|---|"
for part in "$here"/reliability/*.sh; do
  [ -e "$part" ] || continue
  # shellcheck source=/dev/null
  source "$part"
done
echo
echo "reliability: $failures failing row(s)"
exit "$failures"
