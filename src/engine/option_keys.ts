import { ValueError } from './errors.js';

/** Letters only, lower case: `batch_size`, `batchSize` and `BatchSize` all read `batchsize`. */
function squash(key: string): string {
  return key.replace(/[_\-\s]/g, '').toLowerCase();
}

function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}

/**
 * The known key closest to `key` (same letters in another case or with underscores
 * first, e.g. `batch_size` → `batchSize`; else the fewest edits, at most a third of the
 * key's length), or undefined when none is close.
 */
export function nearestKey(key: string, known: Iterable<string>): string | undefined {
  if (key.length > 100) return undefined;
  const list = [...known];
  const s = squash(key);
  const same = list.find((k) => squash(k) === s);
  if (same) return same;
  let best: string | undefined;
  let bestD = Math.max(1, Math.floor(s.length / 3)) + 1;
  for (const k of list) {
    const d = editDistance(s, squash(k));
    if (d < bestD) [best, bestD] = [k, d];
  }
  return best;
}

/** `'batch_size'` for messages, cut to 60 characters. */
function quote(key: string): string {
  return `'${key.length > 60 ? `${key.slice(0, 60)}…` : key}'`;
}

/**
 * Raises a ValueError for the first key of `opts` (an options object) that is not in
 * `known`, naming it and the nearest known key: `Sequential 'm'.fit: unknown option
 * 'batch_size'; did you mean 'batchSize'?`. Keys whose value is `undefined` are let
 * through (spreading optional settings is common). Non-objects are left to the caller.
 * @param owner - the call or layer, for the message.
 * @param shown - the keys to list in the message when none is near; default `known`.
 */
export function checkOptionKeys(owner: string, opts: unknown, known: Iterable<string>, shown?: Iterable<string>): void {
  if (!opts || typeof opts !== 'object' || Array.isArray(opts)) return;
  const set = known instanceof Set ? (known as Set<string>) : new Set(known);
  for (const key of Object.keys(opts)) {
    if (set.has(key) || (opts as Record<string, unknown>)[key] === undefined) continue;
    const near = nearestKey(key, set);
    const hint = near ? `; did you mean '${near}'?` : `; known options: ${[...(shown ?? set)].sort().join(', ')}`;
    throw new ValueError(`${owner}: unknown option ${quote(key)}${hint}`);
  }
}

/**
 * The keys of an options interface, as a runtime list. The record must name every key of
 * `T`, so adding an option to the interface without adding it to the record is a type
 * error (and the unknown-option check can never reject a real option).
 */
export function keysOf<T>(record: Record<keyof Required<T>, true>): readonly string[] {
  return Object.keys(record);
}
