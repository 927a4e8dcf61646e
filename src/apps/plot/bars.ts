import { ValueError } from '../../engine/errors.js';
import { formatTick } from './charts.js';
import { textWidth } from './font.js';
import { Raster, type Rgba } from './raster.js';

/** Options of {@link barChartImage}. */
export interface BarChartOptions {
  /** Title above the bars. */
  title?: string;
  /** Width of the picture in pixels. Default 560. */
  width?: number;
  /** Height of one bar row. Default 22. */
  rowHeight?: number;
}

const INK: Rgba = [30, 30, 30, 255];
const POS: Rgba = [200, 50, 50, 255];
const NEG: Rgba = [40, 90, 200, 255];

/**
 * Signed values as horizontal bars, one labelled row each, in the order given — e.g. a
 * sample's SHAP values or LIME coefficients (positive red, negative blue).
 */
export function barChartImage(values: ReadonlyArray<readonly [string, number]>, opts: BarChartOptions = {}): Raster {
  const owner = 'barChartImage';
  if (!Array.isArray(values) || values.length === 0) throw new ValueError(`${owner}: expected a non-empty list of [label, value] pairs`);
  for (const v of values) {
    if (!Array.isArray(v) || typeof v[0] !== 'string' || !Number.isFinite(v[1])) throw new ValueError(`${owner}: each entry must be [label, finite number]; got ${JSON.stringify(v)}`);
  }
  const width = opts.width ?? 560;
  const rowH = opts.rowHeight ?? 22;
  const top = opts.title ? 30 : 10;
  const labelW = Math.max(...values.map(([l]) => textWidth(l, 2))) + 12;
  const valueW = Math.max(...values.map(([, v]) => textWidth(formatTick(v), 2))) + 12;
  const r = new Raster(width, top + values.length * rowH + 10);
  if (opts.title) r.textCentered(width / 2, 8, opts.title, INK);
  const maxAbs = Math.max(...values.map(([, v]) => Math.abs(v))) || 1;
  const hasNeg = values.some(([, v]) => v < 0);
  const plotL = labelW;
  const plotR = width - valueW;
  const zero = hasNeg ? (plotL + plotR) / 2 : plotL;
  const half = hasNeg ? (plotR - plotL) / 2 : plotR - plotL;
  values.forEach(([label, v], i) => {
    const y = top + i * rowH;
    r.text(labelW - 8 - textWidth(label, 2), y + rowH / 2 - 5, label, INK);
    const len = (Math.abs(v) / maxAbs) * half;
    r.fillRect(v >= 0 ? zero : zero - len, y + 3, Math.max(1, len), rowH - 6, v >= 0 ? POS : NEG);
    r.text(plotR + 6, y + rowH / 2 - 5, formatTick(v), INK);
  });
  r.line(zero, top, zero, top + values.length * rowH, INK);
  return r;
}
