/**
 * The callbacks namespace for Node: the common callbacks plus the file-writing ones.
 * @module
 */
export * from '../training/callbacks/index.js';
export { CsvLogger, csvLogger, type CsvLoggerOptions } from './csv_logger.js';
