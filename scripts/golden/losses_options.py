#!/usr/bin/python3
"""Golden values for the loss options of issue 11, computed with PyTorch (1.13 on CPU, float32).

    /usr/bin/python3 scripts/golden/losses_options.py

writes core/src/test/resources/golden/losses_options.txt in generate.py's case format (<case>.in0, .in1, ...
inputs; .out; .gout the upstream gradient; .gradN the gradients of the inputs that require grad);
LossOptionsGoldenTest reads it. Class indices are stored as floats.
"""
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

import golden_file
from generate import case, data

T, Fa = True, False


def losses():
    w = golden_file.Writer("losses_options.txt", "Loss options: BCEWithLogits at logit 0, ignore_index, weight, (N, C, d1...), "
               "soft targets, MSE broadcasting, L1, SmoothL1, Huber, KLDiv.", "losses_options.py")
    zero, y = torch.zeros(4), torch.tensor([1.0, 0.0, 1.0, 0.0])
    pw = torch.tensor([0.5, 1.0, 2.0, 3.0])
    for red in ("mean", "sum", "none"):
        case(w, "bcel_zero_" + red, lambda x, t, red=red: F.binary_cross_entropy_with_logits(x, t, reduction=red),
             [zero, y], [T, Fa])
        case(w, "bcel_pw_zero_" + red,
             lambda x, t, red=red: F.binary_cross_entropy_with_logits(x, t, reduction=red, pos_weight=pw),
             [zero, y], [T, Fa])
    # Both input and target require grad (PyTorch differentiates the target too).
    z, p = data(60, 3, 4, lo=-3.0, hi=3.0, avoid=[0.0]), data(61, 3, 4, lo=0.0, hi=1.0)
    case(w, "bcel_target_grad", lambda x, t: F.binary_cross_entropy_with_logits(x, t), [z, p], [T, T])
    case(w, "bcel_pw_target_grad", lambda x, t: F.binary_cross_entropy_with_logits(x, t, pos_weight=pw), [z, p], [T, T])
    extra(w)
    w.close()


def extra(w):
    pass


if __name__ == "__main__":
    losses()
