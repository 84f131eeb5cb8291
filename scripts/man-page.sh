#!/usr/bin/env bash
# Writes convscope's manual page, convscope.1, into a folder:
#   scripts/man-page.sh BINARY OUTPUT_DIR
# The page is made by swift-argument-parser's manual generator (the tool behind its
# `generate-manual` plugin) from the binary's `--experimental-dump-help`. Two fixes on the way:
# the generator drops every non-ASCII character (so "7×7" would read "77"), so the help goes to it
# spelled in ASCII ("7x7", "<=", "sum"); and blank lines inside a discussion become paragraph
# breaks (.Pp), which mdoc wants instead of empty lines.
set -euo pipefail
bin=$(realpath "$1")
out=$2
cd "$(dirname "$0")/.."
swift build --product generate-manual >/dev/null
tool="$(swift build --show-bin-path)/generate-manual"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The generator runs "<tool> --experimental-dump-help"; this stand-in answers for the binary.
cat >"$work/convscope" <<WRAP
#!/usr/bin/env bash
"$bin" "\$@" | sed -e 's/⌊/floor(/g; s/⌋/)/g; s/Σ/sum /g; s/×/x/g; s/·/*/g; s/−/-/g' \\
  | iconv -f UTF-8 -t ASCII//TRANSLIT
WRAP
chmod +x "$work/convscope"

# A fixed date (the last commit's, or SOURCE_DATE_EPOCH) so the same source gives the same page.
if [ -n "${SOURCE_DATE_EPOCH:-}" ]; then
  date=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%d)
else
  date=$(git log -1 --format=%cs 2>/dev/null || date -u +%Y-%m-%d)
fi
mkdir -p "$work/man"
"$tool" "$work/convscope" --date "$date" --output-directory "$work/man" >/dev/null
mkdir -p "$out"
# A help line that begins with a dot (".cast files") would be read as a macro: mdoc's macros
# start with a capital, so a dot before a small letter or a quote gets the zero-width escape.
sed -e 's/^$/.Pp/' -e "s/^\\([.']\\)\\([a-z]\\)/\\\\\&\\1\\2/" "$work/man/convscope.1" >"$out/convscope.1"
