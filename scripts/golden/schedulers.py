#!/usr/bin/python3
"""Golden learning-rate sequences from PyTorch's torch.optim.lr_scheduler, for Linea's scheduler tests.

Run with a Python that has torch (PyTorch 1.13 was used):
    /usr/bin/python3 scripts/golden/schedulers.py

writes core/src/test/resources/golden/schedulers.txt in the format of golden_file.py: one entry per key,
naming the scenario and what is recorded (lr, momentum or beta1), of shape (steps + 1) x groups: row 0 is
the value right after construction and row i the value after the i-th scheduler.step(), one value per
parameter group, printed with repr (shortest round-trip decimal of the double).
The scenario settings are repeated in SchedulerGoldenTest.java; change both together.
"""
import warnings

import torch
from torch.optim import SGD, Adam
from torch.optim import lr_scheduler as L

import golden_file

warnings.filterwarnings("ignore")
STEPS = 30


def two_groups(opt_cls=SGD, **kw):
    a = torch.nn.Parameter(torch.zeros(2))
    b = torch.nn.Parameter(torch.zeros(3))
    return opt_cls([{"params": [a]}, {"params": [b], "lr": 0.01}], lr=0.1, **kw)


ROWS = {}  # key -> rows in step order; insertion order is the file's order


def emit(key, i, values):
    rows = ROWS.setdefault(key, [])
    assert i == len(rows), "%s: row %d recorded out of order" % (key, i)
    rows.append([float(v) for v in values])


def run(key, opt, sched, steps=STEPS, momentum=None):
    emit(key + ".lr", 0, sched.get_last_lr())
    if momentum:
        emit(key + "." + momentum, 0, moms(opt, momentum))
    for i in range(1, steps + 1):
        opt.step()
        sched.step()
        emit(key + ".lr", i, sched.get_last_lr())
        if momentum:
            emit(key + "." + momentum, i, moms(opt, momentum))


def moms(opt, which):
    return [g["betas"][0] if which == "beta1" else g["momentum"] for g in opt.param_groups]


o = two_groups(); run("step", o, L.StepLR(o, step_size=7, gamma=0.5))
o = two_groups(); run("multistep", o, L.MultiStepLR(o, milestones=[5, 12, 12, 20], gamma=0.3))
o = two_groups(); run("exponential", o, L.ExponentialLR(o, gamma=0.9))
o = two_groups(); run("cosine", o, L.CosineAnnealingLR(o, T_max=10, eta_min=0.001))
o = two_groups(); run("linear", o, L.LinearLR(o))
o = two_groups(); run("linear2", o, L.LinearLR(o, start_factor=0.1, end_factor=0.5, total_iters=8))
o = two_groups(Adam); run("onecycle", o, L.OneCycleLR(o, max_lr=0.01, total_steps=STEPS), momentum="beta1")
o = two_groups(SGD, momentum=0.9)
run("onecycle3", o, L.OneCycleLR(o, max_lr=[0.05, 0.02], total_steps=STEPS, pct_start=0.25,
                                 anneal_strategy="linear", div_factor=10.0, final_div_factor=100.0,
                                 three_phase=True), momentum="momentum")
o = two_groups()
warm = L.LinearLR(o, start_factor=0.1, total_iters=5)
cos = L.CosineAnnealingLR(o, T_max=25)
run("sequential", o, L.SequentialLR(o, [warm, cos], milestones=[5]))

METRICS = [1.0, 0.9, 0.95, 0.95, 0.95, 0.8, 0.85, 0.85, 0.85, 0.85, 0.85, 0.7999, 0.79, 0.79, 0.79,
           0.79, 0.79, 0.79, 0.79, 0.79, 0.79, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]
MAX_METRICS = [0.1, 0.2, 0.2, 0.25, 0.25, 0.25, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3,
               0.31, 0.32, 0.32, 0.32, 0.32, 0.32, 0.32, 0.32, 0.32, 0.32, 0.32, 0.32, 0.32, 0.32, 0.32]
o = two_groups()
p = L.ReduceLROnPlateau(o, mode="min", factor=0.5, patience=2, cooldown=1, min_lr=[0.01, 0.004])
emit("plateau.lr", 0, [g["lr"] for g in o.param_groups])
for i, m in enumerate(METRICS, 1):
    p.step(m)
    emit("plateau.lr", i, p._last_lr)
o = two_groups()
p = L.ReduceLROnPlateau(o, mode="max", factor=0.1, patience=3, threshold=0.02, threshold_mode="abs")
emit("plateau_max.lr", 0, [g["lr"] for g in o.param_groups])
for i, m in enumerate(MAX_METRICS, 1):
    p.step(m)
    emit("plateau_max.lr", i, p._last_lr)

out = golden_file.Writer("schedulers.txt", """
Learning-rate (and momentum) sequences of torch.optim.lr_scheduler: two parameter groups (lr 0.1 and 0.01),
row 0 right after construction, row i after the i-th step (settings in schedulers.py and SchedulerGoldenTest).
""", "schedulers.py")
for key, rows in ROWS.items():
    out.doubles(key, (len(rows), len(rows[0])), [v for r in rows for v in r])
out.close()
