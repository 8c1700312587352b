#!/usr/bin/python3
"""Golden values for gradient clipping from torch.nn.utils.clip_grad_norm_ / clip_grad_value_.

    /usr/bin/python3 scripts/golden/clip.py

writes core/src/test/resources/golden/clip.txt in the format of golden_file.py. Gradients are fixed (below,
repeated in ClipGradTest.java). Case normK stores its arguments (.max_norm, .norm_type), the norm returned
(.total) and each parameter's gradient after clipping (.grad0, .grad1, ...); case value0 stores .clip_value
and the gradients. PyTorch computes in float32; the values are printed as doubles, and the Java test
compares with a relative tolerance of 1e-6.
"""
import torch
from torch.nn.utils import clip_grad_norm_, clip_grad_value_

import golden_file

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


out = golden_file.Writer("clip.txt", """
Gradient clipping of three fixed gradients (GRADS in clip.py, repeated in ClipGradTest.java): the arguments,
the norm clip_grad_norm_ returns (.total) and the gradients after clipping (.grad0, .grad1, .grad2).
""", "clip.py")


def show(name, args, total, ps):
    for key, v in args.items():
        out.doubles(name + "." + key, (), [v])
    if total is not None:
        out.doubles(name + ".total", (), [float(total)])
    for i, p in enumerate(ps):
        out.doubles("%s.grad%d" % (name, i), tuple(p.grad.shape), p.grad.flatten().tolist())


for k, (max_norm, norm_type) in enumerate([(1.0, 2.0), (100.0, 2.0), (2.0, 1.0), (0.5, float("inf")), (3.0, 3.0),
                                           (1.5, 0.5)]):
    ps = params()
    total = clip_grad_norm_(ps, max_norm, norm_type)
    show("norm%d" % k, {"max_norm": max_norm, "norm_type": norm_type}, total, ps)
ps = params()
clip_grad_value_(ps, 0.8)
show("value0", {"clip_value": 0.8}, None, ps)
out.close()
