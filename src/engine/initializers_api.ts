/**
 * Weight initializers: `st.initializers.heNormal({ seed: 1 })`, or by name in layer
 * options (`kernelInitializer: 'heNormal'`).
 * @module
 */
import {
  Constant, GlorotNormal, GlorotUniform, HeNormal, HeUniform, LecunNormal, LecunUniform, Ones, Orthogonal,
  RandomNormal, RandomUniform, TruncatedNormal, VarianceScaling, Zeros, type VarianceScalingOptions,
} from './initializers.js';

export {
  Initializer, VarianceScaling, Constant, Zeros, Ones, RandomNormal, RandomUniform, TruncatedNormal, Orthogonal,
  GlorotUniform, GlorotNormal, HeUniform, HeNormal, LecunUniform, LecunNormal,
  type VarianceScalingOptions, type InitializerIdentifier, type InitializerName, type InitializerSpec,
} from './initializers.js';

/** Seed option shared by the random initializers. */
export interface SeedOptions {
  /** Seed for reproducible values. Default: unseeded. */
  seed?: number;
}
/** Glorot uniform (the default kernel initializer). */
export const glorotUniform = (o: SeedOptions = {}) => new GlorotUniform(o);
/** Glorot normal. */
export const glorotNormal = (o: SeedOptions = {}) => new GlorotNormal(o);
/** He uniform. */
export const heUniform = (o: SeedOptions = {}) => new HeUniform(o);
/** He normal. */
export const heNormal = (o: SeedOptions = {}) => new HeNormal(o);
/** LeCun uniform. */
export const lecunUniform = (o: SeedOptions = {}) => new LecunUniform(o);
/** LeCun normal. */
export const lecunNormal = (o: SeedOptions = {}) => new LecunNormal(o);
/** All zeros. */
export const zeros = () => new Zeros();
/** All ones. */
export const ones = () => new Ones();
/** A constant `value` (default 0). */
export const constant = (o: { value?: number } = {}) => new Constant(o);
/** Normal samples (`mean` 0, `stddev` 0.05 by default). */
export const randomNormal = (o: { mean?: number; stddev?: number; seed?: number } = {}) => new RandomNormal(o);
/** Uniform samples in [`minval`, `maxval`) (default [-0.05, 0.05)). */
export const randomUniform = (o: { minval?: number; maxval?: number; seed?: number } = {}) => new RandomUniform(o);
/** Truncated normal samples (`mean` 0, `stddev` 0.05 by default). */
export const truncatedNormal = (o: { mean?: number; stddev?: number; seed?: number } = {}) => new TruncatedNormal(o);
/** An orthogonal matrix times `gain` (default 1). */
export const orthogonal = (o: { gain?: number; seed?: number } = {}) => new Orthogonal(o);
/** Variance scaling with explicit scale, mode and distribution. */
export const varianceScaling = (o: VarianceScalingOptions = {}) => new VarianceScaling(o);
