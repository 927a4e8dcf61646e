/**
 * Bounded, defensive file reads for `file://` loads, and clean-up of what a killed save
 * left behind: only regular files are read (never a device such as `/dev/zero`, a FIFO or
 * a directory), never past a size limit, and weight shards are checked against the sizes
 * their manifest declares and, for strata's content-named shards, their hash.
 * @module
 */
import { createHash } from 'node:crypto';
import { constants as fsConstants, promises as fsp } from 'node:fs';
import * as nodePath from 'node:path';
import { SerializationError } from '../../engine/errors.js';
import { isJsonObject } from '../keras_config.js';

/** Default most bytes of a `model.json` read from disk: 64 MiB. */
export const MAX_JSON_BYTES = 64 * 2 ** 20;
/** Default most bytes of a Keras file read from disk: 2 GiB. */
export const MAX_FILE_BYTES = 2 ** 31 - 1;

/** An error with a Node `code` (`ENOENT`…). */
export function errCode(e: unknown): string | undefined {
  return (e as { code?: string } | undefined)?.code;
}

/**
 * Reads a whole regular file of at most `max` bytes.
 * @param what - what the file is, for messages (`weight shard`, `model.json`).
 * @throws SerializationError when it is missing, not a regular file, or too large.
 */
export async function readRegularFile(file: string, max: number, owner: string, what: string): Promise<Buffer> {
  let size: number;
  try {
    const st = await fsp.stat(file);
    if (!st.isFile()) {
      throw new SerializationError(`${owner}: ${what} '${file}' is not a regular file (a directory, device or FIFO); refusing to read it`);
    }
    size = st.size;
  } catch (e) {
    if (e instanceof SerializationError) throw e;
    const err = new SerializationError(`${owner}: cannot read ${what} '${file}': ${(e as Error).message}`);
    (err as { code?: string }).code = errCode(e);
    throw err;
  }
  if (size > max) {
    throw new SerializationError(`${owner}: ${what} '${file}' is ${size} bytes, over the limit of ${max}; raise it with the maxBytes option if the file is genuine`);
  }
  // O_NONBLOCK: should a FIFO replace the file after the check, opening it must not hang.
  const fh = await fsp.open(file, fsConstants.O_RDONLY | (fsConstants.O_NONBLOCK ?? 0));
  try {
    const buf = Buffer.alloc(size + 1);
    let filled = 0;
    for (;;) {
      const { bytesRead } = await fh.read(buf, filled, buf.length - filled, null);
      if (bytesRead === 0) break;
      filled += bytesRead;
      if (filled > size) throw new SerializationError(`${owner}: ${what} '${file}' grew while being read`);
    }
    return buf.subarray(0, filled);
  } finally {
    await fh.close();
  }
}

const BYTES_PER: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2, complex64: 8 };

/**
 * The bytes a weights manifest's entries need in all, or undefined when some entry is
 * not sized by its spec (strings, malformed specs: those are checked later, when read).
 */
export function declaredWeightBytes(specs: unknown[]): number | undefined {
  let total = 0;
  for (const s of specs) {
    if (!isJsonObject(s) || !Array.isArray(s.shape) || typeof s.dtype !== 'string') return undefined;
    if (!s.shape.every((d) => Number.isInteger(d) && (d as number) >= 0)) return undefined;
    const q = isJsonObject(s.quantization) ? s.quantization.dtype : undefined;
    const per = BYTES_PER[typeof q === 'string' ? q : s.dtype];
    if (per === undefined) return undefined;
    total += (s.shape as number[]).reduce((a, d) => a * d, 1) * per;
    if (!Number.isSafeInteger(total)) return undefined;
  }
  return total;
}

/** The 16-hex-digit content hash in a strata shard name (`model.weights.<hash>.bin`). */
export function shardHashOf(name: string): string | undefined {
  return /\.weights\.([0-9a-f]{16})\.bin$/.exec(name)?.[1];
}

/** Throws when a content-named shard's bytes do not hash to its name (a flipped or lost byte). */
export function checkShardHash(name: string, data: Uint8Array, owner: string): void {
  const want = shardHashOf(name);
  if (!want) return;
  const got = createHash('sha256').update(data).digest('hex').slice(0, 16);
  if (got !== want) {
    throw new SerializationError(`${owner}: weight shard '${name}' is corrupt: its content hash is ${got}, but the name it was saved under says ${want}`);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return errCode(e) === 'EPERM';
  }
}

/**
 * Removes what earlier, killed saves left in `dir`: temporary files of processes no longer
 * running, and content-named shards of this model (`<stem>.weights.<hash>.bin`) that no
 * `model.json` refers to and that are older than `graceMs` (a save of another process may
 * have just written one).
 * @param keep - shard names still referred to.
 */
export async function cleanLeftovers(dir: string, stem: string, keep: readonly string[], graceMs = 60_000): Promise<void> {
  let names: string[];
  try {
    names = await fsp.readdir(dir);
  } catch {
    return;
  }
  const now = Date.now();
  for (const name of names) {
    const tmp = /^\..+\.tmp-(\d+)-[0-9a-f]{12}$/.exec(name);
    const orphan = !tmp && name.startsWith(`${stem}.weights.`) && shardHashOf(name) !== undefined && !keep.includes(name);
    if (!tmp && !orphan) continue;
    const file = nodePath.join(dir, name);
    try {
      if (tmp && Number(tmp[1]) !== process.pid && !alive(Number(tmp[1]))) await fsp.rm(file, { force: true });
      if (orphan && now - (await fsp.stat(file)).mtimeMs > graceMs) await fsp.rm(file, { force: true });
    } catch {
      // Someone else removed or replaced it meanwhile.
    }
  }
}
