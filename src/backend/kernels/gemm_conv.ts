/**
 * The filter gradient of a stride-1 2-D convolution (NHWC, float32) as matrix products on
 * strata's loops, with no patch matrix. In an NHWC image the `kW·inC` inputs under one
 * filter row are contiguous, and moving one pixel right moves them by `inC` floats, so for
 * each filter row `ky`:
 *
 *   dW[ky, j, o] = Σ_p x[(p + ky·W)·inC + j] · dV[p, o]   (j < kW·inC)
 *
 * is a plain product (`Xᵀ_ky · dV`) whose reduction runs over every pixel `p` of the
 * (padded) input in order — a "virtual" output as wide as the input, with the output
 * gradient `dV` spread onto it and zeros where the filter would wrap past the right or
 * bottom edge. The reduction skips each image's last `kH − 1` rows (segments of the product)
 * and, where the product's rows (`kW·inC`) and columns (`outC`) are multiples of 4, the
 * `kW − 1` virtual pixels at the end of each row (runs within the segments); elsewhere the
 * work wasted is about `W / outW`. The choice of shapes still weighs `W·H / (outW·outH)`
 * (measured that way) and declines those where it is large. Summing the real rows only took
 * the bench CNN's second layer's filter gradient from 9.7 to 7.6 ms on two threads and 17.4 to
 * 15.3 on one; skipping the virtual pixels of each row too, 7.2 → 5.7 and 14.0 → 11.3 ms
 * (bit for bit the same result: only products with zeros are left out), the CNN's step 3 %
 * faster on two threads (paired runs).
 *
 * The forward convolution can be written the same way; on the 2-core machine it lost to
 * XNNPACK's end to end (2,100–2,450 against 2,650–2,950 samples/s on the bench CNN), so
 * forward convolutions stay on the backend.
 * @module
 */
import { hasSimdGemm, sharedCall, stridedProduct } from './gemm.js';
import { CALL_SPREAD } from './pool_calls.js';
import type { ConvGeometry } from './im2col.js';
import { alloc, f32, free, heapOffset, sizeOf, zeroFill, type Info, type WasmBackend } from './wasm_util.js';

/** The padded input's size and the convolution's, all stride 1 and dilation 1. */
export interface VirtualConv {
  batch: number;
  /** Padded input height and width. */
  h: number;
  w: number;
  inC: number;
  kH: number;
  kW: number;
  outC: number;
  outH: number;
  outW: number;
  /** Padding: top, bottom, left, right. */
  pad: [number, number, number, number];
}

/** The largest waste accepted for the filter gradient (it still beats the swapped XNNPACK convolution there). */
export const MAX_WASTE_GRADIENT = 2;

/** The virtual-output form of a convolution's geometry; undefined unless stride 1, dilation 1 and non-negative padding. */
export function virtualOf(g: ConvGeometry): VirtualConv | undefined {
  if (g.strideH !== 1 || g.strideW !== 1 || g.dilH !== 1 || g.dilW !== 1) return undefined;
  const h = g.outH + g.kH - 1;
  const w = g.outW + g.kW - 1;
  const bottom = h - g.inH - g.padTop;
  const right = w - g.inW - g.padLeft;
  if (Math.min(g.padTop, g.padLeft, bottom, right) < 0) return undefined;
  return { batch: g.batch, h, w, inC: g.inC, kH: g.kH, kW: g.kW, outC: g.outC, outH: g.outH, outW: g.outW, pad: [g.padTop, bottom, g.padLeft, right] };
}

/** Rows of the virtual output: up to the last real output pixel. */
function virtualRows(g: VirtualConv): number {
  return ((g.batch - 1) * g.h + g.outH - 1) * g.w + g.outW;
}

/** Whether the virtual-output convolution suits this shape on this backend, wasting at most `maxWaste`. */
export function suitsVirtualConv(backend: WasmBackend, g: VirtualConv | undefined, maxWaste: number): g is VirtualConv {
  if (!g || g.batch * g.outH * g.outW * g.outC * g.inC === 0) return false;
  if ((g.h * g.w) / (g.outH * g.outW) > maxWaste) return false;
  return hasSimdGemm(backend);
}

/** `x` `[batch, inH, inW, c]` zero-padded to `[batch, g.h, g.w, c]`; `x` itself without padding. */
function padded(backend: WasmBackend, x: Info, g: VirtualConv): Info {
  const [top, , left] = g.pad;
  if (g.pad.every((p) => p === 0)) return x;
  const out = alloc(backend, [g.batch, g.h, g.w, g.inC]);
  const inH = x.shape[1]!;
  const inW = x.shape[2]!;
  const row = inW * g.inC;
  zeroFill(backend, out);
  const dst = f32(backend, out);
  const src = f32(backend, x);
  for (let b = 0; b < g.batch; b++) {
    for (let y = 0; y < inH; y++) {
      const from = (b * inH + y) * row;
      dst.set(src.subarray(from, from + row), ((b * g.h + y + top) * g.w + left) * g.inC);
    }
  }
  return out;
}

/** The filter gradient `[kH, kW, inC, outC]` of the convolution of `x` described by `g`, for its output gradient `dy` `[batch, outH, outW, outC]`. */
export function virtualConvFilterGrad(backend: WasmBackend, x: Info, dy: Info, g: VirtualConv): Info {
  const xp = padded(backend, x, g);
  const rows = virtualRows(g);
  // Whole images (the product reads the first `rows`), so every image spreads alike.
  const dv = alloc(backend, [g.batch * g.h * g.w, g.outC]);
  const run = g.outW * g.outC * 4;
  const rowBytes = g.w * g.outC * 4;
  const spread = [heapOffset(backend, dy), heapOffset(backend, dv), g.outH, run, rowBytes, (g.h - g.outH) * rowBytes];
  if (!sharedCall(backend, CALL_SPREAD, spread, [g.outH * run, g.h * rowBytes, 0, 0, 0, 0], g.batch, 8 * sizeOf(dv.shape))) {
    zeroFill(backend, dv);
    const dst = f32(backend, dv);
    const src = f32(backend, dy);
    for (let b = 0; b < g.batch; b++) {
      for (let y = 0; y < g.outH; y++) {
        const from = (b * g.outH + y) * (run / 4);
        dst.set(src.subarray(from, from + run / 4), (b * g.h + y) * (rowBytes / 4));
      }
    }
  }
  const span = g.kW * g.inC;
  const out = alloc(backend, [g.kH, g.kW, g.inC, g.outC]);
  const [px, pd, po] = [heapOffset(backend, xp), heapOffset(backend, dv), heapOffset(backend, out)];
  // dW[ky] (span × outC) = X_kyᵀ · dV for every filter row ky: A(i, p) = x[(p + ky·w)·inC + i],
  // read transposed; the rows are batches of one call, so a split product reads dV once.
  // Only the real output rows of each image are summed: the padded image's last `kH − 1`
  // rows hold zeros of dV (the virtual pixels between rows still do).
  const segments = { length: (g.outH - 1) * g.w + g.outW, stride: g.h * g.w, rows: { length: g.outW, stride: g.w } };
  stridedProduct(backend, false, px, pd, po, span, rows, g.outC, 4, 4 * g.inC, 4 * g.outC, 4 * g.outC, g.kH, 4 * g.w * g.inC, 4 * span * g.outC, segments);
  if (xp !== x) free(backend, xp);
  free(backend, dv);
  return out;
}

