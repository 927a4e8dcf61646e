/**
 * `st.applications` for Node: the same builders, whose `weights` also take a file path or
 * `file://` URL, and `'nsfwjs'` (MobileNetV2, InceptionV3) read from the installed `nsfwjs`
 * package.
 * @module
 */
import { readFile } from 'node:fs/promises';
import { SerializationError } from '../../engine/errors.js';
import { nsfwjsWeights } from '../../io/node/nsfwjs.js';
import { application, type Application } from './application.js';
import { FAMILIES } from './families.js';
import type { DenseNet121Options } from './densenet121.js';
import type { EfficientNetB0Options } from './efficientnet_b0.js';
import type { InceptionV3Options } from './inception_v3.js';
import type { MobileNetV2Options } from './mobilenet_v2.js';
import type { MobileNetV3Options } from './mobilenet_v3.js';
import type { ResNet50Options } from './resnet50.js';
import type { VGG16Options } from './vgg16.js';
import { fetchEnv, type NsfwjsFamily, type WeightsEnv } from './weights.js';

export * from './index.js';

/** nsfwjs' InceptionV3 has Keras 2 layer names (`conv2d_1` first); Keras 3 counts from `conv2d`. */
function keras3Name(name: string): string {
  const m = /^(conv2d|batch_normalization)_(\d+)$/.exec(name);
  if (!m) return name;
  const k = Number(m[2]) - 1;
  return k === 0 ? m[1]! : `${m[1]}_${k}`;
}

const nodeEnv: WeightsEnv = {
  async read(source, owner) {
    if (/^https?:\/\//.test(source)) return fetchEnv.read(source, owner);
    const path = source.startsWith('file://') ? source.slice('file://'.length) : source;
    try {
      return new Uint8Array(await readFile(path));
    } catch (e) {
      throw new SerializationError(`${owner}: cannot read weights file '${path}': ${(e as Error).message}`);
    }
  },
  nsfwjs: (family: NsfwjsFamily) => nsfwjsWeights(family, family === 'inception_v3' ? keras3Name : undefined),
};

/** MobileNetV2 (`keras.applications.MobileNetV2`); `alpha` scales its width; last feature map `out_relu`. Preprocessing: `'tf'`. */
export const mobileNetV2: Application<MobileNetV2Options> = application(FAMILIES.mobileNetV2, nodeEnv);
/** ResNet50 (`keras.applications.ResNet50`); last feature map `conv5_block3_out`. Preprocessing: `'caffe'`. */
export const resNet50: Application<ResNet50Options> = application(FAMILIES.resNet50, nodeEnv);
/** VGG16 (`keras.applications.VGG16`); last feature map `block5_pool`. Preprocessing: `'caffe'`. */
export const vgg16: Application<VGG16Options> = application(FAMILIES.vgg16, nodeEnv);
/** InceptionV3 (`keras.applications.InceptionV3`), default input 299; last feature map `mixed10`. Preprocessing: `'tf'`. */
export const inceptionV3: Application<InceptionV3Options> = application(FAMILIES.inceptionV3, nodeEnv);
/** DenseNet121 (`keras.applications.DenseNet121`); last feature map `relu`. Preprocessing: `'torch'`. */
export const denseNet121: Application<DenseNet121Options> = application(FAMILIES.denseNet121, nodeEnv);
/** MobileNetV3Small (`keras.applications.MobileNetV3Small`), with its Rescaling layer: feed pixels in 0…255. Preprocessing: none. */
export const mobileNetV3Small: Application<MobileNetV3Options> = application(FAMILIES.mobileNetV3Small, nodeEnv);
/** MobileNetV3Large (`keras.applications.MobileNetV3Large`), with its Rescaling layer: feed pixels in 0…255. Preprocessing: none. */
export const mobileNetV3Large: Application<MobileNetV3Options> = application(FAMILIES.mobileNetV3Large, nodeEnv);
/** EfficientNetB0 (`keras.applications.EfficientNetB0`), with its Rescaling and Normalization layers: feed pixels in 0…255; last feature map `top_activation`. Preprocessing: none. */
export const efficientNetB0: Application<EfficientNetB0Options> = application(FAMILIES.efficientNetB0, nodeEnv);
