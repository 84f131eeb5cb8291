#!/usr/bin/env python3
"""Writes Tests/Fixtures/fuzz/<reader>/: the seed corpus of the fuzz targets
(Tests/ConvFormatsTests/FuzzTests.swift and Tests/ConvLessonsTests/LessonFuzzTests.swift).

Small valid files of every reader, each a few hundred bytes at most, made by writers that are
not convscope: NumPy (np.save, np.savez, np.savez_compressed), a minimal PNG encoder here
(zlib + CRC-32), plain Python for Netpbm, CSV/text grids, named arrays, lessons and case JSON.
The fuzz targets mutate these (bit flips, inserted, deleted and repeated bytes, hostile tokens)
for a bounded budget. Re-runnable: python3 scripts/make_fuzz_corpus.py
"""

import io
import json
import os
import shutil
import struct
import zlib

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "Fixtures", "fuzz")


def write(rel, data):
    p = os.path.join(OUT, rel)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


def png(width, height, depth, colour, rows, palette=None):
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))
    raw = b"".join(b"\x00" + bytes(r) for r in rows)
    out = b"\x89PNG\r\n\x1a\n"
    out += chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, 0))
    if palette:
        out += chunk(b"PLTE", bytes(palette))
    out += chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")
    return out


def npy(a):
    buf = io.BytesIO()
    np.save(buf, a)
    return buf.getvalue()


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    rng = np.random.default_rng(2026)
    # PNG: 8-bit grey, 16-bit RGB, a palette, 1-bit grey.
    grey = rng.integers(0, 256, (5, 6))
    write("png/grey8.png", png(6, 5, 8, 0, grey.tolist()))
    rgb16 = rng.integers(0, 65536, (3, 4, 3))
    write("png/rgb16.png", png(4, 3, 16, 2, [list(r.astype(">u2").tobytes()) for r in rgb16]))
    write("png/palette.png", png(4, 2, 8, 3, [[0, 1, 1, 0], [1, 0, 0, 1]], [0, 0, 0, 255, 255, 255]))
    write("png/bits1.png", png(8, 2, 1, 0, [[0b10101010], [0b01010101]]))
    # PNM: every variant.
    write("pnm/p1.pbm", "P1\n# a comment\n4 2\n0 1 0 1\n1 0 1 0\n")
    write("pnm/p2.pgm", "P2\n3 2\n255\n0 128 255\n7 8 9\n")
    write("pnm/p3.ppm", "P3\n2 1\n255\n255 0 0 0 255 0\n")
    write("pnm/p4.pbm", b"P4\n8 2\n\xaa\x55")
    write("pnm/p5.pgm", b"P5\n3 2\n65535\n" + np.arange(6, dtype=">u2").tobytes())
    write("pnm/p6.ppm", b"P6\n2 2\n255\n" + bytes(range(12)))
    # NPY: float32, float64 big-endian, Fortran order, int16, bool.
    write("npy/f4.npy", npy(rng.standard_normal((2, 3)).astype("<f4")))
    write("npy/f8_be.npy", npy(rng.standard_normal((3,)).astype(">f8")))
    write("npy/fortran.npy", npy(np.asfortranarray(np.arange(6, dtype="<f4").reshape(2, 3))))
    write("npy/i2.npy", npy(np.arange(-3, 3, dtype="<i2").reshape(1, 2, 3)))
    write("npy/bool.npy", npy(np.array([True, False, True])))
    # NPZ: stored and deflated archives of a few arrays.
    for name, save in [("stored.npz", np.savez), ("deflated.npz", np.savez_compressed)]:
        buf = io.BytesIO()
        save(buf, x=np.arange(4, dtype="<f4").reshape(1, 1, 2, 2), w=np.ones((1, 1, 1, 1), "<f4"),
             b=np.zeros(1, "<f4"))
        write("npz/" + name, buf.getvalue())
    # Text grids and named arrays.
    write("text/comma.csv", "1,2,3\n4,5.5,-6e-1\n")
    write("text/spaces.txt", "# a comment\n 1 2\t3\n4 5 6 \n\n7 8 9\n1 2 3\n")
    write("text/semicolon.csv", '"1";2;3;\n4;5;6;\n')
    write("text/nonfinite.csv", "nan,inf,-Infinity\n1e39,+0.5,.25\n")
    write("text/grids.csv", "1,2\n3,4\n---\n5,6\n7,8\n")
    write("text/crlf_bom.csv", "\ufeff1,2\r\n3,4\r\n")
    write("text/named.txt", "# y from layer.py\ny 1 1 2 2 : 1 2 3 4\ndw 1 1 1 1 : 0.5\n")
    # Lessons: keys, a block with a shape, a block without, other spellings.
    write("lesson/keys.lesson",
          "# keys\ntitle: t\ntext: x\nstride: 2\npadding: 1,0\ndilation: 1\nrelu: yes\n"
          "pool: 2\nlr: 0.01\nseed: 3\ngrad: ones\nphase: forward\nstep: 1\nkernel: sobel-x\n")
    write("lesson/block.lesson",
          "title: blocks\ninput (1, 1, 3, 3):\n  0 1 2\n  3 4 5\n  6 7 8\n"
          "kernel:\n  1 0\n  0 -1\nbias: 0.5\n")
    write("lesson/spellings.lesson",
          "\ufefftitle: spellings\r\ninput:\r\n  1, -2, 3e-1\r\n  nan −1 inf\r\n"
          "grad (1, 1, 2, 2):\r\n  0.5 0.5\r\n  # a comment\r\n  0.5 0.5\r\n")
    # Case JSON: conv2d with everything, maxpool2d, relu.
    conv = {
        "name": "conv", "op": "conv2d", "exact_in_float32": True,
        "params": {"stride": [1, 1], "padding": 1, "dilation": [1, 1], "groups": 1,
                   "padding_mode": "zeros"},
        "shapes": {"x": [1, 1, 2, 2], "w": [1, 1, 2, 2], "b": [1], "dy": [1, 1, 3, 3]},
        "x": [1, 2, 3, 4], "w": [0.5, -1, 1e-3, 2], "b": [0.25], "dy": [1] * 9,
        "seed_layer": {"alpha": 0.1, "filters_after_sgd": [0, 0, 0, 0], "biases_after_sgd": [0]},
    }
    write("case/conv.json", json.dumps(conv, indent=1))
    write("case/pool.json", json.dumps({
        "op": "maxpool2d", "params": {"kernel": [2, 2], "stride": 2},
        "shapes": {"x": [1, 1, 2, 2], "dy": [1, 1, 1, 1]}, "x": [1, -2, 3.5, 4e0], "dy": [1]}))
    write("case/net.json", json.dumps({
        "op": "network", "loss": "cross_entropy_mean", "target": [1],
        "shapes": {"x": [1, 1, 3, 3]}, "x": [1, -2, 3, 0.5, 0, 1, 2, -1, 4],
        "layers": [
            {"type": "conv2d", "params": {"padding": 1, "groups": 1, "padding_mode": "reflect"},
             "shapes": {"w": [2, 1, 2, 2], "b": [2]}, "w": [1, 0, -1, 0.5, 0, 1, 1, 0],
             "b": [0.25, 0], "expected": {"dw": [0] * 8, "db": [0, 0]}},
            {"type": "relu"}, {"type": "maxpool2d", "params": {"kernel": 2}},
            {"type": "flatten"},
            {"type": "linear", "shapes": {"w": [2, 8], "b": [2]}, "w": [0.5] * 16,
             "b": [0, 1]}]}))
    write("net/small.net", "input 1x8x8\nconv 8 3x3 pad 1  # a comment\nrelu\nmaxpool 2\n"
          "flatten\nlinear 10\n")
    write("net/options.net", "input 4x9x7\nconv 6 3x2 stride 2x1 pad 1 dilation 1x2 groups 2 "
          "padding-mode circular\nrelu\nmaxpool 3 stride 1 pad 1\nflatten\nlinear 5\nrelu\n"
          "linear 3\n")
    write("case/relu.json",
          '{"op": "relu", "name": "r\\u00e9lu \\ud83d\\ude00", "shapes": {"x": [1, 3]},'
          ' "x": [-1, 0, 1E+2], "y": [0, 0, 100], "extra": [null, true, {"a": []}]}')
    safetensors_corpus()


def safetensors(tensors, metadata=None):
    """A .safetensors file as the spec lays it out (what safetensors.numpy.save_file writes):
    u64 LE header length, the JSON header padded with spaces to a multiple of 8, the data."""
    header = {"__metadata__": metadata} if metadata else {}
    data = b""
    for name, a in tensors:
        raw = a.astype(a.dtype.newbyteorder("<")).tobytes()
        dtype = {"f4": "F32", "f8": "F64", "f2": "F16"}[a.dtype.str[1:]]
        header[name] = {"dtype": dtype, "shape": list(a.shape),
                        "data_offsets": [len(data), len(data) + len(raw)]}
        data += raw
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + data


def safetensors_corpus():
    """Tests/Fixtures/fuzz/safetensors/: weight files like convscope's and PyTorch's, a few
    dtypes, a 0-d and an empty tensor. Alone: python3 -c 'import sys; sys.path.insert(0,
    "scripts"); import make_fuzz_corpus as m; m.safetensors_corpus()'"""
    rng = np.random.default_rng(16)
    w = rng.standard_normal((2, 1, 3, 3)).astype(np.float32)
    write("safetensors/conv.safetensors", safetensors(
        [("0.weight", w), ("0.bias", np.array([0.5, -1], np.float32))], {"format": "pt"}))
    write("safetensors/dtypes.safetensors", safetensors([
        ("a", np.arange(4, dtype=np.float64) / 4), ("b", np.array([1.5, -2], np.float16)),
        ("s", np.array(3, np.float32)), ("e", np.zeros((0, 3), np.float32))]))


if __name__ == "__main__":
    main()
