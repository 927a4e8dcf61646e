// Uncaught errors keep Node's behaviour under the wasm backend: the glue's process-wide
// handlers are removed, so a failing script exits 1 with its own message. Runs the built
// package in child processes, as users run it.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../..');
let dir = '';

beforeAll(() => {
  execFileSync('node', ['scripts/ensure-built.mjs'], { cwd: root, stdio: 'inherit' });
  dir = mkdtempSync(join(tmpdir(), 'strata-uncaught-'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(root, join(dir, 'node_modules', 'strata'), 'dir');
}, 120_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function run(file: string, fail: string, backend: string | null) {
  writeFileSync(join(dir, file), `import * as st from 'strata';
const backend = await st.ready();
st.tf.ones([2]).dispose();
console.log('backend=' + backend + ' uncaught=' + process.listeners('uncaughtException').length +
  ' unhandled=' + process.listeners('unhandledRejection').length);
${fail}
`);
  const env: NodeJS.ProcessEnv = { ...process.env, STRATA_BACKEND: backend ?? '' };
  if (backend === null) delete env.STRATA_BACKEND;
  const r = spawnSync('node', [file], { cwd: dir, encoding: 'utf8', env, timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('uncaught errors keep Node behaviour', () => {
  for (const backend of ['wasm', null]) {
    it(`a script that throws exits 1 with its own message (${backend ?? 'default'} backend)`, () => {
      const r = run(`throw-${backend}.mjs`, `throw new Error('my own failure');`, backend);
      expect(r.out).toContain('backend=wasm uncaught=0 unhandled=0');
      expect(r.code).toBe(1);
      expect(r.err).toContain('Error: my own failure');
      expect(r.err.length).toBeLessThan(4_000);
    });
  }

  it('an unhandled rejection exits 1 with its own message', () => {
    const r = run('reject.mjs', `void Promise.reject(new Error('my own rejection'));`, 'wasm');
    expect(r.code).toBe(1);
    expect(r.err).toContain('my own rejection');
    expect(r.err.length).toBeLessThan(4_000);
  });
});
