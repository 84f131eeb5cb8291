# Part of scripts/reliability.sh (sourced): files and paths (the lead's part of issue 18).
# The viewer's own cases (signals, escape strings, recordings saved on exit, numbered C
# exports) need a terminal and run as tests: `swift test --filter "ViewerEndToEnd|LoopTests"`.
measure "render --input of a missing file" refused -- "$BIN" render --input "$WORK/none.png"
mkdir -p "$WORK/lesson"
printf 'title: t\ninput: ../../../../../../etc/passwd\n' > "$WORK/lesson/up.lesson"
measure "lesson input: ../../../../etc/passwd" refused -- "$BIN" render --lesson "$WORK/lesson/up.lesson"
printf 'title: t\ninput: /etc/passwd\n' > "$WORK/lesson/abs.lesson"
measure "lesson input: /etc/passwd" refused -- "$BIN" render --lesson "$WORK/lesson/abs.lesson"
ln -s /etc/passwd "$WORK/lesson/link.csv"
printf 'title: t\ninput: link.csv\n' > "$WORK/lesson/link.lesson"
measure "lesson input: a link leading out" refused -- "$BIN" render --lesson "$WORK/lesson/link.lesson"
if [ ! -e /nonexistent ]; then
  measure "code --output /nonexistent/dir" refused -- "$BIN" code --input-size 21 --output /nonexistent/dir
  if [ -e /nonexistent ]; then
    echo "| code --output made /nonexistent | | | | | FAIL |"
    failures=$((failures + 1))
    rm -rf /nonexistent  # made by the binary under test just now
  fi
fi
printf 'victim\n' > "$WORK/victim.txt"
ln -s "$WORK/victim.txt" "$WORK/link.svg"
measure "export --output onto a planted symlink" ok -- "$BIN" export --format svg --output "$WORK/link.svg"
if [ "$(cat "$WORK/victim.txt")" != victim ]; then
  echo "| export followed the symlink and overwrote its target | | | | | FAIL |"
  failures=$((failures + 1))
fi
if [ -c /dev/full ]; then
  measure "export to a full disk (/dev/full)" refused -- "$BIN" export --format txt --output /dev/full
  # A binary that renames over its target replaces the device with a regular file (as root):
  # say so and put the device back.
  if [ ! -c /dev/full ]; then
    echo "| export replaced the /dev/full device with a regular file | | | | | FAIL |"
    failures=$((failures + 1))
    if [ "$(id -u)" = 0 ]; then rm -f /dev/full && mknod -m 666 /dev/full c 1 7; fi
  fi
fi
