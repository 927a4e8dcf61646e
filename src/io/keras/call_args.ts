/**
 * How a layer is called in a saved functional graph, both ways. Keras 3 saves each call as
 * `{ args, kwargs }`: most layers take one positional argument (a tensor or a list) and maybe
 * the keyword `mask`; `MultiHeadAttention` takes `(query, value[, key])` and the keywords
 * `key`, `attention_mask`, `use_causal_mask` and `return_attention_scores`. strata's layers
 * take one input list (`[query, value, key, attentionMask]`) and set `useCausalMask` /
 * `returnAttentionScores` once, as options; this module translates between the two. Keras 2
 * and tfjs-layers save a call as a list of `[layer, node, tensor, kwargs]`.
 * @module
 */
import type { Layer } from '../../engine/layer.js';
import type { GraphNode, SymbolicTensor } from '../../engine/symbolic.js';
import { MultiHeadAttention } from '../../layers/attention/multi_head_attention.js';
import { isJsonObject, short, type JsonObject, type JsonValue } from '../keras_config.js';
import { MASK_OPS, type TensorRef } from './mask_args.js';

/** Throws a SerializationError with the message (naming the loader). */
export type Fail = (msg: string) => never;

/** One application of a layer, as read from a saved config. */
export interface NodeSpec {
  /** The input tensors, in strata's order. */
  refs: TensorRef[];
  /** Whether the layer takes one tensor rather than a list. */
  single: boolean;
  /** A number among the arguments of a Keras numpy operation (`x + 3.0`), and its place. */
  constant?: { value: number; first: boolean };
  /** The `mask` keyword argument: a tensor, or `null` for none; absent when not saved. */
  mask?: TensorRef | null;
  /** Options a Keras call sets per call and strata per layer (snake_case, as in a config). */
  callConfig?: JsonObject;
}

function ref(v: unknown, what: string, fail: Fail): TensorRef {
  if (!Array.isArray(v)) fail(`${what} must be a list; got ${short(v)}`);
  const [name, node = 0, tensor = 0] = v as unknown[];
  if (typeof name !== 'string' || name.length === 0) fail(`${what}[0] must be a non-empty string; got ${short(name)}`);
  for (const [i, x] of [[1, node], [2, tensor]] as const) {
    if (!Number.isInteger(x) || (x as number) < 0) fail(`${what}[${i}] must be an integer >= 0; got ${short(x)}`);
  }
  return [name, node as number, tensor as number];
}

/** A Keras 3 `__keras_tensor__` argument: the output it names. */
function tensorRef(t: unknown, what: string, fail: Fail): TensorRef {
  if (!isJsonObject(t) || !isJsonObject(t.config)) fail(`${what} must be a Keras tensor; got ${short(t)}`);
  return ref(t.config.keras_history, `${what} 'keras_history'`, fail);
}

/** Whether a saved value holds a Keras tensor anywhere inside. */
function holdsTensor(v: unknown): boolean {
  if (Array.isArray(v)) return v.some(holdsTensor);
  return isJsonObject(v) && (v.class_name === '__keras_tensor__' || Object.values(v).some(holdsTensor));
}

/** The `mask` keyword argument (undefined when not saved); other keywords holding tensors are refused. */
function readMaskArg(kw: JsonObject, what: string, fail: Fail): TensorRef | null | undefined {
  for (const [k, v] of Object.entries(kw)) {
    if (k !== 'mask' && holdsTensor(v)) fail(`${what}: the keyword argument '${k}' passes tensors, which strata does not support`);
  }
  if (!('mask' in kw)) return undefined;
  const m = kw.mask;
  if (m === null || m === undefined) return null;
  if (!Array.isArray(m)) return tensorRef(m, `${what} 'mask'`, fail);
  if (m.every((x) => x === null)) return null;
  if (m.length !== 1) fail(`${what}: explicit masks for several inputs are not supported`);
  return tensorRef(m[0], `${what} 'mask'`, fail);
}

const ATTENTION_FLAGS = ['use_causal_mask', 'return_attention_scores'];

/** A Keras 3 call of MultiHeadAttention: `(query, value[, key], key=, attention_mask=, …)`. */
function attentionCall(args: JsonValue[], kw: JsonObject, what: string, fail: Fail): NodeSpec {
  const tensor = (t: unknown, w: string) => tensorRef(t, `${what} ${w}`, fail);
  // strata's .keras files before Keras' call form: one list [query, value, key?, attentionMask?].
  if (args.length === 1 && Array.isArray(args[0])) return { refs: args[0].map((t, i) => tensor(t, `tensor ${i}`)), single: false };
  if (args.length < 2 || args.length > 3) {
    fail(`${what}: MultiHeadAttention is called with (query, value[, key]); got ${args.length} positional argument(s)`);
  }
  const refs = args.map((t, i) => tensor(t, `tensor ${i}`));
  for (const [k, v] of Object.entries(kw)) {
    if (k === 'key' || k === 'attention_mask' || v === null) continue;
    // training=False is what Keras records for a graph built outside training.
    const ok = ATTENTION_FLAGS.includes(k) ? typeof v === 'boolean' : k === 'training' && v === false;
    if (!ok) {
      const hint = k.endsWith('_mask')
        ? 'strata takes the padding masks of query, value and key from the tensors, as Keras does when none is given'
        : `strata reads ${ATTENTION_FLAGS.join(', ')}, key and attention_mask`;
      fail(`${what}: MultiHeadAttention keyword argument '${k}' = ${short(v)} is not supported (${hint})`);
    }
  }
  if (kw.key !== undefined && kw.key !== null) {
    if (refs.length === 3) fail(`${what}: MultiHeadAttention is given its key both positionally and as a keyword`);
    refs.push(tensor(kw.key, "'key'"));
  }
  if (kw.attention_mask !== undefined && kw.attention_mask !== null) {
    // strata's inputs are [query, value, key, attentionMask]: the key defaults to the value.
    if (refs.length === 2) refs.push(refs[1]!);
    refs.push(tensor(kw.attention_mask, "'attention_mask'"));
  }
  const callConfig: JsonObject = {};
  for (const k of ATTENTION_FLAGS) callConfig[k] = kw[k] === true;
  return { refs, single: false, callConfig };
}

/** A Keras 3 node `{ args, kwargs }` of a layer or operation of class `className`. */
function keras3Node(node: JsonObject, className: string, what: string, fail: Fail): NodeSpec {
  if (!Array.isArray(node.args)) fail(`${what} 'args' must be a list; got ${short(node.args)}`);
  const args = node.args;
  const kw = node.kwargs === undefined || node.kwargs === null ? {} : node.kwargs;
  if (!isJsonObject(kw)) fail(`${what} 'kwargs' must be an object; got ${short(kw)}`);
  if (className === 'MultiHeadAttention') return attentionCall(args, kw, what, fail);
  const tensor = (t: unknown, i: number) => tensorRef(t, `${what} tensor ${i}`, fail);
  // A Keras numpy operation on a tensor and a number: `{ args: [tensor, 3.0] }`.
  if (args.length === 2 && (typeof args[0] === 'number') !== (typeof args[1] === 'number')) {
    const first = typeof args[0] === 'number';
    return { refs: [tensor(first ? args[1] : args[0], 0)], single: true, constant: { value: (first ? args[0] : args[1]) as number, first } };
  }
  // Mask operations on two masks: `logical_or(a, b)`.
  if ((MASK_OPS as readonly string[]).includes(className) && args.length === 2) return { refs: args.map(tensor), single: false };
  if (args.length !== 1) fail(`${what}: expected one positional argument; got ${args.length}`);
  const a = args[0];
  const mask = readMaskArg(kw, what, fail);
  const spec: NodeSpec = Array.isArray(a) ? { refs: a.map(tensor), single: false } : { refs: [tensor(a, 0)], single: true };
  return mask === undefined ? spec : { ...spec, mask };
}

/**
 * Reads `inbound_nodes` in the Keras 3 `{ args, kwargs }` form or the Keras 2 / tfjs-layers
 * list form.
 * @throws SerializationError (through `fail`) naming the layer and node.
 */
export function readNodes(v: unknown, className: string, layer: string, fail: Fail): NodeSpec[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) fail(`layer '${layer}' 'inbound_nodes' must be a list; got ${short(v)}`);
  return v.map((node, k): NodeSpec => {
    const what = `layer '${layer}' inbound node ${k}`;
    if (isJsonObject(node)) return keras3Node(node, className, what, fail);
    if (!Array.isArray(node)) fail(`${what} must be a list; got ${short(node)}`);
    const refs = node.map((r, i) => ref(r, `${what} input ${i}`, fail));
    if (className === 'MultiHeadAttention' && refs.length === 1) {
      fail(`${what}: MultiHeadAttention called on one tensor, with the others as keyword arguments (the Keras 2 form), is not supported; save the model with Keras 3`);
    }
    return { refs, single: refs.length === 1 };
  });
}

/**
 * The options all of a layer's calls set (see {@link NodeSpec.callConfig}), or undefined.
 * @throws SerializationError (through `fail`) when its calls disagree: strata sets them once.
 */
export function sharedCallConfig(nodes: NodeSpec[], layer: string, fail: Fail): JsonObject | undefined {
  const configs = nodes.map((n) => n.callConfig).filter((c): c is JsonObject => c !== undefined);
  if (configs.length === 0) return undefined;
  const first = JSON.stringify(configs[0]);
  if (configs.length !== nodes.length || configs.some((c) => JSON.stringify(c) !== first)) {
    fail(`layer '${layer}' is called with different ${Object.keys(configs[0]!).join(' / ')} in different places; strata sets them once per layer`);
  }
  return configs[0];
}

/** The Keras 3 `{ args, kwargs }` of one node of `layer`; `tensor` writes a symbolic tensor. */
export function keras3Call(layer: Layer, node: GraphNode, tensor: (t: SymbolicTensor) => JsonObject): JsonObject {
  if (layer instanceof MultiHeadAttention) {
    const [q, v, k, allowed] = node.inputs;
    const args = [tensor(q!), tensor(v!)];
    if (k && k !== v) args.push(tensor(k));
    const kwargs: JsonObject = {};
    if (allowed) kwargs.attention_mask = tensor(allowed);
    if (layer.useCausalMask) kwargs.use_causal_mask = true;
    if (layer.returnAttentionScores) kwargs.return_attention_scores = true;
    return { args, kwargs };
  }
  return { args: [node.singleInput ? tensor(node.inputs[0]!) : node.inputs.map(tensor)], kwargs: {} };
}

/** A layer's Keras 3 config without the options Keras takes per call (they go into each call's kwargs). */
export function keras3Config(className: string, config: JsonObject): JsonObject {
  if (className !== 'MultiHeadAttention') return config;
  const out = { ...config };
  for (const k of ATTENTION_FLAGS) delete out[k];
  // Keras keeps output_shape as a tuple.
  if (typeof out.output_shape === 'number') out.output_shape = [out.output_shape];
  return out;
}
