/** A tensor shape with an unknown (batch) dimension written as `null`. */
export type Shape = (number | null)[];

/** True when `s` is a list of shapes rather than one shape. */
export function isShapeList(s: Shape | Shape[]): s is Shape[] {
  return s.length > 0 && Array.isArray(s[0]);
}

/** Number of elements of a fully known shape; `null` dims count as 1. */
export function sizeOf(shape: readonly (number | null)[]): number {
  return shape.reduce<number>((a, d) => a * (d ?? 1), 1);
}

/** Shallow equality, treating `null` as a wildcard when `loose` is set. */
export function shapesEqual(a: Shape, b: Shape, loose = true): boolean {
  if (a.length !== b.length) return false;
  return a.every((d, i) => d === b[i] || (loose && (d === null || b[i] === null)));
}
