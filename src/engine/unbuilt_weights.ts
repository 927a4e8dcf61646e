import type { Layer } from './layer.js';
import type { LayerWeight } from './weight.js';

/**
 * Marks a weight list read from a layer that is not built yet (so it is empty or partial),
 * with the layer and how to read the list again once built: `checkGradients` uses it to
 * build the layer first instead of checking nothing.
 */
export const UNBUILT_WEIGHTS: unique symbol = Symbol('strata.unbuiltWeights');

/** What {@link UNBUILT_WEIGHTS} holds. */
export interface UnbuiltWeights {
  layer: Layer;
  read: (layer: Layer) => LayerWeight[];
}

/** Marks `list` with {@link UNBUILT_WEIGHTS} when `layer` is not built yet. */
export function markUnbuilt(layer: Layer, list: LayerWeight[], read: (layer: Layer) => LayerWeight[]): LayerWeight[] {
  if (!layer.built) Object.defineProperty(list, UNBUILT_WEIGHTS, { value: { layer, read } satisfies UnbuiltWeights });
  return list;
}
