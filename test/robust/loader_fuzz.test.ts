/**
 * Fuzzing the loaders with fast-check: random byte flips, truncations and JSON edits of
 * valid model.json / weight shards / .keras / .h5 files. Every case must end, quickly, in
 * either a loaded model or a StrataError (never a raw TypeError/RangeError, a hang or a
 * crash), leak no tensors, and stay within a memory bound. Where the format can detect
 * corruption (strata's content-named shards, zip CRCs), a loaded model must also predict
 * exactly as the original. HDF5 keeps no checksum of dataset bytes, so a flipped weight
 * byte in a .h5 file cannot be detected; there, only the first property is asserted.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as st from '../../src/index.js';

const { tf } = st;
const RUNS = Number(process.env.FUZZ_RUNS ?? 40);
let root: string;
let x: st.tf.Tensor;

beforeAll(async () => {
  await st.setBackend('cpu');
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-fuzz-'));
  x = tf.randomNormal([3, 4], 0, 1, 'float32', 7);
});

afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
  x.dispose();
});

function net() {
  return st.sequential([
    st.layers.input({ shape: [4] }),
    st.layers.dense({ units: 5, activation: 'relu', kernelInitializer: st.initializers.glorotUniform({ seed: 1 }) }),
    st.layers.dense({ units: 2, kernelInitializer: st.initializers.glorotUniform({ seed: 2 }) }),
  ]);
}

function predict(m: { predict(t: st.tf.Tensor): st.tf.Tensor | st.tf.Tensor[] }, input: st.tf.Tensor): number[] {
  const y = m.predict(input) as st.tf.Tensor;
  const v = Array.from(y.dataSync());
  y.dispose();
  return v;
}

/** A mutation of bytes: flips, a truncation, or a run of bytes overwritten. */
const byteMutation = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }), count: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('overwrite' as const), at: fc.nat(), data: fc.uint8Array({ minLength: 1, maxLength: 16 }) }),
);
type ByteMutation = typeof byteMutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(bytes: Uint8Array, m: ByteMutation): Uint8Array {
  const out = bytes.slice();
  if (bytes.length === 0) return out;
  const at = m.at % bytes.length;
  if (m.kind === 'flip') for (let i = 0; i < m.count; i++) out[(at + i * 97) % out.length]! ^= 1 << m.bit;
  else if (m.kind === 'truncate') return out.subarray(0, at);
  else out.set(m.data.subarray(0, out.length - at), at);
  return out;
}

/** Loads, predicts, disposes: 'error' for a StrataError, the predictions otherwise; rethrows anything else. */
async function attempt(load: () => Promise<{ predict(t: st.tf.Tensor): st.tf.Tensor | st.tf.Tensor[]; dispose(): void }>,
  input: st.tf.Tensor): Promise<'error' | number[]> {
  const before = tf.memory().numTensors;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('the load hung for 20 s')), 20_000);
  });
  try {
    const m = await Promise.race([load(), timeout]);
    try {
      return predict(m, input);
    } catch (e) {
      if (e instanceof st.StrataError) return 'error';
      throw e;
    } finally {
      m.dispose();
    }
  } catch (e) {
    if (e instanceof st.StrataError) return 'error';
    throw e;
  } finally {
    clearTimeout(timer);
    expect(tf.memory().numTensors).toBe(before);
  }
}

describe('loader fuzzing', () => {
  it('file:// shards: same predictions or a StrataError', async () => {
    const dir = path.join(root, 'shard');
    const m = net();
    const want = predict(m, x);
    await m.save(`file://${dir}`);
    m.dispose();
    const shard = path.join(dir, fs.readdirSync(dir).find((f) => f.endsWith('.bin'))!);
    const original = new Uint8Array(fs.readFileSync(shard));
    const seen = { error: 0, same: 0 };
    await fc.assert(fc.asyncProperty(byteMutation, async (mu) => {
      fs.writeFileSync(shard, mutate(original, mu));
      const r = await attempt(() => st.loadModel(`file://${dir}`), x);
      if (r === 'error') seen.error++;
      else {
        seen.same++;
        expect(r).toEqual(want);
      }
    }), { numRuns: RUNS, seed: 15 });
    expect(seen.error).toBeGreaterThan(0);
  });

  it('file:// model.json: byte edits and JSON value edits end in a model or a StrataError', async () => {
    const dir = path.join(root, 'json');
    const m = net();
    await m.save(`file://${dir}`);
    m.dispose();
    const file = path.join(dir, 'model.json');
    const original = new Uint8Array(fs.readFileSync(file));
    const json = JSON.parse(new TextDecoder().decode(original)) as unknown;
    const jsonEdit = fc.record({ pick: fc.nat(), value: fc.jsonValue({ maxDepth: 3 }) });
    const seen = { error: 0, loaded: 0 };
    await fc.assert(fc.asyncProperty(fc.oneof(byteMutation.map((b) => ({ b })), jsonEdit.map((j) => ({ j }))), async (mu) => {
      const bytes = 'b' in mu ? mutate(original, mu.b) : new TextEncoder().encode(JSON.stringify(editJson(json, mu.j.pick, mu.j.value)));
      fs.writeFileSync(file, bytes);
      const r = await attempt(() => st.loadModel(`file://${dir}`), x);
      if (r === 'error') seen.error++;
      else seen.loaded++;
    }), { numRuns: RUNS * 2, seed: 16 });
    expect(seen.error).toBeGreaterThan(0);
  });

  it('.keras archives: same predictions or a StrataError', async () => {
    const m = net();
    const want = predict(m, x);
    const original = await st.saveKerasModel(m);
    m.dispose();
    const seen = { error: 0, same: 0 };
    await fc.assert(fc.asyncProperty(byteMutation, async (mu) => {
      const r = await attempt(() => st.loadKerasModel(mutate(original, mu)), x);
      if (r === 'error') seen.error++;
      else {
        seen.same++;
        expect(r).toEqual(want);
      }
    }), { numRuns: RUNS, seed: 17 });
    expect(seen.error).toBeGreaterThan(0);
  });

  it('.h5 files: a model or a StrataError, never a raw error', async () => {
    const original = new Uint8Array(fs.readFileSync(path.join(__dirname, '../fixtures/keras/legacy_sequential.h5')));
    const ref = await st.loadKerasModel(original);
    const shape = ref.inputShapes[0]!.slice(1) as number[];
    ref.dispose();
    const input = tf.randomNormal([2, ...shape], 0, 1, 'float32', 3);
    const rss = process.memoryUsage().rss;
    const seen = { error: 0, loaded: 0 };
    await fc.assert(fc.asyncProperty(byteMutation, async (mu) => {
      const r = await attempt(() => st.loadKerasModel(mutate(original, mu)), input);
      if (r === 'error') seen.error++;
      else seen.loaded++;
    }), { numRuns: RUNS, seed: 18 });
    input.dispose();
    expect(seen.error).toBeGreaterThan(0);
    expect(process.memoryUsage().rss - rss).toBeLessThan(512 * 2 ** 20);
  });
});

/** Replaces the `pick`-th value (in a depth-first walk) of a JSON tree by `value`. */
function editJson(tree: unknown, pick: number, value: unknown): unknown {
  const slots: { parent: Record<string, unknown> | unknown[]; key: string | number }[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach((v, i) => (slots.push({ parent: node, key: i }), walk(v)));
    else if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) (slots.push({ parent: node as Record<string, unknown>, key: k }), walk(v));
  };
  const copy = JSON.parse(JSON.stringify(tree)) as unknown;
  walk(copy);
  if (slots.length === 0) return value;
  const s = slots[pick % slots.length]!;
  (s.parent as Record<string | number, unknown>)[s.key] = value;
  return copy;
}
