/**
 * Reads the pretrained models that `nsfwjs` ships as UMD-wrapped JavaScript files
 * (`model.min.js`, `group1-shardXofN.min.js`) into tfjs model artifacts. The files are
 * treated as data: the object literal after `exports=` is parsed by strata's literal parser
 * (`src/io/node/literal.ts`); nothing is evaluated.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { tf } from '../../src/backend/tf.js';
import { exportedLiteral } from '../../src/io/node/literal.js';

export { exportedLiteral, parseLiteral, type Literal } from '../../src/io/node/literal.js';

/** Where nsfwjs keeps its models. */
export function nsfwjsModelDir(name: 'mobilenet_v2' | 'inception_v3'): string {
  const require = createRequire(import.meta.url);
  // Resolving (not importing) the CommonJS entry, `dist/cjs/index.js`, finds the package.
  return path.join(path.dirname(require.resolve('nsfwjs')), '..', 'models', name);
}

/** A tfjs `IOHandler` that loads one of nsfwjs' wrapped models from its directory. */
export function nsfwjsHandler(dir: string): tf.io.IOHandler {
  return {
    load: async () => {
      const json = exportedLiteral(readFileSync(path.join(dir, 'model.min.js'), 'utf8')) as { [k: string]: any };
      const groups = json.weightsManifest as { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
      const buffers = groups.flatMap((g) => g.paths.map((p) => {
        const b64 = exportedLiteral(readFileSync(path.join(dir, `${p}.min.js`), 'utf8'));
        if (typeof b64 !== 'string') throw new Error(`nsfwjsHandler: shard ${p} does not hold a base64 string`);
        const buf = Buffer.from(b64, 'base64');
        return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
      }));
      return {
        modelTopology: json.modelTopology,
        format: json.format,
        weightSpecs: groups.flatMap((g) => g.weights),
        weightData: tf.io.concatenateArrayBuffers(buffers),
      };
    },
  };
}
