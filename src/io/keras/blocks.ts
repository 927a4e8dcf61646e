/**
 * strata's ready blocks (`ResidualBlock`, `InceptionBlock`) as standard Keras layers: each
 * becomes a nested functional model of Conv2D, BatchNormalization, Activation, Add,
 * Concatenate and MaxPooling2D layers, with the block's weights copied in, so Keras loads
 * a strata `.keras` file without any strata code.
 * @module
 */
import { tf } from '../../backend/tf.js';
import { SerializationError } from '../../engine/errors.js';
import type { Layer } from '../../engine/layer.js';
import type { Shape } from '../../engine/shape.js';
import type { SymbolicTensor } from '../../engine/symbolic.js';
import { Activation } from '../../layers/activation/activation.js';
import { CompositeLayer } from '../../layers/blocks/composite.js';
import { InceptionBlock } from '../../layers/blocks/inception_block.js';
import { ResidualBlock } from '../../layers/blocks/residual_block.js';
import { input } from '../../layers/core/input.js';
import { Concatenate } from '../../layers/merge/concatenate.js';
import { Add } from '../../layers/merge/elementwise.js';
import { Bidirectional } from '../../layers/recurrent/bidirectional.js';
import { TimeDistributed } from '../../layers/recurrent/time_distributed.js';
import { FunctionalNetwork } from '../../models/functional.js';

/** Keras 3 refuses `/` in layer names: `block/conv1` becomes `block_conv1`. */
function flatName(name: string): string {
  return name.replace(/\//g, '_');
}

/** The block's children by role (`conv1`, `bn_shortcut`, `branch3x3`…). */
function childrenByRole(block: CompositeLayer): Map<string, Layer> {
  const prefix = `${block.name}/`;
  return new Map(block.sublayers().map((l) => [l.name.startsWith(prefix) ? l.name.slice(prefix.length) : l.name, l]));
}

/** A standalone copy of a child layer (same class and config, Keras-legal name, same weights), applied to `x`. */
function copyOf(child: Layer, x: SymbolicTensor, made: Layer[]): SymbolicTensor {
  const Ctor = child.constructor as new (o: object) => Layer;
  const layer = new Ctor({ ...child.getConfig(), name: flatName(child.name) });
  made.push(layer);
  const y = layer.apply(x) as SymbolicTensor;
  const values = child.getWeights();
  try {
    layer.setWeights(values);
  } finally {
    tf.dispose(values);
  }
  return y;
}

function residual(block: ResidualBlock, x: SymbolicTensor, made: Layer[]): SymbolicTensor {
  const roles = childrenByRole(block);
  const n = block.bottleneck ? 3 : 2;
  const act = (t: SymbolicTensor, role: string) => {
    const a = new Activation({ activation: block.activation as never, name: `${flatName(block.name)}_${role}` });
    made.push(a);
    return a.apply(t) as SymbolicTensor;
  };
  const stage = (suffix: string, t: SymbolicTensor) => {
    let y = copyOf(roles.get(`conv${suffix}`)!, t, made);
    const bn = roles.get(`bn${suffix}`);
    if (bn) y = copyOf(bn, y, made);
    return y;
  };
  let y = x;
  for (let i = 1; i <= n; i++) {
    y = stage(`${i}`, y);
    if (i < n) y = act(y, `act${i}`);
  }
  const s = roles.has('conv_shortcut') ? stage('_shortcut', x) : x;
  const add = new Add({ name: `${flatName(block.name)}_add` });
  made.push(add);
  return act(add.apply([y, s]) as SymbolicTensor, 'out');
}

function inception(block: InceptionBlock, x: SymbolicTensor, made: Layer[]): SymbolicTensor {
  const roles = childrenByRole(block);
  const branches = [['branch1x1'], ['branch3x3_reduce', 'branch3x3'], ['branch5x5_reduce', 'branch5x5'], ['branch_pool', 'branch_pool_proj']];
  const outs = branches.map((b) => b.reduce((t, role) => copyOf(roles.get(role)!, t, made), x));
  const cat = new Concatenate({ axis: -1, name: `${flatName(block.name)}_concat` });
  made.push(cat);
  return cat.apply(outs) as SymbolicTensor;
}

// Composite layers that are Keras layers themselves (wrappers), written as they are.
const KERAS_COMPOSITES = [Bidirectional, TimeDistributed];

/**
 * The functional equivalent of a ready block applied to inputs of `inputShape` (batch
 * dimension included), named as the block; undefined for any other layer (Keras' own
 * wrappers included). The caller disposes it when done.
 * @throws SerializationError for a composite layer strata cannot write as Keras layers.
 */
export function blockAsFunctional(layer: Layer, inputShape: Shape): FunctionalNetwork | undefined {
  if (!(layer instanceof CompositeLayer) || KERAS_COMPOSITES.some((c) => layer instanceof c)) return undefined;
  const made: Layer[] = [];
  try {
    // The shape the block was applied at, so layers after it (Flatten) see known sizes.
    const x = input({ batchShape: [null, ...inputShape.slice(1)], name: `${flatName(layer.name)}_input` });
    let y: SymbolicTensor;
    if (layer instanceof ResidualBlock) y = residual(layer, x, made);
    else if (layer instanceof InceptionBlock) y = inception(layer, x, made);
    else throw new SerializationError(`saveKerasModel: ${layer.label} is a composite layer that cannot be written as standard Keras layers`);
    return new FunctionalNetwork({ inputs: x, outputs: y, name: layer.name });
  } catch (e) {
    for (const l of made) l.dispose();
    throw e;
  }
}
