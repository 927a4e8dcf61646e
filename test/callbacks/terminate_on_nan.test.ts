import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { setBackend } from '../../src/backend/backends.js';
import { terminateOnNaN } from '../../src/training/callbacks/index.js';
import { countingBatchLogs, FakeModel, params } from './fake_model.js';

beforeAll(async () => {
  await setBackend('cpu');
});

afterEach(() => {
  vi.restoreAllMocks();
});

/** Runs batches with the given running losses until the model is told to stop. */
async function runBatches(lossPerBatch: number[]) {
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const m = new FakeModel();
  const cb = terminateOnNaN();
  cb.setModel(m);
  cb.setParams(params({ steps: lossPerBatch.length }));
  await cb.onTrainBegin();
  const counter = { calls: 0 };
  let ran = 0;
  for (let b = 0; b < lossPerBatch.length; b++) {
    await cb.onBatchEnd(b, countingBatchLogs(b, { loss: lossPerBatch[b]!, accuracy: 0.5 }, counter));
    ran += 1;
    if (m.stopTraining) break;
  }
  m.dispose();
  return { ran, calls: counter.calls, stoppedBatch: cb.stoppedBatch, stopped: m.stopTraining };
}

describe('terminateOnNaN', () => {
  it('stops at the first batch whose loss is NaN', async () => {
    expect(await runBatches([1, 0.9, NaN, 0.8])).toEqual({ ran: 3, calls: 3, stoppedBatch: 2, stopped: true });
  });

  it('stops on an infinite loss', async () => {
    expect(await runBatches([1, Infinity, 2])).toMatchObject({ ran: 2, stoppedBatch: 1 });
    expect(await runBatches([-Infinity])).toMatchObject({ ran: 1, stoppedBatch: 0 });
  });

  it('reads the values every batch and lets finite losses through', async () => {
    expect(await runBatches([3, 2, 1e30, 0])).toEqual({ ran: 4, calls: 4, stoppedBatch: undefined, stopped: false });
  });

  it('prints which batch was invalid', async () => {
    const lines: string[] = [];
    const m = new FakeModel();
    const cb = terminateOnNaN();
    cb.setModel(m);
    vi.spyOn(process.stdout, 'write').mockImplementation((t: string | Uint8Array) => {
      lines.push(String(t));
      return true;
    });
    await cb.onBatchEnd(4, countingBatchLogs(4, { loss: NaN }, { calls: 0 }));
    vi.restoreAllMocks();
    expect(lines.join('')).toContain('Batch 4: Invalid loss, terminating training');
    m.dispose();
  });
});
