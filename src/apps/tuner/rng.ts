// Seeded random numbers for samplers: identical on every platform, so a seeded search repeats.

/** A source of uniform numbers in [0, 1). */
export type Rng = () => number;

/** mulberry32 seeded from any number of integers (a study seed and a trial number, say). */
export function makeRng(...seeds: number[]): Rng {
  let a = 0x9e3779b9;
  for (const s of seeds) {
    a = Math.imul(a ^ ((s % 4294967296) >>> 0) ^ Math.floor(s / 4294967296), 0x85ebca6b) >>> 0;
    a ^= a >>> 13;
  }
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal draw (Box–Muller). */
export function normal(rng: Rng): number {
  const u = 1 - rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}
