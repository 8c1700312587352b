#!/usr/bin/python3
"""Golden state dicts of PyTorch models built from containers, computed with PyTorch (1.13 on CPU).

    /usr/bin/python3 scripts/golden/modules.py

writes core/src/test/resources/golden/modules.txt in the format of golden_file.py: for a model "<m>",
every state-dict entry as "<m>.sd.<key>" (in PyTorch's state_dict order, which the Java test compares),
a fixed input "<m>.x" and PyTorch's output "<m>.y". ModuleGoldenTest builds the same model in Linea, loads
the entries and compares the output.
"""
import torch
import torch.nn as nn

import golden_file

torch.manual_seed(11)
out = golden_file.Writer("modules.txt", "State dicts of PyTorch models with weight tying, ModuleList and ModuleDict.",
                         "modules.py")


class Tied(nn.Module):
    """enc and dec are one module under two names; layers a ModuleList; heads a ModuleDict."""

    def __init__(self):
        super().__init__()
        self.enc = nn.Linear(4, 4)
        self.layers = nn.ModuleList([nn.Linear(4, 4), nn.Linear(4, 4)])
        self.dec = self.enc
        self.heads = nn.ModuleDict({"cls": nn.Linear(4, 3), "reg": nn.Linear(4, 1)})

    def forward(self, x):
        x = torch.relu(self.enc(x))
        for layer in self.layers:
            x = torch.tanh(layer(x))
        x = self.dec(x)
        return torch.cat([self.heads["cls"](x), self.heads["reg"](x)], 1)


def dump(name, model, x):
    for k, v in model.state_dict().items():
        out.tensor("%s.sd.%s" % (name, k), v)
    out.tensor(name + ".x", x)
    out.tensor(name + ".y", model(x))


with torch.no_grad():
    dump("tied", Tied(), torch.randn(2, 4))
out.close()
