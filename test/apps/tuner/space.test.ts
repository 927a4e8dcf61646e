import { describe, expect, it } from 'vitest';
import * as tuner from '../../../src/apps/tuner/index.js';
import { ValueError } from '../../../src/engine/errors.js';
import { makeRng } from '../../../src/apps/tuner/rng.js';

const random = new tuner.RandomSampler();
const draw = (space: tuner.SearchSpace, n: number, seed = 1) =>
  Array.from({ length: n }, (_, i) => random.sample({ space, trials: [], direction: 'min', rng: makeRng(seed, i) }));

describe('search spaces', () => {
  it('draws every kind within its bounds and on its grid', () => {
    const space = {
      c: tuner.choice(['relu', 'tanh', 'elu']),
      i: tuner.int(2, 11, { step: 3 }),
      u: tuner.uniform(-1, 1),
      q: tuner.quantized(0, 0.5, 0.1),
      l: tuner.logUniform(1e-4, 1e-1),
      li: tuner.int(8, 512, { log: true }),
    };
    const xs = draw(space, 2000);
    expect(new Set(xs.map((x) => x.c))).toEqual(new Set(['relu', 'tanh', 'elu']));
    expect(new Set(xs.map((x) => x.i))).toEqual(new Set([2, 5, 8, 11]));
    for (const x of xs) {
      expect(x.u).toBeGreaterThanOrEqual(-1);
      expect(x.u).toBeLessThanOrEqual(1);
      expect([0, 0.1, 0.2, 0.3, 0.4, 0.5]).toContain(x.q);
      expect(Number.isInteger(x.li)).toBe(true);
    }
    // log scale: each decade of [1e-4, 1e-1] gets about a third of the draws
    const decade = xs.filter((x) => (x.l as number) < 1e-3).length / xs.length;
    expect(decade).toBeGreaterThan(0.28);
    expect(decade).toBeLessThan(0.39);
    const small = xs.filter((x) => (x.li as number) < 64).length / xs.length;
    expect(small).toBeGreaterThan(0.4); // uniform would give 56/505 ≈ 0.11
    // grid ends are as likely as inner points (half-step widening)
    const ends = xs.filter((x) => x.i === 2).length / xs.length;
    expect(ends).toBeGreaterThan(0.2);
  });

  it('samples a conditional branch and only its parameters', () => {
    const space = {
      optimizer: tuner.conditional({
        adam: { adamLr: tuner.logUniform(1e-4, 1e-2) },
        sgd: { sgdLr: tuner.logUniform(1e-3, 1e-1), momentum: tuner.uniform(0, 0.95) },
      }),
      units: tuner.choice([32, 64]),
    };
    const xs = draw(space, 200);
    for (const x of xs) {
      if (x.optimizer === 'adam') expect(Object.keys(x).sort()).toEqual(['adamLr', 'optimizer', 'units']);
      else expect(Object.keys(x).sort()).toEqual(['momentum', 'optimizer', 'sgdLr', 'units']);
    }
    expect(xs.some((x) => x.optimizer === 'adam') && xs.some((x) => x.optimizer === 'sgd')).toBe(true);
  });

  it('rejects bad spaces with messages naming the argument', async () => {
    expect(() => tuner.choice([])).toThrow(ValueError);
    expect(() => tuner.uniform(2, 1)).toThrow(/low <= high/);
    expect(() => tuner.logUniform(0, 1)).toThrow(/low must be > 0/);
    expect(() => tuner.int(1.5, 3)).toThrow(/integers/);
    expect(() => tuner.quantized(0, 1, 0)).toThrow(/step/);
    await expect(tuner.search({ space: { a: tuner.uniform(0, 1), b: tuner.conditional({ x: { a: tuner.uniform(0, 1) } }) }, run: () => 1, objective: 'value' }))
      .rejects.toThrow(/'a' appears twice/);
  });
});

describe('TPE', () => {
  it('concentrates on the good region of a categorical and a log-scaled parameter', async () => {
    const space = { act: tuner.choice(['a', 'b', 'c', 'd']), lr: tuner.logUniform(1e-6, 1) };
    const study = await tuner.search({
      space, sampler: 'tpe', trials: 60, seed: 5, objective: 'value', verbose: 0,
      run: (hp) => (hp.act === 'c' ? 0 : 1) + Math.abs(Math.log10(hp.lr as number) + 4),
    });
    const late = study.trials.slice(30);
    expect(late.filter((t) => t.params.act === 'c').length).toBeGreaterThan(20);
    const near = late.filter((t) => Math.abs(Math.log10(t.params.lr as number) + 4) < 1).length;
    expect(near).toBeGreaterThan(15); // random would put ~1/3 of 30 there
  });
});
