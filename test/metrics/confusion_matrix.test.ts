import { beforeAll, describe, expect, it, vi } from 'vitest';
import { setBackend } from '../../src/backend/backends.js';
import { tf } from '../../src/backend/tf.js';
import { ShapeError, ValueError } from '../../src/engine/errors.js';
import { confusionMatrix } from '../../src/metrics/index.js';

beforeAll(async () => {
  await setBackend('cpu');
});

describe('confusionMatrix', () => {
  const yTrue = [0, 0, 1, 1, 1, 2, 2, 2, 2];
  const yPred = [0, 1, 1, 1, 2, 2, 2, 0, 2];

  it('counts true (rows) against predicted (columns) class indices', () => {
    const cm = confusionMatrix(yTrue, yPred);
    expect(cm.numClasses).toBe(3);
    expect(cm.matrix).toEqual([[1, 1, 0], [0, 2, 1], [1, 0, 3]]);
  });

  it('takes argmax of one-hot targets and probability predictions, from tensors, without leaks', () => {
    const t = tf.oneHot(tf.tensor1d(yTrue, 'int32'), 3);
    const probs = tf.tidy(() => tf.add(tf.mul(tf.oneHot(tf.tensor1d(yPred, 'int32'), 3), 0.6), 0.1));
    const before = tf.memory().numTensors;
    const cm = confusionMatrix(t, probs);
    expect(tf.memory().numTensors).toBe(before);
    expect(cm.matrix).toEqual([[1, 1, 0], [0, 2, 1], [1, 0, 3]]);
    tf.dispose([t, probs]);
  });

  it('reads binary probabilities [n, 1] with threshold 0.5', () => {
    const cm = confusionMatrix([[0], [1], [1], [0]], [[0.2], [0.9], [0.4], [0.7]]);
    expect(cm.matrix).toEqual([[1, 1], [1, 1]]);
  });

  it('numClasses adds classes never seen', () => {
    expect(confusionMatrix([0, 1], [0, 1], { numClasses: 4 }).matrix).toEqual([
      [1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0],
    ]);
  });

  it('toString is an aligned table with headers, counts and per-class recall', () => {
    const cm = confusionMatrix(yTrue, yPred, { labels: ['cat', 'dog', 'hippopotamus'] });
    const lines = cm.toString().split('\n');
    const table = lines.slice(1, 5);
    const header = table[0]!.trim().split(/\s{2,}/);
    expect(header).toEqual(['true \\ pred', 'cat', 'dog', 'hippopotamus', 'recall']);
    const rows = table.slice(1).map((l) => l.trim().split(/\s{2,}/));
    expect(rows).toEqual([
      ['cat', '1', '1', '0', (1 / 2).toFixed(3)],
      ['dog', '0', '2', '1', (2 / 3).toFixed(3)],
      ['hippopotamus', '1', '0', '3', (3 / 4).toFixed(3)],
    ]);
    expect(new Set(table.map((l) => l.length)).size).toBe(1);
    // Each count sits right-aligned under its column header.
    const end = table[0]!.indexOf('hippopotamus') + 'hippopotamus'.length;
    expect(table[3]![end - 1]).toBe('3');
    expect(cm.toString()).toMatch(/accuracy: 0\.6667 over 9 samples/);
  });

  it('a class with no samples shows recall "-"', () => {
    const rows = confusionMatrix([0, 0], [0, 1]).toString().split('\n');
    expect(rows[3]!.trim().split(/\s+/)).toEqual(['1', '0', '0', '-']);
  });

  it('print writes the table to the console', () => {
    const spy = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const cm = confusionMatrix([0, 1], [1, 1]);
    cm.print();
    expect(spy).toHaveBeenCalledWith(cm.toString());
    spy.mockRestore();
  });

  it('rejects mismatched lengths, out-of-range classes and wrong label counts', () => {
    expect(() => confusionMatrix([0, 1, 2], [0, 1])).toThrow(ShapeError);
    expect(() => confusionMatrix([0, 5], [0, 1], { numClasses: 3 })).toThrow(/yTrue holds class 5, outside 0..2/);
    expect(() => confusionMatrix([0, 1], [0, 1], { labels: ['a', 'b', 'c'], numClasses: 2 })).toThrow(ValueError);
    expect(() => confusionMatrix([[0, 1, 0]], [[0.2, 0.8]])).toThrow(/columns/);
  });
});
