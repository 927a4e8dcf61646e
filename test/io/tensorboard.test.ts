import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as st from '../../src/index.js';
import { crc32c, EventWriter, MemorySink, readEventFile, readRecords, frameRecord } from '../../src/io/tensorboard/index.js';

const { tf } = st;
const fixtures = join(__dirname, '..', 'fixtures', 'tensorboard');
const dirs: string[] = [];

beforeAll(async () => {
  await st.setBackend('cpu');
});
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('TensorBoard format pieces', () => {
  it('crc32c matches the standard check value and TFRecord frames round-trip with CRCs checked', () => {
    expect(crc32c(new TextEncoder().encode('123456789'))).toBe(0xe3069283);
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa); // RFC 3720 B.4: 32 zero bytes
    const a = frameRecord(Uint8Array.from([1, 2, 3]));
    const b = frameRecord(new Uint8Array(0));
    const file = new Uint8Array([...a, ...b]);
    expect(readRecords(file).map((r) => Array.from(r))).toEqual([[1, 2, 3], []]);
    file[13] ^= 1;
    expect(() => readRecords(file)).toThrow(/bad data CRC/);
  });

  it('reads the golden event file written by TensorBoard\'s own writer', () => {
    const name = readdirSync(fixtures).find((f) => f.startsWith('events.out.tfevents'))!;
    const events = readEventFile(new Uint8Array(readFileSync(join(fixtures, name))));
    const golden = JSON.parse(readFileSync(join(fixtures, 'golden.json'), 'utf8')) as {
      scalars: { tag: string; step: number; value: number }[];
      histograms: { tag: string; step: number; min: number; max: number; num: number; sum: number; sumSquares: number; bucketLimit: number[]; bucket: number[] }[];
    };
    expect(events.fileVersion).toBe('brain.Event:2');
    const scalars = events.values.filter((v) => v.scalar !== undefined).map((v) => ({ tag: v.tag, step: v.step, value: v.scalar }));
    expect(scalars).toEqual(golden.scalars);
    const histos = events.values.filter((v) => v.histogram).map((v) => ({ tag: v.tag, step: v.step, ...v.histogram }));
    expect(histos).toEqual(golden.histograms);
  });

  it('writes scalars, histograms and PNG images that read back exactly', async () => {
    const sink = new MemorySink();
    const w = new EventWriter(sink, () => 1234.5);
    w.scalar('epoch_loss', 0.25, 3);
    w.histogram('w', [1, 2, 2, 3, 10], 3, 3);
    const px = Uint8Array.from({ length: 6 * 4 }, (_, i) => i * 10);
    w.image('k/image', px, 6, 4, 1, 3);
    await w.close();
    const ev = readEventFile(sink.bytes());
    expect(ev.fileVersion).toBe('brain.Event:2');
    expect(ev.values[0]).toMatchObject({ tag: 'epoch_loss', step: 3, scalar: 0.25, wallTime: 1234.5 });
    expect(ev.values[1]!.histogram).toEqual({ min: 1, max: 10, num: 5, sum: 18, sumSquares: 118, bucketLimit: [4, 7, 10], bucket: [4, 0, 1] });
    const img = ev.values[2]!.image!;
    expect([img.width, img.height, img.channels]).toEqual([6, 4, 1]);
    const png = PNG.sync.read(Buffer.from(img.png));
    expect([png.width, png.height]).toEqual([6, 4]);
    for (let i = 0; i < 24; i++) expect(png.data[4 * i]).toBe(px[i]);
  });
});

describe('callbacks.tensorBoard', () => {
  it('writes train/ and validation/ runs with Keras tags, histograms and kernel images', async () => {
    const logDir = mkdtempSync(join(tmpdir(), 'strata-tb-'));
    dirs.push(logDir);
    const x = tf.randomUniform([40, 3], -1, 1, 'float32', 1);
    const y = tf.randomUniform([40, 1], -1, 1, 'float32', 2);
    const net = st.sequential([st.layers.dense({ units: 4, inputShape: [3], activation: 'relu' }), st.layers.dense({ units: 1 })]);
    net.compile({ optimizer: st.optimizers.sgd({ learningRate: 0.05 }), loss: 'mse', metrics: ['mae'] });
    const before = tf.memory().numTensors;
    const h = await net.fit(x, y, {
      epochs: 3, batchSize: 10, validationSplit: 0.25, verbose: 0,
      callbacks: [st.callbacks.tensorBoard({ logDir, updateFreq: 2, histogramFreq: 1, writeImages: true })],
    });
    expect(tf.memory().numTensors).toBe(before);
    const read = (run: string) => {
      const files = readdirSync(join(logDir, run));
      expect(files).toHaveLength(1);
      expect(files[0]).toMatch(/^events\.out\.tfevents\.\d+\..+\.v2$/);
      return readEventFile(new Uint8Array(readFileSync(join(logDir, run, files[0]!)))).values;
    };
    const train = read('train');
    const val = read('validation');
    const series = (vs: typeof train, tag: string) => vs.filter((v) => v.tag === tag).map((v) => v.scalar);
    expect(series(train, 'epoch_loss')).toEqual(h.history.loss!.map((v) => Math.fround(v)));
    expect(series(train, 'epoch_mae')).toEqual(h.history.mae!.map((v) => Math.fround(v)));
    expect(series(val, 'epoch_loss')).toEqual(h.history.val_loss!.map((v) => Math.fround(v)));
    // 3 batches per epoch, a write every 2nd: global batches 2, 4, 6, 8
    expect(train.filter((v) => v.tag === 'batch_loss').map((v) => v.step)).toEqual([2, 4, 6, 8]);
    const hist = train.filter((v) => v.histogram);
    expect(new Set(hist.map((v) => v.tag))).toEqual(new Set(net.weights.map((w) => w.name)));
    expect(hist.filter((v) => v.tag === net.weights[0]!.name).map((v) => v.step)).toEqual([0, 1, 2]);
    const last = hist.filter((v) => v.tag === net.weights[0]!.name).at(-1)!.histogram!;
    const kernel = Array.from(await net.weights[0]!.read().data());
    expect(last.num).toBe(12);
    expect(last.min).toBeCloseTo(Math.min(...kernel), 6);
    expect(last.sum).toBeCloseTo(kernel.reduce((a, b) => a + b, 0), 5);
    const images = train.filter((v) => v.image);
    expect(images.map((v) => v.tag)).toContain(`${net.weights[0]!.name}/image`);
    expect(images[0]!.image).toMatchObject({ width: 4, height: 3, channels: 1 });
    net.dispose();
    tf.dispose([x, y]);
  });
});

describe('tuner logDir', () => {
  it('writes one run per trial with HParams summaries, and the experiment at the top', async () => {
    const logDir = mkdtempSync(join(tmpdir(), 'strata-tb-tune-'));
    dirs.push(logDir);
    const x = tf.randomUniform([24, 2], -1, 1, 'float32', 1);
    const y = tf.randomUniform([24, 1], -1, 1, 'float32', 2);
    const study = await st.tuner.search({
      space: { units: st.tuner.choice([2, 3]), act: st.tuner.choice(['relu', 'tanh']) }, trials: 2, maxEpochs: 2, seed: 1, verbose: 0, logDir,
      run: async (hp, trial) => {
        const m = st.sequential([st.layers.dense({ units: hp.units as number, inputShape: [2], activation: hp.act as 'relu' }), st.layers.dense({ units: 1 })]);
        m.compile({ optimizer: 'sgd', loss: 'mse' });
        return m.fit(x, y, { epochs: trial.epochs, validationSplit: 0.25, callbacks: trial.callbacks, verbose: 0 });
      },
    });
    const events = (dir: string) => readdirSync(dir).filter((f) => f.startsWith('events.')).flatMap((f) => readEventFile(new Uint8Array(readFileSync(join(dir, f)))).values);
    expect(events(logDir).map((v) => [v.tag, v.plugin])).toEqual([['_hparams_/experiment', 'hparams']]);
    for (const t of study.trials) {
      const root = events(join(logDir, `trial-${t.number}`));
      expect(root.map((v) => v.tag)).toEqual(['_hparams_/session_start_info', '_hparams_/session_end_info']);
      expect(events(join(logDir, `trial-${t.number}`, 'validation')).filter((v) => v.tag === 'epoch_loss').map((v) => v.scalar))
        .toEqual(t.intermediate.map((v) => Math.fround(v)));
    }
    tf.dispose([x, y]);
  });
});
