import { readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';

/** One ```ts code block of a guide. */
export interface GuideBlock {
  /** The guide's file name without `.md`, e.g. `getting-started`. */
  guide: string;
  /** 1-based index of the block within its guide (counting ts blocks only). */
  index: number;
  /** 1-based line of the block's first code line in the Markdown file. */
  line: number;
  /** The code, without the fences. */
  code: string;
  /** False for blocks fenced as ```ts no-run or ```ts browser: type-checked, never executed. */
  runnable: boolean;
  /** True for blocks fenced as ```ts browser: checked against the browser entry point. */
  browser: boolean;
}

/** A guide: its path and its ts blocks. */
export interface Guide {
  name: string;
  path: string;
  blocks: GuideBlock[];
}

const FENCE = /^```(\S*)(.*)$/;

/**
 * The ts blocks of a Markdown text. A block is type-checked and executed unless its
 * fence carries `no-run` (```ts no-run) or `browser` (```ts browser: type-checked against
 * the browser entry, not run in Node). Blocks in other languages are ignored.
 */
export function extractBlocks(guide: string, markdown: string): GuideBlock[] {
  const lines = markdown.split('\n');
  const blocks: GuideBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]!);
    if (!open) continue;
    const lang = open[1]!;
    const flags = open[2]!.trim().split(/\s+/).filter(Boolean);
    let end = i + 1;
    while (end < lines.length && !/^```\s*$/.test(lines[end]!)) end++;
    if (end >= lines.length) throw new Error(`docs/${guide}.md:${i + 1}: code block is not closed`);
    if (lang === 'ts' || lang === 'typescript') {
      const unknown = flags.filter((f) => f !== 'no-run' && f !== 'browser');
      if (unknown.length > 0) {
        throw new Error(`docs/${guide}.md:${i + 1}: unknown block flag(s) ${unknown.join(', ')}; use 'no-run', 'browser' or nothing`);
      }
      blocks.push({
        guide,
        index: blocks.length + 1,
        line: i + 2,
        code: lines.slice(i + 1, end).join('\n'),
        runnable: !flags.includes('no-run') && !flags.includes('browser'),
        browser: flags.includes('browser'),
      });
    }
    i = end;
  }
  return blocks;
}

/** Every `*.md` guide in `dir`, sorted by name, with its blocks. */
export function readGuides(dir: string): Guide[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => {
      const path = join(dir, f);
      const name = basename(f, '.md');
      return { name, path, blocks: extractBlocks(name, readFileSync(path, 'utf8')) };
    });
}
