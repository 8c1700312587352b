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
w.close()
