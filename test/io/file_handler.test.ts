/** The Node `file://` handler: layout on disk, overwrite, atomicity when a save fails. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fileSystem, loadModel, saveModel } from '../../src/io/node/index.js';
import { registerFileRouters } from '../../src/io/node/routers.js';
import * as withSave from '../../src/io/models.js';
import * as st from './st.js';

const { tf } = st;
const L = st.layers;
let root: string;

beforeAll(async () => {
  await st.setBackend('cpu');
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-io-'));
});

afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

function net(seed: number): st.Sequential {
  return st.sequential([
    L.input({ shape: [3] }),
    L.dense({ units: 4, activation: 'relu', kernelInitializer: st.initializers.glorotUniform({ seed }) }),
    L.dense({ units: 2, kernelInitializer: st.initializers.glorotUniform({ seed: seed + 1 }) }),
  ]);
}

async function same(a: st.Sequential | st.Model, b: st.Sequential | st.Model): Promise<boolean> {
  const wa = a.getWeights();
  const wb = b.getWeights();
  const eq = wa.length === wb.length && wa.every((t, i) => tf.util.arraysEqual(t.dataSync(), wb[i]!.dataSync()));
  tf.dispose([...wa, ...wb]);
  return eq;
}

describe('file:// handler', () => {
  it('writes model.json with a weights manifest and one shard, and loads it back', async () => {
    const dir = path.join(root, 'a', 'nested');
    const m = net(1);
    m.compile({ optimizer: 'adam', loss: 'mse' });
    await saveModel(m, `file://${dir}`, { includeOptimizer: true });
    const files = fs.readdirSync(dir).sort();
    expect(files).toHaveLength(2);
    expect(files[0]).toBe('model.json');
    expect(files[1]).toMatch(/^model\.weights\.[0-9a-f]{16}\.bin$/);
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
    expect(json.format).toBe('layers-model');
    expect(json.modelTopology.class_name).toBe('Sequential');
    expect(json.modelTopology.keras_version).toMatch(/strata/);
    expect(json.modelTopology.backend).toBe('tensor_flow.js');
    expect(json.trainingConfig.optimizer_config.class_name).toBe('Adam');
    expect(json.weightsManifest).toHaveLength(1);
    expect(json.weightsManifest[0].paths).toEqual([files[1]]);
    expect(json.weightsManifest[0].weights.map((w: { name: string }) => w.name)).toContain('dense/kernel');
    const bytes = json.weightsManifest[0].weights.reduce((a: number, w: { shape: number[] }) => a + 4 * w.shape.reduce((x, y) => x * y, 1), 0);
    expect(fs.statSync(path.join(dir, files[1]!)).size).toBe(bytes);
    for (const url of [`file://${dir}`, `file://${dir}/model.json`]) {
      const again = await loadModel(url);
      expect(await same(m, again)).toBe(true);
      expect(again.optimizer?.className).toBe('Adam');
      again.dispose();
    }
    m.dispose();
  });

  it('overwriting replaces the model and removes the old shard', async () => {
    const dir = path.join(root, 'overwrite');
    const a = net(1);
    const b = net(7);
    await saveModel(a, fileSystem(dir));
    await saveModel(b, fileSystem(dir));
    const files = fs.readdirSync(dir);
    expect(files).toHaveLength(2);
    const again = await loadModel(`file://${dir}`);
    expect(await same(b, again)).toBe(true);
    expect(await same(a, again)).toBe(false);
    for (const m of [a, b, again]) m.dispose();
  });

  it('a save that fails before its commit leaves the old model intact and no stray files', async () => {
    const dir = path.join(root, 'atomic');
    const a = net(1);
    const b = net(7);
    await saveModel(a, `file://${dir}`);
    const before = fs.readdirSync(dir).sort();
    const rename = fs.promises.rename;
    const spy = vi.spyOn(fs.promises, 'rename').mockImplementation(async (from, to) => {
      if (String(to).endsWith('model.json')) throw new Error('disk full (simulated)');
      return rename(from, to);
    });
    try {
      await expect(saveModel(b, `file://${dir}`)).rejects.toThrow(/disk full/);
    } finally {
      spy.mockRestore();
    }
    expect(fs.readdirSync(dir).sort()).toEqual(before);
    const again = await loadModel(`file://${dir}`);
    expect(await same(a, again)).toBe(true);
    for (const m of [a, b, again]) m.dispose();
  });

  it('a missing directory, a missing shard and a shard path outside the directory are SerializationErrors', async () => {
    await expect(loadModel(`file://${path.join(root, 'nope')}`)).rejects.toThrow(st.SerializationError);
    const dir = path.join(root, 'broken');
    const m = net(1);
    await saveModel(m, `file://${dir}`);
    const shard = fs.readdirSync(dir).find((f) => f.endsWith('.bin'))!;
    fs.renameSync(path.join(dir, shard), path.join(dir, 'elsewhere.bin'));
    await expect(loadModel(`file://${dir}`)).rejects.toThrow(/missing or unreadable weight shard/);
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
    json.weightsManifest[0].paths = ['../../etc/passwd'];
    fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(json));
    await expect(loadModel(`file://${dir}`)).rejects.toThrow(/must be a relative path inside the model's directory/);
    m.dispose();
  });

  it('model.save through the registered file:// router, to a directory and to a .keras file', async () => {
    registerFileRouters();
    const m = withSave.sequential([L.input({ shape: [3] }), L.dense({ units: 2, kernelInitializer: st.initializers.glorotUniform({ seed: 3 }) })]);
    const dir = path.join(root, 'via-router');
    await m.save(`file://${dir}`);
    await m.save(`file://${dir}.keras`);
    // The common loadModel finds the handler through tfjs-core's routers.
    for (const url of [`file://${dir}`, `file://${dir}.keras`]) {
      const again = await st.loadModel(url);
      expect(await same(m, again)).toBe(true);
      again.dispose();
    }
    m.dispose();
  });
});
