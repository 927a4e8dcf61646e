/** Options of {@link buildBrowser}. */
export interface BuildBrowserOptions {
  /** Output folder. Default: the repository's dist/. */
  outDir?: string;
  /** Build even when the outputs are newer than the sources. Default false. */
  force?: boolean;
  /** Minify the page bundle. Default false. */
  minify?: boolean;
  /** Print nothing. Default false. */
  quiet?: boolean;
}

/** Builds `<outDir>/strata.browser.js` and the demo `<outDir>/demo/app.js`. */
export function buildBrowser(opts?: BuildBrowserOptions): Promise<{ bundle: string; demo: string; rebuilt: boolean }>;

/** Static and dynamic imports of Node modules in bundled ES module code. */
export function findNodeImports(code: string): string[];

/** The URL path pages import the bundle from. */
export const BUNDLE_URL: string;
