#!/usr/bin/env python3
"""The tutorial's PyTorch program (with logits into CrossEntropyLoss, as in the Java port), used by
bench/compare/run.sh to time the whole process against `./linea example tutorial`."""
import torch
import torch.nn as nn
import torch.optim as optim


class FCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 128)
        self.fc2 = nn.Linear(128, 64)
        self.fc3 = nn.Linear(64, 10)

    def forward(self, x):
        x = x.view(-1, 784)
        x = torch.relu(self.fc1(x))
        x = torch.relu(self.fc2(x))
        return self.fc3(x)


torch.manual_seed(42)
model = FCNN()
criterion = nn.CrossEntropyLoss()
optimizer = optim.Adam(model.parameters(), lr=0.001)
print(model)
for epoch in range(1):
    x = torch.randn(32, 1, 28, 28)
    y = torch.randint(0, 10, (32,))
    loss = criterion(model(x), y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    print(f"Epoch [{epoch + 1}], Loss: {loss.item():.4f}")
