import { tf } from '../../backend/tf.js';
import { ShapeError, ValueError } from '../../engine/errors.js';

/** Evaluates a model on an input whose feature groups are switched between the explained sample and reference rows. */
export interface MaskedModel {
  /** Number of feature groups (players). */
  readonly groups: number;
  /** Model outputs per sample. */
  readonly outputs: number;
  /**
   * For each 0/1 row of `masks` (`count × groups`), the model's output averaged over the
   * reference rows, with group g taken from the sample where the mask is 1 and from the
   * reference row where it is 0. Returns `count × outputs`, float64.
   */
  evaluate(masks: Uint8Array, count: number): Promise<Float64Array>;
}

/** Largest number of input values put in one model call. */
const CHUNK_VALUES = 1 << 22;

/** Checks a feature-group map: one non-negative integer id per input value, ids 0..g-1 all used. */
export function checkGroups(groups: ArrayLike<number> | undefined, d: number, owner: string): { ids: Int32Array; count: number } {
  if (groups === undefined) return { ids: Int32Array.from({ length: d }, (_, i) => i), count: d };
  if (groups.length !== d) throw new ShapeError(`${owner}: 'groups' must give a group for each of the sample's ${d} values; got ${groups.length}`);
  const ids = Int32Array.from(groups);
  let max = -1;
  for (const g of ids) {
    if (!Number.isInteger(g) || g < 0) throw new ValueError(`${owner}: 'groups' must hold integer ids ≥ 0; got ${g}`);
    if (g > max) max = g;
  }
  const seen = new Uint8Array(max + 1);
  for (const g of ids) seen[g] = 1;
  const missing = seen.indexOf(0);
  if (missing >= 0) throw new ValueError(`${owner}: 'groups' ids must be 0..${max} with none missing; ${missing} is not used`);
  return { ids, count: max + 1 };
}

/**
 * A masked model over one sample `x` (flat, `d` values, shaped `sampleShape`) and `nRef`
 * reference rows (flat, `nRef × d`).
 */
export function maskedModel(f: (x: tf.Tensor) => tf.Tensor2D, x: Float32Array, sampleShape: number[],
  reference: Float32Array, nRef: number, groups: { ids: Int32Array; count: number }, outputs: number): MaskedModel {
  const d = x.length;
  return {
    groups: groups.count,
    outputs,
    async evaluate(masks, count) {
      const m = groups.count;
      const result = new Float64Array(count * outputs);
      const perChunk = Math.max(1, Math.floor(CHUNK_VALUES / (nRef * d)));
      for (let c0 = 0; c0 < count; c0 += perChunk) {
        const cn = Math.min(perChunk, count - c0);
        const data = new Float32Array(cn * nRef * d);
        for (let c = 0; c < cn; c++) {
          const mask = masks.subarray((c0 + c) * m, (c0 + c + 1) * m);
          for (let j = 0; j < nRef; j++) {
            const off = (c * nRef + j) * d;
            const ref = j * d;
            for (let e = 0; e < d; e++) data[off + e] = mask[groups.ids[e]!] ? x[e]! : reference[ref + e]!;
          }
        }
        const out = tf.tidy(() => f(tf.tensor(data, [cn * nRef, ...sampleShape])));
        const vals = await out.data();
        out.dispose();
        for (let c = 0; c < cn; c++) {
          for (let k = 0; k < outputs; k++) {
            let s = 0;
            for (let j = 0; j < nRef; j++) s += vals[(c * nRef + j) * outputs + k]!;
            result[(c0 + c) * outputs + k] = s / nRef;
          }
        }
      }
      for (const v of result) {
        if (!Number.isFinite(v)) throw new ValueError('the model returned a non-finite output on a masked input; explanations need finite outputs');
      }
      return result;
    },
  };
}
