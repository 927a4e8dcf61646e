/**
 * `Conv3DBackpropInputV2` and `Conv3DBackpropFilterV2` for wasm, replacing the backend's
 * own, whose results are wrong (the input gradient fails `⟨dy, conv3d(x)⟩ = ⟨x, dx⟩` even
 * for one channel; the filter gradient for every stride above 1). Both go through one
 * matrix product with patches of the input, one row per output voxel: the input gradient
 * scatters `dy · Wᵀ` back onto the input, the filter gradient is `patchesᵀ · dy`.
 * @module
 */
import { tf } from '../tf.js';
import {
  alloc,
  f32,
  free,
  marked,
  matMul,
  requireFloat32,
  sizeOf,
  viewAs,
  wasmBackend,
  zeros,
  type Info,
  type KernelArgs,
} from './wasm_util.js';

type Conv3DInfo = tf.backend_util.Conv3DInfo;

/**
 * Visits every (output voxel, filter tap) pair in patch order: row `(b, od, oh, ow)`,
 * column `(fd, fh, fw, c)`. `patch` is the offset of the tap's channels in the patches;
 * `inside` is the input voxel's offset (times channels), or -1 for a tap in the padding.
 */
function forEachTap(info: Conv3DInfo, visit: (patch: number, inside: number) => void): void {
  const { batchSize, inDepth, inHeight, inWidth, inChannels: c, outDepth, outHeight, outWidth } = info;
  const { filterDepth: kd, filterHeight: kh, filterWidth: kw, strideDepth, strideHeight, strideWidth } = info;
  const { front, top, left } = info.padInfo;
  let o = 0;
  for (let b = 0; b < batchSize; b++) {
    for (let od = 0; od < outDepth; od++) {
      for (let oh = 0; oh < outHeight; oh++) {
        for (let ow = 0; ow < outWidth; ow++) {
          for (let fd = 0; fd < kd; fd++) {
            const id = od * strideDepth - front + fd;
            for (let fh = 0; fh < kh; fh++) {
              const ih = oh * strideHeight - top + fh;
              for (let fw = 0; fw < kw; fw++, o += c) {
                const iw = ow * strideWidth - left + fw;
                const outside = id < 0 || id >= inDepth || ih < 0 || ih >= inHeight || iw < 0 || iw >= inWidth;
                visit(o, outside ? -1 : (((b * inDepth + id) * inHeight + ih) * inWidth + iw) * c);
              }
            }
          }
        }
      }
    }
  }
}

/** Rows (output voxels) and columns (filter taps × input channels) of the patch matrix. */
function patchShape(info: Conv3DInfo): [number, number] {
  return [
    info.batchSize * info.outDepth * info.outHeight * info.outWidth,
    info.filterDepth * info.filterHeight * info.filterWidth * info.inChannels,
  ];
}

function conv3DBackpropInput(args: KernelArgs): Info {
  const backend = wasmBackend(args);
  const { dy, filter } = args.inputs as { dy: Info; filter: Info };
  const attrs = args.attrs as unknown as tf.Conv3DBackpropInputV2Attrs;
  requireFloat32('Conv3DBackpropInputV2', { dy, filter });
  const info = tf.backend_util.computeConv3DInfo(
    attrs.inputShape,
    filter.shape as [number, number, number, number, number],
    attrs.strides,
    1,
    attrs.pad,
  );
  const [rows, taps] = patchShape(info);
  if (sizeOf(attrs.inputShape) === 0 || rows === 0 || info.outChannels === 0) return zeros(backend, attrs.inputShape);
  const patches = matMul(backend, viewAs(dy, [rows, info.outChannels]), viewAs(filter, [taps, info.outChannels]), false, true);
  const out = zeros(backend, attrs.inputShape);
  const dx = f32(backend, out);
  const p = f32(backend, patches);
  const c = info.inChannels;
  forEachTap(info, (patch, inside) => {
    if (inside < 0) return;
    for (let ch = 0; ch < c; ch++) dx[inside + ch] += p[patch + ch];
  });
  free(backend, patches);
  return out;
}

function conv3DBackpropFilter(args: KernelArgs): Info {
  const backend = wasmBackend(args);
  const { x, dy } = args.inputs as { x: Info; dy: Info };
  const attrs = args.attrs as unknown as tf.Conv3DBackpropFilterV2Attrs;
  requireFloat32('Conv3DBackpropFilterV2', { x, dy });
  const info = tf.backend_util.computeConv3DInfo(
    x.shape as [number, number, number, number, number],
    attrs.filterShape,
    attrs.strides,
    1,
    attrs.pad,
  );
  const [rows, taps] = patchShape(info);
  if (rows === 0 || taps === 0 || info.outChannels === 0) return zeros(backend, attrs.filterShape);
  const patches = alloc(backend, [rows, taps]);
  const p = f32(backend, patches);
  const xv = f32(backend, x);
  const c = info.inChannels;
  forEachTap(info, (patch, inside) => {
    if (inside < 0) p.fill(0, patch, patch + c);
    else for (let ch = 0; ch < c; ch++) p[patch + ch] = xv[inside + ch];
  });
  const out = matMul(backend, patches, viewAs(dy, [rows, info.outChannels]), true, false);
  free(backend, patches);
  return { dataId: out.dataId, shape: attrs.filterShape, dtype: 'float32' };
}

/** Kernel config for `Conv3DBackpropInputV2` on wasm (replaces the backend's own). */
export const conv3DBackpropInputConfig: tf.KernelConfig = {
  kernelName: 'Conv3DBackpropInputV2',
  backendName: 'wasm',
  kernelFunc: marked(conv3DBackpropInput as unknown as tf.KernelFunc),
};

/** Kernel config for `Conv3DBackpropFilterV2` on wasm (replaces the backend's own). */
export const conv3DBackpropFilterConfig: tf.KernelConfig = {
  kernelName: 'Conv3DBackpropFilterV2',
  backendName: 'wasm',
  kernelFunc: marked(conv3DBackpropFilter as unknown as tf.KernelFunc),
};
