import fc from 'fast-check';
import { beforeAll, describe, it } from 'vitest';
import * as st from '../engine/st.js';
import { RUNS, expectPassed, nearKink, noLeak, signed, values } from './helpers.js';

const { tf } = st;

beforeAll(async () => {
  await st.setBackend('cpu');
});

const dims = fc.record({
  batch: fc.integer({ min: 1, max: 3 }),
  inDim: fc.integer({ min: 1, max: 4 }),
  hidden: fc.integer({ min: 2, max: 5 }),
  outDim: fc.integer({ min: 2, max: 4 }),
  seed: fc.integer({ min: 0, max: 1e6 }),
});

function uniform(seed: number, limit = 1): st.initializers.RandomUniform {
  return st.initializers.randomUniform({ minval: -limit, maxval: limit, seed });
}

/** `x · kernel + bias` of a built Dense layer. */
function preActivation(layer: st.Layer, x: st.tf.Tensor): st.tf.Tensor {
  return tf.tidy(() => {
    const [kernel, bias] = layer.weights.map((w) => w.read());
    return tf.add(tf.matMul(x, kernel!), bias!);
  });
}

describe('gradient check: models', () => {
  it('a Sequential model (tanh → relu → linear): input and every weight', () => {
    const arb = dims.chain((d) => values(d.batch * d.inDim, signed(0.3, 2)).map((x) => ({ ...d, x })));
    fc.assert(
      fc.property(arb, (c) => noLeak((own) => {
        const net = own(st.sequential([
          st.layers.input({ shape: [c.inDim] }),
          st.layers.dense({ units: c.hidden, activation: 'tanh', kernelInitializer: uniform(c.seed), biasInitializer: uniform(c.seed + 1, 0.5) }),
          st.layers.dense({ units: c.hidden, activation: 'relu', kernelInitializer: uniform(c.seed + 2), biasInitializer: uniform(c.seed + 3, 0.5) }),
          st.layers.dense({ units: c.outDim, kernelInitializer: uniform(c.seed + 4), biasInitializer: uniform(c.seed + 5, 0.5) }),
        ]));
        const x = own(tf.tensor2d(c.x, [c.batch, c.inDim]));
        const h = own(net.getLayer(0).apply(x) as st.tf.Tensor);
        fc.pre(!nearKink(own(preActivation(net.getLayer(1), h)), [0]));
        expectPassed(st.testing.checkGradients((t) => net.apply(t) as st.tf.Tensor, [x], { weights: net.weights }));
      })),
      { numRuns: RUNS },
    );
  });

  it('a functional model with one Dense shared by two inputs, outputs combined with tf ops', () => {
    const arb = dims.chain((d) =>
      fc.record({ a: values(d.batch * d.inDim, signed(0.05, 2)), b: values(d.batch * d.inDim, signed(0.05, 2)) })
        .map((xs) => ({ ...d, ...xs })));
    fc.assert(
      fc.property(arb, (c) => noLeak((own) => {
        const inA = st.layers.input({ shape: [c.inDim] });
        const inB = st.layers.input({ shape: [c.inDim] });
        const shared = st.layers.dense({ units: c.hidden, activation: 'sigmoid', kernelInitializer: uniform(c.seed), biasInitializer: uniform(c.seed + 1, 0.5) });
        const head = st.layers.dense({ units: c.outDim, activation: 'tanh', kernelInitializer: uniform(c.seed + 2) });
        const ha = shared.apply(inA);
        const hb = shared.apply(inB);
        const net = own(st.model({ inputs: [inA, inB], outputs: [head.apply(ha), hb] }));
        const a = own(tf.tensor2d(c.a, [c.batch, c.inDim]));
        const b = own(tf.tensor2d(c.b, [c.batch, c.inDim]));
        const f = (ta: st.tf.Tensor, tb: st.tf.Tensor): st.tf.Tensor => {
          const [ya, yb] = net.apply([ta, tb]) as st.tf.Tensor[];
          // The two branches meet here: the shared kernel gets gradient from both.
          const hidden = yb!.shape[1]!;
          const mixed = tf.add(tf.slice(ya!, [0, 0], [-1, Math.min(hidden, c.outDim)]), tf.slice(yb!, [0, 0], [-1, Math.min(hidden, c.outDim)]));
          return tf.concat([mixed, ya!, tf.square(yb!)], 1);
        };
        expectPassed(st.testing.checkGradients(f, [a, b], { weights: net.weights }));
      })),
      { numRuns: RUNS },
    );
  });
});
