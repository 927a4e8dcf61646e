import { StateError, ValueError } from '../engine/errors.js';
import type { Layer } from '../engine/layer.js';
import type { Shape } from '../engine/shape.js';
import type { GraphNode, SymbolicTensor } from '../engine/symbolic.js';
import { InputLayer } from '../layers/core/input.js';
import { FunctionalNetwork } from '../models/functional.js';
import { Network } from '../models/network.js';
import { SequentialNetwork } from '../models/sequential.js';
import type { JsonObject, JsonValue, KerasDialect } from './keras_config.js';
import { kerasLayerOrder } from './keras/layer_order.js';
import { KERAS_NUMPY_MODULE, KerasScalarOp } from './keras/numpy_op.js';
import { keras3Call, keras3Config } from './keras/call_args.js';
import { keras3Renames } from './keras/op_names.js';
import { layerToKeras } from './layer_config.js';

/** The `keras_version` strata writes into `model.json`. */
export const STRATA_KERAS_VERSION = 'strata 0.1.0';

function kerasModule(layer: Layer, dialect: KerasDialect): JsonObject {
  if (dialect !== 'keras3') return {};
  // Keras 3 resolves a functional model only through its own module path.
  if (layer instanceof FunctionalNetwork) return { module: 'keras.src.models.functional', registered_name: 'Functional' };
  if (layer instanceof Network) return { module: 'keras', registered_name: null };
  return { module: 'keras.layers', registered_name: null };
}

/**
 * Replaces a layer, applied to inputs of `inputShape`, by what the file should hold
 * instead (e.g. a ready block by an equivalent nested model of standard Keras layers), or
 * returns it unchanged. The replacement keeps the layer's name.
 */
export type LayerSwap = (layer: Layer, inputShape: Shape) => Layer;

/** A layer's entry in a model config; nested models become nested model configs. */
function layerEntry(original: Layer, dialect: KerasDialect, swap?: LayerSwap, inputShape?: Shape): JsonObject {
  const layer = swap && inputShape ? swap(original, inputShape) : original;
  if (layer instanceof Network) return { class_name: layer.className, config: networkConfig(layer, dialect, swap), ...kerasModule(layer, dialect) };
  const entry = layerToKeras(layer, dialect);
  if (dialect === 'keras3') {
    // Keras 3 takes input shapes from InputLayer entries only, and some options per call.
    delete entry.config.batch_input_shape;
    entry.config = keras3Config(entry.class_name, entry.config);
  }
  return { ...entry, ...kerasModule(layer, dialect) };
}

function inputLayerEntry(name: string, batchShape: Shape, dialect: KerasDialect): JsonObject {
  const shapeKey = dialect === 'keras3' ? 'batch_shape' : 'batch_input_shape';
  return {
    class_name: 'InputLayer',
    config: { [shapeKey]: [...batchShape], dtype: 'float32', sparse: false, name },
    ...(dialect === 'keras3' ? { module: 'keras.layers', registered_name: null } : {}),
  };
}

function sequentialConfig(model: SequentialNetwork, dialect: KerasDialect, swap?: LayerSwap): JsonObject {
  if (!model.built) {
    throw new StateError(`${model.label}: cannot save a model that is not built; give the first layer an inputShape or call it on data first`);
  }
  const inputShape = model.inputShapes[0]!;
  let shape: Shape = inputShape;
  const entries = model.layers.map((l) => {
    const entry = layerEntry(l, dialect, swap, shape);
    shape = l.computeOutputShape(shape) as Shape;
    return entry;
  });
  if (dialect === 'keras3') {
    return { name: model.name, trainable: model.trainable, layers: [inputLayerEntry(`${model.name}_input`, inputShape, dialect), ...entries] };
  }
  // tfjs-layers and Keras 2 carry the input shape on the first layer.
  const first = entries[0]!.config as JsonObject;
  first.batch_input_shape = [...inputShape];
  return { name: model.name, layers: entries };
}

/** The nodes of `model`'s graph, grouped per layer in the order each layer recorded them. */
function modelNodes(model: FunctionalNetwork): Map<Layer, GraphNode[]> {
  const seen = new Set<GraphNode>();
  const stack = model.outputs.map((t) => t.node);
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (seen.has(n)) continue;
    seen.add(n);
    for (const t of n.inputs) stack.push(t.node);
  }
  const byLayer = new Map<Layer, GraphNode[]>();
  for (const layer of model.layers) byLayer.set(layer, layer.inboundNodes.filter((n) => seen.has(n)));
  return byLayer;
}

function functionalConfig(model: FunctionalNetwork, dialect: KerasDialect, swap?: LayerSwap): JsonObject {
  const nodes = modelNodes(model);
  // Names Keras would give the mask operations it rebuilds are written otherwise (keras/op_names.ts).
  const renames = dialect === 'keras3' ? keras3Renames(model.layers) : new Map<Layer, string>();
  const nameOf = (layer: Layer): string => renames.get(layer) ?? layer.name;
  const ref = (t: SymbolicTensor): [string, number, number] => {
    const layer = t.node.layer as Layer;
    return [nameOf(layer), nodes.get(layer)!.indexOf(t.node), t.outputIndex];
  };
  const kerasTensor = (t: SymbolicTensor): JsonObject => ({
    class_name: '__keras_tensor__',
    config: { shape: [...t.shape], dtype: t.dtype, keras_history: ref(t) },
  });
  // Keras 3 counts classes in its own layer order to name a .keras file's weight groups.
  const order = dialect === 'keras3' ? kerasLayerOrder(model) : model.layers;
  const layers = order.map((layer): JsonObject => {
    const own = nodes.get(layer)!;
    if (layer instanceof InputLayer) {
      const shape = own[0]!.outputs[0]!.shape;
      return { name: layer.name, ...inputLayerEntry(layer.name, shape, dialect), inbound_nodes: [] };
    }
    if (layer instanceof KerasScalarOp && dialect === 'keras3') {
      // Written back as the Keras numpy operation it was read from.
      const args = own.map((node) => {
        const t = kerasTensor(node.inputs[0]!);
        return { args: layer.constantFirst ? [layer.constant, t] : [t, layer.constant], kwargs: {} };
      });
      return { module: KERAS_NUMPY_MODULE, class_name: layer.op, config: { name: layer.name }, registered_name: layer.op, name: layer.name, inbound_nodes: args };
    }
    const inbound: JsonValue[] = own.map((node) => (dialect === 'keras3' ? keras3Call(layer, node, kerasTensor) : node.inputs.map((t) => [...ref(t), {}])));
    const entry = layerEntry(layer, dialect, swap, own[0]?.inputs[0]?.shape);
    if (renames.has(layer)) (entry.config as JsonObject).name = nameOf(layer);
    return { name: nameOf(layer), ...entry, inbound_nodes: inbound };
  });
  return {
    name: model.name,
    ...(dialect === 'keras3' ? { trainable: model.trainable } : {}),
    layers,
    // Keras 3 writes a single input or output as one triple, and then returns a tensor, not a list.
    input_layers: dialect === 'keras3' && model.inputs.length === 1 ? ref(model.inputs[0]!) : model.inputs.map(ref),
    output_layers: dialect === 'keras3' && model.outputs.length === 1 ? ref(model.outputs[0]!) : model.outputs.map(ref),
  };
}

/**
 * The config of a Sequential or functional model (what goes under `config`); `swap`
 * replaces layers on the way (see {@link LayerSwap}).
 */
export function networkConfig(model: Network, dialect: KerasDialect = 'tfjs', swap?: LayerSwap): JsonObject {
  if (model instanceof SequentialNetwork) return sequentialConfig(model, dialect, swap);
  if (model instanceof FunctionalNetwork) return functionalConfig(model, dialect, swap);
  throw new ValueError(`saveModel: cannot save ${model.label}; only Sequential and functional models can be saved`);
}

/**
 * The Keras-style model topology (`{ class_name, config, keras_version, backend }`), as
 * tfjs-layers writes it into `model.json`.
 */
export function modelTopology(model: Network, dialect: KerasDialect = 'tfjs'): JsonObject {
  return {
    class_name: model.className,
    config: networkConfig(model, dialect),
    keras_version: STRATA_KERAS_VERSION,
    backend: 'tensor_flow.js',
  };
}
