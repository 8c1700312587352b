"""PyTorch exports for Linea's ONNX import tests (dev.linea.onnx.TorchExportTest, dev.linea.examples.GanOnnxTest).

Run with Debian's /usr/bin/python3 (torch 1.13): `python3 scripts/onnx/export_torch.py`. For each model it writes,
under core/src/test/resources/onnx/torch/:

    NAME.onnx              torch.onnx.export, opset 17, a dynamic batch axis "N" on input and output
    NAME.safetensors       the model's state dict (float32), for loading into Linea's own model: written for
                           fcnn and cnn only (the other weights are the ONNX files' initializers; the GAN
                           generator's 5.9 MB are not stored twice)
    NAME-io.safetensors    "input" (a batch of 3) and "output" (PyTorch's eval-mode forward of it)

Models: the FCNN (logits) and the tutorial's FCNN ending in softmax; the CNN; a CNN with BatchNorm and Dropout
in eval mode, exported with constant folding (PyTorch folds BatchNorm into the Conv, naming the folded weights
onnx::Conv_NN) and without it (BatchNormalization nodes kept); the GAN generator of examples/Gan.java.
CI reads the committed files and never runs this script.
"""
import json
import os
import struct

import torch
import torch.nn as nn
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "core", "src", "test", "resources",
                   "onnx", "torch")


def save_safetensors(path, tensors):
    """The safetensors format (8-byte header length, JSON header, raw little-endian data), float32, name order."""
    header, blobs, offset = {}, [], 0
    for name in sorted(tensors):
        t = tensors[name].detach().to(torch.float32).contiguous()
        data = struct.pack("<%df" % t.numel(), *t.reshape(-1).tolist())
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * ((8 - (8 + len(text)) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


class FCNN(nn.Module):
    def __init__(self, softmax=False):
        super().__init__()
        self.fc1 = nn.Linear(784, 128)
        self.fc2 = nn.Linear(128, 64)
        self.fc3 = nn.Linear(64, 10)
        self.softmax = softmax

    def forward(self, x):
        x = x.view(-1, 784)
        x = torch.relu(self.fc1(x))
        x = torch.relu(self.fc2(x))
        x = self.fc3(x)
        return torch.softmax(x, dim=1) if self.softmax else x


class CNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 3)
        self.conv2 = nn.Conv2d(32, 64, 3)
        self.pool = nn.MaxPool2d(2)
        self.fc1 = nn.Linear(1600, 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = self.pool(F.relu(self.conv2(x)))
        x = torch.flatten(x, 1)
        x = F.relu(self.fc1(x))
        return self.fc2(x)


class CNNBatchNorm(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(16)
        self.conv2 = nn.Conv2d(16, 32, 3)
        self.bn2 = nn.BatchNorm2d(32)
        self.pool = nn.MaxPool2d(2)
        self.dropout = nn.Dropout(0.5)
        self.fc1 = nn.Linear(32 * 6 * 6, 64)
        self.fc2 = nn.Linear(64, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.bn1(self.conv1(x))))
        x = self.pool(F.relu(self.bn2(self.conv2(x))))
        x = torch.flatten(x, 1)
        x = self.dropout(F.relu(self.fc1(x)))
        return self.fc2(x)


class Generator(nn.Module):
    """examples/Gan.java's generator: the same layers under the same names (net.0 ... net.7)."""

    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(64, 256), nn.LeakyReLU(0.2), nn.Linear(256, 512), nn.LeakyReLU(0.2),
                                 nn.Linear(512, 1024), nn.LeakyReLU(0.2), nn.Linear(1024, 784), nn.Tanh())

    def forward(self, z):
        return self.net(z)


def export(name, model, x, fold=True, weights=False):
    model.eval()
    with torch.no_grad():
        y = model(x)
    torch.onnx.export(model, x, os.path.join(OUT, name + ".onnx"), opset_version=17, input_names=["input"],
                      output_names=["output"], dynamic_axes={"input": {0: "N"}, "output": {0: "N"}},
                      do_constant_folding=fold,
                      # EVAL fuses BatchNorm into Conv even without constant folding; PRESERVE (with the model
                      # in eval mode) keeps the BatchNormalization nodes, as an unfolded export has them
                      training=torch.onnx.TrainingMode.EVAL if fold else torch.onnx.TrainingMode.PRESERVE)
    if weights:
        save_safetensors(os.path.join(OUT, name + ".safetensors"), model.state_dict())
    save_safetensors(os.path.join(OUT, name + "-io.safetensors"), {"input": x, "output": y})
    print(name, tuple(y.shape))


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(12)
    images = torch.rand(3, 1, 28, 28) * 2 - 1
    export("fcnn", FCNN(), images, weights=True)
    export("fcnn-softmax", FCNN(softmax=True), images)
    export("cnn", CNN(), images, weights=True)
    bn = CNNBatchNorm()
    with torch.no_grad():  # running statistics as after training, so that folding them changes the weights
        for m in (bn.bn1, bn.bn2):
            m.running_mean.uniform_(-0.5, 0.5)
            m.running_var.uniform_(0.5, 2.0)
            m.weight.uniform_(0.5, 1.5)
            m.bias.uniform_(-0.2, 0.2)
    export("cnn-bn-folded", bn, images, fold=True)
    export("cnn-bn", bn, images, fold=False)
    export("gan-generator", Generator(), torch.randn(3, 64))


if __name__ == "__main__":
    main()
