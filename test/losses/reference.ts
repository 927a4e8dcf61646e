/** Plain-JS losses, written from the formulas, to check the tensor versions against. */

/** Keras's epsilon as float32 sees it. */
export const LO = Math.fround(1e-7);
export const HI = Math.fround(1 - 1e-7);
const clip = (p: number): number => Math.min(Math.max(p, LO), HI);
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
export const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

export function softmax(row: number[]): number[] {
  const m = Math.max(...row);
  const e = row.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

type Rows = number[][];

export const mse = (t: Rows, p: Rows): number[] => t.map((r, i) => mean(r.map((v, j) => (p[i]![j]! - v) ** 2)));
export const mae = (t: Rows, p: Rows): number[] => t.map((r, i) => mean(r.map((v, j) => Math.abs(p[i]![j]! - v))));

export function huber(t: Rows, p: Rows, delta: number): number[] {
  return t.map((r, i) => mean(r.map((v, j) => {
    const a = Math.abs(p[i]![j]! - v);
    return a <= delta ? 0.5 * a * a : delta * a - 0.5 * delta * delta;
  })));
}

export function hinge(t: Rows, p: Rows): number[] {
  const zeroOne = t.every((r) => r.every((v) => v === 0 || v === 1));
  return t.map((r, i) => mean(r.map((v, j) => Math.max(0, 1 - (zeroOne ? 2 * v - 1 : v) * p[i]![j]!))));
}

export function bce(t: Rows, p: Rows, smoothing = 0): number[] {
  return t.map((r, i) => mean(r.map((v, j) => {
    const y = v * (1 - smoothing) + 0.5 * smoothing;
    const c = clip(p[i]![j]!);
    return -(y * Math.log(c) + (1 - y) * Math.log(1 - c));
  })));
}

/** From logits, by the textbook (unclipped) definition. */
export function bceLogits(t: Rows, x: Rows, smoothing = 0): number[] {
  return t.map((r, i) => mean(r.map((v, j) => {
    const y = v * (1 - smoothing) + 0.5 * smoothing;
    const s = sigmoid(x[i]![j]!);
    return -(y * Math.log(s) + (1 - y) * Math.log(1 - s));
  })));
}

export function cce(t: Rows, p: Rows, smoothing = 0): number[] {
  return t.map((r, i) => {
    const sum = p[i]!.reduce((a, b) => a + b, 0);
    return -r.reduce((acc, v, j) => {
      const y = v * (1 - smoothing) + smoothing / r.length;
      return acc + y * Math.log(clip(p[i]![j]! / sum));
    }, 0);
  });
}

export function cceLogits(t: Rows, x: Rows, smoothing = 0): number[] {
  return t.map((r, i) => {
    const s = softmax(x[i]!);
    return -r.reduce((acc, v, j) => acc + (v * (1 - smoothing) + smoothing / r.length) * Math.log(s[j]!), 0);
  });
}

export function oneHot(labels: number[], k: number): Rows {
  return labels.map((l) => Array.from({ length: k }, (_, j) => (j === l ? 1 : 0)));
}

/** A small seeded generator (mulberry32), so fast-check can drive the data by a seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A matrix of float32-representable values in [lo, hi). */
export function matrix(r: () => number, n: number, k: number, lo: number, hi: number): Rows {
  return Array.from({ length: n }, () => Array.from({ length: k }, () => Math.fround(lo + (hi - lo) * r())));
}
