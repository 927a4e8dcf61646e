/**
 * Command-line options of `npm run bench`:
 *   --quick           a smoke run of about a minute (short repetitions, low limits)
 *   --only GROUP,...  only these groups of jobs: mlp, cnn, predict, small, lstm
 */
import type { JobGroup } from './plan.js';

/** Parsed options. */
export interface BenchOptions {
  quick: boolean;
  /** The job groups to run; undefined runs all. */
  only?: JobGroup[];
}

const GROUPS: readonly JobGroup[] = ['mlp', 'cnn', 'predict', 'small', 'lstm'];

/** The usage text. */
export const USAGE = 'usage: npm run bench -- [--quick] [--only mlp|cnn|predict|small|lstm[,...]]';

/** Parses the arguments after `npm run bench --`; throws with the usage text on anything unknown. */
export function parseOptions(args: string[]): BenchOptions {
  const opts: BenchOptions = { quick: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--quick') {
      opts.quick = true;
    } else if (a === '--only' || a.startsWith('--only=')) {
      const value = a === '--only' ? args[++i] : a.slice('--only='.length);
      const groups = (value ?? '').split(',').filter(Boolean);
      const bad = groups.find((g) => !GROUPS.includes(g as JobGroup));
      if (groups.length === 0 || bad !== undefined) throw new Error(`--only: expected ${GROUPS.join('|')}; got '${value ?? ''}'\n${USAGE}`);
      opts.only = [...(opts.only ?? []), ...(groups as JobGroup[])];
    } else {
      throw new Error(`unknown argument '${a}'\n${USAGE}`);
    }
  }
  return opts;
}
