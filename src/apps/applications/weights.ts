import { SerializationError, ValueError } from '../../engine/errors.js';
import type { SymbolicTensor } from '../../engine/symbolic.js';
import { dense } from '../../layers/core/dense.js';
import { dropout } from '../../layers/core/dropout.js';
import { globalAveragePooling2d } from '../../layers/pooling/index.js';
import { assignNamedWeights, readKerasWeights, type NamedWeights } from '../../io/keras/weights_h5.js';
import { Model } from '../../io/models.js';
import { ap } from './graph.js';
import type { ApplicationOptions, WeightsSource } from './options.js';

/** The families whose pretrained weights the `nsfwjs` package ships. */
export type NsfwjsFamily = 'mobilenet_v2' | 'inception_v3';

/** How a platform reads weights: bytes from a path or URL, and nsfwjs' models where it can. */
export interface WeightsEnv {
  /** The bytes of the file at `source` (a path, `file://` or `http(s)://` URL). */
  read(source: string, owner: string): Promise<Uint8Array>;
  /** nsfwjs' weights of a family by layer name (Keras 3 names); undefined where nsfwjs cannot be read. */
  nsfwjs?: (family: NsfwjsFamily) => NamedWeights;
}

/** Reads `http(s)://` URLs with `fetch`; anything else needs the Node entry. */
export const fetchEnv: WeightsEnv = {
  async read(source, owner) {
    if (!/^https?:\/\//.test(source)) {
      throw new ValueError(`${owner}: weights '${source}': file paths are read by strata's Node entry; here give an http(s):// URL or the file's bytes`);
    }
    const res = await fetch(source);
    if (!res.ok) throw new SerializationError(`${owner}: fetching weights '${source}' failed: HTTP ${res.status}`);
    return new Uint8Array(await res.arrayBuffer());
  },
};

/**
 * nsfwjs' classifier on a base: pooling, Dense 256 and 128 (ReLU) with dropout 0.5 and
 * 0.25, and a 5-class Dense, named as in nsfwjs' file. Its global average pooling is the
 * file's fixed 7×7 (8×8) average pooling and flatten at 224 (299) pixels, for any size.
 */
function nsfwjsHead(base: Model, o: ApplicationOptions, name: string): Model {
  const classes = o.classes ?? 5;
  if (classes !== 5) throw new ValueError(`${name}: weights 'nsfwjs' come with a 5-class top; got classes ${classes} (use includeTop: false for another head)`);
  let h: SymbolicTensor = ap(globalAveragePooling2d({ name: 'global_average_pooling2d' }), base.outputs[0]!);
  h = ap(dense({ units: 256, activation: 'relu', name: 'dense_1' }), h);
  h = ap(dropout({ rate: 0.5, name: 'dropout_2' }), h);
  h = ap(dense({ units: 128, activation: 'relu', name: 'dense_2' }), h);
  h = ap(dropout({ rate: 0.25, name: 'dropout_3' }), h);
  const act = o.classifierActivation === null ? 'linear' : o.classifierActivation ?? 'softmax';
  h = ap(dense({ units: 5, activation: act, name: 'dense_3' }), h);
  return new Model({ inputs: base.inputs, outputs: h, name: base.name });
}

/** A builder of one family, before weights. */
export type Build<O extends ApplicationOptions> = (opts: O) => Model;

/**
 * Builds a family's model and loads the weights `opts.weights` names.
 * @throws ValueError for a `weights` value that is not a source, or `'nsfwjs'` for a family it lacks.
 * @throws SerializationError when the weights do not fit the model.
 */
export async function buildWithWeights<O extends ApplicationOptions>(
  owner: string, build: Build<O>, opts: O, env: WeightsEnv, nsfwjs?: NsfwjsFamily,
): Promise<Model> {
  const source: WeightsSource | undefined = opts.weights;
  if (source === undefined || source === null) return build(opts);
  if (source === 'nsfwjs') {
    if (!nsfwjs) throw new ValueError(`${owner}: weights 'nsfwjs' exist only for mobileNetV2 and inceptionV3`);
    if (!env.nsfwjs) throw new ValueError(`${owner}: weights 'nsfwjs' are read from the installed nsfwjs package by strata's Node entry`);
    const top = opts.includeTop ?? true;
    const base = build({ ...opts, includeTop: false, pooling: top ? null : opts.pooling ?? null });
    const model = top ? nsfwjsHead(base, opts, owner) : base;
    assignNamedWeights(model, env.nsfwjs(nsfwjs), `${owner} weights 'nsfwjs'`);
    return model;
  }
  let bytes: Uint8Array;
  if (typeof source === 'string') bytes = await env.read(source, owner);
  else if (source instanceof Uint8Array) bytes = source;
  else if (source instanceof ArrayBuffer) bytes = new Uint8Array(source);
  else throw new ValueError(`${owner}: 'weights' must be null, 'nsfwjs', a path or URL, or the bytes of a Keras weights file; got ${typeof source}`);
  const model = build(opts);
  assignNamedWeights(model, await readKerasWeights(bytes, model, owner), owner);
  return model;
}
