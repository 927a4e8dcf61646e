import { tf } from '../../backend/tf.js';
import type { Logs } from '../../training/callbacks/callback.js';

/** The names of a GAN epoch's logs, in the order the progress bar shows them. */
export const GAN_LOG_NAMES = ['d_loss', 'g_loss', 'd_real', 'd_fake'] as const;

/**
 * The running sums of an epoch, kept on the device so no step reads anything back:
 * discriminator loss, mean D(x) and mean D(G(z)) (weighted by batch size, over the
 * discriminator steps) and the generator loss (over the generator steps). The sample
 * counts are known on the host.
 */
export class GanStats {
  // Made inside tidy: tf.variable copies its initial value, which must not outlive it.
  private readonly dSums = tf.tidy(() => tf.variable(tf.zeros([3]), false));
  private readonly gSum = tf.tidy(() => tf.variable(tf.zeros([1]), false));
  private dCount = 0;
  private gCount = 0;

  /** Adds one discriminator step over `n` real (and `n` counterfeit) samples. */
  addDiscriminator(loss: tf.Scalar, meanReal: tf.Scalar, meanFake: tf.Scalar, n: number): void {
    tf.tidy(() => this.dSums.assign(tf.add(this.dSums, tf.mul(tf.stack([loss, meanReal, meanFake]), n))));
    this.dCount += n;
  }

  /** Adds one generator step over `n` noise vectors. */
  addGenerator(loss: tf.Scalar, n: number): void {
    tf.tidy(() => this.gSum.assign(tf.add(this.gSum, tf.mul(tf.reshape(loss, [1]), n))));
    this.gCount += n;
  }

  /**
   * The means so far (one device → host copy). `g_loss` is left out while no generator
   * step has run in the epoch, rather than reported as NaN.
   */
  async read(): Promise<Logs> {
    const packed = tf.concat([this.dSums, this.gSum]);
    const v = await packed.data();
    packed.dispose();
    const d = Math.max(this.dCount, 1);
    const logs: Logs = { d_loss: v[0]! / d };
    if (this.gCount > 0) logs.g_loss = v[3]! / this.gCount;
    logs.d_real = v[1]! / d;
    logs.d_fake = v[2]! / d;
    return logs;
  }

  /** Starts new sums (at each epoch). */
  reset(): void {
    tf.tidy(() => {
      this.dSums.assign(tf.zeros([3]));
      this.gSum.assign(tf.zeros([1]));
    });
    this.dCount = 0;
    this.gCount = 0;
  }

  /** Frees the sums. */
  dispose(): void {
    this.dSums.dispose();
    this.gSum.dispose();
  }
}
