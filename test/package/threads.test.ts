// The built package starts the threaded wasm build in Node (ESM and CJS), honours
// STRATA_THREADS, and scripts that never call process.exit still end by themselves.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../..');
let dir = '';

beforeAll(() => {
  spawnSync('node', ['scripts/ensure-built.mjs'], { cwd: root, stdio: 'inherit' });
  dir = mkdtempSync(join(tmpdir(), 'strata-threads-'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(root, join(dir, 'node_modules', 'strata'), 'dir');
}, 300_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const body = `
  await st.ready();
  const a = st.tf.randomNormal([256, 256], 0, 1, 'float32', 1);
  const b = st.tf.randomNormal([256, 256], 0, 1, 'float32', 2);
  const c = st.tf.matMul(a, b);
  const s = c.sum().dataSync()[0];
  const pool = st.tf.backend().wasm.tfjs.getThreadsCount();
  console.log(JSON.stringify({ backend: st.getBackend(), threads: st.getThreads(), pool, build: st.threadsInfo().build, finite: Number.isFinite(s) }));
`;

/** Runs a script with no process.exit; it must end by itself well inside the limit. */
function run(file: string, code: string, threads: string | undefined): Record<string, unknown> {
  writeFileSync(join(dir, file), code);
  const env: NodeJS.ProcessEnv = { ...process.env, STRATA_THREADS: threads };
  if (threads === undefined) delete env.STRATA_THREADS;
  delete env.STRATA_BACKEND;
  const r = spawnSync('node', [file], { cwd: dir, encoding: 'utf8', env, timeout: 60_000 });
  expect(r.signal, `the script did not end by itself: ${r.stderr}`).toBeNull();
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

describe('threads from the built package', () => {
  for (const threads of ['2', '1']) {
    const expected = { backend: 'wasm', threads: Number(threads), pool: Number(threads), build: threads === '1' ? 'simd' : 'threaded-simd', finite: true };
    it(`ESM, STRATA_THREADS=${threads}: runs on ${threads} thread(s) and exits by itself`, () => {
      expect(run(`esm-${threads}.mjs`, `import * as st from 'strata';\n${body}`, threads)).toEqual(expected);
    });
    it(`CJS, STRATA_THREADS=${threads}: runs on ${threads} thread(s) and exits by itself`, () => {
      expect(run(`cjs-${threads}.cjs`, `const st = require('strata');\n(async () => {${body}})();`, threads)).toEqual(expected);
    });
  }

  it('products and filter gradients split across threads give the same bits as on one thread', () => {
    const code = `import * as st from 'strata';
      import { createHash } from 'node:crypto';
      await st.ready();
      const a = st.tf.randomNormal([300, 200], 0, 1, 'float32', 3);
      const b = st.tf.randomNormal([200, 260], 0, 1, 'float32', 4);
      const grads = st.tf.grads((x, y) => st.tf.sum(st.tf.square(st.tf.matMul(x, y))))([a, b]);
      // Filter gradients (strata's loops): by rectangles, and split along the pixels.
      const filterGrad = (x, dy, filterShape) => st.tf.engine().runKernel('Conv2DBackpropFilter',
        { x: st.tf.randomNormal(x, 0, 1, 'float32', 5), dy: st.tf.randomNormal(dy, 0, 1, 'float32', 6) },
        { strides: 1, pad: 'valid', dataFormat: 'NHWC', filterShape });
      const filters = [filterGrad([32, 13, 13, 16], [32, 11, 11, 32], [3, 3, 16, 32]), filterGrad([32, 28, 28, 1], [32, 26, 26, 16], [3, 3, 1, 16])];
      const bytes = [st.tf.matMul(a, b), st.tf.matMul(a, b, false, false), ...grads, ...filters].map((t) => new Uint8Array(t.dataSync().buffer));
      const digest = createHash('sha256');
      for (const x of bytes) digest.update(x);
      console.log(JSON.stringify({ threads: st.getThreads(), digest: digest.digest('hex') }));`;
    const two = run('digest-2.mjs', code, '2');
    const one = run('digest-1.mjs', code, '1');
    expect([two.threads, one.threads]).toEqual([2, 1]);
    expect(two.digest).toBe(one.digest);
  });

  it('defaults to every core; setThreads after the default start has begun replaces the running pool', () => {
    const cores = `(await import('node:os')).availableParallelism()`;
    const byDefault = run('default.mjs', `import * as st from 'strata';\nconst cores = ${cores};\n${body.replace('console.log(JSON.stringify({', 'console.log(JSON.stringify({ cores,')}`, undefined);
    expect(byDefault).toMatchObject({ backend: 'wasm', pool: byDefault.cores, threads: byDefault.cores });
    // The default start (every core) is under way when the script asks for 1 thread.
    const late = `import * as st from 'strata';\nawait new Promise((r) => setTimeout(r, 20));\nawait st.setThreads(1);\n${body}`;
    expect(run('late.mjs', late, undefined)).toMatchObject({ backend: 'wasm', threads: 1, pool: 1, build: 'simd' });
    const lateUp = `import * as st from 'strata';\nawait new Promise((r) => setTimeout(r, 20));\nawait st.setThreads(2);\n${body}`;
    expect(run('late-up.mjs', lateUp, '1')).toMatchObject({ backend: 'wasm', threads: 2, pool: 2, build: 'threaded-simd' });
  });

  it('falls back to the single-threaded SIMD build, with the reason, when the threaded one cannot start', () => {
    // Without process.getBuiltinModule (Node < 20.16) the threaded start cannot reach Node's modules.
    const code = `process.getBuiltinModule = undefined;
      const st = await import('strata');
      await st.ready();
      const info = st.threadsInfo();
      const s = st.tf.sum(st.tf.matMul(st.tf.ones([64, 64]), st.tf.ones([64, 64]))).dataSync()[0];
      console.log(JSON.stringify({ backend: st.getBackend(), build: info.build, active: info.active, reason: info.fallbackReason, s }));`;
    writeFileSync(join(dir, 'fallback.mjs'), code);
    const env: NodeJS.ProcessEnv = { ...process.env, STRATA_THREADS: '2' };
    delete env.STRATA_BACKEND;
    const r = spawnSync('node', ['fallback.mjs'], { cwd: dir, encoding: 'utf8', env, timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/wasm threads unavailable \(threaded wasm: needs Node >= 20\.16/);
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
    expect(out).toMatchObject({ backend: 'wasm', build: 'simd', active: 1, s: 64 * 64 * 64 });
    expect(out.reason).toMatch(/getBuiltinModule/);
  });
});
