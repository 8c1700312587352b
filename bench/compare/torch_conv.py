"""PyTorch side of ConvBenchmark: the issue's CNN, forward + backward (cross-entropy) at batch 64, samples/s.

Run with OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 bench/compare/torch_conv.py (same timing scheme as
dev.linea.bench.jmh.ConvBenchmark#main: 30 warm-up steps, best of 5 rounds of 20 steps, 1 and 2 threads).
"""
import time, torch, torch.nn as nn

for t in (1, 2):
    torch.set_num_threads(t)
    torch.manual_seed(0)
    m = nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
                      nn.Flatten(), nn.Linear(1600, 128), nn.ReLU(), nn.Linear(128, 10))
    x = torch.rand(64, 1, 28, 28); y = torch.randint(0, 10, (64,))
    lossf = nn.CrossEntropyLoss()
    def step():
        m.zero_grad(); l = lossf(m(x), y); l.backward()
    for _ in range(30): step()
    best = 0
    for r in range(5):
        t0 = time.perf_counter()
        for _ in range(20): step()
        best = max(best, 20 * 64 / (time.perf_counter() - t0))
    print(f"torch {torch.__version__} threads={t}: {best:.0f} samples/s")
