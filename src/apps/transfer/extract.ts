import { ValueError } from '../../engine/errors.js';
import type { Layer } from '../../engine/layer.js';
import type { GraphNode, SymbolicTensor } from '../../engine/symbolic.js';
import { input } from '../../layers/core/input.js';
import { FunctionalNetwork } from '../../models/functional.js';
import type { Network } from '../../models/network.js';
import { SequentialNetwork } from '../../models/sequential.js';
import { Model } from '../../io/models.js';

/** Options of {@link featureExtractor}. */
export interface FeatureExtractorOptions {
  /** Name of the new model. Default `'model'`. */
  name?: string;
}

/** A model's graph as symbolic inputs and outputs; a Sequential model is traced once onto a new input. */
export interface ModelGraph {
  inputs: SymbolicTensor[];
  /** The output of each layer of the model that was applied exactly once, by layer. */
  outputOf: (layer: Layer) => SymbolicTensor | SymbolicTensor[] | undefined;
  outputs: SymbolicTensor[];
}

/** The nodes of a functional model's graph, found by walking back from its outputs. */
function nodesOf(model: FunctionalNetwork): Map<Layer, GraphNode[]> {
  const byLayer = new Map<Layer, GraphNode[]>();
  const seen = new Set<GraphNode>();
  const stack = model.outputs.map((t) => t.node);
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (seen.has(node)) continue;
    seen.add(node);
    const layer = node.layer as Layer;
    byLayer.set(layer, [...(byLayer.get(layer) ?? []), node]);
    for (const t of node.inputs) stack.push(t.node);
  }
  return byLayer;
}

/**
 * The graph of `model`, to build new models on: for a functional model its own symbolic
 * tensors; for a Sequential one, its layers applied in order to a new input (the layers,
 * and so the weights, are the model's own).
 */
export function modelGraph(model: Network, owner: string): ModelGraph {
  if (model instanceof FunctionalNetwork) {
    const nodes = nodesOf(model);
    return {
      inputs: model.inputs,
      outputs: model.outputs,
      outputOf: (layer) => {
        const ns = nodes.get(layer) ?? [];
        if (ns.length > 1) {
          throw new ValueError(`${owner}: layer '${layer.name}' is applied ${ns.length} times in ${model.label}; its output is ambiguous`);
        }
        const outs = ns[0]?.outputs;
        return outs && (outs.length === 1 ? outs[0]! : outs);
      },
    };
  }
  if (model instanceof SequentialNetwork) {
    if (!model.built) {
      throw new ValueError(`${owner}: ${model.label} is not built; give its first layer an inputShape or call it on data first`);
    }
    const inp = input({ batchShape: model.inputShapes[0]! });
    const outs = new Map<Layer, SymbolicTensor>();
    let h = inp;
    for (const layer of model.layers) {
      h = layer.apply(h) as SymbolicTensor;
      outs.set(layer, h);
    }
    return { inputs: [inp], outputs: [h], outputOf: (layer) => outs.get(layer) };
  }
  throw new ValueError(`${owner}: expected a Sequential or functional model; got ${model.label}`);
}

/**
 * Cuts a model at a layer: a new model from the same inputs to that layer's output, e.g.
 * a pretrained network's last convolutional block as a feature extractor. It shares the
 * layers (and so the weights and the `trainable` flags) with `model`; no copy is made.
 *
 * For a functional model this is Keras' `Model(base.inputs, base.get_layer(name).output)`;
 * it also works on Sequential models.
 *
 * @param at - the layer whose output becomes the new model's output: a name or an index
 *   into `model.layers`.
 * @throws ValueError when there is no such layer, or it is applied more than once.
 * @example
 * ```ts
 * const features = st.transfer.featureExtractor(mobilenet, 'out_relu');
 * features.freeze();
 * ```
 */
export function featureExtractor(model: Network, at: string | number, opts: FeatureExtractorOptions = {}): Model {
  const owner = 'featureExtractor';
  const layer = model.getLayer(at);
  const graph = modelGraph(model, owner);
  const out = graph.outputOf(layer);
  if (!out) throw new ValueError(`${owner}: layer '${layer.name}' of ${model.label} is not part of its graph`);
  return new Model({ inputs: graph.inputs, outputs: out, ...(opts.name !== undefined ? { name: opts.name } : {}) });
}
