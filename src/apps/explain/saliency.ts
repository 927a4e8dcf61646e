import { tf } from '../../backend/tf.js';
import { ValueError } from '../../engine/errors.js';
import { chunked, repeatIndices, targetGradients } from './gradients.js';
import { batchSize, ensureBuilt, forwardOf, targetIndices, type ExplainModel, type Target } from './target.js';

/** Options shared by the gradient explanations. */
export interface GradientOptions {
  /** Which output to explain per sample. Default `'predicted'` (each sample's arg-max). */
  target?: Target;
  /** Samples per forward/backward pass. Default 32. */
  batchSize?: number;
}

/** Options of {@link saliency}. */
export interface SaliencyOptions extends GradientOptions {
  /** `'abs'`: magnitude of the gradient (Simonyan et al. 2013); `'signed'`: the gradient itself. Default `'abs'`. */
  mode?: 'abs' | 'signed';
}

/** Options of {@link smoothGrad}. */
export interface SmoothGradOptions extends SaliencyOptions {
  /** Noisy copies averaged per sample. Default 25. */
  nSamples?: number;
  /** Noise standard deviation as a fraction of each sample's value range (max − min). Default 0.15. */
  noiseLevel?: number;
  /** Seed of the noise, so a call repeats. Default: unseeded. */
  seed?: number;
}

export function checkPositiveInt(value: number | undefined, fallback: number, owner: string, what: string): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v <= 0) throw new ValueError(`${owner}: '${what}' must be a positive integer; got ${String(value)}`);
  return v;
}

/** Gradients of the target outputs for the whole batch, chunked. The caller owns the result. */
export function batchGradients(model: ExplainModel, x: tf.Tensor, opts: GradientOptions, owner: string): tf.Tensor {
  batchSize(x, owner);
  ensureBuilt(model, x);
  const size = checkPositiveInt(opts.batchSize, 32, owner, 'batchSize');
  const f = forwardOf(model, owner);
  return chunked(x, size, (part, start) => {
    const idx = tf.tidy(() => targetIndices(f(part), sliceTarget(opts.target, start, part.shape[0]!), owner));
    const g = targetGradients(f, part, idx);
    idx.dispose();
    return g;
  });
}

/** The part of a per-sample target list that falls in rows `[start, start + n)`. */
export function sliceTarget(target: Target | undefined, start: number, n: number): Target | undefined {
  return Array.isArray(target) ? (target as readonly number[]).slice(start, start + n) : target;
}

/**
 * Vanilla gradient saliency: how much each input value moves the explained output.
 * Returns a tensor shaped like `x` (reduce channels with `tf.max(s, -1)` for a picture).
 * @example
 * ```ts
 * const s = st.explain.saliency(net, xTest.slice(0, 4));   // [4, 28, 28, 1]
 * ```
 */
export function saliency(model: ExplainModel, x: tf.Tensor, opts: SaliencyOptions = {}): tf.Tensor {
  const mode = opts.mode ?? 'abs';
  if (mode !== 'abs' && mode !== 'signed') throw new ValueError(`saliency: 'mode' must be 'abs' or 'signed'; got ${String(mode)}`);
  const g = batchGradients(model, x, opts, 'saliency');
  if (mode === 'signed') return g;
  const a = tf.abs(g);
  g.dispose();
  return a;
}

/** Gradient × input (Shrikumar et al. 2016): a first-order attribution, shaped like `x`. */
export function inputXGradient(model: ExplainModel, x: tf.Tensor, opts: GradientOptions = {}): tf.Tensor {
  const g = batchGradients(model, x, opts, 'inputXGradient');
  const a = tf.mul(g, x);
  g.dispose();
  return a;
}

/**
 * SmoothGrad (Smilkov et al. 2017): the saliency averaged over noisy copies of each sample,
 * which removes much of the gradient's speckle. Shaped like `x`.
 */
export function smoothGrad(model: ExplainModel, x: tf.Tensor, opts: SmoothGradOptions = {}): tf.Tensor {
  const owner = 'smoothGrad';
  const n = batchSize(x, owner);
  ensureBuilt(model, x);
  const copies = checkPositiveInt(opts.nSamples, 25, owner, 'nSamples');
  const level = opts.noiseLevel ?? 0.15;
  if (!Number.isFinite(level) || level < 0) throw new ValueError(`${owner}: 'noiseLevel' must be a number ≥ 0; got ${String(opts.noiseLevel)}`);
  const mode = opts.mode ?? 'abs';
  if (mode !== 'abs' && mode !== 'signed') throw new ValueError(`${owner}: 'mode' must be 'abs' or 'signed'; got ${String(mode)}`);
  const f = forwardOf(model, owner);
  const size = checkPositiveInt(opts.batchSize, 32, owner, 'batchSize');
  return tf.tidy(() => {
    const idx = targetIndices(f(x), opts.target, owner);
    const flat = tf.reshape(x, [n, -1]);
    const ones = x.shape.slice(1).map(() => 1);
    const sd = tf.reshape(tf.mul(tf.sub(tf.max(flat, 1), tf.min(flat, 1)), level), [n, 1, ...ones]);
    // Sample-major copies: rows i*copies .. i*copies + copies - 1 belong to sample i.
    const rep = tf.tile(tf.expandDims(x, 1), [1, copies, ...ones]);
    const noise = tf.mul(tf.randomNormal(rep.shape, 0, 1, 'float32', opts.seed), sd);
    const noisy = tf.reshape(tf.add(rep, noise), [n * copies, ...x.shape.slice(1)]);
    const repIdx = repeatIndices(idx, copies);
    const grads = chunked(noisy, size, (part, start) => {
      const partIdx = tf.slice(repIdx, [start], [part.shape[0]!]);
      return targetGradients(f, part, partIdx);
    });
    const g = mode === 'abs' ? tf.abs(grads) : grads;
    return tf.mean(tf.reshape(g, [n, copies, ...x.shape.slice(1)]), 1);
  });
}
