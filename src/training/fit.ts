import { tf } from '../backend/tf.js';
import { ShapeError, ValueError, fmtShape } from '../engine/errors.js';
import type { History } from './callbacks/index.js';
import type { CompiledSpec } from './compiled.js';
import { checkSeed } from '../data/checks.js';
import { permutation } from '../data/rng.js';
import { checkTargetValues } from './check_values.js';
import { classWeightsFor, gatherRows, sampleCount, sliceRows, toList } from './data.js';
import { evaluateTensors } from './evaluate.js';
import { runEpochs, type LoopModel } from './loop.js';
import type { FitOptions, TensorData } from './options.js';
import type { StepRunner } from './step.js';
import { turnIfDue } from './yield.js';
import { assertTensors } from '../engine/tensor_checks.js';

/** Model input/output names as data may key them. */
export function ioNames(model: LoopModel): { inputs: string[]; outputs: string[] } {
  const m = model as LoopModel & { inputNames?: string[]; outputNames?: string[] };
  return { inputs: m.inputNames ?? ['input'], outputs: m.outputNames ?? [model.layers[model.layers.length - 1]?.name ?? 'output'] };
}

/** Checks x against the inputs and y against the outputs and losses, before any step runs. */
export function checkData(model: LoopModel, spec: CompiledSpec, xs: tf.Tensor[], ys: tf.Tensor[], owner: string): number {
  const n = sampleCount(xs, ys, owner);
  model.ensureBuilt(xs.length === 1 ? [null, ...xs[0]!.shape.slice(1)] : xs.map((t) => [null, ...t.shape.slice(1)]));
  model.checkInputs(xs);
  const outShapes = model.outputShapes;
  spec.losses.forEach((loss, i) => loss.checkShapes(ys[i]!.shape, outShapes[i]!, owner));
  return n;
}

function checkSampleWeight(sw: tf.Tensor | undefined, n: number, owner: string, arg: string): void {
  if (!sw) return;
  if (!(sw instanceof tf.Tensor) || sw.rank !== 1 || sw.shape[0] !== n) {
    throw new ShapeError(`${owner}: '${arg}' must have shape [${n}] (one weight per sample); got ${sw instanceof tf.Tensor ? fmtShape(sw.shape) : String(sw)}`);
  }
}

/** Sample shapes (batch dim omitted) of the model's inputs when known, for reading typed arrays. */
export function inputSampleShapes(model: LoopModel): ((number | null)[] | undefined)[] | undefined {
  try {
    return model.inputShapes.map((s) => s.slice(1));
  } catch {
    return undefined;
  }
}

/** The class count of output `i` (its last dimension), when known. */
export function outputClasses(model: LoopModel, i: number): number | null {
  const s = model.outputShapes[i];
  const c = s?.[s.length - 1];
  return typeof c === 'number' ? c : null;
}

/**
 * Checks label and weight values of in-memory data once, before batching (one device read):
 * see `checkTargetValues`.
 */
export function checkValues(model: LoopModel, spec: CompiledSpec, ys: tf.Tensor[], sw: tf.Tensor | undefined,
  owner: string, arg = 'sampleWeight'): Promise<void> {
  return checkTargetValues({
    losses: spec.losses, ys, outputNames: spec.outputNames, numClasses: (i) => outputClasses(model, i),
    sampleWeights: sw ? [{ tensor: sw, arg }] : [], owner,
  });
}

/**
 * The body of `fit`: plain arrays (x, y, validation data) are converted to tensors first
 * and freed when training ends.
 */
export async function fitTensors(model: LoopModel, spec: CompiledSpec, runner: StepRunner,
  x: TensorData, y: TensorData, opts: FitOptions = {}): Promise<History> {
  const owner = `${model.label}.fit`;
  const names = ioNames(model);
  const shapes = inputSampleShapes(model);
  const owned: tf.Tensor[] = [];
  try {
    const vd = opts.validationData;
    const converted: FitOptions = vd
      ? { ...opts, validationData: [toList(vd[0], names.inputs, owner, 'validationData x', owned, shapes),
        toList(vd[1], names.outputs, owner, 'validationData y', owned), ...vd.slice(2)] as FitOptions['validationData'] }
      : opts;
    return await fitOnTensors(model, spec, runner, toList(x, names.inputs, owner, 'x', owned, shapes),
      toList(y, names.outputs, owner, 'y', owned), converted);
  } finally {
    tf.dispose(owned);
  }
}

async function fitOnTensors(model: LoopModel, spec: CompiledSpec, runner: StepRunner,
  x: TensorData, y: TensorData, opts: FitOptions): Promise<History> {
  const owner = `${model.label}.fit`;
  const names = ioNames(model);
  const xs = toList(x, names.inputs, owner, 'x');
  const ys = toList(y, names.outputs, owner, 'y');
  const n = checkData(model, spec, xs, ys, owner);
  const batchSize = opts.batchSize ?? 32;
  if (!Number.isInteger(batchSize) || batchSize <= 0) {
    throw new ValueError(`${owner}: 'batchSize' must be a positive integer; got ${String(opts.batchSize)}`);
  }
  const split = opts.validationSplit ?? 0;
  if (!(split >= 0 && split < 1)) throw new ValueError(`${owner}: 'validationSplit' must be in [0, 1); got ${String(split)}`);
  checkSeed(owner, opts.seed);
  const freq = opts.validationFreq ?? 1;
  if (!Number.isInteger(freq) || freq < 1) throw new ValueError(`${owner}: 'validationFreq' must be an integer >= 1; got ${String(freq)}`);
  if (opts.sampleWeight !== undefined) assertTensors([opts.sampleWeight], owner, 'sampleWeight');
  checkSampleWeight(opts.sampleWeight, n, owner, 'sampleWeight');
  if (opts.classWeight && ys.length !== 1) {
    throw new ValueError(`${owner}: 'classWeight' applies to single-output models; this one has ${ys.length} outputs`);
  }
  await checkValues(model, spec, ys, opts.sampleWeight, owner);

  const owned: tf.Tensor[] = [];
  let val: { xs: tf.Tensor[]; ys: tf.Tensor[]; sw?: tf.Tensor } | undefined;
  let trainXs = xs;
  let trainYs = ys;
  let nTrain = n;
  let sw = opts.sampleWeight;
  if (opts.classWeight) {
    const numClasses = model.outputShapes[0]![model.outputShapes[0]!.length - 1] ?? 1;
    const cw = classWeightsFor(ys[0]!, opts.classWeight, numClasses, owner);
    owned.push(cw);
    sw = sw ? tf.mul(sw, cw) : cw;
    if (sw !== cw) owned.push(sw);
  }
  try {
    if (opts.validationData) {
      const [vx, vy, vsw] = opts.validationData;
      const vxs = toList(vx, names.inputs, owner, 'validationData x');
      const vys = toList(vy, names.outputs, owner, 'validationData y');
      const nv = checkData(model, spec, vxs, vys, `${owner} (validationData)`);
      checkSampleWeight(vsw, nv, owner, 'validationData sampleWeight');
      await checkValues(model, spec, vys, vsw, `${owner} (validationData)`, 'validationData sampleWeight');
      val = { xs: vxs, ys: vys, sw: vsw };
    } else if (split > 0) {
      nTrain = Math.floor(n * (1 - split));
      if (nTrain === 0 || nTrain === n) {
        throw new ValueError(`${owner}: 'validationSplit' ${split} of ${n} samples leaves an empty training or validation set`);
      }
      trainXs = sliceRows(xs, 0, nTrain);
      trainYs = sliceRows(ys, 0, nTrain);
      val = { xs: sliceRows(xs, nTrain, n - nTrain), ys: sliceRows(ys, nTrain, n - nTrain) };
      owned.push(...trainXs, ...trainYs, ...val.xs, ...val.ys);
      if (sw) {
        const [a, b] = [sliceRows([sw], 0, nTrain)[0]!, sliceRows([sw], nTrain, n - nTrain)[0]!];
        owned.push(a, b);
        sw = a;
        val.sw = b;
      }
    }
    const steps = Math.ceil(nTrain / batchSize);
    const shuffle = opts.shuffle ?? true;
    const trainSw = sw;
    return await runEpochs({
      model, runner, opts, owner,
      params: { steps, samples: nTrain, batchSize },
      hasValidation: !!val,
      body: async (epoch, callbacks) => {
        // A seeded run draws epoch e's order from seed + e, so resuming at initialEpoch
        // continues the same sequence of orders.
        const seed = opts.seed === undefined ? undefined : opts.seed + epoch;
        const perm = shuffle ? tf.tensor1d(permutation(nTrain, seed), 'int32') : undefined;
        try {
          for (let b = 0; b < steps; b++) {
            await callbacks.onBatchBegin(b);
            const start = b * batchSize;
            const size = Math.min(batchSize, nTrain - start);
            const batch = tf.tidy(() => {
              const sources = trainSw ? [...trainXs, ...trainYs, trainSw] : [...trainXs, ...trainYs];
              if (!perm) return sliceRows(sources, start, size);
              return gatherRows(sources, tf.slice(perm, [start], [size]));
            });
            const bx = batch.slice(0, trainXs.length);
            const by = batch.slice(trainXs.length, trainXs.length + trainYs.length);
            runner.trainBatch(bx, by, trainSw ? batch[batch.length - 1] : undefined);
            tf.dispose(batch);
            await callbacks.onBatchEnd(b, { batch: b, size, values: () => runner.read() });
            if (model.stopTraining) break;
            await turnIfDue();
          }
        } finally {
          perm?.dispose();
        }
        return steps;
      },
      validate: val
        ? async (epoch) => {
          if ((epoch + 1) % freq !== 0) return undefined;
          return evaluateTensors(runner, val!.xs, val!.ys, val!.sw, batchSize, 'val_');
        }
        : undefined,
    });
  } finally {
    tf.dispose(owned);
  }
}
