import type { tf } from '../../backend/tf.js';
import { ValueError } from '../../engine/errors.js';
import type { Model } from '../../io/models.js';
import { preprocessInput, type PreprocessMode } from './imagenet.js';
import type { ApplicationOptions } from './options.js';
import { buildWithWeights, type Build, type NsfwjsFamily, type WeightsEnv } from './weights.js';

/**
 * A `keras.applications` builder: call it (async) to build the model and load its
 * `weights`; `build` makes it synchronously without weights; `preprocessInput` turns RGB
 * pixels in 0…255 into what the family's pretrained weights expect.
 */
export interface Application<O extends ApplicationOptions> {
  /** Builds the model and loads `opts.weights` (default none). */
  (opts?: O): Promise<Model>;
  /** Builds the model with random weights (`opts.weights` must be null or left out). */
  build(opts?: O): Model;
  /** Keras' `preprocess_input` of this family, for pixels in 0…255; returns a new tensor. */
  preprocessInput(x: tf.Tensor): tf.Tensor;
  /** The `preprocess_input` mode of this family. */
  readonly preprocessMode: PreprocessMode;
}

/** What makes a family. */
export interface Family<O extends ApplicationOptions> {
  owner: string;
  build: Build<O>;
  preprocess: PreprocessMode;
  nsfwjs?: NsfwjsFamily;
}

/** One family's {@link Application}, reading weights through `env`. */
export function application<O extends ApplicationOptions>(family: Family<O>, env: WeightsEnv): Application<O> {
  const make = (opts?: O) => buildWithWeights(family.owner, family.build, opts ?? ({} as O), env, family.nsfwjs);
  return Object.assign(make, {
    build(opts?: O): Model {
      const o = opts ?? ({} as O);
      if (o.weights !== undefined && o.weights !== null) {
        throw new ValueError(`${family.owner}.build: builds without weights; call ${family.owner}({ weights }) (async) to load them`);
      }
      return family.build(o);
    },
    preprocessInput: (x: tf.Tensor) => preprocessInput(x, family.preprocess),
    preprocessMode: family.preprocess,
  });
}
