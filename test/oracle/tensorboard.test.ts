// TensorBoard's own Python reader (EventAccumulator) reads every scalar and histogram that
// strata wrote, with the same values, and the HParams plugin data of each tuner trial.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as st from '../../src/index.js';
import { readEventFile } from '../../src/io/tensorboard/index.js';
import { runPython } from './python.js';

const { tf } = st;
let logDir = '';

beforeAll(async () => {
  await st.setBackend('cpu');
  logDir = mkdtempSync(join(tmpdir(), 'strata-tb-oracle-'));
});
afterAll(() => rmSync(logDir, { recursive: true, force: true }));

const READER = `
import json, os, sys
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
from tensorboard.plugins.hparams import plugin_data_pb2
out = {}
for root, dirs, files in os.walk(sys.argv[1]):
    if not any(f.startswith('events.out.tfevents') for f in files):
        continue
    acc = EventAccumulator(root, size_guidance={'scalars': 0, 'histograms': 0, 'images': 0, 'tensors': 0})
    acc.Reload()
    tags = acc.Tags()
    run = {'scalars': {}, 'histograms': {}, 'images': {}, 'hparams': {}}
    for t in tags['scalars']:
        run['scalars'][t] = [[e.step, e.value] for e in acc.Scalars(t)]
    for t in tags['histograms']:
        run['histograms'][t] = [[e.step, {'min': e.histogram_value.min, 'max': e.histogram_value.max, 'num': e.histogram_value.num,
            'sum': e.histogram_value.sum, 'sumSquares': e.histogram_value.sum_squares,
            'bucketLimit': list(e.histogram_value.bucket_limit), 'bucket': list(e.histogram_value.bucket)}] for e in acc.Histograms(t)]
    for t in tags['images']:
        run['images'][t] = [[e.step, e.width, e.height, len(e.encoded_image_string)] for e in acc.Images(t)]
    try:
        hp_content = acc.PluginTagToContent('hparams')
    except KeyError:
        hp_content = {}
    for tag, content in hp_content.items():
        d = plugin_data_pb2.HParamsPluginData.FromString(content)
        if d.HasField('session_start_info'):
            run['hparams'][tag] = {k: (v.number_value if v.HasField('number_value') else v.string_value) for k, v in d.session_start_info.hparams.items()}
        elif d.HasField('experiment'):
            run['hparams'][tag] = sorted(h.name for h in d.experiment.hparam_infos)
        else:
            run['hparams'][tag] = d.session_end_info.status
    out[os.path.relpath(root, sys.argv[1])] = run
print(json.dumps(out))
`;

describe('TensorBoard reads what strata wrote', () => {
  it('every scalar and histogram, and the tuner trials\' HParams', async () => {
    const x = tf.randomUniform([60, 4], -1, 1, 'float32', 3);
    const y = tf.randomUniform([60, 1], 0, 2, 'int32', 4);
    const net = st.sequential([st.layers.dense({ units: 5, inputShape: [4], activation: 'relu' }), st.layers.dense({ units: 2, activation: 'softmax' })]);
    net.compile({ optimizer: st.optimizers.adam({ learningRate: 0.01 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    await net.fit(x, y, { epochs: 3, batchSize: 16, validationSplit: 0.2, verbose: 0,
      callbacks: [st.callbacks.tensorBoard({ logDir: join(logDir, 'fit'), updateFreq: 'batch', histogramFreq: 1, writeImages: true })] });
    const study = await st.tuner.search({
      space: { units: st.tuner.choice([2, 8]), lr: st.tuner.logUniform(1e-3, 1e-1) }, trials: 2, maxEpochs: 2, seed: 1, verbose: 0,
      objective: 'val_accuracy', logDir: join(logDir, 'tune'),
      run: async (hp, trial) => {
        const m = st.sequential([st.layers.dense({ units: hp.units as number, inputShape: [4], activation: 'relu' }), st.layers.dense({ units: 2, activation: 'softmax' })]);
        m.compile({ optimizer: st.optimizers.adam({ learningRate: hp.lr as number }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
        return m.fit(x, y, { epochs: trial.epochs, validationSplit: 0.2, callbacks: trial.callbacks, verbose: 0 });
      },
    });
    const python = JSON.parse(runPython(READER, [logDir])) as Record<string, {
      scalars: Record<string, [number, number][]>; histograms: Record<string, [number, Record<string, unknown>][]>;
      images: Record<string, [number, number, number, number][]>; hparams: Record<string, unknown>;
    }>;
    // strata's own reading of each file, grouped the same way
    const runs = new Map<string, ReturnType<typeof readEventFile>['values']>();
    const walk = (dir: string, rel: string) => {
      for (const f of readdirSync(dir, { withFileTypes: true })) {
        if (f.isDirectory()) walk(join(dir, f.name), rel ? `${rel}/${f.name}` : f.name);
        else if (f.name.startsWith('events.out.tfevents')) runs.set(rel || '.', [...(runs.get(rel || '.') ?? []), ...readEventFile(new Uint8Array(readFileSync(join(dir, f.name)))).values]);
      }
    };
    walk(logDir, '');
    let scalars = 0;
    let histograms = 0;
    for (const [run, values] of runs) {
      const py = python[run]!;
      expect(py, run).toBeDefined();
      for (const v of values) {
        if (v.scalar !== undefined) {
          expect(py.scalars[v.tag], `${run} ${v.tag}`).toContainEqual([v.step, v.scalar]);
          scalars++;
        }
        if (v.histogram) {
          expect(py.histograms[v.tag], `${run} ${v.tag}`).toContainEqual([v.step, v.histogram]);
          histograms++;
        }
        if (v.image) expect(py.images[v.tag]).toContainEqual([v.step, v.image.width, v.image.height, v.image.png.length]);
      }
      const n = (o: Record<string, unknown[]>) => Object.values(o).reduce((s, a) => s + a.length, 0);
      expect(n(py.scalars)).toBe(values.filter((v) => v.scalar !== undefined).length);
      expect(n(py.histograms)).toBe(values.filter((v) => v.histogram).length);
    }
    expect(scalars).toBeGreaterThan(30);
    expect(histograms).toBe(12);
    expect(python['fit/train']!.scalars.epoch_accuracy).toHaveLength(3);
    expect(python['fit/validation']!.scalars.epoch_loss).toHaveLength(3);
    expect(python.tune!.hparams['_hparams_/experiment']).toEqual(['lr', 'units']);
    for (const t of study.trials) {
      const hp = python[`tune/trial-${t.number}`]!.hparams;
      expect(hp['_hparams_/session_start_info']).toEqual(t.params);
      expect(hp['_hparams_/session_end_info']).toBe(1);
      expect(python[`tune/trial-${t.number}/validation`]!.scalars.epoch_accuracy!.map((e) => e[1])).toEqual(t.intermediate.map((v) => Math.fround(v)));
    }
    net.dispose();
    tf.dispose([x, y]);
  });
});
