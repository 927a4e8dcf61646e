import { ValueError } from '../engine/errors.js';
import { nearestKey } from '../engine/option_keys.js';

/** The allowed range of a numeric option, written as it appears in messages. */
export type Range = '>= 0' | '> 0' | '[0, 1)' | '[0, 1]';

function inRange(x: number, range: Range): boolean {
  switch (range) {
    case '>= 0': return x >= 0;
    case '> 0': return x > 0;
    case '[0, 1)': return x >= 0 && x < 1;
    case '[0, 1]': return x >= 0 && x <= 1;
  }
}

function show(x: unknown): string {
  if (typeof x === 'string') return `'${x}'`;
  if (typeof x === 'object' && x !== null) {
    try {
      return JSON.stringify(x);
    } catch {
      return String(x);
    }
  }
  return String(x);
}

/**
 * Reads a finite numeric option, falling back to `fallback` when absent.
 * @throws ValueError naming `owner` and the option when the value is not a finite number in `range`.
 */
export function numberOption(owner: string, name: string, value: unknown, fallback: number, range: Range): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || !inRange(value, range)) {
    throw new ValueError(`${owner}: option '${name}' must be a finite number ${range.startsWith('[') ? 'in ' : ''}${range}; got ${show(value)}`);
  }
  return value;
}

/** Like `numberOption` for an option with no default: `undefined` stays `undefined`. */
export function optionalNumber(owner: string, name: string, value: unknown, range: Range): number | undefined {
  return value === undefined ? undefined : numberOption(owner, name, value, 0, range);
}

/**
 * Reads a boolean option, falling back to `fallback` when absent.
 * @throws ValueError naming `owner` and the option when the value is not a boolean.
 */
export function booleanOption(owner: string, name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') {
    throw new ValueError(`${owner}: option '${name}' must be a boolean; got ${show(value)}`);
  }
  return value;
}

/**
 * Rejects keys outside `allowed`, so a misspelt option (`beta_1`, `lr`) fails loudly
 * instead of silently keeping the default.
 * @throws ValueError naming `owner`, the unknown key and the allowed ones.
 */
export function checkKeys(owner: string, opts: unknown, allowed: readonly string[]): void {
  if (opts === undefined) return;
  if (typeof opts !== 'object' || opts === null || Array.isArray(opts)) {
    throw new ValueError(`${owner}: options must be an object; got ${show(opts)}`);
  }
  for (const key of Object.keys(opts)) {
    if (!allowed.includes(key)) {
      const near = nearestKey(key, allowed);
      throw new ValueError(`${owner}: unknown option '${key.length > 60 ? `${key.slice(0, 60)}…` : key}'; expected one of ${allowed.join(', ')}` +
        (near ? ` (did you mean '${near}'?)` : ''));
    }
  }
}

/**
 * Reads a required option.
 * @throws ValueError naming `owner` and the option when it is absent.
 */
export function requiredOption<T extends object>(owner: string, opts: T, key: keyof T & string): unknown {
  const v = opts?.[key];
  if (v === undefined) throw new ValueError(`${owner}: option '${key}' is required`);
  return v;
}
