import { SerializationError, ValueError } from '../engine/errors.js';
import type { Layer } from '../engine/layer.js';
import { own } from './keras_config.js';
import { Activation } from '../layers/activation/activation.js';
import { PReLU } from '../layers/activation/prelu.js';
import { ELU, LeakyReLU, ReLU, Softmax } from '../layers/activation/relu.js';
import { InceptionBlock, ResidualBlock } from '../layers/blocks/index.js';
import { Conv2D, Conv2DTranspose, DepthwiseConv2D, SeparableConv2D } from '../layers/conv/index.js';
import { Dense } from '../layers/core/dense.js';
import { Dropout } from '../layers/core/dropout.js';
import { Add, Average, Concatenate, Maximum, Minimum, Multiply, Subtract } from '../layers/merge/index.js';
import { BatchNormalization } from '../layers/norm/index.js';
import { AveragePooling2D, GlobalAveragePooling2D, GlobalMaxPooling2D, MaxPooling2D } from '../layers/pooling/index.js';
import { Flatten, Reshape, UpSampling2D, ZeroPadding2D } from '../layers/reshape/index.js';
import { Cropping2D, Permute } from '../layers/reshape/index.js';
import { Identity } from '../layers/core/identity.js';
import { KerasScalarOp } from './keras/numpy_op.js';
import { CenterCrop, Normalization, Rescaling, Resizing } from '../layers/preprocessing/index.js';
import {
  RandomBrightness, RandomContrast, RandomCrop, RandomFlip, RandomRotation, RandomTranslation, RandomZoom,
} from '../layers/augmentation/index.js';
import { Embedding } from '../layers/core/embedding.js';
import { Masking } from '../layers/core/masking.js';
import { Bidirectional, GRU, LSTM, SimpleRNN, TimeDistributed } from '../layers/recurrent/index.js';
import { Conv1D } from '../layers/conv/conv1d.js';
import { AveragePooling1D, MaxPooling1D } from '../layers/pooling/pooling1d.js';
import { GlobalAveragePooling1D, GlobalMaxPooling1D } from '../layers/pooling/global_pooling1d.js';
import { RepeatVector } from '../layers/reshape/repeat_vector.js';
import { UpSampling1D } from '../layers/reshape/up_sampling1d.js';
import { LayerNormalization } from '../layers/norm/layer_normalization.js';
import { MultiHeadAttention } from '../layers/attention/multi_head_attention.js';
import { TransformerEncoder } from '../layers/blocks/transformer_encoder.js';
import { PositionalEmbedding } from '../layers/core/positional_embedding.js';
import { TextVectorization } from '../layers/text/text_vectorization.js';

/**
 * A layer class that can be rebuilt from its config: `new Class(config)` with the camelCase
 * options `getConfig()` returned. A static `className` names it in saved files; without one
 * the JavaScript class name is used.
 */
export type LayerClass = (new (config: never) => Layer) & {
  /** The name saved files use for the class; default the JavaScript class name. */
  readonly className?: string;
};

/**
 * The built-in layers, by the Keras class name they are saved under (model containers and
 * `InputLayer` are handled by the loader itself).
 */
export const BUILTIN_LAYERS: Readonly<Record<string, LayerClass>> = Object.freeze({
  Dense, Dropout,
  Activation, ReLU, LeakyReLU, ELU, Softmax, PReLU,
  Conv2D, Conv2DTranspose, DepthwiseConv2D, SeparableConv2D,
  MaxPooling2D, AveragePooling2D, GlobalAveragePooling2D, GlobalMaxPooling2D,
  Flatten, Reshape, ZeroPadding2D, UpSampling2D,
  BatchNormalization,
  Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate,
  ResidualBlock, InceptionBlock,
  Rescaling, Normalization, Resizing, CenterCrop, Cropping2D, Permute, Identity,
  RandomFlip, RandomRotation, RandomZoom, RandomTranslation, RandomContrast, RandomBrightness, RandomCrop,
  Embedding, Masking, SimpleRNN, LSTM, GRU, Bidirectional, TimeDistributed,
  Conv1D, MaxPooling1D, AveragePooling1D, GlobalAveragePooling1D, GlobalMaxPooling1D,
  UpSampling1D, RepeatVector, LayerNormalization, MultiHeadAttention, TransformerEncoder, PositionalEmbedding,
  TextVectorization,
  KerasScalarOp,
});

// Other names Keras accepts for the same classes.
const ALIASES: Readonly<Record<string, string>> = {
  Convolution1D: 'Conv1D',
  MaxPool1D: 'MaxPooling1D',
  AvgPool1D: 'AveragePooling1D',
  GlobalAvgPool1D: 'GlobalAveragePooling1D',
  GlobalMaxPool1D: 'GlobalMaxPooling1D',
  Convolution2D: 'Conv2D',
  Deconvolution2D: 'Conv2DTranspose',
  Deconv2D: 'Conv2DTranspose',
  SeparableConvolution2D: 'SeparableConv2D',
  MaxPool2D: 'MaxPooling2D',
  AvgPool2D: 'AveragePooling2D',
  GlobalAvgPool2D: 'GlobalAveragePooling2D',
  GlobalMaxPool2D: 'GlobalMaxPooling2D',
};

/** The names the loader handles itself: model containers and inputs. */
export const CONTAINER_CLASSES: readonly string[] = ['Sequential', 'Functional', 'Model', 'InputLayer'];

/** The name a layer class is saved under: its static `className`, else the JavaScript class name. */
export function layerClassName(cls: LayerClass): string {
  const own = Object.prototype.hasOwnProperty.call(cls, 'className') ? cls.className : undefined;
  return typeof own === 'string' && own.length > 0 ? own : cls.name;
}

/**
 * An explicit map from saved class names to layer classes, used by `loadModel`. It starts
 * with the built-in layers; users add their own classes with `register`. Nothing is added
 * behind the user's back: importing a layer module registers nothing.
 * @example
 * ```ts
 * const registry = new st.io.LayerRegistry().register(MyLayer);
 * const m = await st.loadModel(url, { registry });
 * ```
 */
export class LayerRegistry {
  private readonly classes = new Map<string, LayerClass>();

  /**
   * @param classes - classes to start with; default the built-in layers.
   */
  constructor(classes: Readonly<Record<string, LayerClass>> = BUILTIN_LAYERS) {
    for (const [name, cls] of Object.entries(classes)) this.classes.set(name, cls);
  }

  /**
   * Adds a layer class under `name` (default: its static `className`, else its JavaScript
   * name). Registering a different class under a taken name replaces it.
   * @throws ValueError when `cls` is not a constructor or the name is a container name.
   */
  register(cls: LayerClass, name?: string): this {
    if (typeof cls !== 'function') {
      throw new ValueError(`LayerRegistry.register: expected a layer class; got ${String(cls)}`);
    }
    const key = name ?? layerClassName(cls);
    if (!key || CONTAINER_CLASSES.includes(key)) {
      throw new ValueError(`LayerRegistry.register: '${key}' cannot name a layer class (reserved or empty)`);
    }
    this.classes.set(key, cls);
    return this;
  }

  /** The class saved under `name` (Keras aliases such as `MaxPool2D` included), if any. */
  get(name: string): LayerClass | undefined {
    const alias = own(ALIASES, name);
    return this.classes.get(name) ?? (alias ? this.classes.get(alias) : undefined);
  }

  /** True when `name` is known. */
  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  /** All registered class names, sorted. */
  names(): string[] {
    return [...this.classes.keys()].sort();
  }

  /** A copy of this registry with `classes` added; this one is left unchanged. */
  with(classes: readonly LayerClass[]): LayerRegistry {
    const copy = new LayerRegistry({});
    for (const [name, cls] of this.classes) copy.classes.set(name, cls);
    for (const cls of classes) copy.register(cls);
    return copy;
  }

  /**
   * The class for `name`.
   * @throws SerializationError listing the known class names when there is none.
   */
  require(name: string, owner: string): LayerClass {
    const cls = this.get(name);
    if (!cls) {
      throw new SerializationError(
        `${owner}: unknown layer class '${name}'; known classes: ${this.names().join(', ')}. ` +
          `Register a custom class with st.registerLayer(MyLayer) or pass { customLayers: [MyLayer] }`,
      );
    }
    return cls;
  }
}

/**
 * The registry `loadModel` uses when none is given. It is created with the built-in layers;
 * `registerLayer` adds to it.
 */
export const defaultLayerRegistry: LayerRegistry = new LayerRegistry();

/**
 * Makes a custom layer class loadable by `loadModel` everywhere in this program (adds it
 * to the default registry). For one load only, pass `{ customLayers: [MyLayer] }` instead.
 * @example
 * ```ts
 * class Scale extends st.Layer { static className = 'Scale'; ... }
 * st.registerLayer(Scale);
 * ```
 */
export function registerLayer(cls: LayerClass, name?: string): void {
  defaultLayerRegistry.register(cls, name);
}
