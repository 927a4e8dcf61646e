import { ShapeError, ValueError, fmtShape } from '../../engine/errors.js';
import { shapesEqual, type Shape } from '../../engine/shape.js';
import type { Network } from '../../models/network.js';
import type { GanFitOptions, GanOptions } from './options.js';
import type { GanParts } from './steps.js';

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'object') return v.constructor?.name ?? 'object';
  return typeof v === 'number' || typeof v === 'boolean' ? String(v) : typeof v;
}

function isNetwork(v: unknown): v is Network {
  // Duck-typed, so models made by another copy of strata are accepted too.
  const n = v as Partial<Network> | undefined;
  return !!n && typeof n === 'object' && typeof n.forward === 'function' && typeof n.ensureBuilt === 'function' &&
    Array.isArray(n.trainableWeights);
}

/** The declared input shapes, or undefined while a Sequential model has none yet. */
function declaredInputs(net: Network): Shape[] | undefined {
  try {
    return net.inputShapes;
  } catch {
    return undefined;
  }
}

/**
 * Checks the two networks against each other and the noise size, building them so their
 * weights exist before the first step: the generator takes `[batch, latentDim]`, the
 * discriminator takes the generator's output and gives `[batch, 1]`.
 */
export function checkParts(opts: GanOptions): GanParts {
  const owner = 'gan';
  if (!opts || typeof opts !== 'object') {
    throw new ValueError(`${owner}: expected { generator, discriminator, latentDim }; got ${describe(opts)}`);
  }
  const { generator, discriminator, latentDim } = opts;
  for (const [key, net] of [['generator', generator], ['discriminator', discriminator]] as const) {
    if (!isNetwork(net)) {
      throw new ValueError(`${owner}: '${key}' must be a model (st.sequential or st.model); got ${describe(net)}`);
    }
  }
  if (generator === discriminator) {
    throw new ValueError(`${owner}: 'generator' and 'discriminator' must be two different models`);
  }
  if (typeof latentDim !== 'number' || !Number.isInteger(latentDim) || latentDim < 1) {
    throw new ValueError(`${owner}: 'latentDim' must be an integer >= 1; got ${describe(latentDim)}`);
  }
  const gIn = declaredInputs(generator);
  if (gIn) {
    if (gIn.length !== 1) {
      throw new ShapeError(`${owner}: 'generator' must take one input (noise [batch, latentDim]); ${generator.label} takes ${gIn.length}`);
    }
    if (!shapesEqual(gIn[0]!, [null, latentDim])) {
      throw new ShapeError(`${owner}: 'latentDim' is ${latentDim} but the generator ${generator.label} takes input ` +
        `${fmtShape(gIn[0])}; expected [null,${latentDim}]`);
    }
  }
  generator.ensureBuilt([null, latentDim]);
  const gOut = generator.outputShapes;
  if (gOut.length !== 1) {
    throw new ShapeError(`${owner}: 'generator' must have one output; ${generator.label} has ${gOut.length}`);
  }
  const sample = gOut[0]!;
  const dIn = declaredInputs(discriminator);
  if (dIn && (dIn.length !== 1 || !shapesEqual(dIn[0]!, sample))) {
    throw new ShapeError(`${owner}: 'discriminator' ${discriminator.label} takes input ${dIn.map((s) => fmtShape(s)).join(', ')} ` +
      `but the generator gives ${fmtShape(sample)}`);
  }
  discriminator.ensureBuilt(sample);
  const dOut = discriminator.outputShapes;
  if (dOut.length !== 1 || dOut[0]!.length !== 2 || dOut[0]![1] !== 1) {
    throw new ShapeError(`${owner}: 'discriminator' must output [batch, 1] (the probability that its input is real); ` +
      `${discriminator.label} outputs ${dOut.map((s) => fmtShape(s)).join(', ')}`);
  }
  return { generator, discriminator, latentDim };
}

/** The fit options with defaults, checked. */
export interface GanFitSettings {
  batchSize: number;
  discriminatorSteps: number;
  labelSmoothing: number;
  stepsPerEpoch: number | undefined;
  seed: number | undefined;
}

function positiveInt(owner: string, key: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
    throw new ValueError(`${owner}: '${key}' must be an integer >= 1; got ${describe(v)}`);
  }
  return v;
}

/** Checks the options of `GAN.fit` that the shared epoch settings do not cover. */
export function fitSettings(opts: GanFitOptions, owner: string): GanFitSettings {
  if (!opts || typeof opts !== 'object') throw new ValueError(`${owner}: options must be an object; got ${describe(opts)}`);
  const s = opts.labelSmoothing ?? 0;
  if (typeof s !== 'number' || !(s >= 0 && s < 1)) {
    throw new ValueError(`${owner}: 'labelSmoothing' must be a number in [0, 1); got ${describe(opts.labelSmoothing)}`);
  }
  const seed = opts.seed;
  if (seed !== undefined && (typeof seed !== 'number' || !Number.isSafeInteger(seed))) {
    throw new ValueError(`${owner}: 'seed' must be an integer; got ${describe(seed)}`);
  }
  return {
    batchSize: positiveInt(owner, 'batchSize', opts.batchSize ?? 32),
    discriminatorSteps: positiveInt(owner, 'discriminatorSteps', opts.discriminatorSteps ?? 5),
    labelSmoothing: s,
    stepsPerEpoch: opts.stepsPerEpoch === undefined ? undefined : positiveInt(owner, 'stepsPerEpoch', opts.stepsPerEpoch),
    seed,
  };
}

/** Checks a count of samples (`sample(n)`). */
export function sampleCount(owner: string, n: unknown): number {
  return positiveInt(owner, 'n', n);
}
