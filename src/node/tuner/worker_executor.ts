import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { StateError, ValueError } from '../../engine/errors.js';
import type { TrialExecutor } from '../../apps/tuner/executor.js';
import type { TrialInfo, TrialOutcome, TrialReporter } from '../../apps/tuner/trial_run.js';
import type { ToMain, ToWorker, WorkerSetup } from './protocol.js';

/** Options of {@link WorkerExecutor}. */
export interface WorkerExecutorOptions {
  /** The module (path or URL) whose `run` (named or default export) trains one trial. */
  module: string | URL;
  /** Worker threads, each running one trial at a time. */
  size: number;
  /** Backend each worker uses. Default: the worker's default (`st.ready()`). */
  backend?: string;
  /** Threads each trial may use (its share of the machine). Default `max(1, ⌊cores / size⌋)`. */
  threadsPerTrial?: number;
  /** TensorBoard log directory: each trial writes `<logDir>/trial-<n>/`. */
  logDir?: string;
  /** The module that holds `workerMain` (strata's own entry). Default: this file's bundle. */
  entry?: string;
}

// An eval'd bootstrap: import strata's entry in the worker and hand over to its workerMain.
const BOOT = `const { workerData } = require('node:worker_threads');
import(workerData.entry).then((m) => (m.workerMain ?? m.tuner.workerMain)(workerData)).catch((e) => { console.error(e); process.exit(1); });`;

/**
 * Runs trials on Node worker threads: each worker has its own tfjs engine (its own heap and
 * backend) and imports the trial module once; the study stays on the main thread, which
 * answers each worker's per-epoch report with the pruner's decision.
 */
export class WorkerExecutor implements TrialExecutor {
  readonly size: number;
  private readonly idle: Worker[] = [];
  private readonly all: Worker[] = [];
  private readonly setup: WorkerSetup;

  constructor(opts: WorkerExecutorOptions) {
    if (!Number.isInteger(opts.size) || opts.size < 1) throw new ValueError(`tuner workers: 'size' must be a positive integer; got ${String(opts.size)}`);
    const mod = opts.module instanceof URL ? opts.module.href : opts.module;
    if (typeof mod !== 'string' || mod.length === 0) throw new ValueError(`tuner workers: 'module' must be the path or URL of the trial module; got ${String(opts.module)}`);
    this.size = opts.size;
    const entry = opts.entry ?? import.meta.url;
    if (/\.[cm]?ts$/.test(entry)) {
      throw new StateError(`tuner workers: strata runs from TypeScript sources here (${entry}); worker threads need the built package (import 'strata' after npm run build)`);
    }
    this.setup = {
      entry,
      module: /^[a-z]+:/i.test(mod) ? mod : new URL(mod, `file://${process.cwd()}/`).href,
      threads: opts.threadsPerTrial ?? Math.max(1, Math.floor(availableParallelism() / opts.size)),
      ...(opts.backend ? { backend: opts.backend } : {}),
      ...(opts.logDir ? { logDir: opts.logDir } : {}),
    };
  }

  private spawn(): Worker {
    const w = new Worker(BOOT, {
      eval: true,
      workerData: this.setup,
      env: { ...process.env, STRATA_THREADS: String(this.setup.threads) },
    });
    this.all.push(w);
    return w;
  }

  async run(info: TrialInfo, reporter: TrialReporter): Promise<TrialOutcome> {
    const w = this.idle.pop() ?? this.spawn();
    try {
      return await new Promise<TrialOutcome>((resolve, reject) => {
        const onMessage = (m: ToMain) => {
          if (m.type === 'report') {
            reporter.report(m.epochs, m.value).then(
              (stop) => w.postMessage({ type: 'decision', stop } satisfies ToWorker),
              (e: unknown) => w.postMessage({ type: 'decision', stop: false, error: String(e) } satisfies ToWorker),
            );
          } else if (m.type === 'done') {
            cleanup();
            resolve(m.outcome);
          }
        };
        const onError = (e: Error) => {
          cleanup();
          reject(e);
        };
        const onExit = (code: number) => {
          cleanup();
          reject(new StateError(`tuner worker exited with code ${code} during trial ${info.number}`));
        };
        const cleanup = () => {
          w.off('message', onMessage);
          w.off('error', onError);
          w.off('exit', onExit);
        };
        w.on('message', onMessage);
        w.on('error', onError);
        w.on('exit', onExit);
        w.postMessage({ type: 'run', info } satisfies ToWorker);
      });
    } catch (e) {
      // A crashed worker is replaced; the trial fails.
      this.all.splice(this.all.indexOf(w), 1);
      void w.terminate();
      return { intermediate: [], epochs: 0, pruned: false, error: e instanceof Error ? e.message : String(e) };
    } finally {
      if (this.all.includes(w)) this.idle.push(w);
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.all.map((w) => w.terminate()));
    this.all.length = 0;
    this.idle.length = 0;
  }
}
