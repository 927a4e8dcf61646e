import type { ActivationName } from '../../engine/activations.js';
import { ValueError } from '../../engine/errors.js';

/** Where a builder's weights come from. */
export type WeightsSource =
  /** Random initial weights. */
  | null
  /**
   * A Keras weights file: its bytes, or (Node) a path or `file://` URL, or an `http(s)://` URL.
   * Both Keras layouts load: the legacy `.h5` of Keras' released ImageNet files (one group
   * per layer name) and Keras 3's `model.save_weights('x.weights.h5')`.
   */
  | string | Uint8Array | ArrayBuffer
  /** The pretrained model shipped inside the `nsfwjs` npm package (MobileNetV2, InceptionV3; Node). */
  | 'nsfwjs';

/** Options every application builder takes, with Keras' meaning. */
export interface ApplicationOptions {
  /**
   * Input shape `[height, width, channels]`, channels last. Default `[224, 224, 3]`
   * (`[299, 299, 3]` for InceptionV3; for MobileNetV3, height and width left open, as in Keras). Without the top any size the architecture allows
   * (at least 32 × 32; 75 × 75 for InceptionV3); with the top and pretrained weights, the
   * size the weights were trained at.
   */
  inputShape?: [number, number, number];
  /** Keep the classifier (`predictions`) on top. Default true. */
  includeTop?: boolean;
  /**
   * With `includeTop: false`: `'avg'` or `'max'` global pooling after the last feature map,
   * or `null` to return the feature map itself. Default null.
   */
  pooling?: 'avg' | 'max' | null;
  /** Number of classes of the top. Default 1000 (5 with `weights: 'nsfwjs'`). */
  classes?: number;
  /** Activation of the top; `null` or `'linear'` gives logits. Default `'softmax'`. */
  classifierActivation?: ActivationName | null;
  /** Initial weights. Default null (random). See {@link WeightsSource}. */
  weights?: WeightsSource;
  /** Name of the model. Default the Keras name of the architecture (`'mobilenetv2_1.00_224'`, `'resnet50'`…). */
  name?: string;
}

/** Options after checking, with defaults filled in. */
export interface CheckedOptions {
  inputShape: [number, number, number];
  includeTop: boolean;
  pooling: 'avg' | 'max' | null;
  classes: number;
  classifierActivation: ActivationName;
}

/**
 * Checks the options every builder shares, with the owner (`'mobileNetV2'`) in messages.
 * @param minSize - the smallest height and width the architecture accepts.
 * @param defaultSize - the default height and width.
 * @throws ValueError for anything out of range.
 */
export function checkOptions(owner: string, o: ApplicationOptions, minSize: number, defaultSize: number | null): CheckedOptions {
  if (typeof o !== 'object' || o === null) throw new ValueError(`${owner}: expected an options object; got ${String(o)}`);
  if (o.inputShape === undefined && defaultSize === null) {
    // Keras' default for the families that take any size: height and width left open.
    return { ...checkOptions(owner, { ...o, inputShape: [minSize, minSize, 3] }, minSize, minSize), inputShape: [null, null, 3] as unknown as [number, number, number] };
  }
  const inputShape = o.inputShape ?? [defaultSize!, defaultSize!, 3];
  if (!Array.isArray(inputShape) || inputShape.length !== 3 || !inputShape.every((d) => Number.isInteger(d) && d > 0)) {
    throw new ValueError(`${owner}: 'inputShape' must be [height, width, channels] of positive integers; got ${JSON.stringify(o.inputShape)}`);
  }
  if (inputShape[0] < minSize || inputShape[1] < minSize) {
    throw new ValueError(`${owner}: 'inputShape' must be at least ${minSize} x ${minSize}; got ${inputShape[0]} x ${inputShape[1]}`);
  }
  const includeTop = o.includeTop ?? true;
  if (typeof includeTop !== 'boolean') throw new ValueError(`${owner}: 'includeTop' must be true or false; got ${String(o.includeTop)}`);
  const pooling = o.pooling ?? null;
  if (pooling !== null && pooling !== 'avg' && pooling !== 'max') {
    throw new ValueError(`${owner}: 'pooling' must be 'avg', 'max' or null; got ${JSON.stringify(o.pooling)}`);
  }
  const classes = o.classes ?? (o.weights === 'nsfwjs' ? 5 : 1000);
  if (!Number.isInteger(classes) || classes <= 0) throw new ValueError(`${owner}: 'classes' must be a positive integer; got ${String(o.classes)}`);
  return {
    inputShape: [...inputShape] as [number, number, number], includeTop, pooling, classes,
    classifierActivation: o.classifierActivation ?? (o.classifierActivation === null ? 'linear' : 'softmax'),
  };
}
