// preprocessInput per family (Keras' 'tf', 'caffe' and 'torch' modes, worked by hand from
// Keras' formulas) and decodePredictions with caller-supplied labels.
import { beforeAll, describe, expect, it } from 'vitest';
import * as st from '../../src/index.js';

const { tf } = st;

beforeAll(async () => {
  await st.setBackend('cpu');
});

function values(t: st.tf.Tensor): number[] {
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
}

describe('preprocessInput', () => {
  const pixel = () => tf.tensor([255, 0, 128], [1, 1, 1, 3]);
  it("'tf' (MobileNetV2, InceptionV3): x / 127.5 - 1", () => {
    const x = pixel();
    const want = [1, -1, 128 / 127.5 - 1];
    values(st.applications.mobileNetV2.preprocessInput(x)).forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 6));
    values(st.applications.inceptionV3.preprocessInput(x)).forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 6));
    x.dispose();
  });
  it("'caffe' (ResNet50, VGG16): RGB to BGR, minus the ImageNet means", () => {
    const x = pixel();
    const want = [128 - 103.939, 0 - 116.779, 255 - 123.68];
    values(st.applications.resNet50.preprocessInput(x)).forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 4));
    values(st.applications.vgg16.preprocessInput(x)).forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 4));
    x.dispose();
  });
  it("'torch' (DenseNet121): to [0, 1], minus mean, over std; MobileNetV3 / EfficientNet: unchanged", () => {
    const x = pixel();
    const want = [(1 - 0.485) / 0.229, (0 - 0.456) / 0.224, (128 / 255 - 0.406) / 0.225];
    values(st.applications.denseNet121.preprocessInput(x)).forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 5));
    expect(values(st.applications.mobileNetV3Small.preprocessInput(x))).toEqual([255, 0, 128]);
    expect(values(st.applications.efficientNetB0.preprocessInput(x))).toEqual([255, 0, 128]);
    const before = tf.memory().numTensors;
    values(st.applications.resNet50.preprocessInput(x));
    expect(tf.memory().numTensors).toBe(before);
    expect(() => st.applications.resNet50.preprocessInput(tf.zeros([1, 2, 2, 1]))).toThrow(/3 channels/);
    x.dispose();
  });
});

describe('decodePredictions', () => {
  it('the top classes of each row, best first, with the caller\'s labels', () => {
    const p = tf.tensor2d([[0.1, 0.6, 0.3], [0.5, 0.2, 0.3]]);
    const d = st.applications.decodePredictions(p, ['cat', 'dog', 'fox'], 2);
    expect(d.map((row) => row.map((r) => [r.index, r.label]))).toEqual([[[1, 'dog'], [2, 'fox']], [[0, 'cat'], [2, 'fox']]]);
    expect(d[0]![0]!.score).toBeCloseTo(0.6, 6);
    expect(() => st.applications.decodePredictions(p, ['a', 'b'])).toThrow(/2 labels/);
    p.dispose();
  });
});

describe('options', () => {
  it('are checked, naming the builder and the argument', () => {
    expect(() => st.applications.mobileNetV2.build({ inputShape: [16, 16, 3] })).toThrow(/mobileNetV2: 'inputShape' must be at least 32 x 32/);
    expect(() => st.applications.inceptionV3.build({ inputShape: [64, 64, 3] })).toThrow(/inceptionV3: 'inputShape' must be at least 75/);
    expect(() => st.applications.resNet50.build({ pooling: 'sum' as never })).toThrow(/resNet50: 'pooling'/);
    expect(() => st.applications.vgg16.build({ classes: 0 })).toThrow(/vgg16: 'classes'/);
    expect(() => st.applications.mobileNetV2.build({ alpha: -1 })).toThrow(/'alpha'/);
    expect(() => st.applications.mobileNetV2.build({ weights: 'nsfwjs' })).toThrow(/builds without weights/);
  });
});
