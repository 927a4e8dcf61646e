import { tf } from '../../backend/tf.js';
import { ShapeError, ValueError } from '../../engine/errors.js';
import { uniformSource } from '../../data/rng.js';
import { batchSize, ensureBuilt, forwardOf, type ExplainModel } from './target.js';

/** Options of {@link fgsm}. */
export interface FgsmOptions {
  /** Size of the step in input units (L∞ radius). Required, ≥ 0. */
  epsilon: number;
  /** Whether the model outputs probabilities (softmax) or logits. Default `'probabilities'`. */
  outputs?: 'probabilities' | 'logits';
  /** Lowest valid input value; the result is clipped to it. Default 0. */
  clipMin?: number;
  /** Highest valid input value. Default 1. */
  clipMax?: number;
}

/** Options of {@link pgd}. */
export interface PgdOptions extends FgsmOptions {
  /** Size of each step. Default `epsilon / 4`. */
  stepSize?: number;
  /** Gradient steps. Default 10. */
  steps?: number;
  /** Start from a random point in the ε-ball (Madry et al. 2018). Default true. */
  randomStart?: boolean;
  /** Seed of the random start. */
  seed?: number;
}

interface Attack {
  f: (x: tf.Tensor) => tf.Tensor2D;
  labels: tf.Tensor1D;
  logits: boolean;
  lo: number;
  hi: number;
}

function prepare(model: ExplainModel, x: tf.Tensor, y: tf.Tensor, opts: FgsmOptions, owner: string): Attack {
  const n = batchSize(x, owner);
  ensureBuilt(model, x);
  if (!opts || !Number.isFinite(opts.epsilon) || opts.epsilon < 0) {
    throw new ValueError(`${owner}: 'epsilon' must be a number ≥ 0; got ${String(opts?.epsilon)}`);
  }
  const outputs = opts.outputs ?? 'probabilities';
  if (outputs !== 'probabilities' && outputs !== 'logits') throw new ValueError(`${owner}: 'outputs' must be 'probabilities' or 'logits'; got ${String(outputs)}`);
  const lo = opts.clipMin ?? 0;
  const hi = opts.clipMax ?? 1;
  if (!(lo < hi)) throw new ValueError(`${owner}: 'clipMin' (${lo}) must be below 'clipMax' (${hi})`);
  if (!(y instanceof tf.Tensor)) throw new ValueError(`${owner}: 'y' must be a tensor of labels; got ${typeof y}`);
  const labels = tf.tidy(() => (y.rank === 2 ? tf.argMax(y, 1) : tf.cast(y, 'int32')) as tf.Tensor1D);
  if (labels.rank !== 1 || labels.shape[0] !== n) {
    labels.dispose();
    throw new ShapeError(`${owner}: 'y' must hold ${n} labels ([n] indices or [n, k] one-hot); got [${y.shape.join(',')}]`);
  }
  return { f: forwardOf(model, owner), labels, logits: outputs === 'logits', lo, hi };
}

/** Sign of the gradient of the crossentropy of the true labels at `x`. */
function lossGradSign(a: Attack, x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const loss = (inp: tf.Tensor) => {
      const out = a.f(inp);
      const k = out.shape[1]!;
      const oneHot = tf.oneHot(a.labels, k);
      const logp = a.logits ? tf.logSoftmax(out) : tf.log(tf.clipByValue(out, 1e-7, 1));
      return tf.neg(tf.sum(tf.mul(oneHot, logp)));
    };
    return tf.sign(tf.grad(loss)(x));
  });
}

/**
 * The fast gradient sign method (Goodfellow et al. 2015): one step of size ε along the sign
 * of the loss gradient, the classic "breaking convnets" adversarial example. Returns the
 * perturbed batch, clipped to [clipMin, clipMax].
 * @example
 * ```ts
 * const xAdv = st.explain.fgsm(net, xTest, yTest, { epsilon: 0.1 });
 * ```
 */
export function fgsm(model: ExplainModel, x: tf.Tensor, y: tf.Tensor, opts: FgsmOptions): tf.Tensor {
  const a = prepare(model, x, y, opts, 'fgsm');
  try {
    return tf.tidy(() => tf.clipByValue(tf.add(x, tf.mul(lossGradSign(a, x), opts.epsilon)), a.lo, a.hi));
  } finally {
    a.labels.dispose();
  }
}

/**
 * Projected gradient descent (Madry et al. 2018): `steps` signed-gradient steps, each
 * projected back into the L∞ ball of radius ε around `x` and the valid input range; a
 * stronger attack than {@link fgsm}.
 */
export function pgd(model: ExplainModel, x: tf.Tensor, y: tf.Tensor, opts: PgdOptions): tf.Tensor {
  const owner = 'pgd';
  const a = prepare(model, x, y, opts, owner);
  try {
    const steps = opts.steps ?? 10;
    if (!Number.isInteger(steps) || steps < 1) throw new ValueError(`${owner}: 'steps' must be a positive integer; got ${String(opts.steps)}`);
    const step = opts.stepSize ?? opts.epsilon / 4;
    if (!Number.isFinite(step) || step < 0) throw new ValueError(`${owner}: 'stepSize' must be ≥ 0; got ${String(opts.stepSize)}`);
    const eps = opts.epsilon;
    let cur = tf.tidy(() => {
      if (opts.randomStart === false) return tf.clone(x);
      const random = uniformSource(opts.seed);
      const noise = Float32Array.from({ length: x.size }, () => (2 * random() - 1) * eps);
      return tf.clipByValue(tf.add(x, tf.tensor(noise, x.shape)), a.lo, a.hi);
    });
    for (let i = 0; i < steps; i++) {
      const next = tf.tidy(() => {
        const moved = tf.add(cur, tf.mul(lossGradSign(a, cur), step));
        const projected = tf.minimum(tf.maximum(moved, tf.sub(x, eps)), tf.add(x, eps));
        return tf.clipByValue(projected, a.lo, a.hi);
      });
      cur.dispose();
      cur = next;
    }
    return cur;
  } finally {
    a.labels.dispose();
  }
}
