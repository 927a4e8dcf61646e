/** Shared helpers of the io tests: an in-memory save target and a tensor-leak check. */
import { expect } from 'vitest';
import { tf } from '../../src/backend/tf.js';

/** A save handler that keeps what it is given, and a load handler that returns it. */
export function memory(): { save: tf.io.IOHandler; load: () => tf.io.IOHandler; artifacts: () => tf.io.ModelArtifacts } {
  let saved: tf.io.ModelArtifacts | undefined;
  return {
    save: tf.io.withSaveHandler(async (a) => {
      saved = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
    load: () => tf.io.fromMemory(structuredClone(saved!)),
    artifacts: () => structuredClone(saved!),
  };
}

/** Runs `f` and checks that it leaves the number of live tensors unchanged. */
export async function noLeak<T>(f: () => Promise<T>): Promise<T> {
  const before = tf.memory().numTensors;
  const out = await f();
  expect(tf.memory().numTensors).toBe(before);
  return out;
}

/** Largest relative difference between two tensors' values, with `floor` guarding tiny values. */
export function maxRelDiff(a: tf.Tensor, b: tf.Tensor, floor = 1e-3): number {
  const x = a.dataSync();
  const y = b.dataSync();
  expect(x.length).toBe(y.length);
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]! - y[i]!) / Math.max(floor, Math.abs(x[i]!), Math.abs(y[i]!)));
  return m;
}
