/**
 * Which padding mask strata carries on a symbolic tensor, found by probing: every tensor a
 * mask is made from (the tokens of an `Embedding(mask_zero=True)`, the data of a `Masking`)
 * gets a pseudo-random pattern of kept steps, and each layer's own `computeMask` carries the
 * patterns on, on zero data, exactly as a functional model carries masks when it runs. Keras
 * 3 files spell the same masks out as operations (see mask_args.ts); evaluated on the same
 * patterns, the two must agree.
 * @module
 */
import { tf } from '../../backend/tf.js';
import type { Layer } from '../../engine/layer.js';
import type { Mask } from '../../engine/mask.js';
import type { SymbolicTensor } from '../../engine/symbolic.js';
import { Embedding } from '../../layers/core/embedding.js';
import { InputLayer } from '../../layers/core/input.js';
import { Masking } from '../../layers/core/masking.js';

/** A mask evaluated on the probe: its shape (batch first) and values, row-major. */
export interface ProbeMask {
  /** `[rows, steps, …]`. */
  shape: number[];
  /** True on real steps, row-major. */
  values: boolean[];
}

/** Rows of the probe batch: enough that two different masks almost surely differ somewhere. */
export const PROBE_ROWS = 8;

/** Steps of a time axis whose length the graph leaves open. */
const FREE_STEPS = 5;

/** What {@link MaskProbe.carried} finds: a mask, none, or `'unknown'` when probing cannot tell. */
export type Carried = ProbeMask | null | 'unknown';

/** A bit of a well-mixed hash of three small integers. */
function bit(a: number, b: number, c: number): boolean {
  let h = Math.imul(a + 1, 0x9e3779b1) ^ Math.imul(b + 1, 0x85ebca77) ^ Math.imul(c + 1, 0xc2b2ae3d);
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
  return ((h ^ (h >>> 13)) & 0x100) !== 0;
}

/** The length of a tensor's time axis (axis 1) on the probe. */
export function probeSteps(t: SymbolicTensor): number {
  return t.shape[1] ?? FREE_STEPS;
}

/** A tensor's shape on the probe: {@link PROBE_ROWS} rows, {@link probeSteps} steps, other open sizes 1. */
export function probeShape(t: SymbolicTensor): number[] {
  return t.shape.map((d, a) => (a === 0 ? PROBE_ROWS : a === 1 ? probeSteps(t) : d ?? 1));
}

/** Probes the masks strata carries through one functional graph while it is being built. */
export class MaskProbe {
  private readonly sources = new Map<SymbolicTensor, Map<number, ProbeMask>>();
  private readonly memo = new Map<SymbolicTensor, Carried>();

  /**
   * The probe's mask `[rows, steps]` of "steps of `t` that differ from `value`": each source
   * (tensor and value) gets its own pattern, the same every time it is asked for.
   */
  source(t: SymbolicTensor, value: number): ProbeMask {
    let byValue = this.sources.get(t);
    if (!byValue) this.sources.set(t, (byValue = new Map()));
    let m = byValue.get(value);
    if (!m) {
      const k = [...this.sources.values()].reduce((n, v) => n + v.size, 0);
      const steps = probeSteps(t);
      const values: boolean[] = [];
      for (let r = 0; r < PROBE_ROWS; r++) for (let s = 0; s < steps; s++) values.push(bit(k, r, s));
      m = { shape: [PROBE_ROWS, steps], values };
      byValue.set(value, m);
    }
    return m;
  }

  /** The mask strata carries on `t` on the probe. */
  carried(t: SymbolicTensor): Carried {
    if (!this.memo.has(t)) this.memo.set(t, this.compute(t));
    return this.memo.get(t)!;
  }

  private compute(t: SymbolicTensor): Carried {
    const node = t.node;
    const layer = node.layer as Layer;
    if (layer instanceof InputLayer) return null;
    const x = node.inputs[0];
    // The layers that make a mask from their data, rather than from their inputs' masks.
    if (layer instanceof Embedding && x) return !layer.maskZero ? null : x.shape.length === 2 ? this.source(x, 0) : 'unknown';
    if (layer instanceof Masking && x) return x.shape.length === 3 ? this.source(x, layer.maskValue) : 'unknown';
    const masks = node.inputs.map((i) => this.carried(i));
    if (masks.includes('unknown')) return 'unknown';
    // Only Embedding and Masking make a mask from nothing (so probing stays cheap where none flows).
    if (masks.every((m) => m === null)) return null;
    const given = masks as (ProbeMask | null)[];
    let result: Carried = 'unknown';
    tf.tidy(() => {
      const data = node.inputs.map((i, k) => {
        const m = given[k];
        const shape = m ? [PROBE_ROWS, m.shape[1]!, ...probeShape(i).slice(2)] : probeShape(i);
        return tf.zeros(shape, i.dtype);
      });
      const maskTensors = given.map((m) => (m ? tf.tensor(m.values.map(Number), m.shape, 'bool') : null));
      // As a functional model hands masks to a layer (models/functional.ts).
      const arg = !maskTensors.some((m) => m !== null) ? null : node.singleInput ? maskTensors[0]! : maskTensors;
      let out: Mask | (Mask | null)[] | null;
      try {
        out = layer.computeMask(node.singleInput ? data[0]! : data, arg);
      } catch {
        return;
      }
      const m = Array.isArray(out) ? (out[t.outputIndex] ?? null) : out;
      result = m === null ? null : { shape: m.shape, values: Array.from(m.dataSync(), (v) => v !== 0) };
    });
    return result;
  }
}

/** Whether two probe masks are the same (`null`: no mask). */
export function sameMask(a: ProbeMask | null, b: ProbeMask | null): boolean {
  if (a === null || b === null) return a === b;
  return a.shape.length === b.shape.length && a.shape.every((d, i) => d === b.shape[i]) && a.values.every((v, i) => v === b.values[i]);
}
