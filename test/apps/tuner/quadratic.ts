// The benchmark of the TPE-versus-random test: a 4-D quadratic whose learning-rate-like
// parameter is log-scaled (its optimum, 1e-3, sits in the bottom tenth of the linear range).
import * as tuner from '../../../src/apps/tuner/index.js';

export const quadraticSpace = {
  a: tuner.uniform(-2, 2),
  b: tuner.uniform(-2, 2),
  lr: tuner.logUniform(1e-5, 1e-1),
  units: tuner.int(8, 512, { log: true }),
};

/** Minimum 0 at a = 0.5, b = -1.25, lr = 1e-3, units = 64. */
export function quadratic(hp: tuner.Params): number {
  const a = hp.a as number;
  const b = hp.b as number;
  const lr = Math.log10(hp.lr as number) + 3;
  const u = Math.log2(hp.units as number) - 6;
  return (a - 0.5) ** 2 + (b + 1.25) ** 2 + lr ** 2 + 0.5 * u ** 2;
}
