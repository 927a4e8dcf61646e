// The code in the guides (docs/*.md) is checked here: every ```ts block is type-checked
// against the sources, with `import * as st from 'strata'` mapped to src/index.ts (or to
// src/browser.ts for blocks fenced ```ts browser), and every block not fenced as
// ```ts no-run or ```ts browser is executed (imported) by vitest, which can load
// tfjs-core's gradient registrations from source. Blocks must be self-contained.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { setBackend } from '../../src/backend/backends.js';
import { extractBlocks, readGuides, type GuideBlock } from './extract.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const generated = join(root, 'test/docs/.generated');
const checkDir = join(generated, 'check');
const runDir = join(generated, 'run');
const guides = readGuides(join(root, 'docs'));
const blocks = guides.flatMap((g) => g.blocks);

const posix = (p: string) => p.split(sep).join('/');
const where = (b: GuideBlock) => `docs/${b.guide}.md:${b.line}`;
/** Lines the generated files put before the block's code. */
const HEADER_LINES = 1;

function writeBlock(dir: string, b: GuideBlock, code: string): string {
  const file = join(dir, b.guide, `block${String(b.index).padStart(2, '0')}.ts`);
  mkdirSync(dirname(file), { recursive: true });
  // `export {}` makes every block a module, so top-level await type-checks and runs.
  writeFileSync(file, `// ${where(b)} (block ${b.index})\n${code}\nexport {};\n`);
  return file;
}

rmSync(generated, { recursive: true, force: true });
/** The block with `'strata'` imported from a source entry point, relative to `dir`. */
function fromSource(b: GuideBlock, dir: string, entryPoint: string): string {
  const entry = posix(relative(join(dir, b.guide), join(root, entryPoint)));
  return b.code.replace(/(from\s+)(['"])strata\2/g, `$1'${entry}'`);
}

// Node blocks keep `'strata'`, which the generated tsconfig maps to src/index.ts; browser
// blocks import the browser entry point directly.
const checkFiles = new Map<string, GuideBlock>();
for (const b of blocks) {
  const code = b.browser ? fromSource(b, checkDir, 'src/browser.js') : b.code;
  checkFiles.set(posix(relative(root, writeBlock(checkDir, b, code))), b);
}

const runFiles = new Map<GuideBlock, string>();
for (const b of blocks.filter((x) => x.runnable)) runFiles.set(b, writeBlock(runDir, b, fromSource(b, runDir, 'src/index.js')));

describe('extractBlocks', () => {
  it('finds ts blocks with their lines and flags, and ignores other languages', () => {
    const md = ['# t', '```ts', 'a();', '```', '```sh', 'ls', '```', '```ts no-run', 'b();', '```', '```ts browser', 'c();', '```'].join('\n');
    const found = extractBlocks('t', md).map((b) => [b.index, b.line, b.code, b.runnable, b.browser]);
    expect(found).toEqual([[1, 3, 'a();', true, false], [2, 9, 'b();', false, false], [3, 12, 'c();', false, true]]);
  });

  it('rejects unknown flags and unclosed blocks, naming the line', () => {
    expect(() => extractBlocks('t', '```ts norun\nx\n```')).toThrow(/docs\/t\.md:1: unknown block flag\(s\) norun/);
    expect(() => extractBlocks('t', 'text\n```ts\nx')).toThrow(/docs\/t\.md:2: code block is not closed/);
  });
});

describe('guides', () => {
  it('every guide has at least one checked ts block', () => {
    expect(guides.length).toBeGreaterThan(0);
    const empty = guides.filter((g) => g.blocks.length === 0).map((g) => g.name);
    expect(empty).toEqual([]);
  });

  it('every guide is in the typedoc site and linked from the README', () => {
    const typedoc = JSON.parse(readFileSync(join(root, 'typedoc.json'), 'utf8')) as { projectDocuments?: string[] };
    const listed = [...(typedoc.projectDocuments ?? [])].sort();
    expect(listed).toEqual(guides.map((g) => `docs/${g.name}.md`).sort());
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const unlinked = guides.filter((g) => !readme.includes(`](docs/${g.name}.md)`)).map((g) => g.name);
    expect(unlinked).toEqual([]);
  });

  it('every ts block type-checks against the sources', () => {
    const config = {
      extends: posix(relative(checkDir, join(root, 'tsconfig.json'))),
      compilerOptions: {
        noEmit: true,
        paths: { strata: [posix(relative(checkDir, join(root, 'src/index.ts')))] },
      },
      include: [],
      files: [...checkFiles.keys()].map((f) => posix(relative(checkDir, join(root, f)))),
    };
    const configPath = join(checkDir, 'tsconfig.json');
    writeFileSync(configPath, JSON.stringify(config, null, 2));
    const tsc = join(root, 'node_modules/typescript/bin/tsc');
    const res = spawnSync(process.execPath, [tsc, '-p', configPath, '--pretty', 'false', '--listFiles'], { cwd: root, encoding: 'utf8' });
    expect(res.error, String(res.error)).toBeUndefined();
    const lines = `${res.stdout}${res.stderr}`.split('\n').filter((l) => l.trim().length > 0);
    const listed = new Set(lines.filter((l) => !/error TS\d+/.test(l)).map((l) => posix(relative(root, l.trim()))));
    const unchecked = [...checkFiles.keys()].filter((f) => !listed.has(f));
    expect(unchecked, 'blocks tsc did not check').toEqual([]);
    // Errors inside the sources are for `npm run typecheck`; here only the guides' code counts,
    // and errors with no location (a bad config) fail the check.
    const inGuides: string[] = [];
    const elsewhere: string[] = [];
    for (const l of lines) {
      const m = /^(.+?)\((\d+),(\d+)\): (error .*)$/.exec(l);
      const b = m && checkFiles.get(posix(m[1]!));
      if (b) inGuides.push(`docs/${b.guide}.md:${b.line + Number(m![2]) - 1 - HEADER_LINES}:${m![3]} ${m![4]}`);
      else if (m) elsewhere.push(l);
      else if (/error TS\d+/.test(l)) inGuides.push(l);
    }
    expect(inGuides, inGuides.join('\n')).toEqual([]);
    if (elsewhere.length > 0) console.warn(`type errors outside the guides (not counted here):\n${elsewhere.join('\n')}`);
  }, 600_000);
});

describe('runnable guide blocks', () => {
  let output: string[] = [];

  beforeAll(async () => {
    await setBackend('cpu');
  });

  beforeEach(async () => {
    // A block may switch backends; each starts on cpu, which is quick and deterministic.
    await setBackend('cpu');
    output = [];
    const keep = (...args: unknown[]) => { output.push(args.map(String).join(' ')); };
    vi.spyOn(console, 'log').mockImplementation(keep);
    vi.spyOn(console, 'info').mockImplementation(keep);
    vi.spyOn(console, 'warn').mockImplementation(keep);
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      output.push(String(chunk));
      return true;
    });
  });

  afterEach(() => {
    vi.restoreAllMocks();
  });

  for (const [b, file] of runFiles) {
    it(`${where(b)} runs`, async () => {
      try {
        await import(pathToFileURL(file).href);
      } catch (e) {
        throw new Error(`${where(b)} threw: ${(e as Error).stack ?? String(e)}\n--- its output ---\n${output.join('\n')}`);
      } finally {
        // Kept beside the generated code, to compare with what the guide says it prints.
        writeFileSync(file.replace(/\.ts$/, '.out.txt'), output.join('\n'));
      }
    }, 120_000);
  }
});
