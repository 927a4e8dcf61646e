/**
 * The strata side of the benchmark, one child process per job. It imports strata as the
 * built package (like the examples do), so it measures what users get.
 */
import * as st from 'strata';
import { serve, type Workload } from './child_harness.js';
import { checksum } from './mnist_idx.js';
import type { LayerSpec } from './models.js';
import type { SetupCommand } from './protocol.js';
import { readSequences } from './sequences.js';
import { readWeights } from './weights.js';

const { tf } = st;

function makeLayer(spec: LayerSpec): st.Layer {
  switch (spec.kind) {
    case 'dense':
      return st.layers.dense({ units: spec.units, activation: spec.activation });
    case 'conv2d':
      return st.layers.conv2d({ filters: spec.filters, kernelSize: spec.kernelSize, activation: spec.activation });
    case 'maxPooling2d':
      return st.layers.maxPooling2d({ poolSize: spec.poolSize });
    case 'flatten':
      return st.layers.flatten();
    case 'embedding':
      return st.layers.embedding({ inputDim: spec.inputDim, outputDim: spec.outputDim, trainable: spec.trainable !== false });
    case 'lstm':
      return st.layers.lstm({ units: spec.units, recurrentActivation: 'sigmoid' });
  }
}

/** The job's samples: MNIST through strata's own loader, or the shared synthetic sequences (labels `[n, 1]` for the sigmoid output). */
function loadData(s: SetupCommand, fit: boolean): { x: st.tf.Tensor; y: st.tf.Tensor; sum: number } {
  if (s.spec.data === 'tokens') {
    const d = readSequences(s.dataPath!, s.samples);
    return {
      x: tf.tensor2d(d.tokens, [d.count, d.length], 'int32'),
      y: tf.tensor2d(Float32Array.from(d.labels), [d.count, 1], 'float32'),
      sum: checksum(d.tokens, d.labels),
    };
  }
  const data = st.datasets.mnist({
    flatten: s.model === 'mlp',
    trainLimit: fit ? s.samples : 0,
    testLimit: fit ? 0 : s.samples,
  });
  const x = fit ? data.xTrain : data.xTest;
  const y = fit ? data.yTrain : data.yTest;
  tf.dispose(fit ? [data.xTest, data.yTest] : [data.xTrain, data.yTrain]);
  return { x, y, sum: checksum(x.dataSync(), y.dataSync()) };
}

async function create(s: SetupCommand): Promise<Workload> {
  if (s.threads !== undefined) await st.setThreads(s.threads);
  if (s.backend === 'default') await st.ready();
  else await st.setBackend(s.backend as st.BackendName);

  const fit = s.task === 'fit';
  const { x, y, sum } = loadData(s, fit);

  const dtype = s.spec.data === 'tokens' ? 'int32' : 'float32';
  const net = st.sequential([st.layers.input({ shape: s.spec.inputShape, dtype }), ...s.spec.layers.map(makeLayer)]);
  const initial = readWeights(s.weightsPath, s.spec).map((w) => tf.tensor(w.values, w.shape));
  net.setWeights(initial);
  tf.dispose(initial);
  net.compile({
    optimizer: st.optimizers.adam({ learningRate: 1e-3 }),
    loss: s.spec.loss,
    metrics: ['accuracy'],
  });

  const first = (n: number): [st.tf.Tensor, st.tf.Tensor] => [
    tf.slice(x, 0, n),
    tf.slice(y, 0, n),
  ];
  const once = async (xs: st.tf.Tensor, ys: st.tf.Tensor, batchSize: number): Promise<void> => {
    if (fit) {
      await net.fit(xs, ys, { batchSize, epochs: 1, shuffle: false, verbose: 0 });
    } else {
      const out = net.predict(xs, { batchSize }) as st.tf.Tensor;
      await out.data();
      out.dispose();
    }
  };
  let current: [st.tf.Tensor, st.tf.Tensor] | undefined;
  return {
    backend: st.getBackend() === 'wasm' ? `wasm (${st.getThreads()} thread${st.getThreads() === 1 ? '' : 's'})` : st.getBackend(),
    checksum: sum,
    async initialCheck() {
      // A few samples are enough to tell networks apart and cheap even on the cpu backend.
      const n = Math.min(8, s.batchSize);
      const [xs, ys] = first(n);
      const logs = await net.evaluate(xs, ys, { batchSize: n });
      const out = net.predict(xs, { batchSize: n }) as st.tf.Tensor;
      const outputs = Array.from(await out.data());
      tf.dispose([xs, ys, out]);
      return { loss: logs.loss, outputs };
    },
    async warmUp() {
      // One small batch runs every code path (forward, backward, optimizer slots) cheaply.
      const small = Math.min(8, s.batchSize);
      const [xs, ys] = first(small);
      await once(xs, ys, small);
      tf.dispose([xs, ys]);
    },
    prepare(steps) {
      if (current) tf.dispose(current);
      current = first(steps * s.batchSize);
    },
    run() {
      return once(current![0], current![1], s.batchSize);
    },
  };
}

serve(create);
