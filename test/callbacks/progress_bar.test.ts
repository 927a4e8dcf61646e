import { afterEach, describe, expect, it, vi } from 'vitest';
import { ValueError } from '../../src/engine/errors.js';
import { type BatchLogs, CallbackList, lineWriter, type Logs, ProgressBar, type TrainingParams, verboseDefault } from '../../src/training/callbacks/index.js';
import { formatBar, formatEta, formatPerStep, formatValue } from '../../src/training/callbacks/progress_format.js';
import { params } from './fake_model.js';

afterEach(() => {
  vi.restoreAllMocks();
});

interface Run {
  writes: string[];
  calls: number;
}

/**
 * Drives a ProgressBar through `epochs` epochs of `batches` batches; a fake clock moves
 * `msPerBatch` per batch; batch b's running values are `batchValues(b)`.
 */
async function drive(opts: {
  bar: (write: (t: string) => void, now: () => number) => ProgressBar;
  p: Partial<TrainingParams>;
  batches: number;
  epochs?: number;
  msPerBatch: number;
  batchValues: (b: number) => Logs;
  epochLogs: (epoch: number) => Logs;
}): Promise<Run> {
  const run: Run = { writes: [], calls: 0 };
  let time = 0;
  const bar = opts.bar((t) => run.writes.push(t), () => time);
  bar.setParams(params(opts.p));
  await bar.onTrainBegin();
  for (let e = 0; e < (opts.epochs ?? 1); e++) {
    await bar.onEpochBegin(e);
    for (let b = 0; b < opts.batches; b++) {
      await bar.onBatchBegin(b);
      time += opts.msPerBatch;
      const logs: BatchLogs = { batch: b, size: 8, values: async () => (run.calls++, opts.batchValues(b)) };
      await bar.onBatchEnd(b, logs);
    }
    await bar.onEpochEnd(e, opts.epochLogs(e));
  }
  await bar.onTrainEnd();
  return run;
}

const values = (b: number) => ({ loss: 1 / (b + 1), accuracy: b / 10 });
const epochLogs = () => ({ loss: 0.4, accuracy: 0.3, val_loss: 0.45, val_accuracy: 0.25 });

describe('ProgressBar', () => {
  it('verbose 1: headers, throttled live redraws and an exact final line per epoch', async () => {
    const run = await drive({
      bar: (write, now) => new ProgressBar({ verbose: 1, write, now, interval: 2500 }),
      p: { epochs: 2, steps: 10 }, epochs: 2, batches: 10, msPerBatch: 1000, batchValues: values, epochLogs,
    });
    // Draws at 3 s, 6 s and 9 s of each epoch (batches 2, 5, 8); the last batch is left to the final line.
    expect(run.calls).toBe(6);
    const epoch1 = run.writes.slice(0, 5);
    expect(epoch1[0]).toBe('Epoch 1/2\n');
    expect(epoch1[1]).toBe('\r 3/10 [========>.....................] - ETA: 7s - loss: 0.3333 - accuracy: 0.2000');
    expect(epoch1[2]).toBe('\r 6/10 [=================>............] - ETA: 4s - loss: 0.1667 - accuracy: 0.5000');
    expect(epoch1[3]).toBe('\r 9/10 [==========================>...] - ETA: 1s - loss: 0.1111 - accuracy: 0.8000');
    expect(epoch1[4]).toBe('\r10/10 [==============================] - 10s 1s/step - loss: 0.4000 - accuracy: 0.3000 - val_loss: 0.4500 - val_accuracy: 0.2500\n');
    expect(run.writes[5]).toBe('Epoch 2/2\n');
    expect(run.writes).toHaveLength(10);
  });

  it('reads values far less often than once per batch in a fast epoch (real clock)', async () => {
    const writes: string[] = [];
    const bar = new ProgressBar({ verbose: 1, write: (t) => writes.push(t) });
    bar.setParams(params({ epochs: 1, steps: 300 }));
    await bar.onTrainBegin();
    await bar.onEpochBegin(0);
    let calls = 0;
    for (let b = 0; b < 300; b++) {
      await bar.onBatchEnd(b, { batch: b, size: 1, values: async () => (calls++, { loss: 1 }) });
    }
    await bar.onEpochEnd(0, { loss: 1 });
    expect(calls).toBeLessThan(300 / 10);
    expect(writes.at(-1)).toMatch(/^\r300\/300 \[=+\] - \d+s \d+(us|ms|s)\/step - loss: 1\.0000\n$/);
  });

  it('verbose 2: one line per epoch and no batch reads', async () => {
    const run = await drive({
      bar: (write, now) => new ProgressBar({ verbose: 2, write, now, interval: 0 }),
      p: { epochs: 3, steps: 5 }, epochs: 3, batches: 5, msPerBatch: 4, batchValues: values, epochLogs,
    });
    expect(run.calls).toBe(0);
    expect(run.writes).toEqual([
      'Epoch 1/3\n', '5/5 - 0s - 4ms/step - loss: 0.4000 - accuracy: 0.3000 - val_loss: 0.4500 - val_accuracy: 0.2500\n',
      'Epoch 2/3\n', '5/5 - 0s - 4ms/step - loss: 0.4000 - accuracy: 0.3000 - val_loss: 0.4500 - val_accuracy: 0.2500\n',
      'Epoch 3/3\n', '5/5 - 0s - 4ms/step - loss: 0.4000 - accuracy: 0.3000 - val_loss: 0.4500 - val_accuracy: 0.2500\n',
    ]);
  });

  it('takes its verbosity from the run when not given, and 0 is silent', async () => {
    const silent = await drive({
      bar: (write, now) => new ProgressBar({ write, now }),
      p: { epochs: 2, steps: 3, verbose: 0 }, epochs: 2, batches: 3, msPerBatch: 500, batchValues: values, epochLogs,
    });
    expect(silent).toEqual({ writes: [], calls: 0 });
    const perEpoch = await drive({
      bar: (write, now) => new ProgressBar({ write, now }),
      p: { epochs: 1, steps: 3, verbose: 2 }, batches: 3, msPerBatch: 500, batchValues: values, epochLogs: () => ({ loss: 2 }),
    });
    // One epoch: no header.
    expect(perEpoch.writes).toEqual(['3/3 - 2s - 500ms/step - loss: 2.0000\n']);
  });

  it('handles an unknown number of steps', async () => {
    const run = await drive({
      bar: (write, now) => new ProgressBar({ verbose: 1, write, now, interval: 2000 }),
      p: { epochs: 1, steps: undefined }, batches: 4, msPerBatch: 1000, batchValues: () => ({ loss: 0.5 }), epochLogs: () => ({ loss: 0.5 }),
    });
    expect(run.writes[0]).toBe('\r      2/Unknown - 2s 1s/step - loss: 0.5000');
    expect(run.writes.at(-1)).toMatch(/^\r4\/4 \[={30}\] - 4s 1s\/step - loss: 0\.5000 *\n$/);
  });

  it('blanks the rest of a longer previous line', async () => {
    const run = await drive({
      bar: (write, now) => new ProgressBar({ verbose: 1, write, now, interval: 1000 }),
      p: { epochs: 1, steps: 4 }, batches: 4, msPerBatch: 1000,
      batchValues: (b): Logs => (b === 0 ? { loss: 1, accuracy: 0.5, auc: 0.75 } : { loss: 1 }),
      epochLogs: () => ({ loss: 1 }),
    });
    expect(run.writes[1]!.length).toBe(run.writes[0]!.length);
    expect(run.writes[1]!.trimEnd()).toBe('\r2/4 [==============>...............] - ETA: 2s - loss: 1.0000');
  });

  it('works inside a CallbackList with the other hooks', async () => {
    const writes: string[] = [];
    let time = 0;
    const list = new CallbackList([new ProgressBar({ verbose: 2, write: (t) => writes.push(t), now: () => time })]);
    list.setParams(params({ epochs: 1, steps: 2 }));
    await list.onTrainBegin();
    await list.onEpochBegin(0);
    time = 3000;
    await list.onEpochEnd(0, { loss: 0.1 });
    expect(writes).toEqual(['0/2 - 3s - 3s/step - loss: 0.1000\n']);
  });

  it('rejects bad options', () => {
    expect(() => new ProgressBar({ verbose: 3 as 1 })).toThrow(ValueError);
    expect(() => new ProgressBar({ interval: -5 })).toThrow(/interval/);
    expect(() => new ProgressBar({ width: 0 })).toThrow(/width/);
  });
});

describe('progress formatting', () => {
  it('formats values like Keras', () => {
    expect(formatValue(0.34129)).toBe('0.3413');
    expect(formatValue(-12.5)).toBe('-12.5000');
    expect(formatValue(0.0000123)).toBe('1.2300e-05');
    expect(formatValue(0)).toBe('0.0000e+00');
    expect(formatValue(NaN)).toBe('nan');
    expect(formatValue(-Infinity)).toBe('-inf');
  });

  it('formats times and bars', () => {
    expect(formatEta(12.9)).toBe('12s');
    expect(formatEta(75)).toBe('1:15');
    expect(formatEta(3725)).toBe('1:02:05');
    expect(formatPerStep(2500)).toBe('3s/step');
    expect(formatPerStep(6.2)).toBe('6ms/step');
    expect(formatPerStep(0.45)).toBe('450us/step');
    expect(formatBar(0, 469, 10)).toBe('  0/469 [..........]');
    expect(formatBar(37, 469, 30)).toBe(' 37/469 [=>............................]');
    expect(formatBar(469, 469, 10)).toBe('469/469 [==========]');
  });
});

describe('output helpers', () => {
  it('lineWriter logs whole lines and drops what a \\r redraws', () => {
    const logged: string[] = [];
    const w = lineWriter((l) => logged.push(l));
    w('Epoch 1/2\n');
    w('\r 1/3 [=>..]');
    w('\r 2/3 [==>.]');
    expect(logged).toEqual(['Epoch 1/2']);
    w('\r3/3 [====] - 1s');
    w(' - loss: 1\nEpoch 2/2\n');
    expect(logged).toEqual(['Epoch 1/2', '3/3 [====] - 1s - loss: 1', 'Epoch 2/2']);
  });

  it('verboseDefault is 1 on a TTY and 2 otherwise', () => {
    const desc = Object.getOwnPropertyDescriptor(process.stdout, 'isTTY');
    try {
      Object.defineProperty(process.stdout, 'isTTY', { value: true, configurable: true });
      expect(verboseDefault()).toBe(1);
      Object.defineProperty(process.stdout, 'isTTY', { value: false, configurable: true });
      expect(verboseDefault()).toBe(2);
    } finally {
      if (desc) Object.defineProperty(process.stdout, 'isTTY', desc);
      else delete (process.stdout as { isTTY?: boolean }).isTTY;
    }
  });
});

describe('messages beside a live bar', () => {
  it('a callback message after an open live line starts on a new line', async () => {
    const { printMessage } = await import('../../src/training/callbacks/output.js');
    const out: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((t: string | Uint8Array) => {
      out.push(String(t));
      return true;
    });
    let time = 0;
    const bar = new ProgressBar({ verbose: 1, now: () => time, interval: 10 });
    bar.setParams(params({ epochs: 1, steps: 4 }));
    await bar.onTrainBegin();
    await bar.onEpochBegin(0);
    time = 100;
    await bar.onBatchEnd(0, { batch: 0, size: 1, values: async () => ({ loss: 1 }) });
    printMessage('Epoch 1: something happened');
    await bar.onEpochEnd(0, { loss: 1 });
    printMessage('after the epoch');
    vi.restoreAllMocks();
    const text = out.join('');
    expect(text).toMatch(/loss: 1\.0000\nEpoch 1: something happened\n\r1\/4 \[/);
    expect(text.endsWith('loss: 1.0000\nafter the epoch\n')).toBe(true);
  });
});
