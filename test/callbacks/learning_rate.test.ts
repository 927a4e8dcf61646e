import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { setBackend } from '../../src/backend/backends.js';
import { StateError, ValueError } from '../../src/engine/errors.js';
import { CallbackList, History, learningRateScheduler, reduceLROnPlateau } from '../../src/training/callbacks/index.js';
import { driveEpochs, FakeModel, FakeOptimizer } from './fake_model.js';

beforeAll(async () => {
  await setBackend('cpu');
});

afterEach(() => {
  vi.restoreAllMocks();
});

const flat = (n: number, v = 1) => Array.from({ length: n }, () => ({ loss: v, val_loss: v }));

/** Runs `cb` then a History over the logs; returns the logged `lr` of each epoch. */
async function lrTrace(cb: CallbackList | Parameters<typeof driveEpochs>[0], model: FakeModel, logs: { loss: number; val_loss: number }[]) {
  const history = new History();
  await driveEpochs(new CallbackList([cb, history]), model, logs);
  return history.history.lr;
}

describe('learningRateScheduler', () => {
  it('sets the rate at each epoch begin from (epoch, current rate) and logs it as lr', async () => {
    const m = new FakeModel(new FakeOptimizer(0.01));
    const calls: [number, number][] = [];
    const sched = learningRateScheduler((epoch, lr) => {
      calls.push([epoch, lr]);
      return epoch < 2 ? lr : lr * 0.5;
    });
    const lrs = await lrTrace(sched, m, flat(4));
    expect(lrs).toEqual([0.01, 0.01, 0.005, 0.0025]);
    expect(calls).toEqual([[0, 0.01], [1, 0.01], [2, 0.01], [3, 0.005]]);
    expect(m.optimizer!.learningRate).toBe(0.0025);
  });

  it('accepts an async schedule', async () => {
    const m = new FakeModel(new FakeOptimizer(1));
    const lrs = await lrTrace(learningRateScheduler(async (epoch) => 1 / (epoch + 1)), m, flat(3));
    expect(lrs).toEqual([1, 1 / 2, 1 / 3]);
  });

  it('rejects a non-number rate, a schedule-object optimizer and a missing optimizer', async () => {
    await expect(driveEpochs(learningRateScheduler(() => NaN), new FakeModel(), flat(1))).rejects.toThrow(ValueError);
    await expect(driveEpochs(learningRateScheduler(() => -1), new FakeModel(), flat(1))).rejects.toThrow(/learning rate/);
    const scheduled = new FakeModel(new FakeOptimizer({ className: 'ExponentialDecay', valueAt: () => 0.1 }));
    await expect(driveEpochs(learningRateScheduler((_e, lr) => lr), scheduled, flat(1))).rejects.toThrow(StateError);
    await expect(driveEpochs(learningRateScheduler((_e, lr) => lr), new FakeModel(null), flat(1))).rejects.toThrow(/no optimizer/);
    expect(() => learningRateScheduler(5 as unknown as () => number)).toThrow(ValueError);
  });

  it('verbose 1 prints the new rate', async () => {
    const text: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((t: string | Uint8Array) => {
      text.push(String(t));
      return true;
    });
    await driveEpochs(learningRateScheduler(() => 0.5, { verbose: 1 }), new FakeModel(), flat(2));
    vi.restoreAllMocks();
    expect(text.join('')).toContain('Epoch 2: LearningRateScheduler setting learning rate to 0.5.');
  });
});

describe('reduceLROnPlateau', () => {
  it('reduces by factor after patience epochs, respects cooldown and minLr', async () => {
    const m = new FakeModel(new FakeOptimizer(0.01));
    const cb = reduceLROnPlateau({ factor: 0.5, patience: 2, minLr: 0.002, minDelta: 0 });
    // Plateau from the start: reductions after epochs 2, 4, 6 (the last one clipped to
    // minLr), then none since the rate is at minLr. lr is logged before any reduction.
    expect(await lrTrace(cb, m, flat(10))).toEqual([0.01, 0.01, 0.01, 0.005, 0.005, 0.0025, 0.0025, 0.002, 0.002, 0.002]);
    expect(m.optimizer!.learningRate).toBe(0.002);
  });

  it('cooldown skips counting for that many epochs after a reduction', async () => {
    const m = new FakeModel(new FakeOptimizer(1));
    const cb = reduceLROnPlateau({ factor: 0.5, patience: 2, cooldown: 2, minDelta: 0 });
    // Reductions after epochs 2, 5 and 8.
    expect(await lrTrace(cb, m, flat(10))).toEqual([1, 1, 1, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.125]);
  });

  it('improvements larger than minDelta reset the wait; smaller ones do not', async () => {
    const m = new FakeModel(new FakeOptimizer(1));
    const falling = (step: number) => Array.from({ length: 6 }, (_, i) => ({ loss: 1, val_loss: 1 - step * i }));
    expect(await lrTrace(reduceLROnPlateau({ patience: 2 }), m, falling(0.01))).toEqual([1, 1, 1, 1, 1, 1]);
    const m2 = new FakeModel(new FakeOptimizer(1));
    const lrs = await lrTrace(reduceLROnPlateau({ patience: 2 }), m2, falling(1e-5));
    expect(lrs.slice(0, 4)).toEqual([1, 1, 1, 0.1]);
  });

  it('auto mode maximizes accuracy', async () => {
    const m = new FakeModel(new FakeOptimizer(1));
    const history = new History();
    const rising = Array.from({ length: 5 }, (_, i) => ({ val_accuracy: 0.5 + 0.1 * i }));
    await driveEpochs(new CallbackList([reduceLROnPlateau({ monitor: 'val_accuracy', patience: 1 }), history]), m, rising);
    expect(history.history.lr).toEqual([1, 1, 1, 1, 1]);
    const m2 = new FakeModel(new FakeOptimizer(1));
    await driveEpochs(new CallbackList([reduceLROnPlateau({ monitor: 'val_accuracy', patience: 1, mode: 'min' }), history]), m2, rising);
    expect(m2.optimizer!.learningRate).toBeCloseTo(1e-4, 12);
  });

  it('a missing monitor warns once and leaves the rate', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const m = new FakeModel(new FakeOptimizer(1));
    await driveEpochs(reduceLROnPlateau({ patience: 0 }), m, [{ loss: 1 }, { loss: 1 }, { loss: 1 }]);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(m.optimizer!.learningRate).toBe(1);
  });

  it('rejects bad options', () => {
    expect(() => reduceLROnPlateau({ factor: 1 })).toThrow(/factor/);
    expect(() => reduceLROnPlateau({ factor: 0 })).toThrow(ValueError);
    expect(() => reduceLROnPlateau({ patience: -2 })).toThrow(/patience/);
    expect(() => reduceLROnPlateau({ cooldown: 0.5 })).toThrow(/cooldown/);
    expect(() => reduceLROnPlateau({ minLr: -1 })).toThrow(/minLr/);
  });
});
