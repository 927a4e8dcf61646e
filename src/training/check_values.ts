import { tf } from '../backend/tf.js';
import { ValueError } from '../engine/errors.js';
import type { Loss } from '../losses/loss.js';

/** One output's sparse targets to check: labels must be integers in `[0, numClasses)`. */
interface SparseTarget {
  y: tf.Tensor;
  numClasses: number;
  ignoreClass: number | null;
  output: string;
  loss: string;
}

/** 1 where a sparse label is not an integer in `[0, numClasses)` (and not the ignored class). */
function badLabels(t: SparseTarget): tf.Tensor {
  const y = tf.cast(t.y, 'float32');
  let bad = tf.logicalOr(
    tf.logicalOr(tf.less(y, 0), tf.greaterEqual(y, t.numClasses)),
    tf.logicalOr(tf.notEqual(y, tf.round(y)), tf.isNaN(y)),
  );
  if (t.ignoreClass !== null) bad = tf.logicalAnd(bad, tf.notEqual(y, t.ignoreClass));
  return bad;
}

/** 1 where a sample weight is negative or not finite. */
function badWeights(sw: tf.Tensor): tf.Tensor {
  const w = tf.cast(sw, 'float32');
  return tf.logicalOr(tf.less(w, 0), tf.logicalOr(tf.isNaN(w), tf.isInf(w)));
}

function fmt(v: number): string {
  return Number.isInteger(v) || !Number.isFinite(v) ? String(v) : String(Math.fround(v));
}

/**
 * Checks, before any batch runs, that sparse targets hold class indices in range and that
 * sample weights are finite and >= 0, as Keras does ("Received a label value of 7 which is
 * outside the valid range of [0, 3)"). The device reduces everything to one flag per
 * tensor and the host reads them in one transfer per `fit` / `evaluate` call; only when a
 * flag is set is the offending tensor read back to name the first bad value.
 * @throws ValueError naming the output, the loss, the first bad value, its sample and the valid range.
 */
export async function checkTargetValues(args: {
  losses: Loss[];
  ys: tf.Tensor[];
  outputNames: string[];
  numClasses: (i: number) => number | null;
  sampleWeights: { tensor: tf.Tensor; arg: string }[];
  owner: string;
}): Promise<void> {
  const { owner } = args;
  const sparse: SparseTarget[] = [];
  args.losses.forEach((loss, i) => {
    const n = args.numClasses(i);
    if (loss.kind !== 'sparse' || n === null) return;
    const ic = loss.getConfig().ignoreClass;
    sparse.push({
      y: args.ys[i]!, numClasses: n, ignoreClass: typeof ic === 'number' ? ic : null,
      output: args.outputNames[i] ?? `output ${i}`, loss: loss.name,
    });
  });
  if (sparse.length === 0 && args.sampleWeights.length === 0) return;
  const flags = tf.tidy(() => tf.stack([
    ...sparse.map((t) => tf.any(tf.reshape(badLabels(t), [-1]))),
    ...args.sampleWeights.map((w) => tf.any(tf.reshape(badWeights(w.tensor), [-1]))),
  ]));
  const set = await flags.data();
  flags.dispose();
  for (let i = 0; i < sparse.length; i++) {
    if (!set[i]) continue;
    const t = sparse[i]!;
    const { index, value } = await firstSet(t.y, tf.tidy(() => badLabels(t)));
    const what = Number.isInteger(value) ? 'outside the valid range' : 'not an integer class index in the valid range';
    throw new ValueError(
      `${owner}: received a label value of ${fmt(value)} (sample ${index} of output '${t.output}') which is ${what} of ` +
        `[0, ${t.numClasses}) for loss '${t.loss}'${t.ignoreClass === null ? '' : ` (ignoreClass ${t.ignoreClass} is also allowed)`}`,
    );
  }
  for (let j = 0; j < args.sampleWeights.length; j++) {
    if (!set[sparse.length + j]) continue;
    const w = args.sampleWeights[j]!;
    const { index, value } = await firstSet(w.tensor, tf.tidy(() => badWeights(w.tensor)));
    throw new ValueError(`${owner}: '${w.arg}' must be finite and >= 0; got ${fmt(value)} at sample ${index}`);
  }
}

/** The first entry (sample index along axis 0, and value) where `mask` is set; disposes `mask`. */
async function firstSet(values: tf.Tensor, mask: tf.Tensor): Promise<{ index: number; value: number }> {
  const [v, m] = await Promise.all([values.data(), mask.data()]);
  mask.dispose();
  const at = m.findIndex((x) => x !== 0);
  const perSample = values.shape[0] ? values.size / values.shape[0] : 1;
  return { index: Math.floor(at / perSample), value: Number(v[at]) };
}

/**
 * Checks a `classWeight` table: keys are class indices of this output
 * (`0 … numClasses - 1`; 0 and 1 for a one-column binary output), weights finite and >= 0.
 * @throws ValueError naming the bad key or weight and the valid classes.
 */
export function checkClassWeight(classWeight: Record<number, number>, numClasses: number, owner: string): void {
  if (typeof classWeight !== 'object' || classWeight === null || Array.isArray(classWeight)) {
    throw new ValueError(`${owner}: 'classWeight' must be an object mapping class indices to weights; got ${String(classWeight)}`);
  }
  const classes = Math.max(numClasses, 2);
  for (const [k, v] of Object.entries(classWeight)) {
    const c = Number(k);
    if (!(Number.isInteger(c) && c >= 0 && c < classes && String(c) === k)) {
      throw new ValueError(
        `${owner}: 'classWeight' key '${k}' names no class; expected class indices 0 to ${classes - 1} for this output`,
      );
    }
    if (!(typeof v === 'number' && v >= 0 && Number.isFinite(v))) {
      throw new ValueError(`${owner}: 'classWeight' maps class indices to weights >= 0; got ${k}: ${String(v)}`);
    }
  }
}

/**
 * The same checks for batches that arrive one at a time (`fitDataset`), without a host
 * read per batch: each batch adds its count of bad labels and weights (and the range of
 * the labels) to device variables, and `check` reads them once per epoch.
 */
export class DeviceValueWatch {
  private readonly sparse: { index: number; numClasses: number; ignoreClass: number | null; output: string; loss: string }[] = [];
  private readonly state: tf.Variable[] = [];

  constructor(losses: Loss[], outputNames: string[], numClasses: (i: number) => number | null) {
    losses.forEach((loss, i) => {
      const n = numClasses(i);
      if (loss.kind !== 'sparse' || n === null) return;
      const ic = loss.getConfig().ignoreClass;
      this.sparse.push({ index: i, numClasses: n, ignoreClass: typeof ic === 'number' ? ic : null, output: outputNames[i] ?? `output ${i}`, loss: loss.name });
    });
    // Per sparse output: bad count, lowest and highest label; then the bad-weight count.
    this.state = tf.tidy(() => [
      ...this.sparse.flatMap(() => [tf.variable(tf.scalar(0), false), tf.variable(tf.scalar(Infinity), false), tf.variable(tf.scalar(-Infinity), false)]),
      tf.variable(tf.scalar(0), false),
    ]);
  }

  /** Adds one batch's counts (device work only). */
  add(ys: tf.Tensor[], sw: tf.Tensor | undefined): void {
    tf.tidy(() => {
      this.sparse.forEach((t, k) => {
        const y = ys[t.index]!;
        const [bad, lo, hi] = this.state.slice(3 * k, 3 * k + 3) as [tf.Variable, tf.Variable, tf.Variable];
        bad.assign(tf.add(bad, tf.sum(tf.cast(badLabels({ y, numClasses: t.numClasses, ignoreClass: t.ignoreClass, output: t.output, loss: t.loss }), 'float32'))));
        const yf = tf.cast(y, 'float32');
        lo.assign(tf.minimum(lo, tf.min(yf)));
        hi.assign(tf.maximum(hi, tf.max(yf)));
      });
      if (sw) {
        const w = this.state[this.state.length - 1]!;
        w.assign(tf.add(w, tf.sum(tf.cast(badWeights(sw), 'float32'))));
      }
    });
  }

  /**
   * Reads the counts (one host read) and starts afresh.
   * @throws ValueError naming the output, the count, the range of labels seen and the valid range.
   */
  async check(owner: string, epoch: number): Promise<void> {
    const packed = tf.tidy(() => tf.stack(this.state));
    const v = await packed.data();
    packed.dispose();
    tf.tidy(() => {
      this.state.forEach((s, i) => {
        const isLo = i < 3 * this.sparse.length && i % 3 === 1;
        const isHi = i < 3 * this.sparse.length && i % 3 === 2;
        s.assign(tf.scalar(isLo ? Infinity : isHi ? -Infinity : 0));
      });
    });
    this.sparse.forEach((t, k) => {
      const bad = v[3 * k]!;
      if (bad > 0) {
        throw new ValueError(
          `${owner}: ${bad} label(s) of output '${t.output}' in epoch ${epoch} are outside the valid range of [0, ${t.numClasses}) ` +
            `or not integers, for loss '${t.loss}'${t.ignoreClass === null ? '' : ` (ignoreClass ${t.ignoreClass} is also allowed)`}; ` +
            `the labels seen range over [${fmt(v[3 * k + 1]!)}, ${fmt(v[3 * k + 2]!)}]`,
        );
      }
    });
    const badW = v[v.length - 1]!;
    if (badW > 0) throw new ValueError(`${owner}: ${badW} sample weight(s) in epoch ${epoch} are negative or not finite`);
  }

  /** Frees the device variables. */
  dispose(): void {
    tf.dispose(this.state);
  }
}
