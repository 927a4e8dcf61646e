import type { Callback } from '../../training/callbacks/callback.js';
import type { Trial } from '../../apps/tuner/trial_run.js';

/** The callbacks the Node search adds to each trial (a TensorBoard run per trial when `logDir` is set). */
export function trialCallbacks(_trial: Trial, _logDir?: string): Callback[] {
  return [];
}
