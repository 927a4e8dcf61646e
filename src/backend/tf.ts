/**
 * tfjs-core, re-exported for tensor work (`st.tf.tensor(...)`, `st.tf.tidy(...)`).
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
// The gradient and chained-op registrations of tfjs-core are not run by its CJS entry;
// importing them here (bundled into our build) fills the global registries once.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';

export { tf };
