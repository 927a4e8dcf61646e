import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { ValueError } from '../engine/errors.js';
import { Callback, type Logs } from '../training/callbacks/callback.js';
import { checkOptionKeys, keysOf } from '../engine/option_keys.js';

/** Options of {@link csvLogger}. */
export interface CsvLoggerOptions {
  /** Column separator. Default `','`. */
  separator?: string;
  /** Add to an existing file (no second header) instead of overwriting it. Default false. */
  append?: boolean;
}

const OPTION_KEYS = keysOf<CsvLoggerOptions>({ separator: true, append: true });

/** Writes epoch logs to a CSV file (Node only). See {@link csvLogger}. */
export class CsvLogger extends Callback {
  /** Column separator. */
  readonly separator: string;
  /** Whether rows are added to an existing file. */
  readonly append: boolean;
  /** The columns after `epoch`, fixed at the first epoch. */
  private keys?: string[];
  private writeHeader = true;

  constructor(
    /** The CSV file written, one row per epoch. */
    readonly path: string,
    opts: CsvLoggerOptions = {},
  ) {
    super();
    checkOptionKeys('csvLogger', opts, OPTION_KEYS);
    if (typeof path !== 'string' || path.length === 0) {
      throw new ValueError(`csvLogger: 'path' must be a non-empty file path; got ${String(path)}`);
    }
    this.separator = opts.separator ?? ',';
    if (typeof this.separator !== 'string' || this.separator.length === 0 || /["\r\n]/.test(this.separator)) {
      throw new ValueError(`csvLogger: 'separator' must be a non-empty string without quotes or newlines; got ${JSON.stringify(opts.separator)}`);
    }
    this.append = opts.append ?? false;
  }

  /** Quotes a field when it holds the separator, a quote or a newline. */
  private field(text: string): string {
    if (!text.includes(this.separator) && !/["\r\n]/.test(text)) return text;
    return `"${text.replace(/"/g, '""')}"`;
  }

  override async onTrainBegin(): Promise<void> {
    this.keys = undefined;
    this.writeHeader = true;
    if (this.append) {
      const existing = await readFile(this.path, 'utf8').catch((e: NodeJS.ErrnoException) => {
        if (e.code === 'ENOENT') return '';
        throw e;
      });
      this.writeHeader = existing.length === 0;
    } else {
      await writeFile(this.path, '');
    }
  }

  override async onEpochEnd(epoch: number, logs: Logs): Promise<void> {
    const names = Object.keys(logs ?? {});
    // The run's declared names too, so val_* columns exist even when the first epoch
    // had no validation (validationFreq > 1).
    this.keys ??= [...new Set([...(this.params?.metrics ?? []), ...names])].sort();
    let text = '';
    if (this.writeHeader) {
      text += ['epoch', ...this.keys].map((k) => this.field(k)).join(this.separator) + '\n';
      this.writeHeader = false;
    }
    const row = [String(epoch), ...this.keys.map((k) => (typeof logs?.[k] === 'number' ? String(logs[k]) : 'NA'))];
    text += row.join(this.separator) + '\n';
    await appendFile(this.path, text);
  }
}

/**
 * Appends one row per epoch to a CSV file: `epoch`, then the logs' names in sorted order
 * (`accuracy,loss,val_accuracy,val_loss`), `NA` where an epoch lacks a value (Keras
 * `CSVLogger`). The file is truncated when training begins unless `append` is set. Node
 * only (uses `node:fs`).
 * @example
 * ```ts
 * await net.fit(x, y, { epochs: 10, callbacks: [st.csvLogger('./training.csv')] });
 * ```
 */
export function csvLogger(path: string, opts: CsvLoggerOptions = {}): CsvLogger {
  return new CsvLogger(path, opts);
}
