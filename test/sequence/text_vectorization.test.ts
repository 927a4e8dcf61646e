/** TextVectorization: standardize, split, adapt with maxTokens, the four output modes, config round trip. */
import { beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '../../src/backend/backends.js';
import { tf } from '../../src/backend/tf.js';
import { StateError, ValueError } from '../../src/engine/errors.js';
import { TextVectorization, textVectorization } from '../../src/layers/text/index.js';

beforeAll(async () => {
  await setBackend('cpu');
});

const texts = ['The cat sat.', 'The dog sat!', 'the CAT, the cat'];

describe('textVectorization', () => {
  it('adapt orders tokens by frequency after lower-casing and stripping punctuation; maxTokens caps it', () => {
    const tv = textVectorization();
    tv.adapt(texts);
    expect(tv.getVocabulary()).toEqual(['', '[UNK]', 'the', 'cat', 'sat', 'dog']);
    const small = textVectorization({ maxTokens: 4 });
    small.adapt(texts);
    expect(small.getVocabulary()).toEqual(['', '[UNK]', 'the', 'cat']);
  });

  it('int mode pads with 0, truncates, and maps unknown tokens to 1', () => {
    const tv = textVectorization({ outputSequenceLength: 4 });
    tv.adapt(texts);
    const y = tv.vectorize(['the bird sat', 'cat cat cat cat cat']);
    expect(y.dtype).toBe('int32');
    expect(y.arraySync()).toEqual([[2, 1, 4, 0], [3, 3, 3, 3]]);
    y.dispose();
  });

  it('multiHot, count and tfIdf have one column per token, OOV first', () => {
    const mk = (outputMode: 'multiHot' | 'count' | 'tfIdf') => { const t = textVectorization({ outputMode }); t.adapt(texts); return t; };
    const mh = mk('multiHot').vectorize(['cat cat bird']);
    expect(mh.arraySync()).toEqual([[1, 0, 1, 0, 0]]);
    const ct = mk('count').vectorize(['cat cat bird']);
    expect(ct.arraySync()).toEqual([[1, 0, 2, 0, 0]]);
    const ti = mk('tfIdf').vectorize(['cat cat']);
    // 'cat' is in 2 of 3 documents: idf = log(1 + 3 / 3).
    expect((ti.arraySync() as number[][])[0]![2]).toBeCloseTo(2 * Math.log(2), 5);
    tf.dispose([mh, ct, ti]);
  });

  it('character split, a standardize function, and string tensors through apply()', () => {
    const tv = textVectorization({ split: 'character', standardize: (s) => s.toUpperCase() });
    tv.adapt(['abba', 'ab']);
    expect(tv.getVocabulary()).toEqual(['', '[UNK]', 'A', 'B']);
    const x = tf.tensor1d(['ab', 'bbbc'], 'string');
    const y = tv.apply(x) as tf.Tensor;
    expect(y.arraySync()).toEqual([[2, 3, 0, 0], [3, 3, 3, 1]]);
    tf.dispose([x, y]);
  });

  it('its config carries the vocabulary, so a rebuilt layer vectorizes the same', () => {
    const tv = textVectorization({ maxTokens: 10, outputSequenceLength: 3 });
    tv.adapt(texts);
    const again = new TextVectorization(JSON.parse(JSON.stringify(tv.getConfig())));
    const a = tv.vectorize(['dog sat there']);
    const b = again.vectorize(['dog sat there']);
    expect(b.arraySync()).toEqual(a.arraySync());
    tf.dispose([a, b]);
  });

  it('errors name the layer and the argument', () => {
    expect(() => textVectorization({ maxTokens: 2 })).toThrow(/'maxTokens' must be an integer > 2/);
    expect(() => textVectorization({ outputMode: 'oneHot' as never })).toThrow(ValueError);
    expect(() => textVectorization().vectorize(['x'])).toThrow(StateError);
  });
});
