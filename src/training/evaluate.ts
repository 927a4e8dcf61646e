import { tf } from '../backend/tf.js';
import type { Logs } from './callbacks/callback.js';
import { sliceRows } from './data.js';
import type { StepRunner } from './step.js';
import { turnIfDue } from './yield.js';

/**
 * Runs the model over in-memory data in inference mode and returns the exact loss and
 * metrics over all of it (names prefixed by `prefix`). Resets the runner's sums first.
 */
export async function evaluateTensors(runner: StepRunner, xs: tf.Tensor[], ys: tf.Tensor[],
  sw: tf.Tensor | undefined, batchSize: number, prefix = ''): Promise<Logs> {
  runner.reset();
  const n = xs[0]!.shape[0]!;
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    const sources = sw ? [...xs, ...ys, sw] : [...xs, ...ys];
    const batch = n <= batchSize ? sources : sliceRows(sources, start, size);
    runner.testBatch(batch.slice(0, xs.length), batch.slice(xs.length, xs.length + ys.length),
      sw ? batch[batch.length - 1] : undefined);
    if (batch !== sources) tf.dispose(batch);
    if (start + batchSize < n) await turnIfDue();
  }
  return runner.read(prefix);
}
