import { ValueError } from '../engine/errors.js';
import type { Layer } from '../engine/layer.js';

/**
 * Chooses layers of a model for `freeze` / `unfreeze`:
 * - a name or list of names;
 * - `{ from, to }`: an inclusive range of names or indices (either end may be left out);
 * - a predicate `(layer, index) => boolean`;
 * - `{ fraction }`: the last fraction of the layers (`0.1` = "10 % trainable").
 */
export type LayerSelector =
  | string
  | string[]
  | {
      /** First layer chosen (name or index, negative from the end). Default the first. */
      from?: string | number;
      /** Last layer chosen, inclusive (name or index). Default the last. */
      to?: string | number;
    }
  | {
      /** Share of the layers chosen, from the top (input layers not counted), in [0, 1]. */
      fraction: number;
    }
  | ((layer: Layer, index: number) => boolean);

/** Resolves a selector against a model's layer list; throws naming unknown layers. */
export function selectLayers(layers: Layer[], selector: LayerSelector | undefined, owner: string): Layer[] {
  if (selector === undefined) return [...layers];
  const indexOf = (ref: string | number, arg: string): number => {
    if (typeof ref === 'number') {
      const i = ref < 0 ? layers.length + ref : ref;
      if (!Number.isInteger(i) || i < 0 || i >= layers.length) {
        throw new ValueError(`${owner}: '${arg}' index ${ref} is out of range; the model has ${layers.length} layers`);
      }
      return i;
    }
    const i = layers.findIndex((l) => l.name === ref);
    if (i < 0) throw new ValueError(`${owner}: no layer named '${ref}' for '${arg}'; layers are ${layers.map((l) => l.name).join(', ')}`);
    return i;
  };
  if (typeof selector === 'function') return layers.filter((l, i) => selector(l, i));
  if (typeof selector === 'string' || Array.isArray(selector)) {
    const names = typeof selector === 'string' ? [selector] : selector;
    return names.map((n) => layers[indexOf(n, 'name')]!);
  }
  if ('fraction' in selector) {
    const f = selector.fraction;
    if (typeof f !== 'number' || !(f >= 0 && f <= 1)) {
      throw new ValueError(`${owner}: 'fraction' must be a number in [0, 1]; got ${String(f)}`);
    }
    const candidates = layers.filter((l) => l.className !== 'InputLayer');
    const n = Math.ceil(f * candidates.length - 1e-9);
    return n === 0 ? [] : candidates.slice(-n);
  }
  const from = selector.from === undefined ? 0 : indexOf(selector.from, 'from');
  const to = selector.to === undefined ? layers.length - 1 : indexOf(selector.to, 'to');
  if (from > to) throw new ValueError(`${owner}: 'from' (${String(selector.from)}) comes after 'to' (${String(selector.to)})`);
  return layers.slice(from, to + 1);
}
