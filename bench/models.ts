/**
 * The benchmark's networks, written down as data so that every side (strata,
 * tfjs-layers, PyTorch) builds the same layers from one description, and so weights
 * and FLOPs are derived from the same shapes.
 */

/** Names of the benchmarked networks. */
export type ModelName = 'mlp' | 'cnn' | 'lstm';

/** Activations the networks use. */
export type ActivationName = 'relu' | 'softmax' | 'sigmoid';

/**
 * One layer of a network description; convolutions and pooling use 'valid' padding, stride 1
 * and stride = pool size. The LSTM returns its last output only, with Keras' defaults (tanh,
 * sigmoid gates, gates in the order i, f, c, o).
 */
export type LayerSpec =
  | { kind: 'dense'; units: number; activation: ActivationName }
  | { kind: 'conv2d'; filters: number; kernelSize: number; activation: ActivationName }
  | { kind: 'maxPooling2d'; poolSize: number }
  | { kind: 'flatten' }
  | { kind: 'embedding'; inputDim: number; outputDim: number; /** false: the table is not trained (every side). */ trainable?: boolean }
  | { kind: 'lstm'; units: number };

/** What a network trains on: MNIST images (float32 in [0, 1]) or synthetic token sequences (int32, `sequences.ts`). */
export type DataKind = 'mnist' | 'tokens';

/** A network: its per-sample input shape (channels last), data, loss and layers in order. */
export interface ModelSpec {
  name: ModelName;
  /** Short human description for the table. */
  title: string;
  inputShape: number[];
  data: DataKind;
  /** Keras loss name: integer class labels (MNIST) or 0/1 labels against one sigmoid unit (tokens). */
  loss: 'sparseCategoricalCrossentropy' | 'binaryCrossentropy';
  layers: LayerSpec[];
}

/** The benchmarked networks. */
export const MODELS: Record<ModelName, ModelSpec> = {
  mlp: {
    name: 'mlp',
    title: 'MLP 784-256-256-10',
    inputShape: [784],
    data: 'mnist',
    loss: 'sparseCategoricalCrossentropy',
    layers: [
      { kind: 'dense', units: 256, activation: 'relu' },
      { kind: 'dense', units: 256, activation: 'relu' },
      { kind: 'dense', units: 10, activation: 'softmax' },
    ],
  },
  cnn: {
    name: 'cnn',
    title: 'CNN conv32-pool-conv64-pool-dense128-dense10',
    inputShape: [28, 28, 1],
    data: 'mnist',
    loss: 'sparseCategoricalCrossentropy',
    layers: [
      { kind: 'conv2d', filters: 32, kernelSize: 3, activation: 'relu' },
      { kind: 'maxPooling2d', poolSize: 2 },
      { kind: 'conv2d', filters: 64, kernelSize: 3, activation: 'relu' },
      { kind: 'maxPooling2d', poolSize: 2 },
      { kind: 'flatten' },
      { kind: 'dense', units: 128, activation: 'relu' },
      { kind: 'dense', units: 10, activation: 'softmax' },
    ],
  },
  lstm: {
    name: 'lstm',
    title: 'Embedding 5000×64, LSTM 128, dense 1 sigmoid, sequences of 100',
    inputShape: [100],
    data: 'tokens',
    loss: 'binaryCrossentropy',
    layers: [
      { kind: 'embedding', inputDim: 5000, outputDim: 64 },
      { kind: 'lstm', units: 128 },
      { kind: 'dense', units: 1, activation: 'sigmoid' },
    ],
  },
};

/** A layer with the per-sample shapes it consumes and produces. */
export interface TracedLayer {
  spec: LayerSpec;
  input: number[];
  output: number[];
}

/** Per-sample input and output shapes of every layer. */
export function traceShapes(model: ModelSpec): TracedLayer[] {
  let shape = model.inputShape;
  return model.layers.map((spec) => {
    const input = shape;
    const [h = 0, w = 0, c = 0] = input;
    switch (spec.kind) {
      case 'dense':
        shape = [spec.units];
        break;
      case 'conv2d':
        shape = [h - spec.kernelSize + 1, w - spec.kernelSize + 1, spec.filters];
        break;
      case 'maxPooling2d':
        shape = [Math.floor(h / spec.poolSize), Math.floor(w / spec.poolSize), c];
        break;
      case 'flatten':
        shape = [input.reduce((a, b) => a * b, 1)];
        break;
      case 'embedding':
        shape = [...input, spec.outputDim];
        break;
      case 'lstm':
        shape = [spec.units];
        break;
    }
    return { spec, input, output: shape };
  });
}

/**
 * How a weight starts (drawn once by the parent, `weights.ts`): Glorot uniform with Keras'
 * fans, zeros, uniform in ±`limit` (Keras' Embedding default, ±0.05), or the LSTM bias of
 * Keras' `unitForgetBias` (zeros, the forget gate's `units` entries ones).
 */
export type WeightInit =
  | { kind: 'glorotUniform'; fanIn: number; fanOut: number }
  | { kind: 'zeros' }
  | { kind: 'uniform'; limit: number }
  | { kind: 'unitForgetBias'; units: number };

/** One weight array, in the order Keras-style layers list them (kernel, recurrent kernel, bias). */
export interface WeightShape {
  role: 'kernel' | 'recurrentKernel' | 'bias' | 'embeddings';
  /**
   * Keras layout: dense `[in, units]`, conv `[kh, kw, inChannels, filters]`, embeddings
   * `[inputDim, outputDim]`, LSTM kernel `[in, 4u]`, recurrent kernel `[u, 4u]` and bias `[4u]`
   * with the gates in the order i, f, c, o.
   */
  shape: number[];
  init: WeightInit;
}

/** All weights of a network in layer order. */
export function weightShapes(model: ModelSpec): WeightShape[] {
  const out: WeightShape[] = [];
  for (const { spec, input } of traceShapes(model)) {
    const zeros = { kind: 'zeros' } as const;
    if (spec.kind === 'dense') {
      const inDim = input[0]!;
      out.push({ role: 'kernel', shape: [inDim, spec.units], init: { kind: 'glorotUniform', fanIn: inDim, fanOut: spec.units } });
      out.push({ role: 'bias', shape: [spec.units], init: zeros });
    } else if (spec.kind === 'conv2d') {
      const k = spec.kernelSize;
      const inC = input[2]!;
      out.push({ role: 'kernel', shape: [k, k, inC, spec.filters], init: { kind: 'glorotUniform', fanIn: k * k * inC, fanOut: k * k * spec.filters } });
      out.push({ role: 'bias', shape: [spec.filters], init: zeros });
    } else if (spec.kind === 'embedding') {
      out.push({ role: 'embeddings', shape: [spec.inputDim, spec.outputDim], init: { kind: 'uniform', limit: 0.05 } });
    } else if (spec.kind === 'lstm') {
      const inDim = input[input.length - 1]!;
      const u = spec.units;
      out.push({ role: 'kernel', shape: [inDim, 4 * u], init: { kind: 'glorotUniform', fanIn: inDim, fanOut: 4 * u } });
      // Keras starts the recurrent kernel orthogonal; any shared start serves a speed
      // comparison, and Glorot keeps the generator simple.
      out.push({ role: 'recurrentKernel', shape: [u, 4 * u], init: { kind: 'glorotUniform', fanIn: u, fanOut: 4 * u } });
      out.push({ role: 'bias', shape: [4 * u], init: { kind: 'unitForgetBias', units: u } });
    }
  }
  return out;
}

/** Number of values in a shape. */
export function sizeOf(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
