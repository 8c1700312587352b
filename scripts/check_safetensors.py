#!/usr/bin/python3
"""Checks that a safetensors file written by Linea loads into PyTorch without the `safetensors` package.

Usage: /usr/bin/python3 scripts/check_safetensors.py MODEL.safetensors [OUT.safetensors]

The file must hold the tutorial FCNN's weights (fc1 784->128, fc2 128->64, fc3 64->10) and two extra
tensors, probe.input (N, 784) and probe.output (N, 10): Linea's logits for that input. This script
parses the format by hand (8-byte little-endian header length, JSON header, raw data), checks the
layout rules, builds the tensors with torch.frombuffer, loads them with load_state_dict(strict=True)
and compares PyTorch's logits with Linea's. With OUT it also writes PyTorch's logits as a
safetensors file (tensor "logits") for Linea to read back.
"""
import json
import struct
import sys

import torch
from torch import nn


class FCNN(nn.Module):
    """The tutorial network, returning logits."""

    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 128)
        self.fc2 = nn.Linear(128, 64)
        self.fc3 = nn.Linear(64, 10)

    def forward(self, x):
        x = x.view(-1, 784)
        x = torch.relu(self.fc1(x))
        x = torch.relu(self.fc2(x))
        return self.fc3(x)


def read(path):
    """Returns ({name: float32 tensor}, metadata) from a safetensors file, checking its layout."""
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    assert 8 + n <= len(raw), "header length beyond the file"
    assert (8 + n) % 8 == 0, "data not 8-byte aligned"
    text = raw[8:8 + n].decode("utf-8")
    assert text == text.rstrip(" ") + " " * (len(text) - len(text.rstrip(" "))), "padding must be spaces"
    header = json.loads(text)
    metadata = header.pop("__metadata__", {})
    data = raw[8 + n:]
    tensors, end = {}, 0
    for name, info in sorted(header.items(), key=lambda kv: kv[1]["data_offsets"]):
        begin, stop = info["data_offsets"]
        assert begin == end, f"{name}: offsets not contiguous"
        assert info["dtype"] == "F32", f"{name}: dtype {info['dtype']}"
        count = 1
        for d in info["shape"]:
            count *= d
        assert stop - begin == 4 * count, f"{name}: shape and byte length disagree"
        t = torch.frombuffer(bytearray(data[begin:stop]), dtype=torch.float32) if count else torch.empty(0)
        tensors[name] = t.reshape(info["shape"])
        end = stop
    assert end == len(data), "data section not fully covered"
    return tensors, metadata


def write(path, tensors, metadata=None):
    """Writes float32 tensors in the safetensors layout (name order, header padded to 8 bytes)."""
    header, offset, chunks = {}, 0, []
    if metadata:
        header["__metadata__"] = metadata
    for name in sorted(tensors):
        b = tensors[name].detach().contiguous().to(torch.float32).numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(tensors[name].shape), "data_offsets": [offset, offset + len(b)]}
        offset += len(b)
        chunks.append(b)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(chunks))


def main():
    tensors, metadata = read(sys.argv[1])
    probe_in = tensors.pop("probe.input")
    probe_out = tensors.pop("probe.output")
    model = FCNN()
    model.load_state_dict(tensors, strict=True)
    with torch.no_grad():
        logits = model(probe_in)
    diff = (logits - probe_out).abs().max().item()
    print(f"torch {torch.__version__}: loaded {len(tensors)} tensors {sorted(tensors)}, metadata {metadata}; "
          f"max |torch logits - Linea logits| = {diff:.3g}")
    if not torch.allclose(logits, probe_out, rtol=1e-4, atol=1e-5):
        print("MISMATCH", file=sys.stderr)
        sys.exit(1)
    if len(sys.argv) > 2:
        write(sys.argv[2], {"logits": logits}, {"written_by": "scripts/check_safetensors.py"})
    print("OK")


if __name__ == "__main__":
    main()
