import { tf } from '../backend/tf.js';
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

/**
 * Runs training and test steps for a compiled model and keeps the epoch's loss and
 * metric sums on the device, so nothing is read back per batch.
 */
export class StepRunner {
  private readonly total = new RunningMean();
  private readonly perOutput: RunningMean[];

  constructor(private readonly model: Network, private readonly spec: CompiledSpec) {
    this.perOutput = spec.outputNames.length > 1 ? spec.outputNames.map(() => new RunningMean()) : [];
  }

  /** Names of the values in the logs, in `results()` order: `loss`, per-output losses, metrics. */
  logNames(): string[] {
    const { outputNames, metrics } = this.spec;
    const multi = outputNames.length > 1;
    return [
      'loss',
      ...(multi ? outputNames.map((n) => `${n}_loss`) : []),
      ...metrics.flatMap((ms, i) => ms.map((m) => (multi ? `${outputNames[i]}_${m.name}` : m.name))),
    ];
  }

  private lossTerms(ys: tf.Tensor[], preds: tf.Tensor[], sw: tf.Tensor | undefined, batch: number): tf.Scalar[] {
    return this.spec.losses.map((loss, i) => {
      let per = loss.call(ys[i]!, preds[i]!);
      if (sw) per = tf.mul(per, sw);
      return tf.div(tf.sum(per), batch) as tf.Scalar;
    });
  }

  private track(ys: tf.Tensor[], preds: tf.Tensor[], sw: tf.Tensor | undefined, total: tf.Scalar,
    terms: tf.Scalar[], batch: number): void {
    this.total.add(total, batch);
    this.perOutput.forEach((t, i) => t.add(terms[i]!, batch));
    this.spec.metrics.forEach((ms, i) => ms.forEach((m) => m.update(ys[i]!, preds[i]!, sw)));
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
        let total = terms.reduce((a, t, i) => tf.add(a, tf.mul(t, this.spec.lossWeights[i]!)), tf.scalar(0)) as tf.Scalar;
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
      let total = terms.reduce((a, t, i) => tf.add(a, tf.mul(t, this.spec.lossWeights[i]!)), tf.scalar(0)) as tf.Scalar;
      const reg = this.model.regularizationLosses();
      if (reg.length) total = tf.add(total, tf.addN(reg)) as tf.Scalar;
      this.track(ys, preds, sw, total, terms, batch);
    });
  }

  /** Reads the current values (one device→host copy) as logs, names prefixed by `prefix`. */
  async read(prefix = ''): Promise<Logs> {
    const names = this.logNames();
    const packed = tf.tidy(() => tf.stack([
      this.total.result(),
      ...this.perOutput.map((t) => t.result()),
      ...this.spec.metrics.flatMap((ms) => ms.map((m) => tf.cast(m.result(), 'float32'))),
    ]));
    const values = await packed.data();
    packed.dispose();
    const logs: Logs = {};
    names.forEach((n, i) => (logs[prefix + n] = values[i]!));
    return logs;
  }

  /** Starts new sums (at each epoch, and before each evaluation). */
  reset(): void {
    this.total.reset();
    this.perOutput.forEach((t) => t.reset());
    this.spec.metrics.forEach((ms) => ms.forEach((m) => m.reset()));
  }

  /** Frees the sums (metrics belong to the compiled spec and are freed with it). */
  dispose(): void {
    this.total.dispose();
    this.perOutput.forEach((t) => t.dispose());
  }
}
