// `npm run example -- <name> [--quick]` runs examples/<name>.ts.
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const name = process.argv[2];
const known = readdirSync(here).filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.startsWith('_')).map((f) => f.slice(0, -3));
if (!name || !known.includes(name)) {
  console.error(`usage: npm run example -- <name> [--quick]\nexamples: ${known.join(', ')}`);
  process.exit(name ? 1 : 0);
}
const file = join(here, `${name}.ts`);
if (!existsSync(file)) process.exit(1);
await import(pathToFileURL(file).href);
