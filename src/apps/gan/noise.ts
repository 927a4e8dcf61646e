import { tf } from '../../backend/tf.js';

/** mulberry32: a small 32-bit generator, identical on every platform. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A stream of random draws for one training run: every call gives fresh values, and a
 * seeded stream gives the same sequence on every run. Each draw gets its own seed from
 * the stream, since tfjs' seeded ops repeat the same values for the same seed.
 */
export class RandomStream {
  private readonly next: (() => number) | undefined;

  constructor(seed?: number) {
    // Seeds beyond 32 bits fold their high part in, so 1 and 2**32 + 1 differ.
    this.next = seed === undefined ? undefined : mulberry32((seed % 4294967296) ^ Math.floor(seed / 4294967296));
  }

  /** A seed for one draw, or undefined for an unseeded stream. */
  seed(): number | undefined {
    return this.next ? Math.floor(this.next() * 2147483647) : undefined;
  }

  /** Standard normal noise `[n, latentDim]`. */
  noise(n: number, latentDim: number): tf.Tensor2D {
    return tf.randomNormal([n, latentDim], 0, 1, 'float32', this.seed());
  }
}
