/**
 * Legacy Keras `.h5` models (Keras 2 / tf.keras `model.save('m.h5')`): the root attribute
 * `model_config` (and `training_config`), and the weights under
 * `model_weights/<layer>/<weight name>` as listed by the `layer_names` and `weight_names`
 * attributes. They are turned into tfjs model artifacts and loaded with all the usual checks.
 * @module
 */
import { SerializationError } from '../../engine/errors.js';
import { isJsonObject, short, type JsonObject } from '../keras_config.js';
import { modelFromArtifacts, type LoadModelOptions } from '../load.js';
import type { LoadedModel } from '../topology_load.js';
import { H5Reader } from './h5.js';

function jsonAttr(h5: H5Reader, name: string, owner: string): JsonObject | undefined {
  const raw = h5.attr('/', name);
  if (raw === undefined) return undefined;
  try {
    const v: unknown = JSON.parse(String(raw));
    if (!isJsonObject(v)) throw new Error(`expected an object; got ${short(v)}`);
    return v;
  } catch (e) {
    throw new SerializationError(`${owner}: the '${name}' attribute is not a JSON object: ${(e as Error).message}`);
  }
}

function stringList(v: unknown, owner: string, what: string): string[] {
  const list = v === undefined ? [] : Array.isArray(v) ? v : [v];
  if (!list.every((x) => typeof x === 'string')) throw new SerializationError(`${owner}: '${what}' must list names; got ${short(v)}`);
  return list as string[];
}

/** Class names of the model's top-level layers, by layer name. */
function classesByName(modelConfig: JsonObject): Map<string, string> {
  const cfg = modelConfig.config;
  const layers = Array.isArray(cfg) ? cfg : isJsonObject(cfg) && Array.isArray(cfg.layers) ? cfg.layers : [];
  const out = new Map<string, string>();
  for (const l of layers) {
    if (!isJsonObject(l)) continue;
    const name = l.name ?? (isJsonObject(l.config) ? l.config.name : undefined);
    if (typeof name === 'string' && typeof l.class_name === 'string') out.set(name, l.class_name);
  }
  return out;
}

/** `dense/kernel:0` or `model/dense/kernel:0` → `dense/kernel`; Keras 3 calls a depthwise kernel `kernel`. */
function weightName(saved: string, layerClass: string | undefined): string {
  const parts = saved.replace(/:\d+$/, '').split('/');
  const [layer, short] = parts.length >= 2 ? parts.slice(-2) : [parts[0]!, parts[0]!];
  const renamed = layerClass === 'DepthwiseConv2D' && short === 'kernel' ? 'depthwise_kernel' : short;
  return `${layer}/${renamed}`;
}

/**
 * Builds a model from the bytes of a legacy Keras `.h5` model file.
 * @throws SerializationError for a weights-only file or anything malformed.
 */
export async function modelFromLegacyH5(bytes: Uint8Array, opts: LoadModelOptions = {}, owner = 'loadKerasModel'): Promise<LoadedModel> {
  const h5 = await H5Reader.open(bytes, owner);
  try {
    const modelConfig = jsonAttr(h5, 'model_config', owner);
    if (!modelConfig) throw new SerializationError(`${owner}: the .h5 file has no 'model_config' attribute (a weights-only file cannot be loaded as a model)`);
    const training = jsonAttr(h5, 'training_config', owner);
    const root = h5.isGroup('model_weights') ? 'model_weights' : '';
    const classes = classesByName(modelConfig);
    const specs: { name: string; shape: number[]; dtype: 'float32'; path: string }[] = [];
    let total = 0;
    for (const layer of stringList(h5.attr(root || '/', 'layer_names'), owner, 'layer_names')) {
      for (const w of stringList(h5.attr(`${root}/${layer}`, 'weight_names'), owner, `${layer} weight_names`)) {
        const path = `${root}/${layer}/${w}`;
        const { shape, bytes: n } = h5.info(path);
        total += n;
        if (total > h5.byteLength) throw new SerializationError(`${owner}: the datasets claim ${total}+ bytes, more than the ${h5.byteLength}-byte file`);
        specs.push({ name: weightName(w, classes.get(layer)), shape, dtype: 'float32', path });
      }
    }
    const data = new Float32Array(specs.reduce((a, s) => a + s.shape.reduce((x, y) => x * y, 1), 0));
    let offset = 0;
    for (const s of specs) {
      const { values } = h5.read(s.path);
      data.set(values, offset);
      offset += values.length;
    }
    const artifacts = {
      modelTopology: { model_config: modelConfig, ...(training ? { training_config: training } : {}) },
      format: 'layers-model',
      weightSpecs: specs.map(({ name, shape, dtype }) => ({ name, shape, dtype })),
      weightData: data.buffer,
    };
    return await modelFromArtifacts(artifacts, opts, owner);
  } finally {
    h5.close();
  }
}
