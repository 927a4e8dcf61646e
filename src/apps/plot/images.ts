import { ValueError } from '../../engine/errors.js';
import { checkColormap, colorAt, type Colormap } from './colormap.js';
import { range, readPixels, sample, type PixelSource } from './pixels.js';
import { Raster, lineHeight } from './raster.js';

/** Options of {@link heatmapImage}. */
export interface HeatmapOptions {
  /** Colour scale. Default `'heat'`, or `'coolwarm'` when `symmetric`. */
  colormap?: Colormap;
  /** Screen pixels per map cell. Default: enough for the picture to be about 224 pixels wide. */
  scale?: number;
  /** Value drawn at the bottom of the scale. Default: the map's minimum (or −max|v| when symmetric). */
  min?: number;
  /** Value drawn at the top. Default: the map's maximum (or max|v|). */
  max?: number;
  /** Centre the scale on 0, for signed attributions. Default false. */
  symmetric?: boolean;
}

/** Options of {@link imageImage}. */
export interface ImageOptions {
  /** Screen pixels per image pixel. Default: about 224 pixels wide. */
  scale?: number;
  /** Value shown black. Default: 0 when values are in [0, 1] or [0, 255], else the minimum. */
  min?: number;
  /** Value shown white. Default: 1 or 255, else the maximum. */
  max?: number;
}

/** Options of {@link overlayImage}. */
export interface OverlayOptions extends ImageOptions {
  /** Opacity of the heatmap over the image, 0–1. Default 0.5. */
  alpha?: number;
  /** Colour scale of the heatmap. Default `'heat'`. */
  colormap?: Colormap;
}

/** Options of {@link gridImage}. */
export interface GridOptions {
  /** Pictures per row. Default: about square. */
  columns?: number;
  /** A caption under each picture. */
  labels?: readonly string[];
  /** Space between pictures, in pixels. Default 6. */
  padding?: number;
  /** Title above the grid. */
  title?: string;
}

function autoScale(width: number, scale: number | undefined, owner: string): number {
  const s = scale ?? Math.max(1, Math.round(224 / width));
  if (!Number.isInteger(s) || s < 1 || s > 256) throw new ValueError(`${owner}: 'scale' must be an integer in [1, 256]; got ${String(scale)}`);
  return s;
}

function bounds(data: ArrayLike<number>, min: number | undefined, max: number | undefined, symmetric: boolean): [number, number] {
  let [lo, hi] = range(data);
  if (symmetric) {
    const m = Math.max(Math.abs(lo), Math.abs(hi));
    [lo, hi] = [-m, m];
  }
  lo = min ?? lo;
  hi = max ?? hi;
  return hi > lo ? [lo, hi] : [lo, lo + 1];
}

/**
 * A 2-D map (saliency, attributions, Grad-CAM) as a colour picture, each cell a
 * `scale × scale` square.
 */
export function heatmapImage(map: PixelSource, opts: HeatmapOptions = {}): Raster {
  const owner = 'heatmapImage';
  const p = readPixels(map, owner);
  if (p.channels !== 1) throw new ValueError(`${owner}: a heatmap has one channel; reduce the channels first (e.g. tf.max(abs(a), -1))`);
  const cmap = checkColormap(opts.colormap, opts.symmetric ? 'coolwarm' : 'heat', owner);
  const s = autoScale(p.width, opts.scale, owner);
  const [lo, hi] = bounds(p.data, opts.min, opts.max, opts.symmetric ?? false);
  const r = new Raster(p.width * s, p.height * s);
  for (let y = 0; y < p.height; y++) {
    for (let x = 0; x < p.width; x++) r.fillRect(x * s, y * s, s, s, colorAt(cmap, (p.data[y * p.width + x]! - lo) / (hi - lo)));
  }
  return r;
}

/** An image (grey or RGB) as a picture. */
export function imageImage(image: PixelSource, opts: ImageOptions = {}): Raster {
  const owner = 'imageImage';
  const p = readPixels(image, owner);
  const s = autoScale(p.width, opts.scale, owner);
  const [dlo, dhi] = range(p.data);
  const lo = opts.min ?? (dlo >= 0 && dhi <= 1 ? 0 : dlo >= 0 && dhi <= 255 ? 0 : dlo);
  const hi = opts.max ?? (dlo >= 0 && dhi <= 1 ? 1 : dlo >= 0 && dhi <= 255 ? 255 : dhi);
  const r = new Raster(p.width * s, p.height * s);
  const to255 = (v: number) => (255 * (v - lo)) / (hi - lo || 1);
  for (let y = 0; y < p.height; y++) {
    for (let x = 0; x < p.width; x++) {
      const o = (y * p.width + x) * p.channels;
      const c = p.channels === 1 ? [to255(p.data[o]!), to255(p.data[o]!), to255(p.data[o]!)] : [to255(p.data[o]!), to255(p.data[o + 1]!), to255(p.data[o + 2]!)];
      r.fillRect(x * s, y * s, s, s, [c[0]!, c[1]!, c[2]!, 255]);
    }
  }
  return r;
}

/**
 * A heatmap laid over an image: the map is resized (bilinear) to the image, coloured and
 * blended at `alpha` — the usual way to show Grad-CAM or attributions.
 */
export function overlayImage(image: PixelSource, map: PixelSource, opts: OverlayOptions = {}): Raster {
  const owner = 'overlayImage';
  const base = imageImage(image, opts);
  const m = readPixels(map, owner);
  if (m.channels !== 1) throw new ValueError(`${owner}: the map must have one channel`);
  const alpha = opts.alpha ?? 0.5;
  if (!(alpha >= 0 && alpha <= 1)) throw new ValueError(`${owner}: 'alpha' must be in [0, 1]; got ${String(opts.alpha)}`);
  const cmap = checkColormap(opts.colormap, 'heat', owner);
  const [lo, hi] = bounds(m.data, undefined, undefined, false);
  for (let y = 0; y < base.height; y++) {
    for (let x = 0; x < base.width; x++) {
      const v = sample(m, ((x + 0.5) * m.width) / base.width - 0.5, ((y + 0.5) * m.height) / base.height - 0.5);
      const c = colorAt(cmap, (v - lo) / (hi - lo));
      base.set(x, y, [c[0], c[1], c[2], Math.round(alpha * 255)]);
    }
  }
  return base;
}

/** Several pictures in a grid, with optional captions and a title. */
export function gridImage(tiles: readonly Raster[], opts: GridOptions = {}): Raster {
  const owner = 'gridImage';
  if (!Array.isArray(tiles) || tiles.length === 0 || tiles.some((t) => !(t instanceof Raster))) {
    throw new ValueError(`${owner}: expected a non-empty list of pictures`);
  }
  if (opts.labels && opts.labels.length !== tiles.length) throw new ValueError(`${owner}: ${opts.labels.length} labels for ${tiles.length} pictures`);
  const cols = opts.columns ?? Math.ceil(Math.sqrt(tiles.length));
  if (!Number.isInteger(cols) || cols < 1) throw new ValueError(`${owner}: 'columns' must be a positive integer; got ${String(opts.columns)}`);
  const pad = opts.padding ?? 6;
  const rows = Math.ceil(tiles.length / cols);
  const cw = Math.max(...tiles.map((t) => t.width));
  const ch = Math.max(...tiles.map((t) => t.height));
  const cap = opts.labels ? lineHeight(2) + 6 : 0;
  const top = opts.title ? lineHeight(2) + 10 : 0;
  const r = new Raster(cols * (cw + pad) + pad, top + rows * (ch + cap + pad) + pad);
  if (opts.title) r.textCentered(r.width / 2, 6, opts.title, [0, 0, 0, 255]);
  tiles.forEach((t, i) => {
    const x = pad + (i % cols) * (cw + pad);
    const y = top + pad + Math.floor(i / cols) * (ch + cap + pad);
    r.blit(t, x, y);
    if (opts.labels) r.textCentered(x + t.width / 2, y + t.height + 4, opts.labels[i]!, [0, 0, 0, 255]);
  });
  return r;
}
