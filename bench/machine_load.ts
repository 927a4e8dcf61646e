/**
 * How busy the whole machine was while a side ran: CPU seconds every process spent
 * (from `/proc/stat`), less the side's own. Two cores shared with anything else make
 * wall-clock figures, and above all threaded ones, meaningless: a thread pool waits for
 * its slowest thread, and a worker that finds its core taken waits a scheduler slice.
 */
import { readFileSync } from 'node:fs';

/** Linux counts `/proc/stat` in clock ticks of 1/100 s on every common configuration. */
const TICKS_PER_SEC = 100;

/** CPU seconds all cores have been busy since boot; undefined where `/proc/stat` is missing. */
export function machineBusySeconds(): number | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
    const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
    const busy = [user, nice, system, irq, softirq, steal].reduce((s: number, v) => s + (v ?? 0), 0);
    return busy / TICKS_PER_SEC;
  } catch {
    return undefined;
  }
}

/**
 * Cores other processes kept busy during a run: machine busy seconds between `before`
 * and `after`, less the run's own CPU seconds, per wall-clock second. Undefined without
 * `/proc/stat`.
 */
export function otherCores(before: number | undefined, after: number | undefined, ownCpuSec: number, wallSec: number): number | undefined {
  if (before === undefined || after === undefined || wallSec <= 0) return undefined;
  return Math.max(0, (after - before - ownCpuSec) / wallSec);
}

/** Above this many cores busy elsewhere (median over a side's repetitions), the report flags the side. */
export const BUSY_THRESHOLD = 0.25;
