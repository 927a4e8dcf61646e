import { ValueError } from '../../engine/errors.js';

/** Rows and columns at the borders: `n` everywhere, `[h, w]` symmetric, or `[[top, bottom], [left, right]]`. */
export type Borders2D = number | [number, number] | [[number, number], [number, number]];

function isCount(v: unknown): v is number {
  return Number.isInteger(v) && (v as number) >= 0;
}

/**
 * Reads a border spec (Keras' `padding` of ZeroPadding2D, `cropping` of Cropping2D) as
 * `[[top, bottom], [left, right]]`; a ValueError naming `owner` and `what` otherwise.
 */
export function normalizeBorders(spec: Borders2D | undefined, fallback: number, owner: string, what: string): [[number, number], [number, number]] {
  const v = spec ?? fallback;
  if (isCount(v)) return [[v, v], [v, v]];
  if (Array.isArray(v) && v.length === 2) {
    const [a, b] = v as unknown[];
    if (isCount(a) && isCount(b)) return [[a, a], [b, b]];
    const pair = (q: unknown): q is [number, number] => Array.isArray(q) && q.length === 2 && q.every(isCount);
    if (pair(a) && pair(b)) return [[a[0], a[1]], [b[0], b[1]]];
  }
  throw new ValueError(
    `${owner}: '${what}' must be a non-negative integer, [height, width] or [[top, bottom], [left, right]]; got ${JSON.stringify(spec)}`,
  );
}
