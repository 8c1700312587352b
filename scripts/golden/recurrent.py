#!/usr/bin/python3
"""Golden values for LSTM and GRU, computed with PyTorch (1.13 on CPU, float32).

    /usr/bin/python3 scripts/golden/recurrent.py

writes core/src/test/resources/golden/recurrent.txt in the format of golden_file.py. For each case "<c>":
its PyTorch state dict as "<c>.sd.<name>" (PyTorch's names, in its order), the input "<c>.x", the initial
states "<c>.h0" (and "<c>.c0" for LSTM) when given, the outputs "<c>.out", "<c>.hn" ("<c>.cn"), fixed upstream
gradients "<c>.gout", "<c>.ghn" and the resulting gradients of the input "<c>.gx" and of every parameter
"<c>.grad.<name>". RecurrentGoldenTest loads the state dict into Linea's layer and compares.
"""
import torch
import torch.nn as nn

import golden_file

torch.manual_seed(1113)
out = golden_file.Writer("recurrent.txt", "LSTM and GRU: state dicts, outputs and gradients.", "recurrent.py")


def run(name, module, x, state=None):
    x = x.clone().requires_grad_(True)
    for k, v in module.state_dict().items():
        out.tensor("%s.sd.%s" % (name, k), v)
    out.tensor(name + ".x", x)
    lstm = isinstance(module, nn.LSTM)
    if state is not None:
        out.tensor(name + ".h0", state[0] if lstm else state)
        if lstm:
            out.tensor(name + ".c0", state[1])
        y, hidden = module(x, state)
    else:
        y, hidden = module(x)
    hn = hidden[0] if lstm else hidden
    out.tensor(name + ".out", y)
    out.tensor(name + ".hn", hn)
    gout, ghn = torch.randn(y.shape), torch.randn(hn.shape)
    loss = (y * gout).sum() + (hn * ghn).sum()
    if lstm:
        out.tensor(name + ".cn", hidden[1])
        gcn = torch.randn(hidden[1].shape)
        out.tensor(name + ".gcn", gcn)
        loss = loss + (hidden[1] * gcn).sum()
    out.tensor(name + ".gout", gout)
    out.tensor(name + ".ghn", ghn)
    loss.backward()
    out.tensor(name + ".gx", x.grad)
    for k, p in module.named_parameters():
        out.tensor("%s.grad.%s" % (name, k), p.grad)


run("lstm1", nn.LSTM(3, 4), torch.randn(5, 2, 3))
run("lstm_deep_bi_bf", nn.LSTM(3, 4, num_layers=2, batch_first=True, bidirectional=True), torch.randn(2, 5, 3))
run("lstm_state", nn.LSTM(3, 2, num_layers=2), torch.randn(4, 3, 3), (torch.randn(2, 3, 2), torch.randn(2, 3, 2)))
run("lstm_unbatched_nobias", nn.LSTM(3, 4, bias=False, bidirectional=True), torch.randn(6, 3),
    (torch.randn(2, 4), torch.randn(2, 4)))
run("gru1", nn.GRU(3, 4), torch.randn(5, 2, 3))
run("gru_deep_bi_bf", nn.GRU(3, 4, num_layers=2, batch_first=True, bidirectional=True), torch.randn(2, 5, 3))
run("gru_state", nn.GRU(2, 3, num_layers=3), torch.randn(4, 2, 2), torch.randn(3, 2, 3))
out.close()
