#!/usr/bin/env python3
"""Writes Tests/Fixtures/bugs/: a few small convolution layers, the tensors that buggy
implementations of them produce, and a manifest saying which bug made which files.

The buggy layers are written here in NumPy, independently of convscope's Swift variants: the
correct layer is built from np.pad (on an index map, so that the backward pass of 'edge' and
'reflect' padding falls out of np.add.at), strided window slices and np.einsum; each bug is the
mistake a NumPy user would make — a flipped or transposed array, a wrong np.pad width, a wrong
slice, a missing term, a wrong axis — applied to that layer. The article's bugs are written as
the article's loops.

Run once, commit the output with this script:
    python3 scripts/make_bug_fixtures.py

Layout of the output:
    <scenario>/case.json          the layer in the conv-vectors format (x, w, b, dy, params;
                                  seed_layer.alpha is the learning rate)
    <scenario>/{x,w,b,dy}.npy     the same tensors as .npy (channels first)
    <scenario>/<case>/<t>.npy     the user's tensors t in {y, dx, dw, db}
manifest.json:
    "scenarios": {name: {case, x, w, b, dy, stride, padding, dilation, lr}}
    "cases": [{name, scenario, expect (a bug id, or null when the tensors are right or, with
               pattern, wrong in a way no known mistake explains),
               layout ("nchw" | "nhwc"), gradient ("tensor" | "output"), files {t: path},
               allow [other bug ids that may be named too, because they give the same numbers
               on this data], exit (the status convscope check must return), detail (words the
               diagnosis's detail must contain), pattern (words the pattern must contain)}]
Paths are relative to Tests/Fixtures/bugs.
"""

import json
import os
import shutil

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "Fixtures", "bugs")

scenarios = {}
cases = []


# --------------------------------------------------------------------------------------------
# The correct layer, and the generalisations the bugs need
# --------------------------------------------------------------------------------------------


def out_len(n, k, s, before, after, d):
    return (n + before + after - d * (k - 1) - 1) // s + 1


class Layer:
    """A convolution with everything a mistake may change.

    stride, dilation: (h, w); pad_before, pad_after: (h, w) zero rows/columns added before and
    after the input; mode: np.pad mode ('constant', 'edge', 'reflect'); value: the constant;
    out: (OH, OW) to override the size (windows running past the padded input read zeros).
    """

    def __init__(self, stride, pad_before, pad_after, dilation, mode="constant", value=0.0,
                 out=None):
        self.stride = stride
        self.pad_before = pad_before
        self.pad_after = pad_after
        self.dilation = dilation
        self.mode = mode
        self.value = value
        self.out = out

    def source_map(self, h, w):
        """For every padded cell, the flat input cell it copies (-1 for the constant)."""
        idx = np.arange(h * w).reshape(h, w)
        widths = ((self.pad_before[0], self.pad_after[0]), (self.pad_before[1], self.pad_after[1]))
        if self.mode == "constant":
            return np.pad(idx, widths, constant_values=-1)
        return np.pad(idx, widths, mode=self.mode)

    def sizes(self, x, w):
        n, c, h, wd = x.shape
        kh, kw = w.shape[2], w.shape[3]
        if self.out is not None:
            return self.out
        return (out_len(h, kh, self.stride[0], self.pad_before[0], self.pad_after[0], self.dilation[0]),
                out_len(wd, kw, self.stride[1], self.pad_before[1], self.pad_after[1], self.dilation[1]))

    def padded(self, x, w):
        """xpad[N, C, Hp, Wp], extended with zeros when the windows run past it."""
        n, c, h, wd = x.shape
        src = self.source_map(h, wd)
        flat = x.reshape(n, c, h * wd)
        xp = np.where(src >= 0, flat[:, :, np.maximum(src, 0)], self.value)
        oh, ow = self.sizes(x, w)
        need_h = (oh - 1) * self.stride[0] + (w.shape[2] - 1) * self.dilation[0] + 1
        need_w = (ow - 1) * self.stride[1] + (w.shape[3] - 1) * self.dilation[1] + 1
        extra = ((0, 0), (0, 0), (0, max(0, need_h - xp.shape[2])), (0, max(0, need_w - xp.shape[3])))
        return np.pad(xp, extra), src

    def taps(self, p, q, oh, ow):
        sh, sw = self.stride
        dh, dw = self.dilation
        return (slice(p * dh, p * dh + (oh - 1) * sh + 1, sh),
                slice(q * dw, q * dw + (ow - 1) * sw + 1, sw))

    def forward(self, x, w, b):
        xp, _ = self.padded(x, w)
        oh, ow = self.sizes(x, w)
        y = np.zeros((x.shape[0], w.shape[0], oh, ow))
        for p in range(w.shape[2]):
            for q in range(w.shape[3]):
                rows, cols = self.taps(p, q, oh, ow)
                y += np.einsum("ncij,fc->nfij", xp[:, :, rows, cols], w[:, :, p, q])
        return y + b[None, :, None, None]

    def backward(self, x, w, dy):
        """(dx, dw, db, dxpad): gradients of sum(dy * forward) and the padded input's."""
        xp, src = self.padded(x, w)
        oh, ow = self.sizes(x, w)
        assert dy.shape[2:] == (oh, ow)
        dw = np.zeros(w.shape)
        dxp = np.zeros(xp.shape)
        for p in range(w.shape[2]):
            for q in range(w.shape[3]):
                rows, cols = self.taps(p, q, oh, ow)
                dw[:, :, p, q] = np.einsum("ncij,nfij->fc", xp[:, :, rows, cols], dy)
                dxp[:, :, rows, cols] += np.einsum("nfij,fc->ncij", dy, w[:, :, p, q])
        n, c, h, wd = x.shape
        dxp_core = dxp[:, :, :src.shape[0], :src.shape[1]]
        dx = np.zeros((n, c, h * wd))
        valid = src >= 0
        np.add.at(dx, (slice(None), slice(None), src[valid]), dxp_core[:, :, valid])
        return dx.reshape(x.shape), dw, dy.sum(axis=(0, 2, 3)), dxp_core


def correct_layer(s):
    return Layer(s["stride"], s["padding"], s["padding"], s["dilation"])


# PyTorch's padding_mode → np.pad's mode.
NUMPY_MODE = {"zeros": "constant", "reflect": "reflect", "replicate": "edge", "circular": "wrap"}


def group_channels(F, C, G, which="pytorch"):
    """chan[f, c]: the input channel that weight channel c of filter f reads. 'pytorch': the
    channels of filter f's group f // (F/G); 'first': the first group's for every filter;
    'interleaved': group f % G's; 'all': every channel (one group)."""
    cg = C // G
    if which == "all":
        return np.tile(np.arange(C), (F, 1))
    group = {"pytorch": np.arange(F) // (F // G), "first": np.zeros(F, dtype=int),
             "interleaved": np.arange(F) % G}[which]
    return group[:, None] * cg + np.arange(cg)[None, :]


class GroupLayer(Layer):
    """A Layer whose filter f reads input channels chan[f] (w is [F, len(chan[f]), KH, KW])."""

    def __init__(self, stride, pad_before, pad_after, dilation, chan, mode="constant", out=None):
        super().__init__(stride, pad_before, pad_after, dilation, mode=mode, out=out)
        self.chan = chan

    def forward(self, x, w, b):
        xp, _ = self.padded(x, w)
        oh, ow = self.sizes(x, w)
        y = np.zeros((x.shape[0], w.shape[0], oh, ow))
        for p in range(w.shape[2]):
            for q in range(w.shape[3]):
                rows, cols = self.taps(p, q, oh, ow)
                xg = xp[:, :, rows, cols][:, self.chan]  # [N, F, C/G, OH, OW]
                y += np.einsum("nfcij,fc->nfij", xg, w[:, :, p, q])
        return y + b[None, :, None, None]

    def backward(self, x, w, dy):
        xp, src = self.padded(x, w)
        oh, ow = self.sizes(x, w)
        assert dy.shape[2:] == (oh, ow)
        dw = np.zeros(w.shape)
        dxp = np.zeros(xp.shape)
        F, CG = self.chan.shape
        for p in range(w.shape[2]):
            for q in range(w.shape[3]):
                rows, cols = self.taps(p, q, oh, ow)
                xg = xp[:, :, rows, cols][:, self.chan]
                dw[:, :, p, q] = np.einsum("nfcij,nfij->fc", xg, dy)
                part = np.einsum("nfij,fc->nfcij", dy, w[:, :, p, q])
                for f in range(F):
                    for c in range(CG):
                        dxp[:, self.chan[f, c], rows, cols] += part[:, f, c]
        n, c, h, wd = x.shape
        dxp_core = dxp[:, :, :src.shape[0], :src.shape[1]]
        dx = np.zeros((n, c, h * wd))
        valid = src >= 0
        np.add.at(dx, (slice(None), slice(None), src[valid]), dxp_core[:, :, valid])
        return dx.reshape(x.shape), dw, dy.sum(axis=(0, 2, 3)), dxp_core


def group_layer(s, which="pytorch", mode=None, pad=None):
    """Scenario s's grouped, maybe copy-padded layer, with its filters' channels chosen by
    `which` and the padding's np.pad mode and widths replaced when given."""
    F, CG = s["w"].shape[0], s["w"].shape[1]
    C = s["x"].shape[1]
    groups = s.get("groups", 1)
    chan = group_channels(F, C, groups, which)
    p = s["padding"] if pad is None else pad
    return GroupLayer(s["stride"], p, p, s["dilation"], chan,
                      mode=mode or NUMPY_MODE[s.get("padding_mode", "zeros")])


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------


def rel(*parts):
    return "/".join(parts)


def save(relpath, array):
    p = os.path.join(OUT, relpath)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    np.save(p, np.asarray(array, dtype=np.float64).astype("<f4"))
    return relpath


def f32(a):
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def scenario(name, n, c, h, w, f, k, stride, padding, dilation, lr, seed, integers=False,
             groups=1, padding_mode="zeros"):
    rng = np.random.default_rng(seed)
    if integers:
        x = rng.integers(-3, 4, (n, c, h, w)).astype(np.float64)
        wt = rng.integers(-2, 3, (f, c // groups, k[0], k[1])).astype(np.float64)
        b = rng.integers(-2, 3, (f,)).astype(np.float64)
    else:
        x = f32(rng.normal(size=(n, c, h, w)))
        wt = f32(rng.normal(size=(f, c // groups, k[0], k[1])))
        b = f32(rng.normal(size=(f,)))
    s = {"stride": stride, "padding": padding, "dilation": dilation, "lr": lr}
    oh = out_len(h, k[0], stride[0], padding[0], padding[0], dilation[0])
    ow = out_len(w, k[1], stride[1], padding[1], padding[1], dilation[1])
    if oh >= 1 and ow >= 1:
        dy = f32(rng.normal(size=(n, f, oh, ow))) if not integers else \
            rng.integers(-2, 3, (n, f, oh, ow)).astype(np.float64)
    else:
        dy = None
    case = {
        "name": name,
        "op": "conv2d",
        "description": "convscope bug fixture scenario " + name,
        "shapes": {"x": list(x.shape), "w": list(wt.shape), "b": list(b.shape)},
        "params": {"stride": list(stride), "padding": list(padding), "dilation": list(dilation)},
        "x": x.ravel().tolist(),
        "w": wt.ravel().tolist(),
        "b": b.ravel().tolist(),
        "seed_layer": {"alpha": lr},
    }
    entry = {"case": rel(name, "case.json"), "x": save(rel(name, "x.npy"), x),
             "w": save(rel(name, "w.npy"), wt), "b": save(rel(name, "b.npy"), b),
             "stride": list(stride), "padding": list(padding), "dilation": list(dilation),
             "lr": lr}
    # groups and padding_mode only when not the defaults (the older scenarios stay as written)
    extra = {**({"groups": groups} if groups != 1 else {}),
             **({"padding_mode": padding_mode} if padding_mode != "zeros" else {})}
    case["params"].update(extra)
    entry.update(extra)
    s.update(extra)
    if dy is not None:
        case["shapes"]["dy"] = list(dy.shape)
        case["dy"] = dy.ravel().tolist()
        entry["dy"] = save(rel(name, "dy.npy"), dy)
    os.makedirs(os.path.join(OUT, name), exist_ok=True)
    with open(os.path.join(OUT, name, "case.json"), "w") as fh:
        json.dump(case, fh)
    scenarios[name] = entry
    return {"name": name, "x": x, "w": wt, "b": b, "dy": dy, **s}


def add(sc, bug, tensors, layout="nchw", allow=(), expect_exit=1, gradient="tensor", name=None,
        detail=None, pattern=None):
    """Records a case: `tensors` maps y/dx/dw/db to arrays in the layout written; `detail`,
    words the diagnosis's detail must contain (what it found in the data); `pattern`, for a
    mistake no known one explains (`bug` None, exit 1), words the report's pattern of the
    differences must contain."""
    case_name = name or bug or "correct"
    files = {}
    for t, a in tensors.items():
        files[t] = save(rel(sc["name"], case_name, t + ".npy"), a)
    cases.append({"name": sc["name"] + "-" + case_name, "scenario": sc["name"], "expect": bug,
                  "layout": layout, "gradient": gradient, "files": files,
                  "allow": sorted(allow), "exit": expect_exit,
                  **({"detail": detail} if detail else {}),
                  **({"pattern": pattern} if pattern else {})})


def nhwc(a):
    return a.transpose(0, 2, 3, 1)


# --------------------------------------------------------------------------------------------
# The bugs, as a NumPy user would make them
# --------------------------------------------------------------------------------------------


def correct(sc):
    L = correct_layer(sc)
    y = L.forward(sc["x"], sc["w"], sc["b"])
    dx, dw, db, _ = L.backward(sc["x"], sc["w"], sc["dy"])
    return y, dx, dw, db


def main_scenario_bugs(sc):
    """Scenario A: batch 2, 2 channels, 3 filters, 3×3 kernel, padding 1, random floats."""
    x, w, b, dy = sc["x"], sc["w"], sc["b"], sc["dy"]
    p = sc["padding"]
    L = correct_layer(sc)
    y, dx, dw, db = correct(sc)
    N, C, H, W = x.shape
    add(sc, None, {"y": y, "dx": dx, "dw": dw, "db": db}, expect_exit=0)

    # kernel flipped everywhere: scipy.signal.convolve2d-style forward, its own gradients
    wf = w[:, :, ::-1, ::-1]
    fdx, fdw, _, _ = L.backward(x, wf, dy)
    add(sc, "kernel-flipped", {"y": L.forward(x, wf, b), "dx": fdx, "dw": fdw[:, :, ::-1, ::-1],
                               "db": db})
    # padding mistakes
    add(sc, "padding-ignored", {"y": Layer(sc["stride"], (0, 0), (0, 0), sc["dilation"]).forward(x, w, b)})
    at_end = Layer(sc["stride"], (0, 0), (2 * p[0], 2 * p[1]), sc["dilation"])
    edx, edw, _, _ = at_end.backward(x, w, dy)
    add(sc, "padding-at-end", {"y": at_end.forward(x, w, b), "dx": edx, "dw": edw},
        allow=["article-backward-unpadded"])
    at_start = Layer(sc["stride"], (2 * p[0], 2 * p[1]), (0, 0), sc["dilation"])
    sdx, sdw, _, _ = at_start.backward(x, w, dy)
    add(sc, "padding-at-start", {"y": at_start.forward(x, w, b), "dx": sdx, "dw": sdw})
    # with padding 1 and stride 1, padding the top and left only drops exactly the last output
    # row and column: the same numbers as an off-by-one window loop
    add(sc, "padding-start-only", {"y": Layer(sc["stride"], p, (0, 0), sc["dilation"]).forward(x, w, b)},
        allow=["output-missing-last"])
    add(sc, "padding-end-only", {"y": Layer(sc["stride"], (0, 0), p, sc["dilation"]).forward(x, w, b)})
    ones = Layer(sc["stride"], p, p, sc["dilation"], value=1.0)
    _, odw, _, _ = ones.backward(x, w, dy)
    add(sc, "padding-value", {"y": ones.forward(x, w, b), "dw": odw})
    half = Layer(sc["stride"], p, p, sc["dilation"], value=-0.5)
    add(sc, "padding-value", {"y": half.forward(x, w, b)}, name="padding-value-minus-half")
    for mode in ["edge", "reflect"]:
        M = Layer(sc["stride"], p, p, sc["dilation"], mode=mode)
        mdx, mdw, _, _ = M.backward(x, w, dy)
        add(sc, "padding-" + mode, {"y": M.forward(x, w, b), "dx": mdx, "dw": mdw})
    # height and width
    wt = w.transpose(0, 1, 3, 2)
    tdx, tdw, _, _ = L.backward(x, wt, dy)
    add(sc, "kernel-transposed", {"y": L.forward(x, wt, b), "dx": tdx, "dw": tdw.transpose(0, 1, 3, 2)})
    xt = x.transpose(0, 1, 3, 2)
    add(sc, "input-transposed", {"y": L.forward(xt, w, b)})
    add(sc, "output-transposed", {"y": y.transpose(0, 1, 3, 2)})
    # bias
    add(sc, "bias-missing", {"y": y - b[None, :, None, None]}, detail="your y − correct y = −b")
    # with C = 2 input channels, the bias once per channel is the bias added twice
    add(sc, "bias-per-channel", {"y": y + (C - 1) * b[None, :, None, None]},
        allow=["bias-added-twice"])
    add(sc, "bias-added-twice", {"y": y + b[None, :, None, None]}, allow=["bias-per-channel"],
        detail="your y − correct y = +b")
    offsets = np.array([0.5, -0.25, 1.0])
    add(sc, "constant-offset-per-filter", {"y": y + offsets[None, :, None, None]},
        detail="a constant offset per filter, f = 0…2: +0.5, −0.25, +1")
    # every window one row or column off (the padding before the input one too few or many)
    oh, ow = y.shape[2:]
    for name, dh, dwid, words in [("row-plus", 1, 0, "one row lower"),
                                  ("row-minus", -1, 0, "one row higher"),
                                  ("col-plus", 0, 1, "one column to the right"),
                                  ("col-minus", 0, -1, "one column to the left")]:
        S = Layer(sc["stride"], (p[0] - dh, p[1] - dwid), (p[0] + dh, p[1] + dwid),
                  sc["dilation"], out=(oh, ow))
        add(sc, "window-origin-off-by-one", {"y": S.forward(x, w, b), "dx": dx, "dw": dw},
            name="window-origin-" + name, detail=words)
    # output size off by one at the end
    add(sc, "output-missing-last", {"y": y[:, :, :-1, :-1]}, allow=["padding-start-only"])
    # layouts
    xs = x.transpose(0, 2, 3, 1).reshape(N, C, H, W)
    _, xsdw, _, _ = L.backward(xs, w, dy)
    add(sc, "input-channels-last", {"y": L.forward(xs, w, b), "dw": xsdw})
    F, _, KH, KW = w.shape
    ws = w.transpose(0, 2, 3, 1).reshape(F, C, KH, KW)
    wsdx, _, _, _ = L.backward(x, ws, dy)
    add(sc, "weights-channels-last", {"y": L.forward(x, ws, b), "dx": wsdx})
    add(sc, "layout-swapped", {"y": nhwc(y), "dx": nhwc(dx)})
    # the weight buffer read in ConvTranspose's [C, F, KH, KW] order
    wcf = w.reshape(C, F, KH, KW).transpose(1, 0, 2, 3)
    cfdx, _, _, _ = L.backward(x, wcf, dy)
    add(sc, "weights-filters-channels-swapped", {"y": L.forward(x, wcf, b), "dx": cfdx})
    # backward mistakes, with the right forward output and the other gradients right
    udx, _, _, _ = L.backward(x, w[:, :, ::-1, ::-1], dy)
    add(sc, "dx-unflipped-kernel", {"y": y, "dx": udx, "dw": dw, "db": db})
    _, ldw, ldb, _ = L.backward(x[-1:], w, dy[-1:])
    add(sc, "last-sample-only", {"dx": dx, "dw": ldw, "db": ldb})
    per_dw = np.stack([L.backward(x[i:i + 1], w, dy[i:i + 1])[1] for i in range(N)])
    add(sc, "gradients-per-sample", {"dw": per_dw, "db": dy.sum(axis=(2, 3))},
        allow=["db-wrong-axes"])
    add(sc, "divided-by-batch", {"dx": dx, "dw": dw / N, "db": db / N})
    # one of the two wrong, the other right: only db is averaged; only dw is sample 0's
    add(sc, "divided-by-batch", {"dx": dx, "dw": dw, "db": db / N}, name="divided-by-batch-db")
    _, fdw0, fdb0, _ = L.backward(x[:1], w, dy[:1])
    add(sc, "first-sample-only", {"dx": dx, "dw": fdw0, "db": db})
    add(sc, "first-sample-only", {"dw": fdw0, "db": fdb0}, name="first-sample-only-dw-db")
    # a right backward pass fed another dy than the one checked against: ones (L = sum y),
    # the output itself (L = 1/2 sum y^2), and dy divided by its size (a mean in the loss)
    for name, other, words in [("ones", np.ones_like(dy), "--grad ones"),
                               ("output", y, "--grad output"),
                               ("mean", dy / dy.size, "dy ÷ %d" % dy.size)]:
        odx, odw, odb, _ = L.backward(x, w, other)
        add(sc, "backward-other-dy", {"y": y, "dx": odx, "dw": odw, "db": odb},
            name="backward-other-dy-" + name, detail=words)
    add(sc, "db-wrong-axes", {"db": dy.sum(axis=(1, 2, 3))})
    _, _, _, dxp = L.backward(x, w, dy)
    add(sc, "dx-not-cropped", {"dx": dxp, "dw": dw, "db": db})
    add(sc, "dx-cropped-at-corner", {"dx": dxp[:, :, :H, :W], "dw": dw, "db": db})
    # dx alone cannot tell the corner crop from a backward pass that reads the input without
    # the padding offset (they scatter to the same cells)
    add(sc, "dx-cropped-at-corner", {"dx": dxp[:, :, :H, :W]}, name="dx-cropped-at-corner-alone",
        allow=["article-backward-unpadded", "padding-at-end"])


def unnamed_mistakes(sc):
    """Scenario A again: mistakes no known one explains, where the report says the pattern."""
    x, w, b, dy = sc["x"], sc["w"], sc["b"], sc["dy"]
    L = correct_layer(sc)
    y, dx, dw, db = correct(sc)
    rng = np.random.default_rng(11)
    # random corruption of the border cells of every output map
    yb = y.copy()
    border = np.zeros(y.shape[2:], dtype=bool)
    border[0, :] = border[-1, :] = border[:, 0] = border[:, -1] = True
    yb[:, :, border] += rng.uniform(0.5, 1.5, yb[:, :, border].shape)
    add(sc, None, {"y": yb}, name="unnamed-border", pattern="only on the border")
    # one filter's kernel perturbed
    wp = w.copy()
    wp[1] += rng.normal(scale=0.3, size=wp[1].shape)
    add(sc, None, {"y": L.forward(x, wp, b), "dx": dx}, name="unnamed-one-filter",
        pattern="only filter f = 1 (of 0…2)")
    # one sample's input gradient of one channel scaled
    dxs = dx.copy()
    dxs[1, 0] *= 1.5
    add(sc, None, {"dx": dxs, "dw": dw, "db": db}, name="unnamed-one-sample-channel",
        pattern="only sample n = 1 (of 0…1); only channel c = 0 (of 0…1)")


def stride_bugs(sc):
    """Scenario B: stride 2, padding 1, a width whose windows do not tile evenly."""
    x, w, b, dy = sc["x"], sc["w"], sc["b"], sc["dy"]
    y, dx, dw, db = correct(sc)
    s, p, d = sc["stride"], sc["padding"], sc["dilation"]
    add(sc, None, {"y": y, "dx": dx, "dw": dw, "db": db}, expect_exit=0)
    oh, ow = y.shape[2], y.shape[3]
    on_taps = Layer((1, 1), p, p, (s[0] * d[0], s[1] * d[1]), out=(oh, ow))
    tdx, tdw, _, _ = on_taps.backward(x, w, dy)
    add(sc, "stride-on-taps", {"y": on_taps.forward(x, w, b), "dx": tdx, "dw": tdw})
    H, W = x.shape[2], x.shape[3]
    k = w.shape[2:]
    ceil = lambda n, kk, ss, pp, dd: -(-(n + 2 * pp - dd * (kk - 1) - 1) // ss) + 1
    big = Layer(s, p, p, d, out=(ceil(H, k[0], s[0], p[0], d[0]), ceil(W, k[1], s[1], p[1], d[1])))
    add(sc, "output-ceil", {"y": big.forward(x, w, b)})
    # the backward pass forgets the stride when it scatters dx (forward and dw right)
    flat = Layer((1, 1), p, p, d, out=(oh, ow))
    fdx, _, _, _ = flat.backward(x, w, dy)
    add(sc, "dx-stride-ignored", {"y": y, "dx": fdx, "dw": dw, "db": db})


def dilation_bugs(sc):
    """Scenario C: dilation 2, padding 2."""
    x, w, b, dy = sc["x"], sc["w"], sc["b"], sc["dy"]
    y, dx, dw, db = correct(sc)
    s, p = sc["stride"], sc["padding"]
    add(sc, None, {"y": y, "dx": dx, "dw": dw, "db": db}, expect_exit=0)
    add(sc, "dilation-ignored", {"y": Layer(s, p, p, (1, 1)).forward(x, w, b)})
    tight = Layer(s, p, p, (1, 1), out=y.shape[2:])
    tdx, tdw, _, _ = tight.backward(x, w, dy)
    add(sc, "dilation-ignored-in-taps", {"y": tight.forward(x, w, b), "dx": tdx, "dw": tdw})
    add(sc, "dilation-ignored-in-backward", {"y": y, "dx": tdx, "dw": tdw, "db": db})


# The article's layer: x[B, H, W] (one channel), filters[F, K, K], out[B, O, O, F], square
# sizes, stride s, padding p. These functions follow the article's loops (docs/article-errata.md).

def article_forward(x, filters, biases, s, p, unpadded_loops, add_bias):
    B, H, _ = x.shape
    F, K, _ = filters.shape
    O = (H - K + 2 * p) // s + 1
    xp = np.pad(x, ((0, 0), (p, p), (p, p)))
    out = np.zeros((B, O, O, F))
    last = H - K + 1 if unpadded_loops else H + 2 * p - K + 1
    for n in range(B):
        for f in range(F):
            for i in range(0, last, s):
                for j in range(0, last, s):
                    window = xp[n, i:i + K, j:j + K]
                    out[n, i // s, j // s, f] = np.sum(window * filters[f]) + (biases[f] if add_bias else 0)
    return out


def article_backward_unpadded(x, filters, dout, s, p):
    """dX and dF as the article slices them: windows of the unpadded input (the slice cut
    short at the edge is zero-extended, the usual fix for the broadcast error)."""
    B, H, _ = x.shape
    F, K, _ = filters.shape
    O = dout.shape[1]
    xe = np.pad(x, ((0, 0), (0, K + s * O), (0, K + s * O)))
    dxe = np.zeros(xe.shape)
    dF = np.zeros(filters.shape)
    for n in range(B):
        for i in range(O):
            for j in range(O):
                for f in range(F):
                    g = dout[n, i, j, f]
                    dF[f] += g * xe[n, i * s:i * s + K, j * s:j * s + K]
                    dxe[n, i * s:i * s + K, j * s:j * s + K] += g * filters[f]
    return dxe[:, :H, :H], dF


def article_per_sample_update(x, filters, biases, dout, s, p, alpha):
    """The article's backward with the SGD step inside the loop over samples."""
    B, H, _ = x.shape
    F, K, _ = filters.shape
    O = dout.shape[1]
    filters = filters.copy()
    biases = biases.copy()
    xp = np.pad(x, ((0, 0), (p, p), (p, p)))
    dX = np.zeros((B, H + 2 * p, H + 2 * p))
    for n in range(B):
        dF = np.zeros(filters.shape)
        db = np.zeros(biases.shape)
        for i in range(O):
            for j in range(O):
                for f in range(F):
                    g = dout[n, i, j, f]
                    dF[f] += g * xp[n, i * s:i * s + K, j * s:j * s + K]
                    dX[n, i * s:i * s + K, j * s:j * s + K] += g * filters[f]
                    db[f] += g
        filters -= alpha * dF
        biases -= alpha * db
    return dX[:, p:p + H, p:p + H]


def article_bugs(sc):
    """Scenario D: the article's layer in small — one channel, square, padding 1, batch 3,
    tensors channels last ([B, O, O, F] output, as the article writes it)."""
    x, w, b, dy = sc["x"], sc["w"], sc["b"], sc["dy"]
    y, dx, dw, db = correct(sc)
    s, p = sc["stride"][0], sc["padding"][0]
    x3, f3 = x[:, 0], w[:, 0]
    dout = nhwc(dy)
    add(sc, None, {"y": nhwc(y), "dx": dx[:, 0], "dw": dw[:, 0], "db": db},
        layout="nhwc", expect_exit=0)
    add(sc, "article-loops", {"y": article_forward(x3, f3, b, s, p, True, True)}, layout="nhwc")
    add(sc, "article-forward", {"y": article_forward(x3, f3, b, s, p, True, False)}, layout="nhwc")
    add(sc, "bias-missing", {"y": article_forward(x3, f3, b, s, p, False, False)}, layout="nhwc",
        name="article-bias-missing")
    adx, adw = article_backward_unpadded(x3, f3, dout, s, p)
    add(sc, "article-backward-unpadded", {"dx": adx, "dw": adw, "db": db}, layout="nhwc",
        allow=["padding-at-end"])
    add(sc, "article-per-sample-update",
        {"dx": article_per_sample_update(x3, f3, b, dout, s, p, sc["lr"]), "dw": dw[:, 0], "db": db},
        layout="nhwc")
    add(sc, "db-wrong-axes", {"db": dout.sum(axis=(0, 2, 3))}, layout="nhwc",
        name="db-wrong-axes-nhwc")
    # the article's demo feeds the output back as the gradient (dOut = out): with its forward
    # bugs, a correct backward pass inherits them
    yb = article_forward(x3, f3, b, s, p, True, False)
    L = correct_layer(sc)
    gdx, gdw, gdb, _ = L.backward(x, w, nhwc_to_nchw(yb))
    add(sc, "backward-from-your-y", {"y": yb, "dx": gdx[:, 0], "dw": gdw[:, 0], "db": gdb},
        layout="nhwc", gradient="output", allow=["article-forward"])


def nhwc_to_nchw(a):
    return a.transpose(0, 3, 1, 2)


def no_fit(sc):
    """Scenario E: a 5×5 filter on a 3×3 input, stride 2, no padding: no window fits, and the
    article's int((3 - 5 + 0)/2 + 1) = int(0.0) = 0 gives an empty output instead of an error."""
    B, H = sc["x"].shape[0], sc["x"].shape[2]
    K, F, s = sc["w"].shape[2], sc["w"].shape[0], sc["stride"][0]
    O = int((H - K + 0) / s + 1)
    assert O == 0
    add(sc, "article-int-output-size", {"y": np.zeros((B, O, O, F))}, layout="nhwc")


def symmetric_blind_spots(sc):
    """Scenario F: small integers and a kernel symmetric under a 180° turn and a transpose:
    a flipped or transposed kernel gives the right numbers, so only the bias bug shows."""
    y, dx, dw, db = correct(sc)
    add(sc, "bias-missing", {"y": y - sc["b"][None, :, None, None]}, name="bias-missing-exact")
    add(sc, None, {"y": y, "dx": dx, "dw": dw}, expect_exit=0)


def float32_layer(sc):
    """Scenario G: a layer with many terms per output computed in float32 by NumPy — correct
    numbers that differ from the float64 ones by float32 rounding, which must pass."""
    x, w, b, dy = (sc[k].astype(np.float32) for k in ["x", "w", "b", "dy"])
    L = correct_layer(sc)
    xp = np.pad(x, ((0, 0), (0, 0), (2, 2), (2, 2)))
    oh, ow = dy.shape[2:]
    y = np.zeros((x.shape[0], w.shape[0], oh, ow), dtype=np.float32)
    for p in range(w.shape[2]):
        for q in range(w.shape[3]):
            rows, cols = L.taps(p, q, oh, ow)
            y += np.einsum("ncij,fc->nfij", xp[:, :, rows, cols], w[:, :, p, q]).astype(np.float32)
    y += b[None, :, None, None]
    add(sc, None, {"y": y}, expect_exit=0, name="float32")


def group_correct(sc):
    L = group_layer(sc)
    y = L.forward(sc["x"], sc["w"], sc["b"])
    dx, dw, db, _ = L.backward(sc["x"], sc["w"], sc["dy"])
    return y, dx, dw, db


def group_padding_bugs(sc, extra=True):
    """Scenarios H, I, J: grouped and copy-padded layers (issue 15). Their own mistakes — the
    groups ignored or misassigned, the padding mode swapped for another or for zeros, the
    gradient of the copies dropped — and (`extra`) older mistakes applied to such a layer."""
    x, w, b, dy = sc["x"], sc["w"], sc["b"], sc["dy"]
    mode = sc.get("padding_mode", "zeros")
    groups = sc.get("groups", 1)
    L = group_layer(sc)
    y, dx, dw, db = group_correct(sc)
    N, C, H, W = x.shape
    F, CG, KH, KW = w.shape
    add(sc, None, {"y": y, "dx": dx, "dw": dw, "db": db}, expect_exit=0)

    def run(layer, ww=w):
        ldx, ldw, _, _ = layer.backward(x, ww, dy)
        return layer.forward(x, ww, b), ldx, ldw

    if groups > 1:
        # the channel loop runs over range(C/G) from channel 0 whatever the filter's group
        fy, fdx, fdw = run(group_layer(sc, "first"))
        add(sc, "groups-first-group", {"y": fy, "dx": fdx, "dw": fdw, "db": db})
        if F // groups > 1:
            iy, idx_, idw = run(group_layer(sc, "interleaved"))
            add(sc, "groups-interleaved", {"y": iy, "dx": idx_, "dw": idw, "db": db})
        # a plain convolution with block-diagonal weights: y and dx right, dw [F, C, KH, KW]
        full = np.zeros((F, C, KH, KW))
        chan = group_channels(F, C, groups)
        for f in range(F):
            full[f, chan[f]] = w[f]
        _, gdw, _, _ = group_layer(sc, "all").backward(x, full, dy)
        add(sc, "groups-ignored", {"y": y, "dx": dx, "dw": gdw, "db": db})
    if mode != "zeros":
        zy, zdx, zdw = run(group_layer(sc, mode="constant"))
        add(sc, "padding-mode-ignored", {"y": zy, "dx": zdx, "dw": zdw},
            detail="padding_mode is " + mode)
        # the right forward pass; dx the middle of the padded gradient, the copies' dropped
        add(sc, "padding-gradient-not-folded", {"y": y, "dx": zdx, "dw": dw, "db": db})
    if mode == "reflect":
        ry, rdx, rdw = run(group_layer(sc, mode="edge"))
        add(sc, "reflect-as-replicate", {"y": ry, "dx": rdx, "dw": rdw})
    if mode == "replicate":
        ry, rdx, rdw = run(group_layer(sc, mode="reflect"))
        add(sc, "replicate-as-reflect", {"y": ry, "dx": rdx, "dw": rdw})
    if not extra:
        return
    # older mistakes, applied to this layer (groups and padding mode kept)
    wf = w[:, :, ::-1, ::-1]
    kdx, kdw, _, _ = L.backward(x, wf, dy)
    add(sc, "kernel-flipped", {"y": L.forward(x, wf, b), "dx": kdx, "dw": kdw[:, :, ::-1, ::-1],
                               "db": db}, name="kernel-flipped")
    add(sc, "bias-missing", {"y": y - b[None, :, None, None]})
    add(sc, "padding-ignored", {"y": group_layer(sc, pad=(0, 0)).forward(x, w, b)})
    if CG > 1:
        ws = w.transpose(0, 2, 3, 1).reshape(F, CG, KH, KW)
        wsdx, _, _, _ = L.backward(x, ws, dy)
        add(sc, "weights-channels-last", {"y": L.forward(x, ws, b), "dx": wsdx})
    _, _, _, dxp = L.backward(x, w, dy)
    add(sc, "dx-not-cropped", {"dx": dxp, "dw": dw, "db": db})
    _, ldw, ldb, _ = L.backward(x[-1:], w, dy[-1:])
    add(sc, "last-sample-only", {"dx": dx, "dw": ldw, "db": ldb})


def main():
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    os.makedirs(OUT)
    a = scenario("A", 2, 2, 6, 7, 3, (3, 3), (1, 1), (1, 1), (1, 1), 0.1, seed=1)
    main_scenario_bugs(a)
    unnamed_mistakes(a)
    stride_bugs(scenario("B", 2, 2, 7, 8, 2, (3, 3), (2, 2), (1, 1), (1, 1), 0.1, seed=2))
    dilation_bugs(scenario("C", 1, 2, 7, 8, 2, (3, 3), (1, 1), (2, 2), (2, 2), 0.1, seed=3))
    article_bugs(scenario("D", 3, 1, 6, 6, 2, (3, 3), (1, 1), (1, 1), (1, 1), 0.1, seed=4))
    no_fit(scenario("E", 1, 1, 3, 3, 1, (5, 5), (2, 2), (0, 0), (1, 1), 0.1, seed=5))
    f = scenario("F", 1, 1, 5, 5, 1, (3, 3), (1, 1), (1, 1), (1, 1), 0.1, seed=6, integers=True)
    f["w"] = np.array([[[[1.0, 2.0, 1.0], [2.0, 4.0, 2.0], [1.0, 2.0, 1.0]]]])
    f["b"] = np.array([2.0])
    rewrite_scenario(f)
    symmetric_blind_spots(f)
    float32_layer(scenario("G", 2, 8, 12, 12, 4, (5, 5), (1, 1), (2, 2), (1, 1), 0.1, seed=7))
    # issue 15: two groups of two filters with reflect padding; depthwise (multiplier 2) with
    # replicate padding 2 and stride 2; circular padding of other widths per axis
    group_padding_bugs(scenario("H", 2, 4, 6, 7, 4, (3, 3), (1, 1), (1, 1), (1, 1), 0.1, seed=8,
                                groups=2, padding_mode="reflect"))
    group_padding_bugs(scenario("I", 2, 3, 5, 6, 6, (3, 3), (2, 2), (2, 2), (1, 1), 0.1, seed=9,
                                groups=3, padding_mode="replicate"), extra=False)
    group_padding_bugs(scenario("J", 1, 2, 5, 6, 3, (3, 3), (1, 1), (1, 2), (1, 1), 0.1, seed=10,
                                padding_mode="circular"), extra=False)
    with open(os.path.join(OUT, "manifest.json"), "w") as fh:
        json.dump({"scenarios": scenarios, "cases": cases}, fh, indent=1, sort_keys=True)
        fh.write("\n")
    print(f"wrote {len(cases)} cases over {len(scenarios)} scenarios to {OUT}")


def rewrite_scenario(sc):
    """Writes a scenario again after its tensors were replaced."""
    name = sc["name"]
    path = os.path.join(OUT, name, "case.json")
    with open(path) as fh:
        case = json.load(fh)
    for key in ["w", "b"]:
        case[key] = sc[key].ravel().tolist()
        case["shapes"][key] = list(sc[key].shape)
        save(rel(name, key + ".npy"), sc[key])
    with open(path, "w") as fh:
        json.dump(case, fh)


if __name__ == "__main__":
    main()
