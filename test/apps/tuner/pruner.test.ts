import { describe, expect, it } from 'vitest';
import * as tuner from '../../../src/apps/tuner/index.js';
import type { TrialRecord } from '../../../src/apps/tuner/index.js';

const rec = (number: number, intermediate: number[], state: TrialRecord['state'] = 'complete'): TrialRecord => ({
  number, params: {}, state, intermediate, epochs: intermediate.length, startedAt: 0,
  ...(state === 'complete' ? { value: Math.min(...intermediate) } : {}),
});

describe('pruners', () => {
  it('median: stops a trial whose best so far is worse than the median of complete trials at that epoch', () => {
    const p = new tuner.MedianPruner({ nStartupTrials: 3 });
    const done = [rec(0, [1, 0.8, 0.6]), rec(1, [0.9, 0.7, 0.5]), rec(2, [1.2, 1.0, 0.9])];
    const bad = rec(3, [1.1], 'running');
    const good = rec(4, [0.95], 'running');
    expect(p.shouldPrune({ trial: bad, trials: [...done, bad], direction: 'min' })).toBe(true); // median at 1 epoch = 1
    expect(p.shouldPrune({ trial: good, trials: [...done, good], direction: 'min' })).toBe(false);
    // too few complete trials: never
    expect(p.shouldPrune({ trial: bad, trials: [done[0]!, bad], direction: 'min' })).toBe(false);
    // direction max flips the comparison
    expect(p.shouldPrune({ trial: bad, trials: [...done, bad], direction: 'max' })).toBe(false);
  });

  it('successive halving: only the best 1/η at a rung continue; the first at a rung always does', () => {
    const p = new tuner.SuccessiveHalvingPruner({ minEpochs: 1, reductionFactor: 3 });
    expect([1, 2, 3, 4, 9, 27].map((e) => p.isRung(e))).toEqual([true, false, true, false, true, true]);
    const first = rec(0, [0.5], 'running');
    expect(p.shouldPrune({ trial: first, trials: [first], direction: 'min' })).toBe(false);
    const others = [rec(1, [0.1, 0.1]), rec(2, [0.2, 0.2]), rec(3, [0.3]), rec(4, [0.4, 0.4]), rec(5, [0.6])];
    // 6 at rung 1: keep floor(6/3) = 2 best: 0.1, 0.2
    const t = rec(6, [0.25], 'running');
    expect(p.shouldPrune({ trial: t, trials: [...others, t], direction: 'min' })).toBe(true);
    const u = rec(6, [0.15], 'running');
    expect(p.shouldPrune({ trial: u, trials: [...others, u], direction: 'min' })).toBe(false);
    // epoch 2 is no rung
    const v = rec(6, [0.15, 0.9], 'running');
    expect(p.shouldPrune({ trial: v, trials: [...others, v], direction: 'min' })).toBe(false);
  });

  it('hyperband: brackets with later first rungs, dealt by Hyperband shares', () => {
    const p = new tuner.HyperbandPruner({ maxEpochs: 27, minEpochs: 1, reductionFactor: 3 });
    expect(p.brackets.length).toBe(4);
    expect(p.brackets.map((b) => b.minEarlyStoppingRate)).toEqual([0, 1, 2, 3]);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 1000; i++) counts[p.bracketOf(i)]!++;
    // shares ceil(4·27/4)=27, ceil(4·9/3)=12, ceil(4·3/2)=6, 4
    expect(counts[0]! > counts[1]! && counts[1]! > counts[2]! && counts[2]! > counts[3]!).toBe(true);
    // a trial in the most patient bracket (first rung at 27) is never stopped before 27 epochs
    const patient = Array.from({ length: 200 }, (_, i) => i).find((i) => p.bracketOf(i) === 3)!;
    const others = Array.from({ length: 30 }, (_, i) => rec(1000 + i, Array(27).fill(0.01)));
    const t = rec(patient, Array(9).fill(5), 'running');
    expect(p.shouldPrune({ trial: t, trials: [...others, t], direction: 'min' })).toBe(false);
  });
});
