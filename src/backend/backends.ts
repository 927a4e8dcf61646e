import { tf } from './tf.js';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { StrataError } from '../engine/errors.js';
import { registerWasmKernels } from './kernels/index.js';
import * as tfjsWasm from '@tensorflow/tfjs-backend-wasm';
import { cannotRestart, recordWasmStart, recordWasmStarting, requestedThreads, setWasmRestarter } from './threads.js';
import { createThreadedWasm } from './wasm_threads_node.js';

// The wasm backend registered itself on import; add the kernels it needs to train CNNs.
registerWasmKernels();

type Factory = () => tf.KernelBackend | Promise<tf.KernelBackend>;
// tfjs' own wasm factory, kept before strata registers ready instances under the name
// (on globalThis, so a second copy of strata finds the same one).
const TFJS_WASM_FACTORY = Symbol.for('strata.tfjsWasmFactory');
function tfjsWasmFactory(): Factory | undefined {
  const g = globalThis as unknown as Record<symbol, Factory | undefined>;
  if (!g[TFJS_WASM_FACTORY]) {
    try {
      g[TFJS_WASM_FACTORY] = tf.findBackendFactory('wasm') ?? undefined;
    } catch {
      g[TFJS_WASM_FACTORY] = undefined;
    }
  }
  return g[TFJS_WASM_FACTORY];
}
tfjsWasmFactory();

/** Names of the backends strata can run on. */
export type BackendName = 'cpu' | 'wasm' | 'webgl' | 'webgpu';

const KNOWN: readonly BackendName[] = ['cpu', 'wasm', 'webgl', 'webgpu'];

let chosenByUser = false;
let defaultPick: Promise<BackendName> | undefined;

function isNode(): boolean {
  return typeof process !== 'undefined' && !!process.versions?.node;
}

/**
 * Select the backend all later tensor work runs on.
 *
 * @param name - `'cpu'`, `'wasm'` (Node and browsers), `'webgl'` or `'webgpu'` (browsers).
 * @returns once the backend is initialised.
 * @throws StrataError when the name is unknown or the backend fails to initialise.
 * @example
 * ```ts
 * await st.setBackend('wasm');
 * ```
 */
export async function setBackend(name: BackendName): Promise<void> {
  if (!KNOWN.includes(name)) {
    throw new StrataError(`setBackend: argument 'name' must be one of ${KNOWN.join(', ')}; got '${String(name)}'`);
  }
  chosenByUser = true;
  // Let a default pick that is already under way finish first, so it cannot switch the
  // engine away from the user's choice when its asynchronous initialisation completes.
  if (defaultPick) await defaultPick.catch(() => undefined);
  if (name === 'wasm') await withoutGlueHandlers(() => initWasmOffEngine());
  const ok = await withoutGlueHandlers(() => tf.setBackend(name));
  if (!ok) {
    throw new StrataError(`setBackend: backend '${name}' failed to initialise in this environment`);
  }
  await tf.ready();
  removeGlueHandlers();
}

/** The name of the backend tensor work currently runs on (e.g. `'wasm'`). */
export function getBackend(): string {
  return tf.getBackend();
}

async function pickDefault(): Promise<BackendName> {
  // Let the importing script run its first synchronous lines (say, setThreads) first.
  await Promise.resolve();
  const env = isNode() ? process.env.STRATA_BACKEND : undefined;
  if (env) {
    await setBackendInternal(env as BackendName, true);
    return env as BackendName;
  }
  if (chosenByUser) return tf.getBackend() as BackendName;
  try {
    const ok = (await initWasmOffEngine()) && !chosenByUser && (await tf.setBackend('wasm'));
    if (ok && !chosenByUser) return 'wasm';
  } catch {
    // fall through to cpu
  }
  if (chosenByUser) return tf.getBackend() as BackendName;
  await tf.setBackend('cpu');
  console.warn('strata: the wasm backend did not initialise; using the (slower) cpu backend');
  return 'cpu';
}

/**
 * The backend instance registered under `name` once initialised, else `null`. Unlike
 * `tf.findBackend`, it never starts one: `findBackend` initialises a registered factory
 * it finds uninitialised, so asking it about `'wasm'` started tfjs' own single-threaded
 * build, which then replaced strata's threaded instance in the engine when it resolved.
 */
function initialised(name: string): tf.KernelBackend | null {
  return tf.engine().registry[name] ?? null;
}

/**
 * Starts the wasm backend without the engine's help: `tf.setBackend('wasm')` would mark
 * the engine as waiting for an asynchronous initialisation, and every tensor op made
 * meanwhile (say, `tf.randomNormal` on a script's first line) would throw. The backend is
 * built here instead, then registered as a synchronous factory returning the ready
 * instance, so the switch to wasm happens in one step. False when wasm is absent.
 */
function initWasmOffEngine(): Promise<boolean> {
  if (initialised('wasm')) return Promise.resolve(true);
  if (!tfjsWasmFactory()) return Promise.resolve(false);
  // One start at a time, and the promise covers the registration too, so that whoever
  // waits on it (setThreads, a restart) finds the new instance in the engine.
  wasmInit ??= withoutGlueHandlers(startWasm)
    .then((instance) => {
      if (initialised('wasm')) return true;   // someone initialised it meanwhile
      if (tf.findBackendFactory('wasm')) tf.removeBackend('wasm');
      tf.registerBackend('wasm', () => instance, WASM_PRIORITY);
      return true;
    })
    .finally(() => { wasmInit = undefined; });
  recordWasmStarting(wasmInit);
  return wasmInit;
}

const PROCESS_EVENTS = ['uncaughtException', 'unhandledRejection'] as const;
/** The glue's handlers: `function (ex) { if (!(ex instanceof ExitStatus)) throw ex; }` and `function (reason) { throw reason; }`. */
const GLUE_HANDLERS = [
  /^function\s*\((\w+)\)\s*\{\s*if\s*\(!\(\1 instanceof \w+\)\)\s*\{?\s*throw \1;?\s*\}?\s*\}$/,
  /^function\s*\((\w+)\)\s*\{\s*throw \1;?\s*\}$/,
];

/**
 * Removes the process-wide `uncaughtException` / `unhandledRejection` handlers the wasm
 * glue (Emscripten) installs each time it starts: they rethrow from inside the handler,
 * so any uncaught error of the user's script would exit with code 7 behind a dump of
 * minified glue instead of Node's own report and code 1. Only handlers whose source is
 * the glue's are removed; called once a backend has finished initialising.
 */
function removeGlueHandlers(): void {
  type Listener = (...args: unknown[]) => void;
  const proc = (isNode() ? process : undefined) as unknown as
    { listeners?(e: string): Listener[]; removeListener(e: string, l: Listener): void } | undefined;
  if (!proc || typeof proc.listeners !== 'function') return;
  for (const e of PROCESS_EVENTS) {
    for (const l of proc.listeners(e)) {
      const src = String(l);
      if (GLUE_HANDLERS.some((re) => re.test(src))) proc.removeListener(e, l);
    }
  }
}

/** Runs a backend initialisation, then removes the wasm glue's process handlers. */
async function withoutGlueHandlers<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } finally {
    removeGlueHandlers();
  }
}

let wasmInit: Promise<boolean> | undefined;

/**
 * Builds a wasm backend with the requested threads. In Node, more than one thread runs
 * tfjs-backend-wasm's threaded SIMD build on `worker_threads` (see `wasm_threads_node.ts`);
 * if that fails, the single-threaded SIMD build runs, with a one-line notice saying why.
 * In browsers, tfjs picks the threaded build itself where the page is cross-origin isolated.
 */
async function startWasm(): Promise<tf.KernelBackend> {
  const threads = requestedThreads();
  let reason: string | undefined;
  if (isNode() && threads > 1) {
    try {
      const { backend, threads: active } = await createThreadedWasm(threads);
      recordWasmStart('threaded-simd', active);
      return backend as unknown as tf.KernelBackend;
    } catch (e) {
      reason = e instanceof Error ? e.message : String(e);
      console.warn(`strata: wasm threads unavailable (${reason}); running the single-threaded SIMD build`);
    }
  }
  if (!isNode()) tfjsWasm.setThreadsCount(threads);
  const instance = await tfjsWasmFactory()!();
  let active = 1;
  try {
    active = tfjsWasm.getThreadsCount();
  } catch {
    active = 1;
  }
  recordWasmStart(active > 1 ? 'threaded-simd' : 'simd', active, reason);
  return instance;
}

/** Restarts the wasm backend with another thread count, if it holds no tensors. */
async function restartWasm(threads: number): Promise<void> {
  // Let the default pick settle first: it may be about to select the instance replaced here.
  if (defaultPick) await defaultPick.catch(() => undefined);
  const current = initialised('wasm');
  if (!current) return;
  const held = current.numDataIds();
  if (held > 0) {
    throw cannotRestart(`the wasm backend already holds ${held} tensor(s); call setThreads(${threads}) before creating tensors or models, or set STRATA_THREADS=${threads}`);
  }
  const wasActive = tf.getBackend() === 'wasm';
  if (wasActive) await tf.setBackend('cpu');
  tf.removeBackend('wasm');
  await initWasmOffEngine();
  if (wasActive) await tf.setBackend('wasm');
}
setWasmRestarter(restartWasm);

/** The wasm backend's registration priority in tfjs (below webgl and webgpu, above cpu). */
const WASM_PRIORITY = 2;

async function setBackendInternal(name: BackendName, fromEnv: boolean): Promise<void> {
  if (!KNOWN.includes(name)) {
    throw new StrataError(
      `${fromEnv ? 'STRATA_BACKEND' : 'setBackend'}: expected one of ${KNOWN.join(', ')}; got '${name}'`,
    );
  }
  if (name === 'wasm') await initWasmOffEngine().catch(() => false);
  const ok = await withoutGlueHandlers(() => tf.setBackend(name));
  if (!ok) throw new StrataError(`backend '${name}' failed to initialise`);
}

/**
 * Wait until the default backend is chosen and initialised. In Node the default is
 * `wasm` (SIMD) when it initialises, else `cpu` with a one-line notice; the
 * `STRATA_BACKEND` environment variable overrides. `fit`, `evaluate` and friends await
 * this themselves; call it before synchronous work such as `predict` in a fresh process.
 */
export async function ready(): Promise<string> {
  if (!chosenByUser) {
    defaultPick ??= pickDefault().finally(removeGlueHandlers);
    await defaultPick;
  }
  await tf.ready();
  removeGlueHandlers();
  return tf.getBackend();
}

// Synchronous work before `ready()` resolves runs on cpu, which initialises at once;
// without this, tfjs would try the higher-priority wasm backend synchronously and throw.
tf.setBackend('cpu');
// The cpu backend prints a banner recommending tfjs-node on its first write in Node; strata
// chooses its Node backend deliberately (and tfjs-node cannot install here), so skip it.
const cpuBackend = tf.findBackend('cpu') as { firstUse?: boolean } | null;
if (cpuBackend) cpuBackend.firstUse = false;
if (isNode()) {
  defaultPick = pickDefault().finally(removeGlueHandlers);
  defaultPick.catch(() => undefined);
}
