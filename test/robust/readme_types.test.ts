// README's quick start type-checks under `tsc --strict` with no `as` casts: `predict` on a
// Sequential model is typed as one tensor, `evaluate` returns typed logs.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../..');

function quickStart(): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const block = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!).find((b) => b.includes("from 'strata'"));
  if (!block) throw new Error('README has no ts block importing strata');
  return block;
}

function typecheck(code: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'strata-readme-'));
  try {
    writeFileSync(join(dir, 'quickstart.ts'), `${code}\nexport {};\n`);
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
      compilerOptions: {
        target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', lib: ['ES2022', 'DOM'], strict: true,
        noEmit: true, skipLibCheck: true, esModuleInterop: true, types: ['node'],
        typeRoots: [join(root, 'node_modules/@types')], paths: { strata: [join(root, 'src/index.ts')] },
      },
      files: ['quickstart.ts'],
    }));
    try {
      execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', dir], { encoding: 'utf8' });
      return '';
    } catch (e) {
      return String((e as { stdout?: string }).stdout ?? e);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("README's quick start under tsc --strict", () => {
  it('type-checks with its casts removed, predict typed as a tensor and evaluate as numbers', () => {
    const code = quickStart().replace(/\s+as\s+st\.tf\.Tensor\b/g, '') + `
const _probs: st.tf.Tensor = probs;
const _acc: number = accuracy;
const inp = st.layers.input({ shape: [4] });
const sym: st.SymbolicTensor = st.layers.dense({ units: 2 }).apply(inp);
const fm = st.model({ inputs: inp, outputs: sym });
const _one: st.tf.Tensor = fm.predict(st.tf.ones([1, 4]));
const _plain: st.tf.Tensor = net.predict([[...new Array(784).fill(0)]]);
// The check is live: a wrong type must be an error, or this directive is itself one.
// @ts-expect-error predict returns a tensor, not a number
const _wrong: number = net.predict(xTest);
`;
    expect(typecheck(code)).toBe('');
  }, 120_000);
});
