import { SerializationError, StrataError } from '../engine/errors.js';

/**
 * Turns any failure while reading a model file into a StrataError: strata's own errors
 * pass through; a stack overflow (a config nested absurdly deep) and any other stray
 * error (a TypeError from a malformed field) become a SerializationError naming `owner`,
 * so a hostile or corrupt file never surfaces as a raw TypeError or RangeError.
 */
export function asLoadError(e: unknown, owner: string): StrataError {
  if (e instanceof StrataError) return e;
  if (e instanceof RangeError && /call stack/i.test(e.message)) {
    return new SerializationError(`${owner}: the model config is nested too deeply to read`);
  }
  const msg = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return new SerializationError(`${owner}: the file is malformed (${msg})`);
}

/** Runs a loader, reporting every failure through {@link asLoadError}. */
export async function guardLoad<T>(owner: string, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    throw asLoadError(e, owner);
  }
}
