import { beforeAll, describe, expect, it } from 'vitest';
import { NameScope, snakeCase } from '../../src/engine/naming.js';
import * as st from './st.js';

beforeAll(async () => {
  await st.setBackend('cpu');
});

describe('NameScope', () => {
  it('hands out dense, dense_1, dense_2 … per stem', () => {
    const s = new NameScope();
    expect([s.unique('dense'), s.unique('dense'), s.unique('relu'), s.unique('dense'), s.unique('relu')])
      .toEqual(['dense', 'dense_1', 'relu', 'dense_2', 'relu_1']);
  });

  it('skips names the user reserved, and refuses to reserve a taken name', () => {
    const s = new NameScope();
    expect(s.reserve('dense_1')).toBe(true);
    expect(s.reserve('dense')).toBe(true);
    expect(s.unique('dense')).toBe('dense_2');
    expect(s.reserve('dense_2')).toBe(false);
    expect(s.reserve('dense_1')).toBe(false);
    expect(s.unique('dense')).toBe('dense_3');
  });

  it('two scopes are independent: there is no global counter', () => {
    const a = new NameScope();
    const b = new NameScope();
    a.unique('dense');
    a.unique('dense');
    expect(b.unique('dense')).toBe('dense');
  });

  it('derives Keras stems from class names', () => {
    expect(snakeCase('Dense')).toBe('dense');
    expect(snakeCase('MaxPooling2D')).toBe('max_pooling2d');
    expect(snakeCase('PReLU')).toBe('p_re_lu');
    expect(snakeCase('BatchNormalization')).toBe('batch_normalization');
    expect(snakeCase('GlobalAveragePooling2D')).toBe('global_average_pooling2d');
  });
});

describe('layer names in models', () => {
  const build = () => st.sequential([
    st.layers.input({ shape: [4] }),
    st.layers.dense({ units: 3, activation: 'relu' }),
    st.layers.dense({ units: 3 }),
    st.layers.activation({ activation: 'tanh' }),
    st.layers.dense({ units: 2 }),
  ]);

  it('a Sequential model names its layers dense, dense_1, activation, dense_2', () => {
    const m = build();
    expect(m.layers.map((l) => l.name)).toEqual(['dense', 'dense_1', 'activation', 'dense_2']);
    expect(m.weights.map((w) => w.name)).toEqual(['dense/kernel', 'dense/bias', 'dense_1/kernel', 'dense_1/bias', 'dense_2/kernel', 'dense_2/bias']);
    m.dispose();
  });

  it('two models built the same way get the same layer names', () => {
    const a = build();
    const b = build();
    expect(b.layers.map((l) => l.name)).toEqual(a.layers.map((l) => l.name));
    a.dispose();
    b.dispose();
  });

  it('functional models too, and user names are kept', () => {
    const make = () => {
      const x = st.layers.input({ shape: [4] });
      const y = st.layers.input({ shape: [4], name: 'extra' });
      const h = st.layers.dense({ units: 3 }).apply(x);
      const g = st.layers.dense({ units: 3, name: 'dense_1' }).apply(y);
      const k = st.layers.dense({ units: 2 }).apply(h);
      return st.model({ inputs: [x, y], outputs: [k, g] });
    };
    const a = make();
    const b = make();
    const names = a.layers.map((l) => l.name).sort();
    expect(names).toEqual(['dense', 'dense_1', 'dense_2', 'extra', 'input']);
    expect(b.layers.map((l) => l.name).sort()).toEqual(names);
    a.dispose();
    b.dispose();
  });

  it('a layer outside any model is named by its class', () => {
    expect(st.layers.dense({ units: 1 }).name).toBe('dense');
    expect(st.layers.leakyReLU().label).toBe("LeakyReLU 'leaky_re_lu'");
  });
});
