/**
 * Hyperparameter search for Node: the common tuner plus a JSON-file study and trials on
 * worker threads.
 * @module
 */
export * from '../../apps/tuner/index.js';
export { search, type NodeSearchOptions } from './search.js';
export { JsonFileStorage } from './file_storage.js';
export { WorkerExecutor, type WorkerExecutorOptions } from './worker_executor.js';
export { workerMain } from './worker_main.js';
export type { WorkerSetup } from './protocol.js';
