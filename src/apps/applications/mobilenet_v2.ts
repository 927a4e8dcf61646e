import { ValueError } from '../../engine/errors.js';
import type { SymbolicTensor } from '../../engine/symbolic.js';
import { ReLU } from '../../layers/activation/relu.js';
import { Conv2D, DepthwiseConv2D } from '../../layers/conv/index.js';
import { add } from '../../layers/merge/index.js';
import { BatchNormalization } from '../../layers/norm/index.js';
import { ZeroPadding2D } from '../../layers/reshape/index.js';
import type { Model } from '../../io/models.js';
import { AUTO_POOL, ap, finish, imageInput, modelOf } from './graph.js';
import { checkOptions, type ApplicationOptions } from './options.js';

/** Options of `st.applications.mobileNetV2`. */
export interface MobileNetV2Options extends ApplicationOptions {
  /** Width multiplier: scales the filters of every layer (Keras ships 0.35, 0.5, 0.75, 1.0, 1.3, 1.4). Default 1. */
  alpha?: number;
}

/** Keras' `_make_divisible`: `v` rounded to a multiple of `divisor`, never below 90 % of `v`. */
export function makeDivisible(v: number, divisor: number, minValue = divisor): number {
  let n = Math.max(minValue, Math.floor((v + divisor / 2) / divisor) * divisor);
  if (n < 0.9 * v) n += divisor;
  return n;
}

/** Keras' `correct_pad`: the zero padding before a stride-2 'valid' convolution of kernel `k`. */
export function correctPad(x: SymbolicTensor, k: number): [[number, number], [number, number]] {
  const [h, w] = [x.shape[1], x.shape[2]];
  const adjust = [h == null ? 1 : 1 - (h % 2), w == null ? 1 : 1 - (w % 2)];
  const c = Math.floor(k / 2);
  return [[c - adjust[0]!, c], [c - adjust[1]!, c]];
}

const bn = (name: string) => new BatchNormalization({ epsilon: 1e-3, momentum: 0.999, name });
const relu6 = (name: string) => new ReLU({ maxValue: 6, name });

function invertedResBlock(inputs: SymbolicTensor, expansion: number, stride: number, alpha: number, filters: number, id: number): SymbolicTensor {
  const inChannels = inputs.shape[3]!;
  const pointwise = makeDivisible(Math.trunc(filters * alpha), 8);
  let x = inputs;
  let prefix = `block_${id}_`;
  if (id) {
    x = ap(new Conv2D({ filters: expansion * inChannels, kernelSize: 1, padding: 'same', useBias: false, name: `${prefix}expand` }), x);
    x = ap(bn(`${prefix}expand_BN`), x);
    x = ap(relu6(`${prefix}expand_relu`), x);
  } else {
    prefix = 'expanded_conv_';
  }
  if (stride === 2) x = ap(new ZeroPadding2D({ padding: correctPad(x, 3), name: `${prefix}pad` }), x);
  x = ap(new DepthwiseConv2D({ kernelSize: 3, strides: stride, useBias: false, padding: stride === 1 ? 'same' : 'valid', name: `${prefix}depthwise` }), x);
  x = ap(bn(`${prefix}depthwise_BN`), x);
  x = ap(relu6(`${prefix}depthwise_relu`), x);
  x = ap(new Conv2D({ filters: pointwise, kernelSize: 1, padding: 'same', useBias: false, name: `${prefix}project` }), x);
  x = ap(bn(`${prefix}project_BN`), x);
  if (inChannels === pointwise && stride === 1) return ap(add({ name: `${prefix}add` }), [inputs, x]);
  return x;
}

// [filters, stride, expansion] of blocks 0…16.
const BLOCKS: [number, number, number][] = [
  [16, 1, 1], [24, 2, 6], [24, 1, 6], [32, 2, 6], [32, 1, 6], [32, 1, 6], [64, 2, 6], [64, 1, 6], [64, 1, 6], [64, 1, 6],
  [96, 1, 6], [96, 1, 6], [96, 1, 6], [160, 2, 6], [160, 1, 6], [160, 1, 6], [320, 1, 6],
];

/**
 * MobileNetV2 (Sandler et al., 2018) as `keras.applications.MobileNetV2` builds it, layer for
 * layer, without weights: same layer names (`Conv1`, `block_1_expand`, `out_relu`…) and
 * parameter counts. Its last feature map is `out_relu`.
 * @throws ValueError for bad options.
 */
export function buildMobileNetV2(opts: MobileNetV2Options = {}): Model {
  const owner = 'mobileNetV2';
  const o = checkOptions(owner, opts, 32, 224);
  const alpha = opts.alpha ?? 1;
  if (typeof alpha !== 'number' || !(alpha > 0)) throw new ValueError(`${owner}: 'alpha' must be a number > 0; got ${String(opts.alpha)}`);
  const inp = imageInput(o);
  let x = ap(new Conv2D({ filters: makeDivisible(32 * alpha, 8), kernelSize: 3, strides: 2, padding: 'same', useBias: false, name: 'Conv1' }), inp);
  x = ap(bn('bn_Conv1'), x);
  x = ap(relu6('Conv1_relu'), x);
  BLOCKS.forEach(([filters, stride, expansion], id) => {
    x = invertedResBlock(x, expansion, stride, alpha, filters, id);
  });
  const last = alpha > 1 ? makeDivisible(1280 * alpha, 8) : 1280;
  x = ap(new Conv2D({ filters: last, kernelSize: 1, useBias: false, name: 'Conv_1' }), x);
  x = ap(bn('Conv_1_bn'), x);
  x = ap(relu6('out_relu'), x);
  const out = finish(x, o, AUTO_POOL);
  return modelOf(inp, out, opts.name ?? `mobilenetv2_${alpha.toFixed(2)}_${o.inputShape[0]}`);
}
