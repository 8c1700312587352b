#!/usr/bin/env python3
"""Makes the Fashion-MNIST sample shipped as the linea-sample-data jar (standard library only: CI has no numpy/torch).

Selection (deterministic, class-balanced): the first PER_CLASS images of each class in the
original file order, kept in that original order (so classes stay interleaved as in the source).
Output: IDX files, gzip level 9 with mtime 0 and no file name, so reruns give identical bytes.

Usage: scripts/make-fashion-mnist-sample.py [SOURCE_DIR] [OUTPUT_DIR]
  SOURCE_DIR defaults to /usr/share/datasets/fashion-mnist (Debian: apt-get install dataset-fashion-mnist)
  OUTPUT_DIR defaults to sample-data/src/main/resources/dev/linea/sample-data/fashion-mnist
"""
import gzip
import os
import struct
import sys

PER_CLASS = {"train": 500, "t10k": 100}  # 5000 train + 1000 test images
CLASSES = 10


def read_idx(path):
    with open(path, "rb") as f:
        raw = f.read()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    zero, dtype, ndims = struct.unpack(">HBB", raw[:4])
    if zero != 0 or dtype != 0x08:
        sys.exit(f"{path}: not an unsigned-byte IDX file (magic {raw[:4].hex()})")
    dims = struct.unpack(">" + "I" * ndims, raw[4:4 + 4 * ndims])
    data = raw[4 + 4 * ndims:]
    size = 1
    for d in dims:
        size *= d
    if len(data) != size:
        sys.exit(f"{path}: expected {size} data bytes, found {len(data)}")
    return list(dims), data


def write_idx(path, dims, data):
    header = struct.pack(">HBB", 0, 0x08, len(dims)) + struct.pack(">" + "I" * len(dims), *dims)
    tmp = path + ".tmp"
    with open(tmp, "wb") as out:
        with gzip.GzipFile(filename="", mode="wb", fileobj=out, compresslevel=9, mtime=0) as gz:
            gz.write(header + data)
    os.replace(tmp, path)  # atomic on POSIX


def find(src, base):
    for name in (base, base + ".gz"):
        if os.path.exists(os.path.join(src, name)):
            return os.path.join(src, name)
    sys.exit(f"{src}: neither {base} nor {base}.gz found (sudo apt-get install dataset-fashion-mnist)")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    src = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/datasets/fashion-mnist"
    dst = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
        here, "..", "sample-data", "src", "main", "resources", "dev", "linea", "sample-data", "fashion-mnist")
    os.makedirs(dst, exist_ok=True)
    for split, per_class in PER_CLASS.items():
        img_dims, images = read_idx(find(src, f"{split}-images-idx3-ubyte"))
        lab_dims, labels = read_idx(find(src, f"{split}-labels-idx1-ubyte"))
        n, rows, cols = img_dims
        if lab_dims != [n]:
            sys.exit(f"{split}: {n} images but labels have dims {lab_dims}")
        taken = [0] * CLASSES
        keep = []
        for i in range(n):
            c = labels[i]
            if taken[c] < per_class:
                taken[c] += 1
                keep.append(i)
        if taken != [per_class] * CLASSES:
            sys.exit(f"{split}: not enough images per class: {taken}")
        size = rows * cols
        out_images = b"".join(images[i * size:(i + 1) * size] for i in keep)
        out_labels = bytes(labels[i] for i in keep)
        write_idx(os.path.join(dst, f"{split}-images-idx3-ubyte.gz"), [len(keep), rows, cols], out_images)
        write_idx(os.path.join(dst, f"{split}-labels-idx1-ubyte.gz"), [len(keep)], out_labels)
        print(f"{split}: {len(keep)} of {n} images ({per_class} per class), last source index {keep[-1]}")


if __name__ == "__main__":
    main()
