import { beforeAll, describe, expect, it } from 'vitest';
import * as st from '../engine/st.js';

const { tf } = st;

beforeAll(async () => {
  await st.setBackend('cpu');
});

interface Row {
  name: string;
  type: string;
  shape: string;
  params: number;
  connected: string;
}

/** Prints a summary into lines. */
function summaryLines(net: st.Network): string[] {
  const lines: string[] = [];
  net.summary({ printFn: (l) => lines.push(l) });
  return lines;
}

const num = (s: string) => Number(s.replace(/,/g, ''));

/** Parses the table rows and the totals of a printed summary. */
function parse(lines: string[]): { rows: Row[]; extra: string[][]; total: number; trainable: number; nonTrainable: number } {
  const rows: Row[] = [];
  const extra: string[][] = [];
  for (const line of lines) {
    const m = /^(\S+) \((\w+)\)\s+(\(.*?\)(?:, \(.*?\))*)\s+([\d,]+)\s*(.*)$/.exec(line);
    if (m) {
      rows.push({ name: m[1]!, type: m[2]!, shape: m[3]!, params: num(m[4]!), connected: m[5]!.trim() });
      extra.push([]);
    } else if (/^\s{20,}\S+$/.test(line) && rows.length) {
      extra[extra.length - 1]!.push(line.trim());
    }
  }
  const total = (label: string) => num(/: ([\d,]+)$/.exec(lines.find((l) => l.startsWith(label))!)![1]!);
  return { rows, extra, total: total('Total params'), trainable: total('Trainable params'), nonTrainable: total('Non-trainable params') };
}

function mnistMlp(): st.SequentialNetwork {
  return st.sequential([
    st.layers.input({ shape: [784] }),
    st.layers.dense({ units: 256, activation: 'relu' }),
    st.layers.dense({ units: 256, activation: 'relu' }),
    st.layers.dense({ units: 10, activation: 'softmax' }),
  ], { name: 'mlp' });
}

describe('summary', () => {
  it('784-256-256-10: 269,322 params, 200,960 / 65,792 / 2,570 per layer', () => {
    const net = mnistMlp();
    const lines = summaryLines(net);
    expect(lines[0]).toBe('Model: "mlp"');
    const s = parse(lines);
    expect(s.rows.map((r) => [r.name, r.type, r.shape, r.params])).toEqual([
      ['dense', 'Dense', '(None, 256)', 200_960],
      ['dense_1', 'Dense', '(None, 256)', 65_792],
      ['dense_2', 'Dense', '(None, 10)', 2_570],
    ]);
    expect(lines.some((l) => l.includes('269,322'))).toBe(true);
    expect(s.total).toBe(269_322);
    expect(s.trainable).toBe(269_322);
    expect(s.nonTrainable).toBe(0);
    expect(s.rows.reduce((a, r) => a + r.params, 0)).toBe(s.total);
    expect(net.countParams()).toBe(269_322);
    net.dispose();
  });

  it('trainable and non-trainable counts follow freezing', () => {
    const net = mnistMlp();
    net.freeze('dense_1');
    let s = parse(summaryLines(net));
    expect([s.total, s.trainable, s.nonTrainable]).toEqual([269_322, 200_960 + 2_570, 65_792]);
    net.freeze();
    s = parse(summaryLines(net));
    expect([s.trainable, s.nonTrainable]).toEqual([0, 269_322]);
    net.unfreeze({ fraction: 1 / 3 });
    s = parse(summaryLines(net));
    expect([s.trainable, s.nonTrainable]).toEqual([2_570, 200_960 + 65_792]);
    net.dispose();
  });

  it('a functional summary shows each layer\'s inbound connections, shared layers by node', () => {
    const a = st.layers.input({ shape: [6], name: 'left' });
    const b = st.layers.input({ shape: [6], name: 'right' });
    const shared = st.layers.dense({ units: 4, name: 'shared' });
    const ha = shared.apply(a);
    const hb = shared.apply(b);
    const outA = st.layers.dense({ units: 2, name: 'head_a' }).apply(ha);
    const outB = st.layers.dense({ units: 3, name: 'head_b' }).apply(hb);
    const net = st.model({ inputs: [a, b], outputs: [outA, outB], name: 'twin' });
    const lines = summaryLines(net);
    expect(lines.some((l) => l.includes('Connected to'))).toBe(true);
    const s = parse(lines);
    const byName = Object.fromEntries(s.rows.map((r, i) => [r.name, { ...r, more: s.extra[i]! }]));
    expect(Object.keys(byName).sort()).toEqual(['head_a', 'head_b', 'left', 'right', 'shared']);
    expect(byName.left!.connected).toBe('');
    expect(byName.left!.type).toBe('InputLayer');
    expect(byName.left!.shape).toBe('(None, 6)');
    // The shared layer was applied twice: once to each input.
    expect([byName.shared!.connected, ...byName.shared!.more]).toEqual(['left[0][0]', 'right[0][0]']);
    expect(byName.shared!.params).toBe(6 * 4 + 4);
    // Each head reads a different application (node) of the shared layer.
    expect(byName.head_a!.connected).toBe('shared[0][0]');
    expect(byName.head_b!.connected).toBe('shared[1][0]');
    expect(s.total).toBe(28 + 10 + 15);
    net.dispose();
  });

  it('an unbuilt Sequential model refuses to summarise, naming the way out', () => {
    const net = st.sequential([st.layers.dense({ units: 2 })]);
    expect(() => net.summary({ printFn: () => undefined })).toThrow(st.StateError);
    expect(() => net.summary({ printFn: () => undefined })).toThrow(/Sequential 'sequential'.summary: the model is not built yet; give the first layer an inputShape/);
  });

  it('summary leaks no tensors and prints to console.log by default', () => {
    const net = mnistMlp();
    const n0 = tf.memory().numTensors;
    summaryLines(net);
    const logged: string[] = [];
    const original = console.log;
    console.log = (l: string) => logged.push(l);
    try {
      net.summary();
    } finally {
      console.log = original;
    }
    expect(logged.length).toBeGreaterThan(5);
    expect(tf.memory().numTensors).toBe(n0);
    net.dispose();
  });
});
