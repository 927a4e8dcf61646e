/**
 * The wasm SIMD GEMM peak of this machine: the best matMul throughput strata's wasm
 * backend (XNNPACK underneath) reaches on square products, with the thread count given
 * by `STRATA_THREADS`. The parent runs it once per thread count in a fresh process and
 * reads one line `@@gemm {"threads":…,"gflops":…,"size":…}`; the benchmark's GFLOP/s are
 * reported as fractions of it.
 *
 *   STRATA_THREADS=1 node --import tsx bench/gemm_peak.ts [seconds per size]
 */
import * as st from 'strata';

const { tf } = st;

async function main(): Promise<void> {
  await st.ready();
  const perSize = Number(process.argv[2] ?? 1);
  let best = { size: 0, gflops: 0 };
  for (const size of [256, 512, 1024]) {
    const a = tf.randomNormal([size, size], 0, 1, 'float32', 1);
    const b = tf.randomNormal([size, size], 0, 1, 'float32', 2);
    tf.matMul(a, b).dispose();
    // Median of short timed runs, so a burst of load elsewhere counts once.
    const rates: number[] = [];
    const end = performance.now() + perSize * 1000;
    while (performance.now() < end || rates.length < 3) {
      const t0 = performance.now();
      let reps = 0;
      while (performance.now() - t0 < 150 || reps === 0) {
        tf.matMul(a, b).dispose();
        reps++;
      }
      rates.push((2 * size ** 3 * reps) / ((performance.now() - t0) / 1000) / 1e9);
    }
    rates.sort((x, y) => x - y);
    const gflops = rates[rates.length >> 1]!;
    if (gflops > best.gflops) best = { size, gflops };
    tf.dispose([a, b]);
  }
  console.log(`@@gemm ${JSON.stringify({ threads: st.getThreads(), build: st.threadsInfo().build, ...best })}`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
