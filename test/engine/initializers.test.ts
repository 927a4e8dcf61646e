import { beforeAll, describe, expect, it } from 'vitest';
import { computeFans, getInitializer, serializeInitializer, type Initializer } from '../../src/engine/initializers.js';
import * as st from './st.js';

const { tf } = st;

beforeAll(async () => {
  await st.setBackend('cpu');
});

const CLASS_NAMES = [
  'GlorotUniform', 'GlorotNormal', 'HeUniform', 'HeNormal', 'LecunUniform', 'LecunNormal', 'Zeros', 'Ones',
  'Constant', 'RandomNormal', 'RandomUniform', 'TruncatedNormal', 'Orthogonal', 'VarianceScaling',
];
const SEEDED = CLASS_NAMES.filter((n) => !['Zeros', 'Ones', 'Constant'].includes(n));

const camel = (s: string) => s[0]!.toLowerCase() + s.slice(1);
const snake = (s: string) => s.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();

/** Values of `init.apply(shape)` as a plain array; frees the tensor. */
function sample(init: Initializer, shape: number[]): Float32Array {
  const t = init.apply(shape);
  const v = t.dataSync() as Float32Array;
  t.dispose();
  return v;
}

function stats(v: Float32Array): { mean: number; variance: number; min: number; max: number } {
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const x of v) {
    sum += x;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  const mean = sum / v.length;
  let sq = 0;
  for (const x of v) sq += (x - mean) ** 2;
  return { mean, variance: sq / v.length, min, max };
}

describe('initializer names', () => {
  for (const cls of CLASS_NAMES) {
    it(`${cls} resolves from '${camel(cls)}', '${snake(cls)}', '${cls}' and a saved spec`, () => {
      for (const name of [camel(cls), snake(cls), cls]) expect(getInitializer(name).className).toBe(cls);
      const spec = serializeInitializer(getInitializer(cls));
      expect(spec.class_name).toBe(cls);
      const again = getInitializer(JSON.parse(JSON.stringify(spec)));
      expect(again.className).toBe(cls);
      expect(again.getConfig()).toEqual(spec.config);
    });
  }

  it('each factory in st.initializers makes the class of its name', () => {
    const made: [Initializer, string][] = [
      [st.initializers.glorotUniform(), 'GlorotUniform'], [st.initializers.glorotNormal(), 'GlorotNormal'],
      [st.initializers.heUniform(), 'HeUniform'], [st.initializers.heNormal(), 'HeNormal'],
      [st.initializers.lecunUniform(), 'LecunUniform'], [st.initializers.lecunNormal(), 'LecunNormal'],
      [st.initializers.zeros(), 'Zeros'], [st.initializers.ones(), 'Ones'], [st.initializers.constant(), 'Constant'],
      [st.initializers.randomNormal(), 'RandomNormal'], [st.initializers.randomUniform(), 'RandomUniform'],
      [st.initializers.truncatedNormal(), 'TruncatedNormal'], [st.initializers.orthogonal(), 'Orthogonal'],
      [st.initializers.varianceScaling(), 'VarianceScaling'],
    ];
    for (const [init, cls] of made) expect(init.className).toBe(cls);
  });

  it('a saved spec keeps its settings (snake_case keys read back)', () => {
    const init = getInitializer({ class_name: 'VarianceScaling', config: { scale: 3, mode: 'fan_out', distribution: 'uniform', seed: 9 } });
    expect(init.getConfig()).toEqual({ scale: 3, mode: 'fan_out', distribution: 'uniform', seed: 9 });
    const rn = getInitializer({ class_name: 'RandomNormal', config: { mean: 1, stddev: 0.5, seed: null } });
    expect(rn.getConfig()).toEqual({ mean: 1, stddev: 0.5, seed: null });
  });

  it('a Dense layer builds with an initializer given by any of the name forms', () => {
    for (const name of ['ones', 'Ones']) {
      const layer = st.layers.dense({ units: 2, kernelInitializer: name });
      tf.dispose(layer.apply(tf.zeros([1, 3])) as st.tf.Tensor);
      expect(Array.from(layer.weights[0]!.read().dataSync())).toEqual([1, 1, 1, 1, 1, 1]);
      layer.dispose();
    }
  });
});

describe('seeded initializers', () => {
  for (const cls of SEEDED) {
    it(`${cls}: two fresh instances with one seed agree bit for bit; other seeds differ`, () => {
      const shape = [16, 12];
      const a = sample(getInitializer({ class_name: cls, config: { seed: 42 } }), shape);
      const b = sample(getInitializer({ class_name: cls, config: { seed: 42 } }), shape);
      const c = sample(getInitializer({ class_name: cls, config: { seed: 43 } }), shape);
      expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
      expect(Array.from(c)).not.toEqual(Array.from(a));
    });
  }

  it('one instance gives a different tensor on each call, and a rebuilt one replays them', () => {
    const first = st.initializers.heNormal({ seed: 7 });
    const again = st.initializers.heNormal({ seed: 7 });
    const a1 = sample(first, [8, 8]);
    const a2 = sample(first, [8, 8]);
    expect(Array.from(a2)).not.toEqual(Array.from(a1));
    expect(Array.from(sample(again, [8, 8]))).toEqual(Array.from(a1));
    expect(Array.from(sample(again, [8, 8]))).toEqual(Array.from(a2));
  });

  it('two Dense layers with the same seeded initializers get identical weights', () => {
    const make = () => st.layers.dense({ units: 5, kernelInitializer: st.initializers.glorotUniform({ seed: 3 }) });
    const [l1, l2] = [make(), make()];
    for (const l of [l1, l2]) tf.dispose(l.apply(tf.zeros([1, 4])) as st.tf.Tensor);
    expect(Array.from(l1.weights[0]!.read().dataSync())).toEqual(Array.from(l2.weights[0]!.read().dataSync()));
    l1.dispose();
    l2.dispose();
  });
});

describe('initializer statistics', () => {
  // 240,000 samples; fanIn 300 ≠ fanOut 800 so a wrong fan mode shows.
  const shape = [300, 800];
  const [fanIn, fanOut] = [300, 800];
  const n = fanIn * fanOut;

  const uniform: [string, number][] = [
    ['GlorotUniform', Math.sqrt(6 / (fanIn + fanOut))],
    ['HeUniform', Math.sqrt(6 / fanIn)],
    ['LecunUniform', Math.sqrt(3 / fanIn)],
  ];
  for (const [cls, limit] of uniform) {
    it(`${cls}: within ±${limit.toFixed(4)}, mean 0, variance limit²/3`, () => {
      const s = stats(sample(getInitializer({ class_name: cls, config: { seed: 1 } }), shape));
      expect(s.min).toBeGreaterThanOrEqual(-limit * (1 + 1e-6));
      expect(s.max).toBeLessThanOrEqual(limit * (1 + 1e-6));
      expect(s.max).toBeGreaterThan(limit * 0.999);
      expect(s.min).toBeLessThan(-limit * 0.999);
      // Standard error of the mean is limit/sqrt(3n); allow 5 of them.
      expect(Math.abs(s.mean)).toBeLessThan((5 * limit) / Math.sqrt(3 * n));
      expect(s.variance / (limit * limit / 3)).toBeCloseTo(1, 1);
      expect(Math.abs(s.variance / (limit * limit / 3) - 1)).toBeLessThan(0.02);
    });
  }

  const normal: [string, number][] = [
    ['GlorotNormal', Math.sqrt(2 / (fanIn + fanOut))],
    ['HeNormal', Math.sqrt(2 / fanIn)],
    ['LecunNormal', Math.sqrt(1 / fanIn)],
  ];
  for (const [cls, stddev] of normal) {
    it(`${cls}: truncated normal with stddev ${stddev.toFixed(4)} after truncation`, () => {
      const s = stats(sample(getInitializer({ class_name: cls, config: { seed: 1 } }), shape));
      // The untruncated stddev is stddev / 0.8796; samples stop at two of those.
      const bound = (2 * stddev) / 0.8796256610342398;
      expect(Math.max(-s.min, s.max)).toBeLessThanOrEqual(bound * (1 + 1e-5));
      expect(Math.max(-s.min, s.max)).toBeGreaterThan(bound * 0.99);
      expect(Math.abs(s.mean)).toBeLessThan((5 * stddev) / Math.sqrt(n));
      expect(Math.abs(s.variance / (stddev * stddev) - 1)).toBeLessThan(0.02);
    });
  }

  it('VarianceScaling honours scale, mode and distribution', () => {
    const fanAvg = (fanIn + fanOut) / 2;
    const cases: [st.initializers.VarianceScalingOptions, number][] = [
      [{ scale: 2, mode: 'fan_out', distribution: 'untruncated_normal' }, 2 / fanOut],
      [{ scale: 0.5, mode: 'fan_avg', distribution: 'uniform' }, 0.5 / fanAvg],
      [{ scale: 3, mode: 'fan_in', distribution: 'truncated_normal' }, 3 / fanIn],
    ];
    for (const [opts, variance] of cases) {
      const s = stats(sample(st.initializers.varianceScaling({ ...opts, seed: 2 }), shape));
      expect(Math.abs(s.variance / variance - 1), JSON.stringify(opts)).toBeLessThan(0.02);
    }
  });

  it('fans of a conv kernel count the receptive field', () => {
    expect(computeFans([3, 3, 16, 32])).toEqual([144, 288]);
    expect(computeFans([5, 7])).toEqual([5, 7]);
    const limit = Math.sqrt(6 / 144);
    const s = stats(sample(st.initializers.heUniform({ seed: 5 }), [3, 3, 16, 32]));
    expect(s.max).toBeLessThanOrEqual(limit);
    expect(s.max).toBeGreaterThan(limit * 0.99);
  });

  it('RandomNormal, TruncatedNormal and RandomUniform use their mean, stddev and range', () => {
    const rn = stats(sample(st.initializers.randomNormal({ mean: 2, stddev: 0.5, seed: 1 }), shape));
    expect(rn.mean).toBeCloseTo(2, 2);
    expect(Math.abs(rn.variance / 0.25 - 1)).toBeLessThan(0.02);
    const tn = stats(sample(st.initializers.truncatedNormal({ mean: -1, stddev: 0.1, seed: 1 }), shape));
    expect(tn.min).toBeGreaterThanOrEqual(-1.2 - 1e-6);
    expect(tn.max).toBeLessThanOrEqual(-0.8 + 1e-6);
    const ru = stats(sample(st.initializers.randomUniform({ minval: 1, maxval: 3, seed: 1 }), shape));
    expect(ru.min).toBeGreaterThanOrEqual(1);
    expect(ru.max).toBeLessThan(3);
    expect(Math.abs(ru.variance / (4 / 12) - 1)).toBeLessThan(0.02);
  });
});

describe('orthogonal, constant, zeros, ones', () => {
  /** Max |AᵀA − gain²·I| for the matrix view (rows × last dim) of a sample. */
  function orthoError(t: st.tf.Tensor, gain: number, rowsOrthonormal: boolean): number {
    return tf.tidy(() => {
      const cols = t.shape[t.shape.length - 1]!;
      const m = tf.reshape(t, [-1, cols]);
      const g = rowsOrthonormal ? tf.matMul(m, m, false, true) : tf.matMul(m, m, true, false);
      const eye = tf.mul(tf.eye(g.shape[0]!), gain * gain);
      return tf.max(tf.abs(tf.sub(g, eye))).dataSync()[0]!;
    });
  }

  it('tall: the columns are orthonormal (QᵀQ = I)', () => {
    const q = st.initializers.orthogonal({ seed: 1 }).apply([64, 24]);
    expect(orthoError(q, 1, false)).toBeLessThan(1e-4);
    q.dispose();
  });

  it('wide: the rows are orthonormal (QQᵀ = I)', () => {
    const q = st.initializers.orthogonal({ seed: 2 }).apply([16, 40]);
    expect(orthoError(q, 1, true)).toBeLessThan(1e-4);
    q.dispose();
  });

  it('square, with a gain, and a conv kernel viewed as a matrix', () => {
    const sq = st.initializers.orthogonal({ seed: 3, gain: 2 }).apply([20, 20]);
    expect(orthoError(sq, 2, false)).toBeLessThan(1e-3);
    expect(orthoError(sq, 2, true)).toBeLessThan(1e-3);
    const conv = st.initializers.orthogonal({ seed: 4 }).apply([3, 3, 4, 8]);
    expect(conv.shape).toEqual([3, 3, 4, 8]);
    expect(orthoError(conv, 1, false)).toBeLessThan(1e-4);
    tf.dispose([sq, conv]);
  });

  it('is not just the identity: two seeds give different matrices', () => {
    const a = sample(st.initializers.orthogonal({ seed: 5 }), [6, 6]);
    const b = sample(st.initializers.orthogonal({ seed: 6 }), [6, 6]);
    expect(Array.from(a)).not.toEqual(Array.from(b));
  });

  it('constant fills with its value (default 0); zeros and ones fill with 0 and 1', () => {
    expect(Array.from(sample(st.initializers.constant({ value: -2.5 }), [2, 3]))).toEqual(Array(6).fill(-2.5));
    expect(Array.from(sample(st.initializers.constant(), [4]))).toEqual([0, 0, 0, 0]);
    expect(Array.from(sample(st.initializers.zeros(), [2, 2]))).toEqual([0, 0, 0, 0]);
    expect(Array.from(sample(st.initializers.ones(), [3]))).toEqual([1, 1, 1]);
  });

  it('making values leaks no tensors', () => {
    const n0 = tf.memory().numTensors;
    for (const cls of CLASS_NAMES) sample(getInitializer({ class_name: cls, config: { seed: 1 } }), [6, 4]);
    expect(tf.memory().numTensors).toBe(n0);
  });
});
