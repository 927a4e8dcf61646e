/**
 * strata for Node: the common API plus Node-only pieces (the IDX/MNIST readers, the
 * CSV logger callback). Names exported here take precedence over the common ones.
 * @module
 */
export * from './common.js';
export * as datasets from './data/node.js';
export * as callbacks from './node/callbacks.js';
