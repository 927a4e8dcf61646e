/** Text pieces of the progress display, kept apart from its timing logic. */

/** A log value: 4 decimals, or scientific notation for tiny values (`1.2340e-05`), as Keras. */
export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  if (Math.abs(v) > 1e-3) return v.toFixed(4);
  const [mantissa, exponent] = v.toExponential(4).split('e') as [string, string];
  const sign = exponent.startsWith('-') ? '-' : '+';
  return `${mantissa}e${sign}${exponent.replace(/^[-+]/, '').padStart(2, '0')}`;
}

/** ` - loss: 0.3412 - accuracy: 0.9012` */
export function formatLogs(logs: Record<string, number>): string {
  return Object.entries(logs).map(([k, v]) => ` - ${k}: ${formatValue(v)}`).join('');
}

/** Seconds left, as `12s`, `3:05` or `1:02:03`. */
export function formatEta(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const pad = (n: number) => String(n).padStart(2, '0');
  if (s >= 3600) return `${Math.floor(s / 3600)}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
  if (s >= 60) return `${Math.floor(s / 60)}:${pad(s % 60)}`;
  return `${s}s`;
}

/** Time per step in the largest unit that keeps it >= 1: `2s/step`, `6ms/step`, `450us/step`. */
export function formatPerStep(ms: number): string {
  if (ms >= 1000 || ms === 0) return `${Math.round(ms / 1000)}s/step`;
  if (ms >= 1) return `${Math.round(ms)}ms/step`;
  return `${Math.round(ms * 1000)}us/step`;
}

/** `  37/469 [===>..........]`, or `     37/Unknown` when the step count is not known. */
export function formatBar(current: number, target: number | undefined, width: number): string {
  if (target === undefined || target <= 0) return `${String(current).padStart(7)}/Unknown`;
  const count = `${String(current).padStart(String(target).length)}/${target}`;
  const done = Math.min(width, Math.floor((width * current) / target));
  let bar = '';
  if (done > 0) bar = '='.repeat(done - 1) + (current < target ? '>' : '=');
  return `${count} [${bar}${'.'.repeat(width - done)}]`;
}
