import { ValueError } from '../../engine/errors.js';
import { type BatchLogs, Callback, type CallbackHooks, type CallbackModel, type Logs, type TrainingParams } from './callback.js';

const HOOKS = ['onTrainBegin', 'onTrainEnd', 'onEpochBegin', 'onEpochEnd', 'onBatchBegin', 'onBatchEnd'] as const;

/** Wraps a plain object of hook functions as a Callback; hooks run with `this` = the object. */
class HooksCallback extends Callback {
  constructor(private readonly hooks: CallbackHooks) {
    super();
  }
  override onTrainBegin(logs?: Logs) {
    return this.hooks.onTrainBegin?.call(this.hooks, logs);
  }
  override onTrainEnd(logs?: Logs) {
    return this.hooks.onTrainEnd?.call(this.hooks, logs);
  }
  override onEpochBegin(epoch: number, logs?: Logs) {
    return this.hooks.onEpochBegin?.call(this.hooks, epoch, logs);
  }
  override onEpochEnd(epoch: number, logs: Logs) {
    return this.hooks.onEpochEnd?.call(this.hooks, epoch, logs);
  }
  override onBatchBegin(batch: number) {
    return this.hooks.onBatchBegin?.call(this.hooks, batch);
  }
  override onBatchEnd(batch: number, logs: BatchLogs) {
    return this.hooks.onBatchEnd?.call(this.hooks, batch, logs);
  }
}

function isCallback(c: unknown): c is Callback {
  // Duck-typed too, so callbacks built against another copy of strata still work.
  return c instanceof Callback || typeof (c as Partial<Callback>).setModel === 'function';
}

function toCallback(c: Callback | CallbackHooks, index: number): Callback {
  if (c === null || typeof c !== 'object') {
    throw new ValueError(`CallbackList: callbacks[${index}] must be a Callback or an object of hook functions; got ${c === null ? 'null' : typeof c}`);
  }
  if (isCallback(c)) return c;
  for (const [key, value] of Object.entries(c)) {
    const known = (HOOKS as readonly string[]).includes(key);
    if (known && typeof value !== 'function') {
      throw new ValueError(`CallbackList: callbacks[${index}].${key} must be a function; got ${typeof value}`);
    }
    if (!known && /^on[A-Z_]/.test(key)) {
      throw new ValueError(`CallbackList: callbacks[${index}] has unknown hook '${key}'; expected one of ${HOOKS.join(', ')}`);
    }
  }
  return new HooksCallback(c);
}

/**
 * Runs a list of callbacks: every hook is forwarded to each callback in order, and async
 * hooks are awaited before the next callback runs. Plain objects of hooks
 * (`{ onEpochEnd: (epoch, logs) => … }`) are accepted beside Callback instances.
 *
 * Within one batch, `values()` of the batch logs is read at most once however many
 * callbacks ask, since each read is a device → host copy.
 */
export class CallbackList extends Callback {
  /** The callbacks, in call order (plain objects wrapped). */
  readonly callbacks: Callback[];

  constructor(callbacks: readonly (Callback | CallbackHooks)[] = []) {
    super();
    if (!Array.isArray(callbacks)) {
      throw new ValueError(`CallbackList: expected an array of callbacks; got ${typeof callbacks}`);
    }
    this.callbacks = callbacks.map(toCallback);
  }

  /** Adds a callback (or plain object of hooks) at the end. */
  append(callback: Callback | CallbackHooks): void {
    this.callbacks.push(toCallback(callback, this.callbacks.length));
  }

  override setModel(model: CallbackModel): void {
    super.setModel(model);
    for (const c of this.callbacks) c.setModel(model);
  }

  override setParams(params: TrainingParams): void {
    super.setParams(params);
    for (const c of this.callbacks) c.setParams(params);
  }

  override async onTrainBegin(logs?: Logs): Promise<void> {
    for (const c of this.callbacks) await c.onTrainBegin(logs);
  }

  override async onTrainEnd(logs?: Logs): Promise<void> {
    for (const c of this.callbacks) await c.onTrainEnd(logs);
  }

  override async onEpochBegin(epoch: number, logs?: Logs): Promise<void> {
    for (const c of this.callbacks) await c.onEpochBegin(epoch, logs);
  }

  override async onEpochEnd(epoch: number, logs: Logs): Promise<void> {
    for (const c of this.callbacks) await c.onEpochEnd(epoch, logs);
  }

  override async onBatchBegin(batch: number): Promise<void> {
    for (const c of this.callbacks) await c.onBatchBegin(batch);
  }

  override async onBatchEnd(batch: number, logs: BatchLogs): Promise<void> {
    let read: Promise<Logs> | undefined;
    const shared: BatchLogs = {
      batch: logs.batch,
      size: logs.size,
      // Each caller gets its own copy, so one callback's edits do not reach the next.
      values: async () => ({ ...(await (read ??= logs.values())) }),
    };
    for (const c of this.callbacks) await c.onBatchEnd(batch, shared);
  }
}
