import { tf } from '../../backend/tf.js';
import { ValueError } from '../../engine/errors.js';

/** How a family expects its input pixels (Keras' `preprocess_input` modes). */
export type PreprocessMode =
  /** Scale to [-1, 1]: `x / 127.5 - 1` (MobileNetV2, InceptionV3). */
  | 'tf'
  /** RGB to BGR, then subtract the ImageNet channel means (ResNet50, VGG16). */
  | 'caffe'
  /** Scale to [0, 1], subtract the ImageNet mean and divide by its standard deviation, per channel (DenseNet121). */
  | 'torch'
  /** Unchanged: the model rescales its 0…255 input itself (MobileNetV3, EfficientNet). */
  | 'none';

const CAFFE_MEAN_BGR = [103.939, 116.779, 123.68];
const TORCH_MEAN = [0.485, 0.456, 0.406];
const TORCH_STD = [0.229, 0.224, 0.225];

/**
 * Keras' `preprocess_input`: turns RGB pixels in 0…255 (channels last) into what a family's
 * pretrained weights expect. Returns a new tensor; the input is not disposed.
 * @throws ValueError when the last axis is not 3 channels.
 */
export function preprocessInput(x: tf.Tensor, mode: PreprocessMode): tf.Tensor {
  if (x.shape[x.shape.length - 1] !== 3) {
    throw new ValueError(`preprocessInput: expected RGB images with 3 channels last; got shape [${x.shape}]`);
  }
  return tf.tidy(() => {
    const f = tf.cast(x, 'float32');
    if (mode === 'tf') return tf.sub(tf.div(f, 127.5), 1);
    if (mode === 'caffe') return tf.sub(tf.reverse(f, -1), tf.tensor1d(CAFFE_MEAN_BGR));
    if (mode === 'torch') return tf.div(tf.sub(tf.div(f, 255), tf.tensor1d(TORCH_MEAN)), tf.tensor1d(TORCH_STD));
    return tf.clone(f);
  });
}

/** One class of a prediction: its index, label and score. */
export interface DecodedPrediction {
  /** The class index (the column of the predictions). */
  index: number;
  /** The caller's label for that class. */
  label: string;
  /** The predicted value (a probability after softmax). */
  score: number;
}

/**
 * Keras' `decode_predictions` with the labels supplied by the caller (strata downloads
 * nothing): the `top` best classes of each row of `preds` (`[batch, classes]`), best first.
 * @throws ValueError when `labels` does not have one label per class.
 */
export function decodePredictions(preds: tf.Tensor, labels: readonly string[], top = 5): DecodedPrediction[][] {
  if (preds.rank !== 2 || preds.shape[1] !== labels.length) {
    throw new ValueError(`decodePredictions: expected predictions of shape [batch, ${labels.length}] for ${labels.length} labels; got [${preds.shape}]`);
  }
  const k = Math.min(top, labels.length);
  const { values, indices } = tf.topk(preds, k);
  const v = values.arraySync() as number[][];
  const ix = indices.arraySync() as number[][];
  tf.dispose([values, indices]);
  return v.map((row, b) => row.map((score, j) => ({ index: ix[b]![j]!, label: labels[ix[b]![j]!]!, score })));
}
