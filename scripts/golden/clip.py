#!/usr/bin/python3
"""Golden values for gradient clipping from torch.nn.utils.clip_grad_norm_ / clip_grad_value_.

    /usr/bin/python3 scripts/golden/clip.py > core/src/test/resources/golden/clip.txt

Gradients are fixed (below, repeated in ClipTest.java). Each case prints `case NAME`, `total NORM` and
one `grad i v...` line per parameter after clipping (float32 values printed as doubles). PyTorch
computes in float32, so the Java test compares with a relative tolerance of 1e-6.
"""
import torch
from torch.nn.utils import clip_grad_norm_, clip_grad_value_

GRADS = [
    [[0.5, -1.25, 2.0], [3.0, -0.75, 0.125]],
    [4.0, -2.5],
    [[[0.3, -0.6], [0.9, -1.2]], [[1.5, 0.0], [-0.1, 0.2]]],
]


def params():
    ps = []
    for g in GRADS:
        t = torch.tensor(g, dtype=torch.float32)
        p = torch.zeros_like(t, requires_grad=True)
        p.grad = t.clone()
        ps.append(p)
    return ps


def show(name, total, ps):
    print("case", name)
    if total is not None:
        print("total", repr(float(total)))
    for i, p in enumerate(ps):
        print("grad", i, " ".join(repr(float(v)) for v in p.grad.flatten().tolist()))


for max_norm, norm_type in [(1.0, 2.0), (100.0, 2.0), (2.0, 1.0), (0.5, float("inf")), (3.0, 3.0), (1.5, 0.5)]:
    ps = params()
    total = clip_grad_norm_(ps, max_norm, norm_type)
    show("norm %r %r" % (max_norm, norm_type), total, ps)
ps = params()
clip_grad_value_(ps, 0.8)
show("value 0.8", None, ps)
