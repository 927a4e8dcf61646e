/** Plain-JS metrics over all data at once, written from the definitions. */

type Rows = number[][];

const rowMean = (r: number[]): number => r.reduce((a, b) => a + b, 0) / r.length;
const argmax = (r: number[]): number => r.reduce((best, v, i) => (v > r[best]! ? i : best), 0);

/** Weighted mean of per-sample values (weights default to 1). */
export function weightedMean(values: number[], w?: number[]): number {
  const ws = w ?? values.map(() => 1);
  const total = values.reduce((a, v, i) => a + v * ws[i]!, 0);
  const count = ws.reduce((a, b) => a + b, 0);
  return count === 0 ? 0 : total / count;
}

export const perSample = {
  binaryAccuracy: (t: Rows, p: Rows, thr = 0.5): number[] =>
    t.map((r, i) => rowMean(r.map((v, j) => (v === (p[i]![j]! > thr ? 1 : 0) ? 1 : 0)))),
  categoricalAccuracy: (t: Rows, p: Rows): number[] => t.map((r, i) => (argmax(r) === argmax(p[i]!) ? 1 : 0)),
  sparseCategoricalAccuracy: (labels: number[], p: Rows): number[] => labels.map((l, i) => (l === argmax(p[i]!) ? 1 : 0)),
  se: (t: Rows, p: Rows): number[] => t.map((r, i) => rowMean(r.map((v, j) => (p[i]![j]! - v) ** 2))),
  ae: (t: Rows, p: Rows): number[] => t.map((r, i) => rowMean(r.map((v, j) => Math.abs(p[i]![j]! - v)))),
};

/** Weighted confusion counts, entry by entry. */
export function counts(t: Rows, p: Rows, w?: number[], thr = 0.5): { tp: number; fp: number; fn: number } {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  t.forEach((r, i) => r.forEach((v, j) => {
    const wi = w ? w[i]! : 1;
    const pos = v > 0.5;
    const pred = p[i]![j]! > thr;
    if (pos && pred) tp += wi;
    else if (!pos && pred) fp += wi;
    else if (pos && !pred) fn += wi;
  }));
  return { tp, fp, fn };
}

const div = (a: number, b: number): number => (b === 0 ? 0 : a / b);
export const precision = (c: { tp: number; fp: number }): number => div(c.tp, c.tp + c.fp);
export const recall = (c: { tp: number; fn: number }): number => div(c.tp, c.tp + c.fn);
export const f1 = (c: { tp: number; fp: number; fn: number }): number => div(2 * c.tp, 2 * c.tp + c.fp + c.fn);

/**
 * Keras's ROC AUC, by its definition: true/false positive rates at each threshold
 * (prediction > threshold), then trapezoids between consecutive thresholds.
 */
export function aucKeras(labels: number[], preds: number[], weights: number[] | undefined, numThresholds: number): number {
  const thr = [-1e-7];
  for (let i = 1; i < numThresholds - 1; i++) thr.push(i / (numThresholds - 1));
  thr.push(1 + 1e-7);
  const w = weights ?? labels.map(() => 1);
  const tpr: number[] = [];
  const fpr: number[] = [];
  let pos = 0;
  let neg = 0;
  labels.forEach((l, i) => { pos += l * w[i]!; neg += (1 - l) * w[i]!; });
  for (const th of thr) {
    let tp = 0;
    let fp = 0;
    preds.forEach((p, i) => {
      if (Math.min(Math.max(p, 0), 1) > th) { tp += labels[i]! * w[i]!; fp += (1 - labels[i]!) * w[i]!; }
    });
    tpr.push(div(tp, pos));
    fpr.push(div(fp, neg));
  }
  let area = 0;
  for (let i = 0; i < thr.length - 1; i++) area += (fpr[i]! - fpr[i + 1]!) * (tpr[i]! + tpr[i + 1]!) / 2;
  return area;
}

/** Exact ROC AUC: the probability that a random positive scores above a random negative (ties half). */
export function aucExact(labels: number[], preds: number[]): number {
  let wins = 0;
  let pairs = 0;
  labels.forEach((a, i) => labels.forEach((b, j) => {
    if (a === 1 && b === 0) {
      pairs += 1;
      wins += preds[i]! > preds[j]! ? 1 : preds[i] === preds[j] ? 0.5 : 0;
    }
  }));
  return wins / pairs;
}

/** Random split points of 0..n into consecutive, non-empty batches. */
export function batches(n: number, cuts: number[]): [number, number][] {
  const points = [...new Set(cuts.map((c) => 1 + (c % Math.max(1, n - 1))).filter((c) => c < n))].sort((a, b) => a - b);
  const edges = [0, ...points, n];
  return edges.slice(0, -1).map((s, i) => [s, edges[i + 1]!]);
}
