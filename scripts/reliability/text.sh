# Part of scripts/reliability.sh (sourced): the number readers (text grids, lesson blocks,
# named arrays) and the case JSON reader. Inputs are made here in $WORK by python3/numpy.
python3 - "$WORK" <<'PY'
import json, os, sys
import numpy as np
work = sys.argv[1]
rng = np.random.default_rng(18)
# A lesson whose input block is 2 MB of numbers (460×460 values).
block = rng.standard_normal((460, 460)).astype(np.float32)
with open(os.path.join(work, "big.lesson"), "w") as f:
    f.write("title: a big block\ninput (1, 1, 460, 460):\n")
    for row in block:
        f.write("  " + " ".join(f"{v:.6f}" for v in row) + "\n")
# One line of 5 million values.
with open(os.path.join(work, "line.csv"), "w") as f:
    f.write(",".join(map(str, rng.integers(0, 10, 5_000_000))) + "\n")
# A 40 MB CSV grid (2100×2100, six decimals).
np.savetxt(os.path.join(work, "big.csv"), rng.standard_normal((2100, 2100)).astype(np.float32),
           fmt="%.6f", delimiter=",")
# Exactly 1 GiB of CSV text.
row = (",".join(["0.5"] * 1000) + "\n").encode()
with open(os.path.join(work, "huge.csv"), "wb") as f:
    left = 1 << 30
    while left > 0:
        chunk = row * 256
        f.write(chunk[:left])
        left -= min(left, len(chunk))
# Case JSON of about 20 MB and 60 MB (small integers, 3 bytes a value, the densest JSON): a relu
# case whose shapes disagree with the values by one, so the run measures the reader and ends
# with a one-line refusal.
def case(path, count):
    x = rng.integers(0, 10, count).tolist()
    with open(path, "w") as f:
        json.dump({"op": "relu", "shapes": {"x": [1, count + 1]}, "x": x}, f)
case(os.path.join(work, "case20.json"), 20_000_000 // 3)
case(os.path.join(work, "case60.json"), 60_000_000 // 3)
# Case JSON just over the case size limit (64 MiB): refused from its size alone.
with open(os.path.join(work, "case65.json"), "wb") as f:
    f.write(b'{"op": "relu", "x": [' + b"0," * (33 << 20) + b'0]}')
PY
measure "lesson with a 2 MB input block" ok --limit-s 1 -- "$BIN" render --color none --lesson "$WORK/big.lesson"
measure "CSV of one 5M-value line (kernel taller than it)" refused -- "$BIN" render --input "$WORK/line.csv"
measure "40 MB CSV grid as --input" ok --limit-s 1 -- "$BIN" render --color none --input "$WORK/big.csv"
measure "1 GiB .csv" refused --timeout 200 -- "$BIN" render --input "$WORK/huge.csv"
measure "20 MB case JSON (shapes off by one)" refused --timeout 120 -- "$BIN" compute "$WORK/case20.json"
measure "60 MB case JSON (shapes off by one)" refused --timeout 200 -- "$BIN" compute "$WORK/case60.json"
measure "case JSON over 64 MiB" refused --timeout 200 -- "$BIN" compute "$WORK/case65.json"
