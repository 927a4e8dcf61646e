import { tf } from '../backend/tf.js';
import { SerializationError, fmtShape } from '../engine/errors.js';
import type { LayerWeight } from '../engine/weight.js';
import { isJsonObject, own, short } from './keras_config.js';

/** One entry of a weights manifest, checked: its byte range in the weight data is known. */
export interface CheckedSpec {
  spec: tf.io.WeightsManifestEntry;
  /** Byte offset in the concatenated weight data. */
  offset: number;
  /** Bytes it occupies. */
  bytes: number;
  /** Number of values. */
  size: number;
}

/** The weight specs of a model file, checked against the bytes present. */
export interface CheckedWeights {
  /** Model weights (no `group`, or a group other than `optimizer`), in file order. */
  model: CheckedSpec[];
  /** Optimizer state entries (`group: 'optimizer'`). */
  optimizer: CheckedSpec[];
  /** All the weight data, as one buffer. */
  data: ArrayBuffer;
}

const DTYPE_BYTES: Readonly<Record<string, number>> = { float32: 4, int32: 4, bool: 1 };
const QUANT_BYTES: Readonly<Record<string, number>> = { uint8: 1, uint16: 2, float16: 2 };

/** The weight data as one ArrayBuffer (it may come as a list of shards). */
export function weightBuffer(data: unknown, owner: string): ArrayBuffer {
  if (data === undefined || data === null) return new ArrayBuffer(0);
  if (data instanceof ArrayBuffer) return data;
  if (ArrayBuffer.isView(data)) return data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
  if (Array.isArray(data) && data.every((b) => b instanceof ArrayBuffer)) return tf.io.concatenateArrayBuffers(data);
  throw new SerializationError(`${owner}: weight data must be an ArrayBuffer or a list of them; got ${Object.prototype.toString.call(data)}`);
}

function checkSpec(raw: unknown, i: number, owner: string): { spec: tf.io.WeightsManifestEntry; bytesPerValue: number } {
  const where = `${owner}: weight spec ${i}`;
  if (!isJsonObject(raw)) throw new SerializationError(`${where} must be an object; got ${short(raw)}`);
  const { name, shape, dtype, quantization } = raw;
  if (typeof name !== 'string' || name.length === 0) throw new SerializationError(`${where}: 'name' must be a non-empty string; got ${short(name)}`);
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || (d as number) < 0)) {
    throw new SerializationError(`${owner}: weight '${name}': 'shape' must be a list of integers >= 0; got ${short(shape)}`);
  }
  let bytesPerValue = typeof dtype === 'string' ? own(DTYPE_BYTES, dtype) : undefined;
  if (bytesPerValue === undefined) {
    throw new SerializationError(`${owner}: weight '${name}': unsupported dtype ${short(dtype)}; expected float32, int32 or bool`);
  }
  if (quantization !== undefined && quantization !== null) {
    const qBytes = isJsonObject(quantization) && typeof quantization.dtype === 'string' ? own(QUANT_BYTES, quantization.dtype) : undefined;
    if (!isJsonObject(quantization) || qBytes === undefined) {
      throw new SerializationError(`${owner}: weight '${name}': unsupported quantization ${short(quantization)}; expected dtype uint8, uint16 or float16`);
    }
    if (quantization.dtype !== 'float16') {
      for (const k of ['min', 'scale'] as const) {
        if (typeof quantization[k] !== 'number' || !Number.isFinite(quantization[k])) {
          throw new SerializationError(`${owner}: weight '${name}': quantization '${k}' must be a finite number; got ${short(quantization[k])}`);
        }
      }
    }
    bytesPerValue = qBytes;
  }
  return { spec: raw as unknown as tf.io.WeightsManifestEntry, bytesPerValue };
}

/**
 * Checks weight specs against the weight data before anything is allocated: every spec is
 * well formed, names are unique, and the bytes the specs claim add up to exactly the bytes
 * present (no truncated shard, no absurd shape).
 * @throws SerializationError naming the first problem.
 */
export function checkWeights(specs: unknown, data: ArrayBuffer, owner: string): CheckedWeights {
  if (specs === undefined || specs === null) specs = [];
  if (!Array.isArray(specs)) throw new SerializationError(`${owner}: the weight specs must be a list; got ${short(specs)}`);
  const out: CheckedWeights = { model: [], optimizer: [], data };
  const seen = new Set<string>();
  let offset = 0;
  specs.forEach((raw, i) => {
    const { spec, bytesPerValue } = checkSpec(raw, i, owner);
    const key = `${spec.group === 'optimizer' ? 'optimizer:' : ''}${spec.name}`;
    if (seen.has(key)) throw new SerializationError(`${owner}: weight '${spec.name}' appears twice in the manifest`);
    seen.add(key);
    let size = 1;
    for (const d of spec.shape) {
      size *= d;
      // Past the bytes left, the exact size no longer matters: it is already too big.
      if (size * bytesPerValue > data.byteLength - offset) break;
    }
    const bytes = size * bytesPerValue;
    if (offset + bytes > data.byteLength) {
      throw new SerializationError(
        `${owner}: weight '${spec.name}' of shape ${fmtShape(spec.shape)} needs ${bytes} bytes at offset ${offset}, ` +
          `but the weight data has only ${data.byteLength} bytes (truncated or missing shard, or a wrong manifest)`,
      );
    }
    const checked = { spec, offset, bytes, size };
    (spec.group === 'optimizer' ? out.optimizer : out.model).push(checked);
    offset += bytes;
  });
  if (offset !== data.byteLength) {
    throw new SerializationError(`${owner}: the manifest accounts for ${offset} bytes but the weight data has ${data.byteLength}; manifest and shards do not match`);
  }
  return out;
}

/** Decodes one checked weight into a new float32 (or its own dtype) tensor; the caller owns it. */
export function decodeWeight(c: CheckedSpec, data: ArrayBuffer): tf.Tensor {
  const region = data.slice(c.offset, c.offset + c.bytes);
  const map = tf.io.decodeWeights(region, [c.spec]);
  return map[c.spec.name]!;
}

/**
 * Writes the file's values into the model's weights, matched by name. Every name and shape
 * is checked before the first value is decoded, so a mismatch leaves the weights untouched.
 * @throws SerializationError for a weight the file lacks, a file entry with no weight, or a shape mismatch.
 */
export function assignWeights(weights: LayerWeight[], checked: CheckedWeights, owner: string): void {
  const byName = new Map(checked.model.map((c) => [c.spec.name, c]));
  const pairs: [LayerWeight, CheckedSpec][] = [];
  const missing: string[] = [];
  for (const w of weights) {
    const c = byName.get(w.name);
    if (!c) {
      missing.push(w.name);
      continue;
    }
    if (c.spec.shape.length !== w.shape.length || c.spec.shape.some((d, i) => d !== w.shape[i])) {
      throw new SerializationError(`${owner}: weight '${w.name}' has shape ${fmtShape(w.shape)} in the model but ${fmtShape(c.spec.shape)} in the file`);
    }
    pairs.push([w, c]);
    byName.delete(w.name);
  }
  if (missing.length > 0) {
    throw new SerializationError(`${owner}: the file has no values for weight(s) ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ', …' : ''}`);
  }
  if (byName.size > 0) {
    throw new SerializationError(`${owner}: the file has values for weight(s) the model does not have: ${[...byName.keys()].slice(0, 10).join(', ')}`);
  }
  for (const [w, c] of pairs) {
    const t = decodeWeight(c, checked.data);
    const v = t.dtype === 'float32' ? t : tf.cast(t, 'float32');
    try {
      w.write(v);
    } finally {
      t.dispose();
      v.dispose();
    }
  }
}

/**
 * Encodes named tensors (model weights, optimizer state) into weight specs and one buffer,
 * as tfjs' `encodeWeights` does. The tensors stay owned by the caller.
 */
export async function encodeNamed(
  named: { name: string; tensor: tf.Tensor }[], group?: 'optimizer',
): Promise<{ specs: tf.io.WeightsManifestEntry[]; data: ArrayBuffer }> {
  const { specs, data } = await tf.io.encodeWeights(named, group);
  return { specs, data };
}
