import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ValueError } from '../engine/errors.js';
import { describe } from './checks.js';
import { decodeIdx, readIdxHeader, type IdxArray, type IdxHeader } from './idx.js';

/** A path given as a string or a `file:` URL, as a string for messages and fs calls. */
function toPath(fn: string, path: unknown): string {
  if (typeof path === 'string' && path.length > 0) return path;
  if (path instanceof URL) return fileURLToPath(path);
  throw new ValueError(`${fn}: argument 'path' must be a non-empty string or a file: URL; got ${describe(path)}`);
}

/** Runs a file-system call, turning its error into a ValueError that names the path. */
function fsCall<T>(fn: string, path: string, call: () => T): T {
  try {
    return call();
  } catch (e) {
    throw new ValueError(`${fn}: cannot read '${path}': ${(e as Error).message}`);
  }
}

/** Fills `out` from `fd` at `position`, looping because one read may return fewer bytes. */
function readFully(fd: number, out: Uint8Array, position: number): number {
  let done = 0;
  while (done < out.length) {
    const got = readSync(fd, out, done, out.length - done, position + done);
    if (got === 0) break;
    done += got;
  }
  return done;
}

/** The longest IDX header: magic plus 255 dimensions. */
const MAX_HEADER = 4 + 4 * 255;

/**
 * Reads the header of an IDX file and the raw bytes of its first `maxRows` entries along
 * axis 0 (all when undefined), without reading the rest of the file; what `mnist` uses
 * to load a subset quickly. The header is checked against the file's full size.
 */
export function readIdxRows(fn: string, path: string, maxRows?: number): { header: IdxHeader; values: Uint8Array } {
  const source = `${fn} '${path}'`;
  const fd = fsCall(fn, path, () => openSync(path, 'r'));
  try {
    return readRows(fn, path, fd, source, maxRows);
  } finally {
    closeSync(fd);
  }
}

function readRows(fn: string, path: string, fd: number, source: string, maxRows?: number): { header: IdxHeader; values: Uint8Array } {
  const { total, head } = fsCall(fn, path, () => {
    const size = fstatSync(fd).size;
    const bytes = new Uint8Array(Math.min(size, MAX_HEADER));
    readFully(fd, bytes, 0);
    return { total: size, head: bytes };
  });
  const header = readIdxHeader(head, source, total);
  const rows = header.shape.length === 0 ? 1 : header.shape[0]!;
  const keep = Math.min(maxRows ?? rows, rows);
  const perRow = rows === 0 ? 0 : (total - header.offset) / rows;
  const values = new Uint8Array(keep * perRow);
  const got = fsCall(fn, path, () => readFully(fd, values, header.offset));
  if (got !== values.length) throw new ValueError(`${fn}: cannot read '${path}': it changed while being read`);
  return { header, values };
}

/**
 * Reads and parses an uncompressed IDX file (Node only).
 *
 * @param path - file path, or a `file:` URL.
 * @returns its shape, dtype and values, as `parseIdx` gives them.
 * @throws ValueError naming the path when it cannot be read; SerializationError naming the
 *   path when the file is not well-formed IDX.
 * @example
 * ```ts
 * const labels = st.datasets.loadIdx('data/t10k-labels-idx1-ubyte'); // { shape: [10000], dtype: 'uint8', ... }
 * ```
 */
export function loadIdx(path: string | URL): IdxArray {
  const p = toPath('loadIdx', path);
  const bytes = fsCall('loadIdx', p, () => readFileSync(p));
  return decodeIdx(bytes, readIdxHeader(bytes, `loadIdx '${p}'`));
}
