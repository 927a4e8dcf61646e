import { SerializationError, StrataError } from '../engine/errors.js';
import type { Layer } from '../engine/layer.js';
import type { Shape } from '../engine/shape.js';
import { SymbolicTensor as SymbolicTensorClass, type SymbolicTensor } from '../engine/symbolic.js';
import { KERAS_NUMPY_MODULE, KerasScalarOp, SCALAR_OPS, isScalarOp, type ScalarOpName } from './keras/numpy_op.js';
import { MASK_OP, isZeroMaskOp, zeroMaskSource } from './keras/mask_args.js';
import { input } from '../layers/core/input.js';
import { Model, Sequential } from './models.js';
import { isJsonObject, short, type JsonObject, type JsonValue } from './keras_config.js';
import { layerFromKeras, type BuildContext } from './layer_config.js';

/** Nested models deeper than this are refused (a hostile file could nest without end). */
const MAX_DEPTH = 32;

/** A model rebuilt from a saved topology. */
export type LoadedModel = Sequential | Model;

function fail(ctx: BuildContext, msg: string): never {
  throw new SerializationError(`${ctx.owner}: ${msg}`);
}

function obj(v: unknown, ctx: BuildContext, what: string): JsonObject {
  if (!isJsonObject(v)) fail(ctx, `${what} must be an object; got ${short(v)}`);
  return v;
}

function arr(v: unknown, ctx: BuildContext, what: string): JsonValue[] {
  if (!Array.isArray(v)) fail(ctx, `${what} must be a list; got ${short(v)}`);
  return v;
}

function str(v: unknown, ctx: BuildContext, what: string): string {
  if (typeof v !== 'string' || v.length === 0) fail(ctx, `${what} must be a non-empty string; got ${short(v)}`);
  return v;
}

function index(v: unknown, ctx: BuildContext, what: string): number {
  if (!Number.isInteger(v) || (v as number) < 0) fail(ctx, `${what} must be an integer >= 0; got ${short(v)}`);
  return v as number;
}

/** Runs `f`, turning strata's own errors into SerializationErrors naming `where`. */
function wrap<T>(ctx: BuildContext, where: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof SerializationError) throw e;
    if (e instanceof StrataError || e instanceof Error) fail(ctx, `${where}: ${e.message}`);
    throw e;
  }
}

function batchShape(cfg: JsonObject, ctx: BuildContext, what: string): Shape {
  const s = arr(cfg.batch_input_shape ?? cfg.batch_shape, ctx, `${what} 'batch_input_shape'`);
  return s.map((d, i) => (d === null ? null : index(d, ctx, `${what} 'batch_input_shape'[${i}]`)));
}

function makeInput(entry: JsonObject, ctx: BuildContext): SymbolicTensor {
  const cfg = obj(entry.config, ctx, "InputLayer 'config'");
  const name = str(cfg.name ?? entry.name, ctx, "InputLayer 'name'");
  const shape = batchShape(cfg, ctx, `InputLayer '${name}'`);
  return wrap(ctx, `InputLayer '${name}'`, () => input({ batchShape: shape, name }));
}

/** Makes the layer (or nested model) of a config entry. */
function makeLayer(entry: JsonObject, ctx: BuildContext, depth: number): Layer {
  const className = str(entry.class_name, ctx, "a layer's 'class_name'");
  if (className === 'Sequential' || className === 'Functional' || className === 'Model') {
    return buildNetwork(entry, ctx, depth + 1);
  }
  return layerFromKeras(className, obj(entry.config, ctx, `layer '${String(entry.name)}' 'config'`), ctx);
}

function buildSequential(config: JsonValue, ctx: BuildContext, depth: number): Sequential {
  // Keras 2.0 wrote the layer list itself as the config.
  const cfg: JsonObject = Array.isArray(config) ? { layers: config } : obj(config, ctx, "Sequential 'config'");
  const entries = arr(cfg.layers, ctx, "Sequential 'layers'").map((e, i) => obj(e, ctx, `Sequential layer ${i}`));
  const items: (Layer | SymbolicTensor)[] = entries.map((entry, i) => {
    if (entry.class_name !== 'InputLayer') return makeLayer(entry, ctx, depth);
    if (i !== 0) fail(ctx, `an InputLayer may only come first in a Sequential model; found one at position ${i}`);
    return makeInput(entry, ctx);
  });
  const name = typeof cfg.name === 'string' ? cfg.name : 'sequential';
  const model = wrap(ctx, `Sequential '${name}'`, () => new Sequential(items, { name }));
  ctx.created.push(model);
  ctx.order?.set(model, items.filter((x): x is Layer => !(x instanceof SymbolicTensorClass)));
  if (!model.built) fail(ctx, `Sequential '${name}' gives no input shape (no InputLayer and no 'batch_input_shape' on its first layer)`);
  return model;
}

/** One application of a layer: which tensors go in, and whether as a single tensor. */
interface NodeSpec {
  refs: [string, number, number][];
  single: boolean;
  /** A number among the arguments of a Keras numpy operation (`x + 3.0`), and its place. */
  constant?: { value: number; first: boolean };
  /** The tensor Keras 3 passes as the `mask` keyword argument (see keras/mask_args.ts). */
  mask?: [string, number, number];
}

function ref(v: unknown, ctx: BuildContext, what: string): [string, number, number] {
  const r = arr(v, ctx, what);
  return [str(r[0], ctx, `${what}[0]`), index(r[1] ?? 0, ctx, `${what}[1]`), index(r[2] ?? 0, ctx, `${what}[2]`)];
}

/** Whether a saved value holds a Keras tensor anywhere inside. */
function holdsTensor(v: unknown): boolean {
  if (Array.isArray(v)) return v.some(holdsTensor);
  return isJsonObject(v) && (v.class_name === '__keras_tensor__' || Object.values(v).some(holdsTensor));
}

/** The `mask` keyword argument of a Keras 3 node; other keyword arguments holding tensors are refused. */
function readMaskArg(kwargs: unknown, tensorRef: (t: unknown, i: number) => [string, number, number], ctx: BuildContext, what: string): [string, number, number] | undefined {
  if (kwargs === undefined || kwargs === null) return undefined;
  const kw = obj(kwargs, ctx, `${what} 'kwargs'`);
  for (const [k, v] of Object.entries(kw)) {
    if (k !== 'mask' && holdsTensor(v)) fail(ctx, `${what}: the keyword argument '${k}' passes tensors, which strata does not support`);
  }
  const m = kw.mask;
  if (m === undefined || m === null) return undefined;
  if (Array.isArray(m)) {
    const given = m.filter((x) => x !== null);
    if (given.length === 0) return undefined;
    if (m.length !== 1) fail(ctx, `${what}: explicit masks for several inputs are not supported`);
    return tensorRef(m[0], 0);
  }
  return tensorRef(m, 0);
}

/** Reads `inbound_nodes` in the Keras 2 / tfjs form or the Keras 3 `{ args, kwargs }` form. */
function readNodes(v: unknown, ctx: BuildContext, layer: string): NodeSpec[] {
  return arr(v ?? [], ctx, `layer '${layer}' 'inbound_nodes'`).map((node, k): NodeSpec => {
    const what = `layer '${layer}' inbound node ${k}`;
    if (isJsonObject(node)) {
      const args = arr(node.args, ctx, `${what} 'args'`);
      const tensorRef = (t: unknown, i: number) =>
        ref(obj(obj(t, ctx, `${what} tensor ${i}`).config, ctx, `${what} tensor ${i} 'config'`).keras_history, ctx, `${what} tensor ${i} 'keras_history'`);
      // A Keras numpy operation on a tensor and a number: `{ args: [tensor, 3.0] }`.
      if (args.length === 2 && (typeof args[0] === 'number') !== (typeof args[1] === 'number')) {
        const first = typeof args[0] === 'number';
        return { refs: [tensorRef(first ? args[1] : args[0], 0)], single: true, constant: { value: (first ? args[0] : args[1]) as number, first } };
      }
      if (args.length !== 1) fail(ctx, `${what}: expected one positional argument; got ${args.length}`);
      const a = args[0];
      const mask = readMaskArg(node.kwargs, tensorRef, ctx, what);
      const spec: NodeSpec = Array.isArray(a) ? { refs: a.map(tensorRef), single: false } : { refs: [tensorRef(a, 0)], single: true };
      return mask ? { ...spec, mask } : spec;
    }
    const refs = arr(node, ctx, what).map((r, i) => ref(r, ctx, `${what} input ${i}`));
    return { refs, single: refs.length === 1 };
  });
}

/** A Keras numpy operation between a tensor and a number, applied once. */
function makeScalarOp(entry: JsonObject, name: string, nodes: NodeSpec[], ctx: BuildContext): Layer {
  const c = nodes[0]?.constant;
  if (nodes.length !== 1 || !c) fail(ctx, `operation '${name}' (${String(entry.module)}.${String(entry.class_name)}): only a single call on a tensor and a number is supported`);
  if (!isScalarOp(entry.class_name)) {
    fail(ctx, `operation '${name}': Keras operation '${String(entry.class_name)}' is not supported; expected one of ${SCALAR_OPS.join(', ')}`);
  }
  return wrap(ctx, `operation '${name}'`, () => {
    const layer = new KerasScalarOp({ name, op: entry.class_name as ScalarOpName, constant: c.value, constantFirst: c.first });
    ctx.created.push(layer);
    return layer;
  });
}

function buildFunctional(config: JsonValue, ctx: BuildContext, depth: number): Model {
  const cfg = obj(config, ctx, "Functional 'config'");
  const name = typeof cfg.name === 'string' ? cfg.name : 'model';
  const entries = arr(cfg.layers, ctx, `model '${name}' 'layers'`).map((e, i) => obj(e, ctx, `model '${name}' layer ${i}`));
  const outputs = new Map<string, SymbolicTensor[][]>();
  const pending: { name: string; layer: Layer; nodes: NodeSpec[]; done: number }[] = [];
  // Embedding masks saved as operations (`not_equal(tokens, 0)`): their input, by name.
  const maskOps = new Map<string, [string, number, number]>();
  for (const entry of entries) {
    const layerName = str(entry.name ?? obj(entry.config, ctx, "a layer's 'config'").name, ctx, "a layer's 'name'");
    if (outputs.has(layerName)) fail(ctx, `two layers are named '${layerName}'`);
    if (entry.class_name === 'InputLayer') {
      outputs.set(layerName, [[makeInput(entry, ctx)]]);
      continue;
    }
    outputs.set(layerName, []);
    const nodes = readNodes(entry.inbound_nodes, ctx, layerName);
    if (entry.class_name === MASK_OP && nodes.length === 1 && nodes[0]!.constant) {
      const c = nodes[0]!.constant;
      if (!isZeroMaskOp(entry.class_name, c)) {
        fail(ctx, `operation '${layerName}' (NotEqual): strata reads it only as the padding mask of Embedding(mask_zero=True), not_equal(x, 0); got a comparison with ${c.value}`);
      }
      maskOps.set(layerName, nodes[0]!.refs[0]!);
      continue;
    }
    // Legacy .h5 files leave out the module: a number among the arguments tells an operation.
    const isOp = entry.module === KERAS_NUMPY_MODULE || nodes.some((n) => n.constant);
    const layer = isOp ? makeScalarOp(entry, layerName, nodes, ctx) : makeLayer(entry, ctx, depth);
    pending.push({ name: layerName, layer, nodes, done: 0 });
  }
  const lookup = ([src, k, t]: [string, number, number]): SymbolicTensor | undefined => outputs.get(src)?.[k]?.[t];
  const maskInput = (p: { name: string }, m: [string, number, number]): SymbolicTensor | undefined => {
    const source = maskOps.get(m[0]);
    if (!source) fail(ctx, `layer '${p.name}' is given an explicit mask from '${m[0]}'; strata supports only the padding mask of Embedding(mask_zero=True)`);
    return lookup(source);
  };
  // Apply layers as their inputs become available (a layer's nodes in their saved order).
  let progress = true;
  while (progress) {
    progress = false;
    for (const p of pending) {
      while (p.done < p.nodes.length) {
        const node = p.nodes[p.done]!;
        const used = node.refs.find((r) => maskOps.has(r[0]));
        if (used) fail(ctx, `layer '${p.name}' takes '${used[0]}' (NotEqual) as an input; strata reads that operation only as Embedding's padding mask`);
        const ins = node.refs.map(lookup);
        const maskFrom = node.mask ? maskInput(p, node.mask) : undefined;
        if (ins.some((t) => t === undefined) || (node.mask && !maskFrom)) break;
        const args = ins as SymbolicTensor[];
        if (maskFrom && zeroMaskSource(args[0]!) !== maskFrom) {
          fail(ctx, `layer '${p.name}' is given the mask '${node.mask![0]}' explicitly, which is not the padding mask its input carries from an Embedding(mask_zero=True); strata supports only that one`);
        }
        const out = wrap(ctx, `layer '${p.name}'`, () => p.layer.apply(node.single ? args[0]! : args));
        outputs.get(p.name)!.push(Array.isArray(out) ? out : [out]);
        p.done += 1;
        progress = true;
      }
    }
  }
  for (const p of pending) {
    if (p.done < p.nodes.length) {
      const node = p.nodes[p.done]!;
      const missing = node.refs.find((r) => lookup(r) === undefined) ?? maskOps.get(node.mask![0])!;
      fail(ctx, `layer '${p.name}' needs output ${missing[2]} of node ${missing[1]} of layer '${missing[0]}', which the model never produces`);
    }
  }
  const tensors = (v: unknown, what: string): SymbolicTensor[] => {
    const list = arr(v, ctx, what);
    const refs = typeof list[0] === 'string' ? [list] : list;
    return refs.map((r, i) => {
      const rr = ref(r, ctx, `${what}[${i}]`);
      const t = lookup(rr);
      if (!t) fail(ctx, `${what}[${i}] names output ${rr[2]} of node ${rr[1]} of layer '${rr[0]}', which does not exist`);
      return t;
    });
  };
  const inputs = tensors(cfg.input_layers, `model '${name}' 'input_layers'`);
  const outs = tensors(cfg.output_layers, `model '${name}' 'output_layers'`);
  const model = wrap(ctx, `model '${name}'`, () => new Model({ inputs, outputs: outs, name }));
  ctx.created.push(model);
  ctx.order?.set(model, pending.map((p) => p.layer));
  return model;
}

/**
 * Rebuilds a model from a Keras `{ class_name, config }` model entry (`Sequential`,
 * `Functional` or `Model`). Weights are created through the context's budget.
 * @throws SerializationError naming what is wrong.
 */
export function buildNetwork(entry: JsonObject, ctx: BuildContext, depth = 0): LoadedModel {
  if (depth > MAX_DEPTH) fail(ctx, `models are nested more than ${MAX_DEPTH} deep`);
  const className = str(entry.class_name, ctx, "the model's 'class_name'");
  if (className === 'Sequential') return buildSequential(entry.config ?? null, ctx, depth);
  if (className === 'Functional' || className === 'Model') return buildFunctional(entry.config ?? null, ctx, depth);
  return fail(ctx, `the model's class must be Sequential, Functional or Model; got '${className}'`);
}
