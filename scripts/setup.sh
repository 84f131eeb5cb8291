#!/usr/bin/env bash
# Installs what convscope needs on a fresh Debian/Ubuntu machine that has the Swift toolchain.
#   scripts/setup.sh run    # to build and run: libncurses-dev, libpng-dev, zlib1g-dev
#   scripts/setup.sh test   # to run every test: the above plus tmux, python3 with numpy, asciinema 2.x,
#                           # man-db (scripts/check-install.sh reads the manual page)
# Only what is missing is installed (with sudo when not root). Safe to run again.
set -euo pipefail

need=${1:-run}
packages=(libncurses-dev libpng-dev zlib1g-dev pkg-config)
if [ "$need" = test ]; then
  packages+=(tmux python3 python3-numpy python3-pip locales man-db)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

sudo_cmd=()
if [ "$(id -u)" != 0 ]; then sudo_cmd=(sudo); fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ "$need" = test ]; then
  # numpy may come from pip instead of Debian; either will do.
  if ! python3 -c 'import numpy' 2>/dev/null; then
    python3 -m pip install -q numpy 2>/dev/null || python3 -m pip install -q --break-system-packages numpy
  fi
  # The real asciinema client (2.x, from PyPI) reads the recordings convscope writes.
  if ! python3 -c 'import asciinema, sys; sys.exit(0 if asciinema.__version__.startswith("2.") else 1)' 2>/dev/null; then
    echo "setup: installing asciinema 2.x from PyPI"
    python3 -m pip install -q 'asciinema>=2.2,<3' 2>/dev/null \
      || python3 -m pip install -q --break-system-packages 'asciinema>=2.2,<3'
  fi
  # A UTF-8 locale for the end-to-end tests (C.UTF-8 ships with libc; nothing to generate).
fi
