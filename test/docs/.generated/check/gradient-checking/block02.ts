// docs/gradient-checking.md:106 (block 2)
import * as st from 'strata';

const { tf } = st;
type Save = (tensors: st.tf.Tensor[]) => void;

function cube(factor: number): (x: st.tf.Tensor) => st.tf.Tensor {
  return tf.customGrad((...args: (st.tf.Tensor | Save)[]) => {
    const [x, save] = args as [st.tf.Tensor, Save];
    save([x]);
    return {
      value: tf.pow(x, 3),
      gradFunc: (dy: st.tf.Tensor, [saved]: st.tf.Tensor[]) => tf.mul(dy, tf.mul(factor, tf.square(saved!))),
    };
  }) as (x: st.tf.Tensor) => st.tf.Tensor;
}

const x = tf.tensor1d([-1.5, -0.5, 0.7, 2]);
const good = st.testing.checkGradients(cube(3), [x]);
const bad = st.testing.checkGradients(cube(2), [x]);
console.log(good.passed, bad.passed);            // true false
console.log(bad.toString());
// gradient check: FAILED (max relative error 3.33e-1, tolerance 0.01)
// FAIL input 0                      rel 3.33e-1  abs 4.49e+0  (4 elements)
if (!good.passed || bad.passed) throw new Error('the check did not tell the two apart');
x.dispose();
export {};
