import { tf } from '../../backend/tf.js';
import { fileRouter } from './index.js';

const KEY = Symbol.for('strata.fileRouters');

/**
 * Adds the `file://` handler to tfjs-core's URL routers, as tfjs-node does for its own,
 * so `model.save('file://…')`, `st.loadModel('file://…')` and `tf.io` calls all find it.
 * The Node entry calls this once; calling it again does nothing.
 */
export function registerFileRouters(): void {
  const g = globalThis as Record<symbol, unknown>;
  if (g[KEY]) return;
  g[KEY] = true;
  // tfjs' routers answer null for URLs that are not theirs; its type omits that case.
  const none = null as unknown as tf.io.IOHandler;
  tf.io.registerSaveRouter((url: string | string[]) => (typeof url === 'string' ? fileRouter(url, 'save') ?? none : none));
  tf.io.registerLoadRouter((url: string | string[], opts?: tf.io.LoadOptions) =>
    (typeof url === 'string' ? fileRouter(url, 'load', opts) ?? none : none));
}
