#!/usr/bin/env python3
"""Writes Tests/Fixtures/torch-cases/: grouped, depthwise, pointwise, padding-mode and transposed
convolutions computed by PyTorch in float64, in the conv-vectors case format
(Tests/Fixtures/conv-vectors/README.md), and MANIFEST.md, which says which parameters each case
sets to a non-default value and proves that every parameter is covered at least once.

PyTorch is only for making these fixtures: it is never a build or test dependency. The files are
committed; the Swift tests (Tests/CLITests/TorchCaseTests.swift,
Tests/ConvFormatsTests/TorchCaseTests.swift) read them and never run Python.

Run once from the repository root (needs torch and numpy), commit the output with this script:
    python3 scripts/make_torch_fixtures.py

Every case: N(0,1) float64 values for x, w, b and dy from NumPy's default_rng seeded with the
case's number (so a rerun writes the same bytes), y from torch.nn.functional in float64, and
dx, dw, db by autograd (y.backward(dy)); batches > 1 everywhere. Padding modes are F.pad then
F.conv2d with no padding, which is what nn.Conv2d(padding_mode=...) does; the script checks each
result against nn.Conv2d / nn.ConvTranspose2d built with the same weights. The values are full
precision, so the cases say "values": "normal", "exact_in_float32": false, and
"float32_reference_max_abs_err" is PyTorch's own float32 error on the case (the same layer run on
the float32-rounded inputs in float32, against the float64 result), a scale for a tolerance.
"""

import json
import os
import shutil

import numpy as np
import torch
import torch.nn.functional as F

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "Fixtures", "torch-cases")


def conv(name, description, n, c, h, w, f, k, stride=(1, 1), padding=(0, 0), dilation=(1, 1),
         groups=1, mode="zeros"):
    """A conv2d case: x [n, c, h, w], w [f, c/groups, k[0], k[1]]."""
    return {
        "name": name, "op": "conv2d", "description": description,
        "params": {"stride": list(stride), "padding": list(padding), "dilation": list(dilation),
                   "groups": groups, "padding_mode": mode},
        "x": [n, c, h, w], "w": [f, c // groups, k[0], k[1]], "b": [f],
    }


def convT(name, description, n, c, h, w, f, k, stride=(1, 1), padding=(0, 0),
          output_padding=(0, 0), dilation=(1, 1), groups=1):
    """A conv_transpose2d case: x [n, c, h, w], w [c, f/groups, k[0], k[1]]."""
    return {
        "name": name, "op": "conv_transpose2d", "description": description,
        "params": {"stride": list(stride), "padding": list(padding),
                   "output_padding": list(output_padding), "dilation": list(dilation),
                   "groups": groups},
        "x": [n, c, h, w], "w": [c, f // groups, k[0], k[1]], "b": [f],
    }


CASES = [
    # Grouped, depthwise, pointwise (zero padding).
    conv("torch_conv_g2_k3x2_s2x1_p1x2", "groups 2, kernel 3x2, stride 2x1, padding 1x2",
         n=2, c=4, h=7, w=5, f=6, k=(3, 2), stride=(2, 1), padding=(1, 2), groups=2),
    conv("torch_conv_g3_d2x1_p2x1", "groups 3 (2 channels a group), dilation 2x1, padding 2x1",
         n=3, c=6, h=7, w=5, f=3, k=(3, 3), padding=(2, 1), dilation=(2, 1), groups=3),
    conv("torch_conv_g2_k2x1_s3x2", "groups 2, kernel 2x1, stride 3x2 (some cells unread), "
         "padding 1x0", n=2, c=2, h=8, w=7, f=4, k=(2, 1), stride=(3, 2), padding=(1, 0),
         groups=2),
    conv("torch_dw_mult2_s1x2", "depthwise (groups = C = 3) with channel multiplier 2 (F = 6), "
         "stride 1x2, padding 1", n=2, c=3, h=6, w=9, f=6, k=(3, 3), stride=(1, 2),
         padding=(1, 1), groups=3),
    conv("torch_dw_k5x3_d1x2_s2", "depthwise (groups = C = 4), kernel 5x3, dilation 1x2, "
         "stride 2, padding 2", n=2, c=4, h=9, w=7, f=4, k=(5, 3), stride=(2, 2),
         padding=(2, 2), dilation=(1, 2), groups=4),
    conv("torch_pw_g2", "pointwise 1x1, groups 2, 4 channels to 6 filters", n=3, c=4, h=5, w=7,
         f=6, k=(1, 1), groups=2),
    conv("torch_pw_g3_s2x1_p1x0", "pointwise 1x1, groups 3, stride 2x1, padding 1x0 (a border "
         "of bias only)", n=2, c=6, h=6, w=4, f=3, k=(1, 1), stride=(2, 1), padding=(1, 0),
         groups=3),
    # Padding modes.
    conv("torch_reflect_p1x2", "reflect padding 1x2", n=2, c=2, h=5, w=6, f=3, k=(3, 3),
         padding=(1, 2), mode="reflect"),
    conv("torch_reflect_max_p3x4", "reflect padding at its largest (H-1 x W-1 = 3x4), kernel "
         "3x2, stride 2x3, dilation 2x1", n=2, c=3, h=4, w=5, f=2, k=(3, 2), stride=(2, 3),
         padding=(3, 4), dilation=(2, 1), mode="reflect"),
    conv("torch_reflect_g2_d2_p2x1", "reflect padding 2x1, groups 2, dilation 2", n=2, c=4,
         h=7, w=6, f=4, k=(3, 3), padding=(2, 1), dilation=(2, 2), groups=2, mode="reflect"),
    conv("torch_replicate_p2x1_s1x2", "replicate padding 2x1, stride 1x2", n=3, c=2, h=5, w=8,
         f=2, k=(3, 3), stride=(1, 2), padding=(2, 1), mode="replicate"),
    conv("torch_replicate_big_dw_d1x2", "replicate padding 4x5, as large as the input and "
         "larger, depthwise groups 3, dilation 1x2", n=2, c=3, h=4, w=5, f=3, k=(2, 3),
         padding=(4, 5), dilation=(1, 2), groups=3, mode="replicate"),
    conv("torch_circular_p1x2", "circular padding 1x2", n=2, c=2, h=6, w=5, f=3, k=(3, 3),
         padding=(1, 2), mode="circular"),
    conv("torch_circular_full_g2_s2_d2", "circular padding equal to the input (4x5), groups 2, "
         "stride 2, dilation 2", n=2, c=4, h=4, w=5, f=2, k=(3, 3), stride=(2, 2),
         padding=(4, 5), dilation=(2, 2), groups=2, mode="circular"),
    conv("torch_circular_g2_s2x1_d1x2", "circular padding 2x1, groups 2, stride 2x1, "
         "dilation 1x2, kernel 3x2", n=3, c=2, h=7, w=6, f=4, k=(3, 2), stride=(2, 1),
         padding=(2, 1), dilation=(1, 2), groups=2, mode="circular"),
    # Transposed.
    convT("torch_convT_s2_op1x0_k3x4", "transposed, stride 2, padding 1x0, output_padding 1x0, "
          "kernel 3x4", n=2, c=3, h=4, w=5, f=2, k=(3, 4), stride=(2, 2), padding=(1, 0),
          output_padding=(1, 0)),
    convT("torch_convT_s3_p1x2_op2x1_k4x5", "transposed, stride 3, padding 1x2, output_padding "
          "2x1, kernel 4x5", n=2, c=2, h=3, w=4, f=3, k=(4, 5), stride=(3, 3), padding=(1, 2),
          output_padding=(2, 1)),
    convT("torch_convT_s2x3_g2_op0x2", "transposed, stride 2x3, groups 2 (4 channels to 6 "
          "filters), padding 1, output_padding 0x2", n=2, c=4, h=4, w=3, f=6, k=(3, 3),
          stride=(2, 3), padding=(1, 1), output_padding=(0, 2), groups=2),
    convT("torch_convT_d2x3_op1x2_s1", "transposed, stride 1, dilation 2x3, output_padding 1x2 "
          "(smaller than the dilation), padding 1x0, kernel 3x2", n=2, c=2, h=5, w=4, f=3,
          k=(3, 2), padding=(1, 0), output_padding=(1, 2), dilation=(2, 3)),
    convT("torch_convT_dw_mult2_s2_d2x1", "transposed depthwise (groups = C = 3, F = 6), "
          "stride 2, dilation 2x1, padding 2x1, output_padding 1x0", n=2, c=3, h=4, w=5, f=6,
          k=(3, 3), stride=(2, 2), padding=(2, 1), output_padding=(1, 0), dilation=(2, 1),
          groups=3),
    convT("torch_convT_s3x2_d2x1_g2_op2x1", "transposed, stride 3x2, dilation 2x1, groups 2, "
          "padding 2x0, output_padding 2x1, kernel 2x3", n=2, c=2, h=3, w=5, f=4, k=(2, 3),
          stride=(3, 2), padding=(2, 0), output_padding=(2, 1), dilation=(2, 1), groups=2),
    convT("torch_convT_k1x1_s2_op1", "transposed 1x1 kernel, stride 2, output_padding 1 (cells "
          "no input lands on hold the bias only), groups 2", n=2, c=4, h=3, w=4, f=2, k=(1, 1),
          stride=(2, 2), output_padding=(1, 1), groups=2),
]


def layer(case, x, w, b):
    """y of the case's layer, with torch.nn.functional."""
    p = case["params"]
    if case["op"] == "conv_transpose2d":
        return F.conv_transpose2d(
            x, w, b, stride=p["stride"], padding=p["padding"],
            output_padding=p["output_padding"], groups=p["groups"], dilation=p["dilation"])
    if p["padding_mode"] == "zeros":
        return F.conv2d(x, w, b, stride=p["stride"], padding=p["padding"],
                        dilation=p["dilation"], groups=p["groups"])
    ph, pw = p["padding"]
    padded = F.pad(x, (pw, pw, ph, ph), mode=p["padding_mode"])
    return F.conv2d(padded, w, b, stride=p["stride"], dilation=p["dilation"],
                    groups=p["groups"])


def module_output(case, x, w, b):
    """y of the same layer as an nn module (a check that F.pad + F.conv2d is PyTorch's meaning)."""
    p = case["params"]
    shape = case["w"]
    if case["op"] == "conv_transpose2d":
        m = torch.nn.ConvTranspose2d(
            shape[0], shape[1] * p["groups"], shape[2:], stride=p["stride"],
            padding=p["padding"], output_padding=p["output_padding"], groups=p["groups"],
            dilation=p["dilation"], dtype=torch.float64)
    else:
        m = torch.nn.Conv2d(
            shape[1] * p["groups"], shape[0], shape[2:], stride=p["stride"],
            padding=p["padding"], dilation=p["dilation"], groups=p["groups"],
            padding_mode=p["padding_mode"], dtype=torch.float64)
    with torch.no_grad():
        m.weight.copy_(w)
        m.bias.copy_(b)
        return m(x)


def run(case, arrays, dtype):
    """y, dx, dw, db of the case in `dtype`, by autograd."""
    x, w, b = (torch.tensor(arrays[k], dtype=dtype, requires_grad=True) for k in "xwb")
    y = layer(case, x, w, b)
    y.backward(torch.tensor(arrays["dy"], dtype=dtype))
    return {"y": y.detach(), "dx": x.grad, "dw": w.grad, "db": b.grad}, (x, w, b)


def number(v):
    """A JSON number: integral values without ".0" (as the shared vectors write them)."""
    v = float(v)
    return int(v) if v == int(v) else v


def make(index, case):
    """The case's JSON object, its arrays computed."""
    rng = np.random.default_rng(1500 + index)
    arrays = {k: rng.standard_normal(case[k]) for k in "xwb"}
    p = case["params"]
    out_shape = list(layer(case, *(torch.tensor(arrays[k]) for k in "xwb")).shape)
    arrays["dy"] = rng.standard_normal(out_shape)
    result, (x, w, b) = run(case, arrays, torch.float64)
    module_y = module_output(case, x.detach(), w.detach(), b.detach())
    assert torch.allclose(module_y, result["y"], rtol=1e-12, atol=1e-12), case["name"]
    single = {k: v.astype(np.float32) for k, v in arrays.items()}
    result32, _ = run(case, single, torch.float32)
    err = max(float((result32[k].double() - result[k]).abs().max()) for k in result)
    shapes = {k: list(arrays[k].shape) for k in ("x", "w", "b", "dy")}
    shapes.update({k: list(result[k].shape) for k in ("y", "dx", "dw", "db")})
    obj = {"name": case["name"], "op": case["op"], "description": case["description"],
           "values": "normal", "exact_in_float32": False, "float32_reference_max_abs_err": err,
           "params": p, "shapes": shapes}
    for k in ("x", "w", "b", "dy"):
        obj[k] = [number(v) for v in arrays[k].ravel()]
    for k in ("y", "dx", "dw", "db"):
        obj[k] = [number(v) for v in result[k].numpy().ravel()]
    return obj


def exercised(obj):
    """The parameters the case sets to a non-default value (the MANIFEST's words)."""
    p, s = obj["params"], obj["shapes"]
    found = []
    for key in ("stride", "padding", "dilation", "output_padding"):
        default = [1, 1] if key in ("stride", "dilation") else [0, 0]
        if p.get(key, default) != default:
            found.append(key)
    if p["groups"] != 1:
        found.append("groups")
    if obj["op"] == "conv_transpose2d":
        found.append("transposed")
    elif p["padding_mode"] != "zeros":
        found.append("padding_mode=" + p["padding_mode"])
    if s["x"][0] > 1:
        found.append("batch>1")
    if s["x"][2] != s["x"][3]:
        found.append("H!=W")
    if s["w"][2] != s["w"][3]:
        found.append("KH!=KW")
    return found


PARAMETERS = ["stride", "padding", "dilation", "output_padding", "groups", "transposed",
              "padding_mode=reflect", "padding_mode=replicate", "padding_mode=circular",
              "batch>1", "H!=W", "KH!=KW"]


def manifest(objs):
    """MANIFEST.md: a line per case, then the coverage table (parsed by the Swift tests)."""
    lines = [
        "# PyTorch-made convolution cases",
        "",
        "Written by `python3 scripts/make_torch_fixtures.py` (PyTorch " + torch.__version__
        + ", float64, autograd); do not edit by hand. Format: `../conv-vectors/README.md`. Values"
        " are N(0,1) at full precision (`\"values\": \"normal\"`, not exact in float32).",
        "",
        "## Cases",
        "",
    ]
    for obj in objs:
        lines.append("- `%s`: %s. Non-default: %s." % (
            obj["name"], obj["description"], ", ".join(exercised(obj))))
    lines += ["", "## Coverage", "",
              "Every parameter at a non-default value, and the cases where it is (checked by "
              "`Tests/ConvFormatsTests/TorchCaseTests.swift` against the cases' own params).", "",
              "| parameter | cases |", "|---|---|"]
    for param in PARAMETERS:
        names = [o["name"] for o in objs if param in exercised(o)]
        assert names, "no case exercises " + param
        lines.append("| %s | %s |" % (param, ", ".join("`%s`" % n for n in names)))
    return "\n".join(lines) + "\n"


def main():
    names = [c["name"] for c in CASES]
    assert len(set(names)) == len(names)
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    os.makedirs(OUT)
    objs = []
    for index, case in enumerate(CASES):
        obj = make(index, case)
        objs.append(obj)
        with open(os.path.join(OUT, case["name"] + ".json"), "w") as f:
            json.dump(obj, f)
            f.write("\n")
    with open(os.path.join(OUT, "MANIFEST.md"), "w") as f:
        f.write(manifest(objs))
    print("wrote %d cases to %s" % (len(objs), os.path.relpath(OUT, ROOT)))


if __name__ == "__main__":
    main()
