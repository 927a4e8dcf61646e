import { tf } from '../backend/tf.js';
import { SerializationError, fmtShape } from '../engine/errors.js';
import { Initializer, getInitializer, type InitializerIdentifier } from '../engine/initializers.js';
import { own } from './keras_config.js';

/**
 * How many weight values a model being loaded may still create: the number of values the
 * weight file holds. Checked before each weight is allocated, so a config claiming an
 * absurd layer size fails with a clear error instead of allocating it.
 */
export class WeightBudget {
  private left: number;
  /** True once loading is over; initializers then behave normally. */
  closed = false;

  constructor(readonly total: number, private readonly owner: string) {
    this.left = total;
  }

  /**
   * Takes the values of a weight of `shape`.
   * @throws SerializationError when the weight file cannot hold them.
   */
  take(shape: number[]): void {
    let size = 1;
    for (const d of shape) {
      if (!Number.isInteger(d) || d < 0) {
        throw new SerializationError(`${this.owner}: a layer asks for a weight of invalid shape ${fmtShape(shape)}`);
      }
      size *= d;
      if (size > this.left) break;
    }
    if (size > this.left) {
      throw new SerializationError(
        `${this.owner}: the model config asks for a weight of shape ${fmtShape(shape)}, more values than the ` +
          `${this.total} the weight file holds (${this.left} left); config and weights do not match`,
      );
    }
    this.left -= size;
  }
}

/**
 * An initializer that stands in for a layer's own during loading: it checks the budget and
 * makes zeros (the saved values overwrite them), yet reports the original's class and config,
 * so the loaded layer saves exactly as it was. Once the budget is closed it defers to the
 * original.
 */
class LoadingInitializer extends Initializer {
  constructor(private readonly original: Initializer, private readonly budget: WeightBudget) {
    super();
  }
  get className(): string {
    return this.original.className;
  }
  apply(shape: number[]): tf.Tensor {
    if (this.budget.closed) return this.original.apply(shape);
    this.budget.take(shape);
    return tf.zeros(shape);
  }
  override getConfig(): Record<string, unknown> {
    return this.original.getConfig();
  }
}

const RECURRENT_INITIALIZERS = { kernelInitializer: 'glorotUniform', recurrentInitializer: 'orthogonal', biasInitializer: 'zeros' };

// Initializer options of the built-in layers that create weights, with their defaults.
const DEFAULT_INITIALIZERS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  Dense: { kernelInitializer: 'glorotUniform', biasInitializer: 'zeros' },
  Conv2D: { kernelInitializer: 'glorotUniform', biasInitializer: 'zeros' },
  Conv2DTranspose: { kernelInitializer: 'glorotUniform', biasInitializer: 'zeros' },
  DepthwiseConv2D: { depthwiseInitializer: 'glorotUniform', biasInitializer: 'zeros' },
  SeparableConv2D: { depthwiseInitializer: 'glorotUniform', pointwiseInitializer: 'glorotUniform', biasInitializer: 'zeros' },
  BatchNormalization: {
    gammaInitializer: 'ones', betaInitializer: 'zeros', movingMeanInitializer: 'zeros', movingVarianceInitializer: 'ones',
  },
  PReLU: { alphaInitializer: 'zeros' },
  SimpleRNN: RECURRENT_INITIALIZERS,
  LSTM: RECURRENT_INITIALIZERS,
  GRU: RECURRENT_INITIALIZERS,
};

/**
 * Replaces every initializer option of a layer config (keys ending in `Initializer`, plus
 * the built-in layers' defaults when absent) by a budget-checking stand-in.
 * @param owner - names the layer in errors.
 */
export function guardInitializers(
  className: string, config: Record<string, unknown>, budget: WeightBudget, owner: string,
): Record<string, unknown> {
  const out = { ...config };
  const defaults = own(DEFAULT_INITIALIZERS, className) ?? {};
  const keys = new Set([...Object.keys(out).filter((k) => k.endsWith('Initializer')), ...Object.keys(defaults)]);
  for (const key of keys) {
    const given = (out[key] ?? defaults[key]) as InitializerIdentifier;
    let original: Initializer;
    try {
      original = getInitializer(given, owner, key);
    } catch (e) {
      throw new SerializationError(`${owner}: bad '${key}': ${(e as Error).message}`);
    }
    out[key] = new LoadingInitializer(original, budget);
  }
  return out;
}
