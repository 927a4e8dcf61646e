/**
 * A reader for data-only JavaScript literals (objects, arrays, strings, numbers, `!0`/`!1`,
 * `null`), used to read model files that ship as UMD-wrapped JavaScript modules without
 * running any of their code.
 * @module
 */
import { SerializationError } from '../../engine/errors.js';

/** A parsed literal value. */
export type Literal = null | boolean | number | string | Literal[] | { [key: string]: Literal };

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '0': '\0' };

/**
 * Parses the JavaScript literal starting at `start`; returns it and the index after it.
 * @throws SerializationError at anything that is not a data literal (identifiers, calls).
 */
export function parseLiteral(src: string, start: number, owner = 'parseLiteral'): { value: Literal; end: number } {
  let i = start;
  const fail = (what: string): never => {
    throw new SerializationError(`${owner}: ${what} at offset ${i}: '${src.slice(i, i + 20)}'`);
  };
  const ws = () => {
    while (i < src.length && /\s/.test(src[i]!)) i++;
  };
  const string = (): string => {
    const q = src[i++]!;
    // Runs of plain characters are taken in one step: weight shards are 30 MB strings.
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
      out += ESCAPES[c] ?? c;
      i += 2;
    }
  };
  const value = (depth: number): Literal => {
    if (depth > 200) fail('literal nested too deep');
    ws();
    const c = src[i];
    if (c === '{') {
      i++;
      const obj: { [key: string]: Literal } = {};
      ws();
      if (src[i] === '}') return i++, obj;
      for (;;) {
        ws();
        let key = '';
        if (src[i] === '"' || src[i] === "'") key = string();
        else {
          const m = /^[A-Za-z_$][\w$]*|^\d+/.exec(src.slice(i, i + 200));
          if (!m) fail('expected a key');
          key = m![0];
          i += key.length;
        }
        ws();
        if (src[i++] !== ':') fail("expected ':'");
        Object.defineProperty(obj, key, { value: value(depth + 1), enumerable: true, writable: true, configurable: true });
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
        arr.push(value(depth + 1));
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
  const v = value(0);
  return { value: v, end: i };
}

/**
 * The literal a UMD-wrapped module file exports (`….exports={…}` or `….exports="…"`).
 * @throws SerializationError when there is none.
 */
export function exportedLiteral(text: string, owner = 'exportedLiteral'): Literal {
  const m = /\.exports=(?=[{"'])/.exec(text);
  if (!m) throw new SerializationError(`${owner}: no exported literal found`);
  return parseLiteral(text, m.index + m[0].length, owner).value;
}
