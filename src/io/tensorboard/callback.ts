import { ValueError } from '../../engine/errors.js';
import type { LayerWeight } from '../../engine/weight.js';
import { Callback, type BatchLogs, type Logs } from '../../training/callbacks/callback.js';
import { EventWriter, type EventSink } from './writer.js';

/** Options of the TensorBoard callback (Keras `TensorBoard`). */
export interface TensorBoardOptions {
  /** The log directory; runs go to `<logDir>/train` and `<logDir>/validation`. */
  logDir: string;
  /**
   * `'epoch'` (default): scalars once per epoch (`epoch_loss`, …). `'batch'` or a number N:
   * also `batch_loss`, … every N training batches (each write reads the running means back
   * from the device, so keep N large).
   */
  updateFreq?: 'epoch' | 'batch' | number;
  /** Write a histogram of every weight every N epochs (0: never). Default 0. */
  histogramFreq?: number;
  /** With `histogramFreq`, also write each 2-D (or 4-D conv) kernel as a grayscale image. Default false. */
  writeImages?: boolean;
}

/** Opens the sink of one run (`train`, `validation`) under a log directory. */
export type SinkFactory = (logDir: string, run: string) => EventSink;

/**
 * Writes training logs for TensorBoard, as Keras does: `train/` gets `epoch_<metric>` per epoch
 * (and `batch_<metric>` with `updateFreq`), `validation/` gets the `val_*` logs under the same
 * `epoch_<metric>` tags, and weight histograms (and kernel images) every `histogramFreq`
 * epochs. The platform supplies the sink (the Node entry's `callbacks.tensorBoard` writes files).
 */
export class TensorBoard extends Callback {
  /** The log directory. */
  readonly logDir: string;
  /** Batch scalars every N training batches (0: per epoch only). */
  readonly updateFreq: number;
  /** Weight histograms every N epochs (0: never). */
  readonly histogramFreq: number;
  /** Whether kernels are also written as images. */
  readonly writeImages: boolean;
  private writers = new Map<string, EventWriter>();
  private globalBatch = 0;

  constructor(opts: TensorBoardOptions, private readonly openSink: SinkFactory) {
    super();
    if (!opts || typeof opts.logDir !== 'string' || opts.logDir.length === 0) {
      throw new ValueError(`tensorBoard: 'logDir' must be a non-empty path; got ${JSON.stringify(opts?.logDir)}`);
    }
    this.logDir = opts.logDir;
    const u = opts.updateFreq ?? 'epoch';
    this.updateFreq = u === 'epoch' ? 0 : u === 'batch' ? 1 : u;
    if (!Number.isInteger(this.updateFreq) || this.updateFreq < 0) throw new ValueError(`tensorBoard: 'updateFreq' must be 'epoch', 'batch' or a positive integer; got ${JSON.stringify(u)}`);
    this.histogramFreq = opts.histogramFreq ?? 0;
    if (!Number.isInteger(this.histogramFreq) || this.histogramFreq < 0) throw new ValueError(`tensorBoard: 'histogramFreq' must be an integer >= 0; got ${String(opts.histogramFreq)}`);
    this.writeImages = opts.writeImages ?? false;
  }

  /** The writer of a run, opened on first use. */
  writer(run: string): EventWriter {
    let w = this.writers.get(run);
    if (!w) {
      w = new EventWriter(this.openSink(this.logDir, run));
      this.writers.set(run, w);
    }
    return w;
  }

  override onTrainBegin(): void {
    this.globalBatch = 0;
  }

  override async onBatchEnd(_batch: number, logs: BatchLogs): Promise<void> {
    this.globalBatch++;
    if (this.updateFreq > 0 && this.globalBatch % this.updateFreq === 0) {
      const values = await logs.values();
      const w = this.writer('train');
      w.values(Object.entries(values).map(([k, v]) => ({ tag: `batch_${k}`, kind: 'scalar' as const, value: v })), this.globalBatch);
    }
  }

  override async onEpochEnd(epoch: number, logs: Logs): Promise<void> {
    const train = Object.entries(logs ?? {}).filter(([k]) => !k.startsWith('val_'));
    const val = Object.entries(logs ?? {}).filter(([k]) => k.startsWith('val_'));
    const tag = (k: string) => (k === 'lr' ? 'epoch_learning_rate' : `epoch_${k}`);
    this.writer('train').values(train.map(([k, v]) => ({ tag: tag(k), kind: 'scalar' as const, value: v })), epoch);
    if (val.length) this.writer('validation').values(val.map(([k, v]) => ({ tag: tag(k.slice(4)), kind: 'scalar' as const, value: v })), epoch);
    if (this.histogramFreq > 0 && epoch % this.histogramFreq === 0) await this.writeWeights(epoch);
    await Promise.all([...this.writers.values()].map((w) => w.flush()));
  }

  private async writeWeights(epoch: number): Promise<void> {
    const weights = (this.model as unknown as { weights?: LayerWeight[] } | undefined)?.weights ?? [];
    const w = this.writer('train');
    for (const weight of weights) {
      const values = (await weight.read().data()) as Float32Array;
      w.histogram(weight.name, values, epoch);
      const shape = weight.shape;
      if (this.writeImages && (shape.length === 2 || shape.length === 4)) {
        // A kernel as an image: rows = inputs (all but the last axis), columns = outputs.
        const cols = shape[shape.length - 1]!;
        const rows = values.length / cols;
        let lo = Infinity;
        let hi = -Infinity;
        for (const v of values) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
        const px = new Uint8Array(values.length);
        const scale = hi > lo ? 255 / (hi - lo) : 0;
        values.forEach((v, i) => (px[i] = Math.round((v - lo) * scale)));
        w.image(`${weight.name}/image`, px, cols, rows, 1, epoch);
      }
    }
  }

  override async onTrainEnd(): Promise<void> {
    await Promise.all([...this.writers.values()].map((w) => w.close()));
    this.writers.clear();
  }
}
