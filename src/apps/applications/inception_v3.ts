import type { SymbolicTensor } from '../../engine/symbolic.js';
import { Conv2D } from '../../layers/conv/index.js';
import { concatenate } from '../../layers/merge/index.js';
import { BatchNormalization } from '../../layers/norm/index.js';
import { AveragePooling2D, MaxPooling2D } from '../../layers/pooling/index.js';
import type { Model } from '../../io/models.js';
import { act, ap, AutoNames, finish, imageInput, modelOf } from './graph.js';
import { checkOptions, type ApplicationOptions } from './options.js';

/** Options of `st.applications.inceptionV3`. */
export type InceptionV3Options = ApplicationOptions;

type T = SymbolicTensor;

/**
 * InceptionV3 (Szegedy et al., 2015) as `keras.applications.InceptionV3` builds it, layer
 * for layer, without weights. Keras leaves most of its layers unnamed, so they carry the
 * names a fresh Keras model derives (`conv2d`, `conv2d_1`, … `batch_normalization_93`,
 * `activation_93`); the modules are `mixed0`…`mixed10`, its last feature map.
 * @throws ValueError for bad options.
 */
export function buildInceptionV3(opts: InceptionV3Options = {}): Model {
  const o = checkOptions('inceptionV3', opts, 75, 299);
  const auto = new AutoNames();
  // Keras' conv2d_bn: convolution without bias, BatchNormalization without scale, ReLU.
  const cbr = (x: T, filters: number, rows: number, cols: number, padding: 'same' | 'valid' = 'same', strides = 1): T => {
    let h = ap(new Conv2D({ filters, kernelSize: [rows, cols], strides, padding, useBias: false, name: auto.next('conv2d') }), x);
    h = ap(new BatchNormalization({ scale: false, name: auto.next('batch_normalization') }), h);
    return ap(act('relu', auto.next('activation')), h);
  };
  const maxPool = (x: T) => ap(new MaxPooling2D({ poolSize: 3, strides: 2, name: auto.next('max_pooling2d') }), x);
  const avgPool = (x: T) => ap(new AveragePooling2D({ poolSize: 3, strides: 1, padding: 'same', name: auto.next('average_pooling2d') }), x);
  const cat = (xs: T[], name: string) => ap(concatenate({ axis: -1, name }), xs);

  const inp = imageInput(o);
  let x = cbr(inp, 32, 3, 3, 'valid', 2);
  x = cbr(x, 32, 3, 3, 'valid');
  x = cbr(x, 64, 3, 3);
  x = maxPool(x);
  x = cbr(x, 80, 1, 1, 'valid');
  x = cbr(x, 192, 3, 3, 'valid');
  x = maxPool(x);

  // mixed 0, 1, 2: 35 × 35 × 256/288
  for (const [i, pool] of [[0, 32], [1, 64], [2, 64]] as const) {
    const b1 = cbr(x, 64, 1, 1);
    const b5 = cbr(cbr(x, 48, 1, 1), 64, 5, 5);
    const b3 = cbr(cbr(cbr(x, 64, 1, 1), 96, 3, 3), 96, 3, 3);
    const bp = cbr(avgPool(x), pool, 1, 1);
    x = cat([b1, b5, b3, bp], `mixed${i}`);
  }
  // mixed 3: 17 × 17 × 768
  {
    const b3 = cbr(x, 384, 3, 3, 'valid', 2);
    const bd = cbr(cbr(cbr(x, 64, 1, 1), 96, 3, 3), 96, 3, 3, 'valid', 2);
    x = cat([b3, bd, maxPool(x)], 'mixed3');
  }
  // mixed 4…7: 17 × 17 × 768
  for (const [i, c] of [[4, 128], [5, 160], [6, 160], [7, 192]] as const) {
    const b1 = cbr(x, 192, 1, 1);
    const b7 = cbr(cbr(cbr(x, c, 1, 1), c, 1, 7), 192, 7, 1);
    const bd = cbr(cbr(cbr(cbr(cbr(x, c, 1, 1), c, 7, 1), c, 1, 7), c, 7, 1), 192, 1, 7);
    const bp = cbr(avgPool(x), 192, 1, 1);
    x = cat([b1, b7, bd, bp], `mixed${i}`);
  }
  // mixed 8: 8 × 8 × 1280
  {
    const b3 = cbr(cbr(x, 192, 1, 1), 320, 3, 3, 'valid', 2);
    const b7 = cbr(cbr(cbr(cbr(x, 192, 1, 1), 192, 1, 7), 192, 7, 1), 192, 3, 3, 'valid', 2);
    x = cat([b3, b7, maxPool(x)], 'mixed8');
  }
  // mixed 9, 10: 8 × 8 × 2048
  for (const i of [0, 1]) {
    const b1 = cbr(x, 320, 1, 1);
    const b3 = cbr(x, 384, 1, 1);
    const b3cat = cat([cbr(b3, 384, 1, 3), cbr(b3, 384, 3, 1)], `mixed9_${i}`);
    const bd = cbr(cbr(x, 448, 1, 1), 384, 3, 3);
    const bdcat = cat([cbr(bd, 384, 1, 3), cbr(bd, 384, 3, 1)], auto.next('concatenate'));
    const bp = cbr(avgPool(x), 192, 1, 1);
    x = cat([b1, b3cat, bdcat, bp], `mixed${9 + i}`);
  }
  const out = finish(x, o, { top: 'avg_pool', avg: 'global_average_pooling2d', max: 'global_max_pooling2d' });
  return modelOf(inp, out, opts.name ?? 'inception_v3');
}
