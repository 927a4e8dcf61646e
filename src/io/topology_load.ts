import { SerializationError, StrataError } from '../engine/errors.js';
import type { Layer } from '../engine/layer.js';
import type { Shape } from '../engine/shape.js';
import { SymbolicTensor as SymbolicTensorClass, type SymbolicTensor } from '../engine/symbolic.js';
import { KERAS_NUMPY_MODULE, KerasScalarOp, SCALAR_OPS, isScalarOp, type ScalarOpName } from './keras/numpy_op.js';
import { MaskOps, maskOpOf, maskOpSpec, type MaskOpSpec, type TensorRef } from './keras/mask_args.js';
import { MaskProbe } from './keras/mask_probe.js';
import { readNodes, sharedCallConfig, type NodeSpec } from './keras/call_args.js';
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

/** Makes the layer (or nested model) of a config entry; `callConfig` adds options its calls set. */
function makeLayer(entry: JsonObject, ctx: BuildContext, depth: number, callConfig?: JsonObject): Layer {
  const className = str(entry.class_name, ctx, "a layer's 'class_name'");
  if (className === 'Sequential' || className === 'Functional' || className === 'Model') {
    return buildNetwork(entry, ctx, depth + 1);
  }
  const config = obj(entry.config, ctx, `layer '${String(entry.name)}' 'config'`);
  return layerFromKeras(className, callConfig ? { ...config, ...callConfig } : config, ctx);
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

function ref(v: unknown, ctx: BuildContext, what: string): TensorRef {
  const r = arr(v, ctx, what);
  return [str(r[0], ctx, `${what}[0]`), index(r[1] ?? 0, ctx, `${what}[1]`), index(r[2] ?? 0, ctx, `${what}[2]`)];
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
  const failWith = (msg: string): never => fail(ctx, msg);
  // Masks saved as operations (`not_equal(tokens, 0)`, `logical_or`…), by name.
  const maskSpecs = new Map<string, MaskOpSpec>();
  for (const entry of entries) {
    const layerName = str(entry.name ?? obj(entry.config, ctx, "a layer's 'config'").name, ctx, "a layer's 'name'");
    if (outputs.has(layerName)) fail(ctx, `two layers are named '${layerName}'`);
    if (entry.class_name === 'InputLayer') {
      outputs.set(layerName, [[makeInput(entry, ctx)]]);
      continue;
    }
    outputs.set(layerName, []);
    const nodes = readNodes(entry.inbound_nodes, String(entry.class_name), layerName, failWith);
    const maskOp = maskOpOf(entry.class_name, entry.module === KERAS_NUMPY_MODULE, nodes[0]?.refs ?? [], (n) => maskSpecs.has(n));
    if (maskOp) {
      maskSpecs.set(layerName, maskOpSpec(maskOp, layerName, isJsonObject(entry.config) ? entry.config : {}, nodes, failWith));
      continue;
    }
    // Legacy .h5 files leave out the module: a number among the arguments tells an operation.
    const isOp = entry.module === KERAS_NUMPY_MODULE || nodes.some((n) => n.constant);
    const layer = isOp ? makeScalarOp(entry, layerName, nodes, ctx) : makeLayer(entry, ctx, depth, sharedCallConfig(nodes, layerName, failWith));
    pending.push({ name: layerName, layer, nodes, done: 0 });
  }
  const lookup = ([src, k, t]: TensorRef): SymbolicTensor | undefined => outputs.get(src)?.[k]?.[t];
  const masks = new MaskOps(maskSpecs, lookup, new MaskProbe(), failWith);
  // Apply layers as their inputs become available (a layer's nodes in their saved order).
  let progress = true;
  while (progress) {
    progress = false;
    for (const p of pending) {
      while (p.done < p.nodes.length) {
        const node = p.nodes[p.done]!;
        const used = node.refs.find((r) => maskSpecs.has(r[0]));
        if (used) fail(ctx, `layer '${p.name}' takes '${used[0]}' (${maskSpecs.get(used[0])!.op}) as an input; strata reads that operation only as a padding mask`);
        const ins = node.refs.map(lookup);
        const maskReady = !node.mask || !maskSpecs.has(node.mask[0]) || masks.ready(node.mask[0]);
        if (ins.some((t) => t === undefined) || !maskReady) break;
        const args = ins as SymbolicTensor[];
        if (node.mask !== undefined) masks.check(p.name, args[0]!, node.mask);
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
      const missing = node.refs.find((r) => lookup(r) === undefined) ?? missingMaskInput(maskSpecs, lookup, node.mask![0]);
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

/** A graph tensor a mask operation reads (through other operations) that the model never makes. */
function missingMaskInput(specs: Map<string, MaskOpSpec>, lookup: (r: TensorRef) => SymbolicTensor | undefined, op: string): TensorRef {
  const seen = new Set<string>();
  const stack = [op];
  while (stack.length > 0) {
    const name = stack.pop()!;
    if (seen.has(name)) continue;
    seen.add(name);
    for (const r of specs.get(name)?.refs ?? []) {
      if (specs.has(r[0])) stack.push(r[0]);
      else if (lookup(r) === undefined) return r;
    }
  }
  return [op, 0, 0];
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
