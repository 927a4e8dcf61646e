import { beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '../../src/backend/backends.js';
import { tf } from '../../src/backend/tf.js';
import { ValueError } from '../../src/engine/errors.js';
import { GlorotUniform } from '../../src/engine/initializers.js';
import { input } from '../../src/layers/core/input.js';
import { InceptionBlock, ResidualBlock, inceptionBlock, residualBlock } from '../../src/layers/blocks/index.js';
import type { SymbolicTensor } from '../../src/engine/symbolic.js';
import { layerHarness } from '../harness/layer_harness.js';

beforeAll(async () => {
  await setBackend('cpu');
});

const INCEPTION = { filters1x1: 2, filters3x3Reduce: 2, filters3x3: 3, filters5x5Reduce: 1, filters5x5: 2, filtersPoolProj: 2 };
// Seeded kernels: with two ReLU filters per branch an unlucky unseeded draw can leave a
// whole branch dead on the harness input, and its gradient zero.
const seeded = (seed: number) => ({ kernelInitializer: new GlorotUniform({ seed }) });

layerHarness({ title: 'residualBlock identity shortcut', make: () => residualBlock({ filters: 3, ...seeded(1) }), inputShape: [2, 5, 5, 3], trainable: true });
layerHarness({ title: 'residualBlock strides 2 (projection)', make: () => residualBlock({ filters: 4, strides: 2, ...seeded(2) }), inputShape: [2, 5, 5, 3], trainable: true });
layerHarness({ title: 'residualBlock bottleneck, no BN, elu', make: () => residualBlock({ filters: 2, bottleneck: true, useBatchNorm: false, activation: 'elu', ...seeded(3) }), inputShape: [2, 4, 4, 3], trainable: true });
layerHarness({ title: 'inceptionBlock', make: () => inceptionBlock({ ...INCEPTION, ...seeded(4) }), inputShape: [2, 5, 5, 3], trainable: true });

describe('block kernelInitializer', () => {
  const weightsOf = (make: () => ResidualBlock | InceptionBlock) => {
    const { layer } = built(make(), [1, 6, 6, 3]);
    const values = layer.weights.map((w) => Array.from(w.read().dataSync()));
    layer.dispose();
    return values;
  };

  for (const [title, make, fromConfig] of [
    ['residualBlock', () => residualBlock({ filters: 4, strides: 2, ...seeded(9) }), (c: object) => new ResidualBlock(c as never)],
    ['inceptionBlock', () => inceptionBlock({ ...INCEPTION, ...seeded(9) }), (c: object) => new InceptionBlock(c as never)],
  ] as const) {
    it(`${title}: a seeded initializer gives the same kernels every time, and the config keeps it`, () => {
      const a = weightsOf(make);
      expect(weightsOf(make)).toEqual(a);
      const layer = make();
      const cfg = layer.getConfig();
      expect(cfg.kernelInitializer).toEqual({ class_name: 'GlorotUniform', config: { seed: 9 } });
      layer.dispose();
      expect(weightsOf(() => fromConfig(cfg))).toEqual(a);
      // Each convolution draws its own kernel from the shared seeded instance.
      const kernels = a.filter((w, i) => i > 0 && w.length === a[0]!.length);
      for (const k of kernels) expect(k).not.toEqual(a[0]);
    });
  }

  it('rejects an unknown initializer naming the block and the argument', () => {
    expect(() => residualBlock({ filters: 2, kernelInitializer: 'nope' as never })).toThrow(/kernelInitializer/);
    expect(() => inceptionBlock({ ...INCEPTION, kernelInitializer: 'nope' as never })).toThrow(/kernelInitializer/);
  });
});

/** Parameters of a k×k conv from `inC` to `outC` channels. */
const conv = (k: number, inC: number, outC: number, bias: boolean) => k * k * inC * outC + (bias ? outC : 0);
const bn = (c: number) => 4 * c;

function built<L extends ResidualBlock | InceptionBlock>(layer: L, shape: number[]): { layer: L; out: number[] } {
  const x = tf.randomNormal(shape, 0, 1, 'float32', 11);
  const y = layer.apply(x) as tf.Tensor;
  const out = y.shape;
  tf.dispose([x, y]);
  return { layer, out };
}

describe('ResidualBlock', () => {
  it('keeps the shape with an identity shortcut (no projection)', () => {
    const { layer, out } = built(residualBlock({ filters: 3 }), [2, 6, 6, 3]);
    expect(out).toEqual([2, 6, 6, 3]);
    expect(layer.countParams()).toBe(2 * (conv(3, 3, 3, false) + bn(3)));
    expect(layer.weights.some((w) => w.name.includes('shortcut'))).toBe(false);
    layer.dispose();
  });

  it('projects the shortcut when strides = 2 (ceil of the size) or the channels change', () => {
    const a = built(residualBlock({ filters: 4, strides: 2 }), [2, 5, 5, 3]);
    expect(a.out).toEqual([2, 3, 3, 4]);
    expect(a.layer.countParams()).toBe(conv(3, 3, 4, false) + bn(4) + conv(3, 4, 4, false) + bn(4) + conv(1, 3, 4, false) + bn(4));
    expect(a.layer.trainableWeights.reduce((s, w) => s + w.size, 0)).toBe(108 + 8 + 144 + 8 + 12 + 8);
    const b = built(residualBlock({ filters: 5 }), [1, 4, 4, 3]);
    expect(b.out).toEqual([1, 4, 4, 5]);
    expect(b.layer.weights.filter((w) => w.name.includes('shortcut')).map((w) => w.shortName))
      .toEqual(['kernel', 'gamma', 'beta', 'moving_mean', 'moving_variance']);
    const c = built(residualBlock({ filters: 4, strides: [2, 1] }), [1, 4, 4, 4]);
    expect(c.out).toEqual([1, 2, 4, 4]);
    for (const l of [a.layer, b.layer, c.layer]) l.dispose();
  });

  it('bottleneck: 1×1 → k×k → 1×1 with 4·filters channels out', () => {
    const same = built(residualBlock({ filters: 2, bottleneck: true }), [2, 4, 4, 8]);
    expect(same.out).toEqual([2, 4, 4, 8]);
    expect(same.layer.countParams()).toBe(conv(1, 8, 2, false) + bn(2) + conv(3, 2, 2, false) + bn(2) + conv(1, 2, 8, false) + bn(8));
    const proj = built(residualBlock({ filters: 2, bottleneck: true, strides: 2, useBatchNorm: false }), [2, 4, 4, 3]);
    expect(proj.out).toEqual([2, 2, 2, 8]);
    expect(proj.layer.countParams()).toBe(conv(1, 3, 2, true) + conv(3, 2, 2, true) + conv(1, 2, 8, true) + conv(1, 3, 8, true));
    same.layer.dispose();
    proj.layer.dispose();
  });

  it('computes the shape symbolically, names its weights under its own name, and follows a rename', () => {
    const x = input({ shape: [8, 8, 3] });
    const block = residualBlock({ filters: 4, strides: 2, name: 'res1' });
    const y = block.apply(x) as SymbolicTensor;
    expect(y.shape).toEqual([null, 4, 4, 4]);
    expect(block.weights[0]!.name).toBe('res1/conv1/kernel');
    const names = block.weights.map((w) => w.name);
    expect(new Set(names).size).toBe(names.length);
    block.setName('stage2_block1');
    expect(block.weights[0]!.name).toBe('stage2_block1/conv1/kernel');
    expect(block.weights.every((w) => w.name.startsWith('stage2_block1/'))).toBe(true);
    block.dispose();
  });

  it('round-trips its config as plain options', () => {
    const block = residualBlock({ filters: 3, kernelSize: 5, strides: 2, bottleneck: true, activation: 'swish', useBatchNorm: false, name: 'r' });
    const cfg = JSON.parse(JSON.stringify(block.getConfig()));
    expect(cfg).toEqual({ name: 'r', trainable: true, filters: 3, kernelSize: [5, 5], strides: [2, 2], bottleneck: true, activation: 'swish', useBatchNorm: false, kernelInitializer: { class_name: 'GlorotUniform', config: { seed: null } } });
    expect(new ResidualBlock(cfg).getConfig()).toEqual(block.getConfig());
  });

  it('freezing the block freezes every sublayer, and its BNs then keep their statistics', () => {
    const { layer } = built(residualBlock({ filters: 2, strides: 2 }), [2, 4, 4, 3]);
    expect(layer.sublayers()).toHaveLength(6);
    layer.trainable = false;
    expect(layer.sublayers().every((l) => !l.trainable)).toBe(true);
    expect(layer.trainableWeights).toHaveLength(0);
    const before = layer.weights.map((w) => Array.from(w.read().dataSync()));
    const x = tf.randomNormal([2, 4, 4, 3], 0, 1, 'float32', 1);
    tf.dispose(layer.apply(x, { training: true }));
    layer.weights.forEach((w, i) => expect(Array.from(w.read().dataSync())).toEqual(before[i]));
    layer.trainable = true;
    tf.dispose(layer.apply(x, { training: true }));
    const mm = layer.weights.find((w) => w.name.endsWith('bn1/moving_mean'))!;
    expect(Array.from(mm.read().dataSync())).not.toEqual(before[layer.weights.indexOf(mm)]);
    x.dispose();
    layer.dispose();
  });

  it('disposes every sublayer weight', () => {
    const n0 = tf.memory().numTensors;
    const { layer } = built(residualBlock({ filters: 2, strides: 2 }), [1, 4, 4, 3]);
    expect(tf.memory().numTensors).toBe(n0 + layer.weights.length);
    layer.dispose();
    expect(tf.memory().numTensors).toBe(n0);
  });

  it('trains: a few SGD steps lower the loss on a tiny synthetic problem', () => {
    const block = residualBlock({ filters: 4, strides: 2 });
    const x = tf.randomNormal([8, 6, 6, 2], 0, 1, 'float32', 5);
    const target = tf.randomUniform([8, 3, 3, 4], 0, 1, 'float32', 6);
    const loss = () => tf.losses.meanSquaredError(target, block.apply(x, { training: true }) as tf.Tensor) as tf.Scalar;
    tf.dispose(block.apply(x));
    const n0 = tf.memory().numTensors;
    const first = tf.tidy(() => loss().dataSync()[0]!);
    for (let i = 0; i < 15; i += 1) {
      tf.tidy(() => {
        const vars = block.trainableWeights.map((w) => w.read());
        const { grads } = tf.variableGrads(loss, vars);
        for (const v of vars) v.assign(tf.sub(v, tf.mul(0.1, grads[v.name]!)));
      });
    }
    const last = tf.tidy(() => loss().dataSync()[0]!);
    expect(last).toBeLessThan(0.7 * first);
    expect(tf.memory().numTensors).toBe(n0);
    tf.dispose([x, target]);
    block.dispose();
  });

  it('rejects bad options and inputs, naming the block', () => {
    expect(() => residualBlock({ filters: 0, name: 'rb' })).toThrow(/ResidualBlock 'rb'.*'filters'/);
    expect(() => residualBlock({ filters: 2, strides: 0 })).toThrow(ValueError);
    expect(() => residualBlock({ filters: 2, activation: 'nope' as 'relu' })).toThrow(/activation/);
    const x = tf.ones([2, 4, 4]);
    expect(() => residualBlock({ filters: 2, name: 'rb' }).apply(x)).toThrow(/ResidualBlock 'rb'.*rank 4/);
    x.dispose();
  });
});

describe('InceptionBlock', () => {
  it('keeps the spatial size and concatenates the four branches', () => {
    const { layer, out } = built(inceptionBlock(INCEPTION), [2, 7, 5, 3]);
    expect(out).toEqual([2, 7, 5, 2 + 3 + 2 + 2]);
    const hand = conv(1, 3, 2, true) + conv(1, 3, 2, true) + conv(3, 2, 3, true) + conv(1, 3, 1, true) + conv(5, 1, 2, true) + conv(1, 3, 2, true);
    expect(hand).toBe(137);
    expect(layer.countParams()).toBe(hand);
    expect(layer.trainableWeights).toHaveLength(12);
    layer.dispose();
  });

  it('computes its output as the four branches joined (checked against the sublayers)', () => {
    const block = inceptionBlock({ ...INCEPTION, name: 'inc' });
    const x = tf.randomNormal([1, 4, 4, 3], 0, 1, 'float32', 2);
    const y = block.apply(x) as tf.Tensor;
    const subs = Object.fromEntries(block.sublayers().map((l) => [l.name.replace('inc/', ''), l]));
    const run = (...roles: string[]) => roles.reduce((t, r) => subs[r]!.apply(t) as tf.Tensor, x);
    const parts = [run('branch1x1'), run('branch3x3_reduce', 'branch3x3'), run('branch5x5_reduce', 'branch5x5'), run('branch_pool', 'branch_pool_proj')];
    const want = tf.concat(parts, 3);
    expect(tf.max(tf.abs(tf.sub(y, want))).dataSync()[0]).toBeLessThan(1e-6);
    // ReLU on every branch: nothing negative comes out.
    expect(tf.min(y).dataSync()[0]).toBeGreaterThanOrEqual(0);
    tf.dispose([x, y, want, ...parts]);
    block.dispose();
  });

  it('round-trips its config and rejects bad filter counts', () => {
    const block = inceptionBlock({ ...INCEPTION, name: 'i' });
    const cfg = JSON.parse(JSON.stringify(block.getConfig()));
    expect(cfg).toEqual({ name: 'i', trainable: true, ...INCEPTION, kernelInitializer: { class_name: 'GlorotUniform', config: { seed: null } } });
    expect(new InceptionBlock(cfg).getConfig()).toEqual(block.getConfig());
    expect(() => inceptionBlock({ ...INCEPTION, filters5x5: -1, name: 'i' })).toThrow(/InceptionBlock 'i'.*'filters5x5'/);
    expect(() => inceptionBlock({ ...INCEPTION, filtersPoolProj: undefined as unknown as number })).toThrow(ValueError);
  });

  it('works symbolically and names weights under the block', () => {
    const x = input({ shape: [6, 6, 4] });
    const block = inceptionBlock({ ...INCEPTION, name: 'mixed_3a' });
    const y = block.apply(x) as SymbolicTensor;
    expect(y.shape).toEqual([null, 6, 6, 9]);
    expect(block.weights.map((w) => w.name)).toContain('mixed_3a/branch5x5/kernel');
    block.dispose();
  });
});
