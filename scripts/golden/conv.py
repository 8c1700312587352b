#!/usr/bin/env python3
"""Golden values for Linea's convolutional layers, computed with PyTorch (1.13 on CPU, float32).

Run from the repository root with a Python that has torch:
    /usr/bin/python3 scripts/golden/conv.py
It writes core/src/test/resources/golden/conv.txt in the format of golden_file.py (one tensor a line:
name shape v1 v2 ...). Each case "<case>" stores its inputs (<case>.x, parameters, <case>.gy = the upstream
gradient) and PyTorch's results (<case>.y, <case>.gx, <case>.gweight, <case>.gbias, ...); ConvGoldenTest
reads them back.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

import golden_file

torch.manual_seed(1234)
torch.set_num_threads(1)
out = golden_file.Writer("conv.txt", "", "conv.py")


def put(name, t):
    out.tensor(name, t)


def put_int(name, value):
    out.tensor(name, torch.tensor(float(value)))


def run_module(case, m, x, params):
    """Forward + backward of module m on x with a random upstream gradient; stores inputs and results."""
    x = x.clone().requires_grad_(True)
    put(case + ".x", x)
    for pname in params:
        p = getattr(m, pname)
        if p is not None:
            put(case + "." + pname, p)
    y = m(x)
    gy = torch.randn_like(y)
    y.backward(gy)
    put(case + ".gy", gy)
    put(case + ".y", y)
    put(case + ".gx", x.grad)
    for pname in params:
        p = getattr(m, pname)
        if p is not None and p.grad is not None:
            put(case + ".g" + pname, p.grad)
    return y


# ---------------------------------------------------------------- Conv2d
run_module("conv_a", nn.Conv2d(3, 4, 3), torch.randn(2, 3, 7, 6), ["weight", "bias"])
run_module("conv_b", nn.Conv2d(4, 6, (3, 2), stride=(2, 1), padding=(1, 2), dilation=(2, 1), groups=2),
           torch.randn(2, 4, 9, 8), ["weight", "bias"])
run_module("conv_c", nn.Conv2d(3, 3, 3, stride=2, padding=1, groups=3, bias=False),
           torch.randn(1, 3, 5, 5), ["weight"])
run_module("conv_d", nn.Conv2d(2, 3, 2, stride=3, padding=2, dilation=2), torch.randn(3, 2, 8, 7), ["weight", "bias"])
# Deep products (C·kh·kw >= 64) take the transposed-product path: plain, grouped, and 1x1.
run_module("conv_e", nn.Conv2d(8, 6, 3, padding=1), torch.randn(2, 8, 7, 7), ["weight", "bias"])
run_module("conv_f", nn.Conv2d(16, 4, 3, groups=2), torch.randn(2, 16, 6, 5), ["weight", "bias"])
run_module("conv_g", nn.Conv2d(64, 5, 1), torch.randn(2, 64, 4, 3), ["weight", "bias"])

# ---------------------------------------------------------------- ConvTranspose2d
run_module("convt_a", nn.ConvTranspose2d(4, 6, 3, stride=2, padding=1, output_padding=1, groups=2),
           torch.randn(2, 4, 4, 5), ["weight", "bias"])
run_module("convt_b", nn.ConvTranspose2d(3, 2, (2, 3), stride=(1, 2), padding=(0, 1), output_padding=(0, 1),
                                         dilation=(2, 1), bias=False),
           torch.randn(2, 3, 3, 4), ["weight"])

# ---------------------------------------------------------------- pooling
# Small integers so that windows contain ties: the gradient goes to the first maximum.
run_module("maxpool_a", nn.MaxPool2d(2), torch.randint(0, 3, (2, 3, 6, 6)).float(), [])
run_module("maxpool_b", nn.MaxPool2d(3, stride=2, padding=1, dilation=2, ceil_mode=True),
           torch.randint(0, 4, (1, 2, 9, 10)).float(), [])
run_module("maxpool_c", nn.MaxPool2d((2, 3), stride=(1, 2), padding=(1, 1)), torch.randn(2, 2, 5, 7), [])
run_module("avgpool_a", nn.AvgPool2d(2), torch.randn(2, 3, 6, 6), [])
run_module("avgpool_b", nn.AvgPool2d(3, stride=2, padding=1, ceil_mode=True, count_include_pad=False),
           torch.randn(1, 2, 7, 8), [])
run_module("avgpool_c", nn.AvgPool2d((3, 2), stride=(2, 1), padding=(1, 1), ceil_mode=True, count_include_pad=True),
           torch.randn(1, 2, 7, 6), [])
run_module("adaptive_a", nn.AdaptiveAvgPool2d((3, 4)), torch.randn(2, 2, 7, 10), [])
run_module("adaptive_b", nn.AdaptiveAvgPool2d(5), torch.randn(1, 1, 5, 7), [])
run_module("adaptive_c", nn.AdaptiveAvgPool2d((4, 3)), torch.randn(1, 2, 3, 2), [])
run_module("adaptive_d", nn.AdaptiveAvgPool2d(1), torch.randn(2, 3, 9, 11), [])

# ---------------------------------------------------------------- upsampling
run_module("upsample_a", nn.Upsample(scale_factor=2, mode="nearest"), torch.randn(1, 2, 3, 4), [])
run_module("upsample_b", nn.Upsample(scale_factor=1.5, mode="nearest"), torch.randn(1, 1, 4, 5), [])


# ---------------------------------------------------------------- BatchNorm
def batchnorm_case(case, bn, x, x_eval):
    with torch.no_grad():
        if bn.affine:
            bn.weight.copy_(torch.randn_like(bn.weight))
            bn.bias.copy_(torch.randn_like(bn.bias))
    bn.train()
    run_module(case, bn, x, ["weight", "bias"] if bn.affine else [])
    if bn.track_running_stats:
        put(case + ".running_mean", bn.running_mean)
        put(case + ".running_var", bn.running_var)
        put_int(case + ".num_batches_tracked", int(bn.num_batches_tracked))
        bn.eval()
        if bn.affine:
            bn.weight.grad = None
            bn.bias.grad = None
        run_module(case + ".eval", bn, x_eval, ["weight", "bias"] if bn.affine else [])


batchnorm_case("bn2d", nn.BatchNorm2d(3), torch.randn(4, 3, 5, 5) * 2 + 1, torch.randn(2, 3, 4, 4))
batchnorm_case("bn1d_a", nn.BatchNorm1d(4), torch.randn(8, 4) * 3 - 1, torch.randn(3, 4))
batchnorm_case("bn1d_b", nn.BatchNorm1d(4, eps=1e-3, momentum=0.2), torch.randn(5, 4, 3), torch.randn(2, 4, 3))
batchnorm_case("bn1d_c", nn.BatchNorm1d(3, affine=False, track_running_stats=False), torch.randn(6, 3), None)
# Planes of 32 values or more are reduced by the vector kernels (shorter ones element by element).
batchnorm_case("bn2d_wide", nn.BatchNorm2d(3), torch.randn(4, 3, 8, 9) * 2 + 1, torch.randn(2, 3, 8, 8))

# ---------------------------------------------------------------- the CNN
cnn = nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
                    nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
                    nn.Flatten(), nn.Linear(1600, 128), nn.ReLU(), nn.Linear(128, 10))
put_int("cnn.parameter_count", sum(p.numel() for p in cnn.parameters()))
assert cnn(torch.zeros(2, 1, 28, 28)).shape == (2, 10)

out.close()

# repr strings used by the printing test
for m in [nn.Conv2d(1, 32, 3), nn.MaxPool2d(2), nn.BatchNorm2d(32), cnn]:
    print(repr(m))
