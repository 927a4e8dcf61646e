import { tf } from '../backend/tf.js';
import { ValueError } from '../engine/errors.js';
import type { Loss, TargetKind } from './loss.js';
import type { Dims } from './shapes.js';

/**
 * Shared plumbing of the built-in losses, and a base for custom ones: `call` checks shapes
 * (metadata only, no device read) and runs the math in a tidy; subclasses give the
 * per-sample math (`compute`) and the shape rule (`shapeRule`).
 */
export abstract class BaseLoss implements Loss {
  abstract readonly name: string;
  abstract readonly className: string;
  abstract readonly kind: TargetKind;

  /** Per-sample losses `[batch]`; inputs already shape-checked, float32 where it matters. */
  protected abstract compute(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor;
  /** Throws ShapeError when the shapes do not fit; `who` prefixes the message. */
  protected abstract shapeRule(yTrue: Dims, yPred: Dims, who: string): void;

  call(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    this.checkShapes(yTrue.shape, yPred.shape, this.name);
    return tf.tidy(() => this.compute(yTrue, yPred));
  }

  checkShapes(yTrueShape: number[], yPredShape: (number | null)[], owner: string): void {
    const who = owner === this.name ? `loss '${this.name}'` : `${owner}: loss '${this.name}'`;
    this.shapeRule(yTrueShape, yPredShape, who);
  }

  abstract getConfig(): Record<string, unknown>;
}

/** Validates a number option: finite and within [min, max] (`minOpen` excludes min). */
export function checkNumberOption(
  owner: string, key: string, value: unknown, min: number, max: number, minOpen = false,
): number {
  const ok = typeof value === 'number' && Number.isFinite(value) && (minOpen ? value > min : value >= min) && value <= max;
  if (!ok) {
    const range = `${minOpen ? '(' : '['}${min}, ${max === Infinity ? '∞)' : `${max}]`}`;
    throw new ValueError(`${owner}: '${key}' must be a number in ${range}; got ${String(value)}`);
  }
  return value;
}

/** Validates a boolean option. */
export function checkBoolOption(owner: string, key: string, value: unknown): boolean {
  if (typeof value !== 'boolean') {
    throw new ValueError(`${owner}: '${key}' must be true or false; got ${String(value)}`);
  }
  return value;
}

/** Validates an `axis` option: an integer (negative counts from the end). */
export function axisOption(owner: string, value: unknown): number {
  if (!(typeof value === 'number' && Number.isInteger(value))) {
    throw new ValueError(`${owner}: 'axis' must be an integer (negative counts from the last axis); got ${String(value)}`);
  }
  return value;
}
