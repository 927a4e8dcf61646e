/**
 * Hostile and broken model files: each is a clear SerializationError, nothing is left
 * allocated, and absurd sizes are refused before any allocation.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModel as loadFromNode } from '../../src/io/node/index.js';
import { memory } from './helpers.js';
import * as st from './st.js';

const { tf } = st;
const L = st.layers;
let good: st.tf.io.ModelArtifacts;
let root: string;

beforeAll(async () => {
  await st.setBackend('cpu');
  const m = st.sequential([L.input({ shape: [4] }), L.dense({ units: 3, activation: 'relu' }), L.dense({ units: 2 })]);
  const mem = memory();
  await st.saveModel(m, mem.save);
  good = mem.artifacts();
  m.dispose();
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-hostile-'));
});

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

type Artifacts = st.tf.io.ModelArtifacts & { modelTopology: any; weightSpecs: any[] };

/** Loads `good` changed by `edit`; expects a SerializationError matching `message` and no leaked tensors. */
async function rejects(edit: (a: Artifacts) => void, message: RegExp): Promise<void> {
  const a = structuredClone(good) as Artifacts;
  edit(a);
  const before = tf.memory().numTensors;
  const err = await st.loadModel(tf.io.fromMemory(a)).catch((e: unknown) => e);
  expect(tf.memory().numTensors).toBe(before);
  expect(err).toBeInstanceOf(st.SerializationError);
  expect(String((err as Error).message)).toMatch(message);
}

describe('hostile input', () => {
  it('the untouched artifacts load (the baseline of the cases below)', async () => {
    const m = await st.loadModel(tf.io.fromMemory(structuredClone(good)));
    m.dispose();
  });

  it('a truncated weight shard', async () => {
    await rejects((a) => { a.weightData = (a.weightData as ArrayBuffer).slice(0, 40); }, /needs \d+ bytes at offset \d+, but the weight data has only 40 bytes/);
  });

  it('a missing weight shard (no weight data at all)', async () => {
    await rejects((a) => { delete a.weightData; }, /weight data has only 0 bytes/);
  });

  it('extra bytes the manifest does not account for', async () => {
    await rejects((a) => {
      a.weightData = tf.io.concatenateArrayBuffers([a.weightData as ArrayBuffer, new ArrayBuffer(8)]);
    }, /manifest accounts for \d+ bytes but the weight data has \d+/);
  });

  it('a manifest shape that differs from the model', async () => {
    await rejects((a) => { a.weightSpecs[0].shape = [3, 4]; }, /weight 'dense\/kernel' has shape \[4,3\] in the model but \[3,4\] in the file/);
  });

  it('a manifest weight name the model does not have', async () => {
    await rejects((a) => { a.weightSpecs[1].name = 'dense/bogus'; }, /no values for weight\(s\) dense\/bias/);
  });

  it('a weight listed twice', async () => {
    await rejects((a) => { a.weightSpecs[1].name = 'dense/kernel'; }, /'dense\/kernel' appears twice/);
  });

  it('an unsupported dtype and a bad quantization', async () => {
    await rejects((a) => { a.weightSpecs[0].dtype = 'string'; }, /unsupported dtype "string"/);
    await rejects((a) => { a.weightSpecs[0].dtype = 'constructor'; }, /unsupported dtype "constructor"/);
    await rejects((a) => { a.weightSpecs[0].quantization = { dtype: 'uint8', min: 0, scale: 'x' }; }, /quantization 'scale' must be a finite number/);
  });

  it('a claimed 10^12-element weight is refused from the byte count, without allocating', async () => {
    await rejects((a) => { a.weightSpecs[0].shape = [1_000_000, 1_000_000]; }, /shape \[1000000,1000000\] needs \d+ bytes/);
    await rejects((a) => { a.weightSpecs[0].shape = [-4, 3]; }, /'shape' must be a list of integers >= 0/);
    await rejects((a) => { a.weightSpecs[0].shape = [4.5, 3]; }, /'shape' must be a list of integers >= 0/);
  });

  it('a config claiming a huge layer is refused before its weight is allocated', async () => {
    await rejects((a) => { a.modelTopology.config.layers[0].config.batch_input_shape = [null, 1e12]; },
      /asks for a weight of shape \[1000000000000,3\], more values than the 23 the weight file holds/);
    await rejects((a) => { a.modelTopology.config.layers[0].config.units = 1e12; }, /'units' = 1000000000000 needs more weight values than the 23/);
  });

  it('a composite block claiming huge inner layers is refused before building', async () => {
    const m = st.sequential([L.input({ shape: [4, 4, 2] }), L.residualBlock({ filters: 2 })]);
    const mem = memory();
    await st.saveModel(m, mem.save);
    m.dispose();
    const a = mem.artifacts() as Artifacts;
    a.modelTopology.config.layers[0].config.filters = 1e9;
    const before = tf.memory().numTensors;
    await expect(st.loadModel(tf.io.fromMemory(a))).rejects.toThrow(/'filters' = 1000000000 needs more weight values than the \d+ the weight file holds/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('malformed JSON in model.json', async () => {
    const dir = path.join(root, 'badjson');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'model.json'), '{"modelTopology": {"class_name": "Sequential", ');
    const err = await loadFromNode(`file://${dir}`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(st.SerializationError);
    expect(String(err)).toMatch(/is not valid JSON/);
  });

  it('a topology of the wrong kind', async () => {
    await rejects((a) => { a.modelTopology = 'Sequential'; }, /model topology must be a JSON object/);
    await rejects((a) => { a.format = 'graph-model'; }, /is a 'graph-model', not a layers model/);
    await rejects((a) => { a.modelTopology.class_name = 'Frobnicator'; }, /must be Sequential, Functional or Model; got 'Frobnicator'/);
    await rejects((a) => { a.modelTopology.config.layers = 'all of them'; }, /Sequential 'layers' must be a list/);
  });

  it('an unknown layer class, including names of Object members', async () => {
    for (const cls of ['Frobnicate', 'constructor', '__proto__', 'toString']) {
      await rejects((a) => { a.modelTopology.config.layers[1].class_name = cls; }, new RegExp(`unknown layer class '${cls}'; known classes: .*Dense`));
    }
  });

  it('a bad option value and an option strata does not support', async () => {
    await rejects((a) => { a.modelTopology.config.layers[1].config.units = -1; }, /layer 'dense_1' \(Dense\): bad config: .*'units' must be a positive integer/);
    await rejects((a) => {
      a.modelTopology.config.layers[1].config.kernel_constraint = { class_name: 'MaxNorm', config: { max_value: 2 } };
    }, /config key\(s\) 'kernelConstraint' are not supported by Dense 'dense_1'/);
  });

  it('a functional graph with a dangling reference and one with a cycle', async () => {
    const x = L.input({ shape: [3], name: 'x' });
    const h = L.dense({ units: 2, name: 'h' }).apply(x);
    const out = L.dense({ units: 1, name: 'out' }).apply(h);
    const m = st.model({ inputs: x, outputs: out });
    const mem = memory();
    await st.saveModel(m, mem.save);
    m.dispose();
    const base = mem.artifacts();
    const load = async (edit: (c: any) => void, message: RegExp) => {
      const a = structuredClone(base) as Artifacts;
      edit(a.modelTopology.config);
      const before = tf.memory().numTensors;
      await expect(st.loadModel(tf.io.fromMemory(a))).rejects.toThrow(message);
      expect(tf.memory().numTensors).toBe(before);
    };
    await load((c) => { c.layers[1].inbound_nodes = [[['ghost', 0, 0, {}]]]; }, /layer 'h' needs output 0 of node 0 of layer 'ghost', which the model never produces/);
    await load((c) => { c.layers[1].inbound_nodes = [[['out', 0, 0, {}]]]; }, /layer 'h' needs output 0 of node 0 of layer 'out'/);
    await load((c) => { c.output_layers = [['out', 5, 0]]; }, /names output 0 of node 5 of layer 'out', which does not exist/);
    await load((c) => { c.layers[2].name = 'h'; }, /two layers are named 'h'/);
  });

  it('models nested without end', async () => {
    await rejects((a) => {
      let entry: any = { class_name: 'Dense', config: { units: 2, name: 'd' } };
      for (let i = 0; i < 40; i++) entry = { class_name: 'Sequential', config: { name: `s${i}`, layers: [entry] } };
      a.modelTopology = entry;
    }, /nested more than 32 deep/);
  });

  it('weight data of the wrong type from a broken handler', async () => {
    await rejects((a) => { (a as { weightData: unknown }).weightData = 'AAAA'; }, /weight data must be an ArrayBuffer/);
  });

  it('a handler whose load() throws', async () => {
    const h: st.tf.io.IOHandler = { load: async () => { throw new Error('network down'); } };
    await expect(st.loadModel(h)).rejects.toThrow(/cannot read the model: network down/);
    await expect(st.loadModel(h)).rejects.toBeInstanceOf(st.SerializationError);
  });
});
