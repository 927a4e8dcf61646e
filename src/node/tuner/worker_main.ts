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
