import { join } from 'node:path';
import type { Callback } from '../../training/callbacks/callback.js';
import type { Trial } from '../../apps/tuner/trial_run.js';
import type { SearchSpace } from '../../apps/tuner/space.js';
import { TensorBoard } from '../../io/tensorboard/callback.js';
import { EventWriter } from '../../io/tensorboard/writer.js';
import { hparamsExperiment, hparamsSessionEnd, hparamsSessionStart, type HParamDomain } from '../../io/tensorboard/event.js';
import { eventFileSink } from '../tensorboard.js';

/** A trial's TensorBoard run, `<logDir>/trial-<n>/`, that also records its hyperparameters (HParams plugin). */
class TrialTensorBoard extends TensorBoard {
  private started = false;

  constructor(private readonly trial: Trial, logDir: string) {
    super({ logDir: join(logDir, `trial-${trial.number}`) }, (dir, run) => eventFileSink(join(dir, run)));
  }

  override onTrainBegin(): void {
    super.onTrainBegin();
    if (this.started) return;
    this.started = true;
    this.writer('').values([{
      tag: '_hparams_/session_start_info', kind: 'plugin', plugin: 'hparams',
      content: hparamsSessionStart(this.trial.params, `trial-${this.trial.number}`, Date.now() / 1000),
    }], 0);
  }

  override async onTrainEnd(): Promise<void> {
    this.writer('').values([{
      tag: '_hparams_/session_end_info', kind: 'plugin', plugin: 'hparams', content: hparamsSessionEnd(1, Date.now() / 1000),
    }], 0);
    await super.onTrainEnd();
  }
}

/** The callbacks the Node search adds to each trial (a TensorBoard run per trial when `logDir` is set). */
export function trialCallbacks(trial: Trial, logDir?: string): Callback[] {
  return logDir ? [new TrialTensorBoard(trial, logDir)] : [];
}

/** Writes the HParams experiment summary (parameters with their domains, metric columns) at the top of `logDir`. */
export async function writeExperiment(logDir: string, space: SearchSpace, objective: string): Promise<void> {
  const domains: Record<string, HParamDomain> = {};
  const walk = (s: SearchSpace) => {
    for (const [name, p] of Object.entries(s)) {
      if (p.kind === 'choice') domains[name] = { values: [...p.values] };
      else if (p.kind === 'conditional') {
        domains[name] = { values: Object.keys(p.branches) };
        Object.values(p.branches).forEach(walk);
      } else domains[name] = { min: p.low, max: p.high };
    }
  };
  walk(space);
  const metric = (name: string) => (name.startsWith('val_') ? { group: 'validation', tag: `epoch_${name.slice(4)}` } : { group: 'train', tag: `epoch_${name}` });
  const metrics = [...new Map([metric(objective), metric('loss'), metric('val_loss')].map((m) => [`${m.group}/${m.tag}`, m])).values()];
  const w = new EventWriter(eventFileSink(logDir));
  w.values([{ tag: '_hparams_/experiment', kind: 'plugin', plugin: 'hparams', content: hparamsExperiment(domains, metrics, Date.now() / 1000) }], 0);
  await w.close();
}
