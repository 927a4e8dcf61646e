import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { parentPort } from 'node:worker_threads';
import { StateError, ValueError } from '../../engine/errors.js';
import { setBackend, type BackendName } from '../../backend/backends.js';
import { runTrial, type RunFn } from '../../apps/tuner/trial_run.js';
import { trialCallbacks } from './trial_callbacks.js';
import type { ToMain, ToWorker, WorkerSetup } from './protocol.js';

/**
 * The body of a trial worker thread (started by the Node search with `parallel` > 1; not
 * for direct use): imports the trial module, then runs each trial it is sent, relaying
 * per-epoch reports and pruning decisions.
 */
export async function workerMain(setup: WorkerSetup): Promise<void> {
  const port = parentPort;
  if (!port) throw new StateError('tuner workerMain: not running in a worker thread');
  if (setup.backend) await setBackend(setup.backend as BackendName);
  if (/\.[cm]?ts$/.test(setup.module)) await registerTypeScript(setup.module);
  const mod = (await import(setup.module)) as { run?: RunFn; default?: RunFn };
  const run = mod.run ?? mod.default;
  if (typeof run !== 'function') throw new ValueError(`tuner: the trial module ${setup.module} must export a function 'run' (or a default export)`);
  let pending: ((stop: boolean) => void) | undefined;
  port.on('message', (m: ToWorker) => {
    if (m.type === 'decision') {
      pending?.(m.stop);
      pending = undefined;
      return;
    }
    const reporter = {
      report: (epochs: number, value: number) => new Promise<boolean>((resolve) => {
        pending = resolve;
        port.postMessage({ type: 'report', epochs, value } satisfies ToMain);
      }),
    };
    void runTrial(run, m.info, reporter, (t) => trialCallbacks(t, setup.logDir)).then((outcome) => {
      const transfer = outcome.artifacts?.weightData instanceof ArrayBuffer ? [outcome.artifacts.weightData] : [];
      port.postMessage({ type: 'done', outcome } satisfies ToMain, transfer);
    });
  });
}

/**
 * Node 20 does not carry the main thread's `--import tsx` hooks into workers: a TypeScript
 * trial module gets tsx's loader registered in the worker (resolved from the module's folder).
 */
async function registerTypeScript(moduleUrl: string): Promise<void> {
  try {
    // tsx's ESM API registers its hooks for this thread; require.resolve finds the CJS
    // twin of that file, so take the .mjs beside it.
    const cjs = createRequire(moduleUrl).resolve('tsx/esm/api');
    const esm = cjs.replace(/\.cjs$/, '.mjs');
    const api = (await import(pathToFileURL(existsSync(esm) ? esm : cjs).href)) as { register: () => unknown };
    api.register();
  } catch (e) {
    throw new StateError(`tuner: the trial module ${moduleUrl} is TypeScript, and registering tsx for it failed (${(e as Error).message}); install tsx beside it, or give a .js module`);
  }
}
