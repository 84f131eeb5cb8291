#!/usr/bin/env bash
# Writes every TermUI gallery frame (palettes, grids, a large map, dashboards, in every colour
# and glyph level) as ANSI files (`cat DIR/*.ans` in a real terminal) and the dashboards as SVG.
#   scripts/gallery.sh [DIR]     (default: .build/gallery)
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$(realpath -m "${1:-.build/gallery}")
mkdir -p "$dir"
swift build --build-tests
TERMUI_GALLERY_DIR="$dir" swift test --skip-build --filter GalleryTests
echo "gallery: $(ls "$dir" | wc -l) files in $dir"
