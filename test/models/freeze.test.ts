import { beforeAll, describe, expect, it } from 'vitest';
import { expectError } from '../engine/expect_error.js';
import * as st from '../engine/st.js';

beforeAll(async () => {
  await st.setBackend('cpu');
});

/** Five Dense layers named dense … dense_4 (4 → 4, 20 params each). */
function stack(): st.SequentialNetwork {
  return st.sequential([st.layers.input({ shape: [4] }), ...Array.from({ length: 5 }, () => st.layers.dense({ units: 4 }))]);
}

/** Which layers are trainable, as a string of 1s and 0s. */
const flags = (net: st.Network) => net.layers.map((l) => (l.trainable ? '1' : '0')).join('');

function trainableCount(net: st.Network): number {
  const lines: string[] = [];
  net.summary({ printFn: (l) => lines.push(l) });
  return Number(lines.find((l) => l.startsWith('Trainable params:'))!.replace(/[^0-9]/g, ''));
}

describe('freeze / unfreeze selectors', () => {
  it('freeze() and unfreeze() with no selector act on everything', () => {
    const net = stack();
    net.freeze();
    expect(flags(net)).toBe('00000');
    expect(net.trainable).toBe(false);
    expect(net.trainableWeights).toHaveLength(0);
    expect(trainableCount(net)).toBe(0);
    net.unfreeze();
    expect(flags(net)).toBe('11111');
    expect(net.trainable).toBe(true);
    expect(trainableCount(net)).toBe(100);
    net.dispose();
  });

  it('by name', () => {
    const net = stack();
    net.freeze('dense_2');
    expect(flags(net)).toBe('11011');
    expect(trainableCount(net)).toBe(80);
    net.unfreeze('dense_2');
    expect(flags(net)).toBe('11111');
    net.dispose();
  });

  it('by a list of names', () => {
    const net = stack();
    net.freeze(['dense', 'dense_3']);
    expect(flags(net)).toBe('01101');
    expect(trainableCount(net)).toBe(60);
    net.dispose();
  });

  it('by a range of names, inclusive, either end open', () => {
    const net = stack();
    net.freeze({ from: 'dense_1', to: 'dense_3' });
    expect(flags(net)).toBe('10001');
    net.unfreeze();
    net.freeze({ to: 'dense_1' });
    expect(flags(net)).toBe('00111');
    net.unfreeze();
    net.freeze({ from: 'dense_3' });
    expect(flags(net)).toBe('11100');
    expect(trainableCount(net)).toBe(60);
    net.dispose();
  });

  it('by a range of indices, negative counting from the end', () => {
    const net = stack();
    net.freeze({ from: 0, to: 2 });
    expect(flags(net)).toBe('00011');
    net.unfreeze({ from: -2 });
    expect(flags(net)).toBe('00011');
    net.unfreeze({ from: 1, to: -3 });
    expect(flags(net)).toBe('01111');
    net.dispose();
  });

  it('by a predicate of layer and index', () => {
    const net = stack();
    net.freeze((layer, i) => i % 2 === 0 && layer.className === 'Dense');
    expect(flags(net)).toBe('01010');
    expect(trainableCount(net)).toBe(40);
    net.dispose();
  });

  it('by fraction: the top part of the model stays trainable', () => {
    const net = stack();
    net.freeze();
    net.unfreeze({ fraction: 0.4 });
    expect(flags(net)).toBe('00011');
    expect(net.trainable).toBe(true);
    expect(trainableCount(net)).toBe(40);
    net.freeze();
    net.unfreeze({ fraction: 0.5 });
    expect(flags(net)).toBe('00111'); // 2.5 layers round up to 3
    net.freeze();
    net.unfreeze({ fraction: 0 });
    expect(flags(net)).toBe('00000');
    expect(trainableCount(net)).toBe(0);
    net.dispose();
  });

  it('fraction in a functional model does not count the input layer', () => {
    const x = st.layers.input({ shape: [4] });
    let h = x;
    for (let i = 0; i < 4; i++) h = st.layers.dense({ units: 4 }).apply(h);
    const net = st.model({ inputs: x, outputs: h });
    net.freeze();
    net.unfreeze({ fraction: 0.5 });
    expect(net.layers.map((l) => `${l.className[0]}${l.trainable ? 1 : 0}`).join(' ')).toBe('I0 D0 D0 D1 D1');
    expect(trainableCount(net)).toBe(40);
    net.dispose();
  });

  it('unfreezing part of a frozen model leaves the rest frozen', () => {
    const net = stack();
    net.freeze();
    net.unfreeze('dense_4');
    expect(flags(net)).toBe('00001');
    expect(net.trainableWeights.map((w) => w.name)).toEqual(['dense_4/kernel', 'dense_4/bias']);
    net.dispose();
  });

  it('bad selectors name the method, the argument, what was expected and what came', () => {
    const net = stack();
    expectError(() => net.freeze('dense_9'), st.ValueError, "Sequential 'sequential'.freeze", "no layer named 'dense_9'", 'layers are dense, dense_1');
    expectError(() => net.unfreeze({ from: 7 }), st.ValueError, "Sequential 'sequential'.unfreeze", "'from' index 7", 'out of range', '5 layers');
    expectError(() => net.freeze({ from: 'dense_3', to: 'dense_1' }), st.ValueError, "'from' (dense_3) comes after 'to' (dense_1)");
    expectError(() => net.unfreeze({ fraction: 1.5 }), st.ValueError, "'fraction'", 'in [0, 1]', 'got 1.5');
    expect(flags(net)).toBe('11111');
    net.dispose();
  });
});
