#!/usr/bin/env python3
"""Writes Tests/Fixtures/transposed-bugs/: a user's y, dx, dw, db for transposed convolutions
(conv_transpose2d cases of Tests/Fixtures/torch-cases and conv-vectors) made with each typical
mistake, and manifest.json, which says which mistake `convscope check` must name for each.

Each mistake is written the way a user's code would make it, with PyTorch in float64 and its
gradients by autograd (the loss L = sum(y * dy) on the output the mistaken layer has), so the
gradients are those of the mistaken layer and owe nothing to convscope's own definitions:
- kernel-not-flipped: conv_arithmetic's form literally (zeros inserted between the input's cells,
  d*(K-1)-p padding around, output_padding more at the bottom and right, then F.conv2d at stride
  1) with w's channel axes swapped but its kernels NOT turned 180 degrees;
- op-forgotten[-zeros|-bias]: F.conv_transpose2d without output_padding (y smaller), or that y
  put in the corner of the full shape with zeros or the bias in the missing rows and columns;
- padding-not-cropped: the full scatter (F.conv_transpose2d with padding 0), y only;
- groups-ignored: every output channel f sums every input channel c through w[c, f % (F/G)];
- channels-swapped: w's data read as [F, C/G, KH, KW] (conv2d's order).
The values are saved as float32, as a user's code would. PyTorch only makes these files: the
Swift tests (Tests/CLITests/TransposedCheckCommandTests.swift) read them and never run Python.

Run from the repository root (needs torch and numpy), commit the output with this script:
    python3 scripts/make_transposed_bug_fixtures.py
"""

import json
import os
import shutil

import numpy as np
import torch
import torch.nn.functional as F

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "Fixtures", "transposed-bugs")
CASES = [
    "torch-cases/torch_convT_s2x3_g2_op0x2.json",
    "torch-cases/torch_convT_d2x3_op1x2_s1.json",
    "torch-cases/torch_convT_s3x2_d2x1_g2_op2x1.json",
    "conv-vectors/convT_s2_p1_op1.json",
]


def load(relative):
    with open(os.path.join(ROOT, "Tests", "Fixtures", relative)) as f:
        case = json.load(f)
    t = {k: torch.tensor(np.array(case[k], dtype=np.float32).reshape(case["shapes"][k]),
                         dtype=torch.float64) for k in ["x", "w", "b", "dy"]}
    p = case["params"]
    return t, {k: tuple(p[k]) for k in ["stride", "padding", "output_padding", "dilation"]} | {
        "groups": p["groups"]}


def correct(x, w, b, p):
    return F.conv_transpose2d(x, w, b, stride=p["stride"], padding=p["padding"],
                              output_padding=p["output_padding"], groups=p["groups"],
                              dilation=p["dilation"])


def not_flipped(x, w, b, p):
    """conv_arithmetic's zero-insertion form, the kernel not turned."""
    n, c, h, wd = x.shape
    g = p["groups"]
    fg, kh, kw = w.shape[1], w.shape[2], w.shape[3]
    (sh, sw), (ph, pw), (oph, opw), (dh, dw) = (p["stride"], p["padding"], p["output_padding"],
                                                p["dilation"])
    lh, lw = dh * (kh - 1) - ph, dw * (kw - 1) - pw
    # zeros inserted, then the lead and trail (negative: cropped)
    z = x.new_zeros(n, c, (h - 1) * sh + 1, (wd - 1) * sw + 1)
    z[:, :, ::sh, ::sw] = x
    z = F.pad(z, (lw, lw + opw, lh, lh + oph))
    # [C, F/G] -> [F, C/G] per group, NOT flipped
    cg = c // g
    wc = torch.cat([w[gi * cg:(gi + 1) * cg].transpose(0, 1) for gi in range(g)], dim=0)
    return F.conv2d(z, wc, b, dilation=(dh, dw), groups=g)


def op_forgotten(fill):
    def layer(x, w, b, p):
        q = dict(p, output_padding=(0, 0))
        small = correct(x, w, b, q)
        if fill is None:
            return small
        full = correct(x.detach(), w.detach(), b.detach(), p).shape
        base = torch.zeros(full, dtype=x.dtype)
        if fill == "bias":
            base = base + b.detach()[None, :, None, None]
        out = base.clone()
        out[:, :, :small.shape[2], :small.shape[3]] = small
        return out
    return layer


def padding_not_cropped(x, w, b, p):
    return correct(x, w, b, dict(p, padding=(0, 0)))


def groups_ignored(x, w, b, p):
    c = x.shape[1]
    fg = w.shape[1]
    f = fg * p["groups"]
    q = dict(p, groups=1)
    outs = []
    for fi in range(f):
        # output f: every input channel c through its kernel w[c, f % FG]
        outs.append(correct(x, w[:, fi % fg:fi % fg + 1], b[fi:fi + 1], q))
    return torch.cat(outs, dim=1)


def channels_swapped(x, w, b, p):
    c = x.shape[1]
    g = p["groups"]
    cg, fg = c // g, w.shape[1]
    as_conv2d = w.reshape(fg * g, cg, w.shape[2], w.shape[3])  # w's data read as [F, C/G, ...]
    used = torch.stack([
        torch.stack([as_conv2d[ci // cg * fg + fl, ci % cg] for fl in range(fg)])
        for ci in range(c)])
    return correct(x, used, b, p)


MISTAKES = {
    "correct": (correct, None),
    "kernel-not-flipped": (not_flipped, "transposed-kernel-not-flipped"),
    "op-forgotten": (op_forgotten(None), "transposed-output-padding-forgotten"),
    "op-forgotten-zeros": (op_forgotten("zeros"), "transposed-output-padding-forgotten"),
    "op-forgotten-bias": (op_forgotten("bias"), "transposed-output-padding-forgotten"),
    "padding-not-cropped": (padding_not_cropped, "transposed-padding-not-cropped"),
    "groups-ignored": (groups_ignored, "transposed-groups-ignored"),
    "channels-swapped": (channels_swapped, "transposed-channels-swapped"),
}


def applies(name, x, w, p):
    g = p["groups"]
    if name.startswith("op-forgotten"):
        return p["output_padding"] != (0, 0)
    if name == "padding-not-cropped":
        return p["padding"] != (0, 0)
    if name == "groups-ignored":
        return g > 1
    if name == "channels-swapped":
        return x.shape[1] // g > 1 and w.shape[1] > 1
    if name == "kernel-not-flipped":
        return w.shape[2] * w.shape[3] > 1
    return True


def run(layer, t, p):
    x, w, b = (t[k].clone().requires_grad_() for k in ["x", "w", "b"])
    y = layer(x, w, b, p)
    dy = t["dy"][:, :, :y.shape[2], :y.shape[3]]  # the part of dy the output has
    (y * dy).sum().backward()
    return {"y": y.detach(), "dx": x.grad, "dw": w.grad, "db": b.grad}


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    manifest = []
    for relative in CASES:
        t, p = load(relative)
        reference = run(correct, t, p)
        ref_module = torch.nn.ConvTranspose2d(
            t["x"].shape[1], t["w"].shape[1] * p["groups"], tuple(t["w"].shape[2:]),
            stride=p["stride"], padding=p["padding"], output_padding=p["output_padding"],
            groups=p["groups"], dilation=p["dilation"], dtype=torch.float64)
        with torch.no_grad():
            ref_module.weight.copy_(t["w"])
            ref_module.bias.copy_(t["b"])
            assert torch.allclose(ref_module(t["x"]), reference["y"])
        stem = os.path.splitext(os.path.basename(relative))[0]
        for name, (layer, expect) in MISTAKES.items():
            if not applies(name, t["x"], t["w"], p):
                continue
            if name == "padding-not-cropped":
                # a forward mistake (y larger than dy): the user's y only
                tensors = {"y": layer(t["x"], t["w"], t["b"], p)}
            else:
                tensors = run(layer, t, p)
            if name == "kernel-not-flipped":
                assert tensors["y"].shape == reference["y"].shape
            folder = os.path.join(OUT, stem, name)
            os.makedirs(folder)
            for k, v in tensors.items():
                np.save(os.path.join(folder, k + ".npy"), v.numpy().astype(np.float32))
            manifest.append({"case": relative, "folder": f"{stem}/{name}", "expect": expect,
                             "tensors": sorted(tensors)})
    with open(os.path.join(OUT, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")
    print(f"wrote {len(manifest)} fixtures to {OUT}")


if __name__ == "__main__":
    main()
