#!/usr/bin/env bash
# Writes the README's pictures, docs/screens/*.svg: the main screens at 120×40, exported by
# `convscope export` from the same model the viewer draws (24-bit colour). A test keeps the
# committed files current (it runs this script into a scratch folder and compares).
#   scripts/screens.sh [BINARY]     (default: builds and uses .build/debug/convscope)
#   SCREENS_DIR=DIR scripts/screens.sh BINARY     (writes into DIR instead)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-}
if [ -z "$bin" ]; then
  swift build --product convscope
  bin=.build/debug/convscope
fi
out=${SCREENS_DIR:-docs/screens}
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
bugs=Tests/Fixtures/bugs/A
shot debugger --input $bugs/x.npy --kernel $bugs/w.npy --bias $bugs/b.npy --grad $bugs/dy.npy \
  --padding 1 --check-y $bugs/kernel-flipped/y.npy --keys "n"
shot help --keys "?"
shot transposed --lesson transposed --step 5
shot transposed-adjoint --lesson transposed --keys "t t Right Right Right Right"
