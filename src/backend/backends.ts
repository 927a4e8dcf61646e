import { tf } from './tf.js';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { StrataError } from '../engine/errors.js';
import { registerWasmKernels } from './kernels/index.js';

// The wasm backend registered itself on import; add the kernels it needs to train CNNs.
registerWasmKernels();

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
 * Starts the wasm backend without the engine's help: `tf.setBackend('wasm')` would mark
 * the engine as waiting for an asynchronous initialisation, and every tensor op made
 * meanwhile (say, `tf.randomNormal` on a script's first line) would throw. The factory
 * is awaited here instead, then registered again as a synchronous one returning the
 * ready instance, so the switch to wasm happens in one step. False when wasm is absent.
 */
async function initWasmOffEngine(): Promise<boolean> {
  let factory: (() => tf.KernelBackend | Promise<tf.KernelBackend>) | undefined;
  try {
    factory = tf.findBackendFactory('wasm') ?? undefined;
  } catch {
    factory = undefined;
  }
  if (!factory) return false;
  const make = factory;
  const instance = await withoutGlueHandlers(async () => make());
  if (tf.findBackend('wasm')) return true;   // someone initialised it meanwhile
  tf.removeBackend('wasm');
  tf.registerBackend('wasm', () => instance, WASM_PRIORITY);
  return true;
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
