#!/usr/bin/env python3
"""Writes the .npz data sets that Tests/ConvDataTests reads (NumPy only).

Outputs, in Tests/Fixtures/data/:
  *.npz          data sets written by np.savez / np.savez_compressed, good and broken
  manifest.json  for each good file: the split's sizes, classes, image shape, the labels of
                 both sets and the values of the first training image (as convscope should read
                 them); for each broken file: words its one-line error must contain

Run once and commit the outputs with this script:
    python3 -m pip install numpy
    python3 scripts/make_data_fixtures.py
"""

import json
import os

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "Fixtures", "data")

good = []
errors = []


def save(name, compressed=False, **arrays):
    path = os.path.join(OUT, name)
    (np.savez_compressed if compressed else np.savez)(path, **arrays)
    return path


def expect(name, x, y, x_test=None, y_test=None, scale=1.0, compressed=False):
    """A good data set: the fixed split unless a test set is given."""
    arrays = {"x": x, "y": y}
    if x_test is not None:
        arrays["x_test"] = x_test
        arrays["y_test"] = y_test
    save(name, compressed, **arrays)
    images = x.reshape(x.shape[0], -1, *x.shape[-2:]).astype(np.float64) / scale
    labels = np.asarray(y).astype(int)
    if x_test is None:
        test = np.arange(len(labels)) % 5 == 4
        train_x, train_y, test_y = images[~test], labels[~test], labels[test]
        classes = int(labels.max()) + 1
    else:
        train_x, train_y, test_y = images, labels, np.asarray(y_test).astype(int)
        classes = int(max(labels.max(), test_y.max())) + 1
    good.append({
        "file": name,
        "train": len(train_y),
        "test": len(test_y),
        "classes": classes,
        "image_shape": list(images.shape[1:]),
        "train_labels": train_y.tolist(),
        "test_labels": test_y.tolist(),
        "first_image": [float(np.float32(v)) for v in train_x[0].ravel()],
    })


def refuse(name, contains, compressed=False, **arrays):
    save(name, compressed, **arrays)
    errors.append({"file": name, "contains": contains})


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(16)

    # Good: float32 [N,C,H,W] with int64 labels, the fixed split (12 images: 4 and 9 test).
    expect("nchw.npz", (np.arange(72, dtype=np.float32) / 100).reshape(12, 1, 3, 2),
           np.arange(12, dtype=np.int64) % 3)
    # Good: uint8 [N,H,W] (divided by 255), compressed, uint8 labels.
    expect("uint8_nhw.npz", rng.integers(0, 256, (7, 4, 4), dtype=np.uint8),
           np.array([0, 1, 0, 1, 1, 0, 1], dtype=np.uint8), scale=255.0, compressed=True)
    # Good: float64 RGB with whole float labels and a test set of its own with a class more.
    expect("own_test.npz", rng.normal(size=(6, 3, 2, 2)), np.array([0., 1., 2., 0., 1., 2.]),
           x_test=rng.normal(size=(3, 3, 2, 2)), y_test=np.array([3, 0, 1], dtype=np.int32))
    # Good: Keras' mnist.npz names (x_train, y_train, x_test, y_test), uint8.
    save("keras.npz", x_train=np.full((5, 3, 3), 255, dtype=np.uint8),
         y_train=np.array([1, 0, 1, 0, 1], dtype=np.uint8),
         x_test=np.zeros((2, 3, 3), dtype=np.uint8), y_test=np.array([0, 1], dtype=np.uint8))
    good.append({"file": "keras.npz", "train": 5, "test": 2, "classes": 2,
                 "image_shape": [1, 3, 3], "train_labels": [1, 0, 1, 0, 1],
                 "test_labels": [0, 1], "first_image": [1.0] * 9})

    x = np.zeros((6, 1, 2, 2), dtype=np.float32)
    y = np.array([0, 1, 0, 1, 0, 1])
    nan = x.copy()
    nan[3, 0, 1, 1] = np.nan
    refuse("nan.npz", ["nan.npz:x", "NaN", "image 3", "finite"], x=nan, y=y)
    refuse("negative.npz", ["negative.npz:y", "label 2 is -1"],
           x=x, y=np.array([0, 1, -1, 1, 0, 1]))
    refuse("fraction.npz", ["fraction.npz:y", "label 1 is 0.5", "whole number"],
           x=x, y=np.array([0.0, 0.5, 1.0, 1.0, 0.0, 1.0]))
    refuse("huge_label.npz", ["huge_label.npz:y", "label 0 is 100000", "0…9999"],
           x=x, y=np.array([100000, 1, 0, 1, 0, 1]))
    refuse("mismatch.npz", ["mismatch.npz", "6 images", "5 labels"], x=x, y=y[:5])
    refuse("no_y.npz", ["no_y.npz", "needs arrays x", "it holds x"], x=x)
    refuse("x_test_only.npz", ["x_test_only.npz", "x_test but no y_test"],
           x=x, y=y, x_test=x)
    refuse("rank2.npz", ["rank2.npz:x", "(6, 4)", "[N, C, H, W]"], x=x.reshape(6, 4), y=y)
    refuse("rank5.npz", ["rank5.npz:x", "(6, 1, 1, 2, 2)"], x=x.reshape(6, 1, 1, 2, 2), y=y)
    refuse("y_matrix.npz", ["y_matrix.npz:y", "(6, 1)", "vector"], x=x, y=y.reshape(6, 1))
    refuse("test_shape.npz", ["test_shape.npz:x_test", "(1, 3, 3)", "(1, 2, 2)"],
           x=x, y=y, x_test=np.zeros((2, 1, 3, 3)), y_test=np.array([0, 1]))
    refuse("few.npz", ["few.npz", "4 images", "too few"], x=x[:4], y=y[:4])
    refuse("empty.npz", ["empty.npz:x", "no images"], x=x[:0], y=y[:0])
    refuse("strings.npz", ["strings.npz:y"], x=x, y=np.array(list("abcdef")))
    refuse("zero_side.npz", ["zero_side.npz:x", "(6, 1, 0, 2)"], x=np.zeros((6, 1, 0, 2)), y=y)
    # An .npy, not an archive, under an .npz name.
    np.save(os.path.join(OUT, "not_zip.npy"), x)
    os.replace(os.path.join(OUT, "not_zip.npy"), os.path.join(OUT, "not_zip.npz"))
    errors.append({"file": "not_zip.npz", "contains": ["not_zip.npz", "not an .npz archive"]})

    with open(os.path.join(OUT, "manifest.json"), "w") as f:
        json.dump({"good": good, "errors": errors}, f, indent=1)
        f.write("\n")
    print(f"{len(good)} data sets and {len(errors)} broken files in {OUT}")


if __name__ == "__main__":
    main()
