#!/usr/bin/python3
"""Golden values for the layer options of issue 11, computed with PyTorch (1.13 on CPU, float32).

    /usr/bin/python3 scripts/golden/layers.py

writes core/src/test/resources/golden/layers.txt in generate.py's case format (<case>.in0, ... inputs; .out;
.gout the upstream gradient; .gradN the gradients of the inputs that require grad): GELU's tanh
approximation, layer_norm, and conv2d's padding modes. LayerGoldenTest reads it.
"""
import torch
import torch.nn.functional as F

import golden_file
from generate import case, data

T, Fa = True, False

w = golden_file.Writer("layers.txt", "GELU tanh, layer_norm, conv2d padding modes.", "layers.py")
case(w, "gelu_tanh", lambda x: F.gelu(x, approximate="tanh"), [data(80, 3, 5, lo=-4.0, hi=4.0)], [T])
x = data(81, 2, 3, 8, lo=-2.0, hi=3.0)
case(w, "layer_norm_last", lambda x, g, b: F.layer_norm(x, (8,), g, b), [x, data(82, 8), data(83, 8)], [T, T, T])
case(w, "layer_norm_two", lambda x, g, b: F.layer_norm(x, (3, 8), g, b, eps=1e-3),
     [x, data(84, 3, 8), data(85, 3, 8)], [T, T, T])
case(w, "layer_norm_plain", lambda x: F.layer_norm(x, (3, 8)), [x], [T])
case(w, "layer_norm_odd", lambda x, g, b: F.layer_norm(x, (19,), g, b),
     [data(86, 4, 19, lo=-5.0, hi=5.0), data(87, 19), data(88, 19)], [T, T, T])
img = data(89, 2, 2, 5, 6)
for mode in ("constant", "reflect", "replicate", "circular"):
    case(w, "pad_" + mode, lambda x, mode=mode: F.pad(x, (2, 1, 1, 3) if mode != "reflect" else (2, 1, 1, 3), mode=mode),
         [img], [T])
wt, bs = data(95, 3, 2, 2, 3), data(96, 3)
for mode in ("zeros", "reflect", "replicate", "circular"):
    def conv(x, wt, bs, mode=mode):
        m = torch.nn.Conv2d(2, 3, (2, 3), padding="same", padding_mode=mode, dilation=(2, 1))
        with torch.no_grad():
            m.weight.copy_(wt)
            m.bias.copy_(bs)
        return m(x)
    case(w, "conv_same_" + mode, conv, [img, wt, bs], [T, Fa, Fa])
def conv_explicit(x, wt, bs):
    m = torch.nn.Conv2d(2, 3, (2, 3), stride=(2, 1), padding=(1, 2), padding_mode="reflect")
    with torch.no_grad():
        m.weight.copy_(wt)
        m.bias.copy_(bs)
    return m(x)
case(w, "conv_reflect_strided", conv_explicit, [img, wt, bs], [T, Fa, Fa])
case(w, "conv_valid", lambda x, wt, bs: F.conv2d(x, wt, bs, padding="valid"), [img, wt, bs], [T, Fa, Fa])
w.close()
