#!/usr/bin/env python3
"""The PyTorch (and numpy/OpenBLAS) side of Linea's reference workloads.

Prints one JSON object per figure, the same shape as `./linea bench`:
  {"peer":"pytorch-1.13.0","workload":"W1","variant":"batch32-threads1","value":...,"unit":"samples/s"}

W1: train the tutorial FCNN (logits into CrossEntropyLoss, Adam 1e-3) on Fashion-MNIST held in memory,
    samples/s over one epoch after 200 warm-up steps and at least 2 s (W4 likewise, after 30 steps and 2 s).
W2: inference, batch 1000, samples/s (median of 5 passes of 10 batches, cycling through the test images, after 20
    warm-up passes).
W4: train the CNN (two conv/pool stages, two linear layers), Adam, batch 64: samples/s over 150 steps.
W5: sgemm GFLOP/s with numpy (OpenBLAS) and with torch.mm (the BLAS PyTorch was built with: OpenBLAS for
    Debian's 1.13, MKL for the 2.x +cpu wheels), square sizes and the FCNN's layer shapes.
W6: single-image inference latency, p50 and p99 in microseconds over 10,000 calls after 2,000 warm-up.
W7: train one LSTM layer (input 64, hidden 128), sequences of 35, batch 32: mean(output^2), backward, Adam;
    steps/s over 100 steps after 100 warm-up.

The peer is named after the PyTorch it runs on ("pytorch-1.13.0", "pytorch-2.13.0"), so one run can put
Debian's PyTorch and a pip wheel side by side. `export-onnx PATH` writes the FCNN as ONNX (opset 17, a dynamic
batch axis) for the onnxruntime peer.

Run with OMP_WAIT_POLICY=PASSIVE (run.sh does): OpenMP's spin-waiting collapses 2-thread figures on a
shared 2-core machine.
"""
import argparse
import gzip
import json
import os
import struct
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SAMPLE = os.path.join(ROOT, "sample-data/src/main/resources/dev/linea/sample-data/fashion-mnist")
FULL_DIRS = [os.path.join(os.environ["LINEA_DATA"], "fashion-mnist")] if os.environ.get("LINEA_DATA") else []
FULL_DIRS += [os.path.expanduser("~/.linea/data/fashion-mnist"), "/usr/share/datasets/fashion-mnist"]


def read_idx(path):
    opener = gzip.open if open(path, "rb").read(2) == b"\x1f\x8b" else open
    with opener(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return dims, data[4 + 4 * ndim:]


def load(split):
    import numpy as np
    prefix = "train" if split == "train" else "t10k"
    for d in FULL_DIRS + [SAMPLE]:
        for ext in ("", ".gz"):
            img = os.path.join(d, f"{prefix}-images-idx3-ubyte{ext}")
            lab = os.path.join(d, f"{prefix}-labels-idx1-ubyte{ext}")
            if os.path.exists(img) and os.path.exists(lab):
                dims, px = read_idx(img)
                _, lb = read_idx(lab)
                x = np.frombuffer(px, dtype=np.uint8).reshape(dims[0], 784).astype(np.float32) / 255.0
                y = np.frombuffer(lb, dtype=np.uint8).astype(np.int64)
                return x, y, d
    raise SystemExit("torch_workloads: Fashion-MNIST not found (looked in %s)" % (FULL_DIRS + [SAMPLE]))


def peer_name(torch):
    return "pytorch-" + torch.__version__.split("+")[0]


def emit(peer, workload, variant, value, unit):
    print(json.dumps({"peer": peer, "workload": workload, "variant": variant, "value": round(value, 1), "unit": unit},
                     separators=(",", ":")),
          flush=True)


def fcnn(torch):
    nn = torch.nn
    return nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 10))


def training_rate(torch, network, x, y, image_shape, batch, threads, warmup, steps):
    """Samples/s of `steps` training steps (cross-entropy, Adam 1e-3) after `warmup` untimed ones and 2 s."""
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    model = network(torch)
    criterion = torch.nn.CrossEntropyLoss()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    X, Y = torch.from_numpy(x).view(-1, *image_shape), torch.from_numpy(y)
    n = X.shape[0]
    order = torch.randperm(n, generator=torch.Generator().manual_seed(1))

    def step(s):
        idx = order[(torch.arange(batch) + s * batch) % n]
        loss = criterion(model(X[idx]), Y[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()

    # At least `warmup` steps and 2 seconds (Workloads.WARMUP_SECONDS), as on the Linea side.
    done, start = 0, time.perf_counter()
    while done < warmup or time.perf_counter() - start < 2.0:
        step(done)
        done += 1
    t0 = time.perf_counter()
    for s in range(steps):
        step(done + s)
    return steps * batch / (time.perf_counter() - t0)


def w1(torch, x, y, batch, threads):
    return training_rate(torch, fcnn, x, y, (784,), batch, threads, 200, x.shape[0] // batch)


def cnn(torch):
    nn = torch.nn
    return nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3), nn.ReLU(),
                         nn.MaxPool2d(2), nn.Flatten(), nn.Linear(1600, 128), nn.ReLU(), nn.Linear(128, 10))


def w4(torch, x, y, threads):
    return training_rate(torch, cnn, x, y, (1, 28, 28), 64, threads, 30, 150)


def w2(torch, x, threads):
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    model = fcnn(torch).eval()
    X = torch.from_numpy(x)
    batches = X.shape[0] // 1000  # W2_PASS_BATCHES batches a pass, cycling through them (Workloads.w2BatchStart)
    times = []
    with torch.no_grad():
        for rep in range(25):
            t0 = time.perf_counter()
            for b in range(10):
                s = b % batches * 1000
                model(X[s:s + 1000]).argmax(1)
            times.append(time.perf_counter() - t0)
    t = sorted(times[20:])[2]
    return 10 * 1000 / t


def w6(torch, x, threads):
    """Latency of one image through the FCNN (eval, no grad, argmax): p50 and p99 in microseconds."""
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    model = fcnn(torch).eval()
    n = x.shape[0]
    micros = []
    with torch.no_grad():
        for call in range(-2000, 10000):
            r = call % n
            t0 = time.perf_counter()
            image = torch.from_numpy(x[r:r + 1].copy())  # the request's own copy, as in Linea's W6
            int(model(image).argmax(1)[0])
            if call >= 0:
                micros.append((time.perf_counter() - t0) * 1e6)
    micros.sort()
    return micros[int(0.5 * len(micros) + 0.999999) - 1], micros[int(0.99 * len(micros) + 0.999999) - 1]


def export_onnx(torch, path):
    torch.manual_seed(0)
    model = fcnn(torch).eval()
    torch.onnx.export(model, torch.zeros(1, 784), path, opset_version=17, input_names=["input"],
                      output_names=["logits"], dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}})


def gflops(multiply, m, n, k):
    """GFLOP/s of an (m, k)·(k, n) product: the median of 7 timed batches after a warm-up."""
    flop = 2.0 * m * n * k
    reps = int(max(1, min(100000, 2e9 / 40 / flop)))
    for _ in range(max(20, reps)):
        multiply()
    rates = []
    for _ in range(7):
        t0 = time.perf_counter()
        for _ in range(reps):
            multiply()
        rates.append(flop * reps / (time.perf_counter() - t0) / 1e9)
    return sorted(rates)[3]


def w5_torch(torch, threads, shapes):
    torch.set_num_threads(threads)
    g = torch.Generator().manual_seed(1)
    for name, m, k, n, ta, tb in shapes:
        a = torch.rand((k, m) if ta else (m, k), generator=g) - 0.5
        b = torch.rand((n, k) if tb else (k, n), generator=g) - 0.5
        A = a.t() if ta else a
        B = b.t() if tb else b
        c = torch.empty(m, n)
        emit(peer_name(torch), "W5", "%s-threads%d" % (name, threads), gflops(lambda: torch.mm(A, B, out=c), m, n, k),
             "GFLOP/s")


def w5_shapes(sizes):
    shapes = [("sgemm%d" % s, s, s, s, False, False) for s in sizes]
    shapes += [("fwd32x784x128", 32, 784, 128, False, True), ("fwd256x784x128", 256, 784, 128, False, True),
               ("wgrad784x32x128", 784, 32, 128, True, False), ("igrad32x128x784", 32, 128, 784, False, False)]
    return shapes


def w5(np, threads, sizes):
    try:
        from threadpoolctl import threadpool_limits
        ctx = threadpool_limits(limits=threads)
    except ImportError:
        ctx = None  # run.sh sets OPENBLAS_NUM_THREADS per run instead
    shapes = w5_shapes(sizes)
    rng = np.random.default_rng(1)
    for name, m, k, n, ta, tb in shapes:
        a = (rng.random((k, m) if ta else (m, k), dtype=np.float32) - 0.5)
        b = (rng.random((n, k) if tb else (k, n), dtype=np.float32) - 0.5)
        A = a.T if ta else a
        B = b.T if tb else b
        c = np.empty((m, n), dtype=np.float32)
        emit("numpy", "W5", "%s-threads%d" % (name, threads), gflops(lambda: np.dot(A, B, out=c), m, n, k), "GFLOP/s")


def w7(torch, threads):
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    lstm = torch.nn.LSTM(64, 128)
    opt = torch.optim.Adam(lstm.parameters(), lr=1e-3)
    x = torch.randn(35, 32, 64)

    def step():
        out, _ = lstm(x)
        loss = (out * out).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()

    for _ in range(100):  # W7_WARMUP and W7_TIMED of Workloads.java
        step()
    t0 = time.perf_counter()
    for _ in range(100):
        step()
    return 100 / (time.perf_counter() - t0)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("workloads", nargs="*", default=["W1", "W2", "W4", "W5", "W6", "W7"])
    p.add_argument("--batch-size", type=int)
    p.add_argument("--threads", type=int)
    p.add_argument("--sizes", default="64,128,256,512,1024,2048")
    a = p.parse_args()
    threads = [a.threads] if a.threads else [1, 2]
    batches = [a.batch_size] if a.batch_size else [32, 256]
    if a.workloads[:1] == ["export-onnx"]:
        import torch
        export_onnx(torch, a.workloads[1])
        return
    for w in a.workloads:
        w = w.upper()
        if w == "W5":
            import numpy as np
            for t in threads:
                w5(np, t, [int(s) for s in a.sizes.split(",")])
            try:
                import torch
            except ImportError:
                continue
            for t in threads:
                w5_torch(torch, t, w5_shapes([int(s) for s in a.sizes.split(",")]))
            continue
        try:
            import torch
        except ImportError:
            raise SystemExit("torch_workloads: PyTorch is missing for %s: sudo apt-get install python3-torch "
                             "libopenblas0-pthread" % sys.executable)
        peer = peer_name(torch)
        if w == "W1":
            x, y, src = load("train")
            print("torch_workloads: W1 data from " + src, file=sys.stderr)
            for b in batches:
                for t in threads:
                    emit(peer, "W1", "batch%d-threads%d" % (b, t), w1(torch, x, y, b, t), "samples/s")
        elif w == "W4":
            x, y, _ = load("train")
            for t in threads:
                emit(peer, "W4", "batch64-threads%d" % t, w4(torch, x, y, t), "samples/s")
        elif w == "W7":
            for t in threads:
                emit(peer, "W7", "seq35-batch32-hidden128-threads%d" % t, w7(torch, t), "steps/s")
        elif w == "W2":
            x, _, _ = load("test")
            for t in threads:
                emit(peer, "W2", "batch1000-threads%d" % t, w2(torch, x, t), "samples/s")
        elif w == "W6":
            x, _, _ = load("test")
            for t in threads:
                p50, p99 = w6(torch, x, t)
                emit(peer, "W6", "p50-threads%d" % t, p50, "us")
                emit(peer, "W6", "p99-threads%d" % t, p99, "us")
        else:
            raise SystemExit("unknown workload " + w)


if __name__ == "__main__":
    main()
