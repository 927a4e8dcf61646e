import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../src/backend/tf.js';
import { setBackend } from '../../src/backend/backends.js';
import {
  ADDED_WASM_KERNELS,
  REPLACED_WASM_KERNELS,
  WRAPPED_WASM_KERNELS,
  originalWasmKernel,
  registerWasmKernels,
} from '../../src/backend/kernels/index.js';

beforeAll(async () => {
  await setBackend('wasm');
});

const all = [...ADDED_WASM_KERNELS, ...REPLACED_WASM_KERNELS, ...WRAPPED_WASM_KERNELS];

describe('registerWasmKernels', () => {
  it('has registered every kernel (backends.ts calls it on import)', () => {
    for (const name of all) expect(tf.getKernel(name, 'wasm'), name).toBeDefined();
  });

  it('is idempotent: a second call changes no registration', () => {
    const before = all.map((name) => tf.getKernel(name, 'wasm'));
    const gradients = ['Conv2D', 'DepthwiseConv2dNative'].map((name) => tf.getGradient(name));
    registerWasmKernels();
    registerWasmKernels();
    expect(all.map((name) => tf.getKernel(name, 'wasm'))).toEqual(before);
    all.forEach((name, i) => expect(tf.getKernel(name, 'wasm'), name).toBe(before[i]));
    expect(['Conv2D', 'DepthwiseConv2dNative'].map((name) => tf.getGradient(name))).toEqual(gradients);
  });

  it('keeps the backend kernels it replaced or wrapped, with their setup', () => {
    for (const name of [...REPLACED_WASM_KERNELS, ...WRAPPED_WASM_KERNELS]) {
      const original = originalWasmKernel(name);
      expect(original, name).toBeDefined();
      expect(original!.kernelFunc, name).not.toBe(tf.getKernel(name, 'wasm')!.kernelFunc);
      expect(tf.getKernel(name, 'wasm')!.setupFunc, name).toBe(original!.setupFunc);
    }
    for (const name of ADDED_WASM_KERNELS) expect(originalWasmKernel(name), name).toBeUndefined();
  });

  it('the wrapped matMul returns what the backend kernel returns on its fast path', () => {
    const a = tf.randomNormal([5, 7], 0, 1, 'float32', 1);
    const b = tf.randomNormal([7, 3], 0, 1, 'float32', 2);
    const run = (config: tf.KernelConfig) => {
      const out = config.kernelFunc({ inputs: { a, b }, backend: tf.backend(), attrs: { transposeA: false, transposeB: false } }) as tf.TensorInfo;
      const values = Array.from(tf.backend().readSync(out.dataId) as Float32Array);
      tf.backend().disposeData(out.dataId);
      return values;
    };
    expect(run(tf.getKernel('BatchMatMul', 'wasm')!)).toEqual(run(originalWasmKernel('BatchMatMul')!));
    tf.dispose([a, b]);
  });
});
