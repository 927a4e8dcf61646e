// The MobileNetV2 that the nsfwjs package (MIT) ships: a Keras-trained tfjs layers model
// with uint8-quantized weights, inside two UMD `.min.js` files. This reads it as tfjs
// model artifacts without running any of its code: the topology is an object literal
// (unquoted keys, `!0` for true, `.5` for 0.5) that is rewritten as JSON, and the weights
// are one base64 string.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as st from 'strata';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** Options of {@link mobileNetV2Artifacts}. */
export interface MobileNetV2Options {
  /**
   * Keep only the convolutional base, ending at its last feature map `out_relu`
   * (Keras' `include_top=False`), and drop the nsfwjs classifier. Default true.
   */
  featuresOnly?: boolean;
  /**
   * Height and width of the input images (the base is fully convolutional, so any size
   * divisible by 32 works without its top); 224 with the top. Default 224.
   */
  inputSize?: number;
}

function modelDir(): string {
  const entry = createRequire(import.meta.url).resolve('nsfwjs');
  return join(dirname(entry), '..', 'models', 'mobilenet_v2');
}

/** The text of the balanced `{…}` starting at `start`, skipping string contents. */
function balanced(text: string, start: number): string {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      for (i++; text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return text.slice(start, i + 1);
  }
  throw new Error('mobilenet_v2: unbalanced object literal in model.min.js');
}

/** Rewrites a minified JavaScript object literal (data only) as JSON. */
function literalToJson(src: string): string {
  const token = /\s*(?:("(?:[^"\\]|\\.)*")|(!0|!1)|(-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)|([A-Za-z_$][\w$]*)|([{}[\],:]))/y;
  let out = '';
  let m: RegExpExecArray | null;
  while (token.lastIndex < src.length && (m = token.exec(src)) !== null) {
    const [, str, bool, num, ident, punct] = m;
    if (str !== undefined) out += str;
    else if (bool !== undefined) out += bool === '!0' ? 'true' : 'false';
    else if (num !== undefined) out += JSON.stringify(Number(num));
    else if (punct !== undefined) out += punct;
    else if (ident === 'null' || ident === 'true' || ident === 'false') out += ident;
    else if (src.slice(token.lastIndex).trimStart().startsWith(':')) out += JSON.stringify(ident);
    else throw new Error(`mobilenet_v2: unexpected identifier '${ident}' in model.min.js`);
  }
  if (token.lastIndex < src.length) throw new Error(`mobilenet_v2: cannot read model.min.js near offset ${token.lastIndex}`);
  return out;
}

const BYTES: Record<string, number> = { uint8: 1, uint16: 2, float16: 2 };

/**
 * The nsfwjs MobileNetV2 as tfjs model artifacts, for `st.loadModel(st.tf.io.fromMemory(…))`.
 * Its training config is left out, so the model loads uncompiled.
 */
export function mobileNetV2Artifacts(opts: MobileNetV2Options = {}): st.tf.io.ModelArtifacts {
  const featuresOnly = opts.featuresOnly ?? true;
  const size = opts.inputSize ?? 224;
  if (!Number.isInteger(size) || size < 32 || size % 32 !== 0 || (!featuresOnly && size !== 224)) {
    throw new Error(`mobilenet_v2: 'inputSize' must be a multiple of 32 (224 with the classifier); got ${size}`);
  }
  const dir = modelDir();
  const modelText = readFileSync(join(dir, 'model.min.js'), 'utf8');
  const at = modelText.indexOf('exports={modelTopology');
  if (at < 0) throw new Error('mobilenet_v2: model.min.js does not hold the expected model literal');
  const model = JSON.parse(literalToJson(balanced(modelText, at + 'exports='.length))) as JsonObject;
  const topology = model.modelTopology as JsonObject;
  const manifest = model.weightsManifest as { paths: string[]; weights: (JsonObject & { name: string; shape: number[] })[] }[];

  const shardText = readFileSync(join(dir, 'group1-shard1of1.min.js'), 'utf8');
  const b64 = /exports="([A-Za-z0-9+/=]+)"/.exec(shardText)?.[1];
  if (!b64) throw new Error('mobilenet_v2: group1-shard1of1.min.js does not hold the expected base64 weights');
  const bytes = Buffer.from(b64, 'base64');

  const config = (topology.model_config as JsonObject).config as JsonObject;
  let layers = config.layers as JsonObject[];
  const input = layers[0]!.config as JsonObject;
  input.batch_input_shape = [null, size, size, 3];
  if (featuresOnly) {
    const last = layers.findIndex((l) => l.name === 'out_relu');
    layers = layers.slice(0, last + 1);
    config.layers = layers;
    config.output_layers = [['out_relu', 0, 0]];
  }
  const kept = new Set(layers.map((l) => l.name as string));

  // Weights lie back to back in manifest order; keep the bytes of the layers kept.
  const specs = manifest.flatMap((g) => g.weights);
  const parts: Buffer[] = [];
  const weightSpecs: st.tf.io.WeightsManifestEntry[] = [];
  let offset = 0;
  for (const spec of specs) {
    const quant = spec.quantization as { dtype?: string } | undefined;
    const n = spec.shape.reduce((a, d) => a * d, 1) * (quant?.dtype ? BYTES[quant.dtype]! : 4);
    if (kept.has(spec.name.split('/')[0]!)) {
      parts.push(bytes.subarray(offset, offset + n));
      weightSpecs.push(spec as unknown as st.tf.io.WeightsManifestEntry);
    }
    offset += n;
  }
  if (offset !== bytes.length) throw new Error(`mobilenet_v2: the manifest describes ${offset} bytes; the shard holds ${bytes.length}`);
  const data = Buffer.concat(parts);
  delete topology.training_config;
  return {
    modelTopology: topology,
    weightSpecs,
    weightData: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer,
    format: 'layers-model',
  };
}
