"""PyTorch reference for `deno task bench`.

Builds the same nets as lib/models/cifar_net.ts (same layer shapes and
trainable parameter counts; the bench checks the counts agree) and times
training steps with the same protocol: batch of random data, SGD with
momentum 0.9 and weight decay 1e-4, warm-up steps, then repetitions of a few
steps each, timed after the loss is read back. Prints one JSON object per net.

Usage: python3 bench/torch_reference.py --nets plain20,residual56 --batch 128 --reps 5
"""

import argparse
import json
import sys
import time

import torch
from torch import nn


def conv_bn(cin, cout, stride, k=3):
    return [nn.Conv2d(cin, cout, k, stride, k // 2, bias=False), nn.BatchNorm2d(cout, momentum=0.1, eps=1e-5)]


class Block(nn.Module):
    """Two 3x3 convs with batch norm; an identity or projection shortcut when `shortcut`."""

    def __init__(self, cin, cout, stride, shortcut):
        super().__init__()
        self.body = nn.Sequential(*conv_bn(cin, cout, stride), nn.ReLU(), *conv_bn(cout, cout, 1))
        self.shortcut = shortcut
        self.proj = nn.Sequential(*conv_bn(cin, cout, stride, k=1)) if shortcut and (stride != 1 or cin != cout) else None

    def forward(self, x):
        y = self.body(x)
        if self.shortcut:
            y = y + (self.proj(x) if self.proj is not None else x)
        return torch.relu(y)


def cifar_net(depth, shortcuts, widths=(16, 32, 64), channels=1, classes=10):
    n = (depth - 2) // 6
    layers = [*conv_bn(channels, widths[0], 1), nn.ReLU()]
    cin = widths[0]
    for s, w in enumerate(widths):
        for b in range(n):
            layers.append(Block(cin, w, 2 if s > 0 and b == 0 else 1, shortcuts))
            cin = w
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(cin, classes)]
    return nn.Sequential(*layers)


NETS = {
    "plain20": lambda: cifar_net(20, False),
    "plain56": lambda: cifar_net(56, False),
    "residual56": lambda: cifar_net(56, True),
}


def bench(name, batch, reps, steps, warmup):
    torch.manual_seed(0)
    model = NETS[name]()
    params = sum(p.numel() for p in model.parameters() if p.requires_grad)
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=1e-4)
    x = torch.randn(batch, 1, 28, 28)
    y = torch.randint(0, 10, (batch,))

    def step():
        opt.zero_grad(set_to_none=True)
        loss = nn.functional.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        return loss.item()  # the sync point, as on the TF.js side

    for _ in range(warmup):
        step()
    rates = []
    for _ in range(reps):
        t = time.perf_counter()
        for _ in range(steps):
            step()
        rates.append(batch * steps / (time.perf_counter() - t))
    rates.sort()
    return {
        "net": name,
        "backend": "pytorch",
        "device": f"CPU (PyTorch {torch.__version__}, {torch.get_num_threads()} threads)",
        "batch": batch,
        "params": params,
        "imagesPerSec": {"min": rates[0], "median": rates[len(rates) // 2], "max": rates[-1]},
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--nets", default="plain20")
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--steps", type=int, default=3)
    ap.add_argument("--warmup", type=int, default=2)
    a = ap.parse_args()
    for name in a.nets.split(","):
        if name not in NETS:
            print(f"unknown net {name}; known: {', '.join(NETS)}", file=sys.stderr)
            sys.exit(2)
        print(json.dumps(bench(name, a.batch, a.reps, a.steps, a.warmup)), flush=True)


if __name__ == "__main__":
    main()
