import type { SymbolicTensor } from '../../engine/symbolic.js';
import { Conv2D } from '../../layers/conv/index.js';
import { add } from '../../layers/merge/index.js';
import { BatchNormalization } from '../../layers/norm/index.js';
import { MaxPooling2D } from '../../layers/pooling/index.js';
import { ZeroPadding2D } from '../../layers/reshape/index.js';
import type { Model } from '../../io/models.js';
import { act, ap, finish, imageInput, modelOf } from './graph.js';
import { checkOptions, type ApplicationOptions } from './options.js';

/** Options of `st.applications.resNet50`. */
export type ResNet50Options = ApplicationOptions;

const bn = (name: string) => new BatchNormalization({ epsilon: 1.001e-5, name });

/** Keras' `residual_block_v1`: a 1-3-1 bottleneck with a projection shortcut in the first block of a stack. */
function block(x: SymbolicTensor, filters: number, stride: number, convShortcut: boolean, name: string): SymbolicTensor {
  let shortcut = x;
  if (convShortcut) {
    shortcut = ap(new Conv2D({ filters: 4 * filters, kernelSize: 1, strides: stride, name: `${name}_0_conv` }), x);
    shortcut = ap(bn(`${name}_0_bn`), shortcut);
  }
  let h = ap(new Conv2D({ filters, kernelSize: 1, strides: stride, name: `${name}_1_conv` }), x);
  h = ap(bn(`${name}_1_bn`), h);
  h = ap(act('relu', `${name}_1_relu`), h);
  h = ap(new Conv2D({ filters, kernelSize: 3, padding: 'same', name: `${name}_2_conv` }), h);
  h = ap(bn(`${name}_2_bn`), h);
  h = ap(act('relu', `${name}_2_relu`), h);
  h = ap(new Conv2D({ filters: 4 * filters, kernelSize: 1, name: `${name}_3_conv` }), h);
  h = ap(bn(`${name}_3_bn`), h);
  h = ap(add({ name: `${name}_add` }), [shortcut, h]);
  return ap(act('relu', `${name}_out`), h);
}

function stack(x: SymbolicTensor, filters: number, blocks: number, stride1: number, name: string): SymbolicTensor {
  let h = block(x, filters, stride1, true, `${name}_block1`);
  for (let i = 2; i <= blocks; i++) h = block(h, filters, 1, false, `${name}_block${i}`);
  return h;
}

/**
 * ResNet50 (He et al., 2015) as `keras.applications.ResNet50` builds it, layer for layer,
 * without weights: stacks `conv2`…`conv5` of bottleneck blocks (`conv4_block3_2_conv`…);
 * its last feature map is `conv5_block3_out`.
 * @throws ValueError for bad options.
 */
export function buildResNet50(opts: ResNet50Options = {}): Model {
  const o = checkOptions('resNet50', opts, 32, 224);
  const inp = imageInput(o);
  let x = ap(new ZeroPadding2D({ padding: [[3, 3], [3, 3]], name: 'conv1_pad' }), inp);
  x = ap(new Conv2D({ filters: 64, kernelSize: 7, strides: 2, name: 'conv1_conv' }), x);
  x = ap(bn('conv1_bn'), x);
  x = ap(act('relu', 'conv1_relu'), x);
  x = ap(new ZeroPadding2D({ padding: [[1, 1], [1, 1]], name: 'pool1_pad' }), x);
  x = ap(new MaxPooling2D({ poolSize: 3, strides: 2, name: 'pool1_pool' }), x);
  x = stack(x, 64, 3, 1, 'conv2');
  x = stack(x, 128, 4, 2, 'conv3');
  x = stack(x, 256, 6, 2, 'conv4');
  x = stack(x, 512, 3, 2, 'conv5');
  const out = finish(x, o, { top: 'avg_pool', avg: 'avg_pool', max: 'max_pool' });
  return modelOf(inp, out, opts.name ?? 'resnet50');
}
