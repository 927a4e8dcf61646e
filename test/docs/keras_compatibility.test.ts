// The Keras compatibility guide is a claim about strata's API: every layer it calls
// available must exist under the name it gives, and every layer it calls missing must not
// exist under Keras' name, so the table cannot drift from the code.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as st from '../../src/index.js';

const text = readFileSync(new URL('../../docs/keras-compatibility.md', import.meta.url), 'utf8');
const section = text.slice(text.indexOf('## Layers'), text.indexOf('## Activations'));
const rows = section.split('\n').filter((l) => /^\| `/.test(l)).map((l) => l.split('|').map((c) => c.trim()));
const layers = st.layers as unknown as Record<string, unknown>;
// A few entries (`Layer`, `SymbolicTensor`) live at the top of the namespace.
const top = st as unknown as Record<string, unknown>;
const camel = (name: string) => name[0]!.toLowerCase() + name.slice(1);

describe('docs/keras-compatibility.md, layers table', () => {
  it('lists Keras layers', () => {
    expect(rows.length).toBeGreaterThan(150);
  });

  it('every layer marked available exists in st.layers under the given name', () => {
    const wrong = rows
      .filter((r) => r[2] === 'same' || r[2] === 'named differently')
      .filter((r) => {
        const name = /`([A-Za-z0-9_]+)`/.exec(r[3] ?? '')?.[1];
        return !name || (typeof layers[name] !== 'function' && typeof top[name] !== 'function');
      })
      .map((r) => r[1]);
    expect(wrong).toEqual([]);
  });

  it('no layer marked missing exists in st.layers under its Keras name', () => {
    const present = rows
      .filter((r) => r[2] === 'missing')
      .map((r) => /`([A-Za-z0-9_]+)`/.exec(r[1] ?? '')![1]!)
      .filter((k) => typeof layers[k] === 'function' || typeof layers[camel(k)] === 'function');
    expect(present).toEqual([]);
  });
});
