import { tf } from '../backend/tf.js';
import { ValueError } from '../engine/errors.js';

/**
 * Where a model goes or comes from: a URL (`indexeddb://name`, `localstorage://name`,
 * `downloads://name`, `http(s)://…/model.json`; in Node also `file://path`) or a tfjs
 * `IOHandler` (e.g. `tf.io.fromMemory(...)`, `tf.io.withSaveHandler(...)`).
 */
export type ModelLocation = string | tf.io.IOHandler;

/** Turns a URL into a handler for one scheme, or returns undefined when the URL is not its. */
export type HandlerRouter = (url: string, kind: 'save' | 'load', loadOptions?: tf.io.LoadOptions) => tf.io.IOHandler | undefined;

const SCHEMES = 'indexeddb://, localstorage://, downloads:// (in browsers), http(s)://, and in Node file://';

function describe(x: unknown): string {
  return typeof x === 'string' ? `'${x}'` : x === null ? 'null' : typeof x;
}

/**
 * The handler that saves to `target`: the handler itself, or the one registered for the
 * URL's scheme (`routers` first, then tfjs-core's routers).
 * @throws ValueError when no handler, or more than one, fits.
 */
export function saveHandlerFor(target: ModelLocation, owner: string, routers: readonly HandlerRouter[] = []): tf.io.IOHandler {
  if (typeof target !== 'string') {
    if (typeof target?.save !== 'function') {
      throw new ValueError(`${owner}: expected a URL or an IOHandler with a save() method; got ${describe(target)}`);
    }
    return target;
  }
  for (const r of routers) {
    const h = r(target, 'save');
    if (h) return h;
  }
  const found = tf.io.getSaveHandlers(target);
  if (found.length === 0) throw new ValueError(`${owner}: no save handler for URL '${target}'; supported: ${SCHEMES}`);
  if (found.length > 1) throw new ValueError(`${owner}: ${found.length} save handlers match URL '${target}'; pass an IOHandler instead`);
  return found[0]!;
}

/**
 * The handler that loads from `source`: the handler itself, or the one registered for the
 * URL's scheme (`routers` first, then tfjs-core's routers).
 * @throws ValueError when no handler, or more than one, fits.
 */
export function loadHandlerFor(
  source: ModelLocation, owner: string, routers: readonly HandlerRouter[] = [], loadOptions?: tf.io.LoadOptions,
): tf.io.IOHandler {
  if (typeof source !== 'string') {
    if (typeof source?.load !== 'function') {
      throw new ValueError(`${owner}: expected a URL or an IOHandler with a load() method; got ${describe(source)}`);
    }
    return source;
  }
  for (const r of routers) {
    const h = r(source, 'load', loadOptions);
    if (h) return h;
  }
  const found = tf.io.getLoadHandlers(source, loadOptions);
  if (found.length === 0) throw new ValueError(`${owner}: no load handler for URL '${source}'; supported: ${SCHEMES}`);
  if (found.length > 1) throw new ValueError(`${owner}: ${found.length} load handlers match URL '${source}'; pass an IOHandler instead`);
  return found[0]!;
}
