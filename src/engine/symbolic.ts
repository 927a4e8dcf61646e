import type { Shape } from './shape.js';

/** The part of a layer the graph records need; avoids a cycle with `layer.ts`. */
export interface GraphLayer {
  /** The layer's name within its model. */
  readonly name: string;
  /** Keras class name. */
  readonly className: string;
}

/**
 * One application of a layer in a functional graph: which symbolic tensors went in and
 * which came out. A shared layer has one node per application.
 */
export class GraphNode {
  constructor(
    /** The layer applied. */
    readonly layer: GraphLayer,
    /** Its inputs, in order. */
    readonly inputs: SymbolicTensor[],
    /** Its outputs, filled by the layer once it knows their shapes. */
    readonly outputs: SymbolicTensor[] = [],
    /** True when the layer was given a single tensor rather than a list. */
    readonly singleInput = true,
  ) {}
}

/**
 * A placeholder for a tensor in a functional model: it has a shape (with `null` for the
 * batch dimension) and remembers which layer application produced it.
 */
export class SymbolicTensor {
  constructor(
    /** Shape, batch dimension first (`null` when unknown). */
    readonly shape: Shape,
    /** The node that produced it. */
    readonly node: GraphNode,
    /** Which of the node's outputs it is. */
    readonly outputIndex: number,
    /** Data type of the values it stands for. */
    readonly dtype: 'float32' | 'int32' = 'float32',
  ) {}
  /** The layer that produced it. */
  get sourceLayer(): GraphLayer {
    return this.node.layer;
  }
  /** A readable name: `dense_1/out:0`. */
  get name(): string {
    return `${this.node.layer.name}:${this.outputIndex}`;
  }
}
