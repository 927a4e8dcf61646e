/**
 * Keras 3 saves the padding masks of a functional graph explicitly: `Embedding(mask_zero=True)`
 * becomes an operation `not_equal(tokens, 0)` beside the embedding, `Masking(v)` becomes
 * `any(not_equal(x, v), axis=-1)`, a merge of masked tensors `logical_or(a, b)`, a
 * Concatenate layer's `any(concatenate([logical_or(expand_dims(m, -1), zeros_like(x)), …]),
 * axis=-1)` (`ones_like(x)` for an input without a mask), and every
 * layer whose call takes `mask` gets the result (or `null`) as that keyword argument. strata
 * carries masks implicitly (each layer's `computeMask`), so such a file is read without the
 * operations, after checking, for each layer given a `mask`, that the mask strata hands that
 * layer is the same one: both are evaluated on the probe of mask_probe.ts.
 * @module
 */
import type { SymbolicTensor } from '../../engine/symbolic.js';
import { probeShape, sameMask, type MaskProbe, type ProbeMask } from './mask_probe.js';

/** The Keras classes of the operations that make masks, as strata reads them (and `Concatenate`). */
export const MASK_OPS = ['NotEqual', 'Any', 'LogicalOr', 'LogicalAnd', 'ExpandDims', 'ZerosLike', 'OnesLike'] as const;

/** A Keras mask operation's class. */
export type MaskOpName = (typeof MASK_OPS)[number] | 'Concatenate';

/** A reference to a layer's output: `[layer, node, tensor]`. */
export type TensorRef = [string, number, number];

/**
 * The mask operation a config entry is, if any: one of {@link MASK_OPS}, or Keras' numpy
 * `Concatenate` (which joins the masks of a Concatenate layer's inputs), told from the layer of
 * the same name by its module or, in legacy `.h5` files that leave the module out, by
 * reading only mask operations.
 */
export function maskOpOf(className: unknown, numpyModule: boolean, refs: TensorRef[], isMask: (name: string) => boolean): MaskOpName | undefined {
  if (typeof className !== 'string') return undefined;
  if ((MASK_OPS as readonly string[]).includes(className)) return className as MaskOpName;
  if (className === 'Concatenate' && (numpyModule || (refs.length > 0 && refs.every((r) => isMask(r[0]))))) return 'Concatenate';
  return undefined;
}

/** One mask operation of a functional config, as saved. */
export interface MaskOpSpec {
  /** Its Keras class. */
  op: MaskOpName;
  /** Its tensor arguments. */
  refs: TensorRef[];
  /** The number `not_equal` compares with. */
  constant?: number;
  /** The axis of `any`, `expand_dims` and `concatenate`. */
  axis?: unknown;
  /** Whether `any` keeps the axis. */
  keepdims?: unknown;
}

/**
 * The spec of a mask operation's entry, from its single call.
 * @throws SerializationError (through `fail`) naming the operation for another form.
 */
export function maskOpSpec(
  op: MaskOpName, name: string, config: Record<string, unknown>,
  nodes: { refs: TensorRef[]; constant?: { value: number } }[], fail: (msg: string) => never,
): MaskOpSpec {
  const where = `operation '${name}' (${op})`;
  const node = nodes[0];
  if (nodes.length !== 1 || !node) fail(`${where}: expected one call; got ${nodes.length}`);
  const n = op === 'LogicalOr' || op === 'LogicalAnd' ? 2 : op === 'Concatenate' ? node.refs.length : 1;
  if (node.refs.length !== n || n === 0 || (op === 'NotEqual') !== (node.constant !== undefined)) {
    fail(`${where}: expected ${op === 'NotEqual' ? 'a tensor and a number' : op === 'Concatenate' ? 'a list of masks' : `${n} tensor(s)`} as arguments`);
  }
  return { op, refs: node.refs, constant: node.constant?.value, axis: config.axis, keepdims: config.keepdims };
}

/** `a` and `b` combined entry by entry, broadcasting axes of size 1 (same rank). */
function broadcast(a: ProbeMask, b: ProbeMask, f: (x: boolean, y: boolean) => boolean): ProbeMask | undefined {
  if (a.shape.length !== b.shape.length) return undefined;
  const shape = a.shape.map((d, i) => Math.max(d, b.shape[i]!));
  if (a.shape.some((d, i) => d !== shape[i] && d !== 1) || b.shape.some((d, i) => d !== shape[i] && d !== 1)) return undefined;
  const at = (m: ProbeMask, idx: number[]) => m.values[idx.reduce((o, v, i) => o * m.shape[i]! + (m.shape[i] === 1 ? 0 : v), 0)]!;
  const size = shape.reduce((x, y) => x * y, 1);
  const values: boolean[] = [];
  for (let k = 0; k < size; k++) {
    const idx: number[] = [];
    let r = k;
    for (let i = shape.length - 1; i >= 0; i--) {
      idx[i] = r % shape[i]!;
      r = Math.floor(r / shape[i]!);
    }
    values.push(f(at(a, idx), at(b, idx)));
  }
  return { shape, values };
}

/** Masks of one rank joined along `axis` (all other sizes equal). */
function concat(ms: ProbeMask[], axis: number): ProbeMask | undefined {
  const rank = ms[0]!.shape.length;
  if (ms.some((m) => m.shape.length !== rank || m.shape.some((d, i) => i !== axis && d !== ms[0]!.shape[i]))) return undefined;
  const outer = ms[0]!.shape.slice(0, axis).reduce((x, y) => x * y, 1);
  const values: boolean[] = [];
  for (let o = 0; o < outer; o++) {
    for (const m of ms) {
      const block = m.shape.slice(axis).reduce((x, y) => x * y, 1);
      values.push(...m.values.slice(o * block, (o + 1) * block));
    }
  }
  const shape = [...ms[0]!.shape];
  shape[axis] = ms.reduce((n, m) => n + m.shape[axis]!, 0);
  return { shape, values };
}

/** Evaluates the mask operations of one graph on a {@link MaskProbe}; errors name the operation. */
export class MaskOps {
  private readonly values = new Map<string, ProbeMask>();
  private readonly busy = new Set<string>();

  /**
   * @param specs - the graph's mask operations by name.
   * @param lookup - the graph tensor a reference names (undefined until it is made).
   * @param probe - the probe strata's carried masks are evaluated on.
   * @param fail - throws a SerializationError with the message.
   */
  constructor(
    readonly specs: Map<string, MaskOpSpec>,
    private readonly lookup: (r: TensorRef) => SymbolicTensor | undefined,
    private readonly probe: MaskProbe,
    private readonly fail: (msg: string) => never,
  ) {}

  /** Whether every graph tensor the operation reads (through other operations) exists yet. */
  ready(name: string, depth = 0): boolean {
    const spec = this.specs.get(name);
    if (!spec || depth > 64) return false;
    return spec.refs.every((r) => (this.specs.has(r[0]) ? this.ready(r[0], depth + 1) : this.lookup(r) !== undefined));
  }

  /** The mask the operation `name` makes, on the probe. */
  value(name: string): ProbeMask {
    const known = this.values.get(name);
    if (known) return known;
    const spec = this.specs.get(name)!;
    const where = `operation '${name}' (${spec.op})`;
    if (this.busy.has(name)) this.fail(`${where}: the mask operations form a cycle`);
    this.busy.add(name);
    const v = this.evaluate(spec, where);
    this.busy.delete(name);
    this.values.set(name, v);
    return v;
  }

  private operand(r: TensorRef, where: string): ProbeMask {
    if (!this.specs.has(r[0])) this.fail(`${where}: strata reads it only over other mask operations; got the output of '${r[0]}'`);
    if (r[1] !== 0 || r[2] !== 0) this.fail(`${where}: reads output ${r[2]} of node ${r[1]} of '${r[0]}', which a mask operation does not have`);
    return this.value(r[0]);
  }

  /** The graph tensor (not a mask operation) an operation reads. */
  private data(r: TensorRef, where: string): SymbolicTensor {
    if (this.specs.has(r[0])) this.fail(`${where}: strata reads it only on a layer's output; got the mask operation '${r[0]}'`);
    return this.lookup(r)!;
  }

  private evaluate(spec: MaskOpSpec, where: string): ProbeMask {
    const { op } = spec;
    const axisOf = (rank: number) => (Number.isInteger(spec.axis) ? ((spec.axis as number) < 0 ? rank + (spec.axis as number) : (spec.axis as number)) : -1);
    if (op === 'NotEqual') {
      const x = this.data(spec.refs[0]!, where);
      const c = spec.constant!;
      if (x.shape.length === 2) {
        if (c !== 0) this.fail(`${where}: strata reads it only as the padding mask of Embedding(mask_zero=True), not_equal(x, 0); got a comparison with ${c}`);
        return this.probe.source(x, 0);
      }
      if (x.shape.length !== 3) this.fail(`${where}: strata reads it only on [batch, time] tokens or [batch, time, features] data; got rank ${x.shape.length}`);
      // Masking's any(not_equal(x, v), axis=-1): equal to v on every feature of a padded step.
      const m = this.probe.source(x, c);
      const f = x.shape[2] ?? 1;
      return { shape: [...m.shape, f], values: m.values.flatMap((v) => Array<boolean>(f).fill(v)) };
    }
    if (op === 'ZerosLike' || op === 'OnesLike') {
      const shape = probeShape(this.data(spec.refs[0]!, where));
      return { shape, values: Array<boolean>(shape.reduce((x, y) => x * y, 1)).fill(op === 'OnesLike') };
    }
    if (op === 'LogicalOr' || op === 'LogicalAnd') {
      const [a, b] = [this.operand(spec.refs[0]!, where), this.operand(spec.refs[1]!, where)];
      const out = broadcast(a, b, op === 'LogicalOr' ? (x, y) => x || y : (x, y) => x && y);
      return out ?? this.fail(`${where}: strata reads it only on masks of one rank whose sizes match or are 1; got [${a.shape}] and [${b.shape}]`);
    }
    if (op === 'Concatenate') {
      const ms = spec.refs.map((r) => this.operand(r, where));
      const axis = axisOf(ms[0]!.shape.length);
      const out = axis >= 1 ? concat(ms, axis) : undefined;
      return out ?? this.fail(`${where}: strata reads it only on masks of one shape but along axis ${JSON.stringify(spec.axis)}; got ${ms.map((m) => `[${m.shape}]`).join(', ')}`);
    }
    const a = this.operand(spec.refs[0]!, where);
    const rank = a.shape.length;
    if (op === 'ExpandDims') {
      if (axisOf(rank + 1) !== rank) this.fail(`${where}: strata reads it only with axis -1; got axis ${JSON.stringify(spec.axis)}`);
      return { shape: [...a.shape, 1], values: a.values };
    }
    if (axisOf(rank) !== rank - 1 || spec.keepdims === true || rank < 2) {
      this.fail(`${where}: strata reads it only as any(..., axis=-1), as Masking and Concatenate make masks; got axis ${JSON.stringify(spec.axis)}, keepdims ${JSON.stringify(spec.keepdims)}`);
    }
    const f = a.shape[rank - 1]!;
    const values: boolean[] = [];
    for (let i = 0; i < a.values.length; i += f) values.push(a.values.slice(i, i + f).some((v) => v));
    return { shape: a.shape.slice(0, -1), values };
  }

  /**
   * Checks that the mask Keras passes a layer explicitly (`explicit`: a mask operation, or
   * `null` for none) is the mask strata carries on the layer's input.
   * @throws SerializationError (through `fail`) naming the layer when they differ.
   */
  check(layer: string, input: SymbolicTensor, explicit: TensorRef | null): void {
    const carried = this.probe.carried(input);
    const what = explicit ? `the mask '${explicit[0]}'` : 'no mask (mask=None)';
    if (carried === 'unknown') {
      this.fail(`layer '${layer}' is given ${what} explicitly, and strata cannot tell which mask its input carries (a layer on the way makes a mask strata does not know)`);
    }
    if (explicit && !this.specs.has(explicit[0])) {
      this.fail(`layer '${layer}' is given an explicit mask from '${explicit[0]}'; strata supports only the padding masks of Embedding(mask_zero=True) and Masking, and Keras' operations on them (${[...MASK_OPS, 'Concatenate'].join(', ')})`);
    }
    const want = explicit ? this.operand(explicit, `layer '${layer}'`) : null;
    if (sameMask(want, carried)) return;
    this.fail(
      explicit
        ? `layer '${layer}' is given ${what} explicitly, which is not the padding mask its input carries in strata (from an Embedding(mask_zero=True) or Masking, as each layer passes it on); strata supports only that one`
        : `layer '${layer}' is given no mask (mask=None) by Keras, but its input carries a padding mask in strata (from an Embedding(mask_zero=True) or Masking); the two would compute differently`,
    );
  }
}
