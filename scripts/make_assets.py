#!/usr/bin/env python3
"""Writes convscope's built-in pictures into assets/.

Sources (data that ships inside Python packages, with clear licences; see assets/ATTRIBUTION.md):
  - scikit-learn's copy of the UCI ML hand-written digits (8×8, values 0–16): the first sample
    of each class 0–9, as ASCII PGM files (maxval 16).
  - scikit-image's `camera` (CC0, Lav Varshney): 512×512 grey, reduced to 64×64.
  - scikit-image's `astronaut` (NASA, public domain): 512×512 RGB, reduced to 64×64 and 256×256.
  - scikit-learn's whole digits file (`sklearn/datasets/data/digits.csv.gz`, 1797 samples) and
    its description, copied byte for byte: the training data of `ConvData`.

Reductions are exact box averages (Pillow's Image.reduce with a whole factor).

Outputs:
  assets/digits/digit-0.pgm … digit-9.pgm
  assets/photos/camera-64.png, astronaut-64.png, astronaut-256.png
  assets/datasets/digits.csv.gz, digits.rst
  assets/ATTRIBUTION.md

SwiftPM embeds assets/digits and assets/photos in the program (resources of the ConvLessons
target, linked from Sources/ConvLessons/Resources), so it needs no files at run time. A new
picture also needs its line in Sources/ConvLessons/Assets/AssetLibrary.swift. assets/datasets is
embedded the same way by the ConvData target (Sources/ConvData/Resources).

Run once and commit the outputs with this script:
    python3 -m pip install numpy Pillow scikit-learn scikit-image
    python3 scripts/make_assets.py
"""

import hashlib
import io
import os

import numpy as np
import sklearn
import skimage
from PIL import Image
from sklearn.datasets import load_digits
from skimage import data as skdata

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ASSETS = os.path.join(ROOT, "assets")

written = []  # (name in the program, path relative to assets/, bytes)


def save(rel, data, name):
    p = os.path.join(ASSETS, rel)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, "wb") as f:
        f.write(data)
    written.append((name, rel, data))


def png_bytes(image):
    buf = io.BytesIO()
    # No time or text chunks: the bytes depend only on the pixels.
    image.save(buf, format="PNG", optimize=True)
    return buf.getvalue()


def digits():
    d = load_digits()
    samples = []
    for label in range(10):
        i = int(np.flatnonzero(d.target == label)[0])
        img = d.images[i].astype(int)
        assert img.shape == (8, 8) and img.min() >= 0 and img.max() <= 16
        text = (f"P2\n# UCI ML hand-written digits via scikit-learn load_digits(), sample {i}, "
                f"digit {label}\n8 8\n16\n")
        text += "\n".join(" ".join(f"{v:2d}" for v in row) for row in img) + "\n"
        save(f"digits/digit-{label}.pgm", text.encode(), f"digit-{label}")
        samples.append(i)
    return samples


def photos():
    camera = skdata.camera()
    assert camera.shape == (512, 512)
    save("photos/camera-64.png", png_bytes(Image.fromarray(camera, "L").reduce(8)), "camera-64")
    astronaut = skdata.astronaut()
    assert astronaut.shape == (512, 512, 3)
    rgb = Image.fromarray(astronaut, "RGB")
    save("photos/astronaut-64.png", png_bytes(rgb.reduce(8)), "astronaut-64")
    save("photos/astronaut-256.png", png_bytes(rgb.reduce(2)), "astronaut-256")


def datasets():
    """The whole digits set: scikit-learn's gzip file unchanged (1797 lines of 64 pixels 0–16
    and the digit) and its description."""
    folder = os.path.join(os.path.dirname(sklearn.__file__), "datasets")
    for rel, name in [("data/digits.csv.gz", "digits.csv.gz"), ("descr/digits.rst", "digits.rst")]:
        with open(os.path.join(folder, rel), "rb") as f:
            save(f"datasets/{name}", f.read(), name)


def attribution(samples):
    lines = [
        "# Attribution of the built-in pictures and data",
        "",
        "Written by `scripts/make_assets.py` from data that ships inside Python packages, and",
        "embedded in the program as SwiftPM resources (`Sources/ConvLessons/Resources`,",
        "`Sources/ConvData/Resources`).",
        "",
        "## Hand-written digits — `digits/digit-0.pgm` … `digit-9.pgm`",
        "",
        "- Source: the *Optical Recognition of Handwritten Digits* data set (E. Alpaydin,",
        "  C. Kaynak, 1998), UCI Machine Learning Repository,",
        "  <https://archive.ics.uci.edu/ml/datasets/Optical+Recognition+of+Handwritten+Digits>",
        f"  (the address scikit-learn cites), as shipped in scikit-learn {sklearn.__version__}",
        "  (`sklearn.datasets.load_digits`, file `sklearn/datasets/data/digits.csv.gz`).",
        "- Licence: Creative Commons Attribution 4.0 International (CC BY 4.0), as the UCI",
        "  repository states for its data sets. Attribution: Alpaydin, E. & Kaynak, C. (1998),",
        "  Optical Recognition of Handwritten Digits, UCI Machine Learning Repository.",
        "- What was taken: the first sample of each digit 0–9 (sample indices "
        + ", ".join(str(s) for s in samples) + "), 8×8",
        "  values 0–16, unchanged, written as ASCII PGM with maxval 16.",
        "",
        "## The digits data set — `datasets/digits.csv.gz`, `datasets/digits.rst`",
        "",
        "- Source: the same data set, as shipped in scikit-learn "
        + sklearn.__version__ + ": the file",
        "  `sklearn/datasets/data/digits.csv.gz` and its description",
        "  `sklearn/datasets/descr/digits.rst`, copied byte for byte.",
        "- Licence: CC BY 4.0, as above. Attribution: Alpaydin, E. & Kaynak, C. (1998), Optical",
        "  Recognition of Handwritten Digits, UCI Machine Learning Repository.",
        "- What was taken: all 1797 samples, the file unchanged (gzip of 1797 lines of 65",
        "  comma-separated integers: an 8×8 image row by row, values 0–16, then its digit 0–9).",
        "  convscope divides the pixels by 16 and makes every 5th sample (index 4 mod 5, counted",
        "  from 0) its test set.",
        "",
        "## Photographs — `photos/`",
        "",
        f"Taken from scikit-image {skimage.__version__} (`skimage.data`), whose documentation",
        "states each image's status:",
        "",
        "- `camera-64.png` — `skimage.data.camera()`, 512×512 grey, reduced to 64×64 by 8×8 box",
        "  averaging. Docstring: \"No copyright restrictions. CC0 by the photographer (Lav",
        "  Varshney).\" Licence: CC0 1.0 (public domain dedication).",
        "- `astronaut-64.png`, `astronaut-256.png` — `skimage.data.astronaut()`, the NASA",
        "  portrait of astronaut Eileen Collins, 512×512 RGB, reduced by 8×8 and 2×2 box averaging.",
        "  Docstring: \"This image was downloaded from the NASA Great Images database",
        "  <https://flic.kr/p/r9qvLn>. No known copyright restrictions, released into the public",
        "  domain.\" Licence: public domain (a work of NASA).",
        "",
        "scikit-learn and scikit-image themselves are BSD-3-Clause licensed; no code from them is",
        "included.",
        "",
        "## Checksums (SHA-256)",
        "",
    ]
    for _, rel, data in written:
        lines.append(f"- `{rel}`: `{hashlib.sha256(data).hexdigest()}`")
    with open(os.path.join(ASSETS, "ATTRIBUTION.md"), "w") as f:
        f.write("\n".join(lines) + "\n")


def main():
    samples = digits()
    photos()
    datasets()
    attribution(samples)
    for _, rel, data in written:
        print(f"{len(data):7d} bytes  assets/{rel}")


if __name__ == "__main__":
    main()
