#!/usr/bin/env python3
"""Writes Tests/Fixtures/archives/: the files of an engineer's workflow, made by NumPy (never by
convscope), and a manifest of what convscope must read from them.

  npz/      np.savez (stored) and np.savez_compressed (deflate) archives: y, dx, dw, db of one
            layer; one array; no array; float16, float64 and int members
  bad/      hostile archives: truncated, corrupt deflate data, a wrong CRC, bzip2 compression,
            an encrypted flag, a member that declares 2 GB
  lines/    the lines `NAME D0 D1 ... : V0 V1 ...` that `convscope code`'s programs print
  layout/   one array channels first and the same array channels last (x NCHW / NHWC, w
            [F, C, KH, KW] / HWIO [KH, KW, C, F]), transposed by NumPy
  layer/    a conv2d case (case.json, the conv-vectors format) with its correct y computed here
            in float64, saved flat (1-D .npy and a one-row CSV), as float16, and as float16 with
            one planted mistake; its layer as channels-last files (x NHWC, w HWIO, y NHWC)

manifest.json:
  "files":  [{file, member, shape, values, stored_type}]  -- values flat row-major (float32)
  "errors": [{file, member, contains}]                    -- words the one-line error must hold

Run again after changing it:  python3 scripts/make_archive_fixtures.py
"""

import io
import json
import os
import shutil
import struct
import zipfile

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "Fixtures", "archives")

files = []
errors = []


def path(rel):
    p = os.path.join(OUT, rel)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    return p


def expect(rel, member, a, stored_type=None):
    a = np.asarray(a)
    files.append({
        "file": rel,
        "member": member,
        "shape": list(a.shape),
        "values": [float(v) for v in a.astype(np.float32).ravel()],
        "stored_type": stored_type,
    })


def expect_error(rel, member, *contains):
    errors.append({"file": rel, "member": member, "contains": list(contains)})


def conv2d(x, w, b, stride, padding):
    """The forward pass in float64, written out: y[n,f,i,j] = b[f] + sum x*w."""
    n, c, h, wd = x.shape
    f, _, kh, kw = w.shape
    (sh, sw), (ph, pw) = stride, padding
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    oh = (h + 2 * ph - kh) // sh + 1
    ow = (wd + 2 * pw - kw) // sw + 1
    y = np.zeros((n, f, oh, ow))
    for i in range(oh):
        for j in range(ow):
            window = xp[:, :, i * sh:i * sh + kh, j * sw:j * sw + kw]
            y[:, :, i, j] = np.einsum("nchw,fchw->nf", window, w) + b
    return y


# MARK: - npz


def npz_fixtures(rng):
    y = rng.standard_normal((2, 3, 4, 5)).astype(np.float32)
    dx = rng.standard_normal((2, 2, 6, 7)).astype(np.float32)
    dw = rng.standard_normal((3, 2, 3, 3)).astype(np.float32)
    db = rng.standard_normal(3).astype(np.float32)
    arrays = {"y": y, "dx": dx, "dw": dw, "db": db}
    np.savez(path("npz/stored.npz"), **arrays)
    np.savez_compressed(path("npz/compressed.npz"), **arrays)
    for name, a in arrays.items():
        expect("npz/stored.npz", name, a, "float32")
        expect("npz/compressed.npz", name, a, "float32")
    one = rng.standard_normal((4, 4)).astype(np.float32)
    np.savez(path("npz/one.npz"), one)  # the member is arr_0
    expect("npz/one.npz", None, one, "float32")
    half = rng.standard_normal((2, 3)).astype(np.float16)
    wide = rng.standard_normal((3, 2))
    ints = np.arange(-3, 9, dtype=np.int64).reshape(3, 4)
    np.savez_compressed(path("npz/types.npz"), half=half, wide=wide, ints=ints)
    expect("npz/types.npz", "half", half, "float16")
    expect("npz/types.npz", "wide", wide, "float64")
    expect("npz/types.npz", "ints", ints, "int64")
    np.savez(path("npz/empty.npz"))
    expect_error("npz/empty.npz", None, "holds no arrays")
    expect_error("npz/stored.npz", None, "holding 4 arrays (y, dx, dw, db)", "stored.npz:y")
    expect_error("npz/stored.npz", "nope", "no array named 'nope'", "y, dx, dw, db")
    expect_error("layout/x_nchw.npy", "x", "a single array, not an archive")
    return arrays


def bad_fixtures(rng):
    a = rng.standard_normal((8, 8)).astype(np.float32)
    buf = io.BytesIO()
    np.savez_compressed(buf, a=a)
    whole = buf.getvalue()
    with open(path("bad/truncated.npz"), "wb") as f:
        f.write(whole[: len(whole) // 2])
    expect_error("bad/truncated.npz", None, "corrupt zip archive")

    # Deflate data damaged: the stored CRC no longer matches, or the stream is invalid.
    with zipfile.ZipFile(io.BytesIO(whole)) as z:
        info = z.infolist()[0]
    local_extra = struct.unpack("<H", whole[info.header_offset + 28:info.header_offset + 30])[0]
    start = info.header_offset + 30 + len(info.filename.encode()) + local_extra
    damaged = bytearray(whole)
    for k in range(start + 2, start + 2 + min(40, info.compress_size - 4)):
        damaged[k] ^= 0x5A
    with open(path("bad/corrupt-deflate.npz"), "wb") as f:
        f.write(bytes(damaged))
    expect_error("bad/corrupt-deflate.npz", None, "corrupt-deflate.npz:a: corrupt")

    # A stored member whose CRC field is wrong.
    buf = io.BytesIO()
    np.savez(buf, a=a)
    stored = bytearray(buf.getvalue())
    central = bytes(stored).rfind(b"PK\x01\x02")
    stored[central + 16] ^= 0xFF
    with open(path("bad/wrong-crc.npz"), "wb") as f:
        f.write(bytes(stored))
    expect_error("bad/wrong-crc.npz", None, "CRC-32 does not match")

    # bzip2 compression (zipfile writes it; NumPy never does).
    npy = io.BytesIO()
    np.save(npy, a)
    with zipfile.ZipFile(path("bad/bzip2.npz"), "w", compression=zipfile.ZIP_BZIP2) as z:
        z.writestr("a.npy", npy.getvalue())
    expect_error("bad/bzip2.npz", None, "unsupported compression (zip method 12)")

    # The encrypted flag set in the central directory.
    enc = bytearray(buf.getvalue())
    central = bytes(enc).rfind(b"PK\x01\x02")
    enc[central + 8] |= 1
    with open(path("bad/encrypted.npz"), "wb") as f:
        f.write(bytes(enc))
    expect_error("bad/encrypted.npz", None, "encrypted")

    # A member that declares 2 GB uncompressed: refused before inflating.
    huge = bytearray(whole)
    central = bytes(huge).rfind(b"PK\x01\x02")
    huge[central + 24:central + 28] = struct.pack("<I", 0x7FFF0000)
    with open(path("bad/huge.npz"), "wb") as f:
        f.write(bytes(huge))
    expect_error("bad/huge.npz", None, "refused before inflating")

    # A .npz name on bytes that are not a zip archive.
    with open(path("bad/not-zip.npz"), "wb") as f:
        f.write(b"hello, this is text\n")
    expect_error("bad/not-zip.npz", None, "wrong magic")


# MARK: - named lines


def lines_fixtures(arrays):
    def line(name, a):
        a = np.asarray(a, dtype=np.float64)
        return " ".join([name, *map(str, a.shape), ":", *(repr(float(v)) for v in a.ravel())])

    with open(path("lines/out.txt"), "w") as f:
        f.write("\n".join(line(n, a) for n, a in arrays.items()) + "\n")
    for name, a in arrays.items():
        expect("lines/out.txt", name, a)
    with open(path("lines/short.txt"), "w") as f:
        f.write("y 2 3 : 1.0 2.0 3.0\n")
    expect_error("lines/short.txt", "y", "line 1: 3 values, but shape (2, 3) needs 6")
    with open(path("lines/word.txt"), "w") as f:
        f.write("y 2 : 1.0 two\n")
    expect_error("lines/word.txt", "y", "'two' is not a number")


# MARK: - layouts and a layer


def layout_fixtures(rng):
    x = rng.standard_normal((2, 3, 4, 5)).astype(np.float32)
    w = rng.standard_normal((4, 3, 2, 5)).astype(np.float32)
    np.save(path("layout/x_nchw.npy"), x)
    np.save(path("layout/x_nhwc.npy"), x.transpose(0, 2, 3, 1))
    np.save(path("layout/w_fchw.npy"), w)
    np.save(path("layout/w_hwio.npy"), w.transpose(2, 3, 1, 0))
    expect("layout/x_nchw.npy", None, x, "float32")
    expect("layout/x_nhwc.npy", None, x.transpose(0, 2, 3, 1), "float32")
    expect("layout/w_hwio.npy", None, w.transpose(2, 3, 1, 0), "float32")


def layer_fixtures(rng):
    x = rng.standard_normal((2, 2, 5, 6)).astype(np.float32)
    w = rng.standard_normal((3, 2, 3, 3)).astype(np.float32)
    b = rng.standard_normal(3).astype(np.float32)
    dy = np.ones((2, 3, 5, 6), dtype=np.float32)
    stride, padding = (1, 1), (1, 1)
    case = {
        "name": "archives-layer",
        "op": "conv2d",
        "description": "convscope archive fixture: a layer for flat, float16 and NHWC files",
        "shapes": {"x": list(x.shape), "w": list(w.shape), "b": list(b.shape),
                   "dy": list(dy.shape)},
        "params": {"stride": list(stride), "padding": list(padding), "dilation": [1, 1]},
        "x": [float(v) for v in x.ravel()],
        "w": [float(v) for v in w.ravel()],
        "b": [float(v) for v in b.ravel()],
        "dy": [float(v) for v in dy.ravel()],
    }
    with open(path("layer/case.json"), "w") as f:
        json.dump(case, f)
    y = conv2d(x.astype(np.float64), w.astype(np.float64), b.astype(np.float64), stride, padding)
    np.save(path("layer/y.npy"), y.astype(np.float32))
    np.save(path("layer/y_flat.npy"), y.astype(np.float32).ravel())
    with open(path("layer/y_flat.csv"), "w") as f:
        f.write(",".join(repr(float(v)) for v in y.astype(np.float32).ravel()) + "\n")
    np.save(path("layer/y_f16.npy"), y.astype(np.float16))
    planted = y.astype(np.float16)
    planted[0, 1, 2, 3] += np.float16(0.5)
    np.save(path("layer/y_f16_planted.npy"), planted)
    np.save(path("layer/y_f64.npy"), y)
    np.save(path("layer/y_int.npy"), np.rint(y).astype(np.int32))
    # The same layer channels last: x NHWC, w HWIO, y NHWC.
    np.save(path("layer/x_nhwc.npy"), x.transpose(0, 2, 3, 1))
    np.save(path("layer/w_hwio.npy"), w.transpose(2, 3, 1, 0))
    np.save(path("layer/b.npy"), b)
    np.save(path("layer/y_nhwc.npy"), y.astype(np.float32).transpose(0, 2, 3, 1))
    np.savez(path("layer/layer_nhwc.npz"), x=x.transpose(0, 2, 3, 1), w=w.transpose(2, 3, 1, 0),
             b=b)
    expect("layer/y_f16.npy", None, y.astype(np.float16), "float16")


README = """# Archive and layout fixtures

Written by `scripts/make_archive_fixtures.py` (NumPy only) — do not edit by hand; change the
script and run it again. `manifest.json` lists what convscope must read (`files`: file, member,
shape, flat values, NumPy's element type) and the one-line errors it must give (`errors`).
"""


def main():
    if os.path.exists(OUT):
        shutil.rmtree(OUT)
    os.makedirs(OUT)
    with open(os.path.join(OUT, "README.md"), "w") as f:
        f.write(README)
    rng = np.random.default_rng(13)
    arrays = npz_fixtures(rng)
    bad_fixtures(rng)
    lines_fixtures(arrays)
    layout_fixtures(rng)
    layer_fixtures(rng)
    with open(os.path.join(OUT, "manifest.json"), "w") as f:
        f.write('{\n "generator": "scripts/make_archive_fixtures.py",\n')
        for i, key in enumerate(["files", "errors"]):
            entries = files if key == "files" else errors
            f.write(f' "{key}": [\n  ')
            f.write(",\n  ".join(json.dumps(e, separators=(",", ":")) for e in entries))
            f.write("\n ]" + (",\n" if i == 0 else "\n"))
        f.write("}\n")
    print(f"{len(files)} readable cases, {len(errors)} error cases in {OUT}")


if __name__ == "__main__":
    main()
