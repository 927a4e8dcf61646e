import { describe, expect, it } from 'vitest';
import * as tuner from '../../../src/apps/tuner/index.js';
import { quadratic, quadraticSpace } from './quadratic.js';

async function bestOver(sampler: 'random' | 'tpe', seed: number, trials: number): Promise<number> {
  const study = await tuner.search({
    space: quadraticSpace, sampler, trials, seed, objective: 'value', verbose: 0, keepBestModel: false,
    run: (hp) => quadratic(hp),
  });
  return study.bestValue!;
}

describe('TPE against random search', () => {
  it('finds a lower minimum of a 4-D quadratic with a log-scaled parameter, on average over 20 seeds', async () => {
    const trials = 50;
    const random: number[] = [];
    const tpe: number[] = [];
    for (let seed = 0; seed < 20; seed++) {
      random.push(await bestOver('random', seed, trials));
      tpe.push(await bestOver('tpe', seed, trials));
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const wins = tpe.filter((v, i) => v < random[i]!).length;
    console.log(`quadratic, ${trials} trials, 20 seeds: mean best random ${mean(random).toFixed(4)}, TPE ${mean(tpe).toFixed(4)}; TPE better in ${wins}/20`);
    expect(mean(tpe)).toBeLessThan(0.6 * mean(random));
    expect(wins).toBeGreaterThanOrEqual(14);
  });

  it('repeats exactly with the same seed', async () => {
    expect(await bestOver('tpe', 3, 25)).toBe(await bestOver('tpe', 3, 25));
    expect(await bestOver('tpe', 3, 25)).not.toBe(await bestOver('tpe', 4, 25));
  });
});
