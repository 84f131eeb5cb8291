#!/usr/bin/env python3
"""Writes Tests/Fixtures/weights/: weight files made by PyTorch, NumPy and Hugging Face's
safetensors library (not by convscope), which Tests/ConvFormatsTests/NetworkWeightsTests.swift
and SafeTensorsTests.swift read:

- digits_torch.safetensors  the state_dict of nn.Sequential(Conv2d(1, 8, 3, padding=1), ReLU,
                            MaxPool2d(2), Conv2d(8, 16, 3, padding=1), ReLU, MaxPool2d(2),
                            Flatten, Linear(64, 10)) -- nets/digits.net -- written by
                            safetensors.torch.save_file with metadata {"format": "pt"}
- digits_torch.npz          the same tensors, written by np.savez
- digits_torch_io.npz       x [3, 1, 8, 8] and the logits [3, 10] that PyTorch computes from it
                            with those weights (float64 forward pass)
- dtypes.safetensors        f32 [2, 3], f64 [4], f16 [2, 2], bf16 [3], a 0-d f32 `scalar` and an
                            empty f32 [0, 2]: values k/4 - 1 (k = 0, 1, ...), exact in every dtype
- int64.safetensors         one int64 tensor (a dtype convscope refuses)

PyTorch and safetensors are only for making these fixtures: never a build or test dependency.
Run from the repository root (needs torch, numpy and safetensors: pip install --no-deps
safetensors), commit the output with this script:
    python3 scripts/make_weight_fixtures.py
Weights and x come from NumPy's default_rng(16); a rerun writes the same tensors (np.savez's zip
timestamps aside).
"""

import os

import numpy as np
import torch
import torch.nn as nn
from safetensors.torch import save_file

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "Fixtures", "weights")


def digits_model():
    return nn.Sequential(
        nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(64, 10))


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(16)
    model = digits_model()
    state = {}
    for name, p in model.state_dict().items():
        fan_in = int(np.prod(p.shape[1:])) if p.dim() > 1 else 1
        values = rng.standard_normal(tuple(p.shape)) * np.sqrt(2.0 / fan_in)
        state[name] = torch.from_numpy(values.astype(np.float32))
    model.load_state_dict(state)
    save_file(state, os.path.join(OUT, "digits_torch.safetensors"), metadata={"format": "pt"})
    np.savez(os.path.join(OUT, "digits_torch.npz"), **{k: v.numpy() for k, v in state.items()})

    x = rng.standard_normal((3, 1, 8, 8)).astype(np.float32)
    with torch.no_grad():
        logits = model.double()(torch.from_numpy(x).double()).numpy()
    np.savez(os.path.join(OUT, "digits_torch_io.npz"), x=x, logits=logits)

    def values(shape, dtype):
        n = int(np.prod(shape))
        return (torch.arange(n, dtype=torch.float64) / 4 - 1).reshape(shape).to(dtype)

    save_file({
        "f32": values((2, 3), torch.float32),
        "f64": values((4,), torch.float64),
        "f16": values((2, 2), torch.float16),
        "bf16": values((3,), torch.bfloat16),
        "scalar": torch.tensor(2.5, dtype=torch.float32),
        "empty": torch.zeros((0, 2), dtype=torch.float32),
    }, os.path.join(OUT, "dtypes.safetensors"))
    save_file({"steps": torch.arange(3, dtype=torch.int64)},
              os.path.join(OUT, "int64.safetensors"))


if __name__ == "__main__":
    main()
