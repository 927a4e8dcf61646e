import { StateError, ValueError } from '../../engine/errors.js';
import type { CallbackModel } from './callback.js';

type CallbackOptimizer = NonNullable<CallbackModel['optimizer']>;

/**
 * The model's optimizer, checked to have a plain-number learning rate that a callback
 * may set. A schedule object cannot be overwritten by a callback (as in Keras).
 */
export function settableOptimizer(model: CallbackModel | undefined, owner: string): CallbackOptimizer {
  const opt = model?.optimizer;
  if (!opt) throw new StateError(`${owner}: the model has no optimizer; compile it before training`);
  if (typeof opt.learningRate !== 'number') {
    const name = (opt.learningRate as { className?: string } | null)?.className ?? 'a schedule';
    throw new StateError(`${owner}: the optimizer's learningRate is ${name}, not a number; a callback cannot set it. Create the optimizer with a number learningRate`);
  }
  return opt;
}

/** Sets a new learning rate after checking it is a finite number >= 0. */
export function setLearningRate(opt: CallbackOptimizer, lr: number, owner: string): void {
  if (typeof lr !== 'number' || !Number.isFinite(lr) || lr < 0) {
    throw new ValueError(`${owner}: the new learning rate must be a finite number >= 0; got ${String(lr)}`);
  }
  opt.learningRate = lr;
}
