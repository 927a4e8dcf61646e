import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Python-driven oracle tests run with `npm run test:oracle` (vitest.oracle.config.ts).
    exclude: ['test/oracle/**', 'node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    server: {
      deps: {
        // tfjs-core's gradient and chained-op registrations are ESM with extensionless
        // imports; let vite resolve them.
        inline: [/@tensorflow\/tfjs-core\/dist\//],
      },
    },
  },
});
