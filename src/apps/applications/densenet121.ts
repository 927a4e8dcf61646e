import type { SymbolicTensor } from '../../engine/symbolic.js';
import { Conv2D } from '../../layers/conv/index.js';
import { concatenate } from '../../layers/merge/index.js';
import { BatchNormalization } from '../../layers/norm/index.js';
import { AveragePooling2D, MaxPooling2D } from '../../layers/pooling/index.js';
import { ZeroPadding2D } from '../../layers/reshape/index.js';
import type { Model } from '../../io/models.js';
import { act, ap, finish, imageInput, modelOf } from './graph.js';
import { checkOptions, type ApplicationOptions } from './options.js';

/** Options of `st.applications.denseNet121`. */
export type DenseNet121Options = ApplicationOptions;

const bn = (name: string) => new BatchNormalization({ epsilon: 1.001e-5, name });

/** One layer of a dense block: BN-ReLU-1×1 conv, BN-ReLU-3×3 conv, concatenated onto its input. */
function convBlock(x: SymbolicTensor, growth: number, name: string): SymbolicTensor {
  let h = ap(bn(`${name}_0_bn`), x);
  h = ap(act('relu', `${name}_0_relu`), h);
  h = ap(new Conv2D({ filters: 4 * growth, kernelSize: 1, useBias: false, name: `${name}_1_conv` }), h);
  h = ap(bn(`${name}_1_bn`), h);
  h = ap(act('relu', `${name}_1_relu`), h);
  h = ap(new Conv2D({ filters: growth, kernelSize: 3, padding: 'same', useBias: false, name: `${name}_2_conv` }), h);
  return ap(concatenate({ axis: -1, name: `${name}_concat` }), [x, h]);
}

function transition(x: SymbolicTensor, reduction: number, name: string): SymbolicTensor {
  let h = ap(bn(`${name}_bn`), x);
  h = ap(act('relu', `${name}_relu`), h);
  h = ap(new Conv2D({ filters: Math.trunc(h.shape[3]! * reduction), kernelSize: 1, useBias: false, name: `${name}_conv` }), h);
  return ap(new AveragePooling2D({ poolSize: 2, strides: 2, name: `${name}_pool` }), h);
}

/**
 * DenseNet121 (Huang et al., 2016) as `keras.applications.DenseNet121` builds it, layer for
 * layer, without weights: dense blocks of 6, 12, 24 and 16 layers (`conv4_block7_concat`…)
 * with transitions `pool2`…`pool4`; its last feature map is `relu`.
 * @throws ValueError for bad options.
 */
export function buildDenseNet121(opts: DenseNet121Options = {}): Model {
  const o = checkOptions('denseNet121', opts, 32, 224);
  const inp = imageInput(o);
  let x = ap(new ZeroPadding2D({ padding: [[3, 3], [3, 3]], name: 'zero_padding2d' }), inp);
  x = ap(new Conv2D({ filters: 64, kernelSize: 7, strides: 2, useBias: false, name: 'conv1_conv' }), x);
  x = ap(bn('conv1_bn'), x);
  x = ap(act('relu', 'conv1_relu'), x);
  x = ap(new ZeroPadding2D({ padding: [[1, 1], [1, 1]], name: 'zero_padding2d_1' }), x);
  x = ap(new MaxPooling2D({ poolSize: 3, strides: 2, name: 'pool1' }), x);
  [6, 12, 24, 16].forEach((blocks, s) => {
    for (let i = 1; i <= blocks; i++) x = convBlock(x, 32, `conv${s + 2}_block${i}`);
    if (s < 3) x = transition(x, 0.5, `pool${s + 2}`);
  });
  x = ap(bn('bn'), x);
  x = ap(act('relu', 'relu'), x);
  const out = finish(x, o, { top: 'avg_pool', avg: 'avg_pool', max: 'max_pool' });
  return modelOf(inp, out, opts.name ?? 'densenet121');
}
