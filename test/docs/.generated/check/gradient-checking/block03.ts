// docs/gradient-checking.md:159 (block 3)
import fc from 'fast-check';
import * as st from 'strata';

const { tf } = st;
fc.assert(
  fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 5 }), fc.integer(), (batch, units, seed) => {
    const layer = st.layers.dense({ units, activation: 'tanh', kernelInitializer: st.initializers.glorotUniform({ seed }) });
    const x = tf.randomNormal([batch, 3], 0, 1, 'float32', seed);
    tf.dispose(layer.apply(x));
    const report = st.testing.checkGradients((t) => layer.apply(t) as st.tf.Tensor, [x], { weights: layer.weights });
    x.dispose();
    layer.dispose();
    return report.passed;
  }),
  { numRuns: 5 },
);
export {};
