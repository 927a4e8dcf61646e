// Scratch: run the guides that need exports not wired yet, against a local shim.
import { mkdirSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeEach, it } from 'vitest';
import { setBackend } from '../../src/backend/backends.js';
import { readGuides } from './extract.js';
const root = process.cwd();
const dir = join(root, 'test/docs/.scratch');
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, 'shim.ts'), `export * from '../../../src/index.js';
export * as io from '../../../src/io/index.js';
export { saveModel, loadModel } from '../../../src/io/node/index.js';
export { registerLayer } from '../../../src/io/index.js';
export { gan, GAN } from '../../../src/apps/gan/index.js';
export * as transfer from '../../../src/apps/transfer/index.js';
`);
const only = (process.env.GUIDES ?? 'saving,transfer-learning,gans').split(',');
const blocks = readGuides(join(root, 'docs')).filter((g) => only.includes(g.name)).flatMap((g) => g.blocks);
const files: string[] = [];
for (const b of blocks) {
  const f = join(dir, `${b.guide}_${b.index}.ts`);
  writeFileSync(f, `${b.code.replace(/from 'strata'/g, "from './shim.js'")}\nexport {};\n`);
  files.push(f);
}
it('typecheck', () => {
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ extends: '../../../tsconfig.json', include: [], files: files.map((f) => f.slice(dir.length + 1)) }));
  const r = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(dir, 'tsconfig.json'), '--pretty', 'false'], { encoding: 'utf8' });
  console.log(r.stdout.split('\n').filter((l) => l.includes('.scratch')).join('\n'));
}, 600_000);
beforeEach(async () => { await setBackend('cpu'); });
blocks.forEach((b, i) => {
  if (!b.runnable) return;
  it(`${b.guide}:${b.line}`, async () => { await import(pathToFileURL(files[i]!).href); }, 120_000);
});
