import { type BatchLogs, Callback } from './callback.js';
import { printMessage } from './output.js';

/** Stops training when the loss becomes NaN or infinite. See {@link terminateOnNaN}. */
export class TerminateOnNaN extends Callback {
  /** The batch at which training was stopped, if it was. */
  stoppedBatch?: number;

  override onTrainBegin(): void {
    this.stoppedBatch = undefined;
  }

  override async onBatchEnd(batch: number, logs: BatchLogs): Promise<void> {
    const { loss } = await logs.values();
    if (loss !== undefined && !Number.isFinite(loss) && this.model) {
      printMessage(`Batch ${batch}: Invalid loss, terminating training`);
      this.stoppedBatch = batch;
      this.model.stopTraining = true;
    }
  }
}

/**
 * Stops training as soon as the loss is NaN or ±Infinity (Keras `TerminateOnNaN`). It
 * checks after every batch, so it reads the batch values every batch: one device → host
 * copy (a sync that waits for the batch to finish) per batch, which costs throughput on
 * fast backends. The loss it sees is the epoch's running mean, which turns NaN/Infinity
 * as soon as one batch does.
 */
export function terminateOnNaN(): TerminateOnNaN {
  return new TerminateOnNaN();
}
