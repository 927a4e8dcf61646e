/**
 * Gradients for dilated (atrous) `Conv2D` and `DepthwiseConv2dNative`. tfjs-core's own
 * gradients assert dilation 1, and the backprop kernels carry no dilation attribute
 * (`Conv2DBackpropFilter`) or ignore it (cpu `DepthwiseConv2dNativeBackpropFilter`).
 *
 * A dilated convolution equals an undilated one with the filter spread out by zeros
 * (tap `i` moved to `i·d`), including its padding, which tfjs computes from the effective
 * filter size. So the input gradient is the ordinary backprop with the spread filter, and
 * the filter gradient is the ordinary filter backprop for the spread shape, read at every
 * d-th tap. This runs on every backend; dilation 1 still goes to tfjs-core's gradients.
 * @module
 */
import { tf } from '../tf.js';
import { isMarked, marked } from './wasm_util.js';

type Pair = [number, number];

function pair(v: unknown): Pair {
  if (Array.isArray(v)) return [Number(v[0]), Number(v[1] ?? v[0])];
  const d = v == null ? 1 : Number(v);
  return [d, d];
}

/** Spreads a `[kH, kW, a, b]` filter to `[(kH-1)·dH+1, (kW-1)·dW+1, a, b]` with zeros between taps. */
export function spreadFilter(filter: tf.Tensor4D, [dh, dw]: Pair): tf.Tensor4D {
  return tf.tidy(() => {
    const [kh, kw, a, b] = filter.shape;
    let f: tf.Tensor4D = filter;
    if (dh > 1) {
      const rows = tf.pad(tf.reshape(f, [kh, 1, kw * a * b]), [[0, 0], [0, dh - 1], [0, 0]]);
      f = tf.slice(tf.reshape(rows, [kh * dh, kw, a, b]), [0, 0, 0, 0], [(kh - 1) * dh + 1, kw, a, b]) as tf.Tensor4D;
    }
    if (dw > 1) {
      const h = f.shape[0];
      const cols = tf.pad(tf.reshape(f, [h, kw, 1, a * b]), [[0, 0], [0, 0], [0, dw - 1], [0, 0]]);
      f = tf.slice(tf.reshape(cols, [h, kw * dw, a, b]), [0, 0, 0, 0], [h, (kw - 1) * dw + 1, a, b]) as tf.Tensor4D;
    }
    return f;
  });
}

/** Keeps every d-th tap of a spread filter gradient: the inverse of {@link spreadFilter}. */
export function gatherTaps(spread: tf.Tensor4D, [dh, dw]: Pair): tf.Tensor4D {
  return tf.stridedSlice(spread, [0, 0, 0, 0], spread.shape, [dh, dw, 1, 1]) as tf.Tensor4D;
}

function spreadShape(shape: number[], [dh, dw]: Pair): [number, number, number, number] {
  return [(shape[0]! - 1) * dh + 1, (shape[1]! - 1) * dw + 1, shape[2]!, shape[3]!];
}

function run(kernel: string, inputs: tf.NamedTensorMap, attrs: object): tf.Tensor4D {
  return tf.engine().runKernel(kernel, inputs, attrs as tf.NamedAttrMap) as tf.Tensor4D;
}

function conv2DGrad(original: tf.GradFunc): tf.GradFunc {
  return (dy, saved, attrs) => {
    const d = pair(attrs.dilations);
    if (d[0] === 1 && d[1] === 1) return original(dy, saved, attrs);
    const [x, filter] = saved as [tf.Tensor4D, tf.Tensor4D];
    const { strides, pad, dataFormat, dimRoundingMode } = attrs as unknown as tf.Conv2DAttrs;
    const common = { strides, pad, dataFormat, dimRoundingMode };
    return {
      x: () =>
        tf.tidy(() => run('Conv2DBackpropInput', { dy: dy as tf.Tensor, filter: spreadFilter(filter, d) }, { ...common, inputShape: x.shape })),
      filter: () =>
        tf.tidy(() =>
          gatherTaps(run('Conv2DBackpropFilter', { x, dy: dy as tf.Tensor }, { ...common, filterShape: spreadShape(filter.shape, d) }), d),
        ),
    };
  };
}

function depthwiseGrad(original: tf.GradFunc): tf.GradFunc {
  return (dy, saved, attrs) => {
    const d = pair(attrs.dilations);
    if (d[0] === 1 && d[1] === 1) return original(dy, saved, attrs);
    const [x, filter] = saved as [tf.Tensor4D, tf.Tensor4D];
    const { strides, pad, dimRoundingMode } = attrs as unknown as tf.DepthwiseConv2dNativeAttrs;
    const common = { strides, pad, dimRoundingMode, dilations: [1, 1] };
    return {
      x: () =>
        tf.tidy(() =>
          run('DepthwiseConv2dNativeBackpropInput', { dy: dy as tf.Tensor, filter: spreadFilter(filter, d) }, { ...common, inputShape: x.shape }),
        ),
      filter: () =>
        tf.tidy(() =>
          gatherTaps(
            run('DepthwiseConv2dNativeBackpropFilter', { x, dy: dy as tf.Tensor }, { ...common, filterShape: spreadShape(filter.shape, d) }),
            d,
          ),
        ),
    };
  };
}

function override(kernelName: string, wrap: (original: tf.GradFunc) => tf.GradFunc): void {
  const current = tf.getGradient(kernelName);
  if (!current || isMarked(current.gradFunc)) return;
  tf.registerGradient({ ...current, gradFunc: marked(wrap(current.gradFunc)) });
}

/**
 * Installs the dilation-aware gradients for `Conv2D` and `DepthwiseConv2dNative` (once;
 * later calls do nothing). Must run after tfjs-core's gradients are registered.
 */
export function registerDilatedConvGradients(): void {
  override('Conv2D', conv2DGrad);
  override('DepthwiseConv2dNative', depthwiseGrad);
}
