/** Shared helpers of the io tests: an in-memory save target, a tensor-leak check, and the checks the Keras-fixture suites share. */
import { describe, expect, it } from 'vitest';
import { tf } from '../../src/backend/tf.js';
import { H5Reader } from '../../src/io/keras/h5.js';

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

/** Largest |a - b| over two arrays of the same length. */
export function maxAbs(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** A model as the io layer sees it: weights to overwrite, and disposal. */
interface FixtureModel {
  weights: { read(): tf.Tensor; write(t: tf.Tensor): void }[];
  dispose(): void;
}

/**
 * One suite per Keras weight layout (the `model.weights.h5` inside a `.keras` file, and the
 * legacy `.h5`): each named fixture model loads, has its weights zeroed (so its predictions
 * move off Keras' by more than 1e-3), and gets them back through `loadWeights` within 1e-5.
 */
export function weightsAloneSuites<M extends FixtureModel>(
  title: string,
  names: string[],
  opts: {
    load: (name: string) => Promise<M>;
    keras3Weights: (name: string) => Uint8Array;
    legacy: (name: string) => Uint8Array;
    loadWeights: (m: M, bytes: Uint8Array) => Promise<void>;
    err: (m: M, name: string) => number;
  },
): void {
  describe(title, () => {
    const sources: [string, (name: string) => Uint8Array][] = [
      ['Keras 3 save_weights layout (model.weights.h5 of the .keras file)', opts.keras3Weights],
      ['legacy layout (the .h5 file)', opts.legacy],
    ];
    for (const [what, bytesOf] of sources) {
      for (const name of names) {
        it(`${name}: ${what}`, async () => {
          const m = await opts.load(name);
          for (const w of m.weights) {
            const z = tf.zerosLike(w.read());
            w.write(z);
            z.dispose();
          }
          expect(opts.err(m, name)).toBeGreaterThan(1e-3);
          await opts.loadWeights(m, bytesOf(name));
          expect(opts.err(m, name)).toBeLessThanOrEqual(1e-5);
          m.dispose();
        });
      }
    }
  });
}

/**
 * Every dataset (with its shape) of an HDF5 file below `layers`, sorted; with `groups`,
 * every group too (as `path/`), so that empty groups count.
 */
export async function h5Layout(bytes: Uint8Array, groups: boolean): Promise<string[]> {
  const h5 = await H5Reader.open(bytes, 'test');
  const out: string[] = [];
  const visit = (p: string): void => {
    for (const k of h5.keys(p)) {
      const q = `${p}/${k}`;
      if (h5.isGroup(q)) {
        if (groups) out.push(`${q}/`);
        visit(q);
      } else out.push(`${q} [${h5.info(q).shape}]`);
    }
  };
  try {
    visit('layers');
  } finally {
    h5.close();
  }
  return out.sort();
}
