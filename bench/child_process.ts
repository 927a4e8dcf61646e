/**
 * The parent's handle on one benchmark child: spawn it, send commands, wait for replies
 * with a time limit, and stop it. Lines a child prints that are not replies (library
 * banners, warnings) are kept in a short log for error reports.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { REPLY_PREFIX, type Command, type Reply } from './protocol.js';

/** What waiting for a reply can end in besides a reply. */
export type WaitEnd = Reply | { type: 'timeout' } | { type: 'exited'; code: number | null };

/** The repository root: children run there, so `--import tsx` and `strata` resolve. */
export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** A running child speaking the benchmark protocol. */
export class BenchChild {
  private readonly proc: ChildProcess;
  private readonly replies: Reply[] = [];
  private wake: (() => void) | undefined;
  private exitCode: number | null | undefined;
  /** The last lines the child printed that were not replies. */
  readonly log: string[] = [];

  constructor(command: string, args: string[]) {
    this.proc = spawn(command, args, { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    createInterface({ input: this.proc.stdout! }).on('line', (line) => {
      if (line.startsWith(REPLY_PREFIX)) this.replies.push(JSON.parse(line.slice(REPLY_PREFIX.length)) as Reply);
      else this.keep(line);
      this.wake?.();
    });
    createInterface({ input: this.proc.stderr! }).on('line', (line) => this.keep(line));
    this.proc.on('exit', (code) => {
      this.exitCode = code;
      this.wake?.();
    });
    // A child that dies before reading its commands must not crash the parent.
    this.proc.stdin!.on('error', () => undefined);
  }

  private keep(line: string): void {
    if (line.trim() === '') return;
    this.log.push(line);
    if (this.log.length > 40) this.log.shift();
  }

  /** Sends one command. */
  send(command: Command): void {
    if (this.exitCode === undefined) this.proc.stdin!.write(`${JSON.stringify(command)}\n`);
  }

  /** The next reply, or how waiting ended after `timeoutSec` seconds or on exit. */
  async next(timeoutSec: number): Promise<WaitEnd> {
    const deadline = Date.now() + timeoutSec * 1000;
    for (;;) {
      const reply = this.replies.shift();
      if (reply) return reply;
      if (this.exitCode !== undefined) return { type: 'exited', code: this.exitCode };
      const left = deadline - Date.now();
      if (left <= 0) return { type: 'timeout' };
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  /** Peak resident memory in MiB read from /proc (Linux), for a child about to be stopped. */
  peakRssFromProc(): number | undefined {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${this.proc.pid}/status`, 'utf8'));
      return m ? Number(m[1]) / 1024 : undefined;
    } catch {
      return undefined;
    }
  }

  /** CPU seconds (user + system) the child has used so far, from /proc (Linux; 100 ticks a second). */
  cpuSecondsFromProc(): number | undefined {
    try {
      const stat = readFileSync(`/proc/${this.proc.pid}/stat`, 'utf8');
      // Fields after the command name, which is in parentheses and may hold spaces.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return (Number(fields[11]) + Number(fields[12])) / 100;
    } catch {
      return undefined;
    }
  }

  /** Stops the child (this process started it, so it is ours to end). */
  kill(): void {
    if (this.exitCode === undefined) this.proc.kill('SIGKILL');
  }
}

/** Starts a Node child running `file` (TypeScript, through tsx). */
export function nodeChild(file: string): BenchChild {
  return new BenchChild(process.execPath, ['--import', 'tsx', file]);
}

/** Starts the PyTorch child with `python`. */
export function pythonChild(python: string, file: string): BenchChild {
  return new BenchChild(python, ['-u', file]);
}
