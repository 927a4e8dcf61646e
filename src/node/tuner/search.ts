import { ValueError } from '../../engine/errors.js';
import { getBackend } from '../../backend/backends.js';
import { search as searchCommon, type SearchOptions } from '../../apps/tuner/search.js';
import { flattenSpace } from '../../apps/tuner/space.js';
import type { Study } from '../../apps/tuner/study.js';
import { JsonFileStorage } from './file_storage.js';
import { trialCallbacks, writeExperiment } from './trial_callbacks.js';
import { WorkerExecutor } from './worker_executor.js';

/** Options of the Node {@link search}: the common ones plus files and worker threads. */
export interface NodeSearchOptions extends SearchOptions {
  /** A JSON file the study is saved to after every trial and resumed from when it exists. Default: none. */
  path?: string;
  /**
   * The trial module (path or URL) for worker threads: it exports `run(hp, trial)` (named or
   * default) and imports `strata` itself. Needed for `parallel` > 1; with it, every trial runs
   * on a worker thread with its own engine.
   */
  module?: string | URL;
  /** Backend of the worker threads. Default: this thread's backend. */
  backend?: string;
  /** Threads per trial (its share of the machine). Default `max(1, ⌊cores / parallel⌋)`. */
  threadsPerTrial?: number;
  /** TensorBoard log directory: one run per trial, `<logDir>/trial-<n>/`, with its hyperparameters. Default: none. */
  logDir?: string;
}

/**
 * Hyperparameter search (Node): the common search with the study in a JSON file and
 * trials on worker threads.
 * @example
 * ```ts
 * const study = await st.tuner.search({
 *   space, sampler: 'tpe', trials: 30, parallel: 2, objective: 'val_accuracy',
 *   module: new URL('./trial.js', import.meta.url), path: 'out/study.json', logDir: 'logs/tune',
 * });
 * ```
 */
export async function search(opts: NodeSearchOptions): Promise<Study> {
  const parallel = opts.parallel ?? 1;
  if (parallel > 1 && !opts.module && !opts.executor) {
    throw new ValueError(`tuner.search: parallel: ${parallel} runs trials on worker threads and needs 'module' (the file that exports run); 'run' closures cannot cross threads`);
  }
  const executor = opts.executor ?? (opts.module
    ? new WorkerExecutor({
      module: opts.module, size: parallel, backend: opts.backend ?? getBackend(),
      ...(opts.threadsPerTrial !== undefined ? { threadsPerTrial: opts.threadsPerTrial } : {}),
      ...(opts.logDir ? { logDir: opts.logDir } : {}),
    })
    : undefined);
  const user = opts.callbacks;
  flattenSpace(opts.space);
  if (opts.logDir) await writeExperiment(opts.logDir, opts.space, opts.objective ?? 'val_loss');
  return searchCommon({
    ...opts,
    ...(executor ? { executor } : {}),
    ...(opts.path && !opts.storage ? { storage: new JsonFileStorage(opts.path) } : {}),
    callbacks: (t) => [...trialCallbacks(t, opts.logDir), ...(user?.(t) ?? [])],
  });
}
