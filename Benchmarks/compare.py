#!/usr/bin/env python3
"""Compare convscope's layer math with NumPy, PyTorch and onnxruntime, in one run.

Run by hand (not in CI), from the repository root, after `swift build -c release`:

    python3 Benchmarks/compare.py [--runs 25] [--kernels auto|avx2|avx512|portable]
                                  [--convscope .build/release/convscope]

It times forward, backward (dx, dw, db) and forward+backward of the two benchmark layers

    article: N=10, C=1, 32x32, F=16, 5x5, padding 2   (24.6 MFLOP forward+backward)
    large:   N=8, C=16, 64x64, F=32, 3x3, padding 1   (906 MFLOP forward+backward)

with NumPy (im2col + matmul), PyTorch CPU and onnxruntime when they import, and
`convscope bench --json`, each on 1 and on 2 threads, and prints the median times and the
speed ratio convscope/peer (= peer time / convscope time: above 1, convscope is faster). It also
times the article's program (forward, backward, SGD) as corrected Python loops, in the
article's own style (NumPy slices per window) and on plain lists, against `convscope bench`'s
`demo` entry, after checking that both loop versions agree with the NumPy version.

FLOP convention (the issue's): forward = 2*N*F*OH*OW*C*KH*KW; backward (dx and dw) = twice
that; db is not counted. Timings on a shared 2-core machine are noisy (+-40 %): compare only
figures from one run. Every figure is the median of --runs runs after warm-up; the tools run
in --rounds interleaved rounds and each figure is the best of its rounds' medians, so that a
burst of load from another process does not decide a comparison.

Each peer runs in its own subprocess so that its thread count is fixed before its libraries
load (OMP/OpenBLAS/MKL read their variables once).

Kernel sets: `--kernels SET` runs `convscope bench --kernels SET`. A processor without AVX-512
would hold the peers to AVX2 as well, so `--kernels avx2` also limits them, through variables set
in each peer's subprocess before its libraries load: NumPy's OpenBLAS `OPENBLAS_CORETYPE=Haswell`;
PyTorch `ATEN_CPU_CAPABILITY=avx2`, `ONEDNN_MAX_CPU_ISA=AVX2`, `MKL_ENABLE_INSTRUCTIONS=AVX2`.
Whether each took effect is asked of the library itself (OpenBLAS' core name, ATen's capability,
oneDNN's ISA line) and printed. onnxruntime has no such switch (MLAS picks its kernels from
CPUID), so on an AVX-512 processor it runs AVX-512 whatever the set, and the table says so.
`--kernels portable` limits the peers to SSE in the same way. `auto` and `avx512` force nothing.
"""

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time

LAYERS = {
    "article": dict(N=10, C=1, H=32, W=32, F=16, K=5, pad=2),
    "large": dict(N=8, C=16, H=64, W=64, F=32, K=3, pad=1),
}
PASSES = ["forward", "backward", "forward_backward"]
THREADS = [1, 2]

# The variables that hold each peer to a kernel set, set before its libraries load.
# onnxruntime has none: MLAS reads CPUID itself (onnxruntime/core/mlas/lib/platform.cpp).
PEER_FORCING = {
    "avx2": {
        "numpy": {"OPENBLAS_CORETYPE": "Haswell"},
        "torch": {"ATEN_CPU_CAPABILITY": "avx2", "ONEDNN_MAX_CPU_ISA": "AVX2",
                  "MKL_ENABLE_INSTRUCTIONS": "AVX2"},
    },
    "portable": {
        "numpy": {"OPENBLAS_CORETYPE": "Nehalem"},
        "torch": {"ATEN_CPU_CAPABILITY": "default", "ONEDNN_MAX_CPU_ISA": "SSE41",
                  "MKL_ENABLE_INSTRUCTIONS": "SSE4_2"},
    },
}


def out_size(L):
    return L["H"] + 2 * L["pad"] - L["K"] + 1


def forward_flop(L):
    o = out_size(L)
    return 2 * L["N"] * L["F"] * o * o * L["C"] * L["K"] * L["K"]


def data(L):
    """The same kind of data convscope bench uses: normal input, He-scaled weights."""
    import numpy as np

    rng = np.random.default_rng(0)
    o = out_size(L)
    x = rng.standard_normal((L["N"], L["C"], L["H"], L["W"]), dtype=np.float32)
    w = rng.standard_normal((L["F"], L["C"], L["K"], L["K"]), dtype=np.float32)
    w *= np.float32((2.0 / (L["C"] * L["K"] * L["K"])) ** 0.5)
    b = (0.1 * rng.standard_normal(L["F"])).astype(np.float32)
    dy = rng.standard_normal((L["N"], L["F"], o, o), dtype=np.float32)
    return x, w, b, dy


def timed(fn, runs, warmup):
    for _ in range(warmup):
        fn()
    seconds = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        seconds.append(time.perf_counter() - t0)
    return {"median_s": statistics.median(seconds), "best_s": min(seconds), "runs": runs}


# MARK: - NumPy im2col


def numpy_passes(L):
    import numpy as np

    K, pad, o = L["K"], L["pad"], out_size(L)
    N, C, F = L["N"], L["C"], L["F"]
    x, w, b, dy = data(L)
    wm = w.reshape(F, C * K * K)
    dy2 = dy.reshape(N, F, o * o)

    def im2col(x):
        xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
        col = np.empty((N, C, K, K, o, o), dtype=np.float32)
        for p in range(K):
            for q in range(K):
                col[:, :, p, q] = xp[:, :, p : p + o, q : q + o]
        return col.reshape(N, C * K * K, o * o)

    def forward():
        col = im2col(x)
        return (np.matmul(wm, col) + b[None, :, None]).reshape(N, F, o, o), col

    def backward(col=None):
        if col is None:
            col = im2col(x)
        dw = np.tensordot(dy2, col, axes=([0, 2], [0, 2])).reshape(w.shape)
        db = dy2.sum(axis=(0, 2))
        dcol = np.matmul(wm.T, dy2).reshape(N, C, K, K, o, o)
        dxp = np.zeros((N, C, L["H"] + 2 * pad, L["W"] + 2 * pad), dtype=np.float32)
        for p in range(K):
            for q in range(K):
                dxp[:, :, p : p + o, q : q + o] += dcol[:, :, p, q]
        return dxp[:, :, pad : pad + L["H"], pad : pad + L["W"]], dw, db

    def both():
        _, col = forward()  # the im2col matrix is reused by the backward pass
        return backward(col)

    return {"forward": forward, "backward": backward, "forward_backward": both}


# MARK: - PyTorch


def torch_passes(L):
    import torch
    import torch.nn.functional as tf

    x, w, b, dy = (torch.from_numpy(a) for a in data(L))
    pad = L["pad"]
    conv_backward = torch.ops.aten.convolution_backward

    def forward():
        with torch.no_grad():
            return tf.conv2d(x, w, b, padding=pad)

    def backward():
        with torch.no_grad():
            return conv_backward(
                dy, x, w, [L["F"]], [1, 1], [pad, pad], [1, 1], False, [0, 0], 1,
                [True, True, True])

    def both():
        return forward(), backward()

    return {"forward": forward, "backward": backward, "forward_backward": both}


# MARK: - onnxruntime


def onnx_passes(L, threads):
    import numpy as np
    import onnxruntime as ort
    from onnx import TensorProto, helper

    x, w, b, dy = data(L)
    pad = L["pad"]
    pads = [pad] * 4
    f32 = TensorProto.FLOAT

    def value(name, shape):
        return helper.make_tensor_value_info(name, f32, list(shape))

    o = out_size(L)
    ins = {
        "X": value("X", x.shape), "W": value("W", w.shape), "B": value("B", b.shape),
        "dY": value("dY", dy.shape),
    }
    fwd_nodes = [helper.make_node("Conv", ["X", "W", "B"], ["Y"], pads=pads)]
    # dx = transposed convolution of dy with w; dw = convolution of x (channels as batch) with
    # dy (filters as batch), transposed back; db = sum of dy.
    bwd_nodes = [
        helper.make_node("ConvTranspose", ["dY", "W"], ["dX"], pads=pads),
        helper.make_node("Transpose", ["X"], ["Xt"], perm=[1, 0, 2, 3]),
        helper.make_node("Transpose", ["dY"], ["dYt"], perm=[1, 0, 2, 3]),
        helper.make_node("Conv", ["Xt", "dYt"], ["G"], pads=pads),
        helper.make_node("Transpose", ["G"], ["dW"], perm=[1, 0, 2, 3]),
        helper.make_node("ReduceSum", ["dY", "axes"], ["dB"], keepdims=0),
    ]
    axes = helper.make_tensor("axes", TensorProto.INT64, [3], [0, 2, 3])
    outs = {
        "Y": value("Y", (L["N"], L["F"], o, o)), "dX": value("dX", x.shape),
        "dW": value("dW", w.shape), "dB": value("dB", b.shape),
    }

    def session(nodes, inputs, outputs, inits=()):
        graph = helper.make_graph(
            nodes, "conv", [ins[i] for i in inputs], [outs[o] for o in outputs],
            initializer=list(inits))
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
        model.ir_version = 8
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        return ort.InferenceSession(model.SerializeToString(), opts, providers=["CPUExecutionProvider"])

    s_fwd = session(fwd_nodes, ["X", "W", "B"], ["Y"])
    s_bwd = session(bwd_nodes, ["X", "W", "dY"], ["dX", "dW", "dB"], [axes])
    s_both = session(
        fwd_nodes + bwd_nodes, ["X", "W", "B", "dY"], ["Y", "dX", "dW", "dB"], [axes])
    feeds = {"X": x, "W": w, "B": b, "dY": dy}

    # Check the gradient graph once against NumPy so that a wrong graph cannot look fast.
    got = s_bwd.run(None, {k: feeds[k] for k in ("X", "W", "dY")})
    ref = numpy_passes(L)["backward"]()
    for a, r in zip(got, ref):
        assert np.allclose(a, r, rtol=1e-3, atol=1e-3), "onnxruntime gradient graph disagrees"

    return {
        "forward": lambda: s_fwd.run(None, {k: feeds[k] for k in ("X", "W", "B")}),
        "backward": lambda: s_bwd.run(None, {k: feeds[k] for k in ("X", "W", "dY")}),
        "forward_backward": lambda: s_both.run(None, feeds),
    }


# MARK: - Corrected Python loops (the article's program)


def article_program_data():
    """The article layer's data in its own layouts: x[B,H,W], filters[F,K,K], dOut[B,O,O,F]."""
    import numpy as np

    x, w, b, dy = data(LAYERS["article"])
    return x[:, 0], w[:, 0], b, np.ascontiguousarray(dy.transpose(0, 2, 3, 1))


def check_against_numpy(out, dx, dw, db):
    """The loops must compute the same layer as the NumPy im2col version (same data)."""
    import numpy as np

    y, _ = numpy_passes(LAYERS["article"])["forward"]()
    ndx, ndw, ndb = numpy_passes(LAYERS["article"])["backward"]()
    for name, a, r in (("out", np.asarray(out), y.transpose(0, 2, 3, 1)),
                       ("dX", np.asarray(dx), ndx[:, 0]), ("dW", np.asarray(dw), ndw[:, 0]),
                       ("db", np.asarray(db), ndb)):
        assert np.allclose(a, r, rtol=1e-3, atol=1e-3), f"Python loops: {name} disagrees"


def article_style(runs):
    """The article's own style, corrected (errata 1-5): loops over samples, filters and
    windows with `np.sum(window * filter)`, the window sliced from the padded input, the bias
    added, gradients summed over the batch, then one SGD step."""
    import numpy as np

    x, filters0, biases0, dout = article_program_data()
    N, S, F, K, pad, alpha = 10, 32, 16, 5, 2, 0.01
    o = S + 2 * pad - K + 1
    state = {}

    def step():
        filters, biases = filters0.copy(), biases0.copy()
        xp = np.pad(x, ((0, 0), (pad, pad), (pad, pad)))
        out = np.zeros((N, o, o, F), dtype=np.float32)
        for n in range(N):
            for f in range(F):
                for i in range(o):
                    for j in range(o):
                        out[n, i, j, f] = np.sum(xp[n, i : i + K, j : j + K] * filters[f]) + biases[f]
        dF = np.zeros_like(filters)
        db = np.zeros_like(biases)
        dxp = np.zeros_like(xp)
        for n in range(N):
            for f in range(F):
                for i in range(o):
                    for j in range(o):
                        g = dout[n, i, j, f]
                        dF[f] += g * xp[n, i : i + K, j : j + K]
                        dxp[n, i : i + K, j : j + K] += g * filters[f]
                        db[f] += g
        filters -= alpha * dF
        biases -= alpha * db
        state["result"] = (out, dxp[:, pad : pad + S, pad : pad + S], dF, db)

    timing = timed(step, runs, 0)
    check_against_numpy(*state["result"])
    return timing


def plain_loops(runs):
    """The same corrected program on Python lists, inner loops hoisted: the fastest pure-Python
    form (a stricter baseline than the article's style)."""
    x, w0, b0, dout = (a.tolist() for a in article_program_data())
    N, S, K, F, pad, alpha = 10, 32, 5, 16, 2, 0.01
    o = S + 2 * pad - K + 1
    state = {}

    def step():
        w = [[row[:] for row in wf] for wf in w0]
        b = b0[:]
        P = S + 2 * pad
        xp = [[[0.0] * P for _ in range(P)] for _ in range(N)]
        for n in range(N):
            for i in range(S):
                xp[n][i + pad][pad : pad + S] = x[n][i]
        out = [[[[0.0] * F for _ in range(o)] for _ in range(o)] for _ in range(N)]
        for n in range(N):
            for i in range(o):
                for j in range(o):
                    cell = out[n][i][j]
                    for f in range(F):
                        s = b[f]
                        wf = w[f]
                        for p in range(K):
                            row = xp[n][i + p]
                            wr = wf[p]
                            for q in range(K):
                                s += row[j + q] * wr[q]
                        cell[f] = s
        dw = [[[0.0] * K for _ in range(K)] for _ in range(F)]
        db = [0.0] * F
        dxp = [[[0.0] * P for _ in range(P)] for _ in range(N)]
        for n in range(N):
            for i in range(o):
                for j in range(o):
                    for f in range(F):
                        g = dout[n][i][j][f]
                        db[f] += g
                        wf, dwf = w[f], dw[f]
                        for p in range(K):
                            row, drow = xp[n][i + p], dxp[n][i + p]
                            wr, dwr = wf[p], dwf[p]
                            for q in range(K):
                                dwr[q] += g * row[j + q]
                                drow[j + q] += g * wr[q]
        for f in range(F):
            b[f] -= alpha * db[f]
            for p in range(K):
                for q in range(K):
                    w[f][p][q] -= alpha * dw[f][p][q]
        dx = [[r[pad : pad + S] for r in dxp[n][pad : pad + S]] for n in range(N)]
        state["result"] = (out, dx, dw, db)

    timing = timed(step, runs, 0)
    check_against_numpy(*state["result"])
    return timing


# MARK: - Workers and driver


def openblas_core():
    """The core type NumPy's OpenBLAS runs (its kernels), asked of the library itself."""
    import ctypes
    import glob

    import numpy

    try:
        from threadpoolctl import threadpool_info

        for info in threadpool_info():
            if info.get("internal_api") == "openblas":
                return info.get("architecture") or "unknown"
    except ImportError:
        pass
    site = os.path.dirname(os.path.dirname(numpy.__file__))
    for path in glob.glob(os.path.join(site, "numpy.libs", "*openblas*")):
        lib = ctypes.CDLL(path)
        for name in ("scipy_openblas_get_corename64_", "scipy_openblas_get_corename",
                     "openblas_get_corename64_", "openblas_get_corename"):
            fn = getattr(lib, name, None)
            if fn is not None:
                fn.restype = ctypes.c_char_p
                return fn().decode()
    return "unknown"


def isa_worker(peer):
    """Prints, as JSON, which kernels the peer's libraries say they run (see probe_isa)."""
    if peer == "numpy":
        print(json.dumps({"OpenBLAS core": openblas_core()}))
    elif peer == "torch":
        import torch
        import torch.nn.functional as tf

        torch.set_num_threads(1)
        # A layer large enough for PyTorch to hand to oneDNN, which then prints its ISA.
        tf.conv2d(torch.ones(2, 16, 32, 32), torch.ones(32, 16, 3, 3), padding=1)
        print(json.dumps({"ATen": torch.backends.cpu.get_cpu_capability()}))


def worker(peer, threads, runs, warmup):
    """Runs in a subprocess whose thread variables are already set; prints JSON."""
    if peer.startswith("isa-"):
        isa_worker(peer[4:])
        return
    result = {}
    if peer == "numpy":
        import numpy  # noqa: F401  (imported after the thread variables are set)
    if peer == "torch":
        import torch

        torch.set_num_threads(threads)
        result["version"] = torch.__version__
    if peer == "python":
        result["article_style"] = article_style(runs)
        result["plain_loops"] = plain_loops(runs)
        print(json.dumps(result))
        return
    for name, L in LAYERS.items():
        if peer == "numpy":
            passes = numpy_passes(L)
        elif peer == "torch":
            passes = torch_passes(L)
        else:
            passes = onnx_passes(L, threads)
        result[name] = {p: timed(passes[p], runs, warmup) for p in PASSES}
    if peer == "numpy":
        import numpy

        result["version"] = numpy.__version__
    if peer == "onnxruntime":
        import onnxruntime

        result["version"] = onnxruntime.__version__
    print(json.dumps(result))


def peer_env(peer, kernels):
    """The environment of a peer's subprocess: the forcing variables of the kernel set."""
    env = dict(os.environ)
    env.update(PEER_FORCING.get(kernels, {}).get(peer, {}))
    return env


def probe_isa(peer, kernels):
    """What the peer runs under the kernel set's variables, in its own words: a dict of
    library -> kernels (OpenBLAS' core name, ATen's CPU capability, oneDNN's ISA line)."""
    if peer == "onnxruntime":
        return {"MLAS": "picks its kernels from CPUID; no switch"}
    env = peer_env(peer, kernels)
    if peer == "torch":
        env["ONEDNN_VERBOSE"] = "1"
    cmd = [sys.executable, __file__, "--worker", "isa-" + peer]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    lines = proc.stdout.strip().splitlines()
    try:
        found = json.loads(lines[-1])
    except (IndexError, ValueError):
        return {"probe": "failed"}
    for line in lines:
        if ",isa:" in line:
            found["oneDNN"] = line.split(",isa:", 1)[1].strip()
    return found


def run_worker(peer, threads, runs, warmup, kernels="auto"):
    env = peer_env(peer, kernels)
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env[var] = str(threads)
    cmd = [sys.executable, __file__, "--worker", peer, "--threads", str(threads),
           "--runs", str(runs), "--warmup", str(warmup)]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["failed"])[-1]
        print(f"  {peer} ({threads} thread(s)) unavailable: {last}", file=sys.stderr)
        return None
    return json.loads(proc.stdout.strip().splitlines()[-1])


def run_convscope(binary, threads, runs, warmup, kernels="auto"):
    cmd = [binary, "bench", "--json", "--layers-only", "--kernels", kernels,
           "--threads", str(threads), "--runs", str(runs), "--warmup", str(warmup)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"compare.py: {' '.join(cmd)} failed: {proc.stderr.strip()}")
    return json.loads(proc.stdout)


def keep_best(store, threads, new):
    """Keeps, per layer and pass, the round whose median is lowest (and convscope's highest
    measured FMA peak per kernel set: a peak is what the core can do, so the best run)."""
    if new is None:
        return
    old = store.get(threads)
    if old is None:
        store[threads] = new
        return
    old_layers = old.get("layers", old)
    new_layers = new.get("layers", new)
    for name in LAYERS:
        for pas in PASSES:
            if new_layers[name][pas]["median_s"] < old_layers[name][pas]["median_s"]:
                old_layers[name][pas] = new_layers[name][pas]
    if "demo" in new and new["demo"]["median_s"] < old["demo"]["median_s"]:
        old["demo"] = new["demo"]
    if "machine" in new:
        peaks = old["machine"]["fma_peak_gflops_by_kernels"]
        for name, value in new["machine"]["fma_peak_gflops_by_kernels"].items():
            peaks[name] = max(peaks.get(name, 0), value)


def importable(module):
    probe = subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True)
    return probe.returncode == 0


def kernel_set_report(results, kernels, peers):
    """What ran: convscope's kernel set and each peer's, forced or not (printed and kept)."""
    ran = results["convscope"][1]["settings"]["kernels"]
    sets = results["convscope"][1]["machine"]["kernel_sets"]
    report = {"requested": kernels, "convscope": ran, "processor_sets": sets, "peers": {}}
    for peer in peers:
        forcing = PEER_FORCING.get(kernels, {}).get(peer, {})
        report["peers"][peer] = {
            "forced_with": forcing, "forceable": peer != "onnxruntime",
            "reports": probe_isa(peer, kernels)}
    return report


def print_kernel_sets(report):
    ran, sets = report["convscope"], report["processor_sets"]
    note = ""
    if ran != sets[-1]:
        wider = ", ".join(sets[sets.index(ran) + 1:])
        note = f" (forced with --kernels {ran}: this processor also has {wider})"
    print(f"kernel set: convscope {ran}{note}")
    for peer, info in report["peers"].items():
        said = "; ".join(f"{k}: {v}" for k, v in info["reports"].items())
        if info["forced_with"]:
            how = " ".join(f"{k}={v}" for k, v in info["forced_with"].items())
            print(f"  {peer}: forced with {how} -> {said}")
        elif not info["forceable"] and report["requested"] in PEER_FORCING:
            print(f"  {peer}: NOT forced ({said}): runs the processor's best set, "
                  f"{sets[-1]} here")
        else:
            print(f"  {peer}: not forced -> {said}")


def print_table(results, live, rounds, runs):
    header = f"{'layer':8} {'pass':17} {'thr':>3} {'convscope':>10}"
    for p in live:
        header += f" {p[:11]:>11}"
    for p in live:
        header += f" {'×' + p[:8]:>9}"
    print(f"median milliseconds (best of {rounds} interleaved rounds' medians of "
          f"{runs} runs); ×peer = peer time / convscope time (above 1: convscope faster)")
    print(header)
    gflops = {}
    for name in LAYERS:
        for pas in PASSES:
            for t in THREADS:
                cs = results["convscope"][t]["layers"][name][pas]
                line = f"{name:8} {pas:17} {t:>3} {cs['median_s'] * 1e3:>10.3f}"
                ratios = ""
                for p in live:
                    peer = results["peers"][p][t][name][pas]["median_s"]
                    line += f" {peer * 1e3:>11.3f}"
                    ratios += f" {peer / cs['median_s']:>9.2f}"
                print(line + ratios)
                gflops[(name, pas, t)] = cs["gflops"]
    return gflops


def targets(results, gflops, peak, python):
    """Issue 14's kernel targets (and the demo's), as (text, value, needed)."""
    def ratio(peer, name, t):
        r = results["peers"].get(peer, {}).get(t)
        if not r:
            return None
        return r[name]["forward_backward"]["median_s"] / (
            results["convscope"][t]["layers"][name]["forward_backward"]["median_s"])

    checks = []
    for name in LAYERS:
        for t in THREADS:
            checks.append((f"≥ 5× NumPy, {name}, {t} thread(s)", ratio("numpy", name, t), 5))
    for peer in ("torch", "onnxruntime"):
        for name in LAYERS:
            for t in THREADS:
                checks.append((f"≥ 1.2× {peer}, {name}, {t} thread(s)", ratio(peer, name, t), 1.2))
    large1 = gflops[("large", "forward_backward", 1)]
    checks.append(("≥ 65 % of the FMA peak on one core (large fwd+bwd)", 100 * large1 / peak, 65))
    if python:
        demo = min(results["convscope"][t]["demo"]["median_s"] for t in THREADS)
        art = python["article_style"]["median_s"]
        plain = python["plain_loops"]["median_s"]
        print(f"article program, forward + backward + SGD: corrected article-style loops "
              f"{art:.3f} s, plain-list loops {plain:.3f} s, convscope demo path "
              f"{demo * 1e3:.3f} ms: ×{art / demo:.0f} and ×{plain / demo:.0f}")
        checks.append(("demo ≥ 1000× the corrected article loops", art / demo, 1000))
        checks.append(("demo ≥ 1000× the plain-list loops", plain / demo, 1000))
    return checks


def run_rounds(args, peers):
    """Rounds interleave every tool, so that a burst of load from another process hits them
    alike; each figure is the best of the per-round medians."""
    results = {"convscope": {}, "peers": {p: {} for p in peers}}
    for r in range(args.rounds):
        for threads in THREADS:
            print(f"round {r + 1}/{args.rounds}, {threads} thread(s)…", file=sys.stderr)
            keep_best(results["convscope"], threads,
                      run_convscope(args.convscope, threads, args.runs, args.warmup, args.kernels))
            for peer in peers:
                keep_best(results["peers"][peer], threads,
                          run_worker(peer, threads, args.runs, args.warmup, args.kernels))
    return results


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--convscope", default=".build/release/convscope")
    ap.add_argument("--kernels", default="auto", choices=["auto", "avx2", "avx512", "portable"],
                    help="convscope's kernel set (`bench --kernels`); avx2 and portable also "
                         "hold the peers to that instruction set where they have a switch")
    ap.add_argument("--runs", type=int, default=25)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--rounds", type=int, default=3,
                    help="interleaved rounds; each figure is the best round's median")
    ap.add_argument("--python-runs", type=int, default=1, help="runs of the pure-Python loops")
    ap.add_argument("--no-python", action="store_true", help="skip the pure-Python loops")
    ap.add_argument("--json-out", help="also write every figure to this file")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--threads", type=int, default=1, help=argparse.SUPPRESS)
    return ap.parse_args()


def main():
    args = parse_args()
    if args.worker:
        worker(args.worker, args.threads, args.runs, args.warmup)
        return

    if not os.access(args.convscope, os.X_OK):
        sys.exit(f"compare.py: {args.convscope} not found: run `swift build -c release` first")
    peers = ["numpy"] + [p for p, m in (("torch", "torch"), ("onnxruntime", "onnxruntime"))
                         if importable(m) and (p != "onnxruntime" or importable("onnx"))]
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.2f}; peers: {', '.join(peers)}; "
          f"kernels: {args.kernels}", file=sys.stderr)

    results = run_rounds(args, peers)
    python = None
    if not args.no_python:
        print("timing the corrected Python loops of the article's program (slow)…",
              file=sys.stderr)
        python = run_worker("python", 1, args.python_runs, 0)

    sets = kernel_set_report(results, args.kernels, peers)
    print_kernel_sets(sets)
    live = [p for p in peers if all(results["peers"][p].get(t) for t in THREADS)]
    gflops = print_table(results, live, args.rounds, args.runs)

    ran = sets["convscope"]
    peak = results["convscope"][1]["machine"]["fma_peak_gflops_by_kernels"][ran]
    large1 = gflops[("large", "forward_backward", 1)]
    print()
    print(f"convscope GFLOP/s (median), forward+backward: article "
          f"{gflops[('article', 'forward_backward', 1)]:.1f} (1 thread) / "
          f"{gflops[('article', 'forward_backward', 2)]:.1f} (2); large "
          f"{large1:.1f} / {gflops[('large', 'forward_backward', 2)]:.1f}")
    print(f"one-core FMA peak of the {ran} set: {peak:.1f} GFLOP/s (best of the runs); "
          f"large forward+backward on one core: {100 * large1 / peak:.1f} % of it")

    checks = targets(results, gflops, peak, python)
    print()
    for text, value, need in checks:
        if value is None:
            print(f"  n/a   {text} (peer unavailable)")
        else:
            verdict = "PASS" if value >= need else "MISS"
            print(f"  {verdict}  {text}: {value:.2f}" + ("" if need == 1 else f" (needs {need})"))

    if args.json_out:
        with open(args.json_out, "w") as fh:
            json.dump({"kernel_sets": sets, "fma_peak_gflops": peak,
                       "large_fwd_bwd_percent_of_peak": 100 * large1 / peak,
                       "results": results, "python": python}, fh, indent=1, default=str)


if __name__ == "__main__":
    main()
