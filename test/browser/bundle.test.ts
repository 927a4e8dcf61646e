// The single-file page bundle (scripts/build-browser.mjs): it builds from the browser
// entry, carries no Node module, and exports the browser API. Runs without a browser.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBrowser, findNodeImports } from '../../scripts/build-browser.mjs';

describe('scripts/build-browser.mjs', () => {
  const out = mkdtempSync(join(tmpdir(), 'strata-bundle-'));
  let code = '';

  beforeAll(async () => {
    const { bundle } = await buildBrowser({ outDir: out, force: true, quiet: true });
    code = readFileSync(bundle, 'utf8');
  }, 120_000);

  afterAll(() => {
    rmSync(out, { recursive: true, force: true });
  });

  it('imports no Node module and nothing external: one self-contained ES module', () => {
    expect(findNodeImports(code)).toEqual([]);
    expect(code).not.toMatch(/^\s*import\s[^;]*?from\s*["']/m);
  });

  it('carries tfjs-core and the four backends', () => {
    for (const backend of ['cpu', 'wasm', 'webgl', 'webgpu']) {
      expect(code, backend).toMatch(new RegExp(`registerBackend\\(\\s*["']${backend}["']`));
    }
  });

  it('exports the browser API', () => {
    const exported = /export\s*\{([^}]*)\}\s*;?\s*(\/\/# sourceMappingURL=.*)?\s*(\/\*[\s\S]*)?$/.exec(code)?.[1] ?? '';
    const names = exported.split(',').map((s) => s.trim().split(/\s+as\s+/).pop()!);
    for (const name of ['setBackend', 'setWasmPaths', 'getBackend', 'ready', 'tf', 'layers', 'sequential', 'model', 'optimizers', 'datasets']) {
      expect(names, name).toContain(name);
    }
  });

  it('finds Node imports when there are some', () => {
    expect(findNodeImports('import { readFileSync } from "node:fs";\nconst x = 1;')).toHaveLength(1);
    expect(findNodeImports('import path from "path";')).toHaveLength(1);
    expect(findNodeImports('const m = await import("fs");')).toHaveLength(1);
    expect(findNodeImports('const s = `if (node) { var fs = require("fs") }`;')).toEqual([]);
  });
});
