#!/usr/bin/env python3
"""Writes Tests/Fixtures/train-cases/: a few steps of mini-batch SGD (momentum, weight decay)
taken by PyTorch's torch.optim.SGD on small networks, so that the Swift tests can hold
convscope's optimiser and trainer to it step for step.

Each file is a conv-vectors "network" case (the network's first weights, "x" the whole training
set, "target" its labels; see scripts/make_net_fixtures.py, whose builder it reuses) plus:
  "sgd":   {"lr", "momentum", "weight_decay"}
  "steps": [{"indices": the batch's images, "loss": its mean loss before the update,
             "params": [{"w", "b"} after the update, for each layer with weights]}]
Training is in float32, as PyTorch trains by default and as convscope does: the weights are
rounded to float32 first, so both sides start from the same bits.

PyTorch is only for making fixtures, never a build or test dependency. Run once from the
repository root and commit the output with this script:
    python3 scripts/make_train_fixtures.py
"""

import json
import os
import shutil
import sys

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_net_fixtures as nets  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "Fixtures", "train-cases")

# name, description, x shape (the whole set), layers, lr, momentum, weight decay, batch, steps.
CASES = [
    ("train_momentum_decay",
     "conv(1->3,3x3,p1) relu maxpool2 flatten linear(->4); 10 images, batches of 4, "
     "lr 0.1, momentum 0.9, weight decay 0.01, 6 steps",
     [10, 1, 6, 6],
     [nets.conv(3, 3, padding=1), nets.RELU, nets.pool(2), nets.FLAT, nets.linear(4)],
     0.1, 0.9, 0.01, 4, 6),
    ("train_plain_sgd",
     "conv(2->4,3x3,s2,p1) relu flatten linear(->3); 7 images, batches of 3, lr 0.05, "
     "no momentum, no decay, 5 steps",
     [7, 2, 5, 5],
     [nets.conv(4, 3, stride=2, padding=1), nets.RELU, nets.FLAT, nets.linear(3)],
     0.05, 0.0, 0.0, 3, 5),
]


def params(net):
    out = []
    for m in net:
        if hasattr(m, "weight") and m.weight is not None:
            out.append({"w": nets.flat(m.weight), "b": nets.flat(m.bias)})
    return out


def make(number, name, description, x_shape, layers, lr, momentum, decay, batch, steps):
    rng = np.random.default_rng(2000 + number)
    torch.set_default_dtype(torch.float64)
    net, specs = nets.build(layers, x_shape, rng)
    net = net.float()
    x = torch.from_numpy(rng.standard_normal(x_shape)).float()
    logits = net(x[:1])
    target = torch.from_numpy(rng.integers(0, logits.shape[1], size=x_shape[0]))
    logits.sum().backward()  # layer_json also writes gradients; they are dropped below
    first = [nets.layer_json(k, p, m) for k, p, m in specs]
    for layer in first:
        layer.pop("expected", None)
    opt = torch.optim.SGD(net.parameters(), lr=lr, momentum=momentum, weight_decay=decay)
    order = rng.permutation(x_shape[0]).tolist()
    records = []
    for s in range(steps):
        start = (s * batch) % x_shape[0]
        indices = (order + order)[start:start + batch]
        opt.zero_grad()
        loss = F.cross_entropy(net(x[indices]), target[indices])
        loss.backward()
        opt.step()
        records.append({"indices": indices, "loss": float(loss.item()), "params": params(net)})
    return {
        "name": name, "op": "network", "description": description, "values": "normal",
        "exact_in_float32": False, "loss": "cross_entropy_mean", "layers": first,
        "shapes": {"x": list(x_shape)}, "x": nets.flat(x),
        "target": [int(t) for t in target.tolist()],
        "sgd": {"lr": lr, "momentum": momentum, "weight_decay": decay}, "steps": records,
    }


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(OUT)
    for number, case in enumerate(CASES):
        data = make(number, *case)
        with open(os.path.join(OUT, case[0] + ".json"), "w") as f:
            json.dump(data, f)
            f.write("\n")
    with open(os.path.join(OUT, "MANIFEST.md"), "w") as f:
        f.write("# PyTorch-made training steps\n\n"
                f"Written by `python3 scripts/make_train_fixtures.py` (PyTorch "
                f"{torch.__version__}, float32, torch.optim.SGD); do not edit by hand.\n\n")
        for case in CASES:
            f.write(f"- `{case[0]}`: {case[1]}.\n")


if __name__ == "__main__":
    main()
