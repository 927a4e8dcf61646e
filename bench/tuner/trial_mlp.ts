// The trial of the parallel-trials measurement: a small MLP on synthetic data, on the
// single-threaded cpu backend (a second thread cannot speed it up). It appends its thread's
// CPU time and wall time to the file named by TUNER_BENCH_LOG, so the measurement can tell
// waiting for a core from working.
import { appendFileSync, readFileSync } from 'node:fs';
import { threadId } from 'node:worker_threads';
import * as st from 'strata';

const { tf } = st;
await st.setBackend('cpu');
const x = tf.randomUniform([2048, 196], 0, 1, 'float32', 1);
const y = tf.randomUniform([2048], 0, 10, 'int32', 2);

/** This thread's user + system CPU seconds (Linux: /proc/thread-self/stat, in clock ticks). */
function threadCpu(): number {
  const f = readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1]!.split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}

export async function run(hp: st.tuner.Params, trial: st.tuner.Trial) {
  const c0 = threadCpu();
  const t0 = performance.now();
  const net = st.sequential([
    st.layers.dense({ units: hp.units as number, activation: 'relu', inputShape: [196] }),
    st.layers.dense({ units: 10, activation: 'softmax' }),
  ]);
  net.compile({ optimizer: st.optimizers.adam({ learningRate: hp.lr as number }), loss: 'sparseCategoricalCrossentropy' });
  const h = await net.fit(x, y, { epochs: trial.epochs, batchSize: 64, callbacks: trial.callbacks, verbose: 0 });
  const log = process.env.TUNER_BENCH_LOG;
  if (log) appendFileSync(log, JSON.stringify({ thread: threadId, trial: trial.number, threadCpuBefore: c0, cpu: threadCpu() - c0, wall: (performance.now() - t0) / 1000, start: performance.timeOrigin + t0, end: Date.now() }) + '\n');
  return h;
}
