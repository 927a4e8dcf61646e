/**
 * Image helpers shared by the resizing, cropping and augmentation layers: option checks,
 * Keras' aspect-ratio crop box, and resizing as Keras 3 resizes (half-pixel centres).
 * @module
 */
import { tf } from '../../backend/tf.js';
import { ValueError } from '../../engine/errors.js';

/** How new pixel values are computed when an image is resized or transformed. */
export type ImageInterpolation = 'bilinear' | 'nearest';

/** Checks an interpolation name. @throws ValueError naming `owner`. */
export function checkInterpolation(v: unknown, owner: string): ImageInterpolation {
  const i = v ?? 'bilinear';
  if (i !== 'bilinear' && i !== 'nearest') {
    throw new ValueError(`${owner}: 'interpolation' must be 'bilinear' or 'nearest'; got ${JSON.stringify(v)}`);
  }
  return i;
}

/** Checks a positive integer size. @throws ValueError naming `owner` and `arg`. */
export function checkSize(v: unknown, owner: string, arg: string): number {
  if (!Number.isInteger(v) || (v as number) <= 0) {
    throw new ValueError(`${owner}: '${arg}' must be a positive integer; got ${JSON.stringify(v)}`);
  }
  return v as number;
}

/**
 * The largest centred box of the target aspect ratio inside an `h × w` image, as Keras
 * computes it: `[top, left, height, width]`.
 */
export function aspectCropBox(h: number, w: number, targetH: number, targetW: number): [number, number, number, number] {
  const ch = Math.max(Math.min(h, Math.trunc((w * targetH) / targetW)), 1);
  const cw = Math.max(Math.min(w, Math.trunc((h * targetW) / targetH)), 1);
  return [Math.trunc((h - ch) / 2), Math.trunc((w - cw) / 2), ch, cw];
}

/**
 * The `[out, in]` matrix that resizes one axis with half-pixel centres, as TensorFlow and
 * Keras 3 do: bilinear weights, or a one-hot pick of the nearest source pixel.
 */
export function resizeMatrix(inLen: number, outLen: number, interpolation: ImageInterpolation): Float32Array {
  const m = new Float32Array(outLen * inLen);
  const scale = inLen / outLen;
  for (let o = 0; o < outLen; o++) {
    if (interpolation === 'nearest') {
      m[o * inLen + Math.min(inLen - 1, Math.floor((o + 0.5) * scale))] = 1;
      continue;
    }
    const src = (o + 0.5) * scale - 0.5;
    const f = Math.floor(src);
    const lo = Math.max(f, 0);
    const hi = Math.min(Math.ceil(src), inLen - 1);
    const t = src - f;
    m[o * inLen + lo] += lo === hi ? 1 : 1 - t;
    if (lo !== hi) m[o * inLen + hi] += t;
  }
  return m;
}

/**
 * Resizes NHWC images to `[height, width]` with half-pixel centres (Keras 3, no antialias);
 * with `cropToAspectRatio` the largest centred box of the target ratio is cut out first.
 * It runs as two matrix products (rows, then columns) rather than tfjs' resize kernels,
 * whose gradients ignore half-pixel centres.
 */
export function resizeImages(
  x: tf.Tensor4D, height: number, width: number, interpolation: ImageInterpolation, cropToAspectRatio = false,
): tf.Tensor4D {
  let img = x;
  if (cropToAspectRatio) {
    const [top, left, ch, cw] = aspectCropBox(x.shape[1], x.shape[2], height, width);
    if (ch !== x.shape[1] || cw !== x.shape[2]) img = tf.slice(x, [0, top, left, 0], [-1, ch, cw, -1]);
  }
  const [n, h, w, c] = img.shape;
  if (h === height && w === width) return img;
  let y: tf.Tensor = img;
  if (h !== height) {
    const rows = tf.tensor2d(resizeMatrix(h, height, interpolation), [height, h]);
    const flat = tf.reshape(tf.transpose(y, [1, 0, 2, 3]), [h, n * w * c]);
    y = tf.transpose(tf.reshape(tf.matMul(rows, flat), [height, n, w, c]), [1, 0, 2, 3]);
  }
  if (w !== width) {
    const cols = tf.tensor2d(resizeMatrix(w, width, interpolation), [width, w]);
    const flat = tf.reshape(tf.transpose(y, [2, 0, 1, 3]), [w, n * height * c]);
    y = tf.transpose(tf.reshape(tf.matMul(cols, flat), [width, n, height, c]), [1, 2, 0, 3]);
  }
  return y as tf.Tensor4D;
}
