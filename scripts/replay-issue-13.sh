#!/usr/bin/env bash
# Replays issue 13's list ("One language everywhere, and a debugger that finds more mistakes")
# against a convscope binary, the way a user would type each item, and checks what comes out.
#
#   scripts/replay-issue-13.sh [BINARY]     (default: .build/release/convscope)
#
# Prints `ok` or `FAIL` a line per item (with what was seen on a failure) and exits 1 when any
# item fails. Every command has a deadline; the one item that needs a terminal (a file the viewer
# writes) runs the viewer in tmux and is skipped, saying so, where tmux is missing.
set -u
cd "$(dirname "$0")/.."
root=$PWD
bin=${1:-.build/release/convscope}
case "$bin" in /*) ;; *) bin="$root/$bin" ;; esac
if [ ! -x "$bin" ]; then
  echo "replay-issue-13: no binary at $bin (build it: swift build -c release)" >&2
  exit 2
fi
work=$(mktemp -d)
server="replay13-$$"
trap 'tmux -L "$server" kill-server 2>/dev/null; rm -rf "$work"' EXIT
passed=0
failed=0
skipped=0
OUT=""
STATUS=0

# MARK: - Helpers

# run ARGS...: runs the binary (60 s at most) in the scratch folder; OUT holds stdout and
# stderr, STATUS the exit status.
run() {
  OUT=$(cd "$work" && timeout 60 "$bin" "$@" 2>&1 < /dev/null)
  STATUS=$?
}

# check ITEM CONDITION: evaluates CONDITION (a shell expression over OUT and STATUS).
check() {
  if eval "$2"; then
    passed=$((passed + 1))
    printf 'ok    %s\n' "$1"
  else
    failed=$((failed + 1))
    printf 'FAIL  %s\n        (%s; exit status %s)\n' "$1" "$2" "$STATUS"
    printf '%s\n' "$OUT" | head -n 12 | sed 's/^/        | /'
  fi
}

skip() {
  skipped=$((skipped + 1))
  printf 'skip  %s (%s)\n' "$1" "$2"
}

# has TEXT / lacks TEXT: whether OUT contains TEXT (fixed string).
has() { grep -qF -- "$1" <<< "$OUT"; }
lacks() { ! has "$1"; }
status() { [ "$STATUS" = "$1" ]; }
# line TEXT: the first line of OUT that contains TEXT.
line() { grep -F -m 1 -- "$1" <<< "$OUT"; }
# formula: the text of the formula panel's first line (after the box's left edge).
formula() { grep -A1 -m 1 -F 'Formula (' <<< "$OUT" | tail -n 1 | sed 's/^│//; s/ *│$//'; }

vectors=$root/Tests/Fixtures/conv-vectors
bugs=$root/Tests/Fixtures/bugs

# MARK: - One language: step numbers

echo "# Step numbers"
case13=$vectors/conv_s2_p1.json
run steps "$case13" --at 5
steps_formula=$(grep -o 'y\[[0-9,]*\] = .*' <<< "$OUT" | head -n 1 | cut -c1-60)
check "steps --at 5 prints step 5" 'has "     5 forward"'
run render --case "$case13" --step 5 --size 120x40
check "render --step 5 shows the window steps --at 5 shows" \
  '[ -n "$steps_formula" ] && [ "$(formula | cut -c1-60)" = "$steps_formula" ]'
run export --case "$case13" --step 5 --format txt --size 120x40
check "export --step 5 shows the same window" '[ "$(formula | cut -c1-60)" = "$steps_formula" ]'
run export --case "$case13" --keys ": 5 Enter" --format txt --size 120x40
check ":5 in the viewer shows the same window" '[ "$(formula | cut -c1-60)" = "$steps_formula" ]'
run render --step 999
render_error=$OUT
check "render --step 999 refuses with the number of steps" \
  'status 2 && has "--step 999: the forward phase has 49 steps"'
run export --step 999 --format txt
check "export --step 999 refuses with the same line" '[ "$OUT" = "$render_error" ] && status 2'
run export --keys "Left Left" --format txt
check "← at the first step stays at step 1 (no step 0)" \
  'has "At the first step." && has "step 1/49" && lacks "step 0/"'

# MARK: - One language: indices, channels, ranges

echo "# Index notation"
run render --phase backward --step 12 --size 120x40
check "backward titles write the whole index: dy[0,0,:,:], dx[0,0,:,:], dw[0,0,:,:]" \
  'has "dy[0,0,:,:]" && has "dx[0,0,:,:]" && has "dw[0,0,:,:]"'
check "the backward formula writes dy[n,f,i,j] whole, the window's cells as ranges" \
  'has "dw[0,0,:,:] += dy[0,0,1,4]·x[0,0,0…2,3…5]" && has "dx[0,0,0…2,3…5] += dy[0,0,1,4]·w[0,0,:,:]"'
run render --step 1 --size 120x40
check "forward: titles x[0,0,:,:] and y[0,0,:,:], the formula's cell y[0,0,0,0]" \
  'has "Input x[0,0,:,:]" && has "Output y[0,0,:,:]" && has "y[0,0,0,0] = b + Σ x·w"'
check "the status bar counts the filter from 0, as the titles do" 'has "filter 0 of 1"'
check "a window's rows and columns read −1…1 (one way to write a range)" \
  'has "rows −1…1, columns −1…1" && lacks "–"'
run export --lesson rgb-edges --keys "p c c c" --size 160x48 --format txt
check "a channel is counted the same in the title and the status bar (x[0,2,:,:], channel 2 of 3)" \
  'has "x[0,2,:,:]" && has "channel 2 of 3" && lacks "ch 3/3"'

# MARK: - Defaults you can see

echo "# Defaults you can see"
run render --input-size 5,9 --kernel-size 3,2 --stride 2,1 --size 120x40
check "a layer from flags starts from PyTorch's defaults: padding 0" \
  'status 0 && has "stride 2,1 · pad 0" && has "padding 0, dilation 1 (PyTorch'"'"'s)"'
check "its notes say where each tensor came from" \
  'has "Tensors: x seeded small" && has "(seed 0); b zeros; dy ones"'
run render --lesson first --stride 2 --size 120x40
check "a named lesson keeps its own padding" 'has "stride 2 · pad 1"'
python3 - "$work" << 'EOF'
import sys
import numpy as np
np.save(sys.argv[1] + "/y_wrong_shape.npy", np.zeros((1, 1, 4, 4), np.float32))
EOF
run check --input-size 5,9 --kernel-size 3,2 --stride 2,1 --check-y y_wrong_shape.npy
check "check's report lists every default in use" \
  'has "defaults in use: padding 0, dilation 1 (PyTorch'"'"'s), bias = 0, dy = ones, lr 0.1, seed 0"'
check "… and where each tensor came from" \
  'has "tensors: x seeded small integers −2…3 (seed 0); w seeded small integers −1…1 (seed 0); b zeros; dy ones"'

# MARK: - Messages

echo "# Messages"
run --padding -1
check "--padding -1 says padding must be ≥ 0" 'status 2 && has "padding must be ≥ 0 (got -1)"'
run render --pool 9
check "--pool 9 blames the pool, not the convolution's kernel" \
  'status 2 && has "the pool kernel height (9) is larger than the convolution'"'"'s output height (7)"'
run export --keys ": a" --format txt
check "':' then a letter says the letter is not a digit, at once" \
  'has "'"'"'a'"'"' is not a digit: a step number is 1…49"'
run export --keys ": Enter" --format txt
check "':' then Enter says no number was typed" 'has "no step number after '"':'"'"'
run check --check-y y_wrong_shape.npy
check "a wrong-shape file names both shapes" \
  'status 1 && has "shape (1, 1, 4, 4), but the layer'"'"'s y is (1, 1, 7, 7)"'
run render --lesson dilation --size 160x48
check "ordinals are right: every 2nd cell" 'has "every 2nd cell" && lacks "2th"'

# MARK: - Formulas

echo "# Formulas"
run render --lesson conv-relu-pool --phase pool --step 2 --size 120x40
check "max-pool reads max(a, b, …) with the map's decimals" \
  'has "pool[0,0,0,1] = max of the window = max(1.75, 0.88, 1.38, 1.38) = 1.75" && lacks " , "'
check "the map beside it shows the same numbers" 'grep -F "<1.75>" <<< "$OUT" | grep -qF "0.88"'
check "pool phases give the pooled size and the tie rule" \
  'has "Pooled size: ⌊(8 + 2·0 − 2)/2⌋ + 1 = 4" && has "ties: the first in reading order"'
run render --lesson conv-relu-pool --phase relu-backward --step 2 --size 120x40
check "ReLU backward reads [y > 0]·gradient in" \
  'has "dy[0,0,0,1] = [y > 0]·gradient in = 1·0 = 0   (y = 1.69 > 0)" && lacks "= 1 = 1"'

# MARK: - Files the viewer writes

echo "# Files the viewer writes"
if command -v tmux > /dev/null; then
  tmux -L "$server" new-session -d -x 120 -y 40 -c "$work" "'$bin'; sleep 30"
  sleep 1.5
  tmux -L "$server" send-keys x
  shown=""
  for _ in $(seq 1 40); do
    sleep 0.25
    shown=$(tmux -L "$server" capture-pane -p)
    grep -qF ".svg" <<< "$shown" && break
  done
  tmux -L "$server" send-keys q
  OUT=$shown
  STATUS=0
  check "x writes an SVG and the message names its full path" 'has "$work/" && has ".svg"'
else
  skip "x writes an SVG and the message names its full path" "tmux is not installed"
fi

# MARK: - The engineer's workflow

echo "# The engineer's workflow"
layer=$root/Tests/Fixtures/archives/layer
run code --case "$layer/case.json"
printf '%s\n' "$OUT" > "$work/layer.py"
(cd "$work" && timeout 60 python3 layer.py > out.txt 2>&1)
run check --case "$layer/case.json" --check-all out.txt
check "check reads what code's program prints (--check-all out.txt)" \
  'status 0 && has "y   agrees (out.txt:y)" && has "db  agrees (out.txt:db)"'
run check --case "$layer/case.json" --check-y "$layer/y_flat.npy" --shape 2,3,5,6
check "a flat file takes its shape from --shape" \
  'status 0 && has "read as (2, 3, 5, 6) (--shape)"'
run check --case "$layer/case.json" --check-y "$layer/y_flat.npy" --shape 2,3,5,5
check "… and a shape that does not fit names the file, its count and the shape" \
  'status 2 && has "180 values cannot have --shape y=2,3,5,5, which needs 150"'
npz=$root/Tests/Fixtures/archives/npz/stored.npz
run check --case "$layer/case.json" --check-y "$npz:out"
check "an .npz member that is not there: the error lists the members" \
  'status 2 && has "no array named '"'"'out'"'"'" && has "it holds y, dx, dw, db"'
run check --input "$layer/layer_nhwc.npz" --kernel "$layer/layer_nhwc.npz" \
  --bias "$layer/b.npy" --padding 1 --layout nhwc --check-y "$layer/y_nhwc.npy"
check "--layout nhwc applies to --input (NHWC) and --kernel (HWIO) from an .npz" \
  'status 0 && has "channels last (2, 5, 6, 2) read as channels first" && has "HWIO (3, 3, 2, 3)"'
"$bin" compute "$layer/case.json" > "$work/correct.json"
python3 - "$work/correct.json" "$layer/case.json" "$work/dw_hwio.npy" << 'EOF2'
import json, sys
import numpy as np
correct, case = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
dw = np.array(correct["dw"], np.float32).reshape(case["shapes"]["w"])
np.save(sys.argv[3], dw.transpose(2, 3, 1, 0))  # [F, C, KH, KW] → HWIO [KH, KW, C, F]
EOF2
run check --case "$layer/case.json" --layout nhwc --check-dw dw_hwio.npy
check "--layout nhwc reads a TensorFlow (HWIO) dw too" \
  'status 0 && has "HWIO (3, 3, 2, 3) read as [F, KH, KW, C]"'
run check --input "$layer/x_nhwc.npy" --kernel "$layer/w_hwio.npy" --bias "$layer/b.npy" \
  --padding 1 --check-y "$layer/y_nhwc.npy"
check "channel counts that only fit channels last suggest --layout nhwc" \
  'status 2 && has "fit each other channels last (NHWC, HWIO): give --layout nhwc"'
run check --case "$layer/case.json" --check-y "$layer/y_f64.npy"
check "a float64 file is converted with a note" 'has "float64 values rounded to float32"'
run check --case "$layer/case.json" --check-y "$layer/y_int.npy"
check "an integer file is converted with a note" 'has "int32 values converted to float32"'
run check --case "$layer/case.json" --check-y "$layer/y_f16.npy"
check "float16 rounding that explains every difference is named" \
  'has "float16 values converted to float32" && has "every difference is within float16 rounding"'
run render --case "$vectors/conv_s2_p1.json" --step 5 --size 120x40
check "--case opens a conv-vectors case in render" 'status 0 && has "step 5/"'
run export --case "$vectors/conv_s2_p1.json" --step 5 --format txt --size 120x40
check "--case opens it in export" 'status 0 && has "step 5/"'
run render --case "$bugs/A/case.json" --check-y "$bugs/A/bias-missing/y.npy" \
  --check-dx "$bugs/A/dx-cropped-at-corner/dx.npy" --size 120x48
check "the viewer's diagnosis: each mistake on its own line, then its fix" \
  'has "Mistake 1 of 3 (reproduces your y): the bias is never added" && has "Fix: "'

# MARK: - More mistakes named, and the pattern when none fits

echo "# More mistakes named"
# Every fixture of the bug manifest whose dy is in its case file, checked as an engineer would:
# the named mistake (or the pattern words, or nothing) and the exit status.
STATUS=0
python3 - "$bin" "$bugs" << 'EOF2' || STATUS=$?
import json, subprocess, sys
binary, bugs = sys.argv[1], sys.argv[2]
manifest = json.load(open(f"{bugs}/manifest.json"))
bad = 0
for c in manifest["cases"]:
    if c["gradient"] != "tensor":
        continue
    args = [binary, "check", "--json", "--case", f"{bugs}/{c['scenario']}/case.json"]
    if c["layout"] != "nchw":
        args += ["--layout", c["layout"]]
    for tensor, path in sorted(c["files"].items()):
        args += [f"--check-{tensor}", f"{bugs}/{path}"]
    r = subprocess.run(args, capture_output=True, text=True, timeout=120)
    report = json.loads(r.stdout) if r.stdout.strip() else {}
    named = [d["id"] for d in report.get("diagnoses", [])]
    patterns = [p.get("text", "") for p in report.get("patterns", [])]
    if c["expect"]:
        ok = c["expect"] in named and not set(named) - {c["expect"]} - set(c["allow"])
        what = f"names {c['expect']}"
    elif c.get("pattern"):
        ok = not named and any(c["pattern"] in t for t in patterns)
        what = f"no mistake fits; the pattern says '{c['pattern']}'"
    else:
        ok = not named and report.get("match") is True
        what = "agrees"
    ok = ok and r.returncode == c["exit"]
    bad += not ok
    print(f"{'ok   ' if ok else 'FAIL '} {c['name']}: {what}" + ("" if ok else f" (exit {r.returncode}, named {named})"))
sys.exit(1 if bad else 0)
EOF2
OUT=""
fixtures=$(python3 -c "import json,sys; print(sum(1 for c in json.load(open(sys.argv[1]))['cases'] if c['gradient']=='tensor'))" "$bugs/manifest.json")
check "every bug fixture ($fixtures) is named or patterned as its manifest says" 'status 0'
python3 - "$root/Tests/Fixtures/archives/layer/y.npy" "$work/y_fifth_digit.npy" << 'EOF2'
import sys
import numpy as np
y = np.load(sys.argv[1])
y.flat[0] = np.float32(y.flat[0]) * np.float32(1.00003)  # off in the fifth digit
np.save(sys.argv[2], y)
EOF2
run render --case "$layer/case.json" --check-y y_fifth_digit.npy --size 120x40
seen=$(grep -o 'yours [^ ]* ≠ correct [^ ]*' <<< "$OUT" | head -n 1)
check "the viewer shows enough digits to see two values differ ($seen)" \
  '[ -n "$seen" ] && [ "$(cut -d" " -f2 <<< "$seen")" != "$(cut -d" " -f5 <<< "$seen")" ]'

# MARK: - Summary

echo
echo "replay-issue-13: $passed ok, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
