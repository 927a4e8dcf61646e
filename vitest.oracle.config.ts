import { defineConfig } from 'vitest/config';

// Tests that drive the real Keras / TensorBoard / shap / PyTorch in Python as oracles. They
// need `STRATA_PYTHON` (a Python with keras, jax, h5py, tensorboard, shap, torch) and run
// with `npm run test:oracle`; `npm test` never needs Python: committed fixtures that the
// scripts in scripts/fixtures/ generated cover the same features there.
export default defineConfig({
  test: {
    include: ['test/oracle/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: 'forks',
    server: { deps: { inline: [/@tensorflow\/tfjs-core\/dist\//] } },
  },
});
