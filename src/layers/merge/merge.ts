import { tf } from '../../backend/tf.js';
import { ShapeError, fmtShape } from '../../engine/errors.js';
import { Layer, type CallContext, type LayerOptions } from '../../engine/layer.js';
import type { Mask, MaskInput } from '../../engine/mask.js';
import { isShapeList, type Shape } from '../../engine/shape.js';

/**
 * The base of the layers that combine a list of tensors into one (`add`, `concatenate`…).
 * Subclasses define how output shapes follow from input shapes and the tensor math;
 * this class checks that the input is a list of the allowed length, on every application.
 */
export abstract class Merge extends Layer {
  /** Fewest inputs accepted. */
  protected readonly minInputs: number = 2;
  /** Most inputs accepted. */
  protected readonly maxInputs: number = Number.POSITIVE_INFINITY;

  constructor(opts: LayerOptions = {}) {
    super(opts);
  }

  /** The input shapes as a list; throws a ShapeError when the input is not a list of the allowed length. */
  protected shapeList(inputShape: Shape | Shape[]): Shape[] {
    if (!isShapeList(inputShape)) {
      throw new ShapeError(`${this.label}: expected a list of input tensors, got a single input of shape ${fmtShape(inputShape)}`);
    }
    const n = inputShape.length;
    if (n < this.minInputs || n > this.maxInputs) {
      const want = this.minInputs === this.maxInputs ? `exactly ${this.minInputs}` : `at least ${this.minInputs}`;
      throw new ShapeError(`${this.label}: expected ${want} inputs, got ${n} (shapes ${inputShape.map(fmtShape).join(', ')})`);
    }
    return inputShape;
  }

  /** The output shape for a list of input shapes; throws a ShapeError naming the shapes when they do not fit. */
  protected abstract mergedShape(shapes: Shape[]): Shape;

  /** The math on real tensors whose shapes already passed {@link mergedShape}. */
  protected abstract merge(xs: tf.Tensor[]): tf.Tensor;

  override checkInput(inputShape: Shape | Shape[]): void {
    super.checkInput(inputShape);
    this.mergedShape(this.shapeList(inputShape));
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return this.mergedShape(this.shapeList(inputShape));
  }

  /**
   * Keras 3's rule for elementwise merges: the OR of the inputs' padding masks (a step is real
   * if it is real in any input), and no mask when some input has none.
   */
  override computeMask(_inputs: tf.Tensor | tf.Tensor[], mask: MaskInput | undefined): Mask | null {
    if (mask === undefined || mask === null) return null;
    const masks = Array.isArray(mask) ? mask : [mask];
    if (masks.some((m) => m === null || m === undefined)) return null;
    return tf.tidy(() => masks.slice(1).reduce((a: tf.Tensor, m) => tf.logicalOr(a, tf.cast(m!, 'bool')), tf.cast(masks[0]!, 'bool')));
  }

  call(inputs: tf.Tensor | tf.Tensor[], _ctx: CallContext): tf.Tensor {
    const xs = Array.isArray(inputs) ? inputs : [inputs];
    // The batch sizes are only known here; apply() checked the shapes with a free batch.
    this.mergedShape(this.shapeList(xs.map((x) => x.shape)));
    return this.merge(xs);
  }
}

/** The common size of one axis across `dims`, `null` when unknown; undefined on a mismatch. */
export function commonDim(dims: (number | null)[]): number | null | undefined {
  const known = [...new Set(dims.filter((d): d is number => d !== null))];
  if (known.length > 1) return undefined;
  return known[0] ?? null;
}
