import { tf } from '../backend/tf.js';
import { ValueError } from './errors.js';

/** A serialized regularizer, in the Keras form. */
export interface RegularizerSpec {
  /** Keras class name (`L1L2`, `L1` or `L2`). */
  class_name: string;
  /** Its factors, `{ l1, l2 }`. */
  config: Record<string, unknown>;
}

/**
 * Adds `l1 · Σ|w| + l2 · Σw²` of a weight to the training loss. Layers expose these
 * penalties as their losses; `fit` adds them to the data loss.
 */
export class L1L2 {
  /** Keras class name. */
  readonly className = 'L1L2';
  /** L1 factor (≥ 0). */
  readonly l1: number;
  /** L2 factor (≥ 0). */
  readonly l2: number;
  constructor(opts: { l1?: number; l2?: number } = {}) {
    this.l1 = opts.l1 ?? 0;
    this.l2 = opts.l2 ?? 0;
    for (const k of ['l1', 'l2'] as const) {
      if (!(this[k] >= 0) || !Number.isFinite(this[k])) {
        throw new ValueError(`L1L2: '${k}' must be a finite number >= 0; got ${this[k]}`);
      }
    }
  }
  /** The penalty of `w` as a scalar tensor (the caller owns it). */
  apply(w: tf.Tensor): tf.Scalar {
    return tf.tidy(() => {
      let p: tf.Scalar = tf.scalar(0);
      if (this.l1 > 0) p = tf.add(p, tf.mul(this.l1, tf.sum(tf.abs(w))));
      if (this.l2 > 0) p = tf.add(p, tf.mul(this.l2, tf.sum(tf.square(w))));
      return p;
    });
  }
  /** Keras config keys. */
  getConfig(): Record<string, unknown> {
    return { l1: this.l1, l2: this.l2 };
  }
}

/** L1 penalty `l1 · Σ|w|`; `l1` defaults to 0.01 as in Keras. */
export function l1(opts: { l1?: number } = {}): L1L2 {
  return new L1L2({ l1: opts.l1 ?? 0.01 });
}
/** L2 penalty `l2 · Σw²`; `l2` defaults to 0.01 as in Keras. */
export function l2(opts: { l2?: number } = {}): L1L2 {
  return new L1L2({ l2: opts.l2 ?? 0.01 });
}
/** Both penalties; each factor defaults to 0.01. */
export function l1l2(opts: { l1?: number; l2?: number } = {}): L1L2 {
  return new L1L2({ l1: opts.l1 ?? 0.01, l2: opts.l2 ?? 0.01 });
}

/** A regularizer given as an instance, a name (`'l1'`, `'l2'`, `'l1l2'`) or a saved spec. */
export type RegularizerIdentifier = L1L2 | 'l1' | 'l2' | 'l1l2' | 'l1_l2' | RegularizerSpec;

/** Resolves a regularizer; `owner` and `arg` name the place for error messages. */
export function getRegularizer(id: RegularizerIdentifier, owner = 'regularizer', arg = 'regularizer'): L1L2 {
  if (id instanceof L1L2) return id;
  if (typeof id === 'string') {
    if (id === 'l1') return l1();
    if (id === 'l2') return l2();
    if (id === 'l1l2' || id === 'l1_l2') return l1l2();
  } else if (id && typeof id === 'object' && ['L1L2', 'L1', 'L2'].includes(id.class_name)) {
    const c = id.config ?? {};
    return new L1L2({ l1: Number(c.l1 ?? 0), l2: Number(c.l2 ?? 0) });
  }
  const name = typeof id === 'string' ? id : (id as RegularizerSpec | undefined)?.class_name;
  throw new ValueError(`${owner}: unknown ${arg} '${String(name)}'; expected l1, l2, l1l2 or an L1L2 instance`);
}

/** Serializes a regularizer to the Keras form. */
export function serializeRegularizer(r: L1L2): RegularizerSpec {
  return { class_name: r.className, config: r.getConfig() };
}
