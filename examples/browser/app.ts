// The browser demo: train a small CNN on an MNIST subset on the backend picked in the
// page, chart loss and accuracy live, then classify digits drawn on a canvas.
// `npm run serve:example` builds this file (it imports strata from the page bundle) and
// serves the page with the MNIST subset and the wasm binaries.
import * as st from '../../src/browser.js';
import { ProbabilityBars } from './bars.js';
import { TrainingChart } from './chart.js';
import { loadMnist, type MnistPart } from './data.js';
import { SketchPad } from './sketch.js';

type State = 'loading' | 'ready' | 'training' | 'trained' | 'error';
type Backend = 'webgl' | 'webgpu' | 'wasm' | 'cpu';

const TEST_IMAGES = 1000;
const BATCH_SIZE = 32;

function $<T extends HTMLElement>(id: string): T {
  return document.getElementById(id) as T;
}

const ui = {
  backend: $<HTMLSelectElement>('backend'),
  trainSize: $<HTMLSelectElement>('train-size'),
  epochs: $<HTMLSelectElement>('epochs'),
  train: $<HTMLButtonElement>('train'),
  stop: $<HTMLButtonElement>('stop'),
  status: $<HTMLElement>('status'),
  clear: $<HTMLButtonElement>('clear'),
  preview: $<HTMLCanvasElement>('preview'),
};
const chart = new TrainingChart($<HTMLCanvasElement>('chart'));
const bars = new ProbabilityBars($<HTMLElement>('bars'));
const pad = new SketchPad($<HTMLCanvasElement>('pad'), (final) => schedulePredict(final));

let net: st.Sequential | undefined;
let train: (MnistPart & { size: number }) | undefined;
let test: MnistPart | undefined;

function setState(state: State, message?: string): void {
  document.body.dataset.state = state;
  if (message !== undefined) ui.status.textContent = message;
  const busy = state === 'loading' || state === 'training';
  ui.train.disabled = busy || state === 'error';
  ui.stop.disabled = state !== 'training';
  ui.backend.disabled = busy;
  ui.trainSize.disabled = busy;
  ui.epochs.disabled = busy;
}

function fail(err: unknown): void {
  console.error(err);
  setState('error', `Error: ${err instanceof Error ? err.message : String(err)}`);
}

async function useBackend(name: Backend): Promise<void> {
  setState('loading', `Starting the ${name} backend…`);
  await st.setBackend(name);
  const isolated = name === 'wasm' && globalThis.crossOriginIsolated ? ' (threads on: the page is cross-origin isolated)' : '';
  setState(net ? 'trained' : 'ready', `Backend ${st.getBackend()}${isolated}. Pick a size and press Train.`);
}

function buildNet(): st.Sequential {
  return st.sequential([
    st.layers.input({ shape: [28, 28, 1] }),
    st.layers.conv2d({ filters: 8, kernelSize: 5, activation: 'relu' }),
    st.layers.maxPooling2d({ poolSize: 2 }),
    st.layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu' }),
    st.layers.maxPooling2d({ poolSize: 2 }),
    st.layers.flatten(),
    st.layers.dense({ units: 10, activation: 'softmax' }),
  ]);
}

async function ensureData(size: number): Promise<void> {
  if (train?.size === size && test) return;
  setState('loading', `Loading ${size.toLocaleString()} training and ${TEST_IMAGES.toLocaleString()} test images…`);
  if (train) st.tf.dispose([train.images, train.labels]);
  train = { ...(await loadMnist(st, 'train', size)), size };
  test ??= await loadMnist(st, 't10k', TEST_IMAGES);
}

async function startTraining(): Promise<void> {
  const size = Number(ui.trainSize.value);
  const epochs = Number(ui.epochs.value);
  await ensureData(size);
  net?.dispose();
  net = buildNet();
  net.compile({ optimizer: st.optimizers.adam({ learningRate: 3e-3 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const steps = Math.ceil(size / BATCH_SIZE);
  chart.reset(steps * epochs);
  bars.clear();
  setState('training', `Training on ${st.getBackend()}…`);
  let epochNow = 0;
  let lastRead = 0;
  const started = performance.now();
  await net.fit(train!.images, train!.labels, {
    epochs,
    batchSize: BATCH_SIZE,
    validationData: [test!.images, test!.labels],
    verbose: 0,
    callbacks: [{
      onEpochBegin: (epoch) => {
        epochNow = epoch;
      },
      // Reading the running means copies them from the device: a few times a second, and
      // at least every 8 batches so a fast backend still draws a curve.
      onBatchEnd: async (batch, logs) => {
        const now = performance.now();
        if (now - lastRead < 150 && batch % 8 !== 7 && batch !== steps - 1) return;
        lastRead = now;
        const v = await logs.values();
        chart.addBatch(epochNow * steps + batch + 1, v.loss!, v.accuracy!);
        ui.status.textContent = `Training on ${st.getBackend()}: epoch ${epochNow + 1}/${epochs}, batch ${batch + 1}/${steps}, `
          + `loss ${v.loss!.toFixed(3)}, accuracy ${(100 * v.accuracy!).toFixed(1)}%`;
      },
      onEpochEnd: (epoch, logs) => {
        if (logs.val_accuracy !== undefined) chart.addEpoch((epoch + 1) * steps, logs.val_accuracy);
      },
    }],
  });
  const secs = ((performance.now() - started) / 1000).toFixed(1);
  const scores = await net.evaluate(test!.images, test!.labels, { verbose: 0 });
  setState('trained', `Trained on ${st.getBackend()} in ${secs} s: test accuracy ${(100 * scores.accuracy!).toFixed(1)}% `
    + `on ${TEST_IMAGES.toLocaleString()} images. Draw a digit!`);
  schedulePredict(true);
}

let predictQueued = false;
function schedulePredict(final: boolean): void {
  if (!net || document.body.dataset.state !== 'trained' || pad.empty) {
    if (final && !net && !pad.empty) ui.status.textContent = 'Train the network first, then it will read your digit.';
    if (final) pad.toMnist(ui.preview);
    return;
  }
  if (predictQueued) return;
  predictQueued = true;
  requestAnimationFrame(() => {
    predictQueued = false;
    void predict().catch(fail);
  });
}

async function predict(): Promise<void> {
  const img = pad.toMnist(ui.preview);
  if (!img || !net) return;
  const probs = st.tf.tidy(() => net!.predict(st.tf.tensor4d(img, [1, 28, 28, 1])) as st.tf.Tensor);
  const values = await probs.data();
  probs.dispose();
  bars.show(values);
}

async function main(): Promise<void> {
  st.setWasmPaths('/wasm/');
  const webgpu = ui.backend.querySelector<HTMLOptionElement>('option[value="webgpu"]')!;
  if (!('gpu' in navigator)) {
    webgpu.disabled = true;
    webgpu.textContent = 'webgpu (not in this browser)';
  }
  const asked = new URLSearchParams(location.search).get('backend') as Backend | null;
  ui.backend.value = asked ?? 'webgl';
  ui.backend.addEventListener('change', () => void useBackend(ui.backend.value as Backend).catch(fail));
  ui.train.addEventListener('click', () => void startTraining().catch(fail));
  ui.stop.addEventListener('click', () => {
    if (net) net.stopTraining = true;
    ui.status.textContent = 'Stopping after this batch…';
  });
  ui.clear.addEventListener('click', () => {
    pad.clear();
    bars.clear();
    pad.toMnist(ui.preview);
    ui.preview.getContext('2d')!.clearRect(0, 0, 28, 28);
  });
  await useBackend(ui.backend.value as Backend);
}

main().catch(fail);
