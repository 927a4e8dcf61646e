import { ShapeError, fmtShape } from './errors.js';
import { isShapeList, type Shape } from './shape.js';

/** Constraints on a layer's input, checked before `build` and `call`. */
export interface InputSpec {
  /** Exact rank, batch dimension included. */
  ndim?: number;
  /** Minimum rank, batch dimension included. */
  minNdim?: number;
  /** Fixed sizes of some axes (negative counts from the end). */
  axes?: Record<number, number>;
}

/** Checks input shape(s) against a layer's input spec; throws a ShapeError naming the layer (`label`). */
export function checkInputSpec(label: string, spec: InputSpec, inputShape: Shape | Shape[]): void {
  const shapes = isShapeList(inputShape) ? inputShape : [inputShape];
  for (const s of shapes) {
    if (spec.ndim !== undefined && s.length !== spec.ndim) {
      throw new ShapeError(`${label}: expected input of rank ${spec.ndim} (batch included), got shape ${fmtShape(s)}`);
    }
    if (spec.minNdim !== undefined && s.length < spec.minNdim) {
      throw new ShapeError(`${label}: expected input of rank >= ${spec.minNdim} (batch included), got shape ${fmtShape(s)}`);
    }
    for (const [axisStr, size] of Object.entries(spec.axes ?? {})) {
      const axis = Number(axisStr);
      const d = s[axis < 0 ? s.length + axis : axis];
      if (d !== null && d !== undefined && d !== size) {
        const what = axis === -1 ? 'last dim' : `dim ${axis}`;
        throw new ShapeError(`${label}: expected input ${what} ${size}, got ${d} (input shape ${fmtShape(s)})`);
      }
    }
  }
}
