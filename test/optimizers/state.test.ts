import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../src/backend/tf.js';
import { setBackend } from '../../src/backend/backends.js';
import { ShapeError, ValueError } from '../../src/engine/errors.js';
import * as optimizers from '../../src/optimizers/index.js';
import { variable } from './helpers.js';
import { VARIANTS } from './variants.js';

beforeAll(async () => {
  await setBackend('cpu');
});

const A0 = [0.5, -0.3, 0.25, -0.75];
const B0 = [0.1, 0.6];
/** Gradients per step for variables a and b. */
const GA = [[2, -0.5, 0.3, 1.2], [0.1, 0.4, -0.2, 0.3], [-0.3, 0.2, 0.05, -0.6], [0.5, 0.5, -0.5, 0.1]];
const GB = [[-1.5, 0.05], [-0.1, 0.7], [0.2, -0.4], [0.3, 0.3]];

interface Pair {
  a: tf.Variable;
  b: tf.Variable;
}

const makePair = (): Pair => ({ a: variable(A0, [2, 2]), b: variable(B0) });
const read = (p: Pair) => [Array.from(p.a.dataSync()), Array.from(p.b.dataSync())];

/** Steps `steps` (indices into GA/GB) on p, each step listing the pairs in `order`. */
function train(opt: optimizers.Optimizer, p: Pair, steps: number[], order: (s: number) => 'ab' | 'ba' = () => 'ab'): void {
  for (const s of steps) {
    tf.tidy(() => {
      const pa = { variable: p.a, gradient: tf.tensor(GA[s]!, [2, 2]) };
      const pb = { variable: p.b, gradient: tf.tensor(GB[s]!) };
      opt.applyGradients(order(s) === 'ab' ? [pa, pb] : [pb, pa]);
    });
  }
}

describe('state is keyed by variable identity', () => {
  for (const [name, make] of Object.entries(VARIANTS)) {
    it(`${name}: [a, b] then [b, a] equals always [a, b]`, () => {
      const [p, q] = [makePair(), makePair()];
      const [o1, o2] = [make(), make()];
      train(o1, p, [0, 1, 2, 3]);
      train(o2, q, [0, 1, 2, 3], (s) => (s % 2 === 0 ? 'ab' : 'ba'));
      expect(read(q)).toEqual(read(p));
      // The updates must have moved the weights, or the comparison says nothing.
      expect(read(p)[0]).not.toEqual(A0);
      tf.dispose([p.a, p.b, q.a, q.b]);
      o1.dispose();
      o2.dispose();
    });
  }

  it('a variable never passed gets no state, and a frozen one keeps its state unchanged', () => {
    const p = makePair();
    const c = variable([0, 0, 0]);
    const o = optimizers.adam({ learningRate: 0.1 });
    train(o, p, [0]);
    const before = o.getWeights();
    expect(before.filter((e) => e.variable === c)).toHaveLength(0);
    expect(before.filter((e) => e.variable === p.b).map((e) => e.slot)).toEqual(['momentum', 'velocity']);
    // b frozen: only a is passed for two steps.
    tf.tidy(() => o.applyGradients([{ variable: p.a, gradient: tf.tensor(GA[1]!, [2, 2]) }]));
    tf.tidy(() => o.applyGradients([{ variable: p.a, gradient: tf.tensor(GA[2]!, [2, 2]) }]));
    const after = o.getWeights();
    const slotsOf = (w: optimizers.OptimizerStateEntry[], v: tf.Variable) => w.filter((e) => e.variable === v).map((e) => Array.from(e.value.dataSync()));
    expect(slotsOf(after, p.b)).toEqual(slotsOf(before, p.b));
    expect(slotsOf(after, p.a)).not.toEqual(slotsOf(before, p.a));
    expect(after.filter((e) => e.variable === c)).toHaveLength(0);
    tf.dispose([...before.map((e) => e.value), ...after.map((e) => e.value), p.a, p.b, c]);
    o.dispose();
  });
});

describe('getWeights / setWeights', () => {
  for (const [name, make] of Object.entries(VARIANTS)) {
    it(`${name}: restoring into a fresh optimizer continues exactly`, () => {
      const [p, q] = [makePair(), makePair()];
      const [straight, first] = [make(), make()];
      train(straight, p, [0, 1, 2, 3]);
      train(first, q, [0, 1]);
      const saved = first.getWeights();
      first.dispose();
      const second = make();
      second.setWeights(saved);
      tf.dispose(saved.map((e) => e.value));
      expect(second.iterations).toBe(2);
      train(second, q, [2, 3]);
      expect(read(q)).toEqual(read(p));
      tf.dispose([p.a, p.b, q.a, q.b]);
      straight.dispose();
      second.dispose();
    });
  }

  it('getWeights returns copies the caller owns', () => {
    const p = makePair();
    const o = optimizers.adagrad();
    train(o, p, [0]);
    const w1 = o.getWeights();
    tf.dispose(w1.map((e) => e.value));
    const w2 = o.getWeights();
    expect(w2).toHaveLength(3);
    expect(w2.every((e) => !e.value.isDisposed)).toBe(true);
    tf.dispose([...w2.map((e) => e.value), p.a, p.b]);
    o.dispose();
  });

  it('setWeights replaces the whole state; unknown, missing or misshapen slots are errors', () => {
    const p = makePair();
    const o = optimizers.adam({ amsgrad: true });
    train(o, p, [0]);
    const saved = o.getWeights();
    const onlyA = saved.filter((e) => e.variable !== p.b);
    const fresh = optimizers.adam({ amsgrad: true });
    fresh.setWeights(onlyA);
    const restored = fresh.getWeights();
    expect(restored.map((e) => e.slot)).toEqual(['iterations', 'momentum', 'velocity', 'velocityHat']);
    expect(restored.every((e) => e.variable !== p.b)).toBe(true);

    const ma = saved.find((e) => e.variable === p.a && e.slot === 'momentum')!;
    expect(() => fresh.setWeights([{ ...ma, slot: 'm' }])).toThrow(/Adam.setWeights: unknown slot 'm'/);
    expect(() => fresh.setWeights([ma])).toThrow(/lacks slot\(s\) velocity, velocityHat/);
    expect(() => fresh.setWeights(saved.map((e) => (e.variable === p.b && e.slot === 'velocity' ? { ...e, value: ma.value } : e)))).toThrow(ShapeError);
    expect(() => fresh.setWeights([{ variable: null, slot: 'step', value: ma.value }])).toThrow(ValueError);
    // A failed setWeights leaves the state as it was.
    const still = fresh.getWeights();
    expect(still.map((e) => e.slot)).toEqual(['iterations', 'momentum', 'velocity', 'velocityHat']);
    tf.dispose([...saved, ...restored, ...still].map((e) => e.value));
    tf.dispose([p.a, p.b]);
    o.dispose();
    fresh.dispose();
  });
});

describe('applyGradients input checks', () => {
  it('rejects a gradient of the wrong shape and a repeated variable', () => {
    const v = variable([0, 0, 0, 0, 0, 0], [2, 3]);
    const g = tf.zeros([3, 2]);
    const o = optimizers.rmsprop();
    expect(() => o.applyGradients([{ variable: v, gradient: g }])).toThrow(/RMSprop.applyGradients: gradient of variable '.*' must have shape \[2,3\]; got \[3,2\]/);
    const ok = tf.zeros([2, 3]);
    expect(() => o.applyGradients([{ variable: v, gradient: ok }, { variable: v, gradient: ok }])).toThrow(/appears more than once/);
    expect(o.iterations).toBe(0);
    expect(o.getWeights()).toHaveLength(1);
    tf.dispose([v, g, ok]);
  });

  it('an empty list does not advance iterations', () => {
    const o = optimizers.sgd();
    o.applyGradients([]);
    expect(o.iterations).toBe(0);
  });
});
