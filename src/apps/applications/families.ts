import type { ApplicationOptions } from './options.js';
import type { Family } from './application.js';
import { buildDenseNet121, type DenseNet121Options } from './densenet121.js';
import { buildEfficientNetB0, type EfficientNetB0Options } from './efficientnet_b0.js';
import { buildInceptionV3, type InceptionV3Options } from './inception_v3.js';
import { buildMobileNetV2, type MobileNetV2Options } from './mobilenet_v2.js';
import { buildMobileNetV3Large, buildMobileNetV3Small, type MobileNetV3Options } from './mobilenet_v3.js';
import { buildResNet50, type ResNet50Options } from './resnet50.js';
import { buildVGG16, type VGG16Options } from './vgg16.js';

/** The families, by builder name. */
export const FAMILIES = {
  mobileNetV2: { owner: 'mobileNetV2', build: buildMobileNetV2, preprocess: 'tf', nsfwjs: 'mobilenet_v2' } as Family<MobileNetV2Options>,
  resNet50: { owner: 'resNet50', build: buildResNet50, preprocess: 'caffe' } as Family<ResNet50Options>,
  vgg16: { owner: 'vgg16', build: buildVGG16, preprocess: 'caffe' } as Family<VGG16Options>,
  inceptionV3: { owner: 'inceptionV3', build: buildInceptionV3, preprocess: 'tf', nsfwjs: 'inception_v3' } as Family<InceptionV3Options>,
  denseNet121: { owner: 'denseNet121', build: buildDenseNet121, preprocess: 'torch' } as Family<DenseNet121Options>,
  mobileNetV3Small: { owner: 'mobileNetV3Small', build: buildMobileNetV3Small, preprocess: 'none' } as Family<MobileNetV3Options>,
  mobileNetV3Large: { owner: 'mobileNetV3Large', build: buildMobileNetV3Large, preprocess: 'none' } as Family<MobileNetV3Options>,
  efficientNetB0: { owner: 'efficientNetB0', build: buildEfficientNetB0, preprocess: 'none' } as Family<EfficientNetB0Options>,
} satisfies Record<string, Family<ApplicationOptions>>;
