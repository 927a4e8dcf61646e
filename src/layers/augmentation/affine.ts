/**
 * Affine image transforms for the augmentation layers: the 8-number matrices
 * `[a0, a1, a2, b0, b1, b2, 0, 0]` (an output pixel (x, y) reads the input at
 * `(a0·x + a1·y + a2, b0·x + b1·y + b2)`, as Keras and TensorFlow define them), and their
 * application through tfjs' `Transform` kernel with a gradient, which tfjs lacks.
 * @module
 */
import { tf } from '../../backend/tf.js';
import { ValueError } from '../../engine/errors.js';
import type { ImageInterpolation } from '../preprocessing/image_ops.js';

/** How points outside the image are filled: as Keras' `fill_mode`. */
export type FillMode = 'reflect' | 'wrap' | 'constant' | 'nearest';

/** Checks a fill mode. @throws ValueError naming `owner`. */
export function checkFillMode(v: unknown, owner: string): FillMode {
  const m = v ?? 'reflect';
  if (m !== 'reflect' && m !== 'wrap' && m !== 'constant' && m !== 'nearest') {
    throw new ValueError(`${owner}: 'fillMode' must be 'reflect', 'wrap', 'constant' or 'nearest'; got ${JSON.stringify(v)}`);
  }
  return m;
}

/** Rotations by `angles` (radians, counter-clockwise) about the image centre, one matrix per image. */
export function rotationMatrices(angles: Float32Array, h: number, w: number): Float32Array {
  const out = new Float32Array(angles.length * 8);
  const cx = 0.5 * (w - 1);
  const cy = 0.5 * (h - 1);
  angles.forEach((a, i) => {
    const c = Math.cos(a);
    const s = Math.sin(a);
    out.set([c, -s, cx - cx * c + cy * s, s, c, cy - cx * s - cy * c, 0, 0], i * 8);
  });
  return out;
}

/** Zooms about the centre: a factor above 1 shows more of the image (zooms out), below 1 less. */
export function zoomMatrices(heightZoom: Float32Array, widthZoom: Float32Array, h: number, w: number): Float32Array {
  const out = new Float32Array(heightZoom.length * 8);
  heightZoom.forEach((zy, i) => {
    const zx = widthZoom[i]!;
    out.set([zx, 0, ((w - 1) / 2) * (1 - zx), 0, zy, ((h - 1) / 2) * (1 - zy), 0, 0], i * 8);
  });
  return out;
}

/** Shifts by `dy` rows and `dx` columns (pixels; positive moves the content down and right). */
export function translationMatrices(dy: Float32Array, dx: Float32Array): Float32Array {
  const out = new Float32Array(dy.length * 8);
  dy.forEach((ty, i) => out.set([1, 0, -dx[i]!, 0, 1, -ty, 0, 0], i * 8));
  return out;
}

/** Maps source coordinates into the image as the Transform kernel does for `mode` (TensorFlow's rules). */
function mapCoord(c: tf.Tensor, len: number, mode: FillMode): tf.Tensor {
  if (mode === 'constant') return c;
  if (len <= 1) return tf.zerosLike(c);
  if (mode === 'nearest') return tf.clipByValue(c, 0, len - 1);
  const trunc = (t: tf.Tensor) => tf.mul(tf.sign(t), tf.floor(tf.abs(t)));
  let lowFix: tf.Tensor;
  let highFix: tf.Tensor;
  if (mode === 'reflect') {
    const sz2 = 2 * len;
    const l = tf.add(tf.mul(sz2, trunc(tf.div(tf.neg(c), sz2))), c);
    lowFix = tf.where(tf.less(l, -len), tf.add(l, sz2), tf.sub(tf.neg(l), 1));
    const hgh = tf.sub(c, tf.mul(sz2, trunc(tf.div(c, sz2))));
    highFix = tf.where(tf.greaterEqual(hgh, len), tf.sub(sz2 - 1, hgh), hgh);
  } else {
    const sz = len - 1;
    lowFix = tf.add(c, tf.mul(len, tf.add(trunc(tf.div(tf.neg(c), sz)), 1)));
    highFix = tf.sub(c, tf.mul(len, trunc(tf.div(c, sz))));
  }
  const mapped = tf.where(tf.less(c, 0), lowFix, tf.where(tf.greater(c, len - 1), highFix, c));
  return tf.clipByValue(mapped, 0, len - 1);
}

/**
 * Where each output pixel reads from: flat pixel indices into the `[n·h·w]` grid and their
 * weights, one pair per interpolation tap (4 for bilinear, 1 for nearest). Taps outside the
 * image get weight 0 (they read the fill value, which carries no gradient).
 */
function samplingTaps(
  transforms: tf.Tensor2D, n: number, h: number, w: number, interpolation: ImageInterpolation, fillMode: FillMode,
): { index: tf.Tensor; weight: tf.Tensor }[] {
  const m = tf.reshape(transforms, [n, 8, 1, 1]);
  const row = (k: number) => tf.reshape(tf.slice(m, [0, k, 0, 0], [n, 1, 1, 1]), [n, 1, 1]);
  const xs = tf.reshape(tf.range(0, w, 1, 'float32'), [1, 1, w]);
  const ys = tf.reshape(tf.range(0, h, 1, 'float32'), [1, h, 1]);
  // 'wrap' wraps each tap (below), as Keras' JAX backend does, not the coordinate.
  const coordMode = fillMode === 'wrap' ? 'constant' : fillMode;
  const inX = mapCoord(tf.add(tf.add(tf.mul(row(0), xs), tf.mul(row(1), ys)), row(2)), w, coordMode);
  const inY = mapCoord(tf.add(tf.add(tf.mul(row(3), xs), tf.mul(row(4), ys)), row(5)), h, coordMode);
  const base = tf.reshape(tf.mul(tf.range(0, n, 1, 'float32'), h * w), [n, 1, 1]);
  const wrap = (v: tf.Tensor, len: number) => tf.sub(v, tf.mul(len, tf.floor(tf.div(v, len))));
  const tap = (rawY: tf.Tensor, rawX: tf.Tensor, wt: tf.Tensor) => {
    const py = fillMode === 'wrap' ? wrap(rawY, h) : rawY;
    const px = fillMode === 'wrap' ? wrap(rawX, w) : rawX;
    const inside = tf.logicalAnd(tf.logicalAnd(tf.greaterEqual(py, 0), tf.less(py, h)), tf.logicalAnd(tf.greaterEqual(px, 0), tf.less(px, w)));
    const idx = tf.add(base, tf.add(tf.mul(py, w), px));
    return {
      index: tf.cast(tf.reshape(tf.where(inside, idx, tf.zerosLike(idx)), [-1]), 'int32'),
      weight: tf.reshape(tf.where(inside, tf.broadcastTo(wt, idx.shape), tf.zerosLike(idx)), [-1]),
    };
  };
  if (interpolation === 'nearest') {
    // Math.round semantics (half up), as the kernel rounds.
    return [tap(tf.floor(tf.add(inY, 0.5)), tf.floor(tf.add(inX, 0.5)), tf.onesLike(inX))];
  }
  const y0 = tf.floor(inY);
  const x0 = tf.floor(inX);
  const y1 = tf.add(y0, 1);
  const x1 = tf.add(x0, 1);
  const wy0 = tf.sub(y1, inY);
  const wy1 = tf.sub(inY, y0);
  const wx0 = tf.sub(x1, inX);
  const wx1 = tf.sub(inX, x0);
  return [
    tap(y0, x0, tf.mul(wy0, wx0)), tap(y0, x1, tf.mul(wy0, wx1)),
    tap(y1, x0, tf.mul(wy1, wx0)), tap(y1, x1, tf.mul(wy1, wx1)),
  ];
}

/**
 * The Transform kernel, image by image on the cpu backend, whose kernel fills every image
 * after the first with the fill value (tfjs-backend-cpu 4.x).
 */
function kernel(x: tf.Tensor4D, transforms: tf.Tensor2D, interpolation: ImageInterpolation, fillMode: FillMode, fillValue: number, out: [number, number]): tf.Tensor4D {
  const n = x.shape[0];
  if (n === 1 || tf.getBackend() !== 'cpu') return tf.image.transform(x, transforms, interpolation, fillMode, fillValue, out);
  const imgs = tf.split(x, n, 0) as tf.Tensor4D[];
  const ms = tf.split(transforms, n, 0) as tf.Tensor2D[];
  return tf.concat(imgs.map((img, i) => tf.image.transform(img, ms[i]!, interpolation, fillMode, fillValue, out)), 0) as tf.Tensor4D;
}

/**
 * Rows and columns the source points of `matrices` reach outside an `h × w` image, plus one
 * for the bilinear neighbour, capped at the image size: `[top, bottom, left, right]`. An
 * affine map reaches its extremes at the corners.
 */
function margins(matrices: Float32Array, h: number, w: number): [number, number, number, number] {
  let minX = 0;
  let maxX = w - 1;
  let minY = 0;
  let maxY = h - 1;
  for (let i = 0; i < matrices.length; i += 8) {
    for (const [x, y] of [[0, 0], [w - 1, 0], [0, h - 1], [w - 1, h - 1]] as const) {
      const sx = matrices[i]! * x + matrices[i + 1]! * y + matrices[i + 2]!;
      const sy = matrices[i + 3]! * x + matrices[i + 4]! * y + matrices[i + 5]!;
      minX = Math.min(minX, sx);
      maxX = Math.max(maxX, sx);
      minY = Math.min(minY, sy);
      maxY = Math.max(maxY, sy);
    }
  }
  const pad = (d: number, len: number) => (d <= 0 ? 0 : Math.min(len, Math.ceil(d) + 1));
  return [pad(-minY, h), pad(maxY - (h - 1), h), pad(-minX, w), pad(maxX - (w - 1), w)];
}

/** Pads NHWC images by `[top, bottom, left, right]`, wrapping around (each side from the opposite edge). */
function wrapPad(x: tf.Tensor4D, [t, b, l, r]: [number, number, number, number]): tf.Tensor4D {
  const [, h, w] = x.shape;
  const rows = tf.concat([tf.slice(x, [0, h - t, 0, 0], [-1, t, -1, -1]), x, tf.slice(x, [0, 0, 0, 0], [-1, b, -1, -1])], 1);
  return tf.concat([tf.slice(rows, [0, 0, w - l, 0], [-1, -1, l, -1]), rows, tf.slice(rows, [0, 0, 0, 0], [-1, -1, r, -1])], 2) as tf.Tensor4D;
}

/**
 * Runs the kernel. `'wrap'` follows Keras (each interpolation tap wraps with the image's
 * period) rather than the kernel's own wrap rule, and `'reflect'` avoids the wasm kernel's
 * reflect, which misplaces points left of or above the image (tfjs-backend-wasm 4.x): the
 * image is padded (wrapped, or mirrored) by as much as the matrices reach outside it, at
 * most one image size, and read with a constant fill beyond that.
 */
function transformKernel(x: tf.Tensor4D, matrices: Float32Array, interpolation: ImageInterpolation, fillMode: FillMode, fillValue: number): tf.Tensor4D {
  const [n, h, w] = x.shape;
  if (fillMode !== 'wrap' && fillMode !== 'reflect') {
    return kernel(x, tf.tensor2d(matrices, [n, 8]), interpolation, fillMode, fillValue, [h, w]);
  }
  const m = margins(matrices, h, w);
  if (m.every((p) => p === 0)) return kernel(x, tf.tensor2d(matrices, [n, 8]), interpolation, 'constant', fillValue, [h, w]);
  const [t, , l] = m;
  const padded = fillMode === 'wrap' ? wrapPad(x, m) : tf.mirrorPad(x, [[0, 0], [m[0], m[1]], [m[2], m[3]], [0, 0]], 'symmetric');
  const shifted = matrices.map((v, i) => (i % 8 === 2 ? v + l : i % 8 === 5 ? v + t : v));
  return kernel(padded, tf.tensor2d(shifted, [n, 8]), interpolation, 'constant', fillValue, [h, w]);
}

/**
 * Applies one affine matrix per image (`matrices`, `n · 8` numbers) to NHWC images. Differentiable
 * with respect to the images: the gradient scatters each output pixel's gradient back to the
 * input pixels it was interpolated from.
 */
export function affineTransform(
  x: tf.Tensor4D, matrices: Float32Array, interpolation: ImageInterpolation, fillMode: FillMode, fillValue: number,
): tf.Tensor4D {
  const transforms = tf.tensor2d(matrices, [x.shape[0], 8]);
  const [n, h, w, c] = x.shape;
  // The matrices go in as a second input and are saved, so they outlive the forward pass;
  // they get a zero gradient (nothing upstream depends on them).
  const f = tf.customGrad(((img: tf.Tensor, m: tf.Tensor, save: (ts: tf.Tensor[]) => void) => {
    save([m]);
    return {
      value: transformKernel(img as tf.Tensor4D, matrices, interpolation, fillMode, fillValue),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const taps = samplingTaps(saved[0] as tf.Tensor2D, n, h, w, interpolation, fillMode);
        const g = tf.reshape(dy, [n * h * w, c]);
        const indices = tf.reshape(tf.concat(taps.map((t) => t.index)), [-1, 1]);
        const updates = tf.concat(taps.map((t) => tf.mul(g, tf.reshape(t.weight, [-1, 1]))));
        return [tf.reshape(tf.scatterND(indices, updates, [n * h * w, c]), [n, h, w, c]), tf.zerosLike(saved[0]!)];
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return f(x, transforms) as tf.Tensor4D;
}
