import { beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '../../src/backend/backends.js';
import { ValueError } from '../../src/engine/errors.js';
import { type BatchLogs, Callback, CallbackList, type CallbackHooks, History, type Logs } from '../../src/training/callbacks/index.js';
import { countingBatchLogs, driveEpochs, FakeModel, params } from './fake_model.js';

beforeAll(async () => {
  await setBackend('cpu');
});

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

class Recorder extends Callback {
  constructor(private readonly tag: string, private readonly events: string[], private readonly delay = 0) {
    super();
  }
  private async log(e: string) {
    if (this.delay) await sleep(this.delay);
    this.events.push(`${this.tag}:${e}`);
  }
  override onTrainBegin() {
    return this.log('trainBegin');
  }
  override onEpochBegin(epoch: number) {
    return this.log(`epochBegin ${epoch}`);
  }
  override onBatchBegin(batch: number) {
    return this.log(`batchBegin ${batch}`);
  }
  override onBatchEnd(batch: number) {
    return this.log(`batchEnd ${batch}`);
  }
  override onEpochEnd(epoch: number, logs: Logs) {
    return this.log(`epochEnd ${epoch} ${logs.loss}`);
  }
  override onTrainEnd() {
    return this.log('trainEnd');
  }
}

async function runOneEpoch(list: CallbackList, batches: number, batchLogs: (b: number) => BatchLogs) {
  await list.onTrainBegin({});
  await list.onEpochBegin(0, {});
  for (let b = 0; b < batches; b++) {
    await list.onBatchBegin(b);
    await list.onBatchEnd(b, batchLogs(b));
  }
  await list.onEpochEnd(0, { loss: 0.5 });
  await list.onTrainEnd({});
}

describe('CallbackList', () => {
  it('forwards every hook to each callback in order, awaiting async ones', async () => {
    const events: string[] = [];
    const plain: CallbackHooks = {
      onTrainBegin: () => void events.push('p:trainBegin'),
      onEpochEnd: async (epoch, logs) => {
        await sleep(2);
        events.push(`p:epochEnd ${epoch} ${logs.loss}`);
      },
      onBatchEnd: (batch) => void events.push(`p:batchEnd ${batch}`),
    };
    // The slow first callback must finish each hook before the others start.
    const list = new CallbackList([new Recorder('a', events, 3), plain, new Recorder('b', events)]);
    await runOneEpoch(list, 2, (b) => ({ batch: b, size: 4, values: async () => ({ loss: 1 }) }));
    expect(events).toEqual([
      'a:trainBegin', 'p:trainBegin', 'b:trainBegin',
      'a:epochBegin 0', 'b:epochBegin 0',
      'a:batchBegin 0', 'b:batchBegin 0',
      'a:batchEnd 0', 'p:batchEnd 0', 'b:batchEnd 0',
      'a:batchBegin 1', 'b:batchBegin 1',
      'a:batchEnd 1', 'p:batchEnd 1', 'b:batchEnd 1',
      'a:epochEnd 0 0.5', 'p:epochEnd 0 0.5', 'b:epochEnd 0 0.5',
      'a:trainEnd', 'b:trainEnd',
    ]);
  });

  it('hands model and params to every callback; plain hooks run with this = the object', async () => {
    const a = new Callback();
    const seen: unknown[] = [];
    const plain = {
      count: 0,
      onEpochBegin(this: { count: number }) {
        this.count += 1;
        seen.push(this);
      },
    };
    const list = new CallbackList([a, plain]);
    const m = new FakeModel();
    const p = params({ epochs: 3 });
    list.setModel(m);
    list.setParams(p);
    expect(a.model).toBe(m);
    expect(a.params).toBe(p);
    await list.onEpochBegin(0);
    await list.onEpochBegin(1);
    expect(plain.count).toBe(2);
    expect(seen[0]).toBe(plain);
    expect(list.callbacks).toHaveLength(2);
    m.dispose();
  });

  it('reads batch values once per batch however many callbacks ask, with a copy each', async () => {
    const counter = { calls: 0 };
    const got: Logs[] = [];
    const reader: CallbackHooks = {
      onBatchEnd: async (_b, logs) => {
        const v = await logs.values();
        got.push(v);
        v.loss = -1;
      },
    };
    const list = new CallbackList([reader, reader, reader]);
    await runOneEpoch(list, 3, (b) => countingBatchLogs(b, { loss: 0.25 }, counter));
    expect(counter.calls).toBe(3);
    expect(got).toHaveLength(9);
    expect(got.filter((v) => v.loss === 0.25)).toHaveLength(0); // each was edited by its reader…
    expect(new Set(got).size).toBe(9); // …but each reader had its own copy.
  });

  it('never reads batch values if nobody asks', async () => {
    const counter = { calls: 0 };
    await runOneEpoch(new CallbackList([new History(), { onBatchEnd: () => {} }]), 5, (b) => countingBatchLogs(b, { loss: 1 }, counter));
    expect(counter.calls).toBe(0);
  });

  it('passes one epoch-logs object along, so later callbacks see additions', async () => {
    const seen: Logs[] = [];
    const list = new CallbackList([
      { onEpochEnd: (_e, logs) => void (logs.extra = 7) },
      { onEpochEnd: (_e, logs) => void seen.push({ ...logs }) },
    ]);
    await list.onEpochEnd(0, { loss: 1 });
    expect(seen).toEqual([{ loss: 1, extra: 7 }]);
  });

  it('append adds at the end', async () => {
    const events: string[] = [];
    const list = new CallbackList([new Recorder('a', events)]);
    list.append({ onTrainEnd: () => void events.push('p:trainEnd') });
    await list.onTrainEnd();
    expect(events).toEqual(['a:trainEnd', 'p:trainEnd']);
  });

  it('rejects what is not a callback', () => {
    expect(() => new CallbackList([null as unknown as Callback])).toThrow(ValueError);
    expect(() => new CallbackList([5 as unknown as Callback])).toThrow(/callbacks\[0\]/);
    expect(() => new CallbackList([{ onEpochEnd: 3 } as unknown as CallbackHooks])).toThrow(/onEpochEnd must be a function/);
    expect(() => new CallbackList([{}, { onEpochEnds: () => {} } as CallbackHooks])).toThrow(/callbacks\[1\] has unknown hook 'onEpochEnds'/);
    expect(() => new CallbackList([{ on_epoch_end: () => {} } as CallbackHooks])).toThrow(/unknown hook/);
    expect(() => new CallbackList('x' as unknown as Callback[])).toThrow(/array/);
  });
});

describe('History', () => {
  it('records each epoch index and every log value, Keras-style', async () => {
    const m = new FakeModel();
    const h = new History();
    const logs: Logs[] = [{ loss: 3, acc: 0.1 }, { loss: 2, acc: 0.2, val_loss: 2.5 }, { loss: 1, acc: 0.3 }, { loss: 0.5, acc: 0.4, val_loss: 1.5 }];
    await driveEpochs(h, m, logs);
    expect(h.epoch).toEqual([0, 1, 2, 3]);
    expect(h.history).toEqual({ loss: [3, 2, 1, 0.5], acc: [0.1, 0.2, 0.3, 0.4], val_loss: [2.5, 1.5] });
    m.dispose();
  });

  it('starts fresh at each training run', async () => {
    const m = new FakeModel();
    const h = new History();
    await driveEpochs(h, m, [{ loss: 1 }, { loss: 2 }]);
    await driveEpochs(h, m, [{ loss: 5 }]);
    expect(h.epoch).toEqual([0]);
    expect(h.history).toEqual({ loss: [5] });
    m.dispose();
  });

  it('stops with the loop: only the epochs run are recorded', async () => {
    const m = new FakeModel();
    const h = new History();
    const stopper = { onEpochEnd(epoch: number) { if (epoch === 1) m.stopTraining = true; } };
    await driveEpochs(new CallbackList([stopper, h]), m, [{ loss: 1 }, { loss: 2 }, { loss: 3 }]);
    expect(h.epoch).toEqual([0, 1]);
    m.dispose();
  });
});
