#!/usr/bin/env python3
"""Writes Tests/Fixtures/net-cases/: small whole networks (conv2d, ReLU, max-pool, flatten,
linear) and their softmax cross-entropy, computed by PyTorch in float64, in the conv-vectors
"network" case format (Tests/Fixtures/conv-vectors/README.md, section "network"), and
MANIFEST.md, which lists the cases and proves that each layer kind, conv stride and padding, a
grouped and a padding-mode conv, batches > 1 and rectangular inputs are covered.

PyTorch is only for making these fixtures: it is never a build or test dependency. The files are
committed; the Swift tests (Tests/CLITests/NetworkComputeTests.swift,
Tests/ConvFormatsTests/NetworkCaseTests.swift) read them and never run Python.

Run once from the repository root (needs torch and numpy), commit the output with this script:
    python3 scripts/make_net_fixtures.py

Every case: x N(0,1) and weights N(0,1)·√(2/fan_in), biases N(0,0.1²), targets uniform, all from
NumPy's default_rng seeded with the case's number (a rerun writes the same bytes). The network
is an nn.Sequential in float64; the loss is F.cross_entropy (mean over the batch); dx and every
dw, db come from autograd. Values are full precision ("values": "normal").
"""

import json
import os
import shutil

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "Fixtures", "net-cases")


def conv(f, k, stride=1, padding=0, dilation=1, groups=1, mode="zeros"):
    return ("conv2d", dict(f=f, k=pair(k), stride=pair(stride), padding=pair(padding),
                           dilation=pair(dilation), groups=groups, mode=mode))


def pool(k, stride=None, padding=0):
    return ("maxpool2d", dict(k=pair(k), stride=pair(stride if stride is not None else k),
                              padding=pair(padding)))


def linear(out):
    return ("linear", dict(out=out))


RELU = ("relu", {})
FLAT = ("flatten", {})


def pair(v):
    return list(v) if isinstance(v, (tuple, list)) else [v, v]


# name, description, x shape, classes come from the last linear, layers.
CASES = [
    ("net_conv_pool_linear", "conv(1->3,3x3,p1) relu maxpool2 flatten linear(->4); batch 3",
     [3, 1, 6, 6], [conv(3, 3, padding=1), RELU, pool(2), FLAT, linear(4)]),
    ("net_stride_rect", "conv(2->4,3x2,s2x1,p1x0) relu flatten linear(->5); batch 2, 7x5 input",
     [2, 2, 7, 5], [conv(4, (3, 2), stride=(2, 1), padding=(1, 0)), RELU, FLAT, linear(5)]),
    ("net_groups_reflect",
     "conv(4->6,3x3,groups 2,p1 reflect) relu maxpool3 s2 p1, conv(6->3,1x1) relu flatten "
     "linear(->3); batch 2, 6x5 input",
     [2, 4, 6, 5], [conv(6, 3, padding=1, groups=2, mode="reflect"), RELU, pool(3, 2, 1),
                    conv(3, 1), RELU, FLAT, linear(3)]),
    ("net_dilation_circular",
     "conv(2->2,2x2,d2,p2x1 circular) relu maxpool 2x3 flatten linear(->6) relu linear(->3); "
     "batch 4, 5x8 input",
     [4, 2, 5, 8], [conv(2, 2, padding=(2, 1), dilation=2, mode="circular"), RELU,
                    pool((2, 3)), FLAT, linear(6), RELU, linear(3)]),
    ("net_depthwise_replicate",
     "depthwise conv(3->6,3x3,groups 3,s2,p1 replicate) relu flatten linear(->2); batch 2, "
     "5x7 input",
     [2, 3, 5, 7], [conv(6, 3, stride=2, padding=1, groups=3, mode="replicate"), RELU, FLAT,
                    linear(2)]),
    ("net_mlp", "flatten linear(->8) relu linear(->4): no conv; batch 5, 3x4 input",
     [5, 1, 3, 4], [FLAT, linear(8), RELU, linear(4)]),
    ("net_deeper",
     "conv(1->4,3x3,p1) relu conv(4->4,3x3,p1) relu maxpool2 conv(4->8,3x3,s2,p1) relu "
     "flatten linear(->10); batch 2, 8x8 input (digits-sized)",
     [2, 1, 8, 8], [conv(4, 3, padding=1), RELU, conv(4, 3, padding=1), RELU, pool(2),
                    conv(8, 3, stride=2, padding=1), RELU, FLAT, linear(10)]),
]


def build(layers, x_shape, rng):
    """The nn.Sequential (float64) with seeded weights, and each layer's JSON skeleton."""
    modules, specs = [], []
    shape = list(x_shape)
    for kind, p in layers:
        if kind == "conv2d":
            c = shape[1]
            m = nn.Conv2d(c, p["f"], p["k"], stride=p["stride"], padding=p["padding"],
                          dilation=p["dilation"], groups=p["groups"], padding_mode=p["mode"])
            fan_in = c // p["groups"] * p["k"][0] * p["k"][1]
        elif kind == "linear":
            m = nn.Linear(shape[1], p["out"])
            fan_in = shape[1]
        elif kind == "relu":
            m = nn.ReLU()
        elif kind == "maxpool2d":
            m = nn.MaxPool2d(p["k"], stride=p["stride"], padding=p["padding"])
        else:
            m = nn.Flatten()
        m = m.double()
        if kind in ("conv2d", "linear"):
            with torch.no_grad():
                m.weight.copy_(torch.from_numpy(
                    rng.standard_normal(tuple(m.weight.shape)) * np.sqrt(2.0 / fan_in)))
                m.bias.copy_(torch.from_numpy(rng.standard_normal(tuple(m.bias.shape)) * 0.1))
        modules.append(m)
        specs.append((kind, p, m))
        with torch.no_grad():
            shape = list(m(torch.zeros(shape, dtype=torch.float64)).shape)
    return nn.Sequential(*modules), specs


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def layer_json(kind, p, m):
    if kind == "conv2d":
        return {"type": "conv2d",
                "params": {"stride": p["stride"], "padding": p["padding"],
                           "dilation": p["dilation"], "groups": p["groups"],
                           "padding_mode": p["mode"]},
                "shapes": {"w": list(m.weight.shape), "b": list(m.bias.shape)},
                "w": flat(m.weight), "b": flat(m.bias),
                "expected": {"dw": flat(m.weight.grad), "db": flat(m.bias.grad)}}
    if kind == "linear":
        return {"type": "linear",
                "shapes": {"w": list(m.weight.shape), "b": list(m.bias.shape)},
                "w": flat(m.weight), "b": flat(m.bias),
                "expected": {"dw": flat(m.weight.grad), "db": flat(m.bias.grad)}}
    if kind == "maxpool2d":
        return {"type": "maxpool2d",
                "params": {"kernel": p["k"], "stride": p["stride"], "padding": p["padding"]}}
    return {"type": kind}


def make(number, name, description, x_shape, layers):
    rng = np.random.default_rng(1000 + number)
    net, specs = build(layers, x_shape, rng)
    x = torch.from_numpy(rng.standard_normal(x_shape)).requires_grad_(True)
    logits = net(x)
    classes = logits.shape[1]
    target = torch.from_numpy(rng.integers(0, classes, size=x_shape[0]))
    loss = F.cross_entropy(logits, target)
    loss.backward()
    assert torch.isfinite(loss) and loss.item() > 0
    return {
        "name": name, "op": "network", "description": description, "values": "normal",
        "exact_in_float32": False, "loss": "cross_entropy_mean",
        "layers": [layer_json(k, p, m) for k, p, m in specs],
        "shapes": {"x": list(x_shape), "logits": list(logits.shape), "dx": list(x_shape)},
        "x": flat(x), "target": [int(t) for t in target.tolist()],
        "logits": flat(logits), "loss_value": float(loss.item()), "dx": flat(x.grad),
    }


def coverage(cases):
    """What each case covers, and the check that everything is covered at least once."""
    rows, seen = [], set()
    for name, _, x_shape, layers in cases:
        tags = {kind for kind, _ in layers}
        if x_shape[0] > 1:
            tags.add("batch>1")
        if x_shape[2] != x_shape[3]:
            tags.add("H!=W")
        for kind, p in layers:
            if kind != "conv2d":
                continue
            for key, default in (("stride", [1, 1]), ("padding", [0, 0]), ("dilation", [1, 1])):
                if p[key] != default:
                    tags.add("conv " + key)
            if p["groups"] > 1:
                tags.add("conv groups")
            if p["mode"] != "zeros":
                tags.add("padding_mode=" + p["mode"])
        rows.append((name, sorted(tags)))
        seen |= tags
    needed = {"conv2d", "relu", "maxpool2d", "flatten", "linear", "batch>1", "H!=W",
              "conv stride", "conv padding", "conv dilation", "conv groups",
              "padding_mode=reflect", "padding_mode=replicate", "padding_mode=circular"}
    missing = needed - seen
    assert not missing, f"not covered: {missing}"
    return rows, sorted(needed)


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(OUT)
    torch.set_default_dtype(torch.float64)
    for number, (name, description, x_shape, layers) in enumerate(CASES):
        case = make(number, name, description, x_shape, layers)
        with open(os.path.join(OUT, name + ".json"), "w") as f:
            json.dump(case, f)
            f.write("\n")
    rows, needed = coverage(CASES)
    lines = [
        "# PyTorch-made network cases", "",
        f"Written by `python3 scripts/make_net_fixtures.py` (PyTorch {torch.__version__}, "
        "float64, nn.Sequential, F.cross_entropy, autograd); do not edit by hand. Format: the "
        "\"network\" section of `../conv-vectors/README.md`. Values are full precision "
        "(`\"values\": \"normal\"`): compare within 1e-4 relative in Float.", "",
        "## Cases", "",
    ]
    for (name, description, _, _), (_, tags) in zip(CASES, rows):
        lines.append(f"- `{name}`: {description}. Covers: {', '.join(tags)}.")
    lines += ["", "## Coverage", "",
              "Each of these is covered by at least one case (the script checks it): "
              + ", ".join(needed) + "."]
    with open(os.path.join(OUT, "MANIFEST.md"), "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
