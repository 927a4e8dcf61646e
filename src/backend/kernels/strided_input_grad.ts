/**
 * The input gradient of a strided convolution as one stride-1 XNNPACK convolution per output
 * phase. With stride `s`, the input rows `iy` with `(iy + padTop) mod s = p` receive only the
 * filter rows `p, p + s, p + 2s, …`, each from one output row: for that phase the gradient is
 * a stride-1 convolution of `dy` with those filter taps, flipped. Nothing is multiplied by
 * the zeros a dilated `dy` would hold, and no patch matrix is built (the col2im form builds
 * `[batch·outH·outW, kH·kW·inC]` and scatters it back on one thread).
 * @module
 */
import type { tf } from '../tf.js';
import type { ConvGeometry } from './im2col.js';
import { alloc, f32, free, runKernel, zeros, type Info, type WasmBackend } from './wasm_util.js';

/** One axis of one phase: the taps it takes and the input positions it writes. */
interface PhaseAxis {
  /** Filter taps in the phase, `first + stride·j`. */
  taps: number;
  first: number;
  /** Input positions written: `stride·(q0 + o) + first − pad` for `o < count`. */
  q0: number;
  count: number;
  /** Padding of `dy` for the stride-1 convolution. */
  before: number;
  after: number;
}

function phaseAxis(first: number, stride: number, k: number, pad: number, inSize: number, outSize: number): PhaseAxis | null {
  const taps = first < k ? Math.ceil((k - first) / stride) : 0;
  const q0 = Math.ceil((pad - first) / stride);
  const count = Math.floor((inSize - 1 + pad - first) / stride) - q0 + 1;
  const before = taps - 1 - q0;
  const after = count + taps - 1 - outSize - before;
  if (taps > 0 && count > 0 && (before < 0 || after < 0)) return null;
  return { taps, first, q0, count, before, after };
}

/** `[ty, tx, outC, inC]`: the phase's taps of `[kH, kW, inC, outC]`, flipped in space. */
function phaseFilter(backend: WasmBackend, filter: Info, g: ConvGeometry, y: PhaseAxis, x: PhaseAxis): Info {
  const out = alloc(backend, [y.taps, x.taps, g.outC, g.inC]);
  const w = f32(backend, filter);
  const o = f32(backend, out);
  for (let jy = 0; jy < y.taps; jy++) {
    for (let jx = 0; jx < x.taps; jx++) {
      const ky = y.first + g.strideH * (y.taps - 1 - jy);
      const kx = x.first + g.strideW * (x.taps - 1 - jx);
      const src = (ky * g.kW + kx) * g.inC * g.outC;
      const dst = (jy * x.taps + jx) * g.outC * g.inC;
      for (let ci = 0; ci < g.inC; ci++) {
        for (let co = 0; co < g.outC; co++) o[dst + co * g.inC + ci] = w[src + ci * g.outC + co]!;
      }
    }
  }
  return out;
}

/**
 * `dx` `[batch, inH, inW, inC]` of an NHWC convolution with dilation 1 and a stride above 1,
 * from `dy` and the filter; null where a phase would need negative padding (the caller then
 * takes another route).
 */
export function inputGradByPhases(backend: WasmBackend, dy: Info, filter: Info, g: ConvGeometry, inputShape: number[]): Info | null {
  const ys: PhaseAxis[] = [];
  const xs: PhaseAxis[] = [];
  for (let p = 0; p < g.strideH; p++) {
    const a = phaseAxis(p, g.strideH, g.kH, g.padTop, g.inH, g.outH);
    if (!a) return null;
    ys.push(a);
  }
  for (let p = 0; p < g.strideW; p++) {
    const a = phaseAxis(p, g.strideW, g.kW, g.padLeft, g.inW, g.outW);
    if (!a) return null;
    xs.push(a);
  }
  const dx = zeros(backend, inputShape);
  try {
    for (const y of ys) for (const x of xs) addPhase(backend, dy, filter, g, y, x, dx);
  } catch (e) {
    free(backend, dx);
    throw e;
  }
  return dx;
}

/** Adds the phase `(y, x)` of the input gradient into `dx`. */
function addPhase(backend: WasmBackend, dy: Info, filter: Info, g: ConvGeometry, y: PhaseAxis, x: PhaseAxis, dx: Info): void {
  if (y.taps === 0 || x.taps === 0 || y.count <= 0 || x.count <= 0) return;
  const w = phaseFilter(backend, filter, g, y, x);
  let part: Info;
  try {
    part = runKernel(backend, 'Conv2D', { x: dy, filter: w }, {
      strides: [1, 1], dilations: [1, 1], dataFormat: 'NHWC',
      pad: [[0, 0], [y.before, y.after], [x.before, x.after], [0, 0]],
    } as unknown as tf.NamedAttrMap);
  } finally {
    free(backend, w);
  }
  // Rows and columns of the phase into their places in dx.
  const [src, dst] = [f32(backend, part), f32(backend, dx)];
  for (let b = 0; b < g.batch; b++) {
    for (let oy = 0; oy < y.count; oy++) {
      const iy = g.strideH * (y.q0 + oy) + y.first - g.padTop;
      for (let ox = 0; ox < x.count; ox++) {
        const ix = g.strideW * (x.q0 + ox) + x.first - g.padLeft;
        const from = ((b * y.count + oy) * x.count + ox) * g.inC;
        dst.set(src.subarray(from, from + g.inC), ((b * g.inH + iy) * g.inW + ix) * g.inC);
      }
    }
  }
  free(backend, part);
}
