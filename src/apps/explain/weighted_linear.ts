import { ValueError } from '../../engine/errors.js';

/**
 * Solves the square system `a · x = b` (row-major `n×n`, float64) by Gaussian elimination
 * with partial pivoting. Singular systems raise a ValueError naming `owner`.
 */
export function solve(a: Float64Array, b: Float64Array, n: number, owner: string): Float64Array {
  const m = Float64Array.from(a);
  const x = Float64Array.from(b);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r * n + c]!) > Math.abs(m[p * n + c]!)) p = r;
    if (Math.abs(m[p * n + c]!) < 1e-300) throw new ValueError(`${owner}: the weighted least-squares system is singular (too few distinct samples for ${n} features); raise 'nSamples'`);
    if (p !== c) {
      for (let k = 0; k < n; k++) [m[c * n + k], m[p * n + k]] = [m[p * n + k]!, m[c * n + k]!];
      [x[c], x[p]] = [x[p]!, x[c]!];
    }
    const piv = m[c * n + c]!;
    for (let r = c + 1; r < n; r++) {
      const f = m[r * n + c]! / piv;
      if (f === 0) continue;
      for (let k = c; k < n; k++) m[r * n + k] = m[r * n + k]! - f * m[c * n + k]!;
      x[r] = x[r]! - f * x[c]!;
    }
  }
  for (let r = n - 1; r >= 0; r--) {
    let s = x[r]!;
    for (let k = r + 1; k < n; k++) s -= m[r * n + k]! * x[k]!;
    x[r] = s / m[r * n + r]!;
  }
  return x;
}

/** A weighted linear fit: coefficients per column, an intercept, and the weighted R². */
export interface LinearFit {
  coefficients: Float64Array;
  intercept: number;
  r2: number;
}

/**
 * Weighted ridge regression of `y` on the `rows×cols` design `a` (row-major), with an
 * unpenalised intercept when `intercept` is true: minimises Σ w (y − a·β − β0)² + alpha ‖β‖².
 * Solved in float64 through the normal equations (cols is small: features or segments).
 */
export function weightedRidge(a: Float64Array, y: Float64Array, w: Float64Array, rows: number, cols: number,
  opts: { alpha: number; intercept: boolean }, owner: string): LinearFit {
  const p = cols + (opts.intercept ? 1 : 0);
  const ata = new Float64Array(p * p);
  const aty = new Float64Array(p);
  const row = new Float64Array(p);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) row[c] = a[r * cols + c]!;
    if (opts.intercept) row[cols] = 1;
    const wr = w[r]!;
    if (wr === 0) continue;
    for (let i = 0; i < p; i++) {
      const wi = wr * row[i]!;
      if (wi === 0) continue;
      aty[i] = aty[i]! + wi * y[r]!;
      for (let j = 0; j < p; j++) ata[i * p + j] = ata[i * p + j]! + wi * row[j]!;
    }
  }
  for (let i = 0; i < cols; i++) ata[i * p + i] = ata[i * p + i]! + opts.alpha;
  const beta = solve(ata, aty, p, owner);
  const intercept = opts.intercept ? beta[cols]! : 0;
  const coefficients = beta.slice(0, cols);
  let sw = 0;
  let my = 0;
  for (let r = 0; r < rows; r++) {
    sw += w[r]!;
    my += w[r]! * y[r]!;
  }
  my /= sw || 1;
  let ssRes = 0;
  let ssTot = 0;
  for (let r = 0; r < rows; r++) {
    let pred = intercept;
    for (let c = 0; c < cols; c++) pred += coefficients[c]! * a[r * cols + c]!;
    ssRes += w[r]! * (y[r]! - pred) ** 2;
    ssTot += w[r]! * (y[r]! - my) ** 2;
  }
  return { coefficients, intercept, r2: ssTot > 0 ? 1 - ssRes / ssTot : 1 };
}
