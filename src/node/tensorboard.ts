import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { TensorBoard, type TensorBoardOptions } from '../io/tensorboard/callback.js';
import type { EventSink } from '../io/tensorboard/writer.js';

let counter = 0;

/**
 * An events file in `dir` (created), named as TensorFlow names them:
 * `events.out.tfevents.<seconds>.<host>.<pid>.<n>.v2`. Writes go straight to the file.
 */
export function eventFileSink(dir: string): EventSink & {
  /** The events file's path. */
  readonly path: string;
} {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `events.out.tfevents.${Math.floor(Date.now() / 1000)}.${hostname()}.${process.pid}.${counter++}.v2`);
  let fd: number | undefined = openSync(path, 'a');
  return {
    path,
    write(bytes: Uint8Array) {
      if (fd !== undefined) writeSync(fd, bytes);
    },
    close() {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  };
}

/**
 * Writes TensorBoard logs (Keras `TensorBoard`): `<logDir>/train` and `<logDir>/validation`
 * event files with `epoch_loss`, `epoch_accuracy`, …, optional batch scalars, weight
 * histograms and kernel images. View with `tensorboard --logdir <logDir>`.
 * @example
 * ```ts
 * await net.fit(x, y, { epochs: 5, validationSplit: 0.1,
 *   callbacks: [st.callbacks.tensorBoard({ logDir: 'logs/run1', histogramFreq: 1 })] });
 * ```
 */
export function tensorBoard(opts: TensorBoardOptions): TensorBoard {
  return new TensorBoard(opts, (logDir, run) => eventFileSink(join(logDir, run)));
}
