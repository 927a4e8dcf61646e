import { tf } from '../backend/tf.js';
import { StrataError, ValueError } from '../engine/errors.js';
import type { CallContext, Layer } from '../engine/layer.js';
import { maskAt, type Mask } from '../engine/mask.js';
import type { Shape } from '../engine/shape.js';
import { SymbolicTensor, type GraphNode } from '../engine/symbolic.js';
import { InputLayer } from '../layers/core/input.js';
import { Network } from './network.js';
import type { SummaryRow } from './summary.js';

/** Values and padding masks of a graph's symbolic tensors during one run. */
interface GraphState {
  values: Map<SymbolicTensor, tf.Tensor>;
  masks: Map<SymbolicTensor, Mask | null>;
  inputs: tf.Tensor[];
}

/** Arguments of `st.model`. */
export interface FunctionalOptions {
  /** The graph's inputs, from `st.layers.input`. */
  inputs: SymbolicTensor | SymbolicTensor[];
  /** The graph's outputs, from applying layers to the inputs. */
  outputs: SymbolicTensor | SymbolicTensor[];
  /** Model name. Default `'model'`. */
  name?: string;
}

/**
 * A model that is any directed acyclic graph of layers: several inputs and outputs,
 * branches, merges and shared layers (one layer applied twice shares its weights).
 */
export class FunctionalNetwork extends Network {
  readonly className: string = 'Functional';
  /** The symbolic inputs. */
  readonly inputs: SymbolicTensor[];
  /** The symbolic outputs. */
  readonly outputs: SymbolicTensor[];
  private readonly order: GraphNode[] = [];
  private readonly layerList: Layer[] = [];

  constructor(opts: FunctionalOptions) {
    // An unnamed model is named by the model it is used in (model, model_1…).
    super(opts?.name !== undefined ? { name: opts.name } : {});
    const ins = Array.isArray(opts?.inputs) ? opts.inputs : [opts?.inputs];
    const outs = Array.isArray(opts?.outputs) ? opts.outputs : [opts?.outputs];
    if (ins.length === 0 || ins.some((t) => !(t instanceof SymbolicTensor))) {
      throw new ValueError(`model: 'inputs' must be symbolic tensors from st.layers.input`);
    }
    if (outs.length === 0 || outs.some((t) => !(t instanceof SymbolicTensor))) {
      throw new ValueError(`model: 'outputs' must be symbolic tensors made by applying layers`);
    }
    for (const t of ins) {
      if (!(t.sourceLayer instanceof InputLayer)) {
        throw new ValueError(`model: input '${t.name}' comes from ${t.sourceLayer.className} '${t.sourceLayer.name}', not from st.layers.input`);
      }
    }
    this.inputs = ins;
    this.outputs = outs;
    this.topoSort();
    // User-given names first, so a derived name never takes one the user chose.
    for (const l of this.layerList) if (l.hasName) this.adoptName(l);
    for (const l of this.layerList) if (!l.hasName) this.adoptName(l);
    this.built = true;
  }

  private topoSort(): void {
    const inputNodes = new Set(this.inputs.map((t) => t.node));
    const done = new Set<GraphNode>();
    const active = new Set<GraphNode>();
    const visit = (node: GraphNode, from: string): void => {
      if (done.has(node)) return;
      if (active.has(node)) throw new StrataError(`model: the graph has a cycle through layer '${node.layer.name}'`);
      if (node.layer instanceof InputLayer && !inputNodes.has(node)) {
        throw new StrataError(`model: layer '${from}' depends on input '${node.layer.name}', which is not among the model's inputs`);
      }
      active.add(node);
      for (const t of node.inputs) visit(t.node, node.layer.name);
      active.delete(node);
      done.add(node);
      this.order.push(node);
      const layer = node.layer as Layer;
      if (!this.layerList.includes(layer)) this.layerList.push(layer);
    };
    for (const t of this.outputs) visit(t.node, t.sourceLayer.name);
    for (const t of this.inputs) {
      if (!done.has(t.node)) {
        throw new StrataError(`model: input '${t.sourceLayer.name}' is not connected to any output`);
      }
    }
  }

  override get name(): string {
    return this.hasName ? super.name : 'model';
  }

  get layers(): Layer[] {
    return [...this.layerList];
  }

  get inputShapes(): Shape[] {
    return this.inputs.map((t) => [...t.shape]);
  }

  get outputShapes(): Shape[] {
    return this.outputs.map((t) => [...t.shape]);
  }

  /** Names of the model's inputs, in order (for name-keyed data). */
  get inputNames(): string[] {
    return this.inputs.map((t) => t.sourceLayer.name);
  }

  /** Names of the layers producing the model's outputs, in order (for per-output losses). */
  get outputNames(): string[] {
    return this.outputs.map((t) => t.sourceLayer.name);
  }

  override ensureBuilt(): void {}

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    const first = (Array.isArray(inputShape[0]) ? (inputShape as Shape[])[0]! : inputShape) as Shape;
    const shapes = this.outputs.map((t) => [first[0] ?? null, ...t.shape.slice(1)]);
    return shapes.length === 1 ? shapes[0]! : shapes;
  }

  forward(inputs: tf.Tensor[], ctx: CallContext): tf.Tensor[] {
    const state = this.startState(inputs, ctx);
    // Under a gradient tape every activation is kept for the backward pass anyway; without
    // one, each is freed after its last use, so inference holds a few layers' outputs at a
    // time rather than all of them.
    if (tf.engine().state.gradientDepth > 0) return this.forwardFrom(state, ctx, new Set());
    this.runFreeing(state, ctx, new Set(this.order));
    return this.outputs.map((t) => state.values.get(t)!);
  }

  /** The graph's inputs with their padding masks: masks travel beside the data, explicitly, one per symbolic tensor. */
  private startState(inputs: tf.Tensor[], ctx: CallContext): GraphState {
    const state: GraphState = { values: new Map(), masks: new Map(), inputs };
    this.inputs.forEach((t, i) => {
      state.values.set(t, inputs[i]!);
      state.masks.set(t, maskAt(ctx.mask, i));
    });
    return state;
  }

  /** Runs one node on its inputs' values and masks, recording its outputs' values and masks. */
  private runNode(node: GraphNode, state: GraphState, ctx: CallContext): void {
    const layer = node.layer as Layer;
    const args = node.inputs.map((t) => state.values.get(t)!);
    const argMasks = node.inputs.map((t) => state.masks.get(t) ?? null);
    const mask = !argMasks.some((m) => m !== null) ? null : node.singleInput ? argMasks[0]! : argMasks;
    const x = node.singleInput ? args[0]! : args;
    const out = layer.apply(x, { ...ctx, mask }) as tf.Tensor | tf.Tensor[];
    const list = Array.isArray(out) ? out : [out];
    const outMask = layer.computeMask(x, mask);
    node.outputs.forEach((t, i) => {
      state.values.set(t, list[i]!);
      state.masks.set(t, Array.isArray(outMask) ? (outMask[i] ?? null) : outMask);
    });
  }

  /** Runs the graph but the nodes in `skip`, whose outputs `state` already holds. */
  private forwardFrom(state: GraphState, ctx: CallContext, skip: ReadonlySet<GraphNode>): tf.Tensor[] {
    for (const node of this.order) {
      if (node.layer instanceof InputLayer || skip.has(node)) continue;
      this.runNode(node, state, ctx);
    }
    return this.outputs.map((t) => state.values.get(t)!);
  }

  /**
   * @internal Runs now every node that depends on no trainable weight (the frozen base),
   * freeing each intermediate tensor after its last use, and keeps only the tensors the rest
   * of the graph reads; see {@link Network.splitForward}.
   */
  override splitForward(inputs: tf.Tensor[], ctx: CallContext): () => tf.Tensor[] {
    const constant = new Set<GraphNode>();
    for (const node of this.order) {
      const fixed = node.layer instanceof InputLayer
        || (!(node.layer as Layer).weights.some((w) => w.trainable) && node.inputs.every((t) => constant.has(t.node)));
      if (fixed) constant.add(node);
    }
    const state = this.startState(inputs, ctx);
    this.runFreeing(state, ctx, constant);
    return () => this.forwardFrom({ values: new Map(state.values), masks: new Map(state.masks), inputs }, ctx, constant);
  }

  /**
   * Runs the nodes in `constant` (those of the graph up to some frontier), freeing each
   * intermediate tensor after its last use; `state` keeps the values the other nodes and
   * the outputs read.
   */
  private runFreeing(state: GraphState, ctx: CallContext, constant: ReadonlySet<GraphNode>): void {
    // Uses of each symbolic tensor by constant nodes; the ones the rest reads are kept.
    const uses = new Map<SymbolicTensor, number>();
    const keep = new Set<SymbolicTensor>(this.outputs);
    for (const node of this.order) {
      for (const t of node.inputs) {
        if (constant.has(node)) uses.set(t, (uses.get(t) ?? 0) + 1);
        else keep.add(t);
      }
    }
    const { values } = state;
    const held = new Set<tf.Tensor>(state.inputs);
    const release = (t: SymbolicTensor) => {
      const n = (uses.get(t) ?? 0) - 1;
      uses.set(t, n);
      if (n > 0 || keep.has(t)) return;
      const v = values.get(t)!;
      values.delete(t);
      // A layer may return its input unchanged: free a tensor only when nothing else holds it.
      if (!held.has(v) && ![...values.values()].includes(v)) v.dispose();
    };
    for (const node of this.order) {
      if (!constant.has(node) || node.layer instanceof InputLayer) continue;
      this.runNode(node, state, ctx);
      node.inputs.forEach(release);
      for (const t of node.outputs) {
        if (uses.has(t) || keep.has(t)) continue;
        uses.set(t, 1);
        release(t);
      }
    }
  }

  protected summaryRows(): SummaryRow[] {
    return this.layerList.map((layer) => {
      const nodes = this.order.filter((n) => n.layer === layer);
      const outs = nodes[0]!.outputs.map((t) => t.shape);
      return {
        layer,
        outputShape: outs.length === 1 ? outs[0] : outs,
        // Keras' `name[node][tensor]`: which application of the *source* layer fed this one.
        connectedTo: nodes.flatMap((n) => n.inputs.map((t) =>
          `${t.sourceLayer.name}[${(t.sourceLayer as Layer).inboundNodes.indexOf(t.node)}][${t.outputIndex}]`)),
      };
    });
  }
}
