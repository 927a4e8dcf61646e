/**
 * HDF5 through h5wasm, loaded on first use: reading the groups, attributes and float
 * datasets Keras files hold (refusing datasets larger than the file's own bytes), and
 * writing such files.
 * @module
 */
import { SerializationError } from '../../engine/errors.js';

type H5 = typeof import('h5wasm');
type H5File = InstanceType<H5['File']>;

interface EmFS {
  writeFile(p: string, d: Uint8Array): void;
  readFile(p: string): Uint8Array;
  unlink(p: string): void;
  streams?: ({ tty?: { ops: object; output: number[] } } | undefined)[];
}
let loading: Promise<{ h5: H5; fs: EmFS }> | undefined;

/**
 * Runs `f` with the HDF5 library's stderr muted: on a failed open or read, HDF5 prints a
 * ~50-line HDF5-DIAG trace there before h5wasm reports the failure, which strata turns
 * into one SerializationError instead.
 */
function quietly<T>(fs: EmFS, f: () => T): T {
  const tty = fs.streams?.[2]?.tty;
  if (!tty) return f();
  const ops = tty.ops;
  tty.ops = { put_char() {}, fsync() {} };
  try {
    return f();
  } finally {
    tty.output = [];
    tty.ops = ops;
  }
}
let counter = 0;

async function lib() {
  loading ??= (async () => {
    const h5 = (await import('h5wasm')).default as unknown as H5;
    const module = (await h5.ready) as unknown as { FS: EmFS };
    return { h5, fs: module.FS };
  })();
  return loading;
}

function tempName(): string {
  counter += 1;
  return `/strata-${counter}-${Math.random().toString(36).slice(2)}.h5`;
}

/** A float dataset as read: its shape and values. */
export interface H5Array {
  shape: number[];
  values: Float32Array;
}

/** An HDF5 file opened read-only from bytes. Call `close()` when done. */
export class H5Reader {
  private constructor(private readonly file: H5File, private readonly h5: H5, private readonly path: string,
    private readonly fs: EmFS, readonly byteLength: number, private readonly owner: string) {}

  /**
   * Opens HDF5 bytes.
   * @throws SerializationError when they are not an HDF5 file.
   */
  static async open(bytes: Uint8Array, owner: string): Promise<H5Reader> {
    const { h5, fs } = await lib();
    const path = tempName();
    fs.writeFile(path, bytes);
    try {
      const file = quietly(fs, () => new h5.File(path, 'r'));
      // h5wasm reports a failed open as file_id -1n (truthy), not as an exception.
      const id = (file as { file_id?: bigint | number }).file_id;
      if (id === undefined || id === null || BigInt(id) < 0n) {
        throw new Error('the HDF5 library cannot open it (truncated, or not HDF5)');
      }
      return new H5Reader(file, h5, path, fs, bytes.byteLength, owner);
    } catch (e) {
      fs.unlink(path);
      throw new SerializationError(`${owner}: not a readable HDF5 file: ${(e as Error)?.message ?? String(e)}`);
    }
  }

  /** Runs an h5wasm call, reporting its failures (a corrupt file) as SerializationErrors. */
  private guard<T>(what: string, f: () => T): T {
    try {
      return quietly(this.fs, f);
    } catch (e) {
      if (e instanceof SerializationError) throw e;
      throw new SerializationError(`${this.owner}: corrupt HDF5 file (reading ${what}): ${(e as Error)?.message ?? String(e)}`);
    }
  }

  /** True when `path` is a group. */
  isGroup(path: string): boolean {
    return this.guard(`'${path}'`, () => this.file.get(path) instanceof this.h5.Group);
  }

  /** The names inside the group at `path` (empty when there is no such group). */
  keys(path: string): string[] {
    return this.guard(`'${path}'`, () => {
      const g = this.file.get(path);
      return g instanceof this.h5.Group ? g.keys() : [];
    });
  }

  /** An attribute as JSON-compatible data (strings decoded), or undefined. */
  attr(path: string, name: string): unknown {
    return this.guard(`attribute '${name}' of '${path}'`, () => {
      const o = path === '/' ? this.file : this.file.get(path);
      if (!o || !('attrs' in o) || !(name in (o as { attrs: object }).attrs)) return undefined;
      return (o as InstanceType<H5['Group']>).get_attribute(name, true);
    });
  }

  /**
   * Shape and size of a float or integer dataset, without reading it.
   * @throws SerializationError when `path` is not a numeric dataset.
   */
  info(path: string): { shape: number[]; size: number; bytes: number } {
    return this.guard(`'${path}'`, () => this.infoOf(path));
  }

  private infoOf(path: string): { shape: number[]; size: number; bytes: number } {
    const d = this.file.get(path);
    if (!(d instanceof this.h5.Dataset)) throw new SerializationError(`${this.owner}: '${path}' is not a dataset`);
    const m = d.metadata;
    // HDF5 class 1 is float (float32/64), class 0 integer: Keras stores Normalization's
    // `count` as int64, and some layers keep int32 counters; they are read as float32.
    const isFloat = m.type === 1 && (m.size === 4 || m.size === 8);
    const isInt = m.type === 0 && [1, 2, 4, 8].includes(m.size);
    if (!isFloat && !isInt) {
      throw new SerializationError(`${this.owner}: dataset '${path}' holds ${m.size}-byte values of HDF5 type ${m.type}; expected float32/float64 or an integer type`);
    }
    const shape = (d.shape ?? []).map(Number);
    const size = shape.reduce((a, b) => a * b, 1);
    return { shape, size, bytes: size * m.size };
  }

  /**
   * Reads a float or integer dataset as float32 (int64 values past 2^53 lose precision).
   * Datasets claiming more bytes than the whole file holds
   * (possible with HDF5's unwritten chunks) are refused before reading.
   * @throws SerializationError for a non-float dataset or an implausible size.
   */
  read(path: string): H5Array {
    const { shape, bytes } = this.info(path);
    if (bytes > this.byteLength) {
      throw new SerializationError(`${this.owner}: dataset '${path}' of shape [${shape}] claims ${bytes} bytes, more than the ${this.byteLength}-byte file`);
    }
    const v = this.guard(`'${path}'`, () => (this.file.get(path) as InstanceType<H5['Dataset']>).value);
    // A scalar dataset (Normalization's count) reads as a plain number, or a bigint for int64.
    const values = v instanceof Float32Array ? v
      : typeof v === 'number' || typeof v === 'bigint' ? Float32Array.of(Number(v))
        : v instanceof BigInt64Array || v instanceof BigUint64Array ? Float32Array.from(v, (x) => Number(x))
          : Float32Array.from(v as ArrayLike<number>);
    return { shape, values };
  }

  /** Closes the file and frees its in-memory copy. */
  close(): void {
    try {
      quietly(this.fs, () => this.file.close());
    } finally {
      this.fs.unlink(this.path);
    }
  }
}

/** Builds an HDF5 file in memory: groups, float32 datasets and string attributes. */
export class H5Writer {
  private readonly groups = new Set<string>(['']);
  private constructor(private readonly file: H5File, private readonly path: string,
    private readonly fs: { readFile(p: string): Uint8Array; unlink(p: string): void }) {}

  /** A new, empty file. */
  static async create(): Promise<H5Writer> {
    const { h5, fs } = await lib();
    const path = tempName();
    return new H5Writer(new h5.File(path, 'w'), path, fs);
  }

  /** Creates the group at `path` and its parents. */
  group(path: string): void {
    const parts = path.split('/').filter(Boolean);
    for (let i = 1; i <= parts.length; i++) {
      const p = parts.slice(0, i).join('/');
      if (this.groups.has(p)) continue;
      this.file.create_group(p);
      this.groups.add(p);
    }
  }

  /** Writes a float32 dataset at `path` (its group is created as needed). */
  dataset(path: string, values: Float32Array, shape: number[]): void {
    const cut = path.lastIndexOf('/');
    this.group(path.slice(0, Math.max(0, cut)));
    this.file.create_dataset({ name: path, data: values, shape, dtype: '<f' });
  }

  /** Sets a string attribute on the root. */
  attr(name: string, value: string): void {
    this.file.create_attribute(name, value);
  }

  /** Closes the file and returns its bytes. */
  bytes(): Uint8Array {
    this.file.close();
    try {
      return this.fs.readFile(this.path).slice();
    } finally {
      this.fs.unlink(this.path);
    }
  }
}
