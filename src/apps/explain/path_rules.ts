import { ValueError } from '../../engine/errors.js';

/** How the path integral of integrated gradients is approximated. */
export type PathMethod = 'gaussLegendre' | 'riemannTrapezoid' | 'riemannMiddle' | 'riemannLeft' | 'riemannRight';

/** Points `alphas` in [0, 1] and weights summing to 1 for `steps` evaluations of a path integral. */
export interface PathRule {
  alphas: number[];
  weights: number[];
}

/**
 * Nodes and weights of Gauss–Legendre quadrature on [0, 1]: the roots of the Legendre
 * polynomial P_n found by Newton's method from Chebyshev guesses. Exact for polynomials of
 * degree < 2n, so a smooth path converges much faster than with Riemann sums.
 */
function gaussLegendre(n: number): PathRule {
  const alphas: number[] = [];
  const weights: number[] = [];
  for (let i = 1; i <= n; i++) {
    let x = Math.cos((Math.PI * (i - 0.25)) / (n + 0.5));
    let dp = 0;
    for (let iter = 0; iter < 100; iter++) {
      // Recurrence: P_k = ((2k-1) x P_{k-1} - (k-1) P_{k-2}) / k.
      let p0 = 1;
      let p1 = x;
      for (let k = 2; k <= n; k++) {
        const p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
        p0 = p1;
        p1 = p2;
      }
      const pn = n === 1 ? x : p1;
      const pn1 = n === 1 ? 1 : p0;
      dp = (n * (x * pn - pn1)) / (x * x - 1);
      const dx = pn / dp;
      x -= dx;
      if (Math.abs(dx) < 1e-15) break;
    }
    // Map [-1, 1] to [0, 1]: the weights halve, so they sum to 1.
    alphas.push((1 - x) / 2);
    weights.push(1 / ((1 - x * x) * dp * dp));
  }
  return { alphas, weights };
}

/** The evaluation points and weights of `method` with `steps` points. */
export function pathRule(method: PathMethod, steps: number, owner: string): PathRule {
  if (!Number.isInteger(steps) || steps < 1 || steps > 10_000) {
    throw new ValueError(`${owner}: 'steps' must be an integer in [1, 10000]; got ${String(steps)}`);
  }
  const uniform = (alpha: (i: number) => number, weight: (i: number) => number): PathRule => ({
    alphas: Array.from({ length: steps }, (_, i) => alpha(i)),
    weights: Array.from({ length: steps }, (_, i) => weight(i)),
  });
  switch (method) {
    case 'gaussLegendre':
      return gaussLegendre(steps);
    case 'riemannMiddle':
      return uniform((i) => (i + 0.5) / steps, () => 1 / steps);
    case 'riemannLeft':
      return uniform((i) => i / steps, () => 1 / steps);
    case 'riemannRight':
      return uniform((i) => (i + 1) / steps, () => 1 / steps);
    case 'riemannTrapezoid':
      if (steps < 2) throw new ValueError(`${owner}: 'riemannTrapezoid' needs steps ≥ 2; got ${steps}`);
      return uniform((i) => i / (steps - 1), (i) => (i === 0 || i === steps - 1 ? 0.5 : 1) / (steps - 1));
    default:
      throw new ValueError(`${owner}: 'method' must be one of gaussLegendre, riemannTrapezoid, riemannMiddle, riemannLeft, riemannRight; got ${String(method)}`);
  }
}
