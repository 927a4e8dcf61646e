import { ValueError } from '../../engine/errors.js';

/** Coalitions of `m` features (row-major 0/1 rows) and the kernel weight of each row. */
export interface Coalitions {
  masks: Uint8Array;
  weights: Float64Array;
  count: number;
}

/** Binomial coefficient C(n, k) in float64 (exact for the sizes used here). */
export function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return Math.round(r);
}

/** The Shapley kernel's total weight on coalitions of size s: (m − 1) / (s (m − s)). */
function sizeMass(m: number, s: number): number {
  return (m - 1) / (s * (m - s));
}

/** Every subset of `0..m-1` with `s` members, as 0/1 rows appended to `out`. */
function pushSubsets(m: number, s: number, out: number[][]): void {
  const idx = Array.from({ length: s }, (_, i) => i);
  for (;;) {
    const row = new Array<number>(m).fill(0);
    for (const i of idx) row[i] = 1;
    out.push(row);
    let i = s - 1;
    while (i >= 0 && idx[i] === m - s + i) i--;
    if (i < 0) return;
    idx[i]!++;
    for (let j = i + 1; j < s; j++) idx[j] = idx[j - 1]! + 1;
  }
}

/**
 * Coalitions for Kernel SHAP with at most `budget` rows (the empty and full coalitions are
 * handled by the constraint, not sampled). Coalition sizes are taken in complementary pairs
 * (s, m − s) from the smallest up — the sizes the Shapley kernel weighs most — and each pair
 * is enumerated completely while the budget covers it, with each subset weighted by the
 * exact kernel. The budget left is spent on random subsets (each with its complement) drawn
 * from the remaining sizes in proportion to their kernel mass, sharing that mass equally.
 * With a budget of 2^m − 2 or more, every coalition is enumerated and the fit is exact.
 */
export function shapCoalitions(m: number, budget: number, random: () => number, owner: string): Coalitions {
  if (m < 1) throw new ValueError(`${owner}: there must be at least one feature`);
  if (m > 1000) throw new ValueError(`${owner}: ${m} features is too many for Kernel SHAP; group them (e.g. superpixels) to at most 1000`);
  const rows: number[][] = [];
  const weights: number[] = [];
  if (m === 1) return { masks: new Uint8Array(0), weights: new Float64Array(0), count: 0 };
  const paired = (s: number) => m - s !== s;
  const masses: number[] = [];
  for (let s = 1; s <= Math.ceil((m - 1) / 2); s++) masses.push(sizeMass(m, s) * (paired(s) ? 2 : 1));
  let massLeft = masses.reduce((a, b) => a + b, 0);
  let left = budget;
  let s = 1;
  for (; s <= Math.ceil((m - 1) / 2); s++) {
    const count = binomial(m, s) * (paired(s) ? 2 : 1);
    const share = (left * masses[s - 1]!) / massLeft;
    if (count > share * (1 + 1e-9) || count > left) break;
    const subsets: number[][] = [];
    pushSubsets(m, s, subsets);
    const w = sizeMass(m, s) / binomial(m, s);
    for (const r of subsets) {
      rows.push(r);
      weights.push(w);
      if (paired(s)) {
        rows.push(r.map((v) => 1 - v));
        weights.push(w);
      }
    }
    left -= count;
    massLeft -= masses[s - 1]!;
  }
  if (s <= Math.ceil((m - 1) / 2) && left >= 2) {
    const sizes = Array.from({ length: Math.ceil((m - 1) / 2) - s + 1 }, (_, i) => s + i);
    const draws = Math.floor(left / 2);
    const w = massLeft / (draws * 2);
    for (let d = 0; d < draws; d++) {
      let u = random() * massLeft;
      let size = sizes[sizes.length - 1]!;
      for (const t of sizes) {
        u -= masses[t - 1]!;
        if (u <= 0) {
          size = t;
          break;
        }
      }
      // A random subset of this size (partial Fisher–Yates); its complement is the pair.
      const perm = Array.from({ length: m }, (_, i) => i);
      for (let i = 0; i < size; i++) {
        const j = i + Math.floor(random() * (m - i));
        [perm[i], perm[j]] = [perm[j]!, perm[i]!];
      }
      const row = new Array<number>(m).fill(0);
      for (let i = 0; i < size; i++) row[perm[i]!] = 1;
      rows.push(row, row.map((v) => 1 - v));
      weights.push(w, w);
    }
  }
  const masks = new Uint8Array(rows.length * m);
  rows.forEach((r, i) => masks.set(r, i * m));
  return { masks, weights: Float64Array.from(weights), count: rows.length };
}
