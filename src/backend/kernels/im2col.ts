/**
 * Patch extraction for NHWC convolutions: im2col (one row per output pixel) and col2im
 * (the scatter-add back).
 * @module
 */
import { tf } from '../tf.js';

/** Shape, stride, dilation and padding of one NHWC 2-D convolution. */
export interface ConvGeometry {
  batch: number;
  inH: number;
  inW: number;
  inC: number;
  outH: number;
  outW: number;
  outC: number;
  kH: number;
  kW: number;
  strideH: number;
  strideW: number;
  dilH: number;
  dilW: number;
  padTop: number;
  padLeft: number;
}

/** Geometry from tfjs's own convolution bookkeeping, so padding rules match every backend. */
export function geometryOf(info: tf.backend_util.Conv2DInfo): ConvGeometry {
  return {
    batch: info.batchSize,
    inH: info.inHeight,
    inW: info.inWidth,
    inC: info.inChannels,
    outH: info.outHeight,
    outW: info.outWidth,
    outC: info.outChannels,
    kH: info.filterHeight,
    kW: info.filterWidth,
    strideH: info.strideHeight,
    strideW: info.strideWidth,
    dilH: info.dilationHeight,
    dilW: info.dilationWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  };
}

/** Explicit NCHW padding `[[0,0],[0,0],[t,b],[l,r]]` in NHWC order; named paddings pass through. */
export function padToNHWC<P>(pad: P): P {
  if (!Array.isArray(pad)) return pad;
  const [n, c, h, w] = pad as unknown[];
  return [n, h, w, c] as P;
}

// Below this many floats a plain loop beats TypedArray.set/subarray (measured in Node 20).
const SET_MIN = 16;

function copyRun(src: Float32Array, s: number, dst: Float32Array, d: number, n: number): void {
  if (n >= SET_MIN) {
    dst.set(src.subarray(s, s + n), d);
  } else {
    for (let j = 0; j < n; j++) dst[d + j] = src[s + j];
  }
}

/**
 * Writes patches as rows: `cols[(b, oy, ox), (kh, kw, c)]`, zeros where a tap falls in
 * the padding. The column order matches a `[kH, kW, inC, outC]` filter seen as `[K, outC]`.
 */
export function im2col(x: Float32Array, g: ConvGeometry, cols: Float32Array): void {
  const { batch, inH, inW, inC, outH, outW, kH, kW, strideH, strideW, dilH, dilW, padTop, padLeft } = g;
  const run = kW * inC;
  let o = 0;
  for (let b = 0; b < batch; b++) {
    for (let oy = 0; oy < outH; oy++) {
      const iy0 = oy * strideH - padTop;
      for (let ox = 0; ox < outW; ox++) {
        const ix0 = ox * strideW - padLeft;
        const rowInside = ix0 >= 0 && ix0 + (kW - 1) * dilW < inW;
        for (let kh = 0; kh < kH; kh++) {
          const iy = iy0 + kh * dilH;
          if (iy < 0 || iy >= inH) {
            cols.fill(0, o, o + run);
            o += run;
            continue;
          }
          const rowBase = (b * inH + iy) * inW;
          if (rowInside && dilW === 1) {
            copyRun(x, (rowBase + ix0) * inC, cols, o, run);
            o += run;
            continue;
          }
          for (let kw = 0; kw < kW; kw++) {
            const ix = ix0 + kw * dilW;
            if (ix < 0 || ix >= inW) cols.fill(0, o, o + inC);
            else copyRun(x, (rowBase + ix) * inC, cols, o, inC);
            o += inC;
          }
        }
      }
    }
  }
}

/** Adds each patch row of `cols` back onto the input positions it came from; `dx` must start zeroed. */
export function col2im(cols: Float32Array, g: ConvGeometry, dx: Float32Array): void {
  const { batch, inH, inW, inC, outH, outW, kH, kW, strideH, strideW, dilH, dilW, padTop, padLeft } = g;
  const run = kW * inC;
  let o = 0;
  for (let b = 0; b < batch; b++) {
    for (let oy = 0; oy < outH; oy++) {
      const iy0 = oy * strideH - padTop;
      for (let ox = 0; ox < outW; ox++) {
        const ix0 = ox * strideW - padLeft;
        const rowInside = ix0 >= 0 && ix0 + (kW - 1) * dilW < inW;
        for (let kh = 0; kh < kH; kh++) {
          const iy = iy0 + kh * dilH;
          if (iy < 0 || iy >= inH) {
            o += run;
            continue;
          }
          const rowBase = (b * inH + iy) * inW;
          if (rowInside && dilW === 1) {
            let d = (rowBase + ix0) * inC;
            for (let j = 0; j < run; j++) dx[d++] += cols[o++];
            continue;
          }
          for (let kw = 0; kw < kW; kw++) {
            const ix = ix0 + kw * dilW;
            if (ix >= 0 && ix < inW) {
              let d = (rowBase + ix) * inC;
              for (let j = 0; j < inC; j++) dx[d++] += cols[o + j];
            }
            o += inC;
          }
        }
      }
    }
  }
}
