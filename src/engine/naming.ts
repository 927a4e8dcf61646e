/** Converts a class name to the Keras default layer-name stem: `MaxPooling2D` → `max_pooling2d`. */
export function snakeCase(name: string): string {
  return name
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/**
 * Hands out unique names inside one model: `dense`, `dense_1`, `dense_2`… No global
 * counter: two models built the same way get the same names.
 */
export class NameScope {
  private readonly used = new Set<string>();
  private readonly next = new Map<string, number>();

  /** Reserve a name chosen by the user; returns false if it is already taken. */
  reserve(name: string): boolean {
    if (this.used.has(name)) return false;
    this.used.add(name);
    return true;
  }

  /** Gives a name back (a layer that failed to join the model). */
  release(name: string): void {
    this.used.delete(name);
  }

  /** A fresh name derived from `stem`. */
  unique(stem: string): string {
    let n = this.next.get(stem) ?? 0;
    let name = n === 0 ? stem : `${stem}_${n}`;
    while (this.used.has(name)) {
      n += 1;
      name = `${stem}_${n}`;
    }
    this.next.set(stem, n + 1);
    this.used.add(name);
    return name;
  }
}
