/**
 * `fit`, `evaluate` and `fitDataset` let the event loop run while they work (timers, I/O and
 * a page's rendering stay live), once `TURN_EVERY_MS` have passed since it last ran rather
 * than after every batch.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as st from '../../src/index.js';
import { TURN_EVERY_MS, turnIfDue } from '../../src/training/yield.js';

const { tf } = st;

beforeAll(async () => {
  await st.setBackend('cpu');
});

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

describe('yielding to the event loop', () => {
  it('lets a pending macrotask run once the interval has passed', async () => {
    await sleep(TURN_EVERY_MS + 2);
    let ran = false;
    setImmediate(() => { ran = true; });
    await turnIfDue();
    expect(ran).toBe(true);
  });

  it('keeps timers firing through fit and evaluate of many small batches', async () => {
    const net = st.sequential([st.layers.dense({ units: 16, activation: 'relu', inputShape: [32] }), st.layers.dense({ units: 3, activation: 'softmax' })]);
    net.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
    const x = tf.randomNormal([2048, 32], 0, 1, 'float32', 3);
    const y = tf.tensor1d(Array.from({ length: 2048 }, (_, i) => i % 3));
    // Runs `work` again and again for at least twelve intervals between turns.
    const ticksDuring = async (work: () => Promise<unknown>): Promise<number> => {
      let ticks = 0;
      const timer = setInterval(() => { ticks++; }, 1);
      const t0 = performance.now();
      do await work(); while (performance.now() - t0 < 12 * TURN_EVERY_MS);
      clearInterval(timer);
      return ticks;
    };
    // A 1 ms interval fires at each turn the loop takes: twelve intervals of work between
    // turns must have let it fire several times (none at all if fit never yielded).
    expect(await ticksDuring(() => net.fit(x, y, { batchSize: 8, epochs: 1, verbose: 0 }))).toBeGreaterThanOrEqual(3);
    expect(await ticksDuring(() => net.evaluate(x, y, { batchSize: 2 }))).toBeGreaterThanOrEqual(3);
    tf.dispose([x, y]);
    net.dispose();
  });
});
