// Parallel trials on worker threads, through the built package as users run it: each trial
// on its own thread and engine, pruning decided on the main thread, the study in a JSON file
// that a second search resumes.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../../..');
let dir = '';

beforeAll(() => {
  execFileSync('node', ['scripts/ensure-built.mjs'], { cwd: root, stdio: 'inherit' });
  dir = mkdtempSync(join(tmpdir(), 'strata-tuner-workers-'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(root, join(dir, 'node_modules', 'strata'), 'dir');
  writeFileSync(join(dir, 'trial.mjs'), `
import { appendFileSync } from 'node:fs';
import { threadId } from 'node:worker_threads';
import * as st from 'strata';
const { tf } = st;
const x = tf.randomUniform([128, 4], -1, 1, 'float32', 1);
const y = tf.tidy(() => tf.sum(tf.mul(x, tf.tensor1d([1, -2, 0.5, 3])), 1, true));
export async function run(hp, trial) {
  appendFileSync('threads.txt', JSON.stringify({ trial: trial.number, threadId, backend: st.getBackend() }) + '\\n');
  const net = st.sequential([st.layers.dense({ units: hp.units, activation: 'relu', inputShape: [4],
    kernelInitializer: st.initializers.glorotUniform({ seed: trial.seed }) }), st.layers.dense({ units: 1 })]);
  net.compile({ optimizer: st.optimizers.adam({ learningRate: hp.lr }), loss: 'mse' });
  return net.fit(x, y, { epochs: trial.epochs, batchSize: 32, validationSplit: 0.25, callbacks: trial.callbacks, verbose: 0 });
}
`);
  writeFileSync(join(dir, 'main.mjs'), `
import * as st from 'strata';
await st.setBackend('cpu');
const study = await st.tuner.search({
  space: { units: st.tuner.choice([2, 16]), lr: st.tuner.logUniform(1e-4, 1e-1) },
  sampler: 'random', pruner: new st.tuner.MedianPruner({ nStartupTrials: 1 }), trials: Number(process.argv[2]), parallel: 2, maxEpochs: 4, seed: 3,
  objective: 'val_loss', module: './trial.mjs', path: 'study.json', verbose: 0,
});
const best = await study.bestModel();
console.log(JSON.stringify({ trials: study.trials, best: study.best?.number, bestParams: best ? best.countParams() : null,
  table: study.table() }));
`);
}, 180_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function search(trials: number) {
  const out = execFileSync('node', ['main.mjs', String(trials)], { cwd: dir, encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop()!) as {
    trials: { number: number; state: string; epochs: number; params: Record<string, number> }[]; best: number; bestParams: number | null; table: string;
  };
}

describe('tuner on worker threads', () => {
  it('runs trials two at a time on worker threads, saves the study, and resumes it', () => {
    const first = search(8);
    expect(first.trials).toHaveLength(8);
    for (const t of first.trials) expect(['complete', 'pruned']).toContain(t.state);
    const threads = readFileSync(join(dir, 'threads.txt'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { trial: number; threadId: number; backend: string });
    expect(threads).toHaveLength(8);
    expect(new Set(threads.map((t) => t.threadId)).size).toBe(2);
    expect(threads.every((t) => t.threadId !== 0 && t.backend === 'cpu')).toBe(true);
    const best = first.trials.find((t) => t.number === first.best)!;
    expect(first.bestParams).toBe(4 * best.params.units! + best.params.units! + best.params.units! + 1);
    const saved = JSON.parse(readFileSync(join(dir, 'study.json'), 'utf8'));
    expect(saved.trials).toHaveLength(8);

    const second = search(11);
    expect(second.trials).toHaveLength(11);
    expect(second.trials.slice(0, 8)).toEqual(first.trials.map((t) => expect.objectContaining({ number: t.number, params: t.params, state: t.state })));
    expect(readFileSync(join(dir, 'threads.txt'), 'utf8').trim().split('\n')).toHaveLength(11); // only 3 new trials ran
    // The median pruner, decided on the main thread, stopped some trial. Which trials have
    // finished when another reports depends on thread timing, so this looks at all 11 (with
    // one startup trial, a miss would need every later trial to beat the median each epoch).
    expect(second.trials.some((t) => t.state === 'pruned')).toBe(true);
  });
});
