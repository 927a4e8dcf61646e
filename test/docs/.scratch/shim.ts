export * from '../../../src/index.js';
export * as io from '../../../src/io/index.js';
export { saveModel, loadModel } from '../../../src/io/node/index.js';
export { registerLayer } from '../../../src/io/index.js';
export { gan, GAN } from '../../../src/apps/gan/index.js';
export * as transfer from '../../../src/apps/transfer/index.js';
