// Parzen estimators of TPE (Bergstra et al. 2011): a weighted mixture of truncated normals
// for numbers, smoothed category frequencies for choices. Both include a prior component so
// that no region is ever ruled out.
import { normal, type Rng } from './rng.js';

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** erf through the Chebyshev-fitted erfc of Numerical Recipes (absolute error < 1.2e-7 everywhere). */
function erf(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
    t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? 1 - r : r - 1;
}

/** Standard normal CDF. */
export function normCdf(x: number): number {
  return 0.5 * (1 + erf(x / Math.SQRT2));
}

/** Log of the sum of exps, stable. */
export function logSumExp(xs: readonly number[]): number {
  let m = -Infinity;
  for (const x of xs) if (x > m) m = x;
  if (m === -Infinity) return -Infinity;
  let s = 0;
  for (const x of xs) s += Math.exp(x - m);
  return m + Math.log(s);
}

/** A mixture of normals truncated to [low, high]. */
export class NumericParzen {
  readonly mus: number[];
  readonly sigmas: number[];
  readonly weights: number[];
  private readonly logNorm: number[];

  /**
   * @param obs observations on the internal scale, oldest first
   * @param obsWeights one weight per observation
   * @param priorWeight weight of the prior component (centre of the range, sigma = range)
   */
  constructor(obs: readonly number[], obsWeights: readonly number[], readonly low: number, readonly high: number, priorWeight = 1) {
    const range = high - low;
    const mus = [...obs, (low + high) / 2];
    const weights = [...obsWeights, priorWeight];
    // Bandwidths (Hyperopt's rule): each observation's distance to its farther sorted
    // neighbour, clipped to [range / min(100, n + 1), range]; the prior keeps sigma = range.
    const order = obs.map((_, i) => i).sort((a, b) => obs[a]! - obs[b]!);
    const sigmas = new Array<number>(mus.length).fill(range);
    const minSigma = range / Math.min(100, mus.length);
    for (let k = 0; k < order.length; k++) {
      const i = order[k]!;
      const left = k > 0 ? obs[i]! - obs[order[k - 1]!]! : -Infinity;
      const right = k < order.length - 1 ? obs[order[k + 1]!]! - obs[i]! : -Infinity;
      let s = Math.max(left, right);
      if (!Number.isFinite(s)) s = range; // a single observation
      sigmas[i] = Math.min(range, Math.max(minSigma, s));
    }
    const total = weights.reduce((a, b) => a + b, 0);
    this.mus = mus;
    this.sigmas = sigmas.map((s) => (s > 0 ? s : 1e-12));
    this.weights = weights.map((w) => w / total);
    this.logNorm = this.mus.map((mu, i) => {
      const s = this.sigmas[i]!;
      const mass = normCdf((high - mu) / s) - normCdf((low - mu) / s);
      return Math.log(Math.max(mass, 1e-300));
    });
  }

  /** Draws one value: picks a component by weight, then samples it within [low, high]. */
  sample(rng: Rng): number {
    let u = rng();
    let i = 0;
    while (i < this.weights.length - 1 && u >= this.weights[i]!) u -= this.weights[i++]!;
    const mu = this.mus[i]!;
    const s = this.sigmas[i]!;
    for (let tries = 0; tries < 100; tries++) {
      const x = mu + s * normal(rng);
      if (x >= this.low && x <= this.high) return x;
    }
    return Math.min(this.high, Math.max(this.low, mu));
  }

  /** log density at x. */
  logPdf(x: number): number {
    const terms = this.mus.map((mu, i) => {
      const s = this.sigmas[i]!;
      const z = (x - mu) / s;
      return Math.log(this.weights[i]!) - 0.5 * z * z - Math.log(s) - LOG_SQRT_2PI - this.logNorm[i]!;
    });
    return logSumExp(terms);
  }
}

/** Smoothed category frequencies: each observation adds its weight, the prior adds `priorWeight / k` to every category. */
export class CategoricalParzen {
  readonly probs: number[];

  constructor(obs: readonly number[], obsWeights: readonly number[], k: number, priorWeight = 1) {
    const counts = new Array<number>(k).fill(priorWeight / k);
    obs.forEach((c, i) => (counts[c]! += obsWeights[i]!));
    const total = counts.reduce((a, b) => a + b, 0);
    this.probs = counts.map((c) => c / total);
  }

  sample(rng: Rng): number {
    let u = rng();
    for (let i = 0; i < this.probs.length - 1; i++) {
      if (u < this.probs[i]!) return i;
      u -= this.probs[i]!;
    }
    return this.probs.length - 1;
  }

  logPdf(c: number): number {
    return Math.log(this.probs[c]!);
  }
}

/**
 * Observation weights by age (oldest first): all 1 up to 25 observations; beyond that the
 * newest 25 keep 1 and older ones ramp down linearly (Optuna's default).
 */
export function ageWeights(n: number): number[] {
  if (n < 25) return new Array<number>(n).fill(1);
  const ramp = n - 25;
  const w: number[] = [];
  for (let i = 0; i < ramp; i++) w.push(ramp === 1 ? 1 / n : 1 / n + ((1 - 1 / n) * i) / (ramp - 1));
  for (let i = 0; i < 25; i++) w.push(1);
  return w;
}
