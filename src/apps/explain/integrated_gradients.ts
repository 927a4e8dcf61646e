import { tf } from '../../backend/tf.js';
import { ShapeError, ValueError } from '../../engine/errors.js';
import { uniformSource } from '../../data/rng.js';
import { chunked, repeatIndices, targetGradients, targetValues } from './gradients.js';
import { pathRule, type PathMethod } from './path_rules.js';
import { checkPositiveInt, type GradientOptions } from './saliency.js';
import { batchSize, ensureBuilt, forwardOf, targetIndices, type ExplainModel } from './target.js';

/** Options of {@link integratedGradients}. */
export interface IntegratedGradientsOptions extends GradientOptions {
  /**
   * The reference input where "nothing is present": a number (every value), a tensor shaped
   * like one sample, or a batch like `x` (or `[1, ...]`). Default 0 (a black image).
   */
  baseline?: number | tf.Tensor;
  /** Points on the straight path from baseline to input. Default 50. */
  steps?: number;
  /** Quadrature along the path. Default `'gaussLegendre'`. */
  method?: PathMethod;
}

/** What {@link integratedGradients} returns. */
export interface IntegratedGradientsResult {
  /** Attributions shaped like `x`; they sum (per sample) to `fx − fBaseline` up to `delta`. */
  attributions: tf.Tensor;
  /** The explained output at each input. */
  fx: number[];
  /** The explained output at each baseline. */
  fBaseline: number[];
  /** Completeness gap per sample: sum of attributions − (fx − fBaseline). */
  delta: number[];
  /** |delta| / |fx − fBaseline| per sample (0 when both are 0): the approximation error. */
  relativeError: number[];
}

/** The baseline as a batch like `x`. */
function baselineBatch(x: tf.Tensor, baseline: number | tf.Tensor | undefined, owner: string): tf.Tensor {
  if (baseline === undefined || typeof baseline === 'number') {
    if (baseline !== undefined && !Number.isFinite(baseline)) throw new ValueError(`${owner}: 'baseline' must be finite; got ${baseline}`);
    return tf.fill(x.shape, baseline ?? 0);
  }
  const sample = x.shape.slice(1);
  const same = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((d, i) => d === b[i]);
  if (same(baseline.shape, sample)) return tf.broadcastTo(tf.expandDims(baseline, 0), x.shape);
  if (same(baseline.shape.slice(1), sample) && (baseline.shape[0] === 1 || baseline.shape[0] === x.shape[0])) {
    return tf.broadcastTo(baseline, x.shape);
  }
  throw new ShapeError(`${owner}: 'baseline' must be shaped like one sample [${sample.join(',')}] or the batch [${x.shape.join(',')}]; got [${baseline.shape.join(',')}]`);
}

/**
 * Integrated gradients (Sundararajan et al. 2017): the gradient averaged along the straight
 * path from a baseline to the input, times (input − baseline). Attributions satisfy
 * completeness — they add up to f(x) − f(baseline) — and the result reports how closely
 * the quadrature met it (`relativeError`).
 * @example
 * ```ts
 * const { attributions, relativeError } = st.explain.integratedGradients(net, x, { target: 3 });
 * ```
 */
export function integratedGradients(model: ExplainModel, x: tf.Tensor, opts: IntegratedGradientsOptions = {}): IntegratedGradientsResult {
  const owner = 'integratedGradients';
  const n = batchSize(x, owner);
  ensureBuilt(model, x);
  const rule = pathRule(opts.method ?? 'gaussLegendre', opts.steps ?? 50, owner);
  const size = checkPositiveInt(opts.batchSize, 64, owner, 'batchSize');
  const f = forwardOf(model, owner);
  const steps = rule.alphas.length;
  const ones = x.shape.slice(1).map(() => 1);
  const [attributions, fx, fb] = tf.tidy(() => {
    const base = baselineBatch(x, opts.baseline, owner);
    const idx = targetIndices(f(x), opts.target, owner);
    const diff = tf.sub(x, base);
    // Sample-major path points: rows i*steps + j = base_i + alpha_j (x_i - base_i).
    const alphas = tf.reshape(tf.tensor1d(rule.alphas), [1, steps, ...ones]);
    const points = tf.reshape(tf.add(tf.expandDims(base, 1), tf.mul(alphas, tf.expandDims(diff, 1))), [n * steps, ...x.shape.slice(1)]);
    const repIdx = repeatIndices(idx, steps);
    const grads = chunked(points, size, (part, start) => targetGradients(f, part, tf.slice(repIdx, [start], [part.shape[0]!])));
    const weights = tf.reshape(tf.tensor1d(rule.weights), [1, steps, ...ones]);
    const avg = tf.sum(tf.mul(tf.reshape(grads, [n, steps, ...x.shape.slice(1)]), weights), 1);
    return [tf.mul(avg, diff), targetValues(f, x, idx), targetValues(f, base, idx)];
  });
  const sums = tf.tidy(() => tf.sum(tf.reshape(attributions, [n, -1]), 1));
  const [s, a, b] = [sums.dataSync(), fx.dataSync(), fb.dataSync()];
  tf.dispose([sums, fx, fb]);
  const delta: number[] = [];
  const relativeError: number[] = [];
  for (let i = 0; i < n; i++) {
    const change = a[i]! - b[i]!;
    delta.push(s[i]! - change);
    relativeError.push(change === 0 ? (s[i] === 0 ? 0 : Infinity) : Math.abs(s[i]! - change) / Math.abs(change));
  }
  return { attributions, fx: Array.from(a), fBaseline: Array.from(b), delta, relativeError };
}

/** Options of {@link gradientShap}. */
export interface GradientShapOptions extends GradientOptions {
  /** Reference inputs `[b, ...]`, e.g. a sample of the training set. Required. */
  background: tf.Tensor;
  /** Random (baseline, point-on-path) draws per sample. Default 50. */
  nSamples?: number;
  /** Standard deviation of Gaussian noise added to the input at each draw (SmoothGrad-style). Default 0. */
  stdev?: number;
  /** Seed of the draws, so a call repeats. Default: unseeded. */
  seed?: number;
}

/**
 * GradientSHAP / expected gradients (Erion et al. 2019; Lundberg & Lee 2017): integrated
 * gradients with the baseline drawn from a background sample and the path point drawn at
 * random. In expectation the attributions of a sample add up to f(x) − E[f(background)].
 * Shaped like `x`.
 */
export function gradientShap(model: ExplainModel, x: tf.Tensor, opts: GradientShapOptions): tf.Tensor {
  const owner = 'gradientShap';
  const n = batchSize(x, owner);
  const bg = opts?.background;
  const nb = batchSize(bg, owner, 'background');
  if (bg.shape.slice(1).join(',') !== x.shape.slice(1).join(',')) {
    throw new ShapeError(`${owner}: 'background' samples must be shaped like x's [${x.shape.slice(1).join(',')}]; got [${bg.shape.slice(1).join(',')}]`);
  }
  ensureBuilt(model, x);
  const draws = checkPositiveInt(opts.nSamples, 50, owner, 'nSamples');
  const stdev = opts.stdev ?? 0;
  if (!Number.isFinite(stdev) || stdev < 0) throw new ValueError(`${owner}: 'stdev' must be ≥ 0; got ${String(opts.stdev)}`);
  const size = checkPositiveInt(opts.batchSize, 64, owner, 'batchSize');
  const f = forwardOf(model, owner);
  const random = uniformSource(opts.seed);
  const pick = Int32Array.from({ length: n * draws }, () => Math.floor(random() * nb));
  const alpha = Float32Array.from({ length: n * draws }, () => random());
  const ones = x.shape.slice(1).map(() => 1);
  return tf.tidy(() => {
    const idx = targetIndices(f(x), opts.target, owner);
    const rows = tf.reshape(tf.tile(tf.expandDims(x, 1), [1, draws, ...ones]), [n * draws, ...x.shape.slice(1)]);
    const noisy = stdev > 0 ? tf.add(rows, tf.randomNormal(rows.shape, 0, stdev, 'float32', opts.seed)) : rows;
    const bases = tf.gather(bg, tf.tensor1d(pick, 'int32'));
    const diff = tf.sub(noisy, bases);
    const points = tf.add(bases, tf.mul(tf.reshape(tf.tensor1d(alpha), [n * draws, ...ones]), diff));
    const repIdx = repeatIndices(idx, draws);
    const grads = chunked(points, size, (part, start) => targetGradients(f, part, tf.slice(repIdx, [start], [part.shape[0]!])));
    return tf.mean(tf.reshape(tf.mul(grads, diff), [n, draws, ...x.shape.slice(1)]), 1);
  });
}
