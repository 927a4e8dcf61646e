import { ValueError } from '../../engine/errors.js';
import type { Logs } from './callback.js';
import { printMessage } from './output.js';

/** How a monitored quantity improves: `min` (lower is better), `max`, or `auto` (from its name). */
export type MonitorMode = 'auto' | 'min' | 'max';

const MAX_HINTS = ['acc', 'auc', 'precision', 'recall', 'f1'];

/**
 * The direction of `monitor` under `mode`. In `auto` mode, names containing `acc`, `auc`,
 * `precision`, `recall` or `f1` (any case, e.g. `val_accuracy`) are maximized, all others
 * (losses, errors) minimized.
 */
export function resolveMode(monitor: string, mode: MonitorMode, owner: string): 'min' | 'max' {
  if (mode === 'min' || mode === 'max') return mode;
  if (mode !== 'auto') {
    throw new ValueError(`${owner}: 'mode' must be 'auto', 'min' or 'max'; got ${JSON.stringify(mode)}`);
  }
  const name = monitor.toLowerCase();
  return MAX_HINTS.some((h) => name.includes(h)) ? 'max' : 'min';
}

/** Checks an option that must be a finite number >= 0 (an integer when `integer`). */
export function checkNonNegative(value: number, name: string, owner: string, integer = false): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (integer && !Number.isInteger(value))) {
    const what = integer ? 'an integer >= 0' : 'a finite number >= 0';
    throw new ValueError(`${owner}: '${name}' must be ${what}; got ${String(value)}`);
  }
}

/** Checks that `monitor` is a non-empty string. */
export function checkMonitor(monitor: string, owner: string): void {
  if (typeof monitor !== 'string' || monitor.length === 0) {
    throw new ValueError(`${owner}: 'monitor' must be a non-empty log name such as 'val_loss'; got ${String(monitor)}`);
  }
}

/**
 * Reads `monitor` from the epoch logs. A missing key warns once per `warned` set (so a
 * run without validation data is told, not crashed) and gives undefined.
 */
export function readMonitor(logs: Logs | undefined, monitor: string, owner: string, warned: { done: boolean }): number | undefined {
  const value = logs?.[monitor];
  if (typeof value === 'number') return value;
  if (!warned.done) {
    warned.done = true;
    const available = Object.keys(logs ?? {}).join(', ') || '(none)';
    printMessage(`${owner} is conditioned on '${monitor}', which is not in the logs. Available: ${available}.`, 'warn');
  }
  return undefined;
}
