import { tf } from '../backend/tf.js';
import { ValueError } from '../engine/errors.js';
import type { Logs } from './callbacks/callback.js';
import type { History } from './callbacks/index.js';
import type { CompiledSpec } from './compiled.js';
import { toList } from './data.js';
import { evaluateTensors } from './evaluate.js';
import { DeviceValueWatch } from './check_values.js';
import { checkData, checkValues, inputSampleShapes, ioNames, outputClasses } from './fit.js';
import { runEpochs, type LoopModel } from './loop.js';
import type { Dataset, DatasetBatch, FitDatasetOptions } from './options.js';
import type { StepRunner } from './step.js';
import { turnIfDue } from './yield.js';

type AnyIterator = Iterator<DatasetBatch> | AsyncIterator<DatasetBatch>;

function iterate(data: Dataset, owner: string): AnyIterator {
  const d = data as Partial<AsyncIterable<DatasetBatch> & Iterable<DatasetBatch>>;
  if (typeof d[Symbol.asyncIterator] === 'function') return d[Symbol.asyncIterator]!();
  if (typeof d[Symbol.iterator] === 'function') return d[Symbol.iterator]!();
  throw new ValueError(`${owner}: the dataset must be an iterable or async iterable of { xs, ys } batches; got ${typeof data}`);
}

function isDataset(v: unknown): v is Dataset {
  return !!v && typeof v === 'object' && !Array.isArray(v) &&
    (Symbol.asyncIterator in (v as object) || Symbol.iterator in (v as object));
}

/**
 * Runs batches from `it` through `step`; stops after `limit` batches or when the iterator
 * ends. Batch tensors are owned by the loop once yielded, and disposed after their step.
 */
async function drain(it: AnyIterator, limit: number | undefined, model: LoopModel, spec: CompiledSpec, owner: string,
  step: (xs: tf.Tensor[], ys: tf.Tensor[], sw: tf.Tensor | undefined, index: number) => Promise<void>): Promise<number> {
  const names = ioNames(model);
  let count = 0;
  while (limit === undefined || count < limit) {
    const r = await it.next();
    if (r.done) break;
    const b = r.value;
    if (!b || typeof b !== 'object' || b.xs === undefined || b.ys === undefined) {
      throw new ValueError(`${owner}: each dataset element must be { xs, ys }; element ${count} is ${JSON.stringify(Object.keys(b ?? {}))}`);
    }
    const owned: tf.Tensor[] = [];
    try {
      const xs = toList(b.xs, names.inputs, owner, 'xs', owned, inputSampleShapes(model));
      const ys = toList(b.ys, names.outputs, owner, 'ys', owned);
      checkData(model, spec, xs, ys, owner);
      await step(xs, ys, b.sampleWeight, count);
    } finally {
      // The loop owns the batch once yielded: free its tensors and anything converted.
      const given = [b.xs, b.ys].flatMap((d) => (d instanceof tf.Tensor ? [d] : Array.isArray(d) ? d : Object.values(d ?? {})))
        .filter((t): t is tf.Tensor => t instanceof tf.Tensor);
      tf.dispose([...given, ...owned, ...(b.sampleWeight ? [b.sampleWeight] : [])]);
    }
    count++;
    if (model.stopTraining) break;
  }
  return count;
}

/** The body of `fitDataset`: batches come from a (sync or async) iterable. */
export async function fitDatasetImpl(model: LoopModel, spec: CompiledSpec, runner: StepRunner,
  data: Dataset, opts: FitDatasetOptions = {}): Promise<History> {
  const owner = `${model.label}.fitDataset`;
  const steps = opts.stepsPerEpoch;
  if (steps !== undefined && (!Number.isInteger(steps) || steps <= 0)) {
    throw new ValueError(`${owner}: 'stepsPerEpoch' must be a positive integer; got ${String(steps)}`);
  }
  const shared = steps !== undefined ? iterate(data, owner) : undefined;
  const vd = opts.validationData;
  const names = ioNames(model);
  // Plain-array validation data converted to tensors here, freed when training ends.
  const converted: tf.Tensor[] = [];
  let validate: ((epoch: number) => Promise<Logs | undefined>) | undefined;
  if (isDataset(vd)) {
    validate = async () => {
      runner.reset();
      const n = await drain(iterate(vd, owner), opts.validationSteps, model, spec, `${owner} (validationData)`,
        async (xs, ys, sw) => runner.testBatch(xs, ys, sw));
      if (n === 0) throw new ValueError(`${owner}: the validation dataset yielded no batches`);
      return runner.read('val_');
    };
  } else if (Array.isArray(vd)) {
    const vxs = toList(vd[0], names.inputs, owner, 'validationData x', converted, inputSampleShapes(model));
    const vys = toList(vd[1], names.outputs, owner, 'validationData y', converted);
    checkData(model, spec, vxs, vys, `${owner} (validationData)`);
    await checkValues(model, spec, vys, undefined, `${owner} (validationData)`);
    validate = async () => evaluateTensors(runner, vxs, vys, undefined, 32, 'val_');
  }
  // Batch label and weight values are checked on the device and read once per epoch.
  const watch = new DeviceValueWatch(spec.losses, spec.outputNames, (i) => outputClasses(model, i));
  try {
    return await runEpochs({
      model, runner, opts, owner,
      params: { steps },
      hasValidation: !!validate,
      validate,
      body: async (epoch, callbacks) => {
        const it = shared ?? iterate(data, owner);
        const n = await drain(it, steps, model, spec, owner, async (xs, ys, sw, b) => {
          await callbacks.onBatchBegin(b);
          watch.add(ys, sw);
          runner.trainBatch(xs, ys, sw);
          await callbacks.onBatchEnd(b, { batch: b, size: xs[0]!.shape[0]!, values: () => runner.read() });
          await turnIfDue();
        });
        if (n === 0) {
          throw new ValueError(`${owner}: the dataset yielded no batches in epoch ${epoch}` +
            (steps !== undefined ? '; it ran out before stepsPerEpoch × epochs batches' : ''));
        }
        await watch.check(owner, epoch);
        if (steps !== undefined && n < steps) {
          // Keras: the input ran out of data, so training ends here rather than failing.
          console.warn(`${owner}: the dataset ran out after ${n} of ${steps} steps in epoch ${epoch}; stopping training`);
          model.stopTraining = true;
        }
        return n;
      },
    });
  } finally {
    watch.dispose();
    tf.dispose(converted);
  }
}
