/**
 * The multi-threaded wasm backend in Node. tfjs-backend-wasm ships a threaded SIMD build
 * (`wasm-out/tfjs-backend-wasm-threaded-simd.{js,wasm}` and its pthread worker script) but
 * never starts it under Node. This module starts it itself:
 *
 * - the Emscripten glue is loaded from the package file and given file paths where tfjs
 *   would hand it Blob URLs (which Node's `worker_threads` cannot load): the pthread worker
 *   script (the package ships it as a string, `wasmWorkerContents`) is written once to a file
 *   in the temporary directory, and the workers re-read the glue file itself;
 * - tfjs' C++ caps its pool at `emscripten_num_logical_cores() / 2` (it assumes two
 *   hyper-threads per core), read once as the module starts, and the glue answers with
 *   `os.cpus().length`; while the module starts, `os.cpus()` reports twice the requested
 *   count, so the pool gets all of it;
 * - the pthread workers keep Node's event loop alive once they run, so they are unref'd:
 *   scripts exit by themselves, and the workers end with the process.
 *
 * Node modules are reached through `process.getBuiltinModule` (Node ≥ 20.16), never by a
 * static import, so bundles for browsers carry none of them.
 * @module
 */
import { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import * as wasmBackendModule from '@tensorflow/tfjs-backend-wasm';
import { StrataError } from '../engine/errors.js';

/** The parts of the Emscripten module (and its pthread runtime) used here. */
interface ThreadedModule {
  cwrap: (name: string, ret: string | null, args: string[]) => (...a: number[]) => unknown;
  PThread?: {
    runningWorkers: { unref?: () => void }[];
    unusedWorkers: { unref?: () => void }[];
    terminateAllThreads?: () => void;
  };
  tfjs?: Record<string, unknown>;
}

type Factory = (config: Record<string, unknown>) => Promise<ThreadedModule>;

interface NodeRequireLike {
  (id: string): unknown;
  resolve: (id: string) => string;
}

interface OsLike { cpus: () => unknown[]; tmpdir: () => string }

interface FsLike {
  existsSync: (p: string) => boolean;
  readFileSync: (p: string, enc: 'utf8') => string;
  writeFileSync: (p: string, data: string) => void;
  renameSync: (a: string, b: string) => void;
}

function builtin<T>(name: string): T {
  const get = (globalThis.process as unknown as { getBuiltinModule?: (n: string) => unknown } | undefined)?.getBuiltinModule;
  if (typeof get !== 'function') {
    throw new StrataError(`threaded wasm: needs Node >= 20.16 (process.getBuiltinModule); this is Node ${globalThis.process?.versions?.node ?? 'unknown'}`);
  }
  return get(name) as T;
}

/** A `require` rooted at this module, in the ESM and the CJS build alike. */
function localRequire(): NodeRequireLike {
  const { createRequire } = builtin<{ createRequire: (from: string) => NodeRequireLike }>('node:module');
  let url: string | undefined;
  try {
    url = import.meta.url;
  } catch {
    url = undefined;
  }
  if (url) return createRequire(url);
  if (typeof __filename === 'string') return createRequire(__filename);
  const { join } = builtin<{ join: (...p: string[]) => string }>('node:path');
  return createRequire(join(process.cwd(), 'noop.js'));
}

/** Paths of the threaded build's files inside the installed tfjs-backend-wasm package. */
export function threadedWasmFiles(): { glue: string; worker: string; wasm: string } {
  const req = localRequire();
  const glue = req.resolve('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js');
  const dir = glue.slice(0, glue.length - 'tfjs-backend-wasm-threaded-simd.js'.length);
  return { glue, worker: `${dir}tfjs-backend-wasm-threaded-simd.worker.js`, wasm: `${dir}tfjs-backend-wasm-threaded-simd.wasm` };
}

/**
 * The pthread worker script as a file: the package's `.worker.js` only exports its text.
 * Written once per content (the name carries a hash of it), atomically.
 */
function workerScriptFile(req: NodeRequireLike, packaged: string): string {
  const fs = builtin<FsLike>('node:fs');
  const os = builtin<OsLike>('node:os');
  const { createHash } = builtin<{ createHash: (a: string) => { update: (s: string) => { digest: (e: string) => string } } }>('node:crypto');
  const raw = (req(packaged) as { wasmWorkerContents?: unknown }).wasmWorkerContents;
  if (typeof raw !== 'string') throw new StrataError(`threaded wasm: ${packaged} exports no 'wasmWorkerContents' string`);
  // The text comes from a template literal, which turned the script's "\n" escapes into
  // line breaks inside string literals; restore them, as tfjs does for its Blob.
  const text = raw.replace(/\n/g, '\\n');
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 16);
  const file = `${os.tmpdir()}/strata-wasm-threaded-simd-${hash}.worker.cjs`;
  if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== text) {
    const partial = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(partial, text);
    fs.renameSync(partial, file);
  }
  return file;
}

/** Result of starting the threaded backend: the backend and the size of its thread pool. */
export interface ThreadedWasm {
  backend: BackendWasm;
  threads: number;
}

/**
 * Starts tfjs-backend-wasm's threaded SIMD build with a pool of `threads` threads and
 * returns a ready `BackendWasm` on it. Throws (the caller falls back to the
 * single-threaded build) when the environment lacks something it needs.
 */
export async function createThreadedWasm(threads: number): Promise<ThreadedWasm> {
  if (typeof SharedArrayBuffer === 'undefined') throw new StrataError('threaded wasm: SharedArrayBuffer is not available');
  const os = builtin<OsLike>('node:os');
  const files = threadedWasmFiles();
  const req = localRequire();
  const factory = req(files.glue) as Factory;
  const workerFile = workerScriptFile(req, files.worker);
  if (typeof factory !== 'function') throw new StrataError(`threaded wasm: ${files.glue} exports no module factory`);
  // tfjs' C++ reads the core count once, as the module starts (a static constructor), and
  // caps its pool at half of it; report twice the requested threads until the module is up.
  const cpus = os.cpus;
  const real = cpus.call(os);
  os.cpus = () => Array.from({ length: 2 * threads }, (_, i) => real[i % real.length]);
  // The workers unref themselves as they load, and nothing else may hold the event loop
  // while the module compiles; keep it alive until the module is ready.
  const keepAlive = setInterval(() => undefined, 1000);
  let module: ThreadedModule;
  try {
    module = await factory({
      locateFile: (path: string, prefix: string) => {
        if (path.endsWith('.worker.js')) return workerFile;
        if (path.endsWith('.wasm')) return files.wasm;
        return prefix + path;
      },
      // Each pthread worker evaluates this script to define the module factory.
      mainScriptUrlOrBlob: files.glue,
    });
  } finally {
    os.cpus = cpus;
    clearInterval(keepAlive);
  }
  if (!module.PThread) throw new StrataError('threaded wasm: the module has no pthread runtime');
  module.tfjs = {
    init: module.cwrap('init', null, []),
    initWithThreadsCount: module.cwrap('init_with_threads_count', null, ['number']),
    getThreadsCount: module.cwrap('get_threads_count', 'number', []),
    registerTensor: module.cwrap('register_tensor', null, ['number', 'number', 'number']),
    disposeData: module.cwrap('dispose_data', null, ['number']),
    dispose: module.cwrap('dispose', null, []),
  };
  // BackendWasm's constructor starts the pool with the count given to setThreadsCount.
  wasmBackendModule.setThreadsCount(threads);
  const backend = new BackendWasm(module as unknown as ConstructorParameters<typeof BackendWasm>[0]);
  for (const w of [...module.PThread.runningWorkers, ...module.PThread.unusedWorkers]) w.unref?.();
  return { backend, threads: wasmBackendModule.getThreadsCount() };
}
