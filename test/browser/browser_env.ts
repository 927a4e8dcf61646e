// Shared set-up of the browser tests: build the page bundle into a fresh folder, serve it
// on 127.0.0.1 with COOP/COEP headers, and drive Debian's Chromium headless through
// playwright-core. Without Chromium the tests are skipped with a message, except under
// CI=true, where its absence fails the run.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll } from 'vitest';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { buildBrowser } from '../../scripts/build-browser.mjs';
import { startServer } from '../../scripts/serve.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The Chromium binary; `STRATA_CHROMIUM` overrides the Debian package's path. */
export const CHROMIUM = process.env.STRATA_CHROMIUM ?? '/usr/bin/chromium';

/** Whether the browser tests can run here. */
export const hasChromium = existsSync(CHROMIUM);

/** Whether a missing Chromium must fail the run rather than skip it. */
export const requireChromium = process.env.CI === 'true';

/**
 * Flags Chromium needs here: headless without a sandbox (containers), WebGPU enabled
 * (it is behind a flag on Linux; SwiftShader provides the adapter), and no network
 * traffic of its own (the machines have no outside network).
 */
export const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  '--disable-gpu-sandbox',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The backends every browser test runs on. */
export const BROWSER_BACKENDS = ['webgl', 'webgpu', 'wasm', 'cpu'] as const;
export type BrowserBackend = (typeof BROWSER_BACKENDS)[number];

/**
 * Says once why the browser tests do not run, and throws under CI=true. Call at the top
 * of each browser test file, before `describe.skipIf(!hasChromium)`.
 */
export function announceSkip(file: string): void {
  if (hasChromium) return;
  const why = `no Chromium at ${CHROMIUM} (install Debian's 'chromium' package or set STRATA_CHROMIUM)`;
  if (requireChromium) throw new Error(`${file}: ${why}; CI=true requires the browser tests to run`);
  console.warn(`strata browser tests: ${file} skipped, ${why}`);
}

/** A running server and browser; `close` stops both and removes the temporary files. */
export interface BrowserEnv {
  url: string;
  context: BrowserContext;
  /** Opens the blank page, loads strata (as `window.st`) and the test cases (as `window.cases`) and selects `backend`. */
  openBackend(backend: BrowserBackend): Promise<Page>;
  close(): Promise<void>;
}

/** Builds the bundle and the test cases, starts the server and Chromium. */
export async function startBrowserEnv(): Promise<BrowserEnv> {
  const dist = mkdtempSync(join(tmpdir(), 'strata-browser-dist-'));
  const profile = mkdtempSync(join(tmpdir(), 'strata-browser-profile-'));
  await buildBrowser({ outDir: dist, quiet: true });
  await build({
    absWorkingDir: ROOT,
    entryPoints: ['test/browser/cases.ts'],
    outfile: join(dist, 'test', 'cases.js'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    logLevel: 'warning',
  });
  const server = await startServer({ dist });
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1100, height: 900 },
  });
  const url = server.url;
  return {
    url,
    context,
    async openBackend(backend) {
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${url}/blank.html`);
      // A string, not a function: the test transform would rewrite a function's import().
      await page.evaluate(`(async () => {
        window.st = await import('/dist/strata.browser.js');
        window.cases = await import('/dist/test/cases.js');
        window.st.setWasmPaths('/wasm/');
        await window.st.setBackend(${JSON.stringify(backend)});
      })()`);
      if (errors.length > 0) throw new Error(`page errors on ${backend}: ${errors.join('; ')}`);
      return page;
    },
    async close() {
      await context.close();
      await server.close();
      rmSync(dist, { recursive: true, force: true });
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Largest violation of `|a - b| <= rtol * |b| + atol * scale`, where `scale` is the
 * largest magnitude in the reference `b` (so sums of many terms get room in proportion);
 * at most 1 when every element is within tolerance.
 */
export function closeness(a: number[], b: number[], rtol: number, atol: number): number {
  if (a.length !== b.length) return Infinity;
  const scale = Math.max(1e-6, ...b.map(Math.abs));
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const err = Math.abs(a[i]! - b[i]!);
    if (!Number.isFinite(a[i]!)) return Infinity;
    worst = Math.max(worst, err / (rtol * Math.abs(b[i]!) + atol * scale));
  }
  return worst;
}

/** Float32 tolerances per backend: GPU backends sum in other orders and approximate exp/tanh. */
export const TOLERANCE: Record<BrowserBackend, { rtol: number; atol: number }> = {
  cpu: { rtol: 1e-5, atol: 1e-6 },
  wasm: { rtol: 1e-4, atol: 1e-5 },
  webgl: { rtol: 1e-3, atol: 1e-4 },
  webgpu: { rtol: 1e-3, atol: 1e-4 },
};

/**
 * Starts one browser environment for the enclosing `describe` (in its `beforeAll`) and
 * closes it after; returns a getter for the suites that share it.
 */
export function useBrowserEnv(): () => BrowserEnv {
  let env: BrowserEnv | undefined;
  beforeAll(async () => {
    env = await startBrowserEnv();
  }, 180_000);
  afterAll(async () => {
    await env?.close();
  });
  return () => {
    if (!env) throw new Error('the browser environment did not start');
    return env;
  };
}
