#!/usr/bin/env bash
# Writes the README's pictures, docs/screens/*.svg: the main screens at 120×40, exported by
# `convscope export` from the same model the viewer draws (24-bit colour).
#   scripts/screens.sh [BINARY]     (default: builds and uses .build/debug/convscope)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-}
if [ -z "$bin" ]; then
  swift build --product convscope
  bin=.build/debug/convscope
fi
out=docs/screens
mkdir -p "$out"
shot() {
  local name=$1
  shift
  "$bin" export --format svg --color truecolor --size 120x40 --output "$out/$name.svg" "$@"
  echo "$out/$name.svg"
}
shot first-forward --step 10
shot first-backward --phase backward --step 12
shot first-update --phase update --keys "Right"
shot article --article --step 40
shot rgb-photo --lesson rgb-edges --step 30
shot debugger --case Tests/Fixtures/bugs/A/case.json \
  --check-y Tests/Fixtures/bugs/A/kernel-flipped/y.npy --keys "n"
shot help --keys "?"
