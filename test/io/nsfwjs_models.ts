/**
 * Reads the pretrained models that `nsfwjs` ships as UMD-wrapped JavaScript files
 * (`model.min.js`, `group1-shardXofN.min.js`) into tfjs model artifacts. The files are
 * treated as data: the object literal after `exports=` is parsed by a small literal parser
 * (objects, arrays, strings, numbers, `!0`/`!1`, `null`); nothing is evaluated.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { tf } from '../../src/backend/tf.js';

/** A parsed literal value. */
export type Literal = null | boolean | number | string | Literal[] | { [key: string]: Literal };

/** Parses one JavaScript literal starting at `start`; returns it and the index after it. */
export function parseLiteral(src: string, start: number): { value: Literal; end: number } {
  let i = start;
  const fail = (what: string): never => {
    throw new Error(`parseLiteral: ${what} at offset ${i}: '${src.slice(i, i + 20)}'`);
  };
  const ws = () => {
    while (i < src.length && /\s/.test(src[i]!)) i++;
  };
  const string = (): string => {
    const q = src[i++]!;
    // Runs of plain characters are taken in one step: the weight shards are 30 MB strings.
    const plain = q === '"' ? /[^"\\]*/y : /[^'\\]*/y;
    let out = '';
    for (;;) {
      plain.lastIndex = i;
      const run = plain.exec(src)![0];
      out += run;
      i += run.length;
      if (i >= src.length) fail('unterminated string');
      if (src[i] === q) {
        i++;
        return out;
      }
      const c = src[i + 1]!;
      if (c === 'u') {
        out += String.fromCharCode(parseInt(src.slice(i + 2, i + 6), 16));
        i += 6;
        continue;
      }
      out += ({ n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '0': '\0' } as Record<string, string>)[c] ?? c;
      i += 2;
    }
  };
  const value = (): Literal => {
    ws();
    const c = src[i];
    if (c === '{') {
      i++;
      const obj: { [key: string]: Literal } = {};
      ws();
      if (src[i] === '}') return i++, obj;
      for (;;) {
        ws();
        let key: string;
        if (src[i] === '"' || src[i] === "'") key = string();
        else {
          const m = /^[A-Za-z_$][\w$]*|^\d+/.exec(src.slice(i, i + 200));
          if (!m) fail('expected a key');
          key = m![0];
          i += key.length;
        }
        ws();
        if (src[i++] !== ':') fail("expected ':'");
        Object.defineProperty(obj, key, { value: value(), enumerable: true, writable: true, configurable: true });
        ws();
        if (src[i] === ',') i++;
        else if (src[i] === '}') return i++, obj;
        else fail("expected ',' or '}'");
      }
    }
    if (c === '[') {
      i++;
      const arr: Literal[] = [];
      ws();
      if (src[i] === ']') return i++, arr;
      for (;;) {
        arr.push(value());
        ws();
        if (src[i] === ',') i++;
        else if (src[i] === ']') return i++, arr;
        else fail("expected ',' or ']'");
      }
    }
    if (c === '"' || c === "'") return string();
    if (src.startsWith('!0', i)) return (i += 2), true;
    if (src.startsWith('!1', i)) return (i += 2), false;
    for (const [word, v] of [['null', null], ['true', true], ['false', false]] as const) {
      if (src.startsWith(word, i)) return (i += word.length), v;
    }
    const m = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/.exec(src.slice(i, i + 40));
    if (!m) fail('unexpected token');
    i += m![0].length;
    return Number(m![0]);
  };
  const v = value();
  return { value: v, end: i };
}

/** The literal a UMD-wrapped module file exports (`….exports={…}` or `….exports="…"`). */
export function exportedLiteral(text: string): Literal {
  const m = /\.exports=(?=[{"'])/.exec(text);
  if (!m) throw new Error('exportedLiteral: no exported literal found');
  return parseLiteral(text, m.index + m[0].length).value;
}

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
