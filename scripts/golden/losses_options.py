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
    logits = data(62, 5, 4, lo=-3.0, hi=3.0)
    classes = torch.tensor([2.0, 0.0, 3.0, 1.0, 2.0])
    ignored = torch.tensor([2.0, -100.0, 3.0, -100.0, 0.0])
    weight = torch.tensor([0.5, 1.0, 2.0, 3.0])
    soft = data(63, 5, 4, lo=0.1, hi=1.0)
    soft = soft / soft.sum(1, keepdim=True)
    nd = data(64, 2, 3, 4, 5, lo=-2.0, hi=2.0)
    nd_t = torch.tensor([float((i * 7) % 3) for i in range(40)]).reshape(2, 4, 5)
    nd_t[0, 1, 2] = -100.0
    nd_t[1, 3, 0] = -100.0
    nd_soft = torch.softmax(data(65, 2, 3, 4, 5), 1)
    w3 = torch.tensor([0.2, 1.0, 3.0])
    L = lambda t: t.long()
    for red in ("mean", "sum", "none"):
        case(w, "ce_weight_" + red, lambda x, t, red=red: F.cross_entropy(x, L(t), weight=weight, reduction=red),
             [logits, classes], [T, Fa])
        case(w, "ce_ignore_" + red, lambda x, t, red=red: F.cross_entropy(x, L(t), reduction=red), [logits, ignored], [T, Fa])
        case(w, "ce_ignore2_" + red, lambda x, t, red=red: F.cross_entropy(x, L(t), ignore_index=2, reduction=red),
             [logits, classes], [T, Fa])
        case(w, "ce_weight_ignore_ls_" + red, lambda x, t, red=red: F.cross_entropy(
            x, L(t), weight=weight, reduction=red, label_smoothing=0.1), [logits, ignored], [T, Fa])
        case(w, "ce_nd_" + red, lambda x, t, red=red: F.cross_entropy(x, L(t), weight=w3, reduction=red), [nd, nd_t], [T, Fa])
        case(w, "ce_nd_ls_" + red, lambda x, t, red=red: F.cross_entropy(x, L(t), reduction=red, label_smoothing=0.2),
             [nd, nd_t], [T, Fa])
        case(w, "ce_soft_grad_" + red, lambda x, t, red=red: F.cross_entropy(x, t, reduction=red), [logits, soft], [T, T])
        case(w, "ce_soft_weight_ls_" + red, lambda x, t, red=red: F.cross_entropy(
            x, t, weight=weight, reduction=red, label_smoothing=0.3), [logits, soft], [T, T])
        case(w, "ce_soft_nd_" + red, lambda x, t, red=red: F.cross_entropy(x, t, weight=w3, reduction=red),
             [nd, nd_soft], [T, T])
        logp = torch.log_softmax(logits, 1)
        case(w, "nll_weight_ignore_" + red, lambda x, t, red=red: F.nll_loss(x, L(t), weight=weight, reduction=red),
             [logp, ignored], [T, Fa])
        case(w, "nll_nd_" + red, lambda x, t, red=red: F.nll_loss(x, L(t), weight=w3, reduction=red),
             [torch.log_softmax(nd, 1), nd_t], [T, Fa])
        a = data(66, 3, 4)
        b = a + data(68, 3, 4, lo=-2.5, hi=2.5, avoid=[-1.0, -0.5, 0.0, 0.5, 1.0, -0.7, 0.7])  # away from the kinks
        case(w, "l1_" + red, lambda x, y, red=red: F.l1_loss(x, y, reduction=red), [a, b], [T, T])
        for beta in (1.0, 0.5, 0.0):
            case(w, "smoothl1_%s_%s" % (beta, red), lambda x, y, red=red, beta=beta: F.smooth_l1_loss(
                x, y, reduction=red, beta=beta), [a, b], [T, T])
        for delta in (1.0, 0.7):
            case(w, "huber_%s_%s" % (delta, red), lambda x, y, red=red, delta=delta: F.huber_loss(
                x, y, reduction=red, delta=delta), [a, b], [T, T])
    logq = torch.log_softmax(data(69, 3, 4), 1)
    p = torch.softmax(data(70, 3, 4), 1)
    p0 = p.clone()
    p0[1, 2] = 0.0
    for red in ("none", "mean", "sum", "batchmean"):
        case(w, "kldiv_" + red, lambda x, t, red=red: F.kl_div(x, t, reduction=red), [logq, p], [T, T])
        case(w, "kldiv_log_" + red, lambda x, t, red=red: F.kl_div(x, t, reduction=red, log_target=True),
             [logq, torch.log(p)], [T, T])
    case(w, "kldiv_zero_target", lambda x, t: F.kl_div(x, t, reduction="batchmean"), [logq, p0], [T, Fa])
    # Broadcasting target (PyTorch warns).
    case(w, "mse_broadcast", lambda x, y: F.mse_loss(x, y), [data(71, 2, 3), data(72, 3)], [T, T])
    case(w, "l1_broadcast", lambda x, y: F.l1_loss(x, y, reduction="sum"), [data(73, 2, 3), data(74, 2, 1)], [T, T])


if __name__ == "__main__":
    losses()
