import fc from 'fast-check';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { tf } from '../../src/backend/tf.js';
import { setBackend } from '../../src/backend/backends.js';
import { ValueError } from '../../src/engine/errors.js';
import { earlyStopping } from '../../src/training/callbacks/index.js';
import { driveEpochs, FakeModel, losses } from './fake_model.js';

beforeAll(async () => {
  await setBackend('cpu');
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('earlyStopping', () => {
  it('patience 0 stops at the first epoch without improvement', async () => {
    const m = new FakeModel();
    const es = earlyStopping();
    expect(await driveEpochs(es, m, losses(1, 0.9, 0.95, 0.5))).toEqual([0, 1, 2]);
    expect(es.stoppedEpoch).toBe(2);
    expect(es.best).toBe(0.9);
    m.dispose();
  });

  it('patience counts epochs without improvement', async () => {
    const m = new FakeModel();
    const es = earlyStopping({ patience: 2 });
    // best at 1; epochs 2 and 3 do not improve -> stop after 3.
    expect(await driveEpochs(es, m, losses(1, 0.9, 0.95, 0.92, 0.1))).toEqual([0, 1, 2, 3]);
    // An improvement resets the count.
    const es2 = earlyStopping({ patience: 2 });
    expect(await driveEpochs(es2, m, losses(1, 0.9, 0.95, 0.8, 0.85, 0.9, 0.1))).toEqual([0, 1, 2, 3, 4, 5]);
    m.dispose();
  });

  it('minDelta: smaller changes are not improvements', async () => {
    const m = new FakeModel();
    expect(await driveEpochs(earlyStopping({ patience: 1, minDelta: 0.1 }), m, losses(1, 0.95, 0.92, 0.85))).toEqual([0, 1]);
    expect(await driveEpochs(earlyStopping({ patience: 1 }), m, losses(1, 0.95, 0.92, 0.85))).toEqual([0, 1, 2, 3]);
    // Its sign does not matter.
    expect(await driveEpochs(earlyStopping({ patience: 1, minDelta: -0.1 }), m, losses(1, 0.95, 0.92, 0.85))).toEqual([0, 1]);
    m.dispose();
  });

  it('auto mode maximizes accuracy-like names and minimizes others', async () => {
    const m = new FakeModel();
    const acc = [{ val_accuracy: 0.5 }, { val_accuracy: 0.6 }, { val_accuracy: 0.55 }, { val_accuracy: 0.7 }];
    expect(await driveEpochs(earlyStopping({ monitor: 'val_accuracy' }), m, acc)).toEqual([0, 1, 2]);
    expect(await driveEpochs(earlyStopping({ monitor: 'val_accuracy', mode: 'min' }), m, acc)).toEqual([0, 1]);
    for (const name of ['val_auc', 'precision', 'val_recall', 'f1Score', 'categoricalAccuracy']) {
      const logs = [{ [name]: 0.1 }, { [name]: 0.2 }, { [name]: 0.15 }];
      expect(await driveEpochs(earlyStopping({ monitor: name }), m, logs)).toEqual([0, 1, 2]);
    }
    const mse = [{ val_mse: 3 }, { val_mse: 2 }, { val_mse: 2.5 }];
    expect(await driveEpochs(earlyStopping({ monitor: 'val_mse' }), m, mse)).toEqual([0, 1, 2]);
    expect(await driveEpochs(earlyStopping({ monitor: 'val_mse', mode: 'max' }), m, mse)).toEqual([0, 1]);
    m.dispose();
  });

  it('baseline: epochs that do not beat it count towards patience', async () => {
    const m = new FakeModel();
    const flat = losses(1, 1, 1, 1, 1);
    expect(await driveEpochs(earlyStopping({ patience: 2 }), m, flat)).toEqual([0, 1, 2]);
    expect(await driveEpochs(earlyStopping({ patience: 2, baseline: 0.5 }), m, flat)).toEqual([0, 1]);
    // Beating the baseline resets the wait as usual.
    expect(await driveEpochs(earlyStopping({ patience: 2, baseline: 0.5 }), m, losses(0.4, 0.45, 0.45, 0.45))).toEqual([0, 1, 2]);
    m.dispose();
  });

  it('startFromEpoch ignores the warm-up epochs', async () => {
    const m = new FakeModel();
    const logs = losses(1, 2, 3, 4, 3.5, 5, 6);
    expect(await driveEpochs(earlyStopping(), m, logs)).toEqual([0, 1]);
    const es = earlyStopping({ startFromEpoch: 3 });
    expect(await driveEpochs(es, m, logs)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(es.bestEpoch).toBe(4);
    m.dispose();
  });

  it('restoreBestWeights puts back the best epoch\'s weights and leaks nothing', async () => {
    const m = new FakeModel();
    const before = tf.memory().numTensors;
    const es = earlyStopping({ patience: 2, restoreBestWeights: true });
    expect(await driveEpochs(es, m, losses(1, 0.5, 0.7, 0.3, 0.4, 0.6, 0.1))).toEqual([0, 1, 2, 3, 4, 5]);
    // The weights of epoch 3 (filled with 3), not the last epoch's (5).
    expect(m.weightValues()).toEqual([3, 3, 3]);
    expect(es.bestEpoch).toBe(3);
    expect(tf.memory().numTensors).toBe(before);
    m.dispose();
  });

  it('restoreBestWeights also restores when training runs to the end', async () => {
    const m = new FakeModel();
    const before = tf.memory().numTensors;
    expect(await driveEpochs(earlyStopping({ patience: 5, restoreBestWeights: true }), m, losses(3, 1, 2, 2.5))).toEqual([0, 1, 2, 3]);
    expect(m.weightValues()).toEqual([1, 1, 1]);
    expect(tf.memory().numTensors).toBe(before);
    m.dispose();
  });

  it('without restoreBestWeights the last weights stay', async () => {
    const m = new FakeModel();
    await driveEpochs(earlyStopping({ patience: 1 }), m, losses(1, 0.5, 0.7, 0.8));
    expect(m.weightValues()).toEqual([2, 2, 2]);
    m.dispose();
  });

  it('a missing monitor warns once and never stops', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const m = new FakeModel();
    const es = earlyStopping({ restoreBestWeights: true });
    const before = tf.memory().numTensors;
    const logs = [{ loss: 1 }, { loss: 2 }, { loss: 3 }];
    expect(await driveEpochs(es, m, logs)).toEqual([0, 1, 2]);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toContain('val_loss');
    expect(tf.memory().numTensors).toBe(before);
    m.dispose();
  });

  it('verbose 1 reports the stop and the restore', async () => {
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((t: string | Uint8Array) => {
      lines.push(String(t));
      return true;
    });
    const m = new FakeModel();
    await driveEpochs(earlyStopping({ verbose: 1, restoreBestWeights: true }), m, losses(1, 0.5, 0.9));
    vi.restoreAllMocks();
    const text = lines.join('');
    expect(text).toContain('Epoch 3: early stopping');
    expect(text).toContain('best epoch: 2.');
    m.dispose();
  });

  it('rejects bad options', () => {
    expect(() => earlyStopping({ patience: -1 })).toThrow(ValueError);
    expect(() => earlyStopping({ patience: 1.5 })).toThrow(/patience/);
    expect(() => earlyStopping({ mode: 'up' as 'min' })).toThrow(/mode/);
    expect(() => earlyStopping({ monitor: '' })).toThrow(/monitor/);
    expect(() => earlyStopping({ baseline: NaN })).toThrow(/baseline/);
    expect(() => earlyStopping({ minDelta: Infinity })).toThrow(/minDelta/);
  });

  it('property: stops `max(patience, 1)` epochs after the best, and restores the best', async () => {
    const m = new FakeModel();
    await fc.assert(fc.asyncProperty(
      fc.array(fc.float({ min: 0, max: 10, noNaN: true }), { minLength: 1, maxLength: 12 }),
      fc.integer({ min: 0, max: 4 }),
      async (values, patience) => {
        const before = tf.memory().numTensors;
        const es = earlyStopping({ patience, restoreBestWeights: true });
        const ran = await driveEpochs(es, m, values.map((v) => ({ val_loss: v })));
        const seen = values.slice(0, ran.length);
        const bestEpoch = seen.indexOf(Math.min(...seen));
        expect(es.bestEpoch).toBe(bestEpoch);
        expect(m.weightValues()).toEqual([bestEpoch, bestEpoch, bestEpoch]);
        if (ran.length < values.length) expect(ran.length - 1).toBe(bestEpoch + Math.max(patience, 1));
        else expect(values.length - 1 - bestEpoch).toBeLessThanOrEqual(Math.max(patience, 1));
        expect(tf.memory().numTensors).toBe(before);
      }), { numRuns: 60 });
    m.dispose();
  });
});
