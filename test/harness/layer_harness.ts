/**
 * The shared layer harness: every layer passes the same checks.
 *  1. eager output shape equals computeOutputShape (and the symbolic shape);
 *  2. getConfig round-trips through the constructor;
 *  3. the weight count equals what summary() reports;
 *  4. one gradient step changes the trainable weights, leaves non-trainable ones alone,
 *     and a frozen layer is left entirely alone;
 *  5. no tensors leak from apply().
 */
import { describe, expect, it } from 'vitest';
import * as st from '../../src/index.js';

const { tf } = st;

export interface HarnessCase {
  /** Test title. */
  title: string;
  /** Makes a fresh layer. */
  make: () => st.Layer;
  /** Input shape(s) with a concrete batch size, e.g. `[2, 5]` or `[[2, 4], [2, 4]]` for merges. */
  inputShape: number[] | number[][];
  /** Whether the layer has trainable weights (default: detected after build). */
  trainable?: boolean;
  /** Tolerate non-deterministic training-mode outputs (Dropout): skip the eager/symbolic value check. */
  stochastic?: boolean;
}

function isMulti(s: number[] | number[][]): s is number[][] {
  return Array.isArray(s[0]);
}

function makeInputs(c: HarnessCase, seed = 7): st.tf.Tensor[] {
  const shapes = isMulti(c.inputShape) ? c.inputShape : [c.inputShape];
  // Values kept away from 0 so kinks (ReLU at 0) are not hit by accident.
  return shapes.map((s, i) => tf.tidy(() => {
    const u = tf.randomUniform(s, 0.1, 1, 'float32', seed + i);
    const sign = tf.sign(tf.randomUniform(s, -1, 1, 'float32', seed + 100 + i));
    return tf.mul(u, tf.where(tf.equal(sign, 0), tf.onesLike(sign), sign));
  }));
}

function applyEager(layer: st.Layer, xs: st.tf.Tensor[], multi: boolean, training = false): st.tf.Tensor {
  const out = layer.apply(multi ? xs : xs[0]!, { training });
  return Array.isArray(out) ? out[0]! : out;
}

/** Registers the harness tests for one layer configuration. */
export function layerHarness(c: HarnessCase): void {
  const multi = isMulti(c.inputShape);
  describe(`layer harness: ${c.title}`, () => {
    it('output shape equals computeOutputShape and the symbolic shape', () => {
      const layer = c.make();
      const xs = makeInputs(c);
      const y = applyEager(layer, xs, multi);
      const batchShapes = xs.map((x) => [null, ...x.shape.slice(1)]);
      const expected = layer.computeOutputShape(multi ? batchShapes : batchShapes[0]!) as (number | null)[];
      expect([null, ...y.shape.slice(1)]).toEqual(expected);
      const symIn = batchShapes.map((s) => st.layers.input({ shape: s.slice(1) as number[] }));
      const sym = c.make().apply(multi ? symIn : symIn[0]!) as st.SymbolicTensor;
      expect(sym.shape).toEqual(expected);
      tf.dispose([...xs, y]);
      layer.dispose();
    });

    it('getConfig round-trips through the constructor', () => {
      const layer = c.make();
      const xs = makeInputs(c);
      tf.dispose(applyEager(layer, xs, multi));
      const cfg = layer.getConfig();
      const Ctor = layer.constructor as new (o: unknown) => st.Layer;
      const again = new Ctor(JSON.parse(JSON.stringify(cfg)));
      expect(JSON.parse(JSON.stringify(again.getConfig()))).toEqual(JSON.parse(JSON.stringify(cfg)));
      tf.dispose(xs);
      layer.dispose();
    });

    it('weight count equals summary()', () => {
      const layer = c.make();
      const xs = makeInputs(c);
      tf.dispose(applyEager(layer, xs, multi));
      const total = layer.weights.reduce((a, w) => a + w.size, 0);
      const ins = xs.map((x) => st.layers.input({ shape: x.shape.slice(1) }));
      const out = layer.apply(multi ? ins : ins[0]!) as st.SymbolicTensor;
      const m = st.model({ inputs: ins, outputs: out });
      const lines: string[] = [];
      m.summary({ printFn: (l) => lines.push(l) });
      const line = lines.find((l) => l.startsWith('Total params:'))!;
      expect(Number(line.replace(/[^0-9]/g, ''))).toBe(total);
      expect(layer.countParams()).toBe(total);
      tf.dispose(xs);
      layer.dispose();
    });

    it('a gradient step changes trainable weights only; a frozen layer is untouched', () => {
      const layer = c.make();
      const xs = makeInputs(c);
      tf.dispose(applyEager(layer, xs, multi));
      const step = () => {
        const vars = layer.trainableWeights.map((w) => w.read());
        if (vars.length === 0) return;
        tf.tidy(() => {
          const { grads } = tf.variableGrads(() => {
            const y = applyEager(layer, xs, multi, true);
            return tf.sum(tf.mul(y, tf.randomUniform(y.shape, 0.5, 1.5, 'float32', 3))) as st.tf.Scalar;
          }, vars);
          for (const v of vars) v.assign(tf.sub(v, tf.mul(0.1, grads[v.name]!)));
        });
      };
      const before = layer.weights.map((w) => Array.from(w.read().dataSync()));
      const trainableNames = new Set(layer.trainableWeights.map((w) => w.name));
      const hasTrainable = trainableNames.size > 0;
      if (c.trainable !== undefined) expect(hasTrainable).toBe(c.trainable);
      step();
      layer.weights.forEach((w, i) => {
        const changed = Array.from(w.read().dataSync()).some((v, j) => v !== before[i]![j]);
        if (trainableNames.has(w.name)) expect(changed, `${w.name} should change`).toBe(true);
      });
      layer.trainable = false;
      expect(layer.trainableWeights).toHaveLength(0);
      const frozen = layer.weights.map((w) => Array.from(w.read().dataSync()));
      step();
      layer.weights.forEach((w, i) => expect(Array.from(w.read().dataSync())).toEqual(frozen[i]));
      tf.dispose(xs);
      layer.dispose();
    });

    it('leaks no tensors', () => {
      const layer = c.make();
      const xs = makeInputs(c);
      tf.dispose(applyEager(layer, xs, multi));
      const n0 = tf.memory().numTensors;
      for (const training of [false, true]) {
        const y = applyEager(layer, xs, multi, training);
        y.dispose();
      }
      tf.tidy(() => { applyEager(layer, xs, multi, true); });
      expect(tf.memory().numTensors).toBe(n0);
      tf.dispose(xs);
      layer.dispose();
    });
  });
}
