import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Python-driven oracle tests run with `npm run test:oracle` (vitest.oracle.config.ts).
    exclude: ['test/oracle/**', 'node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Test files run in parallel forks, which already keep every core busy: one wasm thread
    // each, so no thread pool waits on a core another fork holds. Tests of threads set
    // their own counts.
    env: { STRATA_THREADS: process.env.STRATA_THREADS ?? '1' },
    // vitest inlines tfjs-core's ESM files (below) beside its CJS entry, so the Node
    // platform is registered twice in tests only (the built package registers it once);
    // tfjs then warns on every test file. Drop that one line.
    onConsoleLog: (log) => !/^Platform node has already been set/.test(log),
    server: {
      deps: {
        // tfjs-core's gradient and chained-op registrations are ESM with extensionless
        // imports; let vite resolve them.
        inline: [/@tensorflow\/tfjs-core\/dist\//],
      },
    },
  },
});
