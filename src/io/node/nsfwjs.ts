/**
 * The pretrained Keras models the `nsfwjs` npm package (MIT) ships: MobileNetV2 and
 * InceptionV3 as tfjs layers models inside UMD-wrapped `.min.js` files
 * (`dist/models/<name>/model.min.js`, `group1-shard<i>of<n>.min.js`). They are read as data
 * (see `literal.ts`); nothing of them is run. `nsfwjs` must be installed beside strata.
 * @module
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { tf } from '../../backend/tf.js';
import { SerializationError, ValueError } from '../../engine/errors.js';
import type { NamedWeights } from '../keras/weights_h5.js';
import { exportedLiteral } from './literal.js';

/** The models nsfwjs ships. */
export type NsfwjsModelName = 'mobilenet_v2' | 'inception_v3';

function resolver(): NodeRequire {
  let url: string | undefined;
  try {
    url = import.meta.url;
  } catch {
    url = undefined;
  }
  if (url) return createRequire(url);
  if (typeof __filename === 'string') return createRequire(__filename);
  return createRequire(join(process.cwd(), 'noop.js'));
}

/**
 * The directory of one of nsfwjs' models, resolved from strata's own location (then from
 * the working directory).
 * @throws ValueError when `nsfwjs` is not installed.
 */
export function nsfwjsModelDir(name: NsfwjsModelName): string {
  const tries = [resolver(), createRequire(join(process.cwd(), 'noop.js'))];
  for (const req of tries) {
    try {
      // The CommonJS entry is `dist/cjs/index.js`; the models sit in `dist/models/`.
      return join(dirname(req.resolve('nsfwjs')), '..', 'models', name);
    } catch {
      // try the next
    }
  }
  throw new ValueError(`weights 'nsfwjs': the nsfwjs package is not installed; run npm install nsfwjs`);
}

/**
 * One of nsfwjs' models as tfjs model artifacts (topology, weight specs, weight bytes).
 * @throws SerializationError when its files do not hold what they should.
 */
export function nsfwjsArtifacts(name: NsfwjsModelName): tf.io.ModelArtifacts {
  const owner = `nsfwjs ${name}`;
  const dir = nsfwjsModelDir(name);
  const json = exportedLiteral(readFileSync(join(dir, 'model.min.js'), 'utf8'), owner) as { [k: string]: unknown };
  const groups = json.weightsManifest as { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[] | undefined;
  if (!Array.isArray(groups) || typeof json.modelTopology !== 'object') {
    throw new SerializationError(`${owner}: model.min.js holds no modelTopology / weightsManifest`);
  }
  const buffers = groups.flatMap((g) => g.paths.map((p) => {
    const b64 = exportedLiteral(readFileSync(join(dir, `${p}.min.js`), 'utf8'), owner);
    if (typeof b64 !== 'string') throw new SerializationError(`${owner}: shard ${p} does not hold a base64 string`);
    const buf = Buffer.from(b64, 'base64');
    return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
  }));
  return {
    modelTopology: json.modelTopology as object,
    format: typeof json.format === 'string' ? json.format : 'layers-model',
    weightSpecs: groups.flatMap((g) => g.weights),
    weightData: tf.io.concatenateArrayBuffers(buffers),
  };
}

/**
 * The weights of one of nsfwjs' models (dequantized to float32), by layer name, each
 * layer's in file order. `rename` maps the file's layer names to the caller's.
 */
export function nsfwjsWeights(name: NsfwjsModelName, rename: (layer: string) => string = (n) => n): NamedWeights {
  const artifacts = nsfwjsArtifacts(name);
  const out: NamedWeights = new Map();
  const tensors = tf.io.decodeWeights(artifacts.weightData as ArrayBuffer, artifacts.weightSpecs!);
  try {
    for (const spec of artifacts.weightSpecs!) {
      const parts = spec.name.split('/');
      const layer = rename(parts.slice(0, -1).join('/'));
      const t = tensors[spec.name]!;
      const list = out.get(layer) ?? [];
      list.push({ name: parts[parts.length - 1]!, shape: [...t.shape], values: Float32Array.from(t.dataSync() as Float32Array) });
      out.set(layer, list);
    }
  } finally {
    tf.dispose(Object.values(tensors));
  }
  return out;
}
