import { Adam, type AdamOptions } from './adam.js';

/** Options of AdamW. */
export interface AdamWOptions extends AdamOptions {
  /**
   * Decoupled weight decay: each step first does `w -= learningRate * weightDecay * w`,
   * then the Adam update. Default 0.004.
   */
  weightDecay?: number;
}

/**
 * Adam with decoupled weight decay (Loshchilov & Hutter), Keras semantics:
 * `w -= lr * weightDecay * w`, then the Adam update with the same `lr`.
 */
export class AdamW extends Adam {
  override readonly className: string = 'AdamW';

  constructor(opts?: AdamWOptions) {
    super(opts, 'AdamW', [], 0.004);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), weightDecay: this.weightDecay };
  }
}

/**
 * AdamW: Adam with decoupled weight decay (default `weightDecay` 0.004).
 * @example
 * ```ts
 * const opt = st.optimizers.adamw({ learningRate: 1e-3, weightDecay: 0.01 });
 * ```
 */
export function adamw(opts?: AdamWOptions): AdamW {
  return new AdamW(opts);
}
