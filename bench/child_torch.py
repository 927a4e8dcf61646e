"""PyTorch reference side of the strata benchmark (CPU, 2 threads).

Speaks the protocol of bench/protocol.ts: JSON commands on stdin, JSON replies on
stdout after the '@@bench ' prefix. Builds the network from the same description,
loads the same initial weights (converted from the Keras layouts) and the same MNIST
samples or synthetic token sequences (bench/sequences.ts), and times the same steps.
Needs only torch (no numpy).
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
# Adam as Keras (and tfjs, and strata) runs it: 1e-3, betas 0.9 / 0.999, epsilon 1e-7.
LEARNING_RATE, BETA2, EPSILON = 1e-3, 0.999, 1e-7


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


def load_sequences(path, limit):
    """The first `limit` sequences of the file bench/sequences.ts writes (int32 LE header
    [count, length, vocab], tokens, labels): int64 tokens [n, length] and int64 labels."""
    with open(path, 'rb') as f:
        data = torch.frombuffer(bytearray(f.read()), dtype=torch.int32)
    total, length, _vocab = (int(v) for v in data[:3])
    if data.numel() != 3 + total * (length + 1):
        raise ValueError(f'{path}: {data.numel()} values do not fit the header')
    count = min(limit, total)
    tokens = data[3:3 + count * length].reshape(count, length)
    labels = data[3 + total * length:3 + total * length + count]
    return count, tokens.to(torch.int64), labels.to(torch.int64)


def checksum(x, labels):
    """Same definition as checksum() in bench/mnist_idx.ts (equal up to summation order)."""
    weights = (torch.arange(labels.numel(), dtype=torch.float64) % 97) + 1
    return float(x.to(torch.float64).sum()) + float((labels.to(torch.float64) * weights).sum())


class FlattenNhwc(nn.Module):
    """Flattens in channels-last order, as Keras does, so the dense kernel lines up."""

    def forward(self, x):
        return x.permute(0, 2, 3, 1).reshape(x.shape[0], -1)


class LastOutput(nn.Module):
    """An LSTM (batch first) that returns its last step's output, as Keras' LSTM does
    without return_sequences."""

    def __init__(self, lstm):
        super().__init__()
        self.lstm = lstm

    def forward(self, x):
        out, _ = self.lstm(x)
        return out[:, -1]


def lstm_from_keras(kernel, recurrent, bias):
    """nn.LSTM from Keras weights: kernel [in, 4u], recurrent kernel [u, 4u], bias [4u].
    Both use the gate order i, f, c(g), o; torch keeps [4u, in] matrices and two biases
    that it adds, so the Keras bias goes to bias_ih and bias_hh stays zero. bias_hh is
    frozen: trained too, Adam would move the gates' bias by two steps per step (one per
    copy), and the network would train differently from the Keras one."""
    units = recurrent.shape[0]
    m = nn.LSTM(kernel.shape[0], units, batch_first=True)
    m.weight_ih_l0.data.copy_(kernel.t())
    m.weight_hh_l0.data.copy_(recurrent.t())
    m.bias_ih_l0.data.copy_(bias)
    m.bias_hh_l0.data.zero_()
    m.bias_hh_l0.requires_grad_(False)
    return LastOutput(m)


def build(spec, weights):
    """The network of `spec` with the given Keras-layout weights; the final softmax or
    sigmoid is left to the loss (CrossEntropyLoss, BCEWithLogitsLoss) in training and
    applied in predict."""
    modules = []
    it = iter(weights)
    layers = spec['layers']
    for i, layer in enumerate(layers):
        kind = layer['kind']
        if kind == 'embedding':
            table = next(it)
            m = nn.Embedding(table.shape[0], table.shape[1])
            m.weight.data.copy_(table)
            m.weight.requires_grad_(layer.get('trainable', True))
            modules.append(m)
        elif kind == 'lstm':
            modules.append(lstm_from_keras(next(it), next(it), next(it)))
        elif kind in ('dense', 'conv2d'):
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
            elif act not in ('softmax', 'sigmoid') or i != len(layers) - 1:
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
        # Binary: one sigmoid unit, 0/1 labels [n, 1] (float for the loss); else softmax over classes.
        self.binary = spec['loss'] == 'binaryCrossentropy'
        if spec['data'] == 'tokens':
            count, x, y = load_sequences(c['dataPath'], c['samples'])
            self.checksum = checksum(x, y)
            self.x = x
        else:
            count, x, y = load_mnist(c['mnistDir'], 'train' if self.fit else 'test', c['samples'])
            self.checksum = checksum(x, y)
            shape = spec['inputShape']
            x = x.reshape(count, *shape)
            # Images arrive channels last; torch convolutions want channels first.
            self.x = x.permute(0, 3, 1, 2).contiguous() if len(shape) == 3 else x
        self.y = y.to(torch.float32).reshape(-1, 1) if self.binary else y
        with open(c['weightsPath'], 'rb') as f:
            flat = torch.frombuffer(bytearray(f.read()), dtype=torch.float32)
        weights, at = [], 0
        for s in c['weightShapes']:
            n = math.prod(s)
            weights.append(flat[at:at + n].reshape(s))
            at += n
        self.model = build(spec, weights)
        self.opt = torch.optim.Adam([p for p in self.model.parameters() if p.requires_grad], lr=LEARNING_RATE, eps=EPSILON)
        self.steps = 0
        self.loss = nn.BCEWithLogitsLoss() if self.binary else nn.CrossEntropyLoss()
        self.n = 0

    def keras_epsilon(self):
        """Keras adds epsilon to sqrt(v) before the bias correction, torch after it; the same
        update in torch's form needs epsilon / sqrt(1 - beta2^t) at step t (3.2e-6 at the
        first step, 1e-7 in the long run). With a constant 1e-7, parameters whose gradients
        are below ~1e-5 moved up to twice as far in the first steps as on the Keras sides."""
        self.steps += 1
        self.opt.param_groups[0]['eps'] = EPSILON / math.sqrt(1 - BETA2 ** self.steps)

    def hits(self, out, yb):
        """Correct predictions in a batch of logits."""
        if self.binary:
            return ((out > 0) == (yb > 0.5)).sum()
        return (out.argmax(1) == yb).sum()

    def probs(self, logits):
        """Predictions as the Keras sides give them: after the sigmoid or softmax."""
        return torch.sigmoid(logits) if self.binary else torch.softmax(logits, 1)

    def initial_check(self):
        """Loss and predictions of the first few samples at the initial weights (before any training)."""
        n = min(8, self.batch)
        self.model.eval()
        with torch.no_grad():
            logits = self.model(self.x[:n])
            loss = float(self.loss(logits, self.y[:n]))
            return {'loss': loss, 'outputs': self.probs(logits).flatten().tolist()}

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
                self.keras_epsilon()
                self.opt.step()
                total += loss.detach()
                correct += self.hits(out.detach(), yb)
            total.item(), correct.item()
        else:
            self.model.eval()
            with torch.no_grad():
                parts = [self.probs(self.model(self.x[s:s + batch])) for s in range(0, n, batch)]
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
                initial = work.initial_check()
                work.warm_up()
                send({'type': 'calibrating'})
                send({'type': 'ready', 'backend': f'cpu ({torch.get_num_threads()} threads)',
                      'checksum': work.checksum, 'initial': initial, 'calibration': timed(work, 1)})
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
