"""PyTorch reference for `deno task bench`.

Builds the same nets as lib/models/cifar_net.ts (same layer shapes and
trainable parameter counts; the bench checks the counts agree) and times
training steps with the same protocol: batch of random data, SGD with
momentum 0.9 and weight decay 1e-4, warm-up steps, then repetitions of a few
steps each, timed after the loss is read back. Prints one JSON object per net.

Which nets: `--nets` is a JSON list of {"name", "model", "options"} as the
table of nets declares them (lib/models/nets.ts `benchNets`, which the bench
hands over); FAMILIES below builds each family from those options.

Usage: python3 bench/torch_reference.py --nets '[{"name": "plain20", "model": "cifar_net", "options": {"depth": 20, "shortcuts": false, "aux": false, "batchNorm": true, "zeroInitBranches": false}}]' --batch 128
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


class ConvBn(nn.Sequential):
    """Conv without bias, batch norm, ReLU (lib/models/blocks.ts convBn with bn)."""

    def __init__(self, cin, cout, k, stride=1, padding=None):
        kh, kw = (k, k) if isinstance(k, int) else k
        pad = (kh // 2, kw // 2) if padding is None else padding
        super().__init__(nn.Conv2d(cin, cout, (kh, kw), stride, pad, bias=False), nn.BatchNorm2d(cout), nn.ReLU())


class Inception(nn.Module):
    """GoogLeNet's module with reductions, in GoogLeNet 3a's proportions (grid_net.ts scaledInception)."""

    def __init__(self, cin, out):
        super().__init__()
        c2, c3 = out // 2, out // 8
        self.b1 = ConvBn(cin, out // 4, 1)
        self.b2 = nn.Sequential(ConvBn(cin, 3 * c2 // 4, 1), ConvBn(3 * c2 // 4, c2, 3))
        self.b3 = nn.Sequential(ConvBn(cin, c3 // 2, 1), ConvBn(c3 // 2, c3, 5))
        self.b4 = nn.Sequential(nn.MaxPool2d(3, 1, 1), ConvBn(cin, out // 8, 1))

    def forward(self, x):
        return torch.cat([self.b1(x), self.b2(x), self.b3(x), self.b4(x)], 1)


class Reduction(nn.Module):
    """d x d x k to d/2 x d/2 x 2k three ways (grid_net.ts gridReduction), for even d."""

    def __init__(self, kind, k):
        super().__init__()
        self.kind = kind
        self.pool = nn.MaxPool2d(3, 2, 1)
        if kind in ("pool-first", "inception-first"):
            self.module = Inception(k, 2 * k)
        else:
            self.a = nn.Sequential(ConvBn(k, k // 2, 1), ConvBn(k // 2, k // 2, 3, 2))
            self.b = nn.Sequential(ConvBn(k, k // 4, 1), ConvBn(k // 4, k // 2, 3), ConvBn(k // 2, k // 2, 3, 2))

    def forward(self, x):
        if self.kind == "pool-first":
            return self.module(self.pool(x))
        if self.kind == "inception-first":
            return self.pool(self.module(x))
        return torch.cat([self.a(x), self.b(x), self.pool(x)], 1)


def grid_net(kind, k=32):
    return nn.Sequential(
        ConvBn(1, k // 2, 3), ConvBn(k // 2, k, 3), Reduction(kind, k), Inception(2 * k, 2 * k),
        ConvBn(2 * k, 4 * k, 3, 2), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(4 * k, 10))


class AuxHead(nn.Module):
    """GoogLeNet-style head (blocks.ts googlenetAuxHead), batch norm in conv and FC when bn."""

    def __init__(self, cin, conv, fc, bn):
        super().__init__()
        self.pool = nn.AvgPool2d(5, 3)
        self.conv = ConvBn(cin, conv, 1) if bn else nn.Sequential(nn.Conv2d(cin, conv, 1), nn.ReLU())
        self.fc = nn.Sequential(nn.Flatten(), nn.Linear(16 * conv, fc, bias=not bn), *([nn.BatchNorm1d(fc)] if bn else []), nn.ReLU(), nn.Dropout(0.7), nn.Linear(fc, 10))

    def forward(self, x):
        return self.fc(self.conv(self.pool(x)))


class InceptionNet(nn.Module):
    """lib/models/inception_net.ts: outputs (main, aux) when aux."""

    def __init__(self, k=16, aux=False, aux_bn=False):
        super().__init__()
        self.a = nn.Sequential(ConvBn(1, k, 3), ConvBn(k, k, 3), Inception(k, 2 * k), Reduction("parallel", 2 * k),
                               Inception(4 * k, 4 * k), Inception(4 * k, 4 * k))
        self.b = nn.Sequential(Reduction("parallel", 4 * k), Inception(8 * k, 8 * k), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8 * k, 10))
        self.aux = AuxHead(4 * k, 4 * k, 8 * k, aux_bn) if aux else None

    def forward(self, x):
        h = self.a(x)
        return (self.b(h), self.aux(h)) if self.aux is not None else self.b(h)


def unsupported(model, options, what):
    raise ValueError(f"{model}: the PyTorch twin has no {what} (options {options})")


def cifar_family(o):
    if o["aux"] or not o["batchNorm"] or o["zeroInitBranches"]:
        unsupported("cifar_net", o, "auxiliary heads, no-BN or zero-initialised branches")
    return cifar_net(o["depth"], o["shortcuts"])


def inception_family(o):
    if not o["aux"]:
        unsupported("inception_net", o, "net without its auxiliary head")
    return InceptionNet(k=o["width"], aux=True, aux_bn=o["auxBn"])


# One entry per family of lib/models/nets.ts: the same options build the same net.
FAMILIES = {
    "cifar_net": cifar_family,
    "grid_net": lambda o: grid_net(o["reduction"], k=o["width"]),
    "inception_net": inception_family,
}


def bench(net, batch, reps, steps, warmup):
    torch.manual_seed(0)
    name = net["name"]
    model = FAMILIES[net["model"]](net["options"])
    params = sum(p.numel() for p in model.parameters() if p.requires_grad)
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=1e-4)
    x = torch.randn(batch, 1, 28, 28)
    y = torch.randint(0, 10, (batch,))

    def step():
        opt.zero_grad(set_to_none=True)
        out = model(x)
        # Auxiliary heads weigh 0.3, as in training (lib/train/train_step.ts).
        loss = nn.functional.cross_entropy(out[0], y) + 0.3 * nn.functional.cross_entropy(out[1], y) \
            if isinstance(out, tuple) else nn.functional.cross_entropy(out, y)
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
        "rates": rates,
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--nets", required=True, help="JSON list of {name, model, options} (lib/models/nets.ts)")
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--steps", type=int, default=3)
    ap.add_argument("--warmup", type=int, default=2)
    a = ap.parse_args()
    for net in json.loads(a.nets):
        if net.get("model") not in FAMILIES:
            print(f"unknown model {net.get('model')} of net {net.get('name')}; known: {', '.join(FAMILIES)}", file=sys.stderr)
            sys.exit(2)
        print(json.dumps(bench(net, a.batch, a.reps, a.steps, a.warmup)), flush=True)


if __name__ == "__main__":
    main()
