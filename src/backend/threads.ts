/**
 * How many threads the wasm backend computes on: {@link setThreads}, {@link getThreads},
 * {@link threadsInfo}, and the `STRATA_THREADS` environment variable.
 * @module
 */
import { StateError, ValueError } from '../engine/errors.js';

/** What the wasm backend runs on, and why. */
export interface ThreadsInfo {
  /** Threads asked for: `setThreads`, else `STRATA_THREADS`, else every core. */
  requested: number;
  /** Threads the running wasm backend uses; `undefined` before it starts. */
  active: number | undefined;
  /** Which wasm build runs: `'threaded-simd'`, `'simd'`, or `undefined` before it starts. */
  build: 'threaded-simd' | 'simd' | undefined;
  /** Why the single-threaded build runs although more threads were asked for, if it does. */
  fallbackReason?: string;
}

interface State {
  chosen: number | undefined;
  active: number | undefined;
  build: ThreadsInfo['build'];
  fallbackReason?: string;
  warnedEnv: boolean;
  restart?: (threads: number) => Promise<void>;
  starting?: Promise<unknown>;
}

// One state per process, kept on globalThis so a second copy of strata (ESM and CJS
// builds in one process) agrees on it.
const KEY = Symbol.for('strata.threads');
function state(): State {
  const g = globalThis as unknown as Record<symbol, State | undefined>;
  return (g[KEY] ??= { chosen: undefined, active: undefined, build: undefined, warnedEnv: false });
}

/** Logical cores of this machine (Node: `os.availableParallelism()`; browsers: `navigator.hardwareConcurrency`). */
export function coreCount(): number {
  const proc = globalThis.process as unknown as { getBuiltinModule?: (n: string) => unknown } | undefined;
  const os = proc?.getBuiltinModule?.('node:os') as { availableParallelism?: () => number; cpus: () => unknown[] } | undefined;
  if (os) return Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  return Math.max(1, nav?.hardwareConcurrency ?? 1);
}

function fromEnv(): number | undefined {
  const raw = (globalThis.process as { env?: Record<string, string | undefined> } | undefined)?.env?.STRATA_THREADS;
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (Number.isInteger(n) && n >= 1) return n;
  const s = state();
  if (!s.warnedEnv) {
    s.warnedEnv = true;
    console.warn(`strata: STRATA_THREADS must be a positive integer; got '${raw}', using every core`);
  }
  return undefined;
}

/**
 * Threads the wasm backend should start with: `setThreads`, else `STRATA_THREADS`, else
 * every core ({@link coreCount}).
 */
export function requestedThreads(): number {
  return state().chosen ?? fromEnv() ?? coreCount();
}

/** Records what the wasm backend started with; for `backends.ts`. */
export function recordWasmStart(build: 'threaded-simd' | 'simd', active: number, fallbackReason?: string): void {
  const s = state();
  s.build = build;
  s.active = active;
  s.fallbackReason = fallbackReason;
}

/** Records a wasm start under way, so `setThreads` waits for it; for `backends.ts`. */
export function recordWasmStarting(start: Promise<unknown>): void {
  state().starting = start;
}

/** Installs the function that restarts the wasm backend with another thread count; for `backends.ts`. */
export function setWasmRestarter(restart: (threads: number) => Promise<void>): void {
  state().restart = restart;
}

/**
 * Choose how many threads the wasm backend computes on (Node: tfjs-backend-wasm's threaded
 * SIMD build on `worker_threads`; browsers: the same build where the page is cross-origin
 * isolated). The default is every core; the `STRATA_THREADS` environment variable sets
 * another default, and 1 runs the single-threaded SIMD build (see `docs/backends.md`).
 *
 * Takes effect at once when the wasm backend has not started or holds no tensors yet (it
 * is restarted); call it at the top of a script, before building models.
 *
 * @param n - threads, an integer >= 1.
 * @returns once the wasm backend (if it was running) runs with the new count.
 * @throws ValueError when `n` is not a positive integer; StateError when the running wasm
 *   backend already holds tensors.
 * @example
 * ```ts
 * await st.setThreads(1);
 * ```
 */
export async function setThreads(n: number): Promise<void> {
  if (!Number.isInteger(n) || n < 1) {
    throw new ValueError(`setThreads: argument 'n' must be an integer >= 1; got ${String(n)}`);
  }
  const s = state();
  s.chosen = n;
  if (s.starting) await s.starting.catch(() => undefined);
  if (s.active === undefined || s.active === n || !s.restart) return;
  // A threaded start that fell back keeps the single-threaded build; nothing to redo.
  if (s.build === 'simd' && s.fallbackReason && n > 1) return;
  await s.restart(n);
}

/**
 * Threads the wasm backend computes on: the running backend's pool size once it has
 * started, else the count it will start with.
 */
export function getThreads(): number {
  const s = state();
  return s.active ?? requestedThreads();
}

/** What the wasm backend runs on: threads asked for, threads in use, which build, and why. */
export function threadsInfo(): ThreadsInfo {
  const s = state();
  const info: ThreadsInfo = { requested: requestedThreads(), active: s.active, build: s.build };
  if (s.fallbackReason) info.fallbackReason = s.fallbackReason;
  return info;
}

/** The error `setThreads` raises when the wasm backend cannot restart. */
export function cannotRestart(why: string): StateError {
  return new StateError(`setThreads: ${why}`);
}
