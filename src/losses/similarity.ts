import { tf } from '../backend/tf.js';
import { BaseLoss, axisOption } from './base.js';
import { EPSILON } from './crossentropy.js';
import type { TargetKind } from './loss.js';
import { alignElementwise, asFloat, axisLast, checkAxis, checkElementwise, perSample, type Dims } from './shapes.js';

/**
 * Kullback-Leibler divergence `sum(t · log(t / p))` over the last axis, both clipped to
 * [1e-7, 1] (Keras `KLDivergence`). Targets and predictions are probability distributions.
 */
export class KLDivergence extends BaseLoss {
  readonly name = 'klDivergence';
  readonly className = 'KLDivergence';
  readonly kind: TargetKind = 'regression';

  protected compute(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    const t = tf.clipByValue(asFloat(alignElementwise(yTrue, yPred)), EPSILON, 1);
    const p = tf.clipByValue(asFloat(yPred), EPSILON, 1);
    const terms = tf.mul(t, tf.log(tf.div(t, p)));
    return perSample(terms.rank <= 1 ? terms : tf.sum(terms, -1));
  }

  protected shapeRule(yTrue: Dims, yPred: Dims, who: string): void {
    checkElementwise(yTrue, yPred, who);
  }

  getConfig(): Record<string, unknown> {
    return {};
  }
}

/** Options of {@link cosineSimilarity}. */
export interface CosineSimilarityOptions {
  /** The axis the vectors lie along (negative counts from the end). Default -1. */
  axis?: number;
}

/**
 * Cosine similarity loss `-sum(l2n(t) · l2n(p))` along `axis`, where
 * `l2n(x) = x / sqrt(max(sum(x²), 1e-12))` (Keras `CosineSimilarity`). -1 means the
 * vectors point the same way, 0 orthogonal (or a zero vector), +1 opposite.
 */
export class CosineSimilarity extends BaseLoss {
  readonly name = 'cosineSimilarity';
  readonly className = 'CosineSimilarity';
  readonly kind: TargetKind = 'regression';
  /** The axis the vectors lie along. */
  readonly axis: number;

  constructor(opts: CosineSimilarityOptions = {}) {
    super();
    this.axis = axisOption('cosineSimilarity', opts.axis ?? -1);
  }

  protected compute(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    const norm = (x: tf.Tensor): tf.Tensor => tf.mul(x, tf.rsqrt(tf.maximum(tf.sum(tf.square(x), -1, true), 1e-12)));
    const t = axisLast(asFloat(alignElementwise(yTrue, yPred)), this.axis);
    const p = axisLast(asFloat(yPred), this.axis);
    return perSample(tf.neg(tf.sum(tf.mul(norm(t), norm(p)), -1)));
  }

  protected shapeRule(yTrue: Dims, yPred: Dims, who: string): void {
    checkAxis(yPred, this.axis, who);
    checkElementwise(yTrue, yPred, who);
  }

  getConfig(): Record<string, unknown> {
    return { axis: this.axis };
  }
}

/** Kullback-Leibler divergence loss (Keras `kl_divergence`, alias `kld`). */
export function klDivergence(): KLDivergence {
  return new KLDivergence();
}

/**
 * Cosine similarity loss (Keras `cosine_similarity`); minimising it aligns the vectors.
 * @example `st.losses.cosineSimilarity({ axis: 1 })`
 */
export function cosineSimilarity(opts: CosineSimilarityOptions = {}): CosineSimilarity {
  return new CosineSimilarity(opts);
}
