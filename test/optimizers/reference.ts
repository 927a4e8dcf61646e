/**
 * Plain float64 reference implementations of the optimizer formulas (Keras 3 semantics),
 * written from the published update rules, independent of the tensor code under test.
 * Each takes the initial weights and one gradient array per step, and returns the
 * weights after every step.
 */

export type Vec = number[];

const zeros = (n: number): Vec => new Array<number>(n).fill(0);

/** Rescales by `clipNorm / max(||g||, clipNorm)` (per tensor). */
export function clipByNorm(g: Vec, clipNorm: number): Vec {
  const norm = Math.sqrt(g.reduce((s, x) => s + x * x, 0));
  return g.map((x) => (x * clipNorm) / Math.max(norm, clipNorm));
}

/** Clamps each element to [-c, c]. */
export function clipByValue(g: Vec, c: number): Vec {
  return g.map((x) => Math.min(c, Math.max(-c, x)));
}

export interface RefOptions {
  lr: number | ((step0: number) => number);
  weightDecay?: number;
}

function lrAt(o: RefOptions, step0: number): number {
  return typeof o.lr === 'number' ? o.lr : o.lr(step0);
}

function decay(w: Vec, lr: number, wd = 0): Vec {
  return w.map((x) => x - lr * wd * x);
}

export function refSGD(w0: Vec, grads: Vec[], o: RefOptions): Vec[] {
  let w = [...w0];
  return grads.map((g, t) => {
    const lr = lrAt(o, t);
    w = decay(w, lr, o.weightDecay).map((x, i) => x - lr * g[i]!);
    return w;
  });
}

export function refMomentum(w0: Vec, grads: Vec[], o: RefOptions & { momentum: number; nesterov: boolean }): Vec[] {
  let w = [...w0];
  let v = zeros(w.length);
  return grads.map((g, t) => {
    const lr = lrAt(o, t);
    v = v.map((vi, i) => o.momentum * vi - lr * g[i]!);
    w = decay(w, lr, o.weightDecay).map((x, i) => (o.nesterov ? x + o.momentum * v[i]! - lr * g[i]! : x + v[i]!));
    return w;
  });
}

export function refAdam(
  w0: Vec,
  grads: Vec[],
  o: RefOptions & { beta1: number; beta2: number; epsilon: number; amsgrad: boolean },
): Vec[] {
  let w = [...w0];
  let m = zeros(w.length);
  let v = zeros(w.length);
  let vhat = zeros(w.length);
  return grads.map((g, t) => {
    const lr = lrAt(o, t);
    const step = t + 1;
    // Textbook form: bias-corrected moments; Keras folds the corrections into lr_t with
    // epsilon added to the uncorrected sqrt(v), which this reproduces exactly.
    m = m.map((mi, i) => o.beta1 * mi + (1 - o.beta1) * g[i]!);
    v = v.map((vi, i) => o.beta2 * vi + (1 - o.beta2) * g[i]! * g[i]!);
    vhat = vhat.map((h, i) => Math.max(h, v[i]!));
    const denomV = o.amsgrad ? vhat : v;
    const lrT = (lr * Math.sqrt(1 - Math.pow(o.beta2, step))) / (1 - Math.pow(o.beta1, step));
    w = decay(w, lr, o.weightDecay).map((x, i) => x - (lrT * m[i]!) / (Math.sqrt(denomV[i]!) + o.epsilon));
    return w;
  });
}

export function refRMSprop(
  w0: Vec,
  grads: Vec[],
  o: RefOptions & { rho: number; momentum: number; epsilon: number; centered: boolean },
): Vec[] {
  let w = [...w0];
  let ms = zeros(w.length);
  let mg = zeros(w.length);
  let mom = zeros(w.length);
  return grads.map((g, t) => {
    const lr = lrAt(o, t);
    ms = ms.map((s, i) => o.rho * s + (1 - o.rho) * g[i]! ** 2);
    mg = mg.map((s, i) => o.rho * s + (1 - o.rho) * g[i]!);
    const inc = g.map((gi, i) => {
      const variance = o.centered ? ms[i]! - mg[i]! ** 2 : ms[i]!;
      return (lr * gi) / Math.sqrt(variance + o.epsilon);
    });
    if (o.momentum > 0) mom = mom.map((mi, i) => o.momentum * mi + inc[i]!);
    const delta = o.momentum > 0 ? mom : inc;
    w = decay(w, lr, o.weightDecay).map((x, i) => x - delta[i]!);
    return w;
  });
}

export function refAdagrad(
  w0: Vec,
  grads: Vec[],
  o: RefOptions & { initialAccumulatorValue: number; epsilon: number },
): Vec[] {
  let w = [...w0];
  let acc = new Array<number>(w.length).fill(o.initialAccumulatorValue);
  return grads.map((g, t) => {
    const lr = lrAt(o, t);
    acc = acc.map((a, i) => a + g[i]! ** 2);
    w = decay(w, lr, o.weightDecay).map((x, i) => x - (lr * g[i]!) / Math.sqrt(acc[i]! + o.epsilon));
    return w;
  });
}
