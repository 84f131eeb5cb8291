# Part of scripts/reliability.sh (sourced): flags whose small values imply huge work (issue 18,
# "Flags"). Each refusal must come at once (≤ 2 s, ≤ 500 MB); the accepted runs near the limits
# must finish (they show progress on a terminal and stop on Ctrl-C).
python3 - "$WORK/padded.json" <<'PY'
import json, sys
json.dump({"format_version": 1, "op": "conv2d", "name": "padded",
           "params": {"stride": [1, 1], "padding": [2000, 2000], "dilation": [1, 1]},
           "shapes": {"x": [1, 1, 1, 1], "w": [1, 1, 1, 1], "b": [1]},
           "x": [1], "w": [1], "b": [0]}, open(sys.argv[1], "w"))
PY
measure "render --filters 1000000 --kernel-size 16 --input-size 16" refused --timeout 30 -- \
  "$BIN" render --filters 1000000 --kernel-size 16 --input-size 16
measure "render --input-size 16384 --kernel-size 1" refused --timeout 30 -- \
  "$BIN" render --input-size 16384 --kernel-size 1
measure "render --kernel-size 4000 --input-size 4000 --filters 16" refused --timeout 30 -- \
  "$BIN" render --kernel-size 4000 --input-size 4000 --filters 16
measure "render --input-size 4096 --pool 2048,1" refused --timeout 30 -- \
  "$BIN" render --input-size 4096 --pool 2048,1
measure "render --article --batch 200000" refused --timeout 30 -- \
  "$BIN" render --article --batch 200000
measure "demo --input-size 1000" refused --timeout 30 -- "$BIN" demo --input-size 1000
measure "demo --filter-size 1000 --input-size 1000 --padding 0" refused --timeout 30 -- \
  "$BIN" demo --filter-size 1000 --input-size 1000 --padding 0
measure "gradcheck --input-size 256 --filters 16 --kernel-size 5 --cells 0" refused \
  --timeout 30 -- "$BIN" gradcheck --input-size 256 --filters 16 --kernel-size 5 --cells 0
measure "export --article --steps 1..5000 --size 300x100 --format asciicast" refused \
  --timeout 30 -- "$BIN" export --article --steps 1..5000 --size 300x100 --format asciicast \
  --output "$WORK/long.cast"
measure "export --article --steps 1..3000 --size 200x60 --format svg (a folder)" refused \
  --timeout 30 -- "$BIN" export --article --steps 1..3000 --size 200x60 --format svg \
  --output "$WORK/slides"
measure "compute a 200-byte case with padding 2000" refused --timeout 30 -- \
  "$BIN" compute "$WORK/padded.json"
measure "steps a 200-byte case with padding 2000" refused --timeout 30 -- \
  "$BIN" steps "$WORK/padded.json"
python3 -c "import numpy as np, sys; np.save(sys.argv[1], np.ones(64, np.float32))" \
  "$WORK/db64.npy"
measure "check --batch 8 --channels 64 --filters 64 --input-size 56 (a 64-value db)" refused \
  --timeout 30 -- "$BIN" check --input-size 56 --channels 64 --filters 64 --batch 8 \
  --kernel-size 3 --padding 1 --check-db "$WORK/db64.npy"
measure "gradcheck --article --cells 0 (accepted, near the limit)" ok --limit-s 60 \
  --timeout 120 -- "$BIN" gradcheck --article --cells 0
measure "demo --check-cells 0 (accepted, near the limit)" ok --limit-s 60 --timeout 120 -- \
  "$BIN" demo --check-cells 0
measure "render --input-size 4096 (accepted: the largest output a walk holds)" ok --limit-mb 800 \
  --limit-s 30 --timeout 120 -- "$BIN" render --input-size 4096
