import { describe, expect, it } from 'vitest';
import { summarize, type SideResult } from '../../bench/result.js';
import type { Timing } from '../../bench/protocol.js';

/** A repetition of `steps` batches of 100 that ran at `rate` samples per wall second on one core. */
const at = (rate: number, process?: number): Timing => ({ steps: 10, wallSec: 1000 / rate, cpuSec: 1000 / rate, ...(process === undefined ? {} : { process }) });

function side(timings: Timing[]): SideResult {
  const r: SideResult = { side: 'pytorch', backend: 'cpu', job: 'cnn-fit', status: 'ok', timings };
  summarize(r, 100);
  return r;
}

describe('bench summaries', () => {
  it('take the median of the repetitions of a single process', () => {
    const r = side([at(100), at(300), at(200)]);
    expect(r.wallSamplesPerSec).toBeCloseTo(200, 9);
    expect(r.processWallSamplesPerSec).toBeUndefined();
  });

  it('take the median of each process\'s median, so a process counts once however many repetitions it ran', () => {
    // Two processes in the slow mode, one fast one with more repetitions: pooled, the fast
    // repetitions would be the majority; per process, the slow mode is.
    const r = side([at(5000, 0), at(5100, 0), at(10_000, 1), at(10_200, 1), at(10_400, 1), at(10_600, 1), at(4900, 2)]);
    expect(r.processWallSamplesPerSec).toEqual([5050, 10_300, 4900]);
    expect(r.wallSamplesPerSec).toBeCloseTo(5050, 9);
    expect(r.cpuSamplesPerSec).toBeCloseTo(5050, 9);
    expect(r.coresUsed).toBeCloseTo(1, 12);
  });
});
