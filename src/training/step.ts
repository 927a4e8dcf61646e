import { tf } from '../backend/tf.js';
import { firstNonFinite } from '../backend/first_non_finite.js';
import { withOwnGradient } from '../backend/own_gradient.js';
import type { Network } from '../models/network.js';
import type { Logs } from './callbacks/callback.js';
import type { CompiledSpec } from './compiled.js';

/** A weighted running mean whose sum stays on the device; the count is known on the host. */
class RunningMean {
  // Inside a tidy, so the initial scalar (a tensor of its own) is freed.
  private readonly sum = tf.tidy(() => tf.variable(tf.scalar(0), false));
  private count = 0;
  /** Adds `mean` (a scalar) observed over `n` samples. */
  add(mean: tf.Scalar, n: number): void {
    this.sum.assign(tf.add(this.sum, tf.mul(mean, n)));
    this.count += n;
  }
  result(): tf.Scalar {
    return tf.tidy(() => tf.div(this.sum, Math.max(this.count, 1)));
  }
  reset(): void {
    tf.tidy(() => this.sum.assign(tf.scalar(0)));
    this.count = 0;
  }
  dispose(): void {
    this.sum.dispose();
  }
}

/** What was first non-finite in a run of batches (see {@link StepRunner.nonFinite}). */
export interface NonFinite {
  /** Index of the batch (since the last reset) where it was first seen. */
  batch: number;
  /** `'x'` (inputs), `'y'` (targets), `'predictions'` or `'loss'`. */
  what: 'x' | 'y' | 'predictions' | 'loss';
}

const NON_FINITE_KINDS: NonFinite['what'][] = ['x', 'y', 'predictions', 'loss'];
const KIND_SLOTS = 8;

/**
 * 0 when every float tensor in `ts` is finite, else NaN (a scalar, computed on the device):
 * x·0 is 0 for every finite x and NaN for NaN and ±Infinity, on every backend (unlike
 * clipping, which the wasm backend lets swallow NaN).
 */
function finiteProbe(ts: tf.Tensor[]): tf.Scalar {
  const floats = ts.filter((t) => t.dtype === 'float32');
  if (floats.length === 0) return tf.scalar(0);
  const probes = floats.map((t) => (t.rank === 0 ? tf.mul(t, 0) : tf.sum(tf.mul(t, 0))));
  return (probes.length === 1 ? probes[0]! : tf.addN(probes)) as tf.Scalar;
}

/**
 * `Σ per / batch` recorded as one operation: its gradient is `dy / batch` for every entry
 * (one division and one broadcast), where the tape's `Sum` and `RealDiv` took nine kernel
 * calls a step with their saved copies and gradients.
 */
function batchMean(per: tf.Tensor, batch: number): tf.Scalar {
  return withOwnGradient(
    { per },
    () => tf.div(tf.sum(per), batch),
    (dy) => ({ per: () => tf.broadcastTo(tf.div(dy, batch), per.shape) }),
  ) as tf.Scalar;
}

/** The weighted sum of the loss terms; a single term of weight 1 is itself (no op for the tape). */
function totalLoss(terms: tf.Scalar[], weights: number[]): tf.Scalar {
  const weighted = terms.map((t, i) => (weights[i] === 1 ? t : tf.mul(t, weights[i]!)));
  return (weighted.length === 1 ? weighted[0]! : tf.addN(weighted)) as tf.Scalar;
}

/**
 * Runs training and test steps for a compiled model and keeps the epoch's loss and
 * metric sums on the device, so nothing is read back per batch. It also keeps, on the
 * device, the first batch whose inputs, targets, predictions or loss held NaN or
 * ±Infinity; a read then reports the losses as NaN from there on, on every backend.
 */
export class StepRunner {
  private readonly total = new RunningMean();
  private readonly perOutput: RunningMean[];
  /** `batch * KIND_SLOTS + kind` of the first non-finite batch since the reset, or -1. */
  private readonly firstBad = tf.tidy(() => tf.variable(tf.scalar(-1), false));
  private batches = 0;
  /** The first non-finite batch seen by the last `read`, if any. */
  nonFinite: NonFinite | undefined;

  constructor(private readonly model: Network, private readonly spec: CompiledSpec) {
    this.perOutput = spec.outputNames.length > 1 ? spec.outputNames.map(() => new RunningMean()) : [];
  }

  /**
   * Names of the values in the logs, in `results()` order: `loss`, per-output losses, the
   * metrics, then the weighted metrics. Repeated names are made unique as Keras 3 does: a
   * second unweighted `mse` logs as `mse_1`; a weighted metric whose name is taken logs as
   * `weighted_<name>` (then `weighted_<name>_1`, …).
   */
  logNames(): string[] {
    const { outputNames, metrics, weightedMetrics } = this.spec;
    const multi = outputNames.length > 1;
    const prefix = (i: number, n: string): string => (multi ? `${outputNames[i]}_${n}` : n);
    const counters = new Map<string, number>();
    const unique = (name: string): string => {
      const c = counters.get(name);
      if (c === undefined) {
        counters.set(name, 1);
        return name;
      }
      counters.set(name, c + 1);
      return `${name}_${c}`;
    };
    const plain = metrics.flatMap((ms, i) => ms.map((m) => unique(prefix(i, m.name))));
    const weighted = weightedMetrics.flatMap((ms, i) => ms.map((m) => {
      const name = prefix(i, m.name);
      if (!counters.has(name)) return unique(name);
      return unique(prefix(i, `weighted_${m.name}`));
    }));
    return ['loss', ...(multi ? outputNames.map((n) => `${n}_loss`) : []), ...plain, ...weighted];
  }

  private lossTerms(ys: tf.Tensor[], preds: tf.Tensor[], sw: tf.Tensor | undefined, batch: number): tf.Scalar[] {
    return this.spec.losses.map((loss, i) => {
      let per = loss.call(ys[i]!, preds[i]!);
      if (sw) per = tf.mul(per, sw);
      return batchMean(per, batch);
    });
  }

  /** Records (on the device) whether this batch held non-finite values. Call inside a tidy. */
  private watch(xs: tf.Tensor[], ys: tf.Tensor[], preds: tf.Tensor[], total: tf.Scalar): void {
    // On wasm, one kernel scans every tensor and records the same code as the ops below.
    const recorded = firstNonFinite(this.firstBad, [xs, ys, preds, [total]], this.batches * KIND_SLOTS);
    if (recorded) {
      this.firstBad.assign(recorded);
      this.batches += 1;
      return;
    }
    // One probe per kind, in NON_FINITE_KINDS order; a non-finite kind k (0-based) scores
    // 4 − k, so the first one has the highest score and kind = 1 + k = 5 − score.
    const probes = tf.stack([finiteProbe(xs), finiteProbe(ys), finiteProbe(preds), finiteProbe([total])]);
    const score = tf.max(tf.mul(tf.cast(tf.isNaN(probes), 'float32'), tf.tensor1d([4, 3, 2, 1])));
    const code = tf.sub(this.batches * KIND_SLOTS + 5, score);
    const fresh = tf.logicalAnd(tf.less(this.firstBad, 0), tf.greater(score, 0));
    this.firstBad.assign(tf.where(fresh, code, this.firstBad) as tf.Scalar);
    this.batches += 1;
  }

  private track(ys: tf.Tensor[], preds: tf.Tensor[], sw: tf.Tensor | undefined, total: tf.Scalar,
    terms: tf.Scalar[], batch: number): void {
    this.total.add(total, batch);
    this.perOutput.forEach((t, i) => t.add(terms[i]!, batch));
    // Keras 3: `metrics` ignore sample and class weights; `weightedMetrics` use them.
    this.spec.metrics.forEach((ms, i) => ms.forEach((m) => m.update(ys[i]!, preds[i]!)));
    this.spec.weightedMetrics.forEach((ms, i) => ms.forEach((m) => m.update(ys[i]!, preds[i]!, sw)));
  }

  /** One gradient step on a batch. Reads the trainable set now, so freezing needs no recompile. */
  trainBatch(xs: tf.Tensor[], ys: tf.Tensor[], sw?: tf.Tensor): void {
    const batch = xs[0]!.shape[0]!;
    const vars = this.model.trainableWeights.map((w) => w.read());
    tf.tidy(() => {
      let preds: tf.Tensor[] = [];
      let terms: tf.Scalar[] = [];
      // The frozen part runs before the tape starts, so it keeps no activations for backprop.
      const rest = vars.length > 0 ? this.model.splitForward(xs, { training: true }) : () => this.model.forward(xs, { training: true });
      const lossFn = (): tf.Scalar => {
        preds = rest();
        terms = this.lossTerms(ys, preds, sw, batch);
        let total = totalLoss(terms, this.spec.lossWeights);
        const reg = this.model.regularizationLosses();
        if (reg.length) total = tf.add(total, tf.addN(reg)) as tf.Scalar;
        preds.forEach((t) => tf.keep(t));
        terms.forEach((t) => tf.keep(t));
        return total;
      };
      let total: tf.Scalar;
      if (vars.length === 0) {
        total = lossFn();
      } else {
        const res = tf.variableGrads(lossFn, vars);
        total = res.value;
        const pairs = vars.filter((v) => res.grads[v.name]).map((v) => ({ variable: v, gradient: res.grads[v.name]! }));
        this.spec.optimizer.applyGradients(pairs);
      }
      this.watch(xs, ys, preds, total);
      this.track(ys, preds, sw, total, terms, batch);
      tf.dispose([...preds, ...terms]);
    });
  }

  /** Adds a batch to the evaluation sums (inference mode, no update). */
  testBatch(xs: tf.Tensor[], ys: tf.Tensor[], sw?: tf.Tensor): void {
    const batch = xs[0]!.shape[0]!;
    tf.tidy(() => {
      const preds = this.model.forward(xs, { training: false });
      const terms = this.lossTerms(ys, preds, sw, batch);
      let total = totalLoss(terms, this.spec.lossWeights);
      const reg = this.model.regularizationLosses();
      if (reg.length) total = tf.add(total, tf.addN(reg)) as tf.Scalar;
      this.watch(xs, ys, preds, total);
      this.track(ys, preds, sw, total, terms, batch);
    });
  }

  /**
   * Reads the current values (one device→host copy) as logs, names prefixed by `prefix`.
   * When a batch since the reset held NaN or ±Infinity, {@link nonFinite} names the first
   * such batch and the losses read NaN (and the metrics too, when the inputs, targets or
   * predictions were non-finite).
   */
  async read(prefix = ''): Promise<Logs> {
    const names = this.logNames();
    const packed = tf.tidy(() => tf.stack([
      tf.cast(this.firstBad, 'float32'),
      this.total.result(),
      ...this.perOutput.map((t) => t.result()),
      ...[...this.spec.metrics, ...this.spec.weightedMetrics].flatMap((ms) => ms.map((m) => tf.cast(m.result(), 'float32'))),
    ]));
    const all = await packed.data();
    packed.dispose();
    const code = all[0]!;
    const values = all.subarray(1);
    this.nonFinite = code >= 0
      ? { batch: Math.floor(code / KIND_SLOTS), what: NON_FINITE_KINDS[(code % KIND_SLOTS) - 1]! }
      : undefined;
    const logs: Logs = {};
    // A clipped loss (wasm crossentropy) can stay finite on NaN inputs: report NaN. When the
    // data or predictions were non-finite, the metrics computed from them mean nothing either.
    const allBad = this.nonFinite !== undefined && this.nonFinite.what !== 'loss';
    names.forEach((n, i) => {
      const isLoss = i <= this.perOutput.length;
      logs[prefix + n] = allBad || (this.nonFinite && isLoss) ? NaN : values[i]!;
    });
    return logs;
  }

  /** Starts new sums (at each epoch, and before each evaluation). */
  reset(): void {
    tf.tidy(() => this.firstBad.assign(tf.scalar(-1)));
    this.batches = 0;
    this.nonFinite = undefined;
    this.total.reset();
    this.perOutput.forEach((t) => t.reset());
    [...this.spec.metrics, ...this.spec.weightedMetrics].forEach((ms) => ms.forEach((m) => m.reset()));
  }

  /** Frees the sums (metrics belong to the compiled spec and are freed with it). */
  dispose(): void {
    this.firstBad.dispose();
    this.total.dispose();
    this.perOutput.forEach((t) => t.dispose());
  }
}
