/**
 * Wrappers around the wasm reductions (`Sum`, `Mean`, `Max`, `Min`, `Prod`). The backend
 * moves reduced axes innermost with a general N-d transpose, which is slow for rank 4
 * (bias gradients of convolutions reduce `[batch, h, w, c]` over the first three axes:
 * about 4× slower than the same data seen as `[batch·h·w, c]`). The wrappers merge
 * neighbouring axes that are all reduced or all kept before calling the original kernel,
 * so its transpose runs on at most three dimensions. A float32 `Sum` over the outer of two
 * (merged) axes, with a multiple of 4 columns, skips the transpose altogether: strata's SIMD
 * loop adds the rows in order.
 * @module
 */
import { tf } from '../tf.js';
import { simdColumnSum } from './elementwise.js';
import { viewAs, wasmBackend, type Info, type KernelArgs } from './wasm_util.js';

/** Reduction kernels the wrapper applies to. */
export const MERGED_REDUCTIONS: readonly string[] = ['Sum', 'Mean', 'Max', 'Min', 'Prod'];

// `Max` names its axes `reductionIndices`; the others call them `axis`.
function axisKey(kernelName: string): 'axis' | 'reductionIndices' {
  return kernelName === 'Max' ? 'reductionIndices' : 'axis';
}

/**
 * Groups runs of neighbouring axes that are all reduced or all kept. Returns the merged
 * shape and its reduced axes, or null when nothing merges.
 */
export function mergeReducedAxes(shape: readonly number[], axes: readonly number[]): [number[], number[]] | null {
  const reduced = new Set(axes.map((a) => (a < 0 ? a + shape.length : a)));
  const merged: number[] = [];
  const mergedAxes: number[] = [];
  for (let i = 0; i < shape.length; i++) {
    const isReduced = reduced.has(i);
    if (i > 0 && isReduced === reduced.has(i - 1)) {
      merged[merged.length - 1]! *= shape[i]!;
    } else {
      if (isReduced) mergedAxes.push(merged.length);
      merged.push(shape[i]!);
    }
  }
  return merged.length < shape.length ? [merged, mergedAxes] : null;
}

/** Wraps the function of reduction kernel `kernelName` so that it sees merged axes. */
export function withMergedAxes(kernelName: string, original: tf.KernelFunc): tf.KernelFunc {
  const key = axisKey(kernelName);
  const reduce = (args: KernelArgs) => {
    const { x } = args.inputs as { x: Info };
    const attrs = (args.attrs ?? {}) as Record<string, unknown>;
    const axes = tf.util.parseAxisParam(attrs[key] as number | number[], x.shape);
    const merged = mergeReducedAxes(x.shape, axes);
    const [shape, mergedAxes] = merged ?? [x.shape, axes];
    // A sum over the outer of two axes (a bias gradient): column sums, no transpose.
    const columns = kernelName === 'Sum' && shape.length === 2 && mergedAxes.length === 1 && mergedAxes[0] === 0
      ? simdColumnSum(wasmBackend(args), x, shape[0]!, shape[1]!)
      : undefined;
    if (!merged && !columns) return original(args as unknown as Parameters<tf.KernelFunc>[0]);
    const out = columns ?? original({
      inputs: { x: viewAs(x, shape) },
      backend: wasmBackend(args),
      attrs: { ...attrs, [key]: mergedAxes, keepDims: false } as tf.NamedAttrMap,
    }) as Info;
    const kept = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
    const outShape = attrs.keepDims ? kept : x.shape.filter((_, i) => !axes.includes(i));
    return { dataId: out.dataId, shape: outShape, dtype: out.dtype };
  };
  return reduce as unknown as tf.KernelFunc;
}
