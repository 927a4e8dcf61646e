/**
 * strata for Node: the common API plus Node-only pieces (the IDX/MNIST readers, the
 * CSV logger callback, `file://` saving and loading). Names exported here take precedence
 * over the common ones.
 * @module
 */
import { registerFileRouters } from './io/node/routers.js';

export * from './common.js';
export * as datasets from './data/node.js';
export * as callbacks from './node/callbacks.js';
export { saveModel, loadModel, fileSystem } from './io/node/index.js';
export * as io from './io/node/index.js';
export * as plot from './node/plot.js';

// Node-only: make `file://` URLs resolvable through tfjs-core's io routers.
registerFileRouters();
export * as applications from './apps/applications/node.js';
export * as tuner from './node/tuner/index.js';
export * as runs from './node/runs.js';
export type { NodeLoadOptions, FileSystemOptions } from './io/node/index.js';
