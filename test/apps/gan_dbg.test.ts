import { it } from 'vitest';
import * as st from '../../src/index.js';
import { makeGan, realData, sampleStats, disposeAll } from './gan_models.js';
const { tf } = st;
it('dbg', async () => {
  await st.setBackend('cpu');
  const g = makeGan();
  const x = realData(100);
  for (let i = 0; i < 4; i++) {
    await g.fit(x, { epochs: 2, batchSize: 20, verbose: 0 });
    const info = tf.memory() as { numTensors: number };
    console.log('COUNT', i, info.numTensors, g.discriminatorOptimizer!.iterations, g.generatorOptimizer!.iterations);
  }
  for (const loss of ['minimax', 'nonSaturating'] as const) {
    const g2 = makeGan({ loss });
    const s0 = sampleStats(g2, 2000);
    console.log('LOSS', loss, 'before', s0.mean.toFixed(3), s0.std.toFixed(3));
    const x2 = realData(1000);
    await g2.fit(x2, { epochs: 6, batchSize: 32, seed: 7, verbose: 0, callbacks: [{ onEpochEnd: (e: number, l: st.Logs) => { const s = sampleStats(g2, 2000); console.log('LOSS', loss, e, JSON.stringify(l), s.mean.toFixed(3), s.std.toFixed(3)); } }] });
    disposeAll(g2); x2.dispose();
  }
}, 600000);
