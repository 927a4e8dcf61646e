import { tf } from '../../backend/tf.js';
import type { Network } from '../../models/network.js';
import type { Optimizer } from '../../optimizers/optimizer.js';
import { discriminatorLoss, generatorLoss } from './losses.js';
import type { RandomStream } from './noise.js';
import type { GanLossName } from './options.js';
import type { GanStats } from './stats.js';

/** The two networks and the noise size. */
export interface GanParts {
  generator: Network;
  discriminator: Network;
  latentDim: number;
}

function withPenalties(loss: tf.Scalar, net: Network): tf.Scalar {
  const reg = net.regularizationLosses();
  return reg.length ? (tf.add(loss, tf.addN(reg)) as tf.Scalar) : loss;
}

/**
 * Minimizes `lossFn` over the trainable weights of `net` only, read now (so freezing
 * needs no recompile), and applies the step with `optimizer`. Runs inside the caller's
 * tidy; returns the loss value. With nothing trainable it only evaluates the loss.
 */
function minimize(net: Network, optimizer: Optimizer, lossFn: () => tf.Scalar): tf.Scalar {
  const vars = net.trainableWeights.map((w) => w.read());
  if (vars.length === 0) return lossFn();
  const { value, grads } = tf.variableGrads(lossFn, vars);
  optimizer.applyGradients(vars.filter((v) => grads[v.name]).map((v) => ({ variable: v, gradient: grads[v.name]! })));
  return value;
}

/**
 * One discriminator step: fresh noise gives `real.shape[0]` counterfeits (the generator
 * runs outside the gradient, so nothing flows into it), then D is updated towards
 * 1 − `smoothing` on `real` and 0 on the counterfeits. Adds loss, mean D(x) and mean
 * D(G(z)) to `stats` on the device.
 */
export function discriminatorStep(parts: GanParts, optimizer: Optimizer, real: tf.Tensor, random: RandomStream,
  smoothing: number, stats: GanStats): void {
  const { generator, discriminator, latentDim } = parts;
  const n = real.shape[0]!;
  tf.tidy(() => {
    const fake = generator.forward([random.noise(n, latentDim)], { training: true })[0]!;
    let pReal: tf.Tensor | undefined;
    let pFake: tf.Tensor | undefined;
    const loss = minimize(discriminator, optimizer, () => {
      pReal = tf.keep(discriminator.forward([real], { training: true })[0]!);
      pFake = tf.keep(discriminator.forward([fake], { training: true })[0]!);
      return withPenalties(discriminatorLoss(pReal, pFake, smoothing), discriminator);
    });
    stats.addDiscriminator(loss, tf.mean(pReal!), tf.mean(pFake!), n);
    tf.dispose([pReal!, pFake!]);
  });
}

/**
 * One generator step on `n` fresh noise vectors: G is updated to make D(G(z)) larger,
 * through D's weights but with gradients only for G's. Adds the loss to `stats`.
 */
export function generatorStep(parts: GanParts, optimizer: Optimizer, n: number, random: RandomStream,
  kind: GanLossName, stats: GanStats): void {
  const { generator, discriminator, latentDim } = parts;
  tf.tidy(() => {
    const z = random.noise(n, latentDim);
    const loss = minimize(generator, optimizer, () => {
      const fake = generator.forward([z], { training: true })[0]!;
      const pFake = discriminator.forward([fake], { training: true })[0]!;
      return withPenalties(generatorLoss(pFake, kind), generator);
    });
    stats.addGenerator(loss, n);
  });
}
