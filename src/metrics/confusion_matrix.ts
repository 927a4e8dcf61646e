import { tf } from '../backend/tf.js';
import { ShapeError, ValueError, fmtShape } from '../engine/errors.js';

/** Targets or predictions for {@link confusionMatrix}: a tensor or nested plain arrays. */
export type ClassInput = tf.Tensor | number[] | number[][];

/** Options of {@link confusionMatrix}. */
export interface ConfusionMatrixOptions {
  /** Number of classes. Default: `labels.length` if given, else the width of one-hot input, else the largest index + 1. */
  numClasses?: number;
  /** Class names for the table's headers. Default: `0`, `1`, … */
  labels?: string[];
}

/** A confusion matrix: `matrix[t][p]` counts samples of true class `t` predicted as `p`. */
export class ConfusionMatrix {
  /** Counts, rows = true class, columns = predicted class. */
  readonly matrix: number[][];
  /** Number of classes (rows and columns). */
  readonly numClasses: number;
  /** Header of each class. */
  readonly labels: string[];

  constructor(matrix: number[][], labels: string[]) {
    this.matrix = matrix;
    this.numClasses = matrix.length;
    this.labels = labels;
  }

  /** Per-class recall `matrix[c][c] / sum(matrix[c])`; NaN for a class with no samples. */
  recall(): number[] {
    return this.matrix.map((row, c) => {
      const n = row.reduce((a, b) => a + b, 0);
      return n === 0 ? NaN : row[c]! / n;
    });
  }

  /** Share of samples on the diagonal; NaN when empty. */
  accuracy(): number {
    let hit = 0;
    let all = 0;
    this.matrix.forEach((row, c) => row.forEach((v, p) => { all += v; if (p === c) hit += v; }));
    return all === 0 ? NaN : hit / all;
  }

  /** An aligned table: one row per true class, one column per predicted class, then recall. */
  toString(): string {
    const corner = 'true \\ pred';
    const recall = this.recall().map((r) => (Number.isNaN(r) ? '-' : r.toFixed(3)));
    const cells = this.matrix.map((row) => row.map(String));
    const nameW = Math.max(corner.length, ...this.labels.map((l) => l.length));
    const colW = this.labels.map((l, j) => Math.max(l.length, ...cells.map((r) => r[j]!.length)));
    const recallW = Math.max('recall'.length, ...recall.map((r) => r.length));
    const line = (head: string, vals: string[], last: string): string =>
      [head.padEnd(nameW), ...vals.map((v, j) => v.padStart(colW[j]!)), last.padStart(recallW)].join('  ');
    const acc = this.accuracy();
    return [
      'Confusion matrix (rows: true class, columns: predicted class)',
      line(corner, this.labels, 'recall'),
      ...cells.map((row, i) => line(this.labels[i]!, row, recall[i]!)),
      `accuracy: ${Number.isNaN(acc) ? '-' : acc.toFixed(4)} over ${this.total()} samples`,
    ].join('\n');
  }

  /** Prints {@link ConfusionMatrix.toString} to the console. */
  print(): void {
    console.log(this.toString());
  }

  private total(): number {
    return this.matrix.reduce((a, row) => a + row.reduce((b, v) => b + v, 0), 0);
  }
}

interface Classes {
  indices: number[];
  /** Width of one-hot / probability input, if it was such. */
  width?: number;
}

/**
 * Class indices from a tensor or array: rank 2 with more than one column → argmax;
 * otherwise the values themselves, where non-integers are binary probabilities
 * (class 1 when above 0.5).
 */
function toClasses(x: ClassInput, what: string): Classes {
  let t: tf.Tensor;
  try {
    t = x instanceof tf.Tensor ? x : tf.tensor(x as number[] | number[][]);
  } catch (e) {
    throw new ValueError(`confusionMatrix: '${what}' must be a tensor or a (rectangular) array of numbers: ${(e as Error).message}`);
  }
  try {
    const shape = t.shape;
    if (shape.length === 0 || shape.length > 2) {
      throw new ShapeError(`confusionMatrix: '${what}' must be class indices [n] or one-hot / probabilities [n, classes]; got ${fmtShape(shape)}`);
    }
    if (shape.length === 2 && shape[1]! > 1) {
      const arg = tf.argMax(t, 1);
      const indices = Array.from(arg.dataSync());
      arg.dispose();
      return { indices, width: shape[1]! };
    }
    const raw = Array.from(t.dataSync());
    const integral = raw.every((v) => Number.isInteger(v));
    return { indices: integral ? raw : raw.map((v) => (v > 0.5 ? 1 : 0)) };
  } finally {
    if (t !== x) t.dispose();
  }
}

/**
 * Counts how often each true class is predicted as each class. Reads the data to the host,
 * so call it after training, not per batch.
 * @param yTrue - class indices `[n]` / `[n, 1]`, or one-hot `[n, classes]`.
 * @param yPred - class indices, or probabilities / one-hot `[n, classes]` (argmax is taken).
 * @example
 * ```ts
 * st.metrics.confusionMatrix(yTest, model.predict(xTest), { labels: ['cat', 'dog'] }).print();
 * ```
 */
export function confusionMatrix(yTrue: ClassInput, yPred: ClassInput, opts: ConfusionMatrixOptions = {}): ConfusionMatrix {
  const t = toClasses(yTrue, 'yTrue');
  const p = toClasses(yPred, 'yPred');
  if (t.indices.length !== p.indices.length) {
    throw new ShapeError(`confusionMatrix: yTrue has ${t.indices.length} samples but yPred has ${p.indices.length}`);
  }
  const { labels } = opts;
  if (labels !== undefined && (!Array.isArray(labels) || labels.some((l) => typeof l !== 'string'))) {
    throw new ValueError(`confusionMatrix: 'labels' must be a list of strings; got ${JSON.stringify(labels)}`);
  }
  const seen = [...t.indices, ...p.indices].reduce((a, b) => Math.max(a, b), -1) + 1;
  const n = opts.numClasses ?? labels?.length ?? Math.max(t.width ?? 0, p.width ?? 0, seen);
  if (!(Number.isInteger(n) && n >= 1)) {
    throw new ValueError(`confusionMatrix: 'numClasses' must be an integer >= 1; got ${String(opts.numClasses)}`);
  }
  if (labels !== undefined && labels.length !== n) {
    throw new ValueError(`confusionMatrix: 'labels' has ${labels.length} names but there are ${n} classes`);
  }
  for (const [side, c] of [['yTrue', t], ['yPred', p]] as const) {
    if (c.width !== undefined && c.width !== n) {
      throw new ShapeError(`confusionMatrix: ${side} has ${c.width} columns but there are ${n} classes`);
    }
    const bad = c.indices.find((v) => !(Number.isInteger(v) && v >= 0 && v < n));
    if (bad !== undefined) {
      throw new ValueError(`confusionMatrix: ${side} holds class ${bad}, outside 0..${n - 1}`);
    }
  }
  const matrix = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  t.indices.forEach((c, i) => (matrix[c]![p.indices[i]!]! += 1));
  return new ConfusionMatrix(matrix, labels ?? Array.from({ length: n }, (_, i) => String(i)));
}
