import { tf } from '../../backend/tf.js';
import { ShapeError, ValueError } from '../../engine/errors.js';
import type { Layer } from '../../engine/layer.js';
import type { Network } from '../../models/network.js';
import { selectOutputs } from './target.js';
import { withTap } from './layer_tap.js';
import { batchSize, ensureBuilt, forwardOf, targetIndices, type Target } from './target.js';

/** Options of {@link gradCam}. */
export interface GradCamOptions {
  /** The convolutional layer (name or layer) whose maps are weighted. Default: the last layer with a 4-D output. */
  layer?: string | Layer;
  /** Which output to explain per sample. Default `'predicted'`. */
  target?: Target;
  /** Divide each map by its maximum so it lies in [0, 1]. Default true. */
  normalize?: boolean;
}

/** What {@link gradCam} returns. */
export interface GradCamResult {
  /** Non-negative class-activation maps `[n, h, w]` at the layer's spatial size. */
  maps: tf.Tensor3D;
  /** The layer whose activations were used. */
  layer: string;
}

/** The last top-level layer whose output on `x` is 4-D `[n, h, w, c]`. */
function lastConvLayer(model: Network, x: tf.Tensor, f: (x: tf.Tensor) => tf.Tensor): Layer {
  let found: Layer | undefined;
  const probe = tf.slice(x, [0, ...x.shape.slice(1).map(() => 0)], [1, ...x.shape.slice(1)]);
  try {
    for (const layer of [...model.layers].reverse()) {
      let rank = 0;
      tf.tidy(() => {
        withTap(layer, (out) => ((rank = out.rank), out), () => f(probe));
      });
      if (rank === 4) {
        found = layer;
        break;
      }
    }
  } finally {
    probe.dispose();
  }
  if (!found) throw new ValueError(`gradCam: ${model.label} has no layer with a 4-D output [n, h, w, c]; pass 'layer'`);
  return found;
}

/**
 * Grad-CAM (Selvaraju et al. 2017): a convolutional layer's feature maps weighted by the
 * spatial mean of the explained output's gradient with respect to them, then ReLU — where
 * in the image the layer saw evidence for the class.
 * @example
 * ```ts
 * const { maps } = st.explain.gradCam(net, x, { layer: 'conv2d_1' });   // [n, 12, 12]
 * ```
 */
export function gradCam(model: Network, x: tf.Tensor, opts: GradCamOptions = {}): GradCamResult {
  const owner = 'gradCam';
  batchSize(x, owner);
  ensureBuilt(model, x);
  const f = forwardOf(model, owner);
  const layer = opts.layer === undefined ? lastConvLayer(model, x, f)
    : typeof opts.layer === 'string' ? model.getLayer(opts.layer) : opts.layer;
  let act: tf.Tensor | undefined;
  try {
    const maps = tf.tidy(() => {
      // Kept clone: the layer's own scope, and inference's freeing of used activations,
      // would otherwise dispose the activation before it is read here.
      const y = withTap(layer, (out) => ((act = tf.keep(tf.clone(out))), out), () => f(x));
      if (!act) throw new ValueError(`${owner}: layer '${layer.name}' did not run when ${model.label} was called`);
      const a = act;
      if (a.rank !== 4) throw new ShapeError(`${owner}: layer '${layer.name}' outputs rank ${a.rank} [${a.shape.join(',')}]; Grad-CAM needs [n, h, w, c]`);
      const idx = targetIndices(y, opts.target, owner);
      // d y / d A through a zero perturbation added at the layer: the gradient with respect to it.
      const zero = tf.zerosLike(a);
      const grads = tf.grad((d: tf.Tensor) => withTap(layer, (out) => tf.add(out, d), () => tf.sum(selectOutputs(f(x), idx))))(zero);
      const weights = tf.mean(grads, [1, 2], true);
      const cam = tf.relu(tf.sum(tf.mul(weights, a), 3)) as tf.Tensor3D;
      if (opts.normalize === false) return cam;
      const peak = tf.max(cam, [1, 2], true);
      return tf.div(cam, tf.maximum(peak, 1e-12)) as tf.Tensor3D;
    });
    return { maps, layer: layer.name };
  } finally {
    act?.dispose();
  }
}
