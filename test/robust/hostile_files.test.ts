/** Hostile and corrupt files on disk: every case is a SerializationError, quickly, with bounded memory. */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as st from '../../src/index.js';

const { tf } = st;
let root: string;
const fixture = (name: string) => new Uint8Array(fs.readFileSync(path.join(__dirname, '../fixtures/keras', name)));

beforeAll(async () => {
  await st.setBackend('cpu');
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-hostile-'));
});

afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

function net() {
  return st.sequential([
    st.layers.input({ shape: [3] }),
    st.layers.dense({ units: 4, kernelInitializer: st.initializers.glorotUniform({ seed: 1 }) }),
  ]);
}

async function saved(name: string): Promise<{ dir: string; shard: string }> {
  const dir = path.join(root, name);
  const m = net();
  await m.save(`file://${dir}`);
  m.dispose();
  const shard = fs.readdirSync(dir).find((f) => f.endsWith('.bin'))!;
  return { dir, shard: path.join(dir, shard) };
}

const rejectsWith = async (p: Promise<unknown>, re: RegExp) => {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(st.SerializationError);
  expect(String((e as Error).message)).toMatch(re);
};

describe('corrupt weights are detected', () => {
  it('a flipped byte in a file:// shard', async () => {
    const { dir, shard } = await saved('flip');
    const b = fs.readFileSync(shard);
    b[5] ^= 0x10;
    fs.writeFileSync(shard, b);
    await rejectsWith(st.loadModel(`file://${dir}`), /weight shard 'model\.weights\.[0-9a-f]+\.bin' is corrupt: its content hash/);
  });

  it('a truncated or padded shard', async () => {
    const { dir, shard } = await saved('trunc');
    const b = fs.readFileSync(shard);
    fs.writeFileSync(shard, b.subarray(0, b.length - 4));
    await rejectsWith(st.loadModel(`file://${dir}`), /shards hold 60 bytes but the manifest declares 64/);
    fs.writeFileSync(shard, Buffer.concat([b, Buffer.alloc(100)]));
    await rejectsWith(st.loadModel(`file://${dir}`), /holds more bytes than the 64 its manifest declares/);
  });

  it('random or truncated HDF5 weights: a plain error, no HDF5-DIAG noise on stderr', async () => {
    const err = vi.spyOn(process.stderr, 'write');
    const cerr = vi.spyOn(console, 'error');
    const h5 = fixture('legacy_sequential.h5');
    await rejectsWith(st.loadKerasModel(h5.subarray(0, 600)), /not a readable HDF5 file/);
    const junk = new Uint8Array(4096).map((_, i) => (i * 7919) % 251);
    junk.set([0x89, 0x48, 0x44, 0x46]);
    await rejectsWith(st.loadKerasModel(junk), /not a readable HDF5 file/);
    const printed = [...err.mock.calls, ...cerr.mock.calls].map((c) => String(c[0])).join('');
    err.mockRestore();
    cerr.mockRestore();
    expect(printed).not.toMatch(/HDF5-DIAG/);
  });
});

describe('file:// loads are bounded', () => {
  it('a shard or .keras symlinked to /dev/zero is refused at once', async () => {
    const { dir, shard } = await saved('zero');
    fs.rmSync(shard);
    fs.symlinkSync('/dev/zero', shard);
    await rejectsWith(st.loadModel(`file://${dir}`), /is not a regular file/);
    const k = path.join(root, 'zero.keras');
    fs.symlinkSync('/dev/zero', k);
    await rejectsWith(st.loadModel(`file://${k}`), /is not a regular file/);
  });

  it('a FIFO does not hang', async () => {
    const { dir, shard } = await saved('fifo');
    fs.rmSync(shard);
    execFileSync('mkfifo', [shard]);
    await rejectsWith(st.loadModel(`file://${dir}`), /is not a regular file/);
    const json = path.join(root, 'fifo2', 'model.json');
    fs.mkdirSync(path.dirname(json));
    execFileSync('mkfifo', [json]);
    await rejectsWith(st.loadModel(`file://${json}`), /is not a regular file/);
  });

  it('a zip bomb within the old 2 GiB limit is refused by the limit relative to the archive', async () => {
    const { zipSync } = await import('fflate');
    const big = new Uint8Array(300 * 2 ** 20); // 300 MiB of zeros deflates to ~300 KB
    const bomb = zipSync({ 'config.json': new TextEncoder().encode('{}'), 'metadata.json': new TextEncoder().encode('{}'), 'model.weights.h5': [big, { level: 1 }] as never });
    const before = process.memoryUsage().rss;
    await rejectsWith(st.loadKerasModel(bomb), /over the limit of \d+ \(raise it with the maxTotalBytes option|a zip bomb/);
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 2 ** 20);
  });
});

describe('messages stay bounded and clear', () => {
  it('a 10 MB layer name gives a short message', async () => {
    let artifacts: st.tf.io.ModelArtifacts | undefined;
    const m = net();
    await m.save(tf.io.withSaveHandler(async (x) => {
      artifacts = x;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }));
    m.dispose();
    const text = JSON.stringify(artifacts!.modelTopology).replace('"dense"', `"${'n'.repeat(10_000_000)}"`);
    const e = await st.loadModel(tf.io.fromMemory({ ...artifacts!, modelTopology: JSON.parse(text) })).then(() => undefined, (x: unknown) => x);
    expect(e).toBeInstanceOf(st.StrataError);
    expect((e as Error).message.length).toBeLessThan(2100);
  });

  it('a config nested 100 000 deep is a SerializationError, not a stack overflow', async () => {
    let deep: unknown = { class_name: 'Dense', config: { units: 1 } };
    for (let i = 0; i < 100_000; i++) deep = { class_name: 'Sequential', config: { name: 's', layers: [deep] } };
    const e = await st.loadModel(tf.io.fromMemory({ modelTopology: deep as object, weightSpecs: [], weightData: new ArrayBuffer(0) }))
      .then(() => undefined, (x: unknown) => x);
    expect(e).toBeInstanceOf(st.SerializationError);
  });
});

describe('folder saves', () => {
  it('a load that a save overtakes between model.json and its shard reads the new model', async () => {
    const dir = path.join(root, 'race');
    const first = net();
    const second = st.sequential([st.layers.input({ shape: [3] }),
      st.layers.dense({ units: 4, kernelInitializer: st.initializers.glorotUniform({ seed: 9 }) })]);
    await first.save(`file://${dir}`);
    // Just before the load reads the shard that model.json named, another save replaces the
    // model and removes that shard (as a concurrent process would).
    const realStat = fs.promises.stat.bind(fs.promises);
    let overtaken = false;
    const spy = vi.spyOn(fs.promises, 'stat').mockImplementation((async (p: fs.PathLike, o?: fs.StatOptions) => {
      if (!overtaken && String(p).endsWith('.bin')) {
        overtaken = true;
        await second.save(`file://${dir}`);
      }
      return realStat(p, o);
    }) as typeof fs.promises.stat);
    try {
      const loaded = await st.loadModel(`file://${dir}`);
      expect(overtaken).toBe(true);
      const [a, b] = [loaded.getWeights(), second.getWeights()];
      expect(a.map((t) => Array.from(t.dataSync()))).toEqual(b.map((t) => Array.from(t.dataSync())));
      tf.dispose([...a, ...b]);
      loaded.dispose();
    } finally {
      spy.mockRestore();
      first.dispose();
      second.dispose();
    }
  });

  it("the next save removes a killed save's temporary files and orphan shard", async () => {
    const { dir } = await saved('killed');
    const tmp = path.join(dir, '.model.json.tmp-999999-abcdefabcdef');
    const orphan = path.join(dir, 'model.weights.0123456789abcdef.bin');
    fs.writeFileSync(tmp, '{');
    fs.writeFileSync(orphan, 'x');
    const old = new Date(Date.now() - 3_600_000);
    fs.utimesSync(orphan, old, old);
    const m = net();
    await m.save(`file://${dir}`);
    m.dispose();
    expect(fs.existsSync(tmp)).toBe(false);
    expect(fs.existsSync(orphan)).toBe(false);
    (await st.loadModel(`file://${dir}`)).dispose();
  });
});
