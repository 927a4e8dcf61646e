import { ValueError } from '../../engine/errors.js';
import { colorAt } from './colormap.js';
import { textWidth } from './font.js';
import { Raster, lineHeight, type Rgba } from './raster.js';

/** Per-epoch logs: a `History` (from `fit`) or its `history` record. */
export type HistoryLike = HistoryRecord | Record<string, number[]>;

/** Anything with a `history` record, like the `History` that `fit` returns. */
export interface HistoryRecord {
  /** Each log's values, one per epoch. */
  history: Record<string, number[]>;
}

/** Options of {@link historyImage}. */
export interface HistoryImageOptions {
  /** Width of each panel in pixels. Default 380. */
  panelWidth?: number;
  /** Height of each panel. Default 260. */
  panelHeight?: number;
  /** Panels per row. Default 2. */
  columns?: number;
  /** Which logs to draw (without `val_`); default every training log. */
  metrics?: readonly string[];
}

/** A confusion matrix as a table of counts (rows: true class). */
export type ConfusionLike = ConfusionTable | number[][];

/** Counts with class names, like the `ConfusionMatrix` of `st.metrics.confusionMatrix`. */
export interface ConfusionTable {
  /** Counts, rows = true class, columns = predicted class. */
  matrix: number[][];
  /** Class names. */
  labels?: string[];
}

/** Options of {@link confusionMatrixImage}. */
export interface ConfusionImageOptions {
  /** Side of each cell in pixels. Default 34. */
  cell?: number;
  /** Class names; default the matrix's own labels or 0, 1, … */
  labels?: readonly string[];
}

const INK: Rgba = [30, 30, 30, 255];
const GRID: Rgba = [225, 225, 225, 255];
const TRAIN: Rgba = [31, 119, 180, 255];
const VAL: Rgba = [230, 110, 10, 255];

/** Short tick label: 3 significant digits, exponent form for very large or small values. */
export function formatTick(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e4 || a < 1e-3) return v.toExponential(1).replace('e+', 'e');
  return String(Number(v.toPrecision(3)));
}

function panel(r: Raster, ox: number, oy: number, w: number, h: number, name: string, train: number[], val: number[] | undefined): void {
  const left = ox + 58;
  const right = ox + w - 12;
  const top = oy + 30;
  const bottom = oy + h - 34;
  const all = [...train, ...(val ?? [])].filter(Number.isFinite);
  let lo = all.length ? Math.min(...all) : 0;
  let hi = all.length ? Math.max(...all) : 1;
  if (hi - lo < 1e-12) [lo, hi] = [lo - 0.5, hi + 0.5];
  const pad = (hi - lo) * 0.06;
  lo -= pad;
  hi += pad;
  const epochs = Math.max(train.length, val?.length ?? 0);
  const xAt = (i: number) => (epochs <= 1 ? (left + right) / 2 : left + ((right - left) * i) / (epochs - 1));
  const yAt = (v: number) => bottom - ((bottom - top) * (v - lo)) / (hi - lo);
  r.textCentered((left + right) / 2, oy + 8, name, INK);
  for (let t = 0; t <= 4; t++) {
    const v = lo + ((hi - lo) * t) / 4;
    const y = Math.round(yAt(v));
    r.line(left, y, right, y, GRID);
    const label = formatTick(v);
    r.text(left - 6 - textWidth(label, 2), y - 5, label, INK);
  }
  const every = Math.max(1, Math.ceil(epochs / 8));
  for (let i = 0; i < epochs; i += every) {
    const x = Math.round(xAt(i));
    r.line(x, bottom, x, bottom + 4, INK);
    r.textCentered(x, bottom + 8, String(i + 1), INK);
  }
  r.textCentered((left + right) / 2, bottom + 22, 'epoch', INK, 1);
  r.line(left, top, left, bottom, INK);
  r.line(left, bottom, right, bottom, INK);
  const series: Array<[number[], Rgba]> = [[train, TRAIN]];
  if (val) series.push([val, VAL]);
  for (const [vals, c] of series) {
    for (let i = 0; i < vals.length; i++) {
      if (!Number.isFinite(vals[i]!)) continue;
      if (i > 0 && Number.isFinite(vals[i - 1]!)) r.line(xAt(i - 1), yAt(vals[i - 1]!), xAt(i), yAt(vals[i]!), c, 2);
      r.fillRect(xAt(i) - 2, yAt(vals[i]!) - 2, 5, 5, c);
    }
  }
  const legend: Array<[string, Rgba]> = [['train', TRAIN]];
  if (val) legend.push(['val', VAL]);
  legend.forEach(([label, c], i) => {
    const lx = right - 70;
    const ly = top + 4 + i * 14;
    r.fillRect(lx, ly + 3, 12, 4, c);
    r.text(lx + 16, ly, label, INK);
  });
}

/**
 * Training curves: one panel per logged quantity (loss, each metric), training and
 * validation per epoch, with axes and tick labels.
 */
export function historyImage(history: HistoryLike, opts: HistoryImageOptions = {}): Raster {
  const owner = 'historyImage';
  const logs = (history && typeof history === 'object' && 'history' in history && typeof history.history === 'object'
    ? history.history : history) as Record<string, number[]>;
  if (!logs || typeof logs !== 'object') throw new ValueError(`${owner}: expected a History or a record of per-epoch numbers`);
  const names = opts.metrics ? [...opts.metrics] : Object.keys(logs).filter((k) => !k.startsWith('val_'));
  if (names.length === 0) throw new ValueError(`${owner}: the history has no logs to draw (was fit run?)`);
  for (const n of names) {
    if (!Array.isArray(logs[n]) && !Array.isArray(logs[`val_${n}`])) throw new ValueError(`${owner}: no log named '${n}'; logs are ${Object.keys(logs).join(', ')}`);
  }
  const w = opts.panelWidth ?? 380;
  const h = opts.panelHeight ?? 260;
  const cols = Math.min(opts.columns ?? 2, names.length);
  const rows = Math.ceil(names.length / cols);
  const r = new Raster(w * cols, h * rows);
  names.forEach((n, i) => panel(r, (i % cols) * w, Math.floor(i / cols) * h, w, h, n, logs[n] ?? [], logs[`val_${n}`]));
  return r;
}

/** A confusion matrix as a picture: cells coloured by each row's share, counts written in. */
export function confusionMatrixImage(cm: ConfusionLike, opts: ConfusionImageOptions = {}): Raster {
  const owner = 'confusionMatrixImage';
  const matrix = Array.isArray(cm) ? cm : cm?.matrix;
  if (!Array.isArray(matrix) || matrix.length === 0 || matrix.some((row) => !Array.isArray(row) || row.length !== matrix.length)) {
    throw new ValueError(`${owner}: expected a square matrix of counts`);
  }
  const k = matrix.length;
  const own = Array.isArray(cm) ? undefined : cm.labels;
  const labels: readonly string[] = opts.labels ?? own ?? matrix.map((_, i) => String(i));
  if (labels.length !== k) throw new ValueError(`${owner}: ${labels.length} labels for ${k} classes`);
  const cell = opts.cell ?? 34;
  const labelW = Math.max(...labels.map((l) => textWidth(l, 2))) + 10;
  const left = labelW + 18;
  const top = 40;
  const r = new Raster(left + k * cell + 10, top + k * cell + lineHeight(2) + 30);
  r.textCentered(left + (k * cell) / 2, 6, 'predicted', INK);
  matrix.forEach((row, t) => {
    const total = row.reduce((a, b) => a + b, 0) || 1;
    row.forEach((count, p) => {
      const c = colorAt('ocean', count / total);
      r.fillRect(left + p * cell, top + t * cell, cell - 1, cell - 1, c);
      const s = String(count);
      const scale = textWidth(s, 2) <= cell - 4 ? 2 : 1;
      const lum = 0.3 * c[0] + 0.59 * c[1] + 0.11 * c[2];
      r.textCentered(left + p * cell + cell / 2, top + t * cell + cell / 2 - lineHeight(scale) / 2, s, lum > 140 ? INK : [255, 255, 255, 255], scale);
    });
    r.text(left - 6 - textWidth(labels[t]!, 2), top + t * cell + cell / 2 - 5, labels[t]!, INK);
  });
  labels.forEach((l, p) => r.textCentered(left + p * cell + cell / 2, top - 14, l, INK));
  r.text(4, top - 14, 'true', INK);
  return r;
}
