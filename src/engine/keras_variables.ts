import type { LayerWeight } from './weight.js';

/**
 * Where Keras 3 keeps a layer's variables: the object's own variables, in Keras' order, and
 * named child objects that hold theirs (an RNN's `cell`, a wrapper's `layer`,
 * Bidirectional's `forward_layer` / `backward_layer`). Keras weight files store an object's
 * variables at `<path>/vars/<i>` and a child's at `<path>/<child>/vars/<i>`.
 */
export interface KerasVariables {
  /** The object's own variables, in Keras' order (`vars/0`, `vars/1`, …). */
  vars: LayerWeight[];
  /** Child objects by their Keras attribute name, in the order Keras tracks them. */
  children?: [name: string, tree: KerasVariables][];
}

/** Trainable ones first, each group in the order given: how Keras lists a layer's variables. */
export function trainableFirst(ws: readonly LayerWeight[]): LayerWeight[] {
  return [...ws.filter((w) => w.trainableByKind), ...ws.filter((w) => !w.trainableByKind)];
}

/** Every variable of the tree, the object's own before its children's, depth first. */
export function flattenKerasVariables(tree: KerasVariables): LayerWeight[] {
  return [...tree.vars, ...(tree.children ?? []).flatMap(([, t]) => flattenKerasVariables(t))];
}

/**
 * The variables in the order Keras lists a layer's weights (`layer.weights`,
 * `get_weights()`, legacy `.h5` `weight_names`): trainable ones first, then the rest, each
 * in tree order.
 */
export function kerasWeightList(tree: KerasVariables): LayerWeight[] {
  return trainableFirst(flattenKerasVariables(tree));
}
