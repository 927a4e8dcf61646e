/**
 * SimpleRNN, LSTM, GRU (both resetAfter forms) and Bidirectional give Keras' outputs on
 * Keras' weights within 1e-5, masked and unmasked, with returnSequences, returnState,
 * goBackwards and initial states. Fixtures: scripts/fixtures/make_sequence_fixtures.py.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '../../src/backend/backends.js';
import { tf } from '../../src/backend/tf.js';
import type { Layer } from '../../src/engine/layer.js';
import { Bidirectional, GRU, LSTM, SimpleRNN } from '../../src/layers/recurrent/index.js';
import { expectClose, loadFixture, setKerasWeights, toTensor, type LayerCase } from './fixtures.js';

const CLASSES: Record<string, new (o: never) => Layer> = { SimpleRNN, LSTM, GRU, Bidirectional };
const { cases } = loadFixture('recurrent.json');

describe.each(['cpu', 'wasm'])('recurrent layers equal Keras (%s)', (backend) => {
  beforeAll(async () => {
    await setBackend(backend as 'cpu');
  });

  it('has cases for every class, masked and unmasked', () => {
    expect(new Set(cases.map((c) => c.className))).toEqual(new Set(Object.keys(CLASSES)));
    expect(cases.filter((c) => c.mask).length).toBeGreaterThan(10);
  });

  it.each(cases.map((c) => [c.name, c] as [string, LayerCase]))('%s', (_n, c) => {
    const n0 = tf.memory().numTensors;
    const layer = new CLASSES[c.className]!(c.options as never);
    const x = toTensor(c.x);
    const init = c.initialState?.map((s) => toTensor(s)) ?? [];
    const mask = c.mask ? tf.tensor2d(c.mask, undefined, 'bool') : null;
    const ins = init.length ? [x, ...init] : x;
    layer.ensureBuilt(Array.isArray(ins) ? ins.map((t) => [null, ...t.shape.slice(1)]) : [null, ...x.shape.slice(1)]);
    setKerasWeights(layer, c.weights);
    const out = layer.apply(ins, { mask: mask ? (init.length ? [mask, ...init.map(() => null)] : mask) : null }) as tf.Tensor | tf.Tensor[];
    const outs = Array.isArray(out) ? out : [out];
    expect(outs).toHaveLength(c.outputs.length);
    outs.forEach((o, i) => expectClose(o, c.outputs[i]!, 1e-5, `${c.name} output ${i}`));
    tf.dispose([...outs, x, ...init, ...(mask ? [mask] : [])]);
    layer.dispose();
    expect(tf.memory().numTensors).toBe(n0);
  });
});
