import { ValueError } from '../../engine/errors.js';

/**
 * Checks a `[low, high]` value range (Keras `value_range`) and returns it sorted.
 * @throws ValueError naming `owner`.
 */
export function checkValueRange(v: unknown, owner: string): [number, number] {
  const r = v ?? [0, 255];
  if (!Array.isArray(r) || r.length !== 2 || r.some((x) => typeof x !== 'number' || !Number.isFinite(x)) || r[0] === r[1]) {
    throw new ValueError(`${owner}: 'valueRange' must be [low, high] with two different finite numbers; got ${JSON.stringify(v)}`);
  }
  return r[0] < r[1] ? [r[0], r[1]] : [r[1], r[0]];
}
