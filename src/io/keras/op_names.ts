/**
 * Layer names a `.keras` file strata writes must avoid. strata writes no mask operations, so
 * Keras 3 recomputes the masks while it rebuilds the graph and names the operations it makes
 * itself: a Concatenate layer whose inputs carry masks adds a numpy `concatenate` operation
 * (then `concatenate_1`, …), and a layer already named so makes Keras refuse the file ("The
 * name 'concatenate' is used 2 times in the model"). Keras' own files never clash: its layers
 * took their names from the same counter, and its files spell the operations out.
 * @module
 */
import type { Layer } from '../../engine/layer.js';
import { Concatenate } from '../../layers/merge/concatenate.js';
import { MaskProbe } from './mask_probe.js';

/** The names Keras gives the numpy `concatenate` operations it makes. */
const OP_NAME = /^concatenate(_\d+)?$/;

/**
 * The names to write instead of some layers' own: when a Concatenate layer joins masked
 * tensors, each layer named like Keras' `concatenate` operations gets `_layer` added (made
 * unique). Empty when nothing would clash.
 */
export function keras3Renames(layers: readonly Layer[]): Map<Layer, string> {
  const renames = new Map<Layer, string>();
  const clashing = layers.filter((l) => OP_NAME.test(l.name));
  if (clashing.length === 0) return renames;
  const probe = new MaskProbe();
  const masked = layers.some((l) => l instanceof Concatenate && l.inboundNodes.some((n) => n.inputs.some((t) => probe.carried(t) !== null)));
  if (!masked) return renames;
  const taken = new Set(layers.map((l) => l.name));
  for (const l of clashing) {
    let name = `${l.name}_layer`;
    for (let k = 1; taken.has(name); k++) name = `${l.name}_layer_${k}`;
    taken.add(name);
    renames.set(l, name);
  }
  return renames;
}
