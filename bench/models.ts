/**
 * The benchmark's two networks, written down as data so that every side (strata,
 * tfjs-layers, PyTorch) builds the same layers from one description, and so weights
 * and FLOPs are derived from the same shapes.
 */

/** Names of the benchmarked networks. */
export type ModelName = 'mlp' | 'cnn';

/** Activations the two networks use. */
export type ActivationName = 'relu' | 'softmax';

/** One layer of a network description; convolutions and pooling use 'valid' padding, stride 1 and stride = pool size. */
export type LayerSpec =
  | { kind: 'dense'; units: number; activation: ActivationName }
  | { kind: 'conv2d'; filters: number; kernelSize: number; activation: ActivationName }
  | { kind: 'maxPooling2d'; poolSize: number }
  | { kind: 'flatten' };

/** A network: its per-sample input shape (channels last) and its layers in order. */
export interface ModelSpec {
  name: ModelName;
  /** Short human description for the table. */
  title: string;
  inputShape: number[];
  layers: LayerSpec[];
}

/** The benchmarked networks. */
export const MODELS: Record<ModelName, ModelSpec> = {
  mlp: {
    name: 'mlp',
    title: 'MLP 784-256-256-10',
    inputShape: [784],
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
    }
    return { spec, input, output: shape };
  });
}

/** One weight array, in the order Keras-style layers list them (kernel, then bias). */
export interface WeightShape {
  role: 'kernel' | 'bias';
  /** Keras layout: dense `[in, units]`, conv `[kh, kw, inChannels, filters]`. */
  shape: number[];
  /** Glorot fans as Keras computes them (receptive field times channels for convolutions). */
  fanIn: number;
  fanOut: number;
}

/** All weights of a network in layer order. */
export function weightShapes(model: ModelSpec): WeightShape[] {
  const out: WeightShape[] = [];
  for (const { spec, input } of traceShapes(model)) {
    if (spec.kind === 'dense') {
      const inDim = input[0]!;
      out.push({ role: 'kernel', shape: [inDim, spec.units], fanIn: inDim, fanOut: spec.units });
      out.push({ role: 'bias', shape: [spec.units], fanIn: 0, fanOut: 0 });
    } else if (spec.kind === 'conv2d') {
      const k = spec.kernelSize;
      const inC = input[2]!;
      out.push({ role: 'kernel', shape: [k, k, inC, spec.filters], fanIn: k * k * inC, fanOut: k * k * spec.filters });
      out.push({ role: 'bias', shape: [spec.filters], fanIn: 0, fanOut: 0 });
    }
  }
  return out;
}

/** Number of values in a shape. */
export function sizeOf(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
