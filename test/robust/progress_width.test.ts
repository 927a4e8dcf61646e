import { afterEach, describe, expect, it, vi } from 'vitest';
import { ProgressBar } from '../../src/training/callbacks/index.js';
import { params } from '../callbacks/fake_model.js';

afterEach(() => {
  vi.restoreAllMocks();
});

/** Runs one epoch of 50 batches with many metrics; returns what was written. */
async function drive(bar: ProgressBar): Promise<void> {
  bar.setParams(params({ steps: 50, epochs: 1 }));
  await bar.onTrainBegin();
  await bar.onEpochBegin(0);
  const values = { loss: 0.123456, accuracy: 0.9, precision: 0.8, recall: 0.7, auc: 0.95, val_loss: 0.2, val_accuracy: 0.88 };
  for (let b = 0; b < 50; b++) await bar.onBatchEnd(b, { batch: b, size: 32, values: async () => values });
  bar.onEpochEnd(0, values);
}

describe('the live progress bar fits the terminal', () => {
  it('cuts live lines to columns - 1 so a redraw never wraps', async () => {
    const writes: string[] = [];
    let t = 0;
    await drive(new ProgressBar({ verbose: 1, interval: 0, columns: 80, now: () => (t += 300), write: (s) => writes.push(s) }));
    const live = writes.filter((w) => w.startsWith('\r') && !w.endsWith('\n'));
    expect(live.length).toBeGreaterThan(10);
    for (const w of live) expect(w.length - 1).toBeLessThanOrEqual(79);
    // the final line keeps the exact epoch logs in full
    expect(writes[writes.length - 1]).toContain('val_accuracy: 0.8800');
  });

  it('defaults to process.stdout.columns on a terminal', async () => {
    const writes: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => (writes.push(String(s)), true));
    const stdout = process.stdout as { isTTY?: boolean; columns?: number };
    const saved = { isTTY: stdout.isTTY, columns: stdout.columns };
    Object.assign(stdout, { isTTY: true, columns: 60 });
    try {
      let t = 0;
      await drive(new ProgressBar({ verbose: 1, interval: 0, now: () => (t += 300) }));
    } finally {
      Object.assign(stdout, saved);
    }
    const live = writes.filter((w) => w.startsWith('\r') && !w.endsWith('\n'));
    expect(live.length).toBeGreaterThan(10);
    for (const w of live) expect(w.length - 1).toBeLessThanOrEqual(59);
  });
});
