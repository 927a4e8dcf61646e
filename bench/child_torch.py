"""PyTorch reference side of the strata benchmark (CPU, 2 threads).

Speaks the protocol of bench/protocol.ts: JSON commands on stdin, JSON replies on
stdout after the '@@bench ' prefix. Builds the network from the same description,
loads the same initial weights (converted from the Keras layouts) and the same MNIST
samples, and times the same steps. Needs only torch (no numpy).
"""
import json
import math
import os
import resource
import struct
import sys
import time

import torch
from torch import nn

PREFIX = '@@bench '
torch.set_num_threads(2)


def send(reply):
    sys.stdout.write(PREFIX + json.dumps(reply) + '\n')
    sys.stdout.flush()


def read_idx(path, dims, limit):
    """First `limit` entries of an IDX file of unsigned bytes, as a uint8 tensor."""
    with open(path, 'rb') as f:
        head = f.read(4 + 4 * dims)
        if head[:3] != b'\x00\x00\x08' or head[3] != dims:
            raise ValueError(f'{path}: not a {dims}-d IDX file of unsigned bytes')
        shape = struct.unpack('>' + 'I' * dims, head[4:])
        count = min(limit, shape[0])
        row = math.prod(shape[1:])
        data = bytearray(f.read(count * row))
    return count, torch.frombuffer(data, dtype=torch.uint8)


def load_mnist(directory, split, limit):
    names = {'train': ('train-images-idx3-ubyte', 'train-labels-idx1-ubyte'),
             'test': ('t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte')}[split]
    count, images = read_idx(os.path.join(directory, names[0]), 3, limit)
    _, labels = read_idx(os.path.join(directory, names[1]), 1, limit)
    # byte / 255 in double, rounded to float32: exactly what the Node sides compute.
    x = (images.to(torch.float64) / 255).to(torch.float32)
    return count, x, labels.to(torch.int64)


def checksum(x, labels):
    """Same definition as checksum() in bench/mnist_idx.ts (equal up to summation order)."""
    weights = (torch.arange(labels.numel(), dtype=torch.float64) % 97) + 1
    return float(x.to(torch.float64).sum()) + float((labels.to(torch.float64) * weights).sum())


class FlattenNhwc(nn.Module):
    """Flattens in channels-last order, as Keras does, so the dense kernel lines up."""

    def forward(self, x):
        return x.permute(0, 2, 3, 1).reshape(x.shape[0], -1)


def build(spec, weights):
    """The network of `spec` with the given Keras-layout weights; the final softmax is
    left to the loss (CrossEntropyLoss) in training and applied in predict."""
    modules = []
    it = iter(weights)
    layers = spec['layers']
    for i, layer in enumerate(layers):
        kind = layer['kind']
        if kind in ('dense', 'conv2d'):
            kernel, bias = next(it), next(it)
            if kind == 'dense':
                m = nn.Linear(kernel.shape[0], kernel.shape[1])
                m.weight.data.copy_(kernel.t())
            else:
                m = nn.Conv2d(kernel.shape[2], kernel.shape[3], kernel.shape[0])
                m.weight.data.copy_(kernel.permute(3, 2, 0, 1))
            m.bias.data.copy_(bias)
            modules.append(m)
            act = layer['activation']
            if act == 'relu':
                modules.append(nn.ReLU())
            elif act != 'softmax' or i != len(layers) - 1:
                raise ValueError(f'unsupported activation {act!r} in layer {i}')
        elif kind == 'maxPooling2d':
            modules.append(nn.MaxPool2d(layer['poolSize']))
        elif kind == 'flatten':
            modules.append(FlattenNhwc())
        else:
            raise ValueError(f'unknown layer kind {kind!r}')
    return nn.Sequential(*modules)


class Workload:
    def __init__(self, c):
        if c['backend'] != 'cpu':
            raise ValueError(f"PyTorch side runs on cpu only; got backend {c['backend']!r}")
        spec = c['spec']
        self.fit = c['task'] == 'fit'
        self.batch = c['batchSize']
        count, x, y = load_mnist(c['mnistDir'], 'train' if self.fit else 'test', c['samples'])
        self.checksum = checksum(x, y)
        shape = spec['inputShape']
        x = x.reshape(count, *shape)
        # Images arrive channels last; torch convolutions want channels first.
        self.x = x.permute(0, 3, 1, 2).contiguous() if len(shape) == 3 else x
        self.y = y
        with open(c['weightsPath'], 'rb') as f:
            flat = torch.frombuffer(bytearray(f.read()), dtype=torch.float32)
        weights, at = [], 0
        for s in c['weightShapes']:
            n = math.prod(s)
            weights.append(flat[at:at + n].reshape(s))
            at += n
        self.model = build(spec, weights)
        self.opt = torch.optim.Adam(self.model.parameters(), lr=1e-3, eps=1e-7)
        self.loss = nn.CrossEntropyLoss()
        self.n = 0

    def once(self, n, batch):
        if self.fit:
            self.model.train()
            total = torch.zeros(())
            correct = torch.zeros((), dtype=torch.int64)
            for s in range(0, n, batch):
                xb, yb = self.x[s:s + batch], self.y[s:s + batch]
                self.opt.zero_grad()
                out = self.model(xb)
                loss = self.loss(out, yb)
                loss.backward()
                self.opt.step()
                total += loss.detach()
                correct += (out.detach().argmax(1) == yb).sum()
            total.item(), correct.item()
        else:
            self.model.eval()
            with torch.no_grad():
                parts = [torch.softmax(self.model(self.x[s:s + batch]), 1) for s in range(0, n, batch)]
                torch.cat(parts).sum().item()

    def warm_up(self):
        small = min(8, self.batch)
        self.once(small, small)

    def prepare(self, steps):
        self.n = steps * self.batch

    def run(self):
        self.once(self.n, self.batch)


def timed(work, steps):
    work.prepare(steps)
    c0, t0 = time.process_time(), time.perf_counter()
    work.run()
    return {'steps': steps, 'wallSec': time.perf_counter() - t0, 'cpuSec': time.process_time() - c0}


def main():
    work = None
    for line in sys.stdin:
        c = json.loads(line)
        try:
            if c['cmd'] == 'setup':
                work = Workload(c)
                work.warm_up()
                send({'type': 'calibrating'})
                send({'type': 'ready', 'backend': f'cpu ({torch.get_num_threads()} threads)',
                      'checksum': work.checksum, 'calibration': timed(work, 1)})
            elif c['cmd'] == 'rep':
                if work is None:
                    raise RuntimeError('rep before a successful setup')
                send({'type': 'rep', **timed(work, c['steps'])})
            else:
                send({'type': 'finish', 'maxRssMb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024})
                return
        except Exception as e:  # reported to the parent, which shows it in the table
            send({'type': 'error', 'message': f'{type(e).__name__}: {e}'.split('\n')[0][:300]})


if __name__ == '__main__':
    main()
