/** The callbacks driven by the real fit loop. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as st from '../../src/index.js';

const { tf } = st;

beforeAll(async () => {
  await st.setBackend('cpu');
});

function data(n: number, seed: number) {
  const x = tf.randomUniform([n, 1], -1, 1, 'float32', seed);
  const y = tf.tidy(() => tf.add(tf.mul(x, 3), 2));
  return { x, y };
}

function regressor(learningRate: number) {
  const net = st.sequential([st.layers.dense({ units: 1, inputShape: [1], kernelInitializer: st.initializers.glorotUniform({ seed: 3 }) })]);
  net.compile({ optimizer: st.optimizers.sgd({ learningRate }), loss: 'mse' });
  return net;
}

describe('callbacks in fit', () => {
  it('earlyStopping restores the best epoch after a scheduled rate makes training diverge', async () => {
    const train = data(64, 1);
    const val = data(32, 2);
    const net = regressor(0.5);
    const weightsAtEnd: number[][] = [];
    const recorder: st.CallbackHooks = {
      onEpochEnd: () => {
        const ws = net.getWeights();
        weightsAtEnd.push(ws.flatMap((w) => [...w.dataSync()]));
        tf.dispose(ws);
      },
    };
    const es = st.callbacks.earlyStopping({ patience: 2, restoreBestWeights: true });
    // Converges for 3 epochs, then a rate this large makes every step overshoot more.
    const sched = st.callbacks.learningRateScheduler((epoch) => (epoch < 3 ? 0.5 : 2.5));
    const before = tf.memory().numTensors;
    const h = await net.fit(train.x, train.y, {
      epochs: 20, batchSize: 64, shuffle: false, verbose: 0, validationData: [val.x, val.y],
      callbacks: [sched, recorder, es],
    });
    expect(tf.memory().numTensors).toBe(before);
    const valLoss = h.history.val_loss!;
    const best = valLoss.indexOf(Math.min(...valLoss));
    // It stopped two epochs after the best, long before the 20 asked for.
    expect(best).toBeGreaterThanOrEqual(2);
    expect(h.epoch).toHaveLength(best + 3);
    expect(h.epoch.length).toBeLessThan(20);
    expect(es.stoppedEpoch).toBe(best + 2);
    expect(es.bestEpoch).toBe(best);
    const now = net.getWeights();
    expect(now.flatMap((w) => [...w.dataSync()])).toEqual(weightsAtEnd[best]);
    expect(weightsAtEnd[best + 2]).not.toEqual(weightsAtEnd[best]);
    tf.dispose([...now, train.x, train.y, val.x, val.y]);
    net.dispose();
  });

  it('terminateOnNaN stops within the first epoch when the loss blows up', async () => {
    const train = data(64, 4);
    const net = regressor(1e30);
    const batches: number[] = [];
    const h = await net.fit(train.x, train.y, {
      epochs: 5, batchSize: 8, verbose: 0,
      callbacks: [st.callbacks.terminateOnNaN(), { onBatchEnd: (b) => void batches.push(b) }],
    });
    expect(h.epoch).toEqual([0]);
    expect(batches.length).toBeLessThan(8);
    expect(Number.isFinite(h.history.loss![0]!)).toBe(false);
    tf.dispose([train.x, train.y]);
    net.dispose();
  });

  it('hooks run in loop order, a progress bar shows the exact epoch logs, and csvLogger writes each epoch', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-fit-'));
    const train = data(40, 5);
    const net = regressor(0.1);
    const events: string[] = [];
    const writes: string[] = [];
    const h = await net.fit(train.x, train.y, {
      epochs: 2, batchSize: 10, verbose: 0, validationSplit: 0.2,
      callbacks: [
        {
          onTrainBegin: () => void events.push('trainBegin'),
          onEpochBegin: async (e) => {
            await new Promise((r) => setTimeout(r, 1));
            events.push(`epochBegin ${e}`);
          },
          onBatchEnd: (b) => void events.push(`batch ${b}`),
          onEpochEnd: (e, logs) => void events.push(`epochEnd ${e} ${Object.keys(logs).join(',')}`),
          onTrainEnd: () => void events.push('trainEnd'),
        },
        new st.callbacks.ProgressBar({ verbose: 1, write: (t) => writes.push(t) }),
        st.callbacks.csvLogger(join(dir, 'log.csv')),
      ],
    });
    expect(events).toEqual([
      'trainBegin',
      'epochBegin 0', 'batch 0', 'batch 1', 'batch 2', 'batch 3', 'epochEnd 0 loss,val_loss',
      'epochBegin 1', 'batch 0', 'batch 1', 'batch 2', 'batch 3', 'epochEnd 1 loss,val_loss',
      'trainEnd',
    ]);
    const finals = writes.filter((w) => w.endsWith('\n') && !w.startsWith('Epoch'));
    expect(finals).toHaveLength(2);
    expect(finals[1]).toContain(`loss: ${h.history.loss![1]!.toFixed(4)} - val_loss: ${h.history.val_loss![1]!.toFixed(4)}`);
    expect(finals[0]).toMatch(/^\r4\/4 \[={30}\]/);
    const rows = readFileSync(join(dir, 'log.csv'), 'utf8').trim().split('\n');
    expect(rows[0]).toBe('epoch,loss,val_loss');
    expect(rows.slice(1).map((r) => Number(r.split(',')[2]))).toEqual(h.history.val_loss);
    rmSync(dir, { recursive: true, force: true });
    tf.dispose([train.x, train.y]);
    net.dispose();
  });
});
