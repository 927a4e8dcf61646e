import * as optimizers from '../../src/optimizers/index.js';

/** One factory per optimizer variant, with non-default settings so every slot is used. */
export const VARIANTS: Record<string, () => optimizers.Optimizer> = {
  sgd: () => optimizers.sgd({ learningRate: 0.1 }),
  momentum: () => optimizers.momentum({ learningRate: 0.1, momentum: 0.8 }),
  nesterov: () => optimizers.momentum({ learningRate: 0.1, momentum: 0.8, nesterov: true }),
  adam: () => optimizers.adam({ learningRate: 0.1, beta1: 0.8, beta2: 0.5 }),
  amsgrad: () => optimizers.adam({ learningRate: 0.1, beta1: 0.8, beta2: 0.5, amsgrad: true }),
  adamw: () => optimizers.adamw({ learningRate: 0.1, weightDecay: 0.1 }),
  rmsprop: () => optimizers.rmsprop({ learningRate: 0.05 }),
  'rmsprop centered + momentum': () => optimizers.rmsprop({ learningRate: 0.05, centered: true, momentum: 0.5, epsilon: 1e-2 }),
  adagrad: () => optimizers.adagrad({ learningRate: 0.1 }),
  'adam + clipNorm': () => optimizers.adam({ learningRate: 0.1, clipNorm: 0.5 }),
  'sgd + globalClipNorm': () => optimizers.sgd({ learningRate: 0.1, globalClipNorm: 0.5 }),
  'momentum + clipValue': () => optimizers.momentum({ clipValue: 0.2 }),
  'adam + schedule': () =>
    optimizers.adam({ learningRate: optimizers.cosineDecay({ initialLearningRate: 0, warmupTarget: 0.1, warmupSteps: 2, decaySteps: 5 }) }),
};
