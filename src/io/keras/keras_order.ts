/**
 * The order Keras 3 gives a functional model's layers (`model.layers`): by depth, the
 * layers farthest from the outputs first, ties broken by the order a depth-first walk
 * from the outputs first meets them. Keras 3 `.weights.h5` files name their groups after
 * this order (`layers/conv2d_3` is the fourth Conv2D), so loading one needs it.
 * @module
 */
import type { Layer } from '../../engine/layer.js';
import type { GraphNode } from '../../engine/symbolic.js';
import { FunctionalNetwork } from '../../models/functional.js';
import type { Network } from '../../models/network.js';

/** `model.layers` as Keras 3 would list them for the same graph; a Sequential model's own order. */
export function kerasLayerOrder(model: Network): Layer[] {
  if (!(model instanceof FunctionalNetwork)) return model.layers;
  const finished = new Set<GraphNode>();
  const post: GraphNode[] = [];
  const firstSeen = new Map<Layer, number>();
  const inputNodes = new Set(model.inputs.map((t) => t.node));
  // Keras' _build_map: pre-order indices per layer, post-order list of nodes.
  const visit = (node: GraphNode): void => {
    if (finished.has(node)) return;
    const layer = node.layer as Layer;
    if (!firstSeen.has(layer)) firstSeen.set(layer, firstSeen.size);
    if (!inputNodes.has(node)) for (const t of node.inputs) visit(t.node);
    finished.add(node);
    post.push(node);
  };
  for (const t of model.outputs) visit(t.node);
  // Keras' map_graph: a node's depth is one more than the deepest node it feeds.
  const nodeDepth = new Map<GraphNode, number>();
  const layerDepth = new Map<Layer, number>();
  for (let i = post.length - 1; i >= 0; i--) {
    const node = post[i]!;
    const layer = node.layer as Layer;
    const depth = Math.max(nodeDepth.get(node) ?? 0, layerDepth.get(layer) ?? 0);
    nodeDepth.set(node, depth);
    layerDepth.set(layer, depth);
    for (const t of node.inputs) nodeDepth.set(t.node, Math.max(depth + 1, nodeDepth.get(t.node) ?? 0));
  }
  return [...layerDepth.keys()].sort((a, b) => layerDepth.get(b)! - layerDepth.get(a)! || firstSeen.get(a)! - firstSeen.get(b)!);
}
