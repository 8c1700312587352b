#!/usr/bin/python3
"""Golden optimizer steps for the options of issue 11 (AMSGrad), computed with PyTorch (1.13 on CPU).

    /usr/bin/python3 scripts/golden/optim_options.py

writes core/src/test/resources/golden/optim_options.txt in generate.py's optimizer format: <case>.p0 the
initial parameter, <case>.gN the gradient before step N, <case>.stepN the parameter after it, and
<case>.max_exp_avg_sq the state after the last step. The gradients shrink and grow so that AMSGrad's
running maximum differs from exp_avg_sq. OptimizerOptionsGoldenTest mirrors the hyper-parameters.
"""
import torch

import golden_file
from generate import data

OPTIMIZERS = {
    "adam_amsgrad": lambda p: torch.optim.Adam(p, lr=0.05, amsgrad=True),
    "adam_amsgrad_wd": lambda p: torch.optim.Adam(p, lr=0.02, betas=(0.8, 0.9), eps=1e-6, weight_decay=0.1,
                                                  amsgrad=True),
    "adamw_amsgrad": lambda p: torch.optim.AdamW(p, lr=0.03, weight_decay=0.05, amsgrad=True),
}
SCALES = [1.0, 3.0, 0.2, 0.1, 2.0, 0.05]

w = golden_file.Writer("optim_options.txt", "AMSGrad steps from fixed parameters and gradients.", "optim_options.py")
for name, make in OPTIMIZERS.items():
    p = torch.nn.Parameter(data(90, 2, 3))
    opt = make([p])
    w.tensor(name + ".p0", p)
    for step, scale in enumerate(SCALES, 1):
        g = data(90 + step, 2, 3, lo=-1.0, hi=1.0) * scale
        p.grad = g.clone()
        opt.step()
        w.tensor("%s.g%d" % (name, step), g)
        w.tensor("%s.step%d" % (name, step), p)
    w.tensor(name + ".max_exp_avg_sq", opt.state[p]["max_exp_avg_sq"])
w.close()
