/**
 * Data for `adapt()`: what preprocessing layers learn their state from, given as one tensor
 * or as batches.
 * @module
 */
import type { tf } from '../../backend/tf.js';
import { ValueError } from '../../engine/errors.js';

/** One batch of adapt data: a tensor, or a dataset batch whose `xs` is a tensor. */
export type AdaptBatch = tf.Tensor | {
  /** The batch's inputs. */
  xs: tf.Tensor;
};

/** Data to adapt a layer to: all of it as one tensor, or an iterable of batches. */
export type AdaptData = tf.Tensor | Iterable<AdaptBatch>;

/** Data to adapt a layer to batch by batch, possibly asynchronously (a `Dataset`). */
export type AsyncAdaptData = AdaptData | AsyncIterable<AdaptBatch>;

/** A layer that learns state from data before training, as Keras' `adapt`. */
export interface Adaptable {
  /** Computes the layer's state from `data` (a tensor or batches); returns the layer. */
  adapt(data: AdaptData): this;
  /** As `adapt`, for asynchronous iterables such as datasets. */
  adaptAsync(data: AsyncAdaptData): Promise<this>;
}

/** The tensor of one batch. @throws ValueError naming `owner` when it is neither form. */
export function batchTensor(b: AdaptBatch, owner: string): tf.Tensor {
  const t = isTensorLike(b) ? b : (b as { xs?: unknown })?.xs;
  if (!isTensorLike(t)) {
    throw new ValueError(`${owner}: adapt() expected a tensor or batches of tensors ({ xs } batches included); got ${describe(b)}`);
  }
  return t;
}

/** True for a tfjs tensor (checked by shape, so tensors of another tfjs copy count). */
export function isTensorLike(v: unknown): v is tf.Tensor {
  return typeof v === 'object' && v !== null && Array.isArray((v as tf.Tensor).shape) && typeof (v as tf.Tensor).dtype === 'string'
    && typeof (v as tf.Tensor).dataSync === 'function';
}

function describe(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  if (typeof v === 'object') return `an object with keys [${Object.keys(v).join(', ')}]`;
  return typeof v;
}
