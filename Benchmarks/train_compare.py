#!/usr/bin/env python3
"""Train the same network on the digits with convscope and with PyTorch, and compare.

Run by hand (not in CI), from the repository root, after `swift build -c release`:

    python3 Benchmarks/train_compare.py [--net nets/digits.net] [--epochs 10] [--rounds 3]
                                        [--convscope .build/release/convscope]

What is the same on both sides:
  - the network (the .net file, turned into an nn.Sequential here);
  - the first weights: convscope draws them (He, --seed) and writes them with
    `convscope train --epochs 0 --save init.npz`; PyTorch loads that file with load_state_dict
    (the names are nn.Sequential's: 0.weight, 0.bias, ...);
  - the data: the built-in digits, read here from assets/datasets/digits.csv.gz with the same
    fixed split (test = images whose index % 5 == 4) and scaling (value / 16);
  - the mini-batch order: convscope's run writes every step's images (`--log-steps`), and
    PyTorch takes the same batches in the same order;
  - torch.optim.SGD with the same lr, momentum and weight decay; float32 on both sides.

What it checks and prints:
  1. the per-step losses of the first 100 steps (they must agree to float32 noise: the largest
     relative difference is printed, and a difference over 1e-3 fails the run). Both are also
     compared with PyTorch in float64 from the same start on the same batches, the trajectory
     both float32 runs approximate: float32 noise can tip a ReLU or a max-pool's choice and send
     one float32 run onto a path of its own (nets/deeper.net does so within 100 steps), and then
     the run that stays within 1e-3 of float64 passes;
  2. the final test accuracy of each (within 0.5 points of PyTorch's, in float32 or float64);
  3. the time per epoch of each on 1 and on 2 threads: convscope's from `train --json`
     (the epochs' "seconds": the training steps, not the test evaluation), PyTorch's from the
     same loop timed here (batch gathering, forward, loss, backward, step). Every figure is the
     median over the epochs of a run, and the best of --rounds interleaved rounds (the machine
     is shared). The ratio is PyTorch's time / convscope's: above 1, convscope is faster.

PyTorch runs in a subprocess per thread count (torch.set_num_threads before any work).
PyTorch is only for this benchmark: never a build or test dependency.
"""

import argparse
import gzip
import json
import os
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DIGITS = os.path.join(ROOT, "assets", "datasets", "digits.csv.gz")


# MARK: - The network file

def parse_net(path):
    """The .net file's layers as (keyword, options) tuples (the syntax of README's section)."""
    layers = []
    for line in open(path, encoding="utf-8"):
        words = line.split("#", 1)[0].split()
        if not words or words[0] == "input":
            continue
        kind, rest = words[0], words[1:]
        if kind == "conv":
            opts = dict(zip(rest[2::2], rest[3::2]))
            layers.append(("conv", dict(f=int(rest[0]), k=size(rest[1]), **opts)))
        elif kind == "maxpool":
            opts = dict(zip(rest[1::2], rest[2::2]))
            layers.append(("maxpool", dict(k=size(rest[0]), **opts)))
        elif kind == "linear":
            layers.append(("linear", dict(n=int(rest[0]))))
        else:
            layers.append((kind, {}))
    return layers


def size(text):
    parts = text.replace("×", "x").split("x")
    return (int(parts[0]), int(parts[-1]))


def sequential(layers, shape):
    import torch
    import torch.nn as nn

    modules = []
    for kind, o in layers:
        if kind == "conv":
            m = nn.Conv2d(shape[1], o["f"], o["k"], stride=size(o.get("stride", "1")),
                          padding=size(o.get("pad", "0")),
                          dilation=size(o.get("dilation", "1")),
                          groups=int(o.get("groups", "1")),
                          padding_mode=o.get("padding-mode", "zeros"))
        elif kind == "maxpool":
            m = nn.MaxPool2d(o["k"], stride=size(o["stride"]) if "stride" in o else o["k"],
                             padding=size(o.get("pad", "0")))
        elif kind == "linear":
            m = nn.Linear(shape[1], o["n"])
        elif kind == "relu":
            m = nn.ReLU()
        else:
            m = nn.Flatten()
        modules.append(m)
        with torch.no_grad():
            shape = list(m(torch.zeros(shape)).shape)
    return nn.Sequential(*modules)


# MARK: - The data

def digits():
    """(x_train, y_train, x_test, y_test) as convscope's built-in digits: value / 16, split by
    index % 5 == 4."""
    import numpy as np

    with gzip.open(DIGITS, "rt") as f:
        rows = np.loadtxt(f, delimiter=",")
    x = (rows[:, :64] / 16).astype(np.float32).reshape(-1, 1, 8, 8)
    y = rows[:, 64].astype(np.int64)
    test = np.arange(len(y)) % 5 == 4
    return x[~test], y[~test], x[test], y[test]


# MARK: - PyTorch's side (run in a subprocess)

def torch_run(config):
    """Trains with PyTorch on the logged batches; returns per-step losses, epoch times and the
    final test accuracy."""
    import time

    import numpy as np
    import torch
    import torch.nn.functional as F

    torch.set_num_threads(config["threads"])
    x, y, xt, yt = (torch.from_numpy(a) for a in digits())
    net = sequential(parse_net(config["net"]), [1] + list(x.shape[1:]))
    init = np.load(config["init"])
    net.load_state_dict({k: torch.from_numpy(init[k]) for k in init.files})
    if config.get("float64"):
        # The reference trajectory: the same start, computed in float64.
        net, x, xt = net.double(), x.double(), xt.double()
    opt = torch.optim.SGD(net.parameters(), lr=config["lr"], momentum=config["momentum"],
                          weight_decay=config["weight_decay"])
    steps = [json.loads(line) for line in open(config["log"])]
    losses, epoch_seconds = [], []
    epochs = max(s["epoch"] for s in steps)
    for e in range(1, epochs + 1):
        batches = [torch.tensor(s["indices"]) for s in steps if s["epoch"] == e]
        start = time.perf_counter()
        for idx in batches:
            opt.zero_grad()
            loss = F.cross_entropy(net(x[idx]), y[idx])
            loss.backward()
            opt.step()
            losses.append(loss.item())
        epoch_seconds.append(time.perf_counter() - start)
    with torch.no_grad():
        accuracy = (net(xt).argmax(1) == yt).float().mean().item()
    return {"losses": losses, "seconds": epoch_seconds, "test_accuracy": accuracy,
            "torch": torch.__version__}


# MARK: - convscope's side

def convscope(args, extra):
    out = subprocess.run([args.convscope, "train", "--net", args.net, "--epochs", str(args.epochs),
                          "--seed", str(args.seed), "--lr", str(args.lr),
                          "--momentum", str(args.momentum),
                          "--weight-decay", str(args.weight_decay), "--json"] + extra,
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--convscope", default=os.path.join(ROOT, ".build", "release", "convscope"))
    p.add_argument("--net", default=os.path.join(ROOT, "nets", "digits.net"))
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--lr", type=float, default=0.05)
    p.add_argument("--momentum", type=float, default=0.9)
    p.add_argument("--weight-decay", type=float, default=0.0)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--torch-run", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.torch_run:
        print(json.dumps(torch_run(json.loads(args.torch_run))))
        return

    work = tempfile.mkdtemp(prefix="train_compare.")
    init, log = os.path.join(work, "init.npz"), os.path.join(work, "steps.jsonl")
    convscope(args, ["--epochs", "0", "--save", init])
    reference = convscope(args, ["--log-steps", log, "--threads", "1"])
    base = {"net": args.net, "init": init, "log": log, "lr": args.lr,
            "momentum": args.momentum, "weight_decay": args.weight_decay}
    logged = [json.loads(line)["loss"] for line in open(log)]

    times = {("convscope", t): [] for t in (1, 2)} | {("torch", t): [] for t in (1, 2)}
    torch_result = None
    for _ in range(args.rounds):
        for t in (1, 2):
            run = convscope(args, ["--threads", str(t)])
            times[("convscope", t)].append(statistics.median(e["seconds"] for e in run["epochs"]))
            out = subprocess.run([sys.executable, __file__, "--torch-run",
                                  json.dumps(base | {"threads": t})],
                                 check=True, capture_output=True, text=True)
            torch_result = json.loads(out.stdout)
            times[("torch", t)].append(statistics.median(torch_result["seconds"]))

    out = subprocess.run([sys.executable, __file__, "--torch-run",
                          json.dumps(base | {"threads": 1, "float64": True})],
                         check=True, capture_output=True, text=True)
    exact = json.loads(out.stdout)

    def worst(a, b):
        d = [abs(p - q) / max(1e-6, abs(q)) for p, q in zip(a[:n], b[:n])]
        return max(d), d.index(max(d)) + 1

    n = min(100, len(logged))
    diffs = [abs(a - b) / max(1e-6, abs(b)) for a, b in zip(logged[:n], torch_result["losses"][:n])]
    ours = reference["final"]["test_accuracy"] * 100
    theirs = torch_result["test_accuracy"] * 100
    exact_accuracy = exact["test_accuracy"] * 100
    print(f"network {os.path.relpath(args.net, ROOT)}, {reference['parameters']} parameters; "
          f"digits {reference['train_images']} train / {reference['test_images']} test; "
          f"{args.epochs} epochs of batches of {reference['batch']}; lr {args.lr}, momentum "
          f"{args.momentum}, weight decay {args.weight_decay}; PyTorch {torch_result['torch']}")
    print(f"per-step loss, first {n} steps: largest relative difference {max(diffs):.2e} "
          f"(step {diffs.index(max(diffs)) + 1}); first losses convscope "
          f"{logged[0]:.6f} / PyTorch {torch_result['losses'][0]:.6f}")
    ours64, at64 = worst(logged, exact["losses"])
    torch64, torch_at64 = worst(torch_result["losses"], exact["losses"])
    print(f"against PyTorch in float64 (the same start and batches): convscope {ours64:.2e} "
          f"(step {at64}), PyTorch float32 {torch64:.2e} (step {torch_at64})")
    print(f"final test accuracy: convscope {ours:.2f}%, PyTorch {theirs:.2f}% "
          f"(difference {abs(ours - theirs):.2f} points), PyTorch float64 {exact_accuracy:.2f}%")
    print()
    print("threads | convscope s/epoch | PyTorch s/epoch | ratio (PyTorch / convscope)")
    for t in (1, 2):
        c, q = min(times[("convscope", t)]), min(times[("torch", t)])
        print(f"{t:7} | {c * 1000:14.2f} ms | {q * 1000:12.2f} ms | {q / c:6.2f}x")
    # float32 noise can tip a ReLU or a max-pool's choice and send one float32 run onto another
    # path: then the run that stays on the float64 trajectory is the one that agrees.
    ok = (max(diffs) <= 1e-3 or ours64 <= 1e-3) and \
        min(abs(ours - theirs), abs(ours - exact_accuracy)) <= 0.5
    print("\nagreement:", "ok" if ok else "FAILED")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
