import { execFileSync } from 'node:child_process';

/**
 * The Python that oracle tests drive: `STRATA_PYTHON` (a venv with keras, jax, h5py,
 * tensorboard, shap, torch). Oracle tests run only through `npm run test:oracle`, so a
 * missing Python is an error there, not a silent pass.
 */
export function oraclePython(): string {
  const py = process.env.STRATA_PYTHON;
  if (!py) throw new Error('oracle tests need STRATA_PYTHON: a Python with keras, jax, h5py, tensorboard, shap and torch');
  return py;
}

/** Runs a Python script (source text) with the oracle Python, KERAS_BACKEND=jax; returns stdout. */
export function runPython(source: string, args: readonly string[] = [], cwd?: string): string {
  return execFileSync(oraclePython(), ['-c', source, ...args], {
    cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, KERAS_BACKEND: process.env.KERAS_BACKEND ?? 'jax' },
  });
}

/**
 * Keras' predictions of each `<name>.keras` in `dir` on `<name>.input.json` (`{ shape, x }`,
 * with an optional `dtype`, float32 when absent), flattened.
 */
export function kerasPredicts(dir: string, names: string[]): Record<string, number[]> {
  const out = runPython(`
import json, os, sys
import numpy as np
import keras
d = sys.argv[1]
res = {}
for name in sys.argv[2:]:
    m = keras.models.load_model(os.path.join(d, name + ".keras"))
    spec = json.load(open(os.path.join(d, name + ".input.json")))
    x = np.array(spec["x"], dtype=spec.get("dtype", "float32")).reshape(spec["shape"])
    res[name] = np.asarray(m.predict(x, verbose=0)).ravel().tolist()
print(json.dumps(res))
`, [dir, ...names]);
  return JSON.parse(out.trim().split('\n').pop()!) as Record<string, number[]>;
}
