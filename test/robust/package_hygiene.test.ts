// What the published tarball holds: a LICENSE, and no source maps.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../..');
let files: { path: string; size: number }[] = [];

beforeAll(() => {
  execFileSync('node', ['scripts/ensure-built.mjs'], { cwd: root, stdio: 'inherit' });
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' });
  files = (JSON.parse(out) as { files: { path: string; size: number }[] }[])[0]!.files;
}, 180_000);

describe('package hygiene', () => {
  it('ships an MIT LICENSE that package.json names', () => {
    const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { license: string };
    expect(pkg.license).toBe('MIT');
    expect(files.map((f) => f.path)).toContain('LICENSE');
    expect(readFileSync(resolve(root, 'LICENSE'), 'utf8')).toMatch(/^MIT License/);
  });

  it('ships no source maps, and stays small', () => {
    expect(files.filter((f) => f.path.endsWith('.map'))).toEqual([]);
    const total = files.reduce((a, f) => a + f.size, 0);
    // Four bundles (ESM and CJS for Node and for browsers, about 1.2 MB each) and their
    // declarations: about 6.3 MB unpacked. Source maps alone used to add 9.4 MB.
    expect(total).toBeLessThan(8_000_000);
  });
});
