/**
 * The callbacks namespace for Node: the common callbacks plus the file-writing ones.
 * @module
 */
export * from '../training/callbacks/index.js';
export { CsvLogger, csvLogger, type CsvLoggerOptions } from './csv_logger.js';
export { tensorBoard, eventFileSink } from './tensorboard.js';
export { TensorBoard, type TensorBoardOptions } from '../io/tensorboard/callback.js';
export { runLog, RunLog, type RunLogOptions, type RunRecord } from './run_log.js';
