import { tf } from '../backend/tf.js';
import { ValueError } from '../engine/errors.js';
import { Layer, UNBUILT_WEIGHTS, type UnbuiltWeights } from '../engine/layer.js';
import { checkOptionKeys, keysOf } from '../engine/option_keys.js';
import type { LayerWeight } from '../engine/weight.js';

/** Options of {@link checkGradients}. */
export interface GradientCheckOptions {
  /** Finite-difference step. Default 1e-3, a float32-aware compromise between truncation and rounding error. */
  epsilon?: number;
  /** Largest relative error that passes. Default 1e-2. */
  tolerance?: number;
  /**
   * Weights (or variables) to check as well as the inputs, or a layer (or model): its
   * trainable weights are checked, after one call of `f` has built it. A list read from a
   * layer that is not built yet (`layer.weights` before its first call) is read again after
   * `f` has built it, never checked empty. Default none.
   */
  weights?: (LayerWeight | tf.Variable)[] | Layer;
  /** Most elements checked per tensor (sampled evenly). Default 256. */
  maxElements?: number;
  /** Seed of the random projection that turns `f`'s output into a scalar. Default 1. */
  seed?: number;
}

/** The check of one input or weight. */
export interface GradientCheckEntry {
  /** `input 0`, or the weight's name. */
  name: string;
  /** Largest |analytic − numeric| over the checked elements. */
  maxAbsError: number;
  /**
   * `maxAbsError / max(|analytic|, |numeric|, noiseFloor / tolerance)`, the figure compared
   * with the tolerance: errors within the float32 noise of the finite differences pass.
   */
  relativeError: number;
  /**
   * The largest error float32 rounding alone gives a central difference here: 4 ulp-sized
   * errors of the projected outputs the nudge moved, over the step (`4 · 2⁻²³ · Σ|f·p| / 2ε`).
   */
  noiseFloor: number;
  /** Number of elements checked. */
  checked: number;
  /** Whether `relativeError <= tolerance`. */
  passed: boolean;
}

/** What {@link checkGradients} found. */
export interface GradientCheckReport {
  /** True when every entry passed. */
  passed: boolean;
  /** The largest relative error over all entries. */
  maxRelativeError: number;
  /** One entry per input, then one per weight. */
  entries: GradientCheckEntry[];
  /** Names of the weights checked (empty when only inputs were). */
  checkedWeights: string[];
  /** A readable table of the entries. */
  toString(): string;
}

const OPTION_KEYS = keysOf<GradientCheckOptions>({ epsilon: true, tolerance: true, weights: true, maxElements: true, seed: true });

function asVariable(w: LayerWeight | tf.Variable): { name: string; v: tf.Variable } {
  return w instanceof tf.Variable ? { name: w.name, v: w } : { name: w.name, v: w.read() };
}

function sampleIndices(size: number, max: number): number[] {
  if (size <= max) return Array.from({ length: size }, (_, i) => i);
  const step = size / max;
  return Array.from({ length: max }, (_, i) => Math.floor(i * step));
}

/**
 * Compares autodiff gradients of `f` with central finite differences, for each input and
 * each given weight. `f`'s output is reduced to a scalar by a fixed random projection, so
 * every output element takes part. Leaves no tensors behind.
 * @param f - the function under test, of the inputs (weights are read inside it).
 * @param inputs - the points at which to check; they are not modified.
 * @returns a report whose `passed` is true when every relative error is within tolerance.
 * @example
 * ```ts
 * const layer = st.layers.dense({ units: 3, activation: 'tanh' });
 * const x = st.tf.randomNormal([4, 5]);
 * const report = st.testing.checkGradients((t) => layer.apply(t) as st.tf.Tensor, [x],
 *   { weights: layer });   // built by the first call; report.checkedWeights lists its weights
 * console.log(report.toString());
 * ```
 */
export function checkGradients(
  f: (...inputs: tf.Tensor[]) => tf.Tensor,
  inputs: tf.Tensor[],
  opts: GradientCheckOptions = {},
): GradientCheckReport {
  checkOptionKeys('checkGradients', opts, OPTION_KEYS);
  const eps = opts.epsilon ?? 1e-3;
  const tol = opts.tolerance ?? 1e-2;
  const maxEl = opts.maxElements ?? 256;
  if (!(eps > 0)) throw new ValueError(`checkGradients: 'epsilon' must be > 0; got ${eps}`);
  if (!Array.isArray(inputs) || inputs.length === 0) {
    throw new ValueError(`checkGradients: 'inputs' must be a non-empty list of tensors`);
  }
  let given: (LayerWeight | tf.Variable)[];
  // A layer, or a weight list read from a layer not built yet: build it by calling f once,
  // then read its weights, so an unbuilt layer is never checked vacuously.
  const unbuilt = Array.isArray(opts.weights) ? (opts.weights as { [UNBUILT_WEIGHTS]?: UnbuiltWeights })[UNBUILT_WEIGHTS] : undefined;
  const layer = opts.weights instanceof Layer ? opts.weights : unbuilt?.layer;
  if (layer) {
    if (!layer.built) {
      tf.tidy(() => {
        f(...inputs);
      });
    }
    if (!layer.built) {
      throw new ValueError(`checkGradients: ${layer.label} is still not built after calling f; f must apply it to the inputs`);
    }
    given = unbuilt ? unbuilt.read(layer) : layer.trainableWeights;
    if (opts.weights instanceof Layer && given.length === 0) {
      throw new ValueError(`checkGradients: ${layer.label} has no trainable weights to check; pass only inputs, or unfreeze it`);
    }
  } else {
    if (opts.weights !== undefined && !Array.isArray(opts.weights)) {
      throw new ValueError(`checkGradients: 'weights' must be a list of weights or variables, or a layer; got ${typeof opts.weights}`);
    }
    given = opts.weights ?? [];
  }
  const weights = given.map(asVariable);
  const entries: GradientCheckEntry[] = [];

  tf.tidy(() => {
    const probe = f(...inputs);
    const proj = tf.randomUniform(probe.shape, 0.5, 1.5, 'float32', opts.seed ?? 1);
    const scalarLoss = (...xs: tf.Tensor[]) => tf.sum(tf.mul(f(...xs), proj)) as tf.Scalar;
    // Outputs are subtracted before they are projected and summed: the difference of two
    // nearby float32 values is exact, whereas two large sums would each carry a rounding
    // error that grows with the output size and swamps the difference.
    // Each output the nudge moves carries a rounding error of about an ulp, which the
    // difference divides by the step: that noise floor is returned with the estimate.
    const centralDiff = (plus: () => tf.Tensor, minus: () => tf.Tensor, step: number): { value: number; noise: number } =>
      tf.tidy(() => {
        const yPlus = plus();
        const diff = tf.sub(yPlus, minus());
        const moved = tf.sum(tf.where(tf.notEqual(diff, 0), tf.abs(tf.mul(yPlus, proj)), tf.zerosLike(yPlus)));
        const [value, mass] = tf.stack([tf.sum(tf.mul(diff, proj)), moved]).dataSync();
        return { value: value! / step, noise: (4 * 2 ** -23 * mass!) / step };
      });
    // The float32 points x ± eps, and the exact distance between them (not 2·eps, which
    // rounding to float32 changes noticeably when |x| is large).
    const nudge = (base: ArrayLike<number>, i: number) => {
      const plus = Float32Array.from(base); plus[i] = base[i]! + eps;
      const minus = Float32Array.from(base); minus[i] = base[i]! - eps;
      return { plus, minus, step: plus[i]! - minus[i]! };
    };

    const analyticIn = tf.grads(scalarLoss)(inputs);
    inputs.forEach((x, k) => {
      const base = x.dataSync();
      const idx = sampleIndices(x.size, maxEl);
      const numeric = idx.map((i) => {
        const { plus, minus, step } = nudge(base, i);
        const at = (vals: Float32Array) => f(...inputs.map((t, j) => (j === k ? tf.tensor(vals, x.shape) : t)));
        return centralDiff(() => at(plus), () => at(minus), step);
      });
      entries.push(compare(`input ${k}`, analyticIn[k]!.dataSync(), idx, numeric, tol));
    });

    if (weights.length) {
      let grads: Record<string, tf.Tensor> = {};
      try {
        grads = tf.variableGrads(() => scalarLoss(...inputs), weights.map((w) => w.v)).grads;
      } catch {
        // tfjs throws when no given weight reaches f's output: each then fails below.
      }
      for (const { name, v } of weights) {
        const base = v.dataSync().slice();
        const idx = sampleIndices(v.size, maxEl);
        const numeric = idx.map((i) => {
          const { plus, minus, step } = nudge(base, i);
          const at = (vals: Float32Array) => {
            v.assign(tf.tensor(vals, v.shape));
            return f(...inputs);
          };
          return centralDiff(() => at(plus), () => at(minus), step);
        });
        v.assign(tf.tensor(base, v.shape));
        const g = grads[v.name];
        const entry = compare(name, g ? g.dataSync() : new Float32Array(v.size), idx, numeric, tol);
        // A weight f never reads would pass vacuously (both gradients 0): fail it instead.
        if (!g) entries.push({ ...entry, passed: false, relativeError: Infinity });
        else entries.push(entry);
      }
    }
  });

  const maxRelativeError = Math.max(...entries.map((e) => e.relativeError));
  return {
    // Nothing checked (empty inputs) is not a pass.
    passed: entries.every((e) => e.passed) && entries.some((e) => e.checked > 0),
    maxRelativeError,
    entries,
    checkedWeights: weights.map((w) => w.name),
    toString() {
      const rows = entries.map((e) =>
        `${e.passed ? 'ok  ' : 'FAIL'} ${e.name.padEnd(28)} rel ${e.relativeError.toExponential(2)}  abs ${e.maxAbsError.toExponential(2)}  (${e.checked} elements)`);
      return [`gradient check: ${this.passed ? 'passed' : 'FAILED'} (max relative error ${maxRelativeError.toExponential(2)}, tolerance ${tol})`, ...rows].join('\n');
    },
  };
}

function compare(name: string, analytic: ArrayLike<number>, idx: number[], numeric: { value: number; noise: number }[], tol: number): GradientCheckEntry {
  let maxAbs = 0;
  let scale = 0;
  let noiseFloor = 0;
  idx.forEach((i, j) => {
    const a = analytic[i]!;
    const n = numeric[j]!.value;
    noiseFloor = Math.max(noiseFloor, numeric[j]!.noise);
    maxAbs = Math.max(maxAbs, Math.abs(a - n));
    scale = Math.max(scale, Math.abs(a), Math.abs(n));
  });
  scale = Math.max(scale, noiseFloor / tol);
  const rel = scale === 0 ? 0 : maxAbs / scale;
  const relativeError = Number.isFinite(rel) ? rel : Infinity;
  return { name, maxAbsError: maxAbs, relativeError, noiseFloor, checked: idx.length, passed: relativeError <= tol };
}
