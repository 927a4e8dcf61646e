/** A wrapped layer in saved form: strata's `{ className, config }` or Keras' `{ class_name, config }` (snake_case keys). */
export interface SerializedLayer {
  /** Class name (strata form). */
  className?: string;
  /** Class name (Keras form). */
  class_name?: string;
  /** Its options, camelCase or snake_case keys. */
  config: Record<string, unknown>;
}

const camel = (k: string) => k.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** Reads a saved wrapped layer as `{ className, config }` with camelCase option keys, or undefined if it is not one. */
export function readSerialized(v: unknown): { className: string; config: Record<string, unknown> } | undefined {
  if (!v || typeof v !== 'object') return undefined;
  const s = v as SerializedLayer;
  const className = s.className ?? s.class_name;
  if (typeof className !== 'string' || !s.config || typeof s.config !== 'object') return undefined;
  const config: Record<string, unknown> = {};
  for (const [k, val] of Object.entries(s.config)) if (val !== null) config[camel(k)] = val;
  return { className, config };
}
