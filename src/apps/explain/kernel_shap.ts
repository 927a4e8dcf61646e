import { tf } from '../../backend/tf.js';
import { ShapeError, ValueError } from '../../engine/errors.js';
import { uniformSource } from '../../data/rng.js';
import { shapCoalitions } from './coalitions.js';
import { checkGroups, maskedModel, type MaskedModel } from './masking.js';
import { checkPositiveInt } from './saliency.js';
import { ensureBuilt, forwardOf, type ExplainModel } from './target.js';
import { solve } from './weighted_linear.js';

/** Options of {@link kernelShap}. */
export interface KernelShapOptions {
  /** Reference rows `[b, ...]` that stand for "feature absent" (e.g. 50–100 training samples). Required. */
  background: tf.Tensor;
  /** Coalitions to evaluate per sample. Default `2 · features + 2048`, as the shap package. */
  nSamples?: number;
  /** A group id per input value (e.g. superpixels of an image); each group is one player. Default: every value its own feature. */
  groups?: ArrayLike<number>;
  /**
   * `'exact'` enumerates all coalitions with the Shapley formula (≤ 20 players); `'kernel'`
   * fits the Shapley-kernel weighted regression; `'auto'` is exact when every coalition fits
   * in `nSamples`. Default `'auto'`.
   */
  method?: 'auto' | 'exact' | 'kernel';
  /** Seed of the coalition sampling, so a call repeats. */
  seed?: number;
}

/** Shapley values of one sample. */
export interface ShapValues {
  /** `values[k][g]`: contribution of feature (group) g to output k. */
  values: number[][];
  /** E[f(background)] per output: the value with every feature absent. */
  expectedValue: number[];
  /** f(x) per output; `expectedValue + Σ values` equals it (efficiency). */
  fx: number[];
  /** Whether the values are exact (all coalitions enumerated). */
  exact: boolean;
  /** Coalitions evaluated. */
  evaluations: number;
}

/** Exact Shapley values from the full table of coalition values (`2^m` rows, bit i = player i). */
function shapleyFromTable(table: Float64Array, m: number, k: number): number[][] {
  const fact = [1];
  for (let i = 1; i <= m; i++) fact.push(fact[i - 1]! * i);
  const values = Array.from({ length: k }, () => new Array<number>(m).fill(0));
  for (let s = 0; s < 1 << m; s++) {
    let size = 0;
    for (let t = s; t; t &= t - 1) size++;
    const w = (fact[size]! * fact[m - size - 1]!) / fact[m]!;
    for (let i = 0; i < m; i++) {
      if (s & (1 << i)) continue;
      const with_ = s | (1 << i);
      for (let o = 0; o < k; o++) values[o]![i] += w * (table[with_ * k + o]! - table[s * k + o]!);
    }
  }
  return values;
}

async function exactValues(model: MaskedModel): Promise<{ values: number[][]; v0: number[]; fx: number[]; n: number }> {
  const m = model.groups;
  if (m > 20) throw new ValueError(`kernelShap: exact Shapley values enumerate 2^${m} coalitions; use method 'kernel' or group features to ≤ 20`);
  const count = 1 << m;
  const masks = new Uint8Array(count * m);
  for (let s = 0; s < count; s++) for (let i = 0; i < m; i++) masks[s * m + i] = (s >> i) & 1;
  const table = await model.evaluate(masks, count);
  const k = model.outputs;
  return {
    values: shapleyFromTable(table, m, k),
    v0: Array.from(table.subarray(0, k)),
    fx: Array.from(table.subarray((count - 1) * k, count * k)),
    n: count,
  };
}

async function kernelValues(model: MaskedModel, budget: number, random: () => number): Promise<{ values: number[][]; v0: number[]; fx: number[]; n: number }> {
  const m = model.groups;
  const k = model.outputs;
  const ends = new Uint8Array(2 * m);
  ends.fill(1, m);
  const endVals = await model.evaluate(ends, 2);
  const v0 = Array.from(endVals.subarray(0, k));
  const fx = Array.from(endVals.subarray(k, 2 * k));
  if (m === 1) return { values: fx.map((v, o) => [v - v0[o]!]), v0, fx, n: 2 };
  const co = shapCoalitions(m, budget, random, 'kernelShap');
  const vals = await model.evaluate(co.masks, co.count);
  // Efficiency as a constraint: phi_last = delta - sum(others); regress on (z_i - z_last).
  const p = m - 1;
  const values: number[][] = [];
  const ata = new Float64Array(p * p);
  const row = new Float64Array(p);
  for (let r = 0; r < co.count; r++) {
    const zl = co.masks[r * m + p]!;
    for (let i = 0; i < p; i++) row[i] = co.masks[r * m + i]! - zl;
    const w = co.weights[r]!;
    for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) ata[i * p + j] = ata[i * p + j]! + w * row[i]! * row[j]!;
  }
  for (let o = 0; o < k; o++) {
    const delta = fx[o]! - v0[o]!;
    const aty = new Float64Array(p);
    for (let r = 0; r < co.count; r++) {
      const zl = co.masks[r * m + p]!;
      const y = vals[r * k + o]! - v0[o]! - zl * delta;
      const w = co.weights[r]!;
      for (let i = 0; i < p; i++) aty[i] = aty[i]! + w * (co.masks[r * m + i]! - zl) * y;
    }
    const phi = Array.from(solve(ata, aty, p, 'kernelShap'));
    phi.push(delta - phi.reduce((a, b) => a + b, 0));
    values.push(phi);
  }
  return { values, v0, fx, n: co.count + 2 };
}

/**
 * Kernel SHAP (Lundberg & Lee 2017): Shapley values of each feature (or feature group) for
 * each output, from the model's outputs on coalitions where absent features take background
 * values. With few players (or `method: 'exact'`) the values are enumerated exactly;
 * otherwise they come from the Shapley-kernel weighted regression with the efficiency
 * constraint, on paired, size-stratified coalitions. One result per sample of `x`.
 * @example
 * ```ts
 * const [sv] = await st.explain.kernelShap(net, xTest.slice(0, 1), { background: xTrain.slice(0, 50) });
 * ```
 */
export async function kernelShap(model: ExplainModel, x: tf.Tensor, opts: KernelShapOptions): Promise<ShapValues[]> {
  const owner = 'kernelShap';
  if (!(x instanceof tf.Tensor) || x.rank < 2) throw new ShapeError(`${owner}: 'x' must be a batch [n, ...] tensor`);
  const bg = opts?.background;
  if (!(bg instanceof tf.Tensor) || bg.rank !== x.rank || bg.shape.slice(1).join(',') !== x.shape.slice(1).join(',') || bg.shape[0] === 0) {
    throw new ShapeError(`${owner}: 'background' must be a non-empty batch of samples shaped like x's [${x.shape.slice(1).join(',')}]; got ${bg instanceof tf.Tensor ? `[${bg.shape.join(',')}]` : typeof bg}`);
  }
  ensureBuilt(model, x);
  const f = forwardOf(model, owner);
  const sampleShape = x.shape.slice(1);
  const d = sampleShape.reduce((a, b) => a * b, 1);
  const groups = checkGroups(opts.groups, d, owner);
  const method = opts.method ?? 'auto';
  if (!['auto', 'exact', 'kernel'].includes(method)) throw new ValueError(`${owner}: 'method' must be 'auto', 'exact' or 'kernel'; got ${String(method)}`);
  const budget = checkPositiveInt(opts.nSamples, 2 * groups.count + 2048, owner, 'nSamples');
  const xs = (await x.data()) as Float32Array;
  const ref = Float32Array.from(await bg.data());
  const outputs = tf.tidy(() => f(tf.slice(x, [0, ...sampleShape.map(() => 0)], [1, ...sampleShape])).shape[1]!);
  const random = uniformSource(opts.seed);
  const results: ShapValues[] = [];
  for (let i = 0; i < x.shape[0]!; i++) {
    const mm = maskedModel(f, Float32Array.from(xs.subarray(i * d, (i + 1) * d)), sampleShape, ref, bg.shape[0]!, groups, outputs);
    const exact = method === 'exact' || (method === 'auto' && groups.count <= 20 && 2 ** groups.count - 2 <= budget);
    const r = exact ? await exactValues(mm) : await kernelValues(mm, budget, random);
    results.push({ values: r.values, expectedValue: r.v0, fx: r.fx, exact, evaluations: r.n });
  }
  return results;
}
