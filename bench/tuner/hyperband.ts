// Hyperband's early stopping against a full random search on the MNIST MLP: the same
// randomly drawn configurations (the random sampler depends only on the seed and the trial
// number), once trained to the full budget and once under the Hyperband pruner. Reports the
// epochs each spent and the best validation accuracy each found.
// Run: node --import tsx bench/tuner/hyperband.ts [trials] [maxEpochs] [trainSamples]
import * as st from 'strata';

const trials = Number(process.argv[2] ?? 18);
const maxEpochs = Number(process.argv[3] ?? 9);
process.env.TUNE_MNIST_TRAIN = process.argv[4] ?? '5000';
await st.ready();
const space = {
  units: st.tuner.choice([64, 128, 256, 512]),
  dropout: st.tuner.quantized(0, 0.5, 0.1),
  lr: st.tuner.logUniform(1e-5, 1e-1),
  batchSize: st.tuner.choice([64, 128, 256]),
};
const module = new URL('../../examples/_shared/tune_mnist_trial.ts', import.meta.url);

async function run(pruner: 'none' | 'hyperband') {
  const t0 = performance.now();
  const study = await st.tuner.search({
    space, sampler: 'random', pruner, trials, maxEpochs, parallel: 2, seed: 11, objective: 'val_accuracy',
    module, keepBestModel: false, verbose: 0,
  });
  return { study, seconds: (performance.now() - t0) / 1000 };
}

const full = await run('none');
const hb = await run('hyperband');
for (const [name, r] of [['random, full budget', full], ['random + Hyperband', hb]] as const) {
  console.log(`${name}: ${r.study.totalEpochs} epochs, best val_accuracy ${r.study.bestValue!.toFixed(4)} (trial ${r.study.best!.number}), ${r.seconds.toFixed(0)} s`);
}
console.log(`\nHyperband trials:\n${hb.study.table()}`);
const saved = 1 - hb.study.totalEpochs / full.study.totalEpochs;
const gap = (full.study.bestValue! - hb.study.bestValue!) * 100;
console.log(`\nepochs saved: ${(saved * 100).toFixed(1)} %; best accuracy difference: ${gap.toFixed(2)} points (full − Hyperband)`);
