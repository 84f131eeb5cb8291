"""An engineer's own convolution layer, written with NumPy and fed PyTorch tensors.

README's debugging walkthrough runs it: it makes a layer with torch.nn.Conv2d (3 channels in,
4 filters 3×3, stride 2, padding 1) and a batch of 2 random 8×8 inputs, runs its own forward and
backward pass on them, and saves every tensor as .npy files and as one .npz archive, so that
`convscope check` can say where its numbers part from the correct ones.

    python3 my_layer.py            # the layer as first written: two mistakes
    python3 my_layer.py --fixed    # the layer after the fixes convscope suggests

Files written in the current folder: x.npy w.npy b.npy dy.npy (the layer's inputs), y.npy
dx.npy dw.npy db.npy (its results) and run.npz (all eight, by the same names).
"""

import sys

import numpy as np
import torch

FIXED = "--fixed" in sys.argv[1:]
STRIDE, PAD = 2, 1

torch.manual_seed(0)
conv = torch.nn.Conv2d(3, 4, kernel_size=3, stride=STRIDE, padding=PAD)
x = torch.randn(2, 3, 8, 8)
with torch.no_grad():
    dy = torch.randn_like(conv(x))  # the gradient of the loss with respect to y


def forward(x, w, b):
    n, c, h, wd = x.shape
    f, _, kh, kw = w.shape
    oh = (h + 2 * PAD - kh) // STRIDE + 1
    ow = (wd + 2 * PAD - kw) // STRIDE + 1
    xp = np.pad(x, ((0, 0), (0, 0), (PAD, PAD), (PAD, PAD)))
    # Mistake 1: "convolution" taken literally, the kernel flipped; frameworks cross-correlate.
    k = w if FIXED else w[:, :, ::-1, ::-1]
    y = np.zeros((n, f, oh, ow), np.float32)
    for i in range(oh):
        for j in range(ow):
            window = xp[:, :, i * STRIDE:i * STRIDE + kh, j * STRIDE:j * STRIDE + kw]
            y[:, :, i, j] = np.einsum("nchw,fchw->nf", window, k) + b
    return y


def backward(x, w, dy):
    n, c, h, wd = x.shape
    f, _, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (PAD, PAD), (PAD, PAD)))
    dxp = np.zeros_like(xp)
    dw = np.zeros_like(w)
    for i in range(dy.shape[2]):
        for j in range(dy.shape[3]):
            rows = slice(i * STRIDE, i * STRIDE + kh)
            cols = slice(j * STRIDE, j * STRIDE + kw)
            dw += np.einsum("nf,nchw->fchw", dy[:, :, i, j], xp[:, :, rows, cols])
            dxp[:, :, rows, cols] += np.einsum("nf,fchw->nchw", dy[:, :, i, j], w)
    db = dy.sum(axis=(0, 2, 3))
    if not FIXED:
        # Mistake 2: the gradients averaged over the batch, as a mean loss would; the loss here
        # is a sum, and PyTorch's dw and db are sums over the samples.
        dw, db = dw / n, db / n
    return dxp[:, :, PAD:PAD + h, PAD:PAD + wd], dw, db


tensors = {
    "x": x.numpy(),
    "w": conv.weight.detach().numpy(),
    "b": conv.bias.detach().numpy(),
    "dy": dy.numpy(),
}
tensors["y"] = forward(tensors["x"], tensors["w"], tensors["b"])
tensors["dx"], tensors["dw"], tensors["db"] = backward(tensors["x"], tensors["w"], tensors["dy"])
for name, value in tensors.items():
    np.save(f"{name}.npy", value.astype(np.float32))
np.savez("run.npz", **{k: v.astype(np.float32) for k, v in tensors.items()})
print("wrote x, w, b, dy, y, dx, dw, db (.npy) and run.npz" + (" (fixed)" if FIXED else ""))
