// st.applications.mobileNetV2({ weights: 'nsfwjs' }) from a scratch project that installed
// the packed strata (`npm pack`) and nsfwjs: it predicts what tfjs-layers predicts for
// nsfwjs' own model (top-1 equal, max abs diff <= 1e-5), and takes 96 × 96 inputs.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as st from '../../src/index.js';
import { nsfwjsArtifacts } from '../../src/io/node/nsfwjs.js';

const { tf } = st;
const root = resolve(__dirname, '../..');
let dir = '';

beforeAll(() => {
  execFileSync('node', ['scripts/ensure-built.mjs'], { cwd: root, stdio: 'inherit' });
  dir = mkdtempSync(join(tmpdir(), 'strata-apps-consumer-'));
  execFileSync('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', dir], { cwd: root, stdio: 'pipe' });
  const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'))!;
  const mods = join(dir, 'node_modules');
  mkdirSync(join(mods, 'strata'), { recursive: true });
  execFileSync('tar', ['-xzf', join(dir, tarball), '-C', join(mods, 'strata'), '--strip-components=1']);
  // The installed dependencies (no registry here): strata's own and nsfwjs, as npm would place them.
  for (const dep of ['@tensorflow', 'h5wasm', 'fflate', 'pngjs', 'nsfwjs', 'seedrandom', 'long']) {
    try {
      symlinkSync(join(root, 'node_modules', dep), join(mods, dep), 'dir');
    } catch {
      // not every one is a separate package in every install
    }
  }
}, 180_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Two test images, pixels in 0…255 from a fixed formula; its source runs in the child too. */
function pixels(size: number): number[] {
  return Array.from({ length: 2 * size * size * 3 }, (_, i) =>
    i % 3 === 0 ? (i * 37) % 256 : i % 3 === 1 ? Math.floor(i / (size * 3)) % 256 : (i * 11 + 7) % 256);
}
const imageCode = (size: number) => `(${pixels.toString()})(${size})`;

function run(code: string): { shape: number[]; values: number[] } {
  const file = join(dir, 'probe.mjs');
  writeFileSync(file, code);
  const out = execFileSync('node', [file], { cwd: dir, encoding: 'utf8', env: { ...process.env, STRATA_BACKEND: 'wasm' } });
  return JSON.parse(out.trim().split('\n').pop()!);
}

describe('weights: nsfwjs from the installed package', () => {
  it('MobileNetV2 with its top at 224 predicts what tfjs-layers predicts; 96 × 96 without the top works', async () => {
    const r = run(`import * as st from 'strata';
      await st.ready();
      const net = await st.applications.mobileNetV2({ weights: 'nsfwjs' });
      const raw = st.tf.tensor(${imageCode(224)}, [2, 224, 224, 3]);
      const y = net.predict(st.applications.mobileNetV2.preprocessInput(raw));
      const small = await st.applications.mobileNetV2({ weights: 'nsfwjs', includeTop: false, pooling: 'avg', inputShape: [96, 96, 3] });
      const f = small.predict(st.tf.zeros([1, 96, 96, 3]));
      if (f.shape.join() !== '1,1280') throw new Error('96x96 features have shape ' + f.shape);
      console.log(JSON.stringify({ shape: y.shape, values: Array.from(y.dataSync()) }));`);
    await st.setBackend('wasm');
    const ref = await tfl.loadLayersModel(tf.io.fromMemory(nsfwjsArtifacts('mobilenet_v2')) as never);
    const expected = tf.tidy(() => {
      const raw = tf.tensor(pixels(224), [2, 224, 224, 3]);
      return ref.predict(st.applications.mobileNetV2.preprocessInput(raw)) as st.tf.Tensor;
    });
    const got = tf.tensor(r.values, r.shape);
    expect(r.shape).toEqual([2, 5]);
    const top1 = (t: st.tf.Tensor) => Array.from(tf.tidy(() => tf.argMax(t, -1)).dataSync());
    expect(top1(got)).toEqual(top1(expected));
    expect(tf.tidy(() => tf.max(tf.abs(tf.sub(got, expected))).dataSync()[0]!)).toBeLessThanOrEqual(1e-5);
    tf.dispose([got, expected]);
    ref.dispose();
  }, 180_000);
});
