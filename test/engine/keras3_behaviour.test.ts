/**
 * Where Keras 3 and tfjs-layers differ, strata follows Keras 3 (docs/keras-compatibility.md
 * lists these). Numbers from the real Keras: test/fixtures/keras_numbers/differences.json,
 * written by scripts/fixtures/make_keras_numbers.py.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import * as st from '../../src/index.js';

const { tf } = st;

interface Case {
  name: string;
  x: number[] | number[][][][];
  y: number[] | number[][][][];
  cite: string;
}

const cases = (JSON.parse(readFileSync(new URL('../fixtures/keras_numbers/differences.json', import.meta.url), 'utf8')) as {
  cases: Case[];
}).cases;
const byName = (n: string): Case => cases.find((c) => c.name === n)!;

beforeAll(async () => {
  await st.setBackend('cpu');
});

describe('strata follows Keras 3 where tfjs-layers differs', () => {
  it('hard_sigmoid is relu6(x + 3) / 6 (tfjs-layers: clip(0.2 x + 0.5))', () => {
    const c = byName('hard_sigmoid');
    const x = c.x as number[];
    const net = st.sequential([st.layers.activation({ activation: 'hard_sigmoid', inputShape: [x.length] })]);
    const xt = tf.tensor2d([x]);
    const y = net.predict(xt) as st.tf.Tensor;
    const got = Array.from(y.dataSync());
    (c.y as number[]).forEach((v, i) => expect(got[i]).toBeCloseTo(v, 6));
    // The tfjs-layers formula would give 0.3 at x = -1; Keras 3 gives 1/3.
    expect(got[2]).not.toBeCloseTo(0.3, 3);
    tf.dispose([xt, y]);
    net.dispose();
  });

  it('UpSampling2D bilinear uses half-pixel centers as Keras 3', () => {
    const c = byName('upsampling2d_bilinear');
    const net = st.sequential([st.layers.upSampling2d({ size: 2, interpolation: 'bilinear', inputShape: [2, 4, 1] })]);
    const xt = tf.tensor4d(c.x as number[][][][]);
    const y = net.predict(xt) as st.tf.Tensor;
    const got = Array.from(y.dataSync());
    (c.y as number[][][][]).flat(3).forEach((v, i) => expect(got[i]).toBeCloseTo(v, 5));
    tf.dispose([xt, y]);
    net.dispose();
  });
});
