import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ValueError } from '../engine/errors.js';
import { saveModel, type SavableModel } from '../io/save.js';
import { Callback, type Logs } from '../training/callbacks/callback.js';
import { CsvLogger } from './csv_logger.js';

/** Options of {@link runLog}. */
export interface RunLogOptions {
  /** The folder that holds runs; this run goes to `<dir>/<name>/`. Default `'runs'`. */
  dir?: string;
  /** The run's name. Default: `run-<yyyymmdd-hhmmss>` (with `-2`, `-3`, … if taken). */
  name?: string;
  /** Hyperparameters and notes to record in `params.json` (numbers, strings, booleans). Default `{}`. */
  params?: Record<string, number | string | boolean>;
  /** Save the trained model to `<run>/model/` when training ends. Default true. */
  saveModel?: boolean;
}

/** The contents of a run's `params.json`. */
export interface RunRecord {
  /** The run's name (its folder name). */
  name: string;
  /** What the user recorded. */
  params: Record<string, number | string | boolean>;
  /** What fit ran with: epochs, batch size, samples, the optimizer and its settings. */
  training: Record<string, unknown>;
  /** When training began (ISO 8601). */
  startedAt: string;
  /** When training ended (ISO 8601); absent while running. */
  finishedAt?: string;
  /** Epochs completed (set when training ends). */
  epochs?: number;
  /** The last epoch's logs (set when training ends). */
  final?: Logs;
}

function stamp(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

/**
 * Records a training run in a folder, the part of MLflow tracking one user needs, with no
 * server: `params.json` (your hyperparameters and fit's settings, then the result),
 * `metrics.csv` (one row per epoch) and `model/` (the trained model). Compare runs with
 * `st.runs.compare(['runs'])`. See {@link runLog}.
 */
export class RunLog extends Callback {
  /** The run's folder (set when training begins). */
  runDir?: string;
  private record?: RunRecord;
  private csv?: CsvLogger;
  private epochs = 0;
  private last: Logs = {};

  constructor(
    /** The options it was made with. */
    readonly opts: RunLogOptions = {},
  ) {
    super();
    if (opts.name !== undefined && (typeof opts.name !== 'string' || !/^[\w.-]+$/.test(opts.name))) {
      throw new ValueError(`runLog: 'name' must be letters, digits, '.', '-' or '_'; got ${JSON.stringify(opts.name)}`);
    }
  }

  private write(): void {
    writeFileSync(join(this.runDir!, 'params.json'), JSON.stringify(this.record, null, 1) + '\n');
  }

  override async onTrainBegin(): Promise<void> {
    const root = this.opts.dir ?? 'runs';
    let name = this.opts.name ?? `run-${stamp(new Date())}`;
    if (!this.opts.name) for (let k = 2; existsSync(join(root, name)); k++) name = `${name.replace(/-\d+$/, '')}-${k}`;
    this.runDir = join(root, name);
    mkdirSync(this.runDir, { recursive: true });
    const opt = this.model?.optimizer as { className?: string; getConfig?: () => Record<string, unknown> } | undefined;
    const { verbose: _v, ...training } = this.params ?? ({} as Record<string, unknown>);
    this.record = {
      name, params: { ...(this.opts.params ?? {}) }, startedAt: new Date().toISOString(),
      training: { ...training, ...(opt?.className ? { optimizer: opt.className, optimizerConfig: opt.getConfig?.() } : {}) },
    };
    this.write();
    this.epochs = 0;
    this.csv = new CsvLogger(join(this.runDir, 'metrics.csv'));
    if (this.params) this.csv.setParams(this.params);
    await this.csv.onTrainBegin();
  }

  override async onEpochEnd(epoch: number, logs: Logs): Promise<void> {
    this.epochs++;
    this.last = { ...logs };
    await this.csv?.onEpochEnd(epoch, logs);
  }

  override async onTrainEnd(): Promise<void> {
    if (!this.record || !this.runDir) return;
    this.record.finishedAt = new Date().toISOString();
    this.record.epochs = this.epochs;
    this.record.final = this.last;
    this.write();
    if ((this.opts.saveModel ?? true) && this.model) {
      await saveModel(this.model as unknown as SavableModel, pathToFileURL(resolve(this.runDir, 'model')).href);
    }
  }
}

/**
 * Records a fit run in `runs/<name>/`: `params.json`, `metrics.csv` and the saved model.
 * @example
 * ```ts
 * await net.fit(x, y, { epochs: 5, validationSplit: 0.1,
 *   callbacks: [st.callbacks.runLog({ name: 'mlp-lr1e-3', params: { lr: 1e-3, units: 256 } })] });
 * console.log(st.runs.compare(['runs']));
 * ```
 */
export function runLog(opts: RunLogOptions = {}): RunLog {
  return new RunLog(opts);
}
