/**
 * Whether the sides of a job ran the same thing: the same data (checksums), and the same
 * network with the same initial weights (loss and predictions of the first samples before
 * any training, `InitialCheck`). A speed ratio between sides that disagree here means
 * nothing, so the report flags them.
 *
 * The predictions are compared element by element: a summary such as the loss barely
 * moves when, say, the benchmarked LSTM's input and output gates trade places (the loss by
 * 2e-6 relative), while single predictions then move by 4e-5, well above the float32
 * round-off between libraries (~1e-7).
 */
import type { InitialCheck } from './protocol.js';
import type { SideResult } from './result.js';

/** Largest difference allowed between two sides' initial predictions (probabilities). */
export const OUTPUT_TOLERANCE = 1e-5;
/** Largest relative difference allowed between two sides' initial losses. */
export const LOSS_TOLERANCE = 1e-4;

/** Largest absolute difference between two equally long lists; Infinity when their lengths differ. */
export function maxAbsDiff(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/**
 * Records each side's initial check on its result: the loss, and how far its predictions
 * lie from those of the first side that reported (the reference, difference 0).
 */
export function recordInitialChecks(checks: [SideResult, InitialCheck][]): void {
  const reference = checks[0]?.[1].outputs;
  for (const [result, check] of checks) {
    result.initialLoss = check.loss;
    result.initialOutputDiff = maxAbsDiff(check.outputs, reference!);
  }
}

/** Jobs whose sides did not all load the same data (checksums differ). */
export function dataMismatches(results: SideResult[]): string[] {
  const bad = new Set<string>();
  for (const r of results) {
    const ref = results.find((x) => x.job === r.job && x.checksum !== undefined);
    if (ref && r.checksum !== undefined && Math.abs(r.checksum - ref.checksum!) > 1e-9 * Math.abs(ref.checksum!)) bad.add(r.job);
  }
  return [...bad];
}

/** Jobs whose sides' initial losses or predictions (`InitialCheck`) disagree. */
export function networkMismatches(results: SideResult[]): string[] {
  const bad = new Set<string>();
  for (const job of new Set(results.map((r) => r.job))) {
    const checked = results.filter((r) => r.job === job && r.initialLoss !== undefined);
    if (checked.length < 2) continue;
    const losses = checked.map((r) => r.initialLoss!);
    const [lo, hi] = [Math.min(...losses), Math.max(...losses)];
    const lossOk = hi - lo <= LOSS_TOLERANCE * Math.max(1, Math.abs(hi));
    if (!lossOk || checked.some((r) => !(r.initialOutputDiff! <= OUTPUT_TOLERANCE))) bad.add(job);
  }
  return [...bad];
}
