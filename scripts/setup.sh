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
  packages+=(tmux python3 python3-numpy locales man-db)
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
  # The tests run the `python3` found on PATH, so that one Python (and no other) must import
  # numpy and the real asciinema 2.x client. The system Python gets Debian's packages; another
  # one (pyenv, a venv) gets them from pip. Nothing is hidden: a failure stops here, loudly.
  if ! py=$(command -v python3); then
    echo "setup: no python3 on PATH (the tests need one)" >&2
    exit 1
  fi
  exe=$("$py" -c 'import sys; print(sys.executable)')
  has_numpy() { "$py" -c 'import numpy' 2>/dev/null; }
  has_asciinema() {
    "$py" -c 'import asciinema, sys; sys.exit(0 if asciinema.__version__.startswith("2.") else 1)' \
      2>/dev/null
  }
  wanted=()
  has_numpy || wanted+=(numpy)
  has_asciinema || wanted+=(asciinema)
  if [ ${#wanted[@]} -gt 0 ]; then
    case "$exe" in
      /usr/bin/python3* | /bin/python3*)
        debs=()
        for w in "${wanted[@]}"; do
          case "$w" in numpy) debs+=(python3-numpy) ;; asciinema) debs+=(asciinema) ;; esac
        done
        echo "setup: installing ${debs[*]} (Debian packages) for $exe"
        "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
        "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${debs[@]}" \
          >/dev/null
        ;;
      *)
        specs=()
        for w in "${wanted[@]}"; do
          case "$w" in numpy) specs+=(numpy) ;; asciinema) specs+=('asciinema>=2.2,<3') ;; esac
        done
        echo "setup: installing ${specs[*]} with pip for $exe"
        if ! "$py" -m pip install --disable-pip-version-check -q "${specs[@]}"; then
          echo "setup: pip could not install ${specs[*]} for $exe (its error is above)" >&2
          exit 1
        fi
        ;;
    esac
    has_numpy || { echo "setup: $exe still cannot import numpy" >&2; exit 1; }
    has_asciinema || { echo "setup: $exe still has no asciinema 2.x" >&2; exit 1; }
  fi
  # A UTF-8 locale for the end-to-end tests (C.UTF-8 ships with libc; nothing to generate).
fi
