import * as st from '../../../src/index.js';

const { tf } = st;

/** A small seeded CNN on 8×8×1 inputs with a softmax over 3 classes. */
export function smallCnn(): st.Sequential {
  const init = (seed: number) => st.initializers.glorotUniform({ seed });
  return st.sequential([
    st.layers.input({ shape: [8, 8, 1] }),
    st.layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu', kernelInitializer: init(1), name: 'conv' }),
    st.layers.conv2d({ filters: 6, kernelSize: 3, activation: 'tanh', kernelInitializer: init(2), name: 'conv_b' }),
    st.layers.flatten(),
    st.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: init(3) }),
  ]);
}

/** Reproducible images in [0, 1]. */
export function images(n: number, seed = 7): st.tf.Tensor {
  return tf.randomUniform([n, 8, 8, 1], 0, 1, 'float32', seed);
}
