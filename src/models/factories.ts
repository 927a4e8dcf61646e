import { FunctionalNetwork, type FunctionalOptions } from './functional.js';
import { SequentialNetwork, type SequentialItem, type SequentialOptions } from './sequential.js';

/** Placeholder replaced by the training-aware factories below this line in the stack. */
export function sequential(items: SequentialItem[] = [], opts: SequentialOptions = {}): SequentialNetwork {
  return new SequentialNetwork(items, opts);
}
/** Placeholder replaced by the training-aware factories. */
export function model(opts: FunctionalOptions): FunctionalNetwork {
  return new FunctionalNetwork(opts);
}
