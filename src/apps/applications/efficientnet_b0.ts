import type { ActivationName } from '../../engine/activations.js';
import { ValueError } from '../../engine/errors.js';
import type { SymbolicTensor } from '../../engine/symbolic.js';
import { Conv2D, DepthwiseConv2D } from '../../layers/conv/index.js';
import { Dense } from '../../layers/core/dense.js';
import { Dropout } from '../../layers/core/dropout.js';
import { add, multiply } from '../../layers/merge/index.js';
import { BatchNormalization } from '../../layers/norm/index.js';
import { GlobalAveragePooling2D } from '../../layers/pooling/index.js';
import { Normalization } from '../../layers/preprocessing/normalization.js';
import { Rescaling } from '../../layers/preprocessing/rescaling.js';
import { Reshape, ZeroPadding2D } from '../../layers/reshape/index.js';
import type { Model } from '../../io/models.js';
import { act, ap, finish, imageInput, modelOf } from './graph.js';
import { correctPad, makeDivisible } from './mobilenet_v2.js';
import { checkOptions, type ApplicationOptions } from './options.js';

/** Options of `st.applications.efficientNetB0`. */
export interface EfficientNetB0Options extends ApplicationOptions {
  /** Dropout rate before the classifier (with the top). Default 0.2. */
  dropoutRate?: number;
  /** The largest rate of the per-block stochastic-depth dropout, growing block by block to it. Default 0.2. */
  dropConnectRate?: number;
}

type T = SymbolicTensor;
// [kernel, repeats, filters in, filters out, expansion, stride] of the seven stages; squeeze-excite 0.25.
const STAGES: [number, number, number, number, number, number][] = [
  [3, 1, 32, 16, 1, 1], [3, 2, 16, 24, 6, 2], [5, 2, 24, 40, 6, 2], [3, 3, 40, 80, 6, 2],
  [5, 3, 80, 112, 6, 1], [5, 4, 112, 192, 6, 2], [3, 1, 192, 320, 6, 1],
];

/** One MBConv block of Keras' EfficientNet: expand, depthwise, squeeze-excite, project, skip. */
function block(inputs: T, name: string, fin: number, fout: number, kernel: number, stride: number, expand: number, dropRate: number): T {
  const swish: ActivationName = 'swish';
  const filters = fin * expand;
  let x = inputs;
  if (expand !== 1) {
    x = ap(new Conv2D({ filters, kernelSize: 1, padding: 'same', useBias: false, name: `${name}expand_conv` }), x);
    x = ap(new BatchNormalization({ name: `${name}expand_bn` }), x);
    x = ap(act(swish, `${name}expand_activation`), x);
  }
  if (stride === 2) x = ap(new ZeroPadding2D({ padding: correctPad(x, kernel), name: `${name}dwconv_pad` }), x);
  x = ap(new DepthwiseConv2D({ kernelSize: kernel, strides: stride, padding: stride === 2 ? 'valid' : 'same', useBias: false, name: `${name}dwconv` }), x);
  x = ap(new BatchNormalization({ name: `${name}bn` }), x);
  x = ap(act(swish, `${name}activation`), x);
  let se = ap(new GlobalAveragePooling2D({ name: `${name}se_squeeze` }), x);
  se = ap(new Reshape({ targetShape: [1, 1, filters], name: `${name}se_reshape` }), se);
  se = ap(new Conv2D({ filters: Math.max(1, Math.trunc(fin * 0.25)), kernelSize: 1, padding: 'same', activation: swish, name: `${name}se_reduce` }), se);
  se = ap(new Conv2D({ filters, kernelSize: 1, padding: 'same', activation: 'sigmoid', name: `${name}se_expand` }), se);
  x = ap(multiply({ name: `${name}se_excite` }), [x, se]);
  x = ap(new Conv2D({ filters: fout, kernelSize: 1, padding: 'same', useBias: false, name: `${name}project_conv` }), x);
  x = ap(new BatchNormalization({ name: `${name}project_bn` }), x);
  if (stride === 1 && fin === fout) {
    if (dropRate > 0) x = ap(new Dropout({ rate: dropRate, noiseShape: [null, 1, 1, 1], name: `${name}drop` }), x);
    x = ap(add({ name: `${name}add` }), [x, inputs]);
  }
  return x;
}

/**
 * EfficientNetB0 (Tan & Le, 2019) as `keras.applications.EfficientNetB0` builds it without
 * ImageNet weights: Rescaling (1/255) and Normalization in front (feed pixels in 0…255;
 * the Normalization's mean and variance come with loaded weights or `adapt`), seven stages
 * of MBConv blocks `block1a`…`block7a`, `top_conv`; its last feature map is `top_activation`.
 * Keras adds one more Rescaling after the Normalization when it loads its own ImageNet
 * weights; those files need that layer too.
 * @throws ValueError for bad options.
 */
export function buildEfficientNetB0(opts: EfficientNetB0Options = {}): Model {
  const owner = 'efficientNetB0';
  const o = checkOptions(owner, opts, 32, 224);
  const rate = (name: string, v: number | undefined) => {
    const r = v ?? 0.2;
    if (typeof r !== 'number' || !(r >= 0 && r < 1)) throw new ValueError(`${owner}: '${name}' must be in [0, 1); got ${String(v)}`);
    return r;
  };
  const dropoutRate = rate('dropoutRate', opts.dropoutRate);
  const dropConnect = rate('dropConnectRate', opts.dropConnectRate);
  const round = (f: number) => makeDivisible(f, 8);
  const inp = imageInput(o);
  let x = ap(new Rescaling({ scale: 1 / 255, name: 'rescaling' }), inp);
  x = ap(new Normalization({ axis: -1, name: 'normalization' }), x);
  x = ap(new ZeroPadding2D({ padding: correctPad(x, 3), name: 'stem_conv_pad' }), x);
  x = ap(new Conv2D({ filters: round(32), kernelSize: 3, strides: 2, padding: 'valid', useBias: false, name: 'stem_conv' }), x);
  x = ap(new BatchNormalization({ name: 'stem_bn' }), x);
  x = ap(act('swish', 'stem_activation'), x);
  const total = STAGES.reduce((a, s) => a + s[1], 0);
  let b = 0;
  STAGES.forEach(([kernel, repeats, fin, fout, expand, stride], i) => {
    for (let j = 0; j < repeats; j++) {
      const name = `block${i + 1}${String.fromCharCode(97 + j)}_`;
      x = block(x, name, j > 0 ? round(fout) : round(fin), round(fout), kernel, j > 0 ? 1 : stride, expand, (dropConnect * b) / total);
      b += 1;
    }
  });
  x = ap(new Conv2D({ filters: round(1280), kernelSize: 1, padding: 'same', useBias: false, name: 'top_conv' }), x);
  x = ap(new BatchNormalization({ name: 'top_bn' }), x);
  x = ap(act('swish', 'top_activation'), x);
  let out: T;
  if (o.includeTop) {
    x = ap(new GlobalAveragePooling2D({ name: 'avg_pool' }), x);
    if (dropoutRate > 0) x = ap(new Dropout({ rate: dropoutRate, name: 'top_dropout' }), x);
    out = ap(new Dense({ units: o.classes, activation: o.classifierActivation, name: 'predictions' }), x);
  } else {
    out = finish(x, o, { top: 'avg_pool', avg: 'avg_pool', max: 'max_pool' });
  }
  return modelOf(inp, out, opts.name ?? 'efficientnetb0');
}
