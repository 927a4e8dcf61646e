import { ValueError } from '../../engine/errors.js';
import type { Rgba } from './raster.js';

/** Colour scales for heatmaps: `'heat'` (black → red → yellow → white) for magnitudes, `'coolwarm'` (blue → white → red) for signed values, `'gray'`, `'viridis'`-like `'ocean'` (dark blue → teal → yellow). */
export type Colormap = 'heat' | 'coolwarm' | 'gray' | 'ocean';

const STOPS: Record<Colormap, Array<[number, number, number]>> = {
  heat: [[0, 0, 0], [170, 20, 10], [240, 120, 0], [255, 230, 40], [255, 255, 255]],
  coolwarm: [[40, 70, 190], [150, 180, 240], [245, 245, 245], [240, 160, 130], [190, 30, 40]],
  gray: [[0, 0, 0], [255, 255, 255]],
  ocean: [[40, 10, 80], [40, 80, 140], [30, 150, 140], [120, 200, 80], [250, 230, 40]],
};

/** The colour of `t` ∈ [0, 1] (clamped) on a colour scale. */
export function colorAt(map: Colormap, t: number): Rgba {
  const stops = STOPS[map];
  if (!stops) throw new ValueError(`colormap: expected one of ${Object.keys(STOPS).join(', ')}; got ${String(map)}`);
  const u = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(u));
  const f = u - i;
  const a = stops[i]!;
  const b = stops[i + 1]!;
  return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f, 255];
}

/** Checks a colour-scale name. */
export function checkColormap(map: string | undefined, fallback: Colormap, owner: string): Colormap {
  const m = map ?? fallback;
  if (!Object.prototype.hasOwnProperty.call(STOPS, m)) throw new ValueError(`${owner}: 'colormap' must be one of ${Object.keys(STOPS).join(', ')}; got ${String(map)}`);
  return m as Colormap;
}
