#!/usr/bin/env python3
"""Writes Tests/Fixtures/formats/: files made by writers independent of convscope, and a
manifest of the values the Swift readers must produce, computed here in NumPy.

Writers used:
  - NumPy's np.save / np.lib.format.write_array       (npy/)
  - Pillow                                            (png/, pnm/ P5/P6)
  - a small PNG encoder in this script (zlib + the five PNG filters + Adam7), for the PNG
    variants Pillow cannot write: interlaced, 2/4-bit grey, 16-bit RGB/RGBA/grey+alpha, tRNS
  - ImageMagick's `convert` (imagemagick/), cross-checked with Pillow where it can read
  - plain Python for ASCII PNM, PBM and the text grids (pnm/, text/)
  - hand-made hostile files (bad/)

Run once, commit the output with this script:
    python3 -m pip install numpy Pillow scikit-learn scikit-image && apt-get install imagemagick
    python3 scripts/make_format_fixtures.py

manifest.json:
  "files":  [{file, options, shape, values, is_image, format, nan, posinf, neginf, tolerance,
              notes_contain}]  -- values flat row-major; NaN/Inf written as "nan"/"inf"/"-inf"
  "errors": [{file, options, contains: [substrings the one-line message must contain]}]
  "writer": [{file, shape, values}]  -- tensors the NPY writer must encode exactly like np.save
  "presets": [{spec, kind, channels, options, shape, values}]  -- from textbook definitions and
              the original data sets (scikit-learn digits, scikit-image photographs)
"""

import io
import json
import os
import shutil
import struct
import subprocess
import sys
import zlib

import numpy as np
from PIL import Image

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "Fixtures", "formats")

files = []
errors = []
writer = []
presets = []


def path(rel):
    p = os.path.join(OUT, rel)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    return p


def encode_values(a):
    out = []
    for v in np.asarray(a, dtype=np.float32).ravel(order="C"):
        if np.isnan(v):
            out.append("nan")
        elif np.isinf(v):
            out.append("inf" if v > 0 else "-inf")
        else:
            out.append(float(v))  # the float32 value, exactly, as a double
    return out


def expect(rel, values, fmt, is_image, options=None, tolerance=0.0, notes_contain=None):
    a = np.asarray(values, dtype=np.float32)
    files.append({
        "file": rel,
        "options": options or {},
        "shape": list(a.shape),
        "values": encode_values(a),
        "is_image": is_image,
        "format": fmt,
        "nan": int(np.isnan(a).sum()),
        "posinf": int(np.isposinf(a).sum()),
        "neginf": int(np.isneginf(a).sum()),
        "tolerance": tolerance,
        "notes_contain": notes_contain or [],
    })


def expect_error(rel, *contains, options=None):
    errors.append({"file": rel, "options": options or {}, "contains": list(contains)})


def write_bytes(rel, data):
    with open(path(rel), "wb") as f:
        f.write(data)


# MARK: - NumPy .npy


def npy_fixtures():
    rng = np.random.default_rng(7)
    base = np.array([[0.5, -1.25, 3.0, 0.1], [2.0, -0.0, 1e-3, -7.5], [100.25, 0.3, -2.5, 9.0]])
    for descr in ["<f2", "<f4", "<f8", ">f2", ">f4", ">f8"]:
        a = base.astype(descr)
        rel = f"npy/{descr[1:]}_{'be' if descr[0] == '>' else 'le'}.npy"
        np.save(path(rel), a)
        expect(rel, a.astype(np.float32), "npy", False)
    ints = {
        "i1": [[-128, -1, 0, 127], [5, -5, 100, -100]],
        "i2": [[-32768, -1, 0, 32767], [300, -300, 1000, -1000]],
        "i4": [[-2147483648, -1, 0, 2147483647], [16777216, 16777217, -70000, 70000]],
        "i8": [[-(2**40), -1, 0, 2**40 + 1], [16777217, 3, -3, 2**53]],
        "u1": [[0, 1, 128, 255], [7, 8, 9, 10]],
        "u2": [[0, 1, 40000, 65535], [7, 8, 9, 10]],
        "u4": [[0, 1, 4000000000, 4294967295], [7, 8, 9, 10]],
        "u8": [[0, 1, 2**63, 2**64 - 1], [7, 8, 9, 10]],
    }
    for code, rows in ints.items():
        for order in "<>":
            if code.endswith("1") and order == ">":
                continue
            a = np.array(rows, dtype=order + code)
            rel = f"npy/{code}_{'be' if order == '>' else 'le'}.npy"
            np.save(path(rel), a)
            exact = [int(np.float32(v)) == int(v) for v in a.ravel()]
            notes = [] if all(exact) else ["rounded to float32"]
            # Integers are converted to float32 directly (correctly rounded).
            expect(rel, a.astype(np.float32), "npy", False,
                   notes_contain=notes)
    b = np.array([[True, False, True], [False, False, True]])
    np.save(path("npy/bool.npy"), b)
    expect("npy/bool.npy", b.astype(np.float32), "npy", False)

    # Ranks: 0-d, 1-D, 3-D, 4-D, empty.
    shapes = {"rank0": (), "rank1": (5,), "rank3": (2, 3, 4), "rank4": (2, 3, 2, 2),
              "empty1": (0,), "empty2": (3, 0)}
    for name, shape in shapes.items():
        a = rng.standard_normal(shape).astype(np.float32)
        np.save(path(f"npy/{name}.npy"), a)
        expect(f"npy/{name}.npy", a, "npy", False)

    # Fortran order: np.save keeps it for F-contiguous arrays.
    for name, shape, descr in [("fortran2", (3, 5), "<f4"), ("fortran3", (2, 3, 4), ">f8"),
                               ("fortran4", (2, 3, 2, 5), "<i2")]:
        a = np.asfortranarray((rng.standard_normal(shape) * 100).astype(descr))
        assert a.flags.f_contiguous and not a.flags.c_contiguous
        np.save(path(f"npy/{name}.npy"), a)
        with open(path(f"npy/{name}.npy"), "rb") as f:
            assert b"'fortran_order': True" in f.read(200)
        expect(f"npy/{name}.npy", a.astype(np.float32), "npy", False,
               notes_contain=["Fortran"])

    # Versions 2.0 and 3.0.
    a = rng.standard_normal((2, 3)).astype(np.float32)
    for version in [(2, 0), (3, 0)]:
        rel = f"npy/version{version[0]}.npy"
        with open(path(rel), "wb") as f:
            np.lib.format.write_array(f, a, version=version)
        expect(rel, a, "npy", False)

    # Non-finite values, and float64 values beyond float32.
    a = np.array([[np.nan, 1.0, np.inf], [-np.inf, np.nan, -2.0]], dtype="<f4")
    np.save(path("npy/nonfinite.npy"), a)
    expect("npy/nonfinite.npy", a, "npy", False)
    a = np.array([1e300, -1e300, 1.5, 1e-300], dtype="<f8")
    np.save(path("npy/f8_overflow.npy"), a)
    with np.errstate(over="ignore"):
        expect("npy/f8_overflow.npy", a.astype(np.float32), "npy", False,
               notes_contain=["too large for float32"])

    # Writer references: np.save of float32 arrays the Swift writer must reproduce exactly.
    for name, a in [("writer_2d", np.arange(6, dtype="<f4").reshape(2, 3) / 4),
                    ("writer_1d", np.array([1.5, -2.0, np.inf], dtype="<f4")),
                    ("writer_0d", np.array(3.25, dtype="<f4")),
                    ("writer_4d", (np.arange(24, dtype="<f4") - 12).reshape(1, 2, 3, 4))]:
        rel = f"npy/{name}.npy"
        np.save(path(rel), a)
        writer.append({"file": rel, "shape": list(a.shape), "values": encode_values(a)})

    # Hostile and unsupported.
    np.save(path("bad/complex.npy"), np.zeros(3, dtype=np.complex64))
    expect_error("bad/complex.npy", "complex", "<c8")
    np.save(path("bad/strings.npy"), np.array(["a", "bc"]))
    expect_error("bad/strings.npy", "strings")
    np.save(path("bad/object.npy"), np.array([1, "x"], dtype=object), allow_pickle=True)
    expect_error("bad/object.npy", "objects")
    np.save(path("bad/structured.npy"), np.zeros(2, dtype=[("x", "<f4"), ("y", "<i4")]))
    expect_error("bad/structured.npy", "structured")
    np.save(path("bad/datetime.npy"), np.array(["2020-01-01"], dtype="datetime64[D]"))
    expect_error("bad/datetime.npy", "dates")

    good = io.BytesIO()
    np.save(good, np.arange(12, dtype="<f4").reshape(3, 4))
    good = good.getvalue()
    write_bytes("bad/truncated_data.npy", good[:-5])
    expect_error("bad/truncated_data.npy", "truncated data", "(3, 4)")
    write_bytes("bad/truncated_header.npy", good[:40])
    expect_error("bad/truncated_header.npy", "truncated")
    write_bytes("bad/wrong_magic.npy", b"\x93NUMPZ" + good[6:])
    expect_error("bad/wrong_magic.npy", "wrong magic")
    write_bytes("bad/version4.npy", good[:6] + b"\x04\x00" + good[8:])
    expect_error("bad/version4.npy", "version 4.0")

    def with_header(text, data=b"", version=1):
        header = text.encode("latin1")
        header += b" " * ((64 - (10 + len(header) + 1) % 64) % 64) + b"\n"
        return b"\x93NUMPY" + bytes([version, 0]) + struct.pack("<H", len(header)) + header + data

    write_bytes("bad/huge_shape.npy", with_header(
        "{'descr': '<f4', 'fortran_order': False, 'shape': (100000, 100000, 100000), }"))
    expect_error("bad/huge_shape.npy", "(100000, 100000, 100000)", "over the limit")
    write_bytes("bad/overflow_shape.npy", with_header(
        "{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296, 4294967296), }"))
    expect_error("bad/overflow_shape.npy", "over the limit")
    # Under the limit but far more than the file holds: refused before allocating.
    write_bytes("bad/absent_data.npy", with_header(
        "{'descr': '<f4', 'fortran_order': False, 'shape': (10000, 10000), }", b"\0" * 16))
    expect_error("bad/absent_data.npy", "truncated data", "400000000 bytes")
    write_bytes("bad/float128.npy", with_header(
        "{'descr': '<f16', 'fortran_order': False, 'shape': (1,), }", b"\0" * 16))
    expect_error("bad/float128.npy", "unsupported dtype", "<f16")
    write_bytes("bad/unknown_dtype.npy", with_header(
        "{'descr': '<q9', 'fortran_order': False, 'shape': (1,), }", b"\0" * 16))
    expect_error("bad/unknown_dtype.npy", "unsupported dtype", "<q9")
    write_bytes("bad/no_shape.npy", with_header("{'descr': '<f4', 'fortran_order': False, }"))
    expect_error("bad/no_shape.npy", "'shape'")
    write_bytes("bad/negative_shape.npy", with_header(
        "{'descr': '<f4', 'fortran_order': False, 'shape': (-3, 4), }"))
    expect_error("bad/negative_shape.npy", "non-negative")
    write_bytes("bad/not_a_dict.npy", with_header("[1, 2, 3]"))
    expect_error("bad/not_a_dict.npy", "not a dictionary")
    write_bytes("bad/garbage_header.npy", with_header("{'descr': <f4}"))
    expect_error("bad/garbage_header.npy", "malformed header")


# MARK: - PNG (Pillow, this script's encoder, ImageMagick)


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def filter_rows(rows, bpp):
    """Filters each scanline with filter type (row index mod 5): all five filters get used."""
    out = bytearray()
    prev = bytes(len(rows[0])) if rows else b""
    for y, row in enumerate(rows):
        kind = y % 5
        out.append(kind)
        for i, x in enumerate(row):
            a = row[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            pred = [0, a, b, (a + b) // 2, paeth(a, b, c)][kind]
            out.append((x - pred) & 0xFF)
        prev = row
    return bytes(out)


def pack_row(samples, bit_depth):
    """Packs one scanline's samples (already interleaved) at 1/2/4/8/16 bits."""
    if bit_depth == 16:
        return b"".join(struct.pack(">H", int(s)) for s in samples)
    if bit_depth == 8:
        return bytes(int(s) for s in samples)
    per = 8 // bit_depth
    out = bytearray()
    for i in range(0, len(samples), per):
        byte = 0
        group = list(samples[i:i + per]) + [0] * (per - len(samples[i:i + per]))
        for s in group:
            byte = (byte << bit_depth) | int(s)
        out.append(byte)
    return bytes(out)


ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2),
         (0, 1, 1, 2)]


def encode_png(pixels, color_type, bit_depth, interlace=False, palette=None, trns=None):
    """pixels: uint array [H, W, C] of samples (palette indices for colour type 3)."""
    h, w, c = pixels.shape
    bits_per_pixel = bit_depth * c
    bpp = max(1, bits_per_pixel // 8)
    raw = b""
    if interlace:
        for x0, y0, dx, dy in ADAM7:
            sub = pixels[y0::dy, x0::dx]
            if sub.shape[0] == 0 or sub.shape[1] == 0:
                continue
            raw += filter_rows([pack_row(r.reshape(-1), bit_depth) for r in sub], bpp)
    else:
        raw = filter_rows([pack_row(r.reshape(-1), bit_depth) for r in pixels], bpp)
    ihdr = struct.pack(">IIBBBBB", w, h, bit_depth, color_type, 0, 0, 1 if interlace else 0)
    out = b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr)
    if palette is not None:
        out += png_chunk(b"PLTE", bytes(np.asarray(palette, dtype=np.uint8).ravel()))
    if trns is not None:
        out += png_chunk(b"tRNS", trns)
    half = len(raw) // 2  # two IDAT chunks: readers must join them
    z = zlib.compress(raw, 9)
    out += png_chunk(b"IDAT", z[:half // 2 + 1]) + png_chunk(b"IDAT", z[half // 2 + 1:])
    return out + png_chunk(b"IEND", b"")


def chw(pixels, maxval, drop_alpha):
    """[H, W, C] samples → expected [C, H, W] float32 in [0, 1]."""
    a = pixels.astype(np.float32)
    if drop_alpha:
        a = a[:, :, :-1]
    return np.transpose(a, (2, 0, 1)) / np.float32(maxval)


def png_fixtures(rng):
    h, w = 5, 7
    grey8 = rng.integers(0, 256, (h, w, 1), dtype=np.uint8)
    grey8[0, 0, 0], grey8[0, 1, 0] = 0, 255
    rgb8 = rng.integers(0, 256, (h, w, 3), dtype=np.uint8)
    rgba8 = rng.integers(0, 256, (h, w, 4), dtype=np.uint8)
    la8 = rng.integers(0, 256, (h, w, 2), dtype=np.uint8)
    grey16 = rng.integers(0, 65536, (h, w, 1), dtype=np.uint16)
    grey16[0, 0, 0], grey16[0, 1, 0] = 0, 65535

    # Pillow.
    Image.fromarray(grey8[:, :, 0], "L").save(path("png/pil_grey8.png"))
    expect("png/pil_grey8.png", chw(grey8, 255, False), "png", True, {"max_size": 0})
    Image.fromarray(grey16[:, :, 0]).save(path("png/pil_grey16.png"))
    back = np.array(Image.open(path("png/pil_grey16.png")))
    assert (back == grey16[:, :, 0]).all(), "Pillow did not keep 16-bit grey"
    expect("png/pil_grey16.png", chw(grey16, 65535, False), "png", True, {"max_size": 0})
    Image.fromarray(rgb8, "RGB").save(path("png/pil_rgb8.png"))
    expect("png/pil_rgb8.png", chw(rgb8, 255, False), "png", True, {"max_size": 0})
    Image.fromarray(rgba8, "RGBA").save(path("png/pil_rgba8.png"))
    expect("png/pil_rgba8.png", chw(rgba8, 255, True), "png", True, {"max_size": 0},
           notes_contain=["alpha channel dropped"])
    Image.fromarray(la8, "LA").save(path("png/pil_la8.png"))
    expect("png/pil_la8.png", chw(la8, 255, True), "png", True, {"max_size": 0},
           notes_contain=["alpha channel dropped"])
    bits = rng.integers(0, 2, (h, w), dtype=np.uint8)
    Image.fromarray(bits * 255, "L").convert("1").save(path("png/pil_1bit.png"))
    with open(path("png/pil_1bit.png"), "rb") as f:
        assert f.read(32)[24] == 1, "Pillow did not write a 1-bit PNG"
    expect("png/pil_1bit.png", bits[None].astype(np.float32), "png", True, {"max_size": 0})
    palette = np.array([[0, 0, 0], [255, 0, 0], [0, 128, 255], [250, 250, 10]], dtype=np.uint8)
    idx = rng.integers(0, 4, (h, w), dtype=np.uint8)
    p = Image.fromarray(idx, "P")
    p.putpalette(palette.ravel().tolist())
    p.save(path("png/pil_palette.png"))
    expect("png/pil_palette.png", chw(palette[idx], 255, False), "png", True, {"max_size": 0})
    p.save(path("png/pil_palette_2bit.png"), bits=2)
    with open(path("png/pil_palette_2bit.png"), "rb") as f:
        assert f.read(32)[24] == 2, "Pillow did not write a 2-bit palette PNG"
    expect("png/pil_palette_2bit.png", chw(palette[idx], 255, False), "png", True,
           {"max_size": 0})
    p.info["transparency"] = 0
    p.save(path("png/pil_palette_trns.png"), transparency=0)
    expect("png/pil_palette_trns.png", chw(palette[idx], 255, False), "png", True,
           {"max_size": 0}, notes_contain=["alpha channel dropped"])

    # This script's encoder: interlacing, low bit depths, 16-bit colour, tRNS.
    def own(name, pixels, color_type, bit_depth, expected, **kw):
        rel = f"png/own_{name}.png"
        write_bytes(rel, encode_png(pixels, color_type, bit_depth, **kw))
        # Cross-check the encoder with Pillow where Pillow reads the result exactly.
        if bit_depth == 8 and color_type in (0, 2, 6) and "trns" not in kw:
            back = np.array(Image.open(path(rel)))
            assert (back.reshape(pixels.shape) == pixels).all(), rel
        expect(rel, expected, "png", True, {"max_size": 0},
               notes_contain=["alpha channel dropped"] if kw.get("trns") or color_type in (4, 6)
               else [])

    own("grey8_interlaced", grey8, 0, 8, chw(grey8, 255, False), interlace=True)
    big = rng.integers(0, 256, (11, 13, 3), dtype=np.uint8)
    own("rgb8_interlaced", big, 2, 8, chw(big, 255, False), interlace=True)
    g2 = rng.integers(0, 4, (h, w, 1), dtype=np.uint8)
    own("grey2", g2, 0, 2, chw(g2, 3, False))
    g4 = rng.integers(0, 16, (h, w, 1), dtype=np.uint8)
    own("grey4_interlaced", g4, 0, 4, chw(g4, 15, False), interlace=True)
    rgb16 = rng.integers(0, 65536, (h, w, 3), dtype=np.uint16)
    own("rgb16", rgb16, 2, 16, chw(rgb16, 65535, False))
    rgba16 = rng.integers(0, 65536, (h, w, 4), dtype=np.uint16)
    own("rgba16_interlaced", rgba16, 6, 16, chw(rgba16, 65535, True), interlace=True)
    la16 = rng.integers(0, 65536, (h, w, 2), dtype=np.uint16)
    own("la16", la16, 4, 16, chw(la16, 65535, True))
    own("grey8_trns", grey8, 0, 8, chw(grey8, 255, False), trns=struct.pack(">H", 7))
    own("rgb8_trns", rgb8, 2, 8, chw(rgb8, 255, False), trns=struct.pack(">HHH", 1, 2, 3))
    idx4 = rng.integers(0, 4, (h, w, 1), dtype=np.uint8)
    own("palette4_interlaced", idx4, 3, 4, chw(palette[idx4[:, :, 0]], 255, False),
        interlace=True, palette=palette)
    own("grey1", bits[:, :, None], 0, 1, chw(bits[:, :, None], 1, False))

    # Options on one RGB image: grey (BT.601), center, and area reduction.
    expect("png/pil_rgb8.png", grey_bt601(chw(rgb8, 255, False)), "png", True,
           {"grey": True, "max_size": 0}, tolerance=2e-6, notes_contain=["grey"])
    expect("png/pil_rgb8.png", chw(rgb8, 255, False) * 2 - 1, "png", True,
           {"center": True, "max_size": 0}, tolerance=1e-6)
    expect("png/pil_rgb8.png", area_reduce(chw(rgb8, 255, False), 4), "png", True,
           {"max_size": 4}, tolerance=2e-6, notes_contain=["reduced from 7×5 to 4×3"])
    expect("png/pil_grey8.png", area_reduce(chw(grey8, 255, False), 3), "png", True,
           {"max_size": 3}, tolerance=2e-6, notes_contain=["by area averaging"])
    wide = rng.integers(0, 256, (20, 30), dtype=np.uint8)
    Image.fromarray(wide, "L").save(path("png/pil_grey8_30x20.png"))
    expect("png/pil_grey8_30x20.png", area_reduce(chw(wide[:, :, None], 255, False), 10), "png",
           True, {"max_size": 10}, tolerance=2e-6)
    expect("png/pil_grey8_30x20.png", area_reduce(chw(wide[:, :, None], 255, False), 7), "png",
           True, {"max_size": 7}, tolerance=2e-6)
    expect("png/pil_grey8_30x20.png", chw(wide[:, :, None], 255, False), "png", True,
           {"max_size": 0})
    # The default --max-size (64) leaves a 30×20 image alone.
    expect("png/pil_grey8_30x20.png", chw(wide[:, :, None], 255, False), "png", True, {})

    # Hostile PNGs.
    good = encode_png(grey8, 0, 8)
    write_bytes("bad/truncated.png", good[: len(good) // 2])
    expect_error("bad/truncated.png", "invalid PNG")
    write_bytes("bad/wrong_magic.png", b"\x89PNX" + good[4:])
    expect_error("bad/wrong_magic.png", "wrong magic")
    write_bytes("bad/pgm_named.png", b"P2\n1 1\n255\n0\n")  # magic wins over the extension
    expect("bad/pgm_named.png", np.zeros((1, 1, 1)), "pnm", True)
    bad_crc = bytearray(good)
    bad_crc[29] ^= 0xFF  # inside the IHDR CRC
    write_bytes("bad/bad_crc.png", bytes(bad_crc))
    expect_error("bad/bad_crc.png", "invalid PNG")

    def ihdr_png(w, h, depth=8, ctype=0):
        ihdr = struct.pack(">IIBBBBB", w, h, depth, ctype, 0, 0, 0)
        return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr)
                + png_chunk(b"IDAT", zlib.compress(b"\0" * 64)) + png_chunk(b"IEND", b""))

    write_bytes("bad/huge_dims.png", ihdr_png(100000, 100000, 16, 6))
    expect_error("bad/huge_dims.png", "exceeds the limit")
    write_bytes("bad/zero_width.png", ihdr_png(0, 10))
    expect_error("bad/zero_width.png", "invalid PNG")
    write_bytes("bad/bad_depth.png", ihdr_png(4, 4, 3, 0))
    expect_error("bad/bad_depth.png", "invalid PNG")
    write_bytes("bad/short_idat.png", ihdr_png(64, 64))
    expect_error("bad/short_idat.png", "invalid PNG")


def grey_bt601(c_h_w):
    r, g, b = (c_h_w[i].astype(np.float64) for i in range(3))
    return (0.299 * r + 0.587 * g + 0.114 * b)[None].astype(np.float32)


def reduced_size(h, w, max_size):
    longer = max(h, w)
    if max_size <= 0 or longer <= max_size:
        return h, w
    return (max(1, int(np.floor(h * max_size / longer + 0.5))),
            max(1, int(np.floor(w * max_size / longer + 0.5))))


def area_reduce(c_h_w, max_size):
    """Exact area averaging, computed independently of the Swift weights: repeat every pixel
    oh×ow times (a grid of h·oh × w·ow), then take the mean of each (h × w) block."""
    c, h, w = c_h_w.shape
    oh, ow = reduced_size(h, w, max_size)
    a = c_h_w.astype(np.float64)
    big = np.repeat(np.repeat(a, oh, axis=1), ow, axis=2)
    return big.reshape(c, oh, h, ow, w).mean(axis=(2, 4)).astype(np.float32)


# MARK: - PNM (plain Python, Pillow, ImageMagick)


def pnm_fixtures(rng):
    h, w = 4, 5
    g = rng.integers(0, 256, (h, w), dtype=np.uint8)
    rgb = rng.integers(0, 256, (h, w, 3), dtype=np.uint8)
    g16 = rng.integers(0, 65536, (h, w), dtype=np.uint16)
    rgb1000 = rng.integers(0, 1001, (h, w, 3), dtype=np.uint16)
    g16small = rng.integers(0, 17, (h, w), dtype=np.uint8)

    def text_rows(a):
        return "\n".join(" ".join(str(int(v)) for v in row.ravel()) for row in a) + "\n"

    # ASCII, with comments and odd whitespace in the header.
    write_bytes("pnm/p2_comments.pgm",
                f"P2\n# made by make_format_fixtures.py\n{w}  # width\n\t{h}\n# maxval next\n"
                f"255\n{text_rows(g)}".encode())
    expect("pnm/p2_comments.pgm", g[None] / np.float32(255), "pnm", True, {"max_size": 0})
    write_bytes("pnm/p2_maxval16.pgm", f"P2 {w} {h} 16 {text_rows(g16small)}".encode())
    expect("pnm/p2_maxval16.pgm", g16small[None].astype(np.float32) / np.float32(16), "pnm",
           True, {"max_size": 0})
    write_bytes("pnm/p2_16bit.pgm", f"P2\n{w} {h}\n65535\n{text_rows(g16)}".encode())
    expect("pnm/p2_16bit.pgm", g16[None].astype(np.float32) / np.float32(65535), "pnm", True,
           {"max_size": 0})
    write_bytes("pnm/p3.ppm", f"P3\r\n{w} {h}\r\n255\r\n{text_rows(rgb)}".encode())
    expect("pnm/p3.ppm", chw(rgb, 255, False), "pnm", True, {"max_size": 0})
    write_bytes("pnm/p3_maxval1000.ppm", f"P3 {w} {h} 1000\n{text_rows(rgb1000)}".encode())
    expect("pnm/p3_maxval1000.ppm", chw(rgb1000, 1000, False), "pnm", True, {"max_size": 0})

    # Binary.
    write_bytes("pnm/p5.pgm", f"P5\n# binary\n{w} {h}\n255\n".encode() + g.tobytes())
    expect("pnm/p5.pgm", g[None] / np.float32(255), "pnm", True, {"max_size": 0})
    write_bytes("pnm/p5_16bit.pgm", f"P5 {w} {h} 65535\n".encode() + g16.astype(">u2").tobytes())
    expect("pnm/p5_16bit.pgm", g16[None].astype(np.float32) / np.float32(65535), "pnm", True,
           {"max_size": 0})
    write_bytes("pnm/p6.ppm", f"P6\n{w} {h}\n255\n".encode() + rgb.tobytes())
    expect("pnm/p6.ppm", chw(rgb, 255, False), "pnm", True, {"max_size": 0})
    write_bytes("pnm/p6_maxval1000.ppm",
                f"P6 {w} {h} 1000\n".encode() + rgb1000.astype(">u2").tobytes())
    expect("pnm/p6_maxval1000.ppm", chw(rgb1000, 1000, False), "pnm", True, {"max_size": 0})

    # Pillow's own P5/P6 writer.
    Image.fromarray(g, "L").save(path("pnm/pil_p5.pgm"))
    expect("pnm/pil_p5.pgm", g[None] / np.float32(255), "pnm", True, {"max_size": 0})
    Image.fromarray(rgb, "RGB").save(path("pnm/pil_p6.ppm"))
    expect("pnm/pil_p6.ppm", chw(rgb, 255, False), "pnm", True, {"max_size": 0})
    Image.fromarray(rgb, "RGB").save(path("pnm/pil_p6_grey.ppm"))
    expect("pnm/pil_p6_grey.ppm", grey_bt601(chw(rgb, 255, False)), "pnm", True,
           {"grey": True, "max_size": 0}, tolerance=2e-6)

    # PBM: 1 is black, read as 0.
    bits = rng.integers(0, 2, (3, 11), dtype=np.uint8)
    write_bytes("pnm/p1.pbm", ("P1\n# bitmap\n11 3\n" + "\n".join(
        "".join(str(int(v)) for v in row) for row in bits) + "\n").encode())
    expect("pnm/p1.pbm", (1 - bits)[None].astype(np.float32), "pnm", True, {"max_size": 0})
    packed = np.packbits(bits, axis=1)
    write_bytes("pnm/p4.pbm", b"P4\n11 3\n" + packed.tobytes())
    expect("pnm/p4.pbm", (1 - bits)[None].astype(np.float32), "pnm", True, {"max_size": 0})

    # Hostile.
    write_bytes("bad/truncated_raster.pgm", f"P5 {w} {h} 255\n".encode() + g.tobytes()[:7])
    expect_error("bad/truncated_raster.pgm", "truncated", "20 bytes", "only 7")
    write_bytes("bad/truncated_ascii.pgm", f"P2 {w} {h} 255\n1 2 3 4 5 6 7 8 9 10 11 12\n".encode())
    expect_error("bad/truncated_ascii.pgm", "truncated")
    write_bytes("bad/huge_dims.ppm", b"P6\n2000000000 2000000000\n255\n\0\0\0")
    expect_error("bad/huge_dims.ppm", "over the limit")
    write_bytes("bad/big_dims_small_file.pgm", b"P5\n10000 10000\n255\n\0\0\0")
    expect_error("bad/big_dims_small_file.pgm", "truncated", "100000000 bytes")
    write_bytes("bad/maxval0.pgm", b"P2 1 1 0\n0\n")
    expect_error("bad/maxval0.pgm", "maxval 0")
    write_bytes("bad/maxval70000.pgm", b"P2 1 1 70000\n0\n")
    expect_error("bad/maxval70000.pgm", "maxval 70000")
    write_bytes("bad/sample_over_maxval.pgm", b"P2 2 1 10\n3 11\n")
    expect_error("bad/sample_over_maxval.pgm", "over maxval 10")
    write_bytes("bad/letter_in_raster.pgm", b"P2 2 1 10\n3 x\n")
    expect_error("bad/letter_in_raster.pgm", "'x'")
    write_bytes("bad/no_width.pgm", b"P5\n# only a comment\n")
    expect_error("bad/no_width.pgm", "width")
    write_bytes("bad/wrong_magic.pgm", b"P9\n1 1\n255\n\0")
    expect_error("bad/wrong_magic.pgm", "wrong magic")
    write_bytes("bad/zero_size.pgm", b"P5 0 5 255\n")
    expect_error("bad/zero_size.pgm", "0×5")


def find_imagemagick():
    """The real ImageMagick `convert` (not a stand-in of the same name), or None."""
    for candidate in ["/usr/bin/convert", shutil.which("magick"), shutil.which("convert")]:
        if candidate and os.path.exists(candidate):
            try:
                version = subprocess.run([candidate, "-version"], capture_output=True, text=True)
            except OSError:
                continue
            if "ImageMagick" in version.stdout:
                return candidate
    return None


def imagemagick_fixtures(rng):
    """A second independent writer for PNG and PNM, when ImageMagick is installed. Each file is
    cross-checked against the source array with Pillow (or by reading the PNM text here)."""
    convert = find_imagemagick()
    tmp = path("imagemagick/.src")
    os.makedirs(tmp, exist_ok=True)
    h, w = 6, 9
    rgb = rng.integers(0, 256, (h, w, 3), dtype=np.uint8)
    grey = rng.integers(0, 256, (h, w), dtype=np.uint8)
    rgb16 = rng.integers(0, 65536, (h, w, 3), dtype=np.uint16)
    src_rgb = os.path.join(tmp, "rgb.ppm")
    src_grey = os.path.join(tmp, "grey.pgm")
    src_rgb16 = os.path.join(tmp, "rgb16.ppm")
    with open(src_rgb, "wb") as f:
        f.write(f"P6 {w} {h} 255\n".encode() + rgb.tobytes())
    with open(src_grey, "wb") as f:
        f.write(f"P5 {w} {h} 255\n".encode() + grey.tobytes())
    with open(src_rgb16, "wb") as f:
        f.write(f"P6 {w} {h} 65535\n".encode() + rgb16.astype(">u2").tobytes())

    common = ["-strip", "-define", "png:exclude-chunks=date,time"]
    cases = [
        ([src_rgb] + common + ["-interlace", "PNG"], "imagemagick/rgb_interlaced.png",
         chw(rgb, 255, False)),
        ([src_grey] + common, "imagemagick/grey.png", grey[None] / np.float32(255)),
        ([src_rgb16] + common + ["-depth", "16"], "imagemagick/rgb16.png",
         chw(rgb16, 65535, False)),
        ([src_grey, "-compress", "none"], "imagemagick/grey_ascii.pgm",
         grey[None] / np.float32(255)),
        ([src_rgb, "-compress", "none"], "imagemagick/rgb_ascii.ppm", chw(rgb, 255, False)),
        ([src_rgb16, "-depth", "16"], "imagemagick/rgb16.ppm", chw(rgb16, 65535, False)),
    ]
    for args, rel, expected in cases:
        target = path(rel)
        prefix = "PNG:" if rel.endswith(".png") else ""
        subprocess.run([convert] + args + [prefix + target], check=True)
        if rel.endswith(".png") and "16" not in rel:
            im = Image.open(target)
            back = np.array(im.convert("RGB") if im.mode == "P" else im).astype(np.float32) / 255
            back = back[None] if back.ndim == 2 else np.transpose(back, (2, 0, 1))
            assert np.array_equal(back, expected.astype(np.float32)), rel
        if "interlaced" in rel:
            with open(target, "rb") as f:
                assert f.read(29)[28] == 1, "ImageMagick did not interlace " + rel
        expect(rel, expected, "png" if rel.endswith(".png") else "pnm", True, {"max_size": 0})
    shutil.rmtree(tmp)
    return True


# MARK: - Presets


def preset_fixtures():
    """What each preset must hold, from textbook definitions and from the original data sets
    (scikit-learn's digits, scikit-image's photographs), not from the Swift code."""
    def kernel(spec, rows, channels=1):
        k = np.asarray(rows, dtype=np.float64)
        k = k[None] if k.ndim == 2 else k
        k = np.repeat(k[:, None], channels, axis=1)
        presets.append({"spec": spec, "kind": "kernel", "channels": channels, "options": {},
                        "shape": list(k.shape), "values": encode_values(k)})

    sobel_x = [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]
    prewitt_x = [[-1, 0, 1], [-1, 0, 1], [-1, 0, 1]]
    g3 = np.outer([1, 2, 1], [1, 2, 1]) / 16
    g5 = np.outer([1, 4, 6, 4, 1], [1, 4, 6, 4, 1]) / 256
    kernel("identity", [[0, 0, 0], [0, 1, 0], [0, 0, 0]])
    kernel("box3", np.full((3, 3), 1 / 9))
    kernel("box5", np.full((5, 5), 1 / 25))
    kernel("gaussian3", g3)
    kernel("gaussian5", g5)
    kernel("sharpen", [[0, -1, 0], [-1, 5, -1], [0, -1, 0]])
    kernel("sobel-x", sobel_x)
    kernel("sobel-y", np.transpose(sobel_x))
    kernel("laplacian", [[0, 1, 0], [1, -4, 1], [0, 1, 0]])
    kernel("emboss", [[-2, -1, 0], [-1, 1, 1], [0, 1, 2]])
    kernel("prewitt", [prewitt_x, np.transpose(prewitt_x)])
    kernel("prewitt-x", prewitt_x)
    kernel("prewitt-y", np.transpose(prewitt_x))
    kernel("outline", [[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]])
    kernel("Sobel-X", sobel_x, channels=3)  # names are case-insensitive; RGB replicates

    def inp(spec, a, options=None, tolerance=0.0, divisor=None, stride=1):
        """divisor: `a` holds integer samples and the expected values are a / divisor (compact
        for photographs); stride: only every stride-th value (row-major) is listed."""
        a = np.asarray(a)
        entry = {"spec": spec, "kind": "input", "channels": 0, "options": options or {},
                 "shape": list(a.shape), "tolerance": tolerance, "stride": stride}
        flat = a.ravel()[::stride]
        if divisor is None:
            entry["values"] = encode_values(flat.astype(np.float32))
        else:
            entry["values"] = [int(v) for v in flat]
            entry["divisor"] = divisor
        presets.append(entry)

    impulse = np.zeros((9, 9))
    impulse[4, 4] = 1
    inp("impulse", impulse[None, None])
    impulse = np.zeros((4, 6))
    impulse[2, 3] = 1
    inp("impulse:4x6", impulse[None, None])
    y, x = np.mgrid[0:8, 0:8]
    inp("checkerboard", (((y // 2 + x // 2) % 2) == 0)[None, None])
    y, x = np.mgrid[0:16, 0:16]
    inp("checkerboard:16", (((y // 4 + x // 4) % 2) == 0)[None, None])
    inp("checkerboard:8", (((y[:8, :8] // 2 + x[:8, :8] // 2) % 2) == 0)[None, None] * 2 - 1,
        {"center": True})
    inp("gradient", np.tile(np.arange(8) / 7, (8, 1))[None, None])
    inp("gradient:3x5", np.tile(np.arange(5) / 4, (3, 1))[None, None])
    inp("stripes", np.tile((np.arange(8) // 2) % 2 == 0, (8, 1))[None, None])
    inp("stripes:2x12", np.tile((np.arange(12) // 3) % 2 == 0, (2, 1))[None, None])

    d = load_digits_or_none()
    if d is not None:
        for label in [0, 3, 7, 9]:
            i = int(np.flatnonzero(d.target == label)[0])
            inp(f"digit:{label}", d.images[i][None, None] / np.float32(16), tolerance=0)
        i = int(np.flatnonzero(d.target == 7)[0])
        inp("digit", d.images[i][None, None] / np.float32(16))
    from skimage import data as skdata
    camera = np.array(Image.fromarray(skdata.camera(), "L").reduce(8))
    inp("photo", camera[None, None], {"max_size": 0}, divisor=255)
    inp("photo:grey", area_reduce(camera[None] / np.float32(255), 16)[None], {"max_size": 16},
        tolerance=2e-6)
    astro = np.array(Image.fromarray(skdata.astronaut(), "RGB").reduce(8))
    inp("photo:rgb", np.transpose(astro, (2, 0, 1))[None], {"max_size": 0}, divisor=255)
    astro_grey = grey_bt601(np.transpose(astro, (2, 0, 1)).astype(np.float32) / np.float32(255))
    inp("photo:rgb", area_reduce(astro_grey, 16)[None], {"grey": True, "max_size": 16},
        tolerance=2e-6)
    large = np.array(Image.fromarray(skdata.astronaut(), "RGB").reduce(2))
    inp("photo:large", np.transpose(large, (2, 0, 1))[None], {"max_size": 0}, divisor=255,
        stride=31)
    inp("photo:large", area_reduce(np.transpose(large, (2, 0, 1)) / np.float32(255), 64)[None],
        {}, tolerance=2e-6, stride=7)


def load_digits_or_none():
    from sklearn.datasets import load_digits
    return load_digits()


# MARK: - Text grids


def text_fixtures():
    a = np.array([[1.5, -2, 3e-3, 4], [5, 6.25, -7, 8e2], [0, -0.5, 1e5, 2]], dtype=np.float32)

    def fmt(v):
        return repr(float(v))

    write_bytes("text/comma.csv", ("\n".join(",".join(fmt(v) for v in r) for r in a) + "\n")
                .encode())
    expect("text/comma.csv", a, "text", False)
    write_bytes("text/semicolon.csv", ("# exported; with a comment\n" + "\n".join(
        "; ".join(fmt(v) for v in r) for r in a)).encode())
    expect("text/semicolon.csv", a, "text", False)
    write_bytes("text/tabs.tsv", ("\n".join("\t".join(fmt(v) for v in r) for r in a) + "\n")
                .encode())
    expect("text/tabs.tsv", a, "text", False)
    write_bytes("text/spaces.txt", ("\n\n   # leading blank lines and comments\n" + "\n".join(
        "  ".join(fmt(v) for v in r) + "   # row" for r in a) + "\n\n\n").encode())
    expect("text/spaces.txt", a, "text", False)
    write_bytes("text/crlf_bom.csv", b"\xef\xbb\xbf" + "\r\n".join(
        ",".join(fmt(v) for v in r) + "," for r in a).encode() + b"\r\n")
    expect("text/crlf_bom.csv", a, "text", False)
    write_bytes("text/quoted.csv", "\n".join(",".join(f'"{fmt(v)}"' for v in r) for r in a)
                .encode())
    expect("text/quoted.csv", a, "text", False)

    g = np.arange(3 * 2 * 4, dtype=np.float32).reshape(3, 2, 4) - 5
    blocks = ["\n".join(" ".join(fmt(v) for v in r) for r in grid) for grid in g]
    write_bytes("text/three_grids_blank.txt", ("\n\n".join(blocks) + "\n").encode())
    expect("text/three_grids_blank.txt", g, "text", False)
    write_bytes("text/three_grids_dashes.csv", ("\n---\n".join(
        b.replace(" ", ",") for b in blocks)).encode())
    expect("text/three_grids_dashes.csv", g, "text", False)

    nf = "nan, 1, inf\n-inf, NaN, -Infinity\n+INF, 2.5e0, -nan\n"
    write_bytes("text/nonfinite.csv", nf.encode())
    expect("text/nonfinite.csv", np.array(
        [[np.nan, 1, np.inf], [-np.inf, np.nan, -np.inf], [np.inf, 2.5, np.nan]]), "text", False)
    write_bytes("text/one_row.csv", b"0.25, 0.5, -1\n")
    expect("text/one_row.csv", np.array([[0.25, 0.5, -1]]), "text", False)
    write_bytes("text/overflow.txt", b"1e50 -1e50 1\n")
    expect("text/overflow.txt", np.array([[np.inf, -np.inf, 1]]), "text", False,
           notes_contain=["too large for float32"])

    write_bytes("bad/ragged.csv", b"1,2,3\n4,5,6\n7,8\n")
    expect_error("bad/ragged.csv", "line 3", "2 values", "3", "ragged")
    write_bytes("bad/nonnumeric.csv", b"1,2,3\n4,five,6\n")
    expect_error("bad/nonnumeric.csv", "line 2", "column 3", "'five'")
    write_bytes("bad/hex.csv", b"1,0x10\n")
    expect_error("bad/hex.csv", "line 1", "column 3", "'0x10'")
    write_bytes("bad/header_row.csv", b"a,b,c\n1,2,3\n")
    expect_error("bad/header_row.csv", "line 1", "header row")
    write_bytes("bad/empty_field.csv", b"1,,3\n")
    expect_error("bad/empty_field.csv", "line 1", "column 3", "empty value")
    write_bytes("bad/grid_sizes.txt", b"1 2\n3 4\n\n5 6\n")
    expect_error("bad/grid_sizes.txt", "line 4", "grid 2", "1×2", "2×2")
    write_bytes("bad/only_comments.csv", b"# nothing here\n\n# at all\n")
    expect_error("bad/only_comments.csv", "no numbers")
    write_bytes("bad/empty.csv", b"")
    expect_error("bad/empty.csv", "empty")
    write_bytes("bad/binary.bin", bytes(range(256)))
    expect_error("bad/binary.bin", "unrecognised format")
    write_bytes("bad/gzip.dat.gz", b"\x1f\x8b\x08\x00" + bytes(20))
    expect_error("bad/gzip.dat.gz", "gzip")
    write_bytes("bad/jpeg.png", b"\xff\xd8\xff\xe0" + bytes(20))
    expect_error("bad/jpeg.png", "wrong magic", "JPEG")


README = """# Format fixtures

Written by `scripts/make_format_fixtures.py` — do not edit by hand; change the script and run it
again. Every file here was made by a writer independent of convscope, and `manifest.json` holds
the values the Swift readers must produce, computed in NumPy:

| folder | writer | what |
|---|---|---|
| `npy/` | NumPy `np.save` / `np.lib.format.write_array` | every dtype in both byte orders, bool, ranks 0–4, empty arrays, Fortran order, format versions 2.0 and 3.0, NaN/Inf, float64 overflow; `writer_*.npy` are the bytes convscope's NPY writer must reproduce |
| `png/pil_*` | Pillow | grey 1/8/16-bit, RGB, RGBA, grey+alpha, palette (8- and 2-bit, with tRNS) |
| `png/own_*` | the script's own PNG encoder (zlib, all five filters, Adam7) | interlaced, grey 1/2/4-bit, 16-bit RGB/RGBA/grey+alpha, tRNS, 4-bit palette |
| `imagemagick/` | ImageMagick `convert` | interlaced (palette) PNG, grey PNG, 16-bit RGB PNG, ASCII PGM/PPM, 16-bit PPM |
| `pnm/` | plain Python and Pillow | P1–P6, maxval 16, 255, 1000, 65535, comments and odd whitespace |
| `text/` | plain Python | CSV, semicolons, TSV, spaces, comments, CRLF + BOM, quotes, several grids, NaN/Inf |
| `bad/` | hand-made | truncated files, wrong magic, absurd sizes, unsupported dtypes, ragged or non-numeric text |

`manifest.json`: `files` (path, load options, shape, flat row-major values — `"nan"`, `"inf"`,
`"-inf"` where JSON has no number —, non-finite counts, words the notes must contain), `errors`
(path and words the one-line message must contain), `writer` (tensors and the `np.save` file
they must encode to), `presets` (preset specs and their values, from textbook kernels and from
the original scikit-learn digits and scikit-image photographs).
"""


def main():
    if find_imagemagick() is None:
        sys.exit("ImageMagick is needed (apt-get install imagemagick): it writes imagemagick/")
    if os.path.exists(OUT):
        shutil.rmtree(OUT)
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "README.md"), "w") as f:
        f.write(README)
    rng = np.random.default_rng(2024)
    npy_fixtures()
    png_fixtures(rng)
    pnm_fixtures(rng)
    text_fixtures()
    preset_fixtures()
    imagemagick_fixtures(np.random.default_rng(99))
    manifest = {
        "generator": "scripts/make_format_fixtures.py",
        "numpy": np.__version__,
        "files": files,
        "errors": errors,
        "writer": writer,
        "presets": presets,
    }
    with open(os.path.join(OUT, "manifest.json"), "w") as f:
        # One entry per line: small, and diffs stay readable.
        f.write("{\n")
        f.write(f' "generator": {json.dumps(manifest["generator"])},\n')
        f.write(f' "numpy": {json.dumps(manifest["numpy"])},\n')
        for i, key in enumerate(["files", "errors", "writer", "presets"]):
            f.write(f' "{key}": [\n  ')
            f.write(",\n  ".join(json.dumps(e, separators=(",", ":")) for e in manifest[key]))
            f.write("\n ]" + (",\n" if i < 3 else "\n"))
        f.write("}\n")
    with open(os.path.join(OUT, "manifest.json")) as f:
        assert json.load(f) == manifest
    total = sum(os.path.getsize(os.path.join(d, n)) for d, _, ns in os.walk(OUT) for n in ns)
    print(f"{len(files)} readable cases, {len(errors)} error cases, {len(writer)} writer cases, "
          f"{len(presets)} preset cases, "
          f"{total} bytes in {OUT}")


if __name__ == "__main__":
    main()
