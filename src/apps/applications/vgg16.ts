import { Conv2D } from '../../layers/conv/index.js';
import { dense } from '../../layers/core/dense.js';
import { MaxPooling2D } from '../../layers/pooling/index.js';
import { flatten } from '../../layers/reshape/index.js';
import type { Model } from '../../io/models.js';
import { AUTO_POOL, ap, finish, imageInput, modelOf } from './graph.js';
import { checkOptions, type ApplicationOptions } from './options.js';

/** Options of `st.applications.vgg16`. */
export type VGG16Options = ApplicationOptions;

/**
 * VGG16 (Simonyan & Zisserman, 2014) as `keras.applications.VGG16` builds it, layer for
 * layer, without weights: five blocks of 3×3 convolutions (`block1_conv1`…`block5_pool`),
 * and with the top `flatten`, `fc1`, `fc2`, `predictions`. With the top the input must be
 * the size the top was built for (the flattened feature map fixes `fc1`'s weights).
 * @throws ValueError for bad options.
 */
export function buildVGG16(opts: VGG16Options = {}): Model {
  const o = checkOptions('vgg16', opts, 32, 224);
  const inp = imageInput(o);
  let x = inp;
  ([[64, 2], [128, 2], [256, 3], [512, 3], [512, 3]] as const).forEach(([filters, convs], b) => {
    for (let i = 1; i <= convs; i++) {
      x = ap(new Conv2D({ filters, kernelSize: 3, padding: 'same', activation: 'relu', name: `block${b + 1}_conv${i}` }), x);
    }
    x = ap(new MaxPooling2D({ poolSize: 2, strides: 2, name: `block${b + 1}_pool` }), x);
  });
  let out;
  if (o.includeTop) {
    x = ap(flatten({ name: 'flatten' }), x);
    x = ap(dense({ units: 4096, activation: 'relu', name: 'fc1' }), x);
    x = ap(dense({ units: 4096, activation: 'relu', name: 'fc2' }), x);
    out = ap(dense({ units: o.classes, activation: o.classifierActivation, name: 'predictions' }), x);
  } else {
    out = finish(x, o, AUTO_POOL);
  }
  return modelOf(inp, out, opts.name ?? 'vgg16');
}
