# Part of scripts/reliability.sh (sourced): images and binary files (issue 18, "bounded work").
# Decompression bombs under the old 2^28-sample cap, and big files whose first bytes or header
# already say no. The inputs are made here, in $WORK, with Python's zlib (nothing big is
# committed): PNGs of zeros compress about a thousand to one, and the big .npy files are sparse.
python3 - "$WORK" <<'PY'
import os, struct, sys, zlib
work = sys.argv[1]

def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

def png(name, width, height, depth=8, colour=0):
    """A PNG of zeros, compressed row by row (never held whole)."""
    channels = {0: 1, 2: 3, 4: 2, 6: 4}[colour]
    row = bytes(1 + (width * channels * depth + 7) // 8)
    z = zlib.compressobj(9)
    with open(os.path.join(work, name), "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.write(chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, 0)))
        data = bytearray()
        rows_per_call = max(1, (1 << 20) // len(row))
        block = row * rows_per_call
        done = 0
        while done < height:
            n = min(rows_per_call, height - done)
            data += z.compress(block if n == rows_per_call else row * n)
            done += n
        data += z.flush()
        f.write(chunk(b"IDAT", bytes(data)))
        f.write(chunk(b"IEND", b""))

png("bomb.png", 16384, 16384)                 # 2^28 grey samples, ~261 KB
png("tall.png", 1, 268435456)                 # 1 wide, 2^28 rows
png("wide.png", 268435456, 1)                 # 2^28 wide, one row
png("bomb16.png", 16384, 16384, depth=16)     # 16-bit grey
png("rgb.png", 9400, 9400, colour=2)          # RGB, 2.65·10^8 samples
with open(os.path.join(work, "bomb.pbm"), "wb") as f:   # P4, 16384², 33.5 MB of zeros
    f.write(b"P4\n16384 16384\n")
    f.truncate(f.tell() + 16384 * 16384 // 8)
with open(os.path.join(work, "garbage.npy"), "wb") as f:  # 1 GiB, the wrong magic
    f.write(os.urandom(4096))
    f.truncate(1 << 30)
# Header says (2^28,) float32, 1 GiB of data; the file holds 512 MiB.
header = b"{'descr': '<f4', 'fortran_order': False, 'shape': (268435456,), }"
header += b" " * (63 - (10 + len(header)) % 64) + b"\n"
with open(os.path.join(work, "short.npy"), "wb") as f:
    f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header)
    f.truncate(1 << 29)
PY

# Reduced while read: memory is a row and the 64×64 result; the time is decoding 2^28 samples.
measure "PNG 16384² as render --input" ok --limit-mb 100 --limit-s 6 -- \
  "$BIN" render --input "$WORK/bomb.png"
measure "PNG 16384² 16-bit as render --input" ok --limit-mb 100 --limit-s 8 -- \
  "$BIN" render --input "$WORK/bomb16.png"
measure "PNG 9400² RGB as render --input" ok --limit-mb 100 --limit-s 8 -- \
  "$BIN" render --input "$WORK/rgb.png"
measure "PBM P4 16384² as render --input" ok --limit-mb 150 --limit-s 6 -- \
  "$BIN" render --input "$WORK/bomb.pbm"
# Refused from the header, before decoding.
measure "PNG 16384² as render --input --max-size 0" refused -- \
  "$BIN" render --input "$WORK/bomb.png" --max-size 0
measure "PNG 16384² as render --kernel" refused -- \
  "$BIN" render --kernel "$WORK/bomb.png"
measure "PNG 16384² as check --check-y" refused -- \
  "$BIN" check --check-y "$WORK/bomb.png"
measure "PNG 16384² 16-bit as render --kernel" refused -- \
  "$BIN" render --kernel "$WORK/bomb16.png"
measure "PNG 9400² RGB as check --check-dx" refused -- \
  "$BIN" check --check-dx "$WORK/rgb.png"
measure "PNG 1×268435456 as render --input" refused -- \
  "$BIN" render --input "$WORK/tall.png"
measure "PNG 268435456×1 as render --input" refused -- \
  "$BIN" render --input "$WORK/wide.png"
measure "PBM P4 16384² as render --kernel" refused -- \
  "$BIN" render --kernel "$WORK/bomb.pbm"
measure "PBM P4 16384² as check --check-y" refused -- \
  "$BIN" check --check-y "$WORK/bomb.pbm"
# Read from the first bytes, not whole.
measure "1 GiB .npy of garbage as render --input" refused -- \
  "$BIN" render --input "$WORK/garbage.npy"
measure "1 GiB .npy of garbage as check --check-y" refused -- \
  "$BIN" check --check-y "$WORK/garbage.npy"
measure ".npy declaring 1 GiB, holding 512 MiB, as render --kernel" refused -- \
  "$BIN" render --kernel "$WORK/short.npy"
measure ".npy declaring 1 GiB, holding 512 MiB, as render --input" refused -- \
  "$BIN" render --input "$WORK/short.npy"
