/**
 * `keras.applications` for strata: the well-known image networks built layer for layer as
 * Keras builds them (same layer names, same parameter counts), so Keras weight files load
 * by name. Each builder is async (it may load weights), has a synchronous `build` without
 * weights and its family's `preprocessInput`. In browsers `weights` takes bytes or an
 * `http(s)://` URL; strata's Node entry also reads paths and `'nsfwjs'`.
 * @example
 * ```ts
 * const base = await st.applications.mobileNetV2({ inputShape: [96, 96, 3], includeTop: false, pooling: 'avg' });
 * const x = st.applications.mobileNetV2.preprocessInput(pixels);
 * ```
 * @module
 */
import { application, type Application } from './application.js';
import { FAMILIES } from './families.js';
import type { DenseNet121Options } from './densenet121.js';
import type { EfficientNetB0Options } from './efficientnet_b0.js';
import type { InceptionV3Options } from './inception_v3.js';
import type { MobileNetV2Options } from './mobilenet_v2.js';
import type { MobileNetV3Options } from './mobilenet_v3.js';
import type { ResNet50Options } from './resnet50.js';
import type { VGG16Options } from './vgg16.js';
import { fetchEnv } from './weights.js';

export type { Application } from './application.js';
export type { ApplicationOptions, WeightsSource } from './options.js';
export type { MobileNetV2Options } from './mobilenet_v2.js';
export type { MobileNetV3Options } from './mobilenet_v3.js';
export type { ResNet50Options } from './resnet50.js';
export type { VGG16Options } from './vgg16.js';
export type { InceptionV3Options } from './inception_v3.js';
export type { DenseNet121Options } from './densenet121.js';
export type { EfficientNetB0Options } from './efficientnet_b0.js';
export { preprocessInput, decodePredictions, type PreprocessMode, type DecodedPrediction } from './imagenet.js';

/** MobileNetV2 (`keras.applications.MobileNetV2`); `alpha` scales its width; last feature map `out_relu`. Preprocessing: `'tf'`. */
export const mobileNetV2: Application<MobileNetV2Options> = application(FAMILIES.mobileNetV2, fetchEnv);
/** ResNet50 (`keras.applications.ResNet50`); last feature map `conv5_block3_out`. Preprocessing: `'caffe'`. */
export const resNet50: Application<ResNet50Options> = application(FAMILIES.resNet50, fetchEnv);
/** VGG16 (`keras.applications.VGG16`); last feature map `block5_pool`. Preprocessing: `'caffe'`. */
export const vgg16: Application<VGG16Options> = application(FAMILIES.vgg16, fetchEnv);
/** InceptionV3 (`keras.applications.InceptionV3`), default input 299; last feature map `mixed10`. Preprocessing: `'tf'`. */
export const inceptionV3: Application<InceptionV3Options> = application(FAMILIES.inceptionV3, fetchEnv);
/** DenseNet121 (`keras.applications.DenseNet121`); last feature map `relu`. Preprocessing: `'torch'`. */
export const denseNet121: Application<DenseNet121Options> = application(FAMILIES.denseNet121, fetchEnv);
/** MobileNetV3Small (`keras.applications.MobileNetV3Small`), with its Rescaling layer: feed pixels in 0…255. Preprocessing: none. */
export const mobileNetV3Small: Application<MobileNetV3Options> = application(FAMILIES.mobileNetV3Small, fetchEnv);
/** MobileNetV3Large (`keras.applications.MobileNetV3Large`), with its Rescaling layer: feed pixels in 0…255. Preprocessing: none. */
export const mobileNetV3Large: Application<MobileNetV3Options> = application(FAMILIES.mobileNetV3Large, fetchEnv);
/** EfficientNetB0 (`keras.applications.EfficientNetB0`), with its Rescaling and Normalization layers: feed pixels in 0…255; last feature map `top_activation`. Preprocessing: none. */
export const efficientNetB0: Application<EfficientNetB0Options> = application(FAMILIES.efficientNetB0, fetchEnv);
