import { tf } from '../../backend/tf.js';
import { ShapeError, ValueError } from '../../engine/errors.js';
import { uniformSource } from '../../data/rng.js';
import { checkGroups, maskedModel } from './masking.js';
import { checkPositiveInt } from './saliency.js';
import { pixelGroups, type Segmentation } from './segments.js';
import { ensureBuilt, forwardOf, type ExplainModel } from './target.js';
import { weightedRidge } from './weighted_linear.js';

/** Options of {@link lime}. */
export interface LimeOptions {
  /**
   * Tabular mode (no `groups` / `segmentation`): reference rows whose per-feature standard
   * deviations scale the perturbations. Default: unit scale.
   */
  background?: tf.Tensor;
  /** Interpretable-feature mode: a group id per input value; a group is present or replaced by `hideValue`. */
  groups?: ArrayLike<number>;
  /** Image mode: superpixels (e.g. from `slic`); every channel of a pixel follows its segment. */
  segmentation?: Segmentation;
  /** Perturbed samples. Default 1000. */
  nSamples?: number;
  /** Width of the exponential kernel on distance. Default 0.75·√features (tabular) or 0.25 (cosine distance on groups), as LIME. */
  kernelWidth?: number;
  /** Value of an absent group: a number, or `'mean'` (the group's mean value in the sample). Default `'mean'`. */
  hideValue?: number | 'mean';
  /** Ridge penalty of the surrogate. Default 1, as LIME. */
  alpha?: number;
  /** Output to explain. Default: the sample's arg-max output. */
  target?: number;
  /** Seed of the perturbations. */
  seed?: number;
}

/** A local linear surrogate of the model around one sample. */
export interface LimeExplanation {
  /** Per feature (tabular: per unit of the feature) or per group (present vs absent). */
  coefficients: number[];
  /** The surrogate's intercept. */
  intercept: number;
  /** Weighted R² of the surrogate on the perturbed samples. */
  score: number;
  /** The explained output of the model at the sample. */
  fx: number;
  /** The output index explained. */
  target: number;
}

function gaussian(random: () => number): number {
  const u = Math.max(random(), 1e-300);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/**
 * LIME (Ribeiro et al. 2016): perturb a sample, weigh the perturbations by closeness to it,
 * and fit a weighted ridge regression of the model's output — an interpretable local model.
 * Tabular rows are perturbed with Gaussian noise scaled by the background's spread; images
 * and grouped inputs switch groups (superpixels) on and off. One explanation per sample.
 * @example
 * ```ts
 * const [e] = await st.explain.lime(net, xRow, { background: xTrain });
 * ```
 */
export async function lime(model: ExplainModel, x: tf.Tensor, opts: LimeOptions = {}): Promise<LimeExplanation[]> {
  const owner = 'lime';
  if (!(x instanceof tf.Tensor) || x.rank < 2) throw new ShapeError(`${owner}: 'x' must be a batch [n, ...] tensor`);
  ensureBuilt(model, x);
  const f = forwardOf(model, owner);
  const sampleShape = x.shape.slice(1);
  const d = sampleShape.reduce((a, b) => a * b, 1);
  const nSamples = checkPositiveInt(opts.nSamples, 1000, owner, 'nSamples');
  const alpha = opts.alpha ?? 1;
  if (!Number.isFinite(alpha) || alpha < 0) throw new ValueError(`${owner}: 'alpha' must be ≥ 0; got ${String(opts.alpha)}`);
  const random = uniformSource(opts.seed);
  const xs = Float32Array.from(await x.data());
  const fxAll = tf.tidy(() => f(x));
  const fxs = await fxAll.data();
  const k = fxAll.shape[1]!;
  fxAll.dispose();
  const out: LimeExplanation[] = [];
  let groupIds = opts.groups;
  if (opts.segmentation) {
    const seg = opts.segmentation;
    const channels = d / (seg.height * seg.width);
    if (!Number.isInteger(channels)) throw new ShapeError(`${owner}: segmentation is ${seg.height}×${seg.width} but a sample has ${d} values`);
    groupIds = pixelGroups(seg, channels);
  }
  const std = new Float64Array(d).fill(1);
  if (!groupIds && opts.background) {
    const bg = opts.background;
    if (bg.shape.slice(1).join(',') !== sampleShape.join(',')) throw new ShapeError(`${owner}: 'background' samples must be shaped like x's [${sampleShape.join(',')}]`);
    const b = await bg.data();
    const nb = bg.shape[0]!;
    for (let j = 0; j < d; j++) {
      let s = 0;
      let s2 = 0;
      for (let r = 0; r < nb; r++) {
        s += b[r * d + j]!;
        s2 += b[r * d + j]! ** 2;
      }
      const v = s2 / nb - (s / nb) ** 2;
      std[j] = v > 1e-12 ? Math.sqrt(v) : 1;
    }
  }
  for (let i = 0; i < x.shape[0]!; i++) {
    const row = xs.subarray(i * d, (i + 1) * d);
    let target = opts.target;
    if (target === undefined) {
      target = 0;
      for (let o = 1; o < k; o++) if (fxs[i * k + o]! > fxs[i * k + target]!) target = o;
    }
    if (!Number.isInteger(target) || target < 0 || target >= k) throw new ValueError(`${owner}: 'target' must be an output index in [0, ${k}); got ${target}`);
    const fx = fxs[i * k + target]!;
    if (groupIds) {
      const groups = checkGroups(groupIds, d, owner);
      const m = groups.count;
      const hide = new Float32Array(d);
      if (opts.hideValue === undefined || opts.hideValue === 'mean') {
        const sum = new Float64Array(m);
        const cnt = new Float64Array(m);
        for (let e = 0; e < d; e++) {
          sum[groups.ids[e]!] += row[e]!;
          cnt[groups.ids[e]!] += 1;
        }
        for (let e = 0; e < d; e++) hide[e] = sum[groups.ids[e]!]! / cnt[groups.ids[e]!]!;
      } else if (typeof opts.hideValue === 'number' && Number.isFinite(opts.hideValue)) {
        hide.fill(opts.hideValue);
      } else {
        throw new ValueError(`${owner}: 'hideValue' must be a number or 'mean'; got ${String(opts.hideValue)}`);
      }
      const masks = new Uint8Array(nSamples * m);
      masks.fill(1, 0, m);
      for (let s = 1; s < nSamples; s++) {
        const on = 1 + Math.floor(random() * Math.max(1, m - 1));
        const perm = Array.from({ length: m }, (_, j) => j);
        for (let j = 0; j < m; j++) {
          const r = j + Math.floor(random() * (m - j));
          [perm[j], perm[r]] = [perm[r]!, perm[j]!];
        }
        for (let j = 0; j < on; j++) masks[s * m + perm[j]!] = 1;
      }
      const vals = await maskedModel(f, Float32Array.from(row), sampleShape, hide, 1, groups, k).evaluate(masks, nSamples);
      const width = opts.kernelWidth ?? 0.25;
      const w = new Float64Array(nSamples);
      const y = new Float64Array(nSamples);
      for (let s = 0; s < nSamples; s++) {
        let on = 0;
        for (let j = 0; j < m; j++) on += masks[s * m + j]!;
        const cosDist = 1 - on / Math.sqrt(on * m || 1);
        w[s] = Math.sqrt(Math.exp(-(cosDist ** 2) / width ** 2));
        y[s] = vals[s * k + target]!;
      }
      const fit = weightedRidge(Float64Array.from(masks), y, w, nSamples, m, { alpha, intercept: true }, owner);
      out.push({ coefficients: Array.from(fit.coefficients), intercept: fit.intercept, score: fit.r2, fx, target });
      continue;
    }
    const z = new Float64Array(nSamples * d);
    const data = new Float32Array(nSamples * d);
    const w = new Float64Array(nSamples);
    const width = opts.kernelWidth ?? 0.75 * Math.sqrt(d);
    for (let s = 0; s < nSamples; s++) {
      let dist2 = 0;
      for (let j = 0; j < d; j++) {
        const g = s === 0 ? 0 : gaussian(random);
        z[s * d + j] = g;
        data[s * d + j] = row[j]! + g * std[j]!;
        dist2 += g * g;
      }
      w[s] = Math.sqrt(Math.exp(-dist2 / width ** 2));
    }
    const preds = tf.tidy(() => f(tf.tensor(data, [nSamples, ...sampleShape])));
    const pv = await preds.data();
    preds.dispose();
    const y = Float64Array.from({ length: nSamples }, (_, s) => pv[s * k + target!]!);
    if (y.some((v) => !Number.isFinite(v))) throw new ValueError(`${owner}: the model returned a non-finite output on a perturbed sample`);
    const fit = weightedRidge(z, y, w, nSamples, d, { alpha, intercept: true }, owner);
    out.push({ coefficients: Array.from(fit.coefficients, (c, j) => c / std[j]!), intercept: fit.intercept, score: fit.r2, fx, target });
  }
  return out;
}
