import type { Layer } from '../engine/layer.js';
import type { Shape } from '../engine/shape.js';

/** One row of a model summary. */
export interface SummaryRow {
  /** The layer of this row. */
  layer: Layer;
  /** Its output shape(s), batch dimension included; undefined when not known yet. */
  outputShape: Shape | Shape[] | undefined;
  /** Names of the layers feeding it (functional models only). */
  connectedTo?: string[];
}

function fmt(shape: Shape | Shape[] | undefined): string {
  if (!shape) return '?';
  const one = (s: Shape) => `(${s.map((d) => (d === null ? 'None' : String(d))).join(', ')}${s.length === 1 ? ',' : ''})`;
  return Array.isArray(shape[0]) ? (shape as Shape[]).map(one).join(', ') : one(shape as Shape);
}

function pad(s: string, w: number): string {
  return s.length >= w ? `${s.slice(0, w - 1)} ` : s + ' '.repeat(w - s.length);
}

/** Thousands separators, as Keras prints parameter counts. */
export function fmtCount(n: number): string {
  return n.toLocaleString('en-US');
}

/**
 * Formats a Keras-style summary table: layer (type), output shape, parameter count
 * (and inbound layers for functional models), then total / trainable / non-trainable.
 */
export function formatSummary(title: string, rows: SummaryRow[], totals: { trainable: number; nonTrainable: number }): string {
  const withConn = rows.some((r) => r.connectedTo !== undefined);
  const widths = withConn ? [34, 24, 12, 28] : [36, 28, 14];
  const heads = ['Layer (type)', 'Output Shape', 'Param #', ...(withConn ? ['Connected to'] : [])];
  const total = widths.reduce((a, b) => a + b, 0);
  const lines: string[] = [`Model: "${title}"`, '_'.repeat(total), heads.map((h, i) => pad(h, widths[i]!)).join(''), '='.repeat(total)];
  rows.forEach((r, i) => {
    const conn = r.connectedTo ?? [];
    const cells = [`${r.layer.name} (${r.layer.className})`, fmt(r.outputShape), fmtCount(r.layer.countParams())];
    if (withConn) cells.push(conn[0] ?? '');
    lines.push(cells.map((c, j) => pad(c, widths[j]!)).join('').trimEnd());
    for (const extra of conn.slice(1)) lines.push(`${' '.repeat(total - widths[3]!)}${extra}`);
    lines.push(i === rows.length - 1 ? '='.repeat(total) : '_'.repeat(total));
  });
  if (rows.length === 0) lines.push('='.repeat(total));
  lines.push(`Total params: ${fmtCount(totals.trainable + totals.nonTrainable)}`);
  lines.push(`Trainable params: ${fmtCount(totals.trainable)}`);
  lines.push(`Non-trainable params: ${fmtCount(totals.nonTrainable)}`);
  lines.push('_'.repeat(total));
  return lines.join('\n');
}
