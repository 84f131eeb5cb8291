#!/usr/bin/env python3
"""Writes Tests/Fixtures/images/: PNG and PNM images made here with zlib and NumPy only
(independent of convscope and of libpng), and manifest.json with what the Swift readers must
produce from them, computed here.

The PNGs cover what a row-by-row reader must get right: 16-bit samples, RGB and RGBA, palettes
of 4 bits with transparency, grey of 2 bits, all five row filters, and Adam7 interlacing; the
PNMs cover P1, P4 (bits across byte ends), P5 of 16 bits and P6. Each image is listed whole
(max_size 0) and reduced by area averaging to sizes that do not divide it, the reduction
computed independently: a weight matrix of exact overlaps (output o of m covers [o·n, (o+1)·n),
input i covers [i·m, (i+1)·m), in units of 1/(n·m)), applied as Wy · image · Wxᵀ.

big/ holds a 2048×2048 PNG of a few KB, read with the default reduction to 64×64.

bombs/ holds headers (and no more than a few rows of data): a 16384×16384 PNG and a P4 PBM of the same size,
which a kernel or a checked tensor must refuse from the header, before decoding.

Run from the repository's root, and commit the output with this script:
    python3 scripts/make_image_fixtures.py
"""

import json
import os
import struct
import zlib

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "Fixtures", "images")
files = []


def write(rel, data):
    p = os.path.join(OUT, rel)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, "wb") as f:
        f.write(data)


# MARK: - PNG encoding


def chunk(kind, data):
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def filter_row(kind, row, prev, bpp):
    out = bytearray(len(row))
    for i, x in enumerate(row):
        a = row[i - bpp] if i >= bpp else 0
        b = prev[i]
        c = prev[i - bpp] if i >= bpp else 0
        pred = [0, a, b, (a + b) // 2, paeth(a, b, c)][kind]
        out[i] = (x - pred) & 0xFF
    return bytes([kind]) + bytes(out)


def pack_row(samples, depth):
    """One row of samples (already flattened per pixel) as PNG bytes."""
    if depth == 16:
        return b"".join(struct.pack(">H", int(v)) for v in samples)
    if depth == 8:
        return bytes(int(v) for v in samples)
    per = 8 // depth
    out = bytearray()
    for i in range(0, len(samples), per):
        byte = 0
        for k in range(per):
            v = int(samples[i + k]) if i + k < len(samples) else 0
            byte |= v << (8 - depth * (k + 1))
        out.append(byte)
    return bytes(out)


def scanlines(pixels, depth, channels, start_filter):
    """pixels: H×W×C array of samples; every row gets the next of the five filters."""
    h = pixels.shape[0]
    bpp = max(1, channels * depth // 8)
    rows = [pack_row(pixels[y].reshape(-1), depth) for y in range(h)]
    out = b""
    prev = bytes(len(rows[0])) if rows else b""
    for y, row in enumerate(rows):
        out += filter_row((start_filter + y) % 5, row, prev, bpp)
        prev = row
    return out


ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2),
         (0, 1, 1, 2)]


def encode_png(pixels, colour, depth, interlace=False, palette=None, trns=None):
    h, w, c = pixels.shape
    if interlace:
        raw = b""
        for n, (x0, y0, dx, dy) in enumerate(ADAM7):
            sub = pixels[y0::dy, x0::dx]
            if sub.shape[0] and sub.shape[1]:
                raw += scanlines(sub, depth, c, n)
    else:
        raw = scanlines(pixels, depth, c, 0)
    ihdr = struct.pack(">IIBBBBB", w, h, depth, colour, 0, 0, 1 if interlace else 0)
    body = chunk(b"IHDR", ihdr)
    if palette is not None:
        body += chunk(b"PLTE", bytes(int(v) for v in palette.reshape(-1)))
    if trns is not None:
        body += chunk(b"tRNS", trns)
    return (b"\x89PNG\r\n\x1a\n" + body + chunk(b"IDAT", zlib.compress(raw, 9))
            + chunk(b"IEND", b""))


# MARK: - Expected values


def chw(hwc, max_value, alpha):
    """[C, H, W] in [0, 1] without alpha."""
    a = hwc.astype(np.float64) / max_value
    if alpha:
        a = a[:, :, :-1]
    return np.transpose(a, (2, 0, 1))


def reduced_size(h, w, max_size):
    longer = max(h, w)
    if max_size <= 0 or longer <= max_size:
        return h, w
    return (max(1, (2 * h * max_size + longer) // (2 * longer)),
            max(1, (2 * w * max_size + longer) // (2 * longer)))


def weights(n, m):
    """m×n: row o holds the weights of the inputs output o covers (summing to 1)."""
    wm = np.zeros((m, n))
    for o in range(m):
        for i in range(n):
            overlap = min((i + 1) * m, (o + 1) * n) - max(i * m, o * n)
            if overlap > 0:
                wm[o, i] = overlap / n
    return wm


def area_reduce(c_h_w, max_size):
    c, h, w = c_h_w.shape
    oh, ow = reduced_size(h, w, max_size)
    if (oh, ow) == (h, w):
        return c_h_w
    wy, wx = weights(h, oh), weights(w, ow)
    return np.stack([wy @ c_h_w[k] @ wx.T for k in range(c)])


def expect(rel, hwc, max_value, alpha, detail, sizes=None):
    whole = chw(hwc, max_value, alpha)
    h, w = whole.shape[1:]
    for max_size in sizes or [0, 5, 8, max(h, w) - 1]:
        values = area_reduce(whole, max_size)
        files.append({
            "file": rel, "max_size": max_size, "shape": list(values.shape),
            "stored_shape": [hwc.shape[2], h, w], "detail": detail,
            "values": [float(f"{v:.8g}") for v in values.astype(np.float32).reshape(-1)],
        })


def png_fixtures(rng):
    h, w = 23, 37
    grey16 = rng.integers(0, 65536, (h, w, 1))
    write("png/grey16.png", encode_png(grey16, 0, 16))
    expect("png/grey16.png", grey16, 65535, False, "PNG 16-bit grey 37×23")
    rgb8 = rng.integers(0, 256, (h, w, 3))
    write("png/rgb8.png", encode_png(rgb8, 2, 8))
    expect("png/rgb8.png", rgb8, 255, False, "PNG 8-bit RGB 37×23")
    rgba16 = rng.integers(0, 65536, (h, w, 4))
    write("png/rgba16.png", encode_png(rgba16, 6, 16))
    expect("png/rgba16.png", rgba16, 65535, True, "PNG 16-bit RGBA 37×23")
    grey2 = rng.integers(0, 4, (h, w, 1))
    write("png/grey2.png", encode_png(grey2, 0, 2))
    expect("png/grey2.png", grey2 * 85, 255, False, "PNG 2-bit grey 37×23")
    palette = rng.integers(0, 256, (16, 3))
    alpha = bytes(int(v) for v in rng.integers(0, 256, 16))
    index = rng.integers(0, 16, (h, w, 1))
    write("png/palette4_trns.png", encode_png(index, 3, 4, palette=palette, trns=alpha))
    rgba = np.concatenate([palette[index[:, :, 0]],
                           np.frombuffer(alpha, np.uint8)[index[:, :, 0]][:, :, None]], axis=2)
    expect("png/palette4_trns.png", rgba, 255, True,
           "PNG 4-bit palette with transparency 37×23")
    write("png/rgb8_interlaced.png", encode_png(rgb8, 2, 8, interlace=True))
    expect("png/rgb8_interlaced.png", rgb8, 255, False, "PNG 8-bit RGB, interlaced 37×23")
    write("png/grey16_interlaced.png", encode_png(grey16, 0, 16, interlace=True))
    expect("png/grey16_interlaced.png", grey16, 65535, False,
           "PNG 16-bit grey, interlaced 37×23")


def pnm_fixtures(rng):
    h, w = 19, 29
    bits = rng.integers(0, 2, (h, w))
    rows = b"".join(np.packbits(bits[y]).tobytes() for y in range(h))
    write("pnm/bits.pbm", b"P4\n# bits across byte ends\n%d %d\n" % (w, h) + rows)
    expect("pnm/bits.pbm", (1 - bits)[:, :, None], 1, False, "PBM (P4) 29×19")
    ascii_rows = "\n".join("".join(str(v) for v in bits[y]) for y in range(h))
    write("pnm/bits_ascii.pbm", ("P1\n%d %d\n" % (w, h) + ascii_rows + "\n").encode())
    expect("pnm/bits_ascii.pbm", (1 - bits)[:, :, None], 1, False, "PBM (P1) 29×19")
    grey = rng.integers(0, 1001, (h, w))
    write("pnm/grey16.pgm", b"P5 %d %d 1000\n" % (w, h) + grey.astype(">u2").tobytes())
    expect("pnm/grey16.pgm", grey[:, :, None], 1000, False,
           "PGM (P5) 16-bit, maxval 1000 29×19")
    rgb = rng.integers(0, 256, (h, w, 3))
    write("pnm/rgb.ppm", b"P6\n%d %d\n255\n" % (w, h) + rgb.astype(np.uint8).tobytes())
    expect("pnm/rgb.ppm", rgb, 255, False, "PPM (P6) 8-bit, maxval 255 29×19")


def big():
    """A 2048×2048 image (4 Mi pixels, a few KB): reduced to 64×64 while it is read, memory
    must stay a row and the result."""
    y, x = np.mgrid[0:2048, 0:2048]
    grey = (((x // 97) + (y // 61)) % 3 * 100)[:, :, None]
    write("big/grey8_2048.png", encode_png(grey, 0, 8))
    expect("big/grey8_2048.png", grey, 255, False, "PNG 8-bit grey 2048×2048", sizes=[64])


def bombs():
    ihdr = struct.pack(">IIBBBBB", 16384, 16384, 8, 0, 0, 0, 0)
    # The first rows' data only: what a reader sees before it would start decoding.
    idat = zlib.compress(bytes(4 * 16385), 9)
    write("bombs/16384x16384_header.png",
          b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat)
          + chunk(b"IEND", b""))
    write("bombs/16384x16384_header.pbm", b"P4\n16384 16384\n" + bytes(64))


def main():
    rng = np.random.default_rng(20261202)
    png_fixtures(rng)
    pnm_fixtures(rng)
    big()
    bombs()
    with open(os.path.join(OUT, "manifest.json"), "w") as f:
        f.write('{"files": [\n')
        f.write(",\n".join(json.dumps(e, separators=(",", ":")) for e in files))
        f.write("\n]}\n")
    print(f"wrote {len(files)} expectations to {os.path.relpath(OUT, ROOT)}")


if __name__ == "__main__":
    main()
