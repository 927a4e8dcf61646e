import { afterAll, describe, expect, it, vi } from 'vitest';
import * as st from '../../src/index.js';

const { tf } = st;

afterAll(async () => {
  await st.setBackend('cpu');
});

/** 12 samples of 4 features, 3 classes; row `nanRow` (if given) is NaN. */
function data(nanRow?: number, value = NaN) {
  const rows = Array.from({ length: 12 }, (_, i) => [i / 12, (i % 3) / 3, 0.5, -0.25].map((v) => (i === nanRow ? value : v)));
  return { x: tf.tensor2d(rows), y: tf.tensor1d(rows.map((_, i) => i % 3), 'int32') };
}

function net(loss = 'sparseCategoricalCrossentropy', units = 3) {
  const m = st.sequential([
    st.layers.dense({ units: 8, activation: 'relu', inputShape: [4], kernelInitializer: st.initializers.glorotUniform({ seed: 1 }) }),
    st.layers.dense({ units, activation: units === 1 ? 'sigmoid' : 'softmax', kernelInitializer: st.initializers.glorotUniform({ seed: 2 }) }),
  ]);
  m.compile({ optimizer: st.optimizers.sgd({ learningRate: 0.1 }), loss, metrics: ['accuracy'] });
  return m;
}

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`non-finite values on ${backend}`, () => {
    it('fit with one NaN row: the loss reads NaN, terminateOnNaN stops at the first bad batch, a warning names it', async () => {
      await st.setBackend(backend);
      const before = tf.memory().numTensors;
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
      const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
      const { x, y } = data(5);
      const m = net();
      const stop = st.callbacks.terminateOnNaN();
      const h = await m.fit(x, y, { epochs: 3, batchSize: 4, shuffle: false, verbose: 0, callbacks: [stop] });
      const warned = warn.mock.calls.map((c) => String(c[0])).join('\n');
      write.mockRestore();
      warn.mockRestore();
      expect(h.history.loss).toHaveLength(1);
      expect(h.history.loss![0]).toBeNaN();
      expect(stop.stoppedBatch).toBe(1); // rows 4..7 form batch 1
      expect(warned).toMatch(/epoch 1, batch 1: the inputs \(x\) hold NaN or Infinity/);
      m.dispose();
      tf.dispose([x, y]);
      expect(tf.memory().numTensors).toBe(before);
    });

    it('fit without terminateOnNaN reports NaN on every later epoch too (binary crossentropy, Infinity)', async () => {
      await st.setBackend(backend);
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
      const { x, y } = data(0, Infinity);
      const y01 = tf.cast(tf.reshape(tf.mod(y, 2), [-1, 1]), 'float32');
      const m = net('binaryCrossentropy', 1);
      const h = await m.fit(x, y01, { epochs: 2, batchSize: 6, verbose: 0 });
      const calls = warn.mock.calls.length;
      warn.mockRestore();
      expect(h.history.loss).toHaveLength(2);
      h.history.loss!.forEach((l) => expect(l).toBeNaN());
      expect(calls).toBe(1);
      m.dispose();
      tf.dispose([x, y, y01]);
    });

    it('evaluate on all-NaN input reports a NaN loss, never a finite one', async () => {
      await st.setBackend(backend);
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
      const x = tf.fill([6, 4], NaN);
      const y = tf.tensor1d([0, 1, 2, 0, 1, 2], 'int32');
      const m = net();
      const logs = await m.evaluate(x, y, { batchSize: 4 });
      const first = String(warn.mock.calls[0]?.[0]);
      warn.mockRestore();
      expect(logs.loss).toBeNaN();
      expect(logs.accuracy).toBeNaN();
      expect(first).toMatch(/evaluate: batch 0: the inputs \(x\) hold NaN/);
      m.dispose();
      tf.dispose([x, y]);
    });

    it('finite data stays finite and silent', async () => {
      await st.setBackend(backend);
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
      const { x, y } = data();
      const m = net();
      const h = await m.fit(x, y, { epochs: 2, batchSize: 4, verbose: 0 });
      const logs = await m.evaluate(x, y);
      const calls = warn.mock.calls.length;
      warn.mockRestore();
      h.history.loss!.forEach((l) => expect(Number.isFinite(l)).toBe(true));
      expect(Number.isFinite(logs.loss)).toBe(true);
      expect(calls).toBe(0);
      m.dispose();
      tf.dispose([x, y]);
    });
  });
}
