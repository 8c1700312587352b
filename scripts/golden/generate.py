#!/usr/bin/env python3
"""Writes the golden files that Linea's Java tests compare against (core/src/test/resources/golden/).

Run with the Python that has PyTorch (1.13 here):   /usr/bin/python3 scripts/golden/generate.py

Every input is a fixed number produced by a small deterministic generator below (no torch RNG) and is
written to the golden file, so the Java tests read exactly the same inputs. The file format is described
in golden_file.py (one tensor a line: name shape v1 v2 ...); printing.txt uses a block format described
in its header.

Naming: <case>.in0, .in1, ... are the inputs; .out the forward output; .gout the upstream gradient fed
to backward; .grad0, .grad1, ... the gradients of the inputs that require grad (an input requires grad
exactly when its .gradN line is present). Optimizer cases: .p0 the initial parameter, .g1.. the
gradient given before each step, .step1.. the parameter after each step.
"""
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

import golden_file

OUT = golden_file.OUT


class Lcg:
    """Deterministic uniform numbers (Numerical Recipes LCG), rounded to 4 decimals."""

    def __init__(self, seed):
        self.state = (seed * 2654435761 + 12345) % 2**32

    def uniform(self, lo, hi):
        self.state = (1664525 * self.state + 1013904223) % 2**32
        return round(lo + (hi - lo) * self.state / 2**32, 4)


def numel(shape):
    n = 1
    for d in shape:
        n *= d
    return n


def data(seed, *shape, lo=-2.0, hi=2.0, avoid=None, margin=0.05):
    """A float32 tensor of fixed values in [lo, hi); values within margin of any point in `avoid` are moved."""
    g = Lcg(seed)
    v = []
    for _ in range(numel(shape)):
        x = g.uniform(lo, hi)
        for k in (avoid or []):
            if abs(x - k) < margin:
                x = round(k + (margin if x >= k else -margin) * 2, 4)
        v.append(x)
    return torch.tensor(v, dtype=torch.float32).reshape(shape)


class Writer(golden_file.Writer):
    def __init__(self, name, header):
        super().__init__(name, header, "generate.py")


def case(w, name, fn, inputs, grads, gout=None):
    """Runs fn(*inputs); writes inputs, output, an upstream gradient (fixed, or gout) and input gradients."""
    ins = [x.clone().requires_grad_(g) for x, g in zip(inputs, grads)]
    out = fn(*ins)
    if gout is None:
        gout = data(hash_name(name) + 7, *out.shape, lo=-1.0, hi=1.0) if out.dim() > 0 else torch.tensor(0.75)
    if any(grads):
        out.backward(gout)
    for i, x in enumerate(ins):
        w.tensor("%s.in%d" % (name, i), x)
    w.tensor(name + ".out", out)
    w.tensor(name + ".gout", gout)
    for i, x in enumerate(ins):
        if grads[i]:
            w.tensor("%s.grad%d" % (name, i), x.grad if x.grad is not None else torch.zeros_like(x))


def hash_name(name):
    h = 0
    for ch in name:
        h = (h * 31 + ord(ch)) % 100003
    return h


def ops():
    w = Writer("ops.txt", "Forward outputs and gradients of tensor operations (see generate.py for the format).")
    T, Fa = True, False
    a34, b34 = data(1, 3, 4), data(2, 3, 4)
    pos34 = data(3, 3, 4, lo=0.2, hi=3.0)
    kinked = data(4, 3, 4, avoid=[0.0, -0.5, 0.5])
    case(w, "add", lambda x, y: x + y, [a34, b34], [T, T])
    case(w, "sub", lambda x, y: x - y, [a34, b34], [T, T])
    case(w, "mul", lambda x, y: x * y, [a34, b34], [T, T])
    case(w, "div", lambda x, y: x / y, [a34, pos34], [T, T])
    a314, b21 = data(5, 3, 1, 4), data(6, 2, 1, lo=0.5, hi=2.0)
    case(w, "add_bcast", lambda x, y: x + y, [a314, b21], [T, T])
    case(w, "sub_bcast", lambda x, y: x - y, [a314, b21], [T, T])
    case(w, "mul_bcast", lambda x, y: x * y, [a314, b21], [T, T])
    case(w, "div_bcast", lambda x, y: x / y, [a314, b21], [T, T])
    s0 = torch.tensor(1.25)
    case(w, "mul_scalar_tensor", lambda s, x: s * x, [s0, a34], [T, T])
    case(w, "sub_scalar_tensor", lambda x, s: x - s, [a34, s0], [T, T])
    case(w, "add_s", lambda x: x + 1.5, [a34], [T])
    case(w, "sub_s", lambda x: x - 0.75, [a34], [T])
    case(w, "mul_s", lambda x: x * -2.5, [a34], [T])
    case(w, "div_s", lambda x: x / 3.0, [a34], [T])
    case(w, "rsub_s", lambda x: 2.0 - x, [a34], [T])
    case(w, "neg", lambda x: -x, [a34], [T])
    case(w, "exp", torch.exp, [a34], [T])
    case(w, "log", torch.log, [pos34], [T])
    case(w, "sqrt", torch.sqrt, [pos34], [T])
    case(w, "pow_s", lambda x: x.pow(2.5), [pos34], [T])
    case(w, "pow_neg", lambda x: x.pow(-1.5), [pos34], [T])
    case(w, "pow_t", lambda x, y: x.pow(y), [pos34, data(7, 3, 4, lo=-1.0, hi=2.0)], [T, T])
    case(w, "abs", torch.abs, [kinked], [T])
    case(w, "clamp", lambda x: x.clamp(-0.5, 0.5), [kinked], [T])
    case(w, "clamp_min", lambda x: x.clamp(min=-0.5), [kinked], [T])
    case(w, "clamp_max", lambda x: x.clamp(max=0.5), [kinked], [T])
    case(w, "maximum", torch.maximum, [a34, b34], [T, T])
    case(w, "minimum", torch.minimum, [a34, b34], [T, T])
    case(w, "maximum_bcast", torch.maximum, [a34, data(8, 4)], [T, T])
    case(w, "relu", torch.relu, [kinked], [T])
    case(w, "leaky_relu", lambda x: F.leaky_relu(x, 0.1), [kinked], [T])
    case(w, "sigmoid", torch.sigmoid, [a34], [T])
    case(w, "tanh", torch.tanh, [a34], [T])
    case(w, "gelu", F.gelu, [a34], [T])
    x234 = data(9, 2, 3, 4, lo=-3.0, hi=3.0)
    for d in (0, 1, 2, -1):
        case(w, "softmax_%d" % d if d >= 0 else "softmax_m1", lambda x, d=d: torch.softmax(x, d), [x234], [T])
        case(w, "log_softmax_%d" % d if d >= 0 else "log_softmax_m1", lambda x, d=d: torch.log_softmax(x, d), [x234], [T])
    case(w, "sum", torch.sum, [x234], [T])
    case(w, "sum_dim1", lambda x: x.sum(1), [x234], [T])
    case(w, "sum_dim0_keep", lambda x: x.sum(0, keepdim=True), [x234], [T])
    case(w, "sum_dims02", lambda x: x.sum((0, 2)), [x234], [T])
    case(w, "mean", torch.mean, [x234], [T])
    case(w, "mean_dim2", lambda x: x.mean(2), [x234], [T])
    case(w, "mean_dims12_keep", lambda x: x.mean((1, 2), keepdim=True), [x234], [T])
    case(w, "var_dim1", lambda x: x.var(1), [x234], [T])
    case(w, "var_dim2_biased_keep", lambda x: x.var(2, unbiased=False, keepdim=True), [x234], [T])
    case(w, "max_all", torch.max, [x234], [T])
    case(w, "min_all", torch.min, [x234], [T])
    case(w, "max_dim1", lambda x: x.max(1)[0], [x234], [T])
    case(w, "min_dim2_keep", lambda x: x.min(2, keepdim=True)[0], [x234], [T])
    case(w, "argmax_dim1", lambda x: x.argmax(1).float(), [x234], [Fa])
    case(w, "matmul_2d", torch.matmul, [data(10, 3, 4), data(11, 4, 2)], [T, T])
    case(w, "matmul_batched", torch.matmul, [data(12, 2, 3, 4), data(13, 2, 4, 2)], [T, T])
    case(w, "matmul_bcast", torch.matmul, [data(14, 2, 1, 3, 4), data(15, 3, 4, 2)], [T, T])
    case(w, "matmul_vec_vec", torch.matmul, [data(16, 4), data(17, 4)], [T, T])
    case(w, "matmul_mat_vec", torch.matmul, [data(18, 3, 4), data(19, 4)], [T, T])
    case(w, "matmul_vec_mat", torch.matmul, [data(20, 4), data(21, 4, 2)], [T, T])
    case(w, "matmul_vec_batched", torch.matmul, [data(22, 4), data(23, 2, 4, 3)], [T, T])
    x53, w43, b4 = data(24, 5, 3), data(25, 4, 3), data(26, 4)
    case(w, "linear", F.linear, [x53, w43, b4], [T, T, T])
    case(w, "linear_nobias", lambda x, wt: F.linear(x, wt), [x53, w43], [T, T])
    case(w, "linear_3d", F.linear, [data(27, 2, 5, 3), w43, b4], [T, T, T])
    case(w, "transpose", lambda x: x.transpose(0, 2) * 1.0, [x234], [T])
    case(w, "permute", lambda x: x.permute(2, 0, 1).contiguous(), [x234], [T])
    case(w, "view", lambda x: x.view(6, 4), [x234], [T])
    case(w, "reshape_t", lambda x: x.transpose(0, 1).reshape(3, 8), [x234], [T])
    case(w, "flatten", lambda x: x.flatten(), [x234], [T])
    case(w, "squeeze", lambda x: x.squeeze(1), [data(28, 3, 1, 4)], [T])
    case(w, "unsqueeze", lambda x: x.unsqueeze(1), [a34], [T])
    x56 = data(29, 5, 6)
    case(w, "slice_step", lambda x: x[1:5, 0:6:2], [x56], [T])
    case(w, "select", lambda x: x.select(1, 2), [x56], [T])
    case(w, "narrow", lambda x: x.narrow(1, 2, 3), [x56], [T])
    case(w, "expand", lambda x: x.expand(2, 3, 4), [data(30, 3, 1)], [T])
    case(w, "cat_dim1", lambda x, y: torch.cat([x, y], 1), [a34, data(31, 3, 2)], [T, T])
    case(w, "stack_dim1", lambda x, y: torch.stack([x, y], 1), [a34, b34], [T, T])
    mask = torch.tensor([[1, 0, 1, 0], [0, 1, 1, 0], [1, 1, 0, 0]], dtype=torch.float32)
    case(w, "where", lambda m, x, y: torch.where(m != 0, x, y), [mask, a34, data(32, 1, 4)], [Fa, T, T])
    specials(w)
    w.close()


def specials(w):
    """NaN, ±Inf and ±0 through every op built from compares: NaN must propagate (forward and backward) as
    PyTorch's does, and an infinite upstream gradient must not turn into NaN where an op selects zero."""
    T, Fa = True, False
    nan, inf = float("nan"), float("inf")
    sp = torch.tensor([[nan, -inf, -1.5, -0.0, 0.0, 0.75, inf],
                       [0.5, nan, -0.25, 2.0, nan, -2.0, 1.0]])
    other = torch.tensor([[1.0, 0.0, -1.5, 0.0, -0.0, nan, 2.0],
                          [0.5, 1.0, nan, -inf, 3.0, -2.0, inf]])
    # An upstream gradient holding ±inf and NaN: where an op's backward selects 0, PyTorch gives 0, not NaN.
    wild = torch.tensor([[inf, -inf, nan, 1.0, inf, -0.5, nan],
                         [-inf, 0.25, inf, nan, -1.0, inf, 2.0]])
    case(w, "relu_special", torch.relu, [sp], [T])
    case(w, "relu_special_wild", torch.relu, [sp], [T], gout=wild)
    case(w, "leaky_relu_special", lambda x: F.leaky_relu(x, 0.1), [sp], [T])
    case(w, "abs_special", torch.abs, [sp], [T])
    case(w, "sign_special", torch.sign, [sp], [Fa])
    case(w, "clamp_special", lambda x: x.clamp(-0.5, 0.5), [sp], [T])
    case(w, "clamp_special_wild", lambda x: x.clamp(-0.5, 0.5), [sp], [T], gout=wild)
    case(w, "clamp_min_special", lambda x: torch.clamp_min(x, 0.0), [sp], [T])
    case(w, "clamp_min_special_wild", lambda x: torch.clamp_min(x, 0.0), [sp], [T], gout=wild)
    case(w, "clamp_max_special", lambda x: torch.clamp_max(x, -0.0), [sp], [T])
    case(w, "clamp_max_special_wild", lambda x: torch.clamp_max(x, -0.0), [sp], [T], gout=wild)
    case(w, "clamp_min_nan", lambda x: torch.clamp_min(x, nan), [sp], [T])
    case(w, "clamp_max_nan", lambda x: torch.clamp_max(x, nan), [sp], [T])
    case(w, "clamp_nan_max", lambda x: torch.clamp(x, 0.0, nan), [sp], [T])
    case(w, "maximum_special", torch.maximum, [sp, other], [T, T])
    case(w, "maximum_special_wild", torch.maximum, [sp, other], [T, T], gout=wild)
    case(w, "minimum_special", torch.minimum, [sp, other], [T, T])
    case(w, "minimum_special_wild", torch.minimum, [sp, other], [T, T], gout=wild)
    case(w, "maximum_special_bcast", torch.maximum, [sp, torch.tensor([0.0, nan, -1.5, -0.0, 0.0, 0.75, 5.0])], [T, T])
    case(w, "max_all_special", torch.max, [sp], [T])
    case(w, "min_all_special", torch.min, [sp], [T])
    ties = torch.tensor([[1.0, 3.0, -inf], [3.0, 0.0, 3.0]])
    case(w, "max_all_ties", torch.max, [ties], [T])
    case(w, "min_all_ties", torch.min, [torch.tensor([[-0.0, 2.0, 0.0], [inf, 0.0, 1.0]])], [T])
    case(w, "max_all_infinities", torch.max, [torch.tensor([-inf, -inf, -inf])], [T])
    case(w, "max_dim1_special", lambda x: x.max(1)[0], [sp], [T])
    case(w, "min_dim0_special", lambda x: x.min(0)[0], [sp], [T])
    case(w, "max_dim0_special_wild", lambda x: x.max(0)[0], [sp], [T], gout=wild[0])
    case(w, "argmax_dim1_special", lambda x: x.argmax(1).float(), [sp], [Fa])
    case(w, "argmin_dim0_special", lambda x: x.argmin(0).float(), [sp], [Fa])
    case(w, "argmax_all_special", lambda x: x.argmax().float(), [sp], [Fa])
    case(w, "argmax_dim1_infinities", lambda x: x.argmax(1).float(), [torch.tensor([[-inf, -inf], [1.0, inf]])], [Fa])
    mask = torch.tensor([[1, 0, 1, 0, 1, 0, 1], [0, 1, 0, 1, 0, 1, 0]], dtype=torch.float32)
    case(w, "where_special_wild", lambda m, x, y: torch.where(m != 0, x, y), [mask, sp, other], [Fa, T, T], gout=wild)
    # Max pooling: PyTorch's rule is "the first maximum, or the last NaN" of each window (padding is -inf).
    img = torch.tensor([[[[nan, 1.0, -inf, -inf, 0.0],
                          [2.0, nan, -inf, -inf, -0.0],
                          [inf, 3.0, -0.0, 0.0, nan],
                          [1.0, inf, 0.0, -0.0, 2.0],
                          [-inf, 5.0, nan, 1.0, 1.0]]]])
    case(w, "max_pool2d_special", lambda x: F.max_pool2d(x, 2), [img], [T])
    case(w, "max_pool2d_special_pad", lambda x: F.max_pool2d(x, 3, stride=1, padding=1), [img], [T])
    case(w, "max_pool2d_special_ceil", lambda x: F.max_pool2d(x, 2, stride=2, ceil_mode=True), [img], [T])
    # A NaN weight reaches the loss through relu instead of vanishing (issue 16).
    def mlp(x, w1, b1, w2, b2):
        return F.cross_entropy(F.linear(torch.relu(F.linear(x, w1, b1)), w2, b2), torch.tensor([1, 0]))
    w1 = data(33, 3, 2, lo=-1.0, hi=1.0)
    w1[1, 0] = nan
    case(w, "mlp_nan_weight", mlp, [data(34, 2, 2), w1, data(35, 3, lo=-0.5, hi=0.5), data(36, 2, 3), data(37, 2)],
         [Fa, T, T, T, T])


def nn_layers():
    w = Writer("nn.txt", "Layers with fixed weights: forward outputs, input and parameter gradients.\n"
                         "in0 is the layer input; for Linear in1 is the weight and in2 the bias.")
    T = True
    x = data(40, 4, 3, lo=-3.0, hi=3.0, avoid=[0.0])
    case(w, "Linear", lambda x, wt, b: nn.functional.linear(x, wt, b), [x, data(41, 2, 3), data(42, 2)], [T, T, T])
    case(w, "Linear_nobias", lambda x, wt: nn.functional.linear(x, wt), [x, data(41, 2, 3)], [T, T])
    case(w, "ReLU", nn.ReLU(), [x], [T])
    case(w, "LeakyReLU", nn.LeakyReLU(0.2), [x], [T])
    case(w, "LeakyReLU_default", nn.LeakyReLU(), [x], [T])
    case(w, "Sigmoid", nn.Sigmoid(), [x], [T])
    case(w, "Tanh", nn.Tanh(), [x], [T])
    case(w, "GELU", nn.GELU(), [x], [T])
    case(w, "Softmax", nn.Softmax(dim=1), [x], [T])
    case(w, "LogSoftmax", nn.LogSoftmax(dim=1), [x], [T])
    case(w, "Flatten", nn.Flatten(), [data(43, 2, 3, 2)], [T])
    case(w, "Dropout_eval", nn.Dropout(0.5).eval(), [x], [T])

    def mlp(x, w1, b1, w2, b2):
        return F.linear(torch.relu(F.linear(x, w1, b1)), w2, b2)
    case(w, "MLP", mlp, [x, data(44, 5, 3, lo=-1.0, hi=1.0), data(45, 5, lo=-0.5, hi=0.5),
                         data(46, 2, 5, lo=-1.0, hi=1.0), data(47, 2, lo=-0.5, hi=0.5)], [T, T, T, T, T])
    w.close()


def losses():
    w = Writer("losses.txt", "Loss values and input gradients; in0 is the input, in1 the target (class indices as floats).")
    T, Fa = True, False
    logits = data(50, 5, 4, lo=-3.0, hi=3.0)
    classes = torch.tensor([2.0, 0.0, 3.0, 1.0, 2.0])
    soft = data(51, 5, 4, lo=0.1, hi=1.0)
    soft = soft / soft.sum(1, keepdim=True)
    for red in ("mean", "sum", "none"):
        case(w, "ce_" + red, lambda x, t, red=red: F.cross_entropy(x, t.long(), reduction=red), [logits, classes], [T, Fa])
        case(w, "ce_ls_" + red, lambda x, t, red=red: F.cross_entropy(x, t.long(), reduction=red, label_smoothing=0.1),
             [logits, classes], [T, Fa])
        case(w, "ce_soft_" + red, lambda x, t, red=red: F.cross_entropy(x, t, reduction=red), [logits, soft], [T, Fa])
        case(w, "ce_soft_ls_" + red, lambda x, t, red=red: F.cross_entropy(x, t, reduction=red, label_smoothing=0.2),
             [logits, soft], [T, Fa])
        logp = torch.log_softmax(logits, 1)
        case(w, "nll_" + red, lambda x, t, red=red: F.nll_loss(x, t.long(), reduction=red), [logp, classes], [T, Fa])
        a, b = data(52, 3, 4), data(53, 3, 4)
        case(w, "mse_" + red, lambda x, y, red=red: F.mse_loss(x, y, reduction=red), [a, b], [T, T])
        p, y = data(54, 3, 4, lo=0.05, hi=0.95), data(55, 3, 4, lo=0.0, hi=1.0)
        case(w, "bce_" + red, lambda x, t, red=red: F.binary_cross_entropy(x, t, reduction=red), [p, y], [T, Fa])
        z = data(56, 3, 4, lo=-4.0, hi=4.0)
        case(w, "bcel_" + red, lambda x, t, red=red: F.binary_cross_entropy_with_logits(x, t, reduction=red), [z, y], [T, Fa])
        pw = torch.tensor([0.5, 1.0, 2.0, 3.0])
        case(w, "bcel_pw_" + red,
             lambda x, t, red=red: F.binary_cross_entropy_with_logits(x, t, reduction=red, pos_weight=pw), [z, y], [T, Fa])
    # Probabilities of exactly 0 and 1 (a saturated sigmoid): finite loss (log clamped at -100) and gradients.
    case(w, "bce_saturated", lambda x, t: F.binary_cross_entropy(x, t),
         [torch.tensor([1.0, 0.0, 0.5, 1.0]), torch.tensor([1.0, 0.0, 1.0, 0.0])], [T, Fa])
    case(w, "nll_unbatched_none", lambda x, t: F.nll_loss(x, t.long(), reduction="none"),
         [torch.log_softmax(data(58, 4), 0), torch.tensor(2.0)], [T, Fa])
    case(w, "ce_unbatched", lambda x, t: F.cross_entropy(x, t.long()), [data(57, 4), torch.tensor(1.0)], [T, Fa])
    w.close()


OPTIMIZERS = {
    "sgd": lambda p: torch.optim.SGD(p, lr=0.1),
    "sgd_momentum": lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9),
    "sgd_nesterov": lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True),
    "sgd_weight_decay": lambda p: torch.optim.SGD(p, lr=0.1, weight_decay=0.01),
    "sgd_dampening": lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9, dampening=0.5),
    "sgd_all": lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.8, weight_decay=0.1, nesterov=True),
    "adam": lambda p: torch.optim.Adam(p, lr=0.01),
    "adam_betas": lambda p: torch.optim.Adam(p, lr=0.02, betas=(0.8, 0.99), eps=1e-6),
    "adam_weight_decay": lambda p: torch.optim.Adam(p, lr=0.01, weight_decay=0.1),
    "adamw": lambda p: torch.optim.AdamW(p, lr=0.01),
    "adamw_weight_decay": lambda p: torch.optim.AdamW(p, lr=0.01, weight_decay=0.5),
    "rmsprop": lambda p: torch.optim.RMSprop(p, lr=0.01),
    "rmsprop_centered": lambda p: torch.optim.RMSprop(p, lr=0.01, centered=True),
    "rmsprop_momentum": lambda p: torch.optim.RMSprop(p, lr=0.01, momentum=0.9),
    "rmsprop_weight_decay": lambda p: torch.optim.RMSprop(p, lr=0.01, alpha=0.9, weight_decay=0.1),
    "rmsprop_all": lambda p: torch.optim.RMSprop(p, lr=0.01, alpha=0.95, eps=1e-6, weight_decay=0.05, momentum=0.5,
                                                 centered=True),
}


def optimizers():
    w = Writer("optim.txt", "Optimizer steps from fixed parameters and gradients; hyper-parameters are in\n"
                            "OPTIMIZERS in generate.py and mirrored in OptimizerGoldenTest.java.")
    for name, make in OPTIMIZERS.items():
        p = torch.nn.Parameter(data(60, 2, 3))
        opt = make([p])
        w.tensor(name + ".p0", p)
        for step in (1, 2, 3):
            g = data(60 + step, 2, 3, lo=-1.0, hi=1.0)
            p.grad = g.clone()
            opt.step()
            w.tensor("%s.g%d" % (name, step), g)
            w.tensor("%s.step%d" % (name, step), p)
    w.close()


def printing():
    lines = [
        "# PyTorch's printed form of tensors (torch.set_printoptions defaults).",
        "# Block format: '@case NAME RECIPE', one tensor line (the input x, format as in ops.txt), '@expect',",
        "# the exact printed lines, '@end'. RECIPE says what Java builds from x: plain, requires_grad, or an",
        "# op applied to x.requiresGrad(true) (mul_tensor: x*x, mul_scalar: x*2, add_scalar: x+1, sum, sum_dim:",
        "# sum(1), exp, relu, sigmoid, tanh, softmax: softmax(-1), log_softmax, neg, view: view(-1), pow: x^2,",
        "# linear: linear(x, ones(2, in), zeros(2)), matmul: x@x^T, mean, div_scalar: x/2, sub_scalar: x-1;",
        "# long: x as int64, bool: x != 0 as bool).",
        "# Generated by scripts/golden/generate.py with torch %s; do not edit." % torch.__version__,
    ]
    names = []

    def block(name, recipe, x, y, grad_fn_check=True):
        lines.append("@case %s %s" % (name, recipe))
        lines.append(golden_file.tensor_line("x", x))
        lines.append("@expect")
        lines.extend(str(y).split("\n"))
        lines.append("@end")

    small = torch.tensor([[0.1, -0.25, 3.5], [1.0 / 3, 2.0, -7.125]])
    block("small_float", "plain", small, small)
    ints = torch.tensor([[1.0, -2.0, 30.0], [4.0, 0.0, 6.0]])
    block("integer_valued", "plain", ints, ints)
    sci = torch.tensor([1e-5, 1.0, 12345.678])
    block("scientific", "plain", sci, sci)
    sci2 = torch.tensor([1.5e9, -2.0, 0.5])
    block("scientific_large", "plain", sci2, sci2)
    zero_d = torch.tensor(3.25)
    block("zero_dim", "plain", zero_d, zero_d)
    zero_d_int = torch.tensor(-4.0)
    block("zero_dim_integer", "plain", zero_d_int, zero_d_int)
    empty = torch.tensor([])
    block("empty", "plain", empty, empty)
    empty2 = torch.zeros(0, 3)
    block("empty_2d", "plain", empty2, empty2)
    one_d = torch.tensor([0.5, 0.25, -0.125, 8.0])
    block("one_d", "plain", one_d, one_d)
    three = torch.arange(24, dtype=torch.float32).reshape(2, 3, 4) / 8 - 1
    block("three_d", "plain", three, three)
    wide = torch.arange(30, dtype=torch.float32) / 7
    block("wrapped_row", "plain", wide, wide)
    big = torch.arange(1200, dtype=torch.float32) / 3
    block("summarised_1d", "plain", big, big)
    big2 = (torch.arange(1200, dtype=torch.float32).reshape(40, 30) - 600) / 16
    block("summarised_2d", "plain", big2, big2)
    neg = torch.tensor([-1.5, 2.25, -0.0625])
    block("negative", "plain", neg, neg)
    special = torch.tensor([float("inf"), -1.5, float("nan"), 2.0])
    block("inf_nan", "plain", special, special)
    rg = torch.tensor([1.5, -2.0, 0.25]).requires_grad_()
    block("requires_grad", "requires_grad", rg.detach(), rg)
    rg0 = torch.tensor(0.5).requires_grad_()
    block("requires_grad_zero_dim", "requires_grad", rg0.detach(), rg0)
    rg_long = (torch.arange(7, dtype=torch.float32) / 3 - 1).requires_grad_()
    block("requires_grad_wrapped", "requires_grad", rg_long.detach(), rg_long)
    rg_rows = (torch.arange(12, dtype=torch.float32).reshape(3, 4) / 5).requires_grad_()
    block("requires_grad_2d", "requires_grad", rg_rows.detach(), rg_rows)
    # int64 and bool tensors (issue 11): x holds the values as floats; Java converts (recipe long / bool).
    for name, t in [("long_small", torch.tensor([3, 1])), ("long_2d", torch.tensor([[1, -20], [300, 4]])),
                    ("long_zero_dim", torch.tensor(5)), ("long_empty", torch.tensor([], dtype=torch.long)),
                    ("long_empty_2d", torch.zeros(2, 0, dtype=torch.long)),
                    ("long_wrapped", torch.arange(40) * 1000 - 7000),
                    ("long_summarised", torch.arange(2000)),
                    ("long_summarised_2d", torch.arange(1200).reshape(40, 30) - 600)]:
        block(name, "long", t.float(), t)
    for name, t in [("bool_1d", torch.tensor([True, False, True])),
                    ("bool_2d", torch.tensor([[True, False], [False, True]])),
                    ("bool_zero_dim", torch.tensor(True)), ("bool_empty", torch.tensor([], dtype=torch.bool)),
                    ("bool_summarised", torch.arange(1500) % 3 == 0)]:
        block(name, "bool", t.float(), t)

    x = torch.tensor([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]])
    recipes = {
        "mul_tensor": lambda t: t * t,
        "mul_scalar": lambda t: t * 2,
        "add_scalar": lambda t: t + 1,
        "sub_scalar": lambda t: t - 1,
        "div_scalar": lambda t: t / 2,
        "sum": lambda t: t.sum(),
        "sum_dim": lambda t: t.sum(1),
        "mean": lambda t: t.mean(),
        "exp": lambda t: t.exp(),
        "relu": lambda t: t.relu(),
        "sigmoid": lambda t: t.sigmoid(),
        "tanh": lambda t: t.tanh(),
        "softmax": lambda t: t.softmax(-1),
        "log_softmax": lambda t: t.log_softmax(-1),
        "neg": lambda t: -t,
        "view": lambda t: t.view(-1),
        "pow": lambda t: t.pow(2),
        "linear": lambda t: F.linear(t, torch.ones(2, t.shape[1]), torch.zeros(2)),
        "matmul": lambda t: t.matmul(t.t()),
    }
    for r, fn in recipes.items():
        block("grad_fn_" + r, r, x, fn(x.clone().requires_grad_()))
    path = os.path.join(OUT, "printing.txt")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    print("wrote", os.path.relpath(path), len(lines), "lines")


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    torch.set_printoptions(profile="default")
    ops()
    nn_layers()
    losses()
    optimizers()
    printing()
