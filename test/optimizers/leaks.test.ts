import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../src/backend/tf.js';
import { setBackend } from '../../src/backend/backends.js';
import { VARIANTS } from './variants.js';
import { variable } from './helpers.js';

beforeAll(async () => {
  await setBackend('cpu');
});

describe('no tensor leaks', () => {
  for (const [name, make] of Object.entries(VARIANTS)) {
    it(`${name}: steps leave numTensors unchanged; dispose frees every slot`, () => {
      const start = tf.memory().numTensors;
      const a = tf.tidy(() => tf.variable(tf.randomNormal([3, 4], 0, 1, 'float32', 1)));
      const b = tf.tidy(() => tf.variable(tf.randomNormal([4], 0, 1, 'float32', 2)));
      const ga = tf.randomNormal([3, 4], 0, 1, 'float32', 3);
      const gb = tf.randomNormal([4], 0, 1, 'float32', 4);
      const o = make();
      const step = () => o.applyGradients([{ variable: a, gradient: ga }, { variable: b, gradient: gb }]);
      const owned = tf.memory().numTensors;
      step();
      const afterFirst = tf.memory().numTensors;
      expect(afterFirst - owned).toBe(2 * o.slotNames.length);
      for (let i = 0; i < 4; i++) step();
      expect(tf.memory().numTensors).toBe(afterFirst);
      // Inside an outer tidy, as the training loop calls it.
      tf.tidy(() => step());
      expect(tf.memory().numTensors).toBe(afterFirst);

      const w = o.getWeights();
      expect(tf.memory().numTensors).toBe(afterFirst + w.length);
      tf.dispose(w.map((e) => e.value));
      const fresh = make();
      const saved = o.getWeights();
      fresh.setWeights(saved);
      tf.dispose(saved.map((e) => e.value));
      expect(tf.memory().numTensors).toBe(afterFirst + 2 * o.slotNames.length);
      fresh.dispose();
      o.dispose();
      expect(tf.memory().numTensors).toBe(owned);
      tf.dispose([a, b, ga, gb]);
      expect(tf.memory().numTensors).toBe(start);
    });
  }

  it('a step that throws leaks nothing', () => {
    const v = variable([0, 0]);
    const g = tf.zeros([3]);
    const o = VARIANTS.adam!();
    const before = tf.memory().numTensors;
    expect(() => o.applyGradients([{ variable: v, gradient: g }])).toThrow();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([v, g]);
  });
});
