/**
 * The order in which Keras 3 lists a functional model's layers (`model.layers`): by depth
 * from the outputs, deepest first, ties broken by the order a depth-first walk back from
 * the outputs first meets them. Keras names the weight groups of a `.keras` file by
 * counting classes in this order, so a file strata writes must follow it.
 * @module
 */
import type { Layer } from '../../engine/layer.js';
import type { GraphNode } from '../../engine/symbolic.js';
import { InputLayer } from '../../layers/core/input.js';
import type { FunctionalNetwork } from '../../models/functional.js';

/** `model.layers` in Keras 3's order (the same set, possibly in another order). */
export function kerasLayerOrder(model: FunctionalNetwork): Layer[] {
  const finished = new Set<GraphNode>();
  const sorted: GraphNode[] = []; // inputs → outputs
  const firstSeen = new Map<Layer, number>();
  const visit = (node: GraphNode): void => {
    if (finished.has(node)) return;
    const layer = node.layer as Layer;
    if (!firstSeen.has(layer)) firstSeen.set(layer, firstSeen.size);
    if (!(layer instanceof InputLayer)) for (const t of node.inputs) visit(t.node);
    finished.add(node);
    sorted.push(node);
  };
  for (const t of model.outputs) visit(t.node);

  const nodeDepth = new Map<GraphNode, number>();
  const layerDepth = new Map<Layer, number>();
  const inGraph = new Set(sorted);
  for (let i = sorted.length - 1; i >= 0; i--) {
    const node = sorted[i]!;
    const layer = node.layer as Layer;
    let depth = nodeDepth.get(node) ?? 0;
    depth = Math.max(depth, layerDepth.get(layer) ?? 0);
    layerDepth.set(layer, depth);
    nodeDepth.set(node, depth);
    if (layer instanceof InputLayer) continue;
    for (const t of node.inputs) {
      if (!inGraph.has(t.node)) continue;
      nodeDepth.set(t.node, Math.max(depth + 1, nodeDepth.get(t.node) ?? 0));
    }
  }
  // Inputs no output depends on still belong to the model.
  for (const t of model.inputs) {
    const layer = t.node.layer as Layer;
    if (!layerDepth.has(layer)) {
      layerDepth.set(layer, 0);
      firstSeen.set(layer, -1);
    }
  }
  const ordered = [...layerDepth.keys()].sort((a, b) => layerDepth.get(b)! - layerDepth.get(a)! || firstSeen.get(a)! - firstSeen.get(b)!);
  // Layers strata lists that the walk did not reach keep their place at the end.
  const rest = model.layers.filter((l) => !layerDepth.has(l));
  return [...ordered, ...rest];
}
