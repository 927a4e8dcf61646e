import { ValueError } from '../../engine/errors.js';
import { type BatchLogs, Callback, type Logs } from './callback.js';
import { type WriteFn, verboseDefault, writeStdout } from './output.js';
import { formatBar, formatEta, formatLogs, formatPerStep } from './progress_format.js';
import { checkOptionKeys, keysOf } from '../../engine/option_keys.js';

/** Options of {@link ProgressBar}. */
export interface ProgressBarOptions {
  /**
   * 1: a live bar redrawn in place, then one final line per epoch; 2: one line per epoch;
   * 0: silent. Default: the run's `verbose`, else {@link verboseDefault}.
   */
  verbose?: 0 | 1 | 2;
  /**
   * Where text goes (pieces may hold `\r` and `\n`). Default: `process.stdout.write` in
   * Node, else `console.log` of whole lines.
   */
  write?: WriteFn;
  /** Least time between redraws of the live bar, in milliseconds. Each redraw reads the batch values once. Default 200. */
  interval?: number;
  /** Width of the bar in characters. Default 30. */
  width?: number;
  /** Clock in milliseconds (for tests). Default `performance.now`. */
  now?: () => number;
  /**
   * Terminal width: live bar lines are cut to `columns - 1` characters so a redraw never
   * wraps (a wrapped line cannot be redrawn in place and leaves a stale copy). Default
   * `process.stdout.columns` when writing to a terminal, else no limit.
   */
  columns?: number;
}

function terminalColumns(): number | undefined {
  const out = (globalThis as { process?: { stdout?: { isTTY?: boolean; columns?: number } } }).process?.stdout;
  return out?.isTTY && typeof out.columns === 'number' && out.columns > 0 ? out.columns : undefined;
}

function defaultClock(): () => number {
  const perf = (globalThis as { performance?: { now(): number } }).performance;
  return perf ? () => perf.now() : () => Date.now();
}

const OPTION_KEYS = keysOf<ProgressBarOptions>({ verbose: true, write: true, interval: true, width: true, now: true, columns: true });

/**
 * Keras-style training progress:
 * ```text
 * Epoch 1/3
 *  37/469 [==>...........................] - ETA: 12s - loss: 0.3412 - accuracy: 0.9012
 * ```
 * redrawn in place with `\r`, ending each epoch with the exact epoch logs:
 * ```text
 * 469/469 [==============================] - 3s 6ms/step - loss: 0.2900 - accuracy: 0.9170 - val_loss: 0.1500 - val_accuracy: 0.9550
 * ```
 * The live bar reads the batch values (a device → host copy) at most once per `interval`,
 * never per batch. It imports no Node module, so it also runs in browsers.
 */
export class ProgressBar extends Callback {
  private readonly write: WriteFn;
  private readonly interval: number;
  private readonly width: number;
  private readonly now: () => number;
  private level: 0 | 1 | 2 = 0;
  private epochStart = 0;
  private lastDraw = 0;
  private seen = 0;
  private drawnWidth = 0;

  constructor(private readonly opts: ProgressBarOptions = {}) {
    super();
    const owner = 'ProgressBar';
    checkOptionKeys(owner, opts, OPTION_KEYS);
    if (opts.verbose !== undefined && ![0, 1, 2].includes(opts.verbose)) {
      throw new ValueError(`${owner}: 'verbose' must be 0, 1 or 2; got ${String(opts.verbose)}`);
    }
    this.interval = opts.interval ?? 200;
    if (typeof this.interval !== 'number' || !(this.interval >= 0)) {
      throw new ValueError(`${owner}: 'interval' must be a number of milliseconds >= 0; got ${String(opts.interval)}`);
    }
    this.width = opts.width ?? 30;
    if (!Number.isInteger(this.width) || this.width < 1) {
      throw new ValueError(`${owner}: 'width' must be an integer >= 1; got ${String(opts.width)}`);
    }
    if (opts.columns !== undefined && !(Number.isInteger(opts.columns) && opts.columns >= 2)) {
      throw new ValueError(`${owner}: 'columns' must be an integer >= 2; got ${String(opts.columns)}`);
    }
    this.write = opts.write ?? writeStdout;
    this.now = opts.now ?? defaultClock();
  }

  override onTrainBegin(): void {
    this.level = this.opts.verbose ?? this.params?.verbose ?? verboseDefault();
  }

  override onEpochBegin(epoch: number): void {
    if (this.level === 0) return;
    const epochs = this.params?.epochs;
    if (epochs !== undefined && epochs > 1) this.write(`Epoch ${epoch + 1}/${epochs}\n`);
    this.epochStart = this.lastDraw = this.now();
    this.seen = 0;
    this.drawnWidth = 0;
  }

  override async onBatchEnd(batch: number, logs: BatchLogs): Promise<void> {
    this.seen = batch + 1;
    if (this.level !== 1) return;
    const steps = this.params?.steps;
    // The last batch is drawn by onEpochEnd with the exact logs.
    if (steps !== undefined && this.seen >= steps) return;
    const t = this.now();
    if (t - this.lastDraw < this.interval) return;
    this.lastDraw = t;
    const values = await logs.values();
    const elapsed = t - this.epochStart;
    const perStep = elapsed / this.seen;
    const timing = steps !== undefined
      ? ` - ETA: ${formatEta((perStep * (steps - this.seen)) / 1000)}`
      : ` - ${Math.round(elapsed / 1000)}s ${formatPerStep(perStep)}`;
    this.draw(formatBar(this.seen, steps, this.width) + timing + formatLogs(values), false);
  }

  override onEpochEnd(_epoch: number, logs: Logs): void {
    if (this.level === 0) return;
    const elapsed = this.now() - this.epochStart;
    const steps = this.params?.steps ?? this.seen;
    const seconds = `${Math.round(elapsed / 1000)}s`;
    const perStep = formatPerStep(elapsed / Math.max(this.seen, 1));
    if (this.level === 1) {
      this.draw(`${formatBar(this.seen, steps, this.width)} - ${seconds} ${perStep}${formatLogs(logs ?? {})}`, true);
    } else {
      const count = `${String(this.seen).padStart(String(steps).length)}/${steps}`;
      this.write(`${count} - ${seconds} - ${perStep}${formatLogs(logs ?? {})}\n`);
    }
  }

  /** Redraws the current line, blanking what is left of a longer previous one. */
  private draw(full: string, final: boolean): void {
    const cols = this.opts.columns ?? (this.opts.write ? undefined : terminalColumns());
    // The live line must fit, or the terminal wraps it and `\r` redraws only its last row.
    const line = !final && cols !== undefined && full.length > cols - 1 ? full.slice(0, Math.max(cols - 1, 1)) : full;
    const pad = ' '.repeat(Math.max(0, this.drawnWidth - line.length));
    this.write(`\r${line}${pad}${final ? '\n' : ''}`);
    this.drawnWidth = final ? 0 : line.length;
  }
}
