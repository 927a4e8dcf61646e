// The built package is usable the way users consume it: `import` (ESM) and `require`
// (CJS) from a scratch project, with gradients registered in both builds.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../..');
let dir = '';

beforeAll(() => {
  execFileSync('node', ['scripts/ensure-built.mjs'], { cwd: root, stdio: 'inherit' });
  dir = mkdtempSync(join(tmpdir(), 'strata-consumer-'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(root, join(dir, 'node_modules', 'strata'), 'dir');
}, 120_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const body = `
  await st.ready();
  const net = st.sequential([st.layers.dense({ units: 2, inputShape: [3] })]);
  net.compile({ optimizer: 'sgd', loss: 'mse' });
  const x = st.tf.ones([4, 3]);
  const h = await net.fit(x, st.tf.zeros([4, 2]), { epochs: 2, verbose: 0 });
  const g = st.tf.grad((t) => st.tf.sum(st.tf.square(t)))(st.tf.tensor([1, 2]));
  console.log(JSON.stringify({ backend: st.getBackend(), grad: Array.from(g.dataSync()),
    epochs: h.epoch.length, params: net.countParams(), slice: typeof x.slice }));
`;

/** Runs `code` in a fresh Node process; `backend` is STRATA_BACKEND, or null to leave it unset. */
function run(file: string, code: string, backend: string | null = 'cpu'): Record<string, unknown> {
  writeFileSync(join(dir, file), code);
  const env: NodeJS.ProcessEnv = { ...process.env, STRATA_BACKEND: backend ?? '' };
  if (backend === null) delete env.STRATA_BACKEND;
  const out = execFileSync('node', [file], { cwd: dir, encoding: 'utf8', env });
  return JSON.parse(out.trim().split('\n').pop()!);
}

describe('the built package', () => {
  it('works through import (ESM)', () => {
    const r = run('esm.mjs', `import * as st from 'strata';\n${body}`);
    expect(r).toEqual({ backend: 'cpu', grad: [2, 4], epochs: 2, params: 8, slice: 'function' });
  });

  it('works through require (CJS)', () => {
    const r = run('cjs.cjs', `const st = require('strata');\n(async () => {${body}})();`);
    expect(r).toEqual({ backend: 'cpu', grad: [2, 4], epochs: 2, params: 8, slice: 'function' });
  });

  // Tensor work on a script's first lines, before \`ready()\`: it runs on cpu while the
  // default wasm backend starts, instead of throwing "backend not yet initialized".
  for (const backend of [null, 'wasm']) {
    it(`runs tensor work made before ready() (${backend ?? 'default'} backend)`, () => {
      const r = run(`early-${backend ?? 'default'}.mjs`, `import * as st from 'strata';
        const x = st.tf.randomNormal([3, 2], 0, 1, 'float32', 1);
        const net = st.sequential([st.layers.dense({ units: 1, inputShape: [2] })]);
        const early = st.getBackend();
        const y = net.predict(x);
        const ready = await st.ready();
        const z = net.predict(x);
        console.log(JSON.stringify({ early, ready, same: Math.max(...st.tf.sub(y, z).abs().dataSync()) < 1e-6 }));`, backend);
      expect(r).toEqual({ early: 'cpu', ready: 'wasm', same: true });
    });
  }
});
