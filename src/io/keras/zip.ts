/**
 * A small, defensive zip reader (and a writer on fflate) for Keras `.keras` archives. Sizes
 * are checked before anything is inflated, and while inflating: an entry may not grow past
 * its declared size, the total past a limit, or compress implausibly well (a zip bomb).
 * @module
 */
import { Inflate, zipSync } from 'fflate';
import { SerializationError } from '../../engine/errors.js';

/** Limits on what reading an archive may allocate. */
export interface ZipLimits {
  /**
   * Most bytes all entries may inflate to together. Default: 64 MiB plus 8 times the
   * archive's size (Keras stores weights uncompressed, so a real archive inflates to about
   * its own size), at most 2 GiB. Raise it for an archive that is genuinely compressed.
   */
  maxTotalBytes?: number;
  /**
   * Largest accepted ratio of inflated to compressed size for entries above 1 MiB. Model
   * weights barely compress; a zip bomb compresses about 1000:1. Default 200.
   */
  maxRatio?: number;
}

interface Entry {
  name: string;
  crc: number;
  method: number;
  flags: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const CHUNK = 16 * 1024;

let CRC_TABLE: Uint32Array | undefined;

/** The CRC-32 (IEEE, as zip uses) of `data`. */
export function crc32(data: Uint8Array): number {
  if (!CRC_TABLE) {
    CRC_TABLE = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      CRC_TABLE[n] = c >>> 0;
    }
  }
  const t = CRC_TABLE;
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = t[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function fail(owner: string, msg: string): never {
  throw new SerializationError(`${owner}: ${msg}`);
}

function entries(bytes: Uint8Array, owner: string): Entry[] {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (v.getUint32(i, true) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) fail(owner, 'not a zip archive (no end-of-central-directory record)');
  const count = v.getUint16(eocd + 10, true);
  const cdSize = v.getUint32(eocd + 12, true);
  const cdOffset = v.getUint32(eocd + 16, true);
  if (count === 0xffff || cdOffset === 0xffffffff) fail(owner, 'zip64 archives are not supported');
  if (cdOffset + cdSize > eocd) fail(owner, 'the zip central directory lies outside the archive');
  const out: Entry[] = [];
  let p = cdOffset;
  for (let k = 0; k < count; k++) {
    if (p + 46 > eocd || v.getUint32(p, true) !== CENTRAL) fail(owner, `zip central directory entry ${k} is malformed`);
    const nameLen = v.getUint16(p + 28, true);
    const e: Entry = {
      flags: v.getUint16(p + 8, true),
      crc: v.getUint32(p + 16, true),
      method: v.getUint16(p + 10, true),
      compressedSize: v.getUint32(p + 20, true),
      size: v.getUint32(p + 24, true),
      localOffset: v.getUint32(p + 42, true),
      name: new TextDecoder().decode(bytes.subarray(p + 46, p + 46 + nameLen)),
    };
    if (e.size === 0xffffffff || e.compressedSize === 0xffffffff) fail(owner, `zip entry '${e.name}' uses zip64, which is not supported`);
    out.push(e);
    p += 46 + nameLen + v.getUint16(p + 30, true) + v.getUint16(p + 32, true);
  }
  return out;
}

function inflateEntry(bytes: Uint8Array, e: Entry, owner: string): Uint8Array {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lo = e.localOffset;
  if (lo + 30 > bytes.length || v.getUint32(lo, true) !== LOCAL) fail(owner, `zip entry '${e.name}' has no local header`);
  const start = lo + 30 + v.getUint16(lo + 26, true) + v.getUint16(lo + 28, true);
  if (start + e.compressedSize > bytes.length) fail(owner, `zip entry '${e.name}' is truncated`);
  const data = bytes.subarray(start, start + e.compressedSize);
  if (e.flags & 1) fail(owner, `zip entry '${e.name}' is encrypted`);
  if (e.method === 0) {
    if (e.compressedSize !== e.size) fail(owner, `stored zip entry '${e.name}' has inconsistent sizes`);
    return data.slice();
  }
  if (e.method !== 8) fail(owner, `zip entry '${e.name}' uses compression method ${e.method}; only stored and deflate are supported`);
  const out = new Uint8Array(e.size);
  let filled = 0;
  const inflater = new Inflate((chunk) => {
    if (filled + chunk.length > e.size) {
      fail(owner, `zip entry '${e.name}' inflates past its declared size of ${e.size} bytes (a zip bomb?)`);
    }
    out.set(chunk, filled);
    filled += chunk.length;
  });
  for (let i = 0; i < data.length; i += CHUNK) {
    const end = Math.min(data.length, i + CHUNK);
    try {
      inflater.push(data.subarray(i, end), end === data.length);
    } catch (err) {
      if (err instanceof SerializationError) throw err;
      fail(owner, `zip entry '${e.name}' is corrupt: ${(err as Error).message}`);
    }
  }
  if (filled !== e.size) fail(owner, `zip entry '${e.name}' inflates to ${filled} bytes but declares ${e.size}`);
  return out;
}

/**
 * Reads the named entries of a zip archive (others are not inflated).
 * @throws SerializationError for a malformed archive, a missing entry, or sizes past the limits.
 */
export function readZip(bytes: Uint8Array, names: readonly string[], owner: string, limits: ZipLimits = {}): Map<string, Uint8Array> {
  const maxTotal = limits.maxTotalBytes ?? Math.min(2 ** 31, 64 * 2 ** 20 + 8 * bytes.length);
  const maxRatio = limits.maxRatio ?? 200;
  const all = entries(bytes, owner);
  const wanted = all.filter((e) => names.includes(e.name));
  let total = 0;
  for (const e of wanted) {
    total += e.size;
    if (total > maxTotal) {
      fail(owner, `the archive's entries declare ${total}+ bytes, over the limit of ${maxTotal} (raise it with the maxTotalBytes option if the archive is genuine)`);
    }
    if (e.size > 2 ** 20 && e.size > maxRatio * Math.max(1, e.compressedSize)) {
      fail(owner, `zip entry '${e.name}' declares ${e.size} bytes from ${e.compressedSize} compressed, a ratio over ${maxRatio} (a zip bomb?)`);
    }
  }
  const out = new Map<string, Uint8Array>();
  for (const e of wanted) {
    if (out.has(e.name)) fail(owner, `zip entry '${e.name}' appears twice`);
    const data = inflateEntry(bytes, e, owner);
    // Every zip entry carries a CRC-32 of its content: a flipped byte shows here.
    if (crc32(data) !== e.crc) fail(owner, `zip entry '${e.name}' is corrupt: its CRC-32 does not match the archive's record`);
    out.set(e.name, data);
  }
  for (const n of names) if (!out.has(n)) fail(owner, `the archive has no '${n}' (entries: ${all.map((e) => e.name).join(', ') || 'none'})`);
  return out;
}

/** Writes a zip archive: JSON entries deflated, binary entries stored. */
export function writeZip(files: Record<string, Uint8Array>): Uint8Array {
  const spec: Record<string, [Uint8Array, { level: 0 | 6; mtime: Date }]> = {};
  // A fixed timestamp keeps archives of the same model byte-identical.
  const mtime = new Date(Date.UTC(2020, 0, 1));
  for (const [name, data] of Object.entries(files)) spec[name] = [data, { level: name.endsWith('.json') ? 6 : 0, mtime }];
  return zipSync(spec);
}
