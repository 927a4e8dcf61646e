// Builds the single-file ES module that pages load (dist/strata.browser.js: strata's
// browser entry with tfjs-core and the cpu, wasm, webgl and webgpu backends inside) and
// the browser demo (dist/demo/app.js, which imports the former at run time). Fails when
// a Node module would end up in the page bundle.
//
//   node scripts/build-browser.mjs            build both when sources changed
//   node scripts/build-browser.mjs --force    build both
import { build } from 'esbuild';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The URL path pages import the bundle from (the server maps `/dist/` to the output folder). */
export const BUNDLE_URL = '/dist/strata.browser.js';

const NODE_BUILTINS = [
  'fs', 'path', 'url', 'os', 'crypto', 'util', 'module', 'child_process', 'worker_threads',
  'perf_hooks', 'stream', 'zlib', 'http', 'https', 'net', 'tty', 'buffer', 'process',
];

/**
 * Finds static or dynamic imports of Node modules in bundled ES module code (a `require`
 * inside a string, such as the wasm backend's Node-guarded worker source, is not one).
 * @param {string} code
 * @returns {string[]} the offending import statements
 */
export function findNodeImports(code) {
  const names = `(?:node:[\\w/]+|${NODE_BUILTINS.join('|')})`;
  const patterns = [
    new RegExp(`^\\s*import\\s[^;]*?from\\s*["']${names}["']`, 'gm'),
    new RegExp(`^\\s*import\\s*["']${names}["']`, 'gm'),
    new RegExp(`^\\s*export\\s[^;]*?from\\s*["']${names}["']`, 'gm'),
    new RegExp(`\\bimport\\s*\\(\\s*["']${names}["']\\s*\\)`, 'g'),
  ];
  return patterns.flatMap((re) => code.match(re) ?? []);
}

function newest(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let t = st.mtimeMs;
  for (const e of readdirSync(path)) t = Math.max(t, newest(join(path, e)));
  return t;
}

function stale(outfile, inputs) {
  if (!existsSync(outfile)) return true;
  const built = statSync(outfile).mtimeMs;
  return inputs.some((p) => newest(join(ROOT, p)) > built);
}

// The demo imports strata's types from the sources, and strata itself from the page
// bundle at run time, so the page loads one copy of tfjs.
const strataAsPageBundle = {
  name: 'strata-as-page-bundle',
  setup(b) {
    b.onResolve({ filter: /(^|\/)src\/browser(\.js|\.ts)?$/ }, () => ({ path: BUNDLE_URL, external: true }));
  },
};

/**
 * Builds the page bundle (`<outDir>/strata.browser.js`) and the demo
 * (`<outDir>/demo/app.js`), each only when its sources are newer than it.
 * @param {{ outDir?: string, force?: boolean, minify?: boolean, quiet?: boolean }} [opts]
 *   `outDir` defaults to the repository's dist/.
 * @returns {Promise<{ bundle: string, demo: string, rebuilt: boolean }>}
 */
export async function buildBrowser(opts = {}) {
  const { force = false, minify = false, quiet = false } = opts;
  const outDir = resolve(opts.outDir ?? join(ROOT, 'dist'));
  const BUNDLE_FILE = join(outDir, 'strata.browser.js');
  const DEMO_FILE = join(outDir, 'demo', 'app.js');
  const needBundle = force || stale(BUNDLE_FILE, ['src', 'package-lock.json', 'scripts/build-browser.mjs']);
  const needDemo = force || needBundle || stale(DEMO_FILE, ['examples/browser', 'scripts/build-browser.mjs']);
  if (needBundle) {
    const result = await build({
      absWorkingDir: ROOT,
      entryPoints: ['src/browser.ts'],
      outfile: BUNDLE_FILE,
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      sourcemap: true,
      minify,
      write: true,
      metafile: true,
      logLevel: 'warning',
      legalComments: 'eof',
    });
    const code = readFileSync(BUNDLE_FILE, 'utf8');
    const bad = findNodeImports(code);
    const externals = Object.values(result.metafile.outputs).flatMap((o) => o.imports.filter((i) => i.external).map((i) => i.path));
    if (bad.length > 0 || externals.length > 0) {
      throw new Error(`build-browser: the page bundle imports Node or external modules: ${[...bad, ...externals].join(', ')}`);
    }
    if (!quiet) console.log(`built ${BUNDLE_FILE} (${(code.length / 1e6).toFixed(1)} MB)`);
  }
  if (needDemo) {
    await build({
      absWorkingDir: ROOT,
      entryPoints: ['examples/browser/app.ts'],
      outfile: DEMO_FILE,
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      sourcemap: true,
      plugins: [strataAsPageBundle],
      logLevel: 'warning',
    });
    if (!quiet) console.log(`built ${DEMO_FILE}`);
  }
  return { bundle: BUNDLE_FILE, demo: DEMO_FILE, rebuilt: needBundle || needDemo };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  buildBrowser({ force: process.argv.includes('--force'), minify: process.argv.includes('--minify') }).catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
