/**
 * Pictures as PNG files (Node): everything in the common `plot` module, plus writers.
 * @module
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import pngjs from 'pngjs';
import { ValueError } from '../engine/errors.js';
import {
  Raster, barChartImage, confusionMatrixImage, gridImage, heatmapImage, historyImage, overlayImage,
  type BarChartOptions, type ConfusionImageOptions, type ConfusionLike, type GridOptions, type HeatmapOptions, type HistoryImageOptions,
  type HistoryLike, type OverlayOptions, type PixelSource,
} from '../apps/plot/index.js';

export * from '../apps/plot/index.js';

/** A picture encoded as PNG bytes. */
export function encodePng(raster: Raster): Uint8Array {
  if (!(raster instanceof Raster)) throw new ValueError('encodePng: expected a Raster');
  const png = new pngjs.PNG({ width: raster.width, height: raster.height });
  png.data = Buffer.from(raster.data.buffer, raster.data.byteOffset, raster.data.byteLength);
  return pngjs.PNG.sync.write(png);
}

/** Writes a picture to a PNG file, creating folders; the file appears whole or not at all. */
export async function writePng(raster: Raster, path: string): Promise<void> {
  if (typeof path !== 'string' || path.length === 0) throw new ValueError(`writePng: 'path' must be a file path; got ${String(path)}`);
  const bytes = encodePng(raster);
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(tmp, bytes);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/**
 * Training curves of a `History` as a PNG.
 * @example
 * ```ts
 * const history = await net.fit(x, y, { epochs: 5, validationSplit: 0.1 });
 * await st.plot.history(history, 'out/curves.png');
 * ```
 */
export async function history(h: HistoryLike, path: string, opts: HistoryImageOptions = {}): Promise<Raster> {
  const r = historyImage(h, opts);
  await writePng(r, path);
  return r;
}

/** A 2-D map as a colour PNG. */
export async function heatmap(map: PixelSource, path: string, opts: HeatmapOptions = {}): Promise<Raster> {
  const r = heatmapImage(map, opts);
  await writePng(r, path);
  return r;
}

/** A heatmap over an image, as a PNG. */
export async function overlay(image: PixelSource, map: PixelSource, path: string, opts: OverlayOptions = {}): Promise<Raster> {
  const r = overlayImage(image, map, opts);
  await writePng(r, path);
  return r;
}

/** Several pictures in a grid, as a PNG. */
export async function grid(tiles: readonly Raster[], path: string, opts: GridOptions = {}): Promise<Raster> {
  const r = gridImage(tiles, opts);
  await writePng(r, path);
  return r;
}

/** A confusion matrix as a PNG. */
export async function confusionMatrix(cm: ConfusionLike, path: string, opts: ConfusionImageOptions = {}): Promise<Raster> {
  const r = confusionMatrixImage(cm, opts);
  await writePng(r, path);
  return r;
}

/** Signed values as a labelled bar chart PNG (e.g. SHAP values or LIME coefficients). */
export async function barChart(values: ReadonlyArray<readonly [string, number]>, path: string, opts: BarChartOptions = {}): Promise<Raster> {
  const r = barChartImage(values, opts);
  await writePng(r, path);
  return r;
}
