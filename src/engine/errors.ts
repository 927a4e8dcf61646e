/**
 * The base of every error strata throws on purpose. Messages name the layer (or
 * function), the argument, what was expected and what came:
 * `Dense 'dense_2': expected input last dim 784, got 28`.
 */
export class StrataError extends Error {
  constructor(message: string) {
    super(boundMessage(String(message)));
    this.name = new.target.name;
  }
}

/** Longest message kept whole; longer ones (a 100 MB layer name quoted back) are cut in the middle. */
export const MAX_MESSAGE_LENGTH = 2000;

function boundMessage(message: string): string {
  if (message.length <= MAX_MESSAGE_LENGTH) return message;
  const head = message.slice(0, 1200);
  const tail = message.slice(-600);
  return `${head} … [${message.length - 1800} characters cut] … ${tail}`;
}

/** An option or argument has a value outside what is allowed. */
export class ValueError extends StrataError {}

/** A tensor's shape (rank or dimension) does not fit what a layer or loss expects. */
export class ShapeError extends StrataError {}

/** A model is used in a way its state does not allow (not compiled, fit already running…). */
export class StateError extends StrataError {}

/** A saved model or config cannot be read: malformed, truncated, unknown class, absurd sizes. */
export class SerializationError extends StrataError {}

/** Formats a shape for messages: `[null,28,28,1]`. */
export function fmtShape(shape: readonly (number | null)[] | undefined): string {
  if (!shape) return 'undefined';
  return `[${shape.map((d) => (d === null ? 'null' : String(d))).join(',')}]`;
}
