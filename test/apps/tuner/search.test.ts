import { beforeAll, describe, expect, it } from 'vitest';
import * as st from '../../../src/index.js';

const { tf } = st;
const { tuner } = st;

beforeAll(async () => {
  await st.setBackend('cpu');
});

/** y = 3x - 1 with noise-free targets: a learning rate near 0.1 fits it in a few epochs, 1e-4 does not. */
function data() {
  const x = tf.randomUniform([64, 1], -1, 1, 'float32', 11);
  const y = tf.tidy(() => tf.sub(tf.mul(x, 3), 1));
  return { x, y };
}

function run(x: st.tf.Tensor, y: st.tf.Tensor) {
  return async (hp: st.tuner.Params, trial: st.tuner.Trial) => {
    const net = st.sequential([st.layers.dense({ units: 1, inputShape: [1], kernelInitializer: st.initializers.glorotUniform({ seed: trial.seed }) })]);
    net.compile({ optimizer: st.optimizers.sgd({ learningRate: hp.lr as number }), loss: 'mse' });
    return net.fit(x, y, { epochs: trial.epochs, batchSize: 16, validationData: [x, y], callbacks: trial.callbacks, verbose: 0 });
  };
}

describe('tuner.search with models', () => {
  it('ranks trials by val_loss, reports every epoch, restores the best model and leaks no tensors', async () => {
    const { x, y } = data();
    const before = tf.memory().numTensors;
    const study = await tuner.search({
      space: { lr: tuner.logUniform(1e-4, 0.3) }, sampler: 'random', trials: 6, maxEpochs: 3, seed: 2, verbose: 0,
      objective: 'val_loss', run: run(x, y),
    });
    expect(study.trials).toHaveLength(6);
    for (const t of study.trials) {
      expect(t.state).toBe('complete');
      expect(t.intermediate).toHaveLength(3);
      expect(t.value).toBe(Math.min(...t.intermediate));
    }
    const best = study.best!;
    expect(best.value).toBe(Math.min(...study.trials.map((t) => t.value!)));
    const table = study.table().split('\n');
    expect(table[0]).toMatch(/trial\s+state\s+val_loss\s+epochs\s+lr/);
    expect(table[2]).toMatch(new RegExp(`^\\s*${best.number}\\s+complete`));
    // the restored model has the best trial's final weights: its loss is that trial's last val_loss
    expect(tf.memory().numTensors).toBe(before);
    const model = (await study.bestModel())!;
    const scores = await model.evaluate(x, y, { verbose: 0 } as never);
    expect(scores.loss).toBeCloseTo(best.intermediate.at(-1)!, 4);
    model.dispose();
    tf.dispose([x, y]);
  });

  it('prunes with the median rule and saves epochs', async () => {
    const { x, y } = data();
    const study = await tuner.search({
      space: { lr: tuner.logUniform(1e-5, 0.3) }, sampler: 'random', pruner: 'median', trials: 14, maxEpochs: 4, seed: 9, verbose: 0,
      objective: 'val_loss', keepBestModel: false, run: run(x, y),
    });
    const pruned = study.trials.filter((t) => t.state === 'pruned');
    expect(pruned.length).toBeGreaterThan(0);
    for (const t of pruned) expect(t.epochs).toBeLessThan(4);
    expect(study.totalEpochs).toBeLessThan(14 * 4);
    tf.dispose([x, y]);
  });

  it('saves after every trial and resumes an interrupted search where it stopped', async () => {
    const storage = new tuner.MemoryStorage();
    const calls: number[] = [];
    const opts = {
      space: { a: tuner.uniform(-1, 1), b: tuner.choice([1, 2, 3]) }, sampler: 'tpe' as const, trials: 14, seed: 4, objective: 'value', verbose: 0 as const, storage,
    };
    let saves = 0;
    const save = storage.save.bind(storage);
    storage.save = async (j) => { saves++; return save(j); };
    // an interruption during trial 8
    await expect(tuner.search({ ...opts, run: (hp, t) => { if (t.number === 8) throw new Error('killed'); calls.push(t.number); return (hp.a as number) ** 2 + (hp.b as number); } }))
      .resolves.toBeDefined();
    expect(saves).toBeGreaterThanOrEqual(14);
    // simulate a process that died mid-trial 8: mark it running again and drop the rest
    storage.data!.trials = storage.data!.trials.slice(0, 9);
    storage.data!.trials[8]!.state = 'running';
    const params8 = storage.data!.trials[8]!.params;
    calls.length = 0;
    const resumed = await tuner.search({ ...opts, run: (hp, t) => { calls.push(t.number); return (hp.a as number) ** 2 + (hp.b as number); } });
    expect(calls).toEqual([8, 9, 10, 11, 12, 13]);
    expect(resumed.trials[8]!.params).toEqual(params8);
    expect(resumed.trials.every((t) => t.state === 'complete')).toBe(true);
    // the same seed without interruption gives the same trials
    const fresh = await tuner.search({ ...opts, storage: undefined, run: (hp) => (hp.a as number) ** 2 + (hp.b as number) });
    expect(resumed.trials.map((t) => t.params)).toEqual(fresh.trials.map((t) => t.params));
    // the saved JSON round-trips to the same table
    expect(tuner.Study.fromJSON(JSON.parse(JSON.stringify(resumed.toJSON()))).table()).toBe(resumed.table());
  });

  it('records a failing trial as failed and names a missing objective', async () => {
    const { x, y } = data();
    const study = await tuner.search({
      space: { lr: tuner.uniform(0.01, 0.1) }, trials: 1, maxEpochs: 1, verbose: 0, objective: 'val_accuracy', run: run(x, y),
    });
    expect(study.trials[0]!.state).toBe('failed');
    expect(study.trials[0]!.error).toMatch(/'val_accuracy' is not in the epoch logs \(loss, val_loss\)/);
    await expect(tuner.search({ space: { a: tuner.uniform(0, 1) }, objective: 'score', run: () => 1 })).rejects.toThrow(/pass direction/);
    tf.dispose([x, y]);
  });
});

describe('pruning at the full budget', () => {
  it('never prunes a trial at its last epoch: it completes', async () => {
    const always = { name: 'always', shouldPrune: () => true };
    const study = await tuner.search({
      space: { a: tuner.uniform(0, 1) }, trials: 2, maxEpochs: 1, verbose: 0, objective: 'value', pruner: always,
      run: async (hp, trial) => {
        const stop = await trial.report(hp.a as number);
        expect(stop).toBe(false);
        return hp.a as number;
      },
    });
    expect(study.trials.map((t) => t.state)).toEqual(['complete', 'complete']);
    const pruned = await tuner.search({
      space: { a: tuner.uniform(0, 1) }, trials: 1, maxEpochs: 3, verbose: 0, objective: 'value', pruner: always,
      run: async (hp, trial) => {
        expect(await trial.report(hp.a as number)).toBe(true);
        return hp.a as number;
      },
    });
    expect(pruned.trials[0]!.state).toBe('pruned');
    expect(pruned.trials[0]!.epochs).toBe(1);
  });
});
