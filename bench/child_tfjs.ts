/**
 * The tfjs-layers side of the benchmark, one child process per job. It loads only stock
 * tfjs (core, layers, the cpu and wasm backends), never strata, so the kernels it runs
 * are the ones tfjs ships.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { serve, type Workload } from './child_harness.js';
import { checksum, readMnist } from './mnist_idx.js';
import type { LayerSpec } from './models.js';
import type { SetupCommand } from './protocol.js';
import { readSequences } from './sequences.js';
import { readWeights } from './weights.js';

function makeLayer(spec: LayerSpec, inputShape?: number[]): tfl.layers.Layer {
  const first = inputShape ? { inputShape } : {};
  switch (spec.kind) {
    case 'dense':
      return tfl.layers.dense({ ...first, units: spec.units, activation: spec.activation });
    case 'conv2d':
      return tfl.layers.conv2d({ ...first, filters: spec.filters, kernelSize: spec.kernelSize, activation: spec.activation });
    case 'maxPooling2d':
      return tfl.layers.maxPooling2d({ ...first, poolSize: spec.poolSize });
    case 'flatten':
      return tfl.layers.flatten(first);
    case 'embedding':
      return tfl.layers.embedding({ ...first, inputDim: spec.inputDim, outputDim: spec.outputDim, trainable: spec.trainable !== false });
    case 'lstm':
      // tfjs-layers defaults to hard-sigmoid gates (Keras 2); Keras 3, strata and PyTorch use
      // the sigmoid. Its orthogonal initializer needs chained ops that Node's tfjs-core
      // bundle lacks; the weights are replaced by the shared ones anyway.
      return tfl.layers.lstm({ ...first, units: spec.units, recurrentActivation: 'sigmoid', recurrentInitializer: 'glorotUniform' });
  }
}

/** The job's samples as tensors: MNIST (labels float32, as its sparse crossentropy wants) or the synthetic sequences (labels `[n, 1]`). */
function loadData(s: SetupCommand, fit: boolean): { x: tf.Tensor; y: tf.Tensor; sum: number } {
  if (s.spec.data === 'tokens') {
    const d = readSequences(s.dataPath!, s.samples);
    return {
      x: tf.tensor2d(d.tokens, [d.count, d.length], 'int32'),
      y: tf.tensor2d(Float32Array.from(d.labels), [d.count, 1], 'float32'),
      sum: checksum(d.tokens, d.labels),
    };
  }
  const data = readMnist(s.mnistDir, fit ? 'train' : 'test', s.samples);
  return {
    x: tf.tensor(data.x, [data.count, ...s.spec.inputShape], 'float32'),
    // tfjs-layers' sparse crossentropy floors its targets, which it accepts only as float32.
    y: tf.tensor1d(Float32Array.from(data.labels), 'float32'),
    sum: checksum(data.x, data.labels),
  };
}

async function create(s: SetupCommand): Promise<Workload> {
  if (s.backend !== 'cpu' && s.backend !== 'wasm') throw new Error(`tfjs-layers side: unknown backend '${s.backend}'`);
  if (!(await tf.setBackend(s.backend))) throw new Error(`tfjs: backend '${s.backend}' failed to initialise`);
  await tf.ready();

  const fit = s.task === 'fit';
  const { x, y, sum } = loadData(s, fit);

  const model = tfl.sequential({ layers: s.spec.layers.map((l, i) => makeLayer(l, i === 0 ? s.spec.inputShape : undefined)) });
  const initial = readWeights(s.weightsPath, s.spec).map((w) => tf.tensor(w.values, w.shape));
  // Layer by layer: tfjs-layers' model.setWeights lists trainable weights first, so a frozen
  // embedding's table would be expected after the LSTM's.
  let next = 0;
  for (const layer of model.layers) {
    const count = layer.weights.length;
    if (count) layer.setWeights(initial.slice(next, next + count));
    next += count;
  }
  if (next !== initial.length) throw new Error(`tfjs-layers side: the model has ${next} weights, the file ${initial.length}`);
  tf.dispose(initial);
  model.compile({ optimizer: tf.train.adam(1e-3), loss: s.spec.loss, metrics: ['accuracy'] });

  const first = (n: number): [tf.Tensor, tf.Tensor] => [tf.slice(x, 0, n), tf.slice(y, 0, n)];
  const once = async (xs: tf.Tensor, ys: tf.Tensor, batchSize: number): Promise<void> => {
    if (fit) {
      await model.fit(xs, ys, { batchSize, epochs: 1, shuffle: false, verbose: 0 });
    } else {
      const out = model.predict(xs, { batchSize }) as tf.Tensor;
      await out.data();
      out.dispose();
    }
  };
  let current: [tf.Tensor, tf.Tensor] | undefined;
  return {
    backend: tf.getBackend(),
    checksum: sum,
    async initialCheck() {
      // A few samples are enough to tell networks apart and cheap even on the cpu backend.
      const n = Math.min(8, s.batchSize);
      const [xs, ys] = first(n);
      const scores = model.evaluate(xs, ys, { batchSize: n });
      const loss = (await (Array.isArray(scores) ? scores[0]! : scores).data())[0]!;
      const out = model.predict(xs, { batchSize: n }) as tf.Tensor;
      const outputs = Array.from(await out.data());
      tf.dispose([xs, ys, scores, out]);
      return { loss, outputs };
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
