import type { tf } from '../../backend/tf.js';
import { StrataError, ValueError } from '../../engine/errors.js';
import { Layer, type LayerOptions } from '../../engine/layer.js';
import type { Shape } from '../../engine/shape.js';
import { GraphNode, SymbolicTensor } from '../../engine/symbolic.js';

/** Options of {@link input}. */
export interface InputOptions {
  /** Shape of one sample, without the batch dimension, e.g. `[28, 28, 1]`; `null` for a free size (`[null]`: sequences of any length). */
  shape?: (number | null)[];
  /** Fixed batch size; default free (`null`). */
  batchSize?: number;
  /** Full shape with the batch dimension; an alternative to `shape`. */
  batchShape?: Shape;
  /** Name of the input layer. Default `input`, `input_1`… */
  name?: string;
  /** Data type of the values fed in: `'int32'` for token ids. Default `'float32'`. */
  dtype?: 'float32' | 'int32';
}

/** The layer behind a model input: it holds the shape and passes data through. */
export class InputLayer extends Layer {
  readonly className = 'InputLayer';
  constructor(opts: LayerOptions) {
    super(opts);
    this.built = true;
  }
  call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor | tf.Tensor[] {
    return inputs;
  }
  override get name(): string {
    return this.hasName ? super.name : 'input';
  }
}

/**
 * Declares a model input and returns its symbolic tensor, the start of a functional
 * graph; in a `sequential([...])` list it fixes the input shape.
 * @example
 * ```ts
 * const x = st.layers.input({ shape: [784] });
 * ```
 */
export function input(opts: InputOptions): SymbolicTensor {
  let batchShape: Shape;
  if (opts.batchShape) batchShape = [...opts.batchShape];
  else if (opts.shape) batchShape = [opts.batchSize ?? null, ...opts.shape];
  else throw new StrataError(`input: expected a 'shape' (e.g. [28, 28, 1]) or 'batchShape'; got neither`);
  if (batchShape.slice(1).some((d) => d !== null && !(Number.isInteger(d) && d > 0))) {
    throw new ValueError(`input: 'shape' must hold positive integers; got ${JSON.stringify(opts.shape ?? opts.batchShape)}`);
  }
  const layer = new InputLayer({ name: opts.name, batchInputShape: batchShape });
  const node = new GraphNode(layer, []);
  const t = new SymbolicTensor(batchShape, node, 0, opts.dtype ?? 'float32');
  node.outputs.push(t);
  layer.inboundNodes.push(node);
  return t;
}
