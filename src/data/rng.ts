// Permutations for shuffling: seeded (reproducible across runs and platforms) or not.

/** mulberry32: a small 32-bit generator, good enough to shuffle samples, identical everywhere. */
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

/** A uniformly random permutation of `0..n-1` (Fisher–Yates); reproducible when `seed` is given. */
export function permutation(n: number, seed?: number): Int32Array {
  // Seeds beyond 32 bits fold their high part in, so 1 and 2**32 + 1 differ.
  const random = seed === undefined ? Math.random : mulberry32((seed % 4294967296) ^ Math.floor(seed / 4294967296));
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = perm[i]!;
    perm[i] = perm[j]!;
    perm[j] = t;
  }
  return perm;
}

/**
 * A source of uniform numbers in [0, 1): seeded (the same sequence on every run and platform)
 * when `seed` is given, `Math.random` otherwise. Seeds beyond 32 bits fold their high part in.
 */
export function uniformSource(seed?: number): () => number {
  return seed === undefined ? Math.random : mulberry32((seed % 4294967296) ^ Math.floor(seed / 4294967296));
}
