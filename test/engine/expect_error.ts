import { expect } from 'vitest';
import * as st from './st.js';

/** Runs `fn`, expecting a StrataError (of `kind`) whose message contains every part. */
export function expectError(fn: () => unknown, kind: typeof st.StrataError, ...parts: (string | RegExp)[]): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught, 'expected an error').toBeInstanceOf(st.StrataError);
  expect(caught).toBeInstanceOf(kind);
  const msg = (caught as Error).message;
  for (const p of parts) {
    if (typeof p === 'string') expect(msg).toContain(p);
    else expect(msg).toMatch(p);
  }
}
