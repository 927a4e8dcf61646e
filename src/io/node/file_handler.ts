/**
 * The `file://` model handler for Node: `model.json` plus one binary weight shard in a
 * directory. Saving is atomic: the shard and `model.json` are written under temporary
 * names, flushed to disk, then renamed into place, `model.json` last; a crash at any point
 * leaves either the old model or the new one, never a mix.
 * @module
 */
import { createHash, randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as nodePath from 'node:path';
import { tf } from '../../backend/tf.js';
import { SerializationError, ValueError } from '../../engine/errors.js';
import { loadKerasModel } from '../keras/index.js';
import { kerasArchiveBytes } from '../keras/keras3.js';
import { isJsonObject, short } from '../keras_config.js';
import { modelFromArtifacts } from '../load.js';
import { modelArtifacts } from '../save.js';
import { MAX_FILE_BYTES, MAX_JSON_BYTES, checkShardHash, cleanLeftovers, declaredWeightBytes, errCode, readRegularFile } from './safe_read.js';

/** The URL prefix this handler serves. */
export const FILE_SCHEME = 'file://';

/** Where a model lives: its directory and the name of its JSON file. */
function locate(path: string, owner: string): { dir: string; json: string } {
  if (typeof path !== 'string' || path.length === 0) throw new ValueError(`${owner}: expected a path; got ${String(path)}`);
  const p = path.startsWith(FILE_SCHEME) ? path.slice(FILE_SCHEME.length) : path;
  if (p.length === 0) throw new ValueError(`${owner}: the path of '${path}' is empty`);
  return p.toLowerCase().endsWith('.json') ? { dir: nodePath.dirname(p), json: nodePath.basename(p) } : { dir: p, json: 'model.json' };
}

/** A shard path from a manifest, checked to stay inside the model's directory. */
function shardPath(dir: string, rel: unknown, owner: string): string {
  if (typeof rel !== 'string' || rel.length === 0 || nodePath.isAbsolute(rel) || rel.split(/[\\/]/).some((s) => s === '..' || s === '')) {
    throw new SerializationError(`${owner}: weight shard path ${short(rel)} must be a relative path inside the model's directory`);
  }
  return nodePath.join(dir, rel);
}

async function writeSynced(file: string, data: string | Uint8Array): Promise<void> {
  const fh = await fsp.open(file, 'w');
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

async function syncDir(dir: string): Promise<void> {
  let fh: Awaited<ReturnType<typeof fsp.open>> | undefined;
  try {
    fh = await fsp.open(dir, 'r');
    await fh.sync();
  } catch {
    // Some platforms cannot open or flush a directory; the renames are still atomic there.
  } finally {
    await fh?.close();
  }
}

async function exists(p: string): Promise<boolean> {
  try {
    await fsp.access(p);
    return true;
  } catch {
    return false;
  }
}

/** The shard names an existing `model.json` refers to (none when it is absent or unreadable). */
async function oldShards(jsonPath: string): Promise<string[]> {
  try {
    const j: unknown = JSON.parse(await fsp.readFile(jsonPath, 'utf8'));
    if (!isJsonObject(j) || !Array.isArray(j.weightsManifest)) return [];
    return j.weightsManifest.flatMap((g) => (isJsonObject(g) && Array.isArray(g.paths) ? g.paths : []))
      .filter((p): p is string => typeof p === 'string' && nodePath.basename(p) === p);
  } catch {
    return [];
  }
}

/**
 * Writes `data` to `file` atomically: a temporary sibling is written and flushed, then
 * renamed over `file`, so readers see the old content or the new, never a part.
 */
export async function writeFileAtomic(file: string, data: Uint8Array): Promise<void> {
  const dir = nodePath.dirname(file);
  await fsp.mkdir(dir, { recursive: true });
  const tmp = nodePath.join(dir, `.${nodePath.basename(file)}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
  try {
    await writeSynced(tmp, data);
    await fsp.rename(tmp, file);
    await syncDir(dir);
  } finally {
    await fsp.rm(tmp, { force: true });
  }
}

async function save(path: string, artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
  const owner = `save to '${path}'`;
  if (artifacts.modelTopology instanceof ArrayBuffer) {
    throw new ValueError(`${owner}: only layers models (JSON topology) can be saved to files`);
  }
  const { dir, json } = locate(path, owner);
  await fsp.mkdir(dir, { recursive: true });
  const data = new Uint8Array(tf.io.concatenateArrayBuffers(artifacts.weightData ?? []));
  const shard = `${nodePath.basename(json, '.json')}.weights.${createHash('sha256').update(data).digest('hex').slice(0, 16)}.bin`;
  const modelJSON: Record<string, unknown> = {
    modelTopology: artifacts.modelTopology,
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy ?? null,
    ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
    ...(artifacts.userDefinedMetadata ? { userDefinedMetadata: artifacts.userDefinedMetadata } : {}),
    weightsManifest: [{ paths: data.byteLength > 0 ? [shard] : [], weights: artifacts.weightSpecs ?? [] }],
  };
  const jsonPath = nodePath.join(dir, json);
  const shardFile = nodePath.join(dir, shard);
  const previous = await oldShards(jsonPath);
  const shardExisted = await exists(shardFile);
  const tag = `${process.pid}-${randomBytes(6).toString('hex')}`;
  const tmpShard = nodePath.join(dir, `.${shard}.tmp-${tag}`);
  const tmpJson = nodePath.join(dir, `.${json}.tmp-${tag}`);
  let committed = false;
  try {
    if (data.byteLength > 0) {
      await writeSynced(tmpShard, data);
      await fsp.rename(tmpShard, shardFile);
    }
    await writeSynced(tmpJson, JSON.stringify(modelJSON));
    await syncDir(dir);
    // The commit point: until this rename, model.json still describes the old model.
    await fsp.rename(tmpJson, jsonPath);
    committed = true;
    await syncDir(dir);
  } finally {
    await fsp.rm(tmpShard, { force: true });
    await fsp.rm(tmpJson, { force: true });
    if (!committed && !shardExisted && !previous.includes(shard)) await fsp.rm(shardFile, { force: true });
  }
  for (const old of previous) {
    if (old !== shard) await fsp.rm(nodePath.join(dir, old), { force: true });
  }
  await cleanLeftovers(dir, nodePath.basename(json, '.json'), [shard]);
  return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
}

/** Limits of `file://` loads; raise them for genuinely larger files. */
export interface FileSystemOptions {
  /**
   * Most bytes read from one file: a Keras file, or a `model.json` (whose default is
   * 64 MiB). Weight shards are held to the sizes their manifest declares. Default 2 GiB - 1.
   */
  maxBytes?: number;
}

async function load(path: string, opts: FileSystemOptions): Promise<tf.io.ModelArtifacts> {
  const owner = `loadModel('${path}')`;
  const { dir, json } = locate(path, owner);
  const jsonPath = nodePath.join(dir, json);
  // A save may replace the model between reading model.json and its shards (the old shards
  // are removed once the new model.json is in place): read again when that happened.
  for (let attempt = 0; ; attempt++) {
    const text = (await readRegularFile(jsonPath, opts.maxBytes ?? MAX_JSON_BYTES, owner, 'model file')).toString('utf8');
    try {
      return await loadFrom(text, dir, jsonPath, owner);
    } catch (e) {
      if (attempt >= 4 || errCode(e) !== 'ENOENT') throw e;
      let now: string | undefined;
      try {
        now = await fsp.readFile(jsonPath, 'utf8');
      } catch {
        now = undefined;
      }
      if (now === text) throw e;
    }
  }
}

async function loadFrom(text: string, dir: string, jsonPath: string, owner: string): Promise<tf.io.ModelArtifacts> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new SerializationError(`${owner}: '${jsonPath}' is not valid JSON: ${short((e as Error).message)}`);
  }
  if (!isJsonObject(parsed)) throw new SerializationError(`${owner}: '${jsonPath}' must hold a JSON object; got ${short(parsed)}`);
  const manifest = parsed.weightsManifest ?? [];
  if (!Array.isArray(manifest)) throw new SerializationError(`${owner}: 'weightsManifest' must be a list; got ${short(manifest)}`);
  const specs: unknown[] = [];
  for (const [i, group] of manifest.entries()) {
    if (!isJsonObject(group) || !Array.isArray(group.paths) || !Array.isArray(group.weights)) {
      throw new SerializationError(`${owner}: weightsManifest group ${i} must be { paths: [...], weights: [...] }; got ${short(group)}`);
    }
    specs.push(...group.weights);
  }
  // Shards are read up to the bytes the manifest declares, and must add up to exactly that.
  const declared = declaredWeightBytes(specs);
  const buffers: ArrayBuffer[] = [];
  const shards: [string, Buffer][] = [];
  let read = 0;
  for (const group of manifest as { paths: unknown[] }[]) {
    for (const rel of group.paths) {
      const file = shardPath(dir, rel, owner);
      const left = declared === undefined ? MAX_FILE_BYTES : declared - read;
      let buf: Buffer;
      try {
        buf = await readRegularFile(file, Math.max(left, 0), owner, 'weight shard');
      } catch (e) {
        if (/over the limit/.test((e as Error).message)) {
          throw new SerializationError(`${owner}: weight shard '${String(rel)}' holds more bytes than the ${declared} its manifest declares for all weights; the files do not match`);
        }
        const err = new SerializationError(`${owner}: missing or unreadable weight shard '${short(rel)}': ${(e as Error).message}`);
        (err as { code?: string }).code = errCode(e);
        throw err;
      }
      read += buf.byteLength;
      shards.push([String(rel), buf]);
    }
  }
  if (declared !== undefined && read !== declared) {
    throw new SerializationError(`${owner}: the weight shards hold ${read} bytes but the manifest declares ${declared}; a shard is truncated or belongs to another model`);
  }
  for (const [rel, buf] of shards) {
    checkShardHash(rel, buf, owner);
    buffers.push(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer);
  }
  return {
    modelTopology: parsed.modelTopology as object,
    format: parsed.format as string | undefined,
    generatedBy: parsed.generatedBy as string | undefined,
    convertedBy: parsed.convertedBy as string | null | undefined,
    trainingConfig: parsed.trainingConfig as unknown as tf.io.TrainingConfig | undefined,
    userDefinedMetadata: parsed.userDefinedMetadata as { [key: string]: {} } | undefined,
    weightSpecs: specs as tf.io.WeightsManifestEntry[],
    weightData: tf.io.concatenateArrayBuffers(buffers),
  };
}

/** True for a path naming a Keras file (`.keras`, `.h5`, `.hdf5`). */
export function isKerasPath(path: string): boolean {
  return /\.(keras|h5|hdf5)$/i.test(path);
}

/** Saves artifacts as a `.keras` archive, through a temporary model built from them. */
async function saveKeras(path: string, artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
  const file = path.startsWith(FILE_SCHEME) ? path.slice(FILE_SCHEME.length) : path;
  if (!file.toLowerCase().endsWith('.keras')) throw new ValueError(`save to '${path}': only the Keras 3 '.keras' format can be written`);
  const model = await modelFromArtifacts(artifacts, { compile: false }, `save to '${path}'`);
  try {
    await writeFileAtomic(file, await kerasArchiveBytes(model));
  } finally {
    model.dispose();
  }
  return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
}

/** Loads a Keras file as tfjs artifacts, through a temporary model. */
async function loadKeras(path: string, opts: FileSystemOptions): Promise<tf.io.ModelArtifacts> {
  const file = path.startsWith(FILE_SCHEME) ? path.slice(FILE_SCHEME.length) : path;
  const bytes = await readRegularFile(file, opts.maxBytes ?? MAX_FILE_BYTES, `loadModel('${path}')`, 'Keras file');
  const model = await loadKerasModel(bytes);
  try {
    return await modelArtifacts(model, { includeOptimizer: model.optimizer !== undefined });
  } finally {
    model.dispose();
  }
}

/**
 * A tfjs `IOHandler` for a model on the local file system (Node only). Saving writes
 * `model.json` and a content-named weight shard into the directory `path` (created if
 * needed; a path ending in `.json` names the JSON file itself), atomically. Loading reads
 * `model.json` (or the named JSON file) and the shards its manifest lists, which must lie
 * inside its directory. A path ending in `.keras` (or, for loading, `.h5`) is a Keras file
 * instead, converted through a temporary model.
 * Loads read regular files only (never a device or FIFO), within `opts.maxBytes`, and
 * check weight shards against the sizes (and, for strata's shards, the hashes) declared.
 * @param path - a directory or JSON file path, with or without the `file://` prefix.
 * @example
 * ```ts
 * await st.saveModel(net, st.io.fileSystem('./out/mnist'));
 * ```
 */
export function fileSystem(path: string, opts: FileSystemOptions = {}): tf.io.IOHandler {
  if (isKerasPath(path)) return { save: (artifacts) => saveKeras(path, artifacts), load: () => loadKeras(path, opts) };
  return { save: (artifacts) => save(path, artifacts), load: () => load(path, opts) };
}
