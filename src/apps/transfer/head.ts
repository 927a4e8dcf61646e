import type { ActivationName } from '../../engine/activations.js';
import { ShapeError, ValueError, fmtShape } from '../../engine/errors.js';
import type { Layer } from '../../engine/layer.js';
import type { SymbolicTensor } from '../../engine/symbolic.js';
import { dense } from '../../layers/core/dense.js';
import { dropout } from '../../layers/core/dropout.js';
import { globalAveragePooling2d, globalMaxPooling2d } from '../../layers/pooling/index.js';
import { flatten } from '../../layers/reshape/index.js';
import type { Network } from '../../models/network.js';
import { Model } from '../../io/models.js';
import { modelGraph } from './extract.js';

/** How the head turns a feature map into a vector. */
export type HeadPooling = 'avg' | 'max' | 'flatten' | 'none';

/** Options of {@link addHead}. */
export interface HeadOptions {
  /** Units of the output layer (the number of classes). Required. */
  units: number;
  /** Activation of the output layer. Default `'softmax'`. */
  activation?: ActivationName;
  /** Units of hidden ReLU Dense layers between the pooling and the output. Default none (`[]`). */
  hidden?: number[];
  /** Dropout rate before each Dense layer of the head, in [0, 1). Default 0 (no Dropout layers). */
  dropout?: number;
  /**
   * Feature map to vector: global average or max pooling, `'flatten'`, or `'none'`.
   * Default `'avg'` for a rank-4 (image) output, `'flatten'` for other ranks above 2,
   * `'none'` for vectors.
   */
  pooling?: HeadPooling;
  /** Freeze every layer of `base` (the usual first phase). Default true. */
  freezeBase?: boolean;
  /** Name of the new model. Default `'model'`. */
  name?: string;
}

function checkOptions(base: Network, o: HeadOptions): void {
  const owner = 'addHead';
  if (typeof o !== 'object' || o === null) throw new ValueError(`${owner}: expected options { units, … }; got ${String(o)}`);
  if (!Number.isInteger(o.units) || o.units <= 0) {
    throw new ValueError(`${owner}: 'units' must be a positive integer; got ${String(o.units)}`);
  }
  const hidden = o.hidden ?? [];
  if (!Array.isArray(hidden) || hidden.some((u) => !Number.isInteger(u) || u <= 0)) {
    throw new ValueError(`${owner}: 'hidden' must be a list of positive integers; got ${JSON.stringify(o.hidden)}`);
  }
  const rate = o.dropout ?? 0;
  if (typeof rate !== 'number' || !(rate >= 0 && rate < 1)) {
    throw new ValueError(`${owner}: 'dropout' must be a number in [0, 1); got ${String(o.dropout)}`);
  }
  if (o.pooling !== undefined && !['avg', 'max', 'flatten', 'none'].includes(o.pooling)) {
    throw new ValueError(`${owner}: 'pooling' must be 'avg', 'max', 'flatten' or 'none'; got '${String(o.pooling)}'`);
  }
  if (base.outputShapes.length !== 1) {
    throw new ValueError(`${owner}: ${base.label} has ${base.outputShapes.length} outputs; cut it at one layer first (featureExtractor)`);
  }
}

/**
 * Puts a new classifier on a pretrained base: pooling, optional hidden ReLU layers and
 * dropout, then a Dense output. The result is one flat functional model holding the
 * base's own layers (shared, not copied) followed by the head, so selectors such as
 * `model.unfreeze({ from: 'block_16_expand' })` reach into the base. By default the base
 * is frozen first, ready for the first phase of fine-tuning.
 *
 * Head layers are named `head_pool`, `head_dense`, `head_dense_1`…, `head_dropout`…,
 * `head_output` (with a suffix if the base already uses a name).
 *
 * @throws ValueError for bad options, or a base with several outputs.
 * @throws ShapeError when the base output cannot feed a Dense layer with that pooling.
 * @example
 * ```ts
 * const features = st.transfer.featureExtractor(mobilenet, 'out_relu');
 * const net = st.transfer.addHead(features, { units: 10, dropout: 0.2 });
 * ```
 */
export function addHead(base: Network, opts: HeadOptions): Model {
  checkOptions(base, opts);
  const graph = modelGraph(base, 'addHead');
  const taken = new Set(base.layers.map((l) => l.name));
  const named = (stem: string): string => {
    let name = stem;
    for (let i = 1; taken.has(name); i++) name = `${stem}_${i}`;
    taken.add(name);
    return name;
  };
  const apply = (layer: Layer, x: SymbolicTensor) => layer.apply(x) as SymbolicTensor;

  let h = graph.outputs[0]!;
  const rank = h.shape.length;
  const pooling = opts.pooling ?? (rank === 4 ? 'avg' : rank > 2 ? 'flatten' : 'none');
  if ((pooling === 'avg' || pooling === 'max') && rank !== 4) {
    throw new ShapeError(`addHead: pooling '${pooling}' needs a rank-4 image output from the base; got shape ${fmtShape(h.shape)}`);
  }
  if (pooling === 'avg') h = apply(globalAveragePooling2d({ name: named('head_pool') }), h);
  else if (pooling === 'max') h = apply(globalMaxPooling2d({ name: named('head_pool') }), h);
  else if (pooling === 'flatten') h = apply(flatten({ name: named('head_flatten') }), h);
  if (h.shape.length !== 2) {
    throw new ShapeError(`addHead: the head needs a vector per sample; the base gives shape ${fmtShape(h.shape)} with pooling '${pooling}'`);
  }
  const rate = opts.dropout ?? 0;
  const drop = (x: SymbolicTensor) => (rate > 0 ? apply(dropout({ rate, name: named('head_dropout') }), x) : x);
  for (const units of opts.hidden ?? []) {
    h = apply(dense({ units, activation: 'relu', name: named('head_dense') }), drop(h));
  }
  const out = apply(dense({ units: opts.units, activation: opts.activation ?? 'softmax', name: named('head_output') }), drop(h));
  if (opts.freezeBase ?? true) base.freeze();
  return new Model({ inputs: graph.inputs, outputs: out, ...(opts.name !== undefined ? { name: opts.name } : {}) });
}
