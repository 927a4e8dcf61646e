/**
 * st.applications against the real Keras: every layer's name, class, parameter count and
 * output shape, in Keras' layer order, and the model's parameter totals equal what
 * `keras.applications.X(weights=None, …)` builds (fixtures written by
 * scripts/fixtures/make_applications_fixtures.py with Keras 3).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as st from '../../src/index.js';
import { kerasLayerOrder } from '../../src/io/keras/keras_order.js';

const { tf } = st;
const DIR = join(__dirname, '..', 'fixtures', 'applications');

interface Case {
  name: string;
  options: { alpha?: number; input_shape?: [number, number, number]; include_top?: boolean; pooling?: 'avg' | 'max'; classes?: number };
  layers: [string, string, number, (number | null)[]][];
  totalParams: number;
  trainableParams: number;
  nonTrainableParams: number;
}
const CASES = JSON.parse(readFileSync(join(DIR, 'layers.json'), 'utf8')) as Record<string, Case>;

const BUILDERS: Record<string, st.applications.Application<st.applications.MobileNetV2Options>> = {
  mobileNetV2: st.applications.mobileNetV2, resNet50: st.applications.resNet50, vgg16: st.applications.vgg16,
  inceptionV3: st.applications.inceptionV3, denseNet121: st.applications.denseNet121,
  mobileNetV3Small: st.applications.mobileNetV3Small, mobileNetV3Large: st.applications.mobileNetV3Large,
  efficientNetB0: st.applications.efficientNetB0,
};

/**
 * Where strata differs from Keras' layer list, on purpose: Keras writes MobileNetV3's
 * squeeze-and-excitation gate as `ReLU(6)(x + 3) / 6`, a ReLU layer between two ops that
 * `model.layers` does not list; strata makes it one weightless Activation('hard_sigmoid')
 * layer with the ReLU's name. Same name, no parameters, same values.
 */
function kerasClass(name: string, cls: string, family: string): string {
  return family.startsWith('mobileNetV3') && (cls === 'ReLU' || cls === 'Activation') && /^re_lu(_\d+)?$/.test(name) ? 'ReLU|Activation' : cls;
}

beforeAll(async () => {
  await st.setBackend('cpu');
});

/** Each layer's output shape (no batch dimension), from the model's graph. */
function outputShapes(m: st.Model): Map<st.Layer, (number | null)[]> {
  const out = new Map<st.Layer, (number | null)[]>();
  const stack = [...m.outputs];
  while (stack.length > 0) {
    const t = stack.pop()!;
    const layer = t.node.layer as st.Layer;
    if (out.has(layer)) continue;
    out.set(layer, [...t.shape].slice(1));
    stack.push(...t.node.inputs);
  }
  return out;
}

function optionsOf(c: Case): st.applications.MobileNetV2Options {
  const o = c.options;
  return {
    ...(o.alpha !== undefined ? { alpha: o.alpha } : {}),
    ...(o.input_shape ? { inputShape: o.input_shape } : {}),
    ...(o.include_top !== undefined ? { includeTop: o.include_top } : {}),
    ...(o.pooling ? { pooling: o.pooling } : {}),
    ...(o.classes !== undefined ? { classes: o.classes } : {}),
  };
}

describe('st.applications builds what keras.applications builds', () => {
  for (const [key, c] of Object.entries(CASES)) {
    const family = key.split('_')[0]!;
    const build = BUILDERS[family];
    if (!build) continue;
    it(`${key}: layer names, classes, parameters and shapes in Keras' order`, () => {
      const before = tf.memory().numTensors;
      const m = build.build(optionsOf(c));
      const shapes = outputShapes(m);
      const ours = kerasLayerOrder(m).map((l) => [l.name, kerasClass(l.name, l.className, family), l.countParams(), shapes.get(l)]);
      const theirs = c.layers.map(([n, cls, p, shape]) => [cls === 'InputLayer' ? 'input_layer' : n, kerasClass(n, cls, family), p, shape]);
      expect(ours.map((r) => r.slice(0, 3))).toEqual(theirs.map((r) => r.slice(0, 3)));
      expect(ours.map((r) => r[3])).toEqual(theirs.map((r) => r[3]));
      expect(m.countParams()).toBe(c.totalParams);
      expect(m.trainableWeights.reduce((a, w) => a + w.size, 0)).toBe(c.trainableParams);
      expect(m.name).toBe(c.name);
      m.dispose();
      expect(tf.memory().numTensors).toBe(before);
    }, 120_000);
  }
});

describe('MobileNetV3 with open height and width', () => {
  it('predicts on any size at or above 32 (Keras leaves its input size open)', () => {
    const m = st.applications.mobileNetV3Small.build({ classes: 7 });
    for (const size of [32, 72]) {
      const x = tf.randomUniform([2, size, size, 3], 0, 255, 'float32', size);
      const y = m.predict(x) as st.tf.Tensor;
      expect(y.shape).toEqual([2, 7]);
      const sums = Array.from(tf.tidy(() => tf.sum(y, -1)).dataSync());
      sums.forEach((s) => expect(s).toBeCloseTo(1, 5));
      tf.dispose([x, y]);
    }
    m.dispose();
  }, 60_000);
});

describe('EfficientNetB0', () => {
  it('predicts (its Normalization starts at mean 0, variance 1) and its drop-connect acts only in training', () => {
    const m = st.applications.efficientNetB0.build({ inputShape: [32, 32, 3], classes: 4 });
    const x = tf.randomUniform([2, 32, 32, 3], 0, 255, 'float32', 2);
    const a = m.predict(x) as st.tf.Tensor;
    const b = m.predict(x) as st.tf.Tensor;
    expect(a.shape).toEqual([2, 4]);
    expect(tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0])).toBe(0);
    expect(Array.from(a.dataSync()).every(Number.isFinite)).toBe(true);
    expect(m.getLayer('block7a_project_bn').name).toBe('block7a_project_bn');
    tf.dispose([x, a, b]);
    m.dispose();
  }, 60_000);
});
