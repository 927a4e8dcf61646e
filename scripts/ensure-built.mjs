// Rebuilds dist/ when any file under src/ is newer than the last build, so the examples
// and the benchmark always run the code in the working tree through the real package.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

const built = ['dist/index.js', 'dist/index.cjs'].every((f) => existsSync(f));
const stale = !built || newest('src') > statSync('dist/index.js').mtimeMs;
if (stale) {
  console.log('strata: building dist/ (sources changed)…');
  execSync('rm -rf dist && npx tsup --silent', { stdio: 'inherit' });
}
