/**
 * Gradient property tests for the recurrent layers, Embedding and Masking: autodiff against
 * central finite differences for inputs, initial states and weights, on random shapes, with
 * and without padding masks, through `returnState` outputs.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '../../src/backend/backends.js';
import { tf } from '../../src/backend/tf.js';
import type { Layer } from '../../src/engine/layer.js';
import { embedding } from '../../src/layers/core/embedding.js';
import { masking } from '../../src/layers/core/masking.js';
import { bidirectional, gru, lstm, simpleRNN, timeDistributed, type RNN } from '../../src/layers/recurrent/index.js';
import { dense } from '../../src/layers/core/dense.js';
import { checkGradients } from '../../src/testing/check_gradients.js';
import { RUNS, expectPassed, noLeak, signed, values } from './helpers.js';

beforeAll(async () => {
  await setBackend('cpu');
});

const flat = (out: tf.Tensor | tf.Tensor[]) => tf.concat((Array.isArray(out) ? out : [out]).map((t) => tf.reshape(t, [-1])));

const rnnCase = fc.record({
  kind: fc.constantFrom('simpleRNN', 'lstm', 'gruAfter', 'gruBefore', 'bidirectional'),
  batch: fc.integer({ min: 1, max: 2 }),
  time: fc.integer({ min: 2, max: 4 }),
  dim: fc.integer({ min: 1, max: 3 }),
  units: fc.integer({ min: 1, max: 3 }),
  returnSequences: fc.boolean(),
  returnState: fc.boolean(),
  goBackwards: fc.boolean(),
  masked: fc.boolean(),
  initialState: fc.boolean(),
  seed: fc.integer({ min: 0, max: 1e6 }),
}).chain((c) => fc.record({
  x: values(c.batch * c.time * c.dim, signed(0.05, 1)),
  // At least the first step of each sample is real.
  lengths: fc.array(fc.integer({ min: 1, max: c.time }), { minLength: c.batch, maxLength: c.batch }),
  h0: values(2 * c.batch * c.units, signed(0.05, 0.8)),
}).map((v) => ({ ...c, ...v })));

function makeRnn(c: { kind: string; units: number; returnSequences: boolean; returnState: boolean; goBackwards: boolean; seed: number }): Layer {
  const common = {
    units: c.units, returnSequences: c.returnSequences, goBackwards: c.goBackwards,
    kernelInitializer: { class_name: 'GlorotUniform', config: { seed: c.seed } },
    recurrentInitializer: { class_name: 'Orthogonal', config: { seed: c.seed + 1 } },
    biasInitializer: { class_name: 'RandomUniform', config: { minval: -0.3, maxval: 0.3, seed: c.seed + 2 } },
  };
  switch (c.kind) {
    case 'simpleRNN': return simpleRNN({ ...common, returnState: c.returnState });
    case 'lstm': return lstm({ ...common, returnState: c.returnState });
    case 'gruAfter': return gru({ ...common, returnState: c.returnState });
    case 'gruBefore': return gru({ ...common, returnState: c.returnState, resetAfter: false });
    default: return bidirectional({ layer: lstm({ ...common, returnState: c.returnState }), mergeMode: 'concat' });
  }
}

describe('recurrent gradients', () => {
  it('match finite differences for inputs, initial states and weights, masked and unmasked', () => {
    fc.assert(fc.property(rnnCase, (c) => {
      noLeak((track) => {
        const layer = track(makeRnn(c));
        const x = track(tf.tensor3d(c.x, [c.batch, c.time, c.dim]));
        const mask = track(tf.tensor2d(c.lengths.flatMap((n) => Array.from({ length: c.time }, (_, t) => (t < n ? 1 : 0))), [c.batch, c.time], 'bool'));
        const nStates = c.kind === 'lstm' ? 2 : c.kind === 'bidirectional' ? 4 : 1;
        const useInit = c.initialState && c.kind !== 'bidirectional';
        const states = useInit ? Array.from({ length: nStates }, (_, i) => track(tf.tensor2d(c.h0.slice(0, c.batch * c.units).map((v) => v * (i + 1) / 2), [c.batch, c.units]))) : [];
        const ctxMask = c.masked ? (useInit ? [mask, ...states.map(() => null)] : mask) : null;
        const run = (...ins: tf.Tensor[]) => flat(layer.apply(ins.length > 1 ? ins : ins[0]!, { mask: ctxMask }) as tf.Tensor | tf.Tensor[]);
        tf.tidy(() => { run(x, ...states); });
        const report = checkGradients(run, [x, ...states], { weights: layer.trainableWeights, seed: c.seed });
        expectPassed(report);
      });
    }), { numRuns: RUNS * 4 });
  });

  it('an LSTM over a single time step passes gradients to its input (tfjs\' Unpack gradient cannot)', () => {
    const layer = lstm({ units: 3 });
    const x = tf.randomNormal([2, 1, 4], 0, 1, 'float32', 5);
    const g = tf.grad((xx: tf.Tensor) => tf.sum(layer.apply(xx) as tf.Tensor))(x);
    expect(g.shape).toEqual([2, 1, 4]);
    expect(Array.from(g.dataSync()).some((v) => v !== 0)).toBe(true);
    tf.dispose([x, g]);
  });

  it('timeDistributed(dense) and masking pass gradients to their inputs', () => {
    fc.assert(fc.property(fc.record({ x: values(2 * 3 * 2, signed(0.1, 1)), seed: fc.integer({ min: 0, max: 1e6 }) }), (c) => {
      noLeak((track) => {
        const td = track(timeDistributed({ layer: dense({ units: 2, activation: 'tanh', kernelInitializer: { class_name: 'GlorotUniform', config: { seed: c.seed } } }) }));
        const mk = track(masking({ maskValue: 5 }));
        const x = track(tf.tensor3d(c.x, [2, 3, 2]));
        const run = (t: tf.Tensor) => td.apply(mk.apply(t) as tf.Tensor) as tf.Tensor;
        tf.tidy(() => { run(x); });
        expectPassed(checkGradients(run, [x], { weights: td.trainableWeights, seed: c.seed }));
      });
    }), { numRuns: RUNS });
  });

  it('embedding: gradients reach the table rows that were looked up (through an LSTM over a mask)', () => {
    fc.assert(fc.property(fc.record({ ids: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 6, maxLength: 6 }), seed: fc.integer({ min: 0, max: 1e6 }) }), (c) => {
      noLeak((track) => {
        const emb = track(embedding({ inputDim: 5, outputDim: 2, maskZero: true, embeddingsInitializer: { class_name: 'RandomUniform', config: { minval: -1, maxval: 1, seed: c.seed } } }));
        const rnn = track(lstm({ units: 2, kernelInitializer: { class_name: 'GlorotUniform', config: { seed: c.seed } } })) as RNN;
        const ids = track(tf.tensor2d(c.ids, [2, 3], 'int32'));
        const scale = track(tf.tensor1d([1.5]));
        const run = (s: tf.Tensor) => {
          const e = emb.apply(ids) as tf.Tensor;
          const m = emb.computeMask(ids, null) as tf.Tensor;
          return tf.mul(rnn.apply(e, { mask: m }) as tf.Tensor, s);
        };
        tf.tidy(() => { run(scale); });
        // The ids are integers: the checked input is an output scale; the weights are the table and the LSTM's.
        expectPassed(checkGradients(run, [scale], { weights: [...emb.trainableWeights, ...rnn.trainableWeights], seed: c.seed }));
      });
    }), { numRuns: RUNS });
  });
});
