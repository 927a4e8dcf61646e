import { ValueError } from '../../engine/errors.js';
import type { SymbolicTensor } from '../../engine/symbolic.js';
import { Activation } from '../../layers/activation/activation.js';
import { ReLU } from '../../layers/activation/relu.js';
import { Conv2D, DepthwiseConv2D } from '../../layers/conv/index.js';
import { Dropout } from '../../layers/core/dropout.js';
import { add, multiply } from '../../layers/merge/index.js';
import { BatchNormalization } from '../../layers/norm/index.js';
import { GlobalAveragePooling2D, GlobalMaxPooling2D } from '../../layers/pooling/index.js';
import { Rescaling } from '../../layers/preprocessing/rescaling.js';
import { Flatten, ZeroPadding2D } from '../../layers/reshape/index.js';
import type { Model } from '../../io/models.js';
import { ap, AutoNames, imageInput, modelOf } from './graph.js';
import { correctPad, makeDivisible } from './mobilenet_v2.js';
import { checkOptions, type ApplicationOptions } from './options.js';

/** Options of `st.applications.mobileNetV3Small` and `mobileNetV3Large`. */
export interface MobileNetV3Options extends ApplicationOptions {
  /** Width multiplier of every layer. Default 1. */
  alpha?: number;
  /** The variant without squeeze-and-excitation, hard-swish or 5×5 kernels. Default false. */
  minimalistic?: boolean;
  /** Dropout rate before the classifier (with the top). Default 0.2. */
  dropoutRate?: number;
  /** Start with a Rescaling layer that maps pixels in 0…255 to [-1, 1], as Keras does. Default true. */
  includePreprocessing?: boolean;
}

type T = SymbolicTensor;
// [expansion, filters, kernel ('k': 3, or 5 unless minimalistic), stride, squeeze-excite, hard-swish]
type Spec = [number, number, 3 | 'k', 1 | 2, boolean, boolean];

const SMALL: Spec[] = [
  [1, 16, 3, 2, true, false], [72 / 16, 24, 3, 2, false, false], [88 / 24, 24, 3, 1, false, false],
  [4, 40, 'k', 2, true, true], [6, 40, 'k', 1, true, true], [6, 40, 'k', 1, true, true], [3, 48, 'k', 1, true, true],
  [3, 48, 'k', 1, true, true], [6, 96, 'k', 2, true, true], [6, 96, 'k', 1, true, true], [6, 96, 'k', 1, true, true],
];
const LARGE: Spec[] = [
  [1, 16, 3, 1, false, false], [4, 24, 3, 2, false, false], [3, 24, 3, 1, false, false],
  [3, 40, 'k', 2, true, false], [3, 40, 'k', 1, true, false], [3, 40, 'k', 1, true, false],
  [6, 80, 3, 2, false, true], [2.5, 80, 3, 1, false, true], [2.3, 80, 3, 1, false, true], [2.3, 80, 3, 1, false, true],
  [6, 112, 3, 1, true, true], [6, 112, 3, 1, true, true], [6, 160, 'k', 2, true, true], [6, 160, 'k', 1, true, true],
  [6, 160, 'k', 1, true, true],
];

function build(owner: string, specs: Spec[], lastPoint: number, kerasName: string, opts: MobileNetV3Options): Model {
  const o = checkOptions(owner, opts, 32, null);
  const alpha = opts.alpha ?? 1;
  if (typeof alpha !== 'number' || !(alpha > 0)) throw new ValueError(`${owner}: 'alpha' must be a number > 0; got ${String(opts.alpha)}`);
  const dropoutRate = opts.dropoutRate ?? 0.2;
  if (typeof dropoutRate !== 'number' || !(dropoutRate >= 0 && dropoutRate < 1)) {
    throw new ValueError(`${owner}: 'dropoutRate' must be in [0, 1); got ${String(opts.dropoutRate)}`);
  }
  const minimalistic = opts.minimalistic ?? false;
  const auto = new AutoNames();
  const bn = (name: string) => new BatchNormalization({ epsilon: 1e-3, momentum: 0.999, name });
  const relu = (x: T) => ap(new ReLU({ name: auto.next('re_lu') }), x);
  const hardSwish = (x: T) => ap(new Activation({ activation: 'hard_silu', name: auto.next('activation') }), x);
  const act = minimalistic ? relu : hardSwish;
  const kernel = minimalistic ? 3 : 5;

  // Keras writes the gate as ReLU(6)(x + 3) / 6 (a ReLU layer between two ops); here it is
  // one weightless layer computing the same, under the ReLU's name.
  const seBlock = (inputs: T, filters: number, prefix: string): T => {
    let x = ap(new GlobalAveragePooling2D({ keepdims: true, name: `${prefix}squeeze_excite_avg_pool` }), inputs);
    x = ap(new Conv2D({ filters: makeDivisible(filters * 0.25, 8), kernelSize: 1, padding: 'same', name: `${prefix}squeeze_excite_conv` }), x);
    x = ap(new ReLU({ name: `${prefix}squeeze_excite_relu` }), x);
    x = ap(new Conv2D({ filters, kernelSize: 1, padding: 'same', name: `${prefix}squeeze_excite_conv_1` }), x);
    x = ap(new Activation({ activation: 'hard_sigmoid', name: auto.next('re_lu') }), x);
    return ap(multiply({ name: `${prefix}squeeze_excite_mul` }), [inputs, x]);
  };

  const block = (x: T, [expansion, f, k, stride, se, swish]: Spec, id: number): T => {
    const shortcut = x;
    const filters = makeDivisible(f * alpha, 8);
    const kernelSize = k === 'k' ? kernel : 3;
    const activation = swish && !minimalistic ? hardSwish : relu;
    const inFilters = x.shape[3]!;
    let prefix = 'expanded_conv_';
    if (id) {
      prefix = `expanded_conv_${id}_`;
      x = ap(new Conv2D({ filters: makeDivisible(inFilters * expansion, 8), kernelSize: 1, padding: 'same', useBias: false, name: `${prefix}expand` }), x);
      x = ap(bn(`${prefix}expand_bn`), x);
      x = activation(x);
    }
    if (stride === 2) x = ap(new ZeroPadding2D({ padding: correctPad(x, kernelSize), name: `${prefix}depthwise_pad` }), x);
    x = ap(new DepthwiseConv2D({ kernelSize, strides: stride, padding: stride === 1 ? 'same' : 'valid', useBias: false, name: `${prefix}depthwise` }), x);
    x = ap(bn(`${prefix}depthwise_bn`), x);
    x = activation(x);
    if (se && !minimalistic) x = seBlock(x, makeDivisible(inFilters * expansion, 8), prefix);
    x = ap(new Conv2D({ filters, kernelSize: 1, padding: 'same', useBias: false, name: `${prefix}project` }), x);
    x = ap(bn(`${prefix}project_bn`), x);
    if (stride === 1 && inFilters === filters) x = ap(add({ name: `${prefix}add` }), [shortcut, x]);
    return x;
  };

  const inp = imageInput(o);
  let x: T = inp;
  if (opts.includePreprocessing ?? true) x = ap(new Rescaling({ scale: 1 / 127.5, offset: -1, name: 'rescaling' }), x);
  x = ap(new Conv2D({ filters: 16, kernelSize: 3, strides: 2, padding: 'same', useBias: false, name: 'conv' }), x);
  x = ap(bn('conv_bn'), x);
  x = act(x);
  specs.forEach((spec, id) => {
    x = block(x, spec, id);
  });
  const lastConv = makeDivisible(x.shape[3]! * 6, 8);
  const point = alpha > 1 ? makeDivisible(lastPoint * alpha, 8) : lastPoint;
  x = ap(new Conv2D({ filters: lastConv, kernelSize: 1, padding: 'same', useBias: false, name: 'conv_1' }), x);
  x = ap(bn('conv_1_bn'), x);
  x = act(x);
  if (o.includeTop) {
    x = ap(new GlobalAveragePooling2D({ keepdims: true, name: 'global_average_pooling2d' }), x);
    x = ap(new Conv2D({ filters: point, kernelSize: 1, padding: 'same', useBias: true, name: 'conv_2' }), x);
    x = act(x);
    if (dropoutRate > 0) x = ap(new Dropout({ rate: dropoutRate, name: 'dropout' }), x);
    x = ap(new Conv2D({ filters: o.classes, kernelSize: 1, padding: 'same', name: 'logits' }), x);
    x = ap(new Flatten({ name: 'flatten' }), x);
    x = ap(new Activation({ activation: o.classifierActivation, name: 'predictions' }), x);
  } else if (o.pooling === 'avg') {
    x = ap(new GlobalAveragePooling2D({ name: 'avg_pool' }), x);
  } else if (o.pooling === 'max') {
    x = ap(new GlobalMaxPooling2D({ name: 'max_pool' }), x);
  }
  return modelOf(inp, x, opts.name ?? kerasName);
}

/**
 * MobileNetV3Small (Howard et al., 2019) as `keras.applications.MobileNetV3Small` builds it,
 * with its Rescaling layer in front (feed pixels in 0…255). Keras' squeeze-and-excitation
 * gate `ReLU(6)(x + 3) / 6` is one `Activation('hard_sigmoid')` layer here, under the ReLU's name.
 * @throws ValueError for bad options.
 */
export function buildMobileNetV3Small(opts: MobileNetV3Options = {}): Model {
  return build('mobileNetV3Small', SMALL, 1024, 'MobileNetV3Small', opts);
}

/** MobileNetV3Large, as {@link buildMobileNetV3Small} with Keras' large stack. */
export function buildMobileNetV3Large(opts: MobileNetV3Options = {}): Model {
  return build('mobileNetV3Large', LARGE, 1280, 'MobileNetV3Large', opts);
}
