import { tf } from '../backend/tf.js';
import type { L1L2 } from './regularizers.js';

/** The part of a layer a weight needs to know: its name and whether it is trainable. */
export interface WeightOwner {
  /** The owning layer's name, the first part of the weight's full name. */
  readonly name: string;
  /** Whether the owning layer is trainable. */
  readonly trainable: boolean;
}

/**
 * A named weight of a layer, held in a tfjs `Variable`. Its full name is
 * `<layer name>/<short name>` (e.g. `dense_1/kernel`), following the layer's name.
 * Its identity (the object) is what optimizers key their state by.
 */
export class LayerWeight {
  /** Per-process identity, stable for the life of the weight; used to key optimizer state. */
  readonly id: number;
  private static nextId = 0;
  constructor(
    /** The layer that owns it. */
    readonly owner: WeightOwner,
    /** Name within the layer: `kernel`, `bias`, `gamma`, `moving_mean`… */
    readonly shortName: string,
    /** The variable holding the value. */
    readonly variable: tf.Variable,
    /** False for statistics such as BatchNorm's moving mean, which no optimizer updates. */
    readonly trainableByKind: boolean,
    /** Penalty added to the loss, if any. */
    readonly regularizer?: L1L2,
  ) {
    this.id = LayerWeight.nextId++;
  }
  /** Full name, `<layer>/<weight>`. */
  get name(): string {
    return `${this.owner.name}/${this.shortName}`;
  }
  /** Whether an optimizer updates it now: its kind allows it and its layer is trainable. */
  get trainable(): boolean {
    return this.trainableByKind && this.owner.trainable;
  }
  /** The weight's shape. */
  get shape(): number[] {
    return this.variable.shape;
  }
  /** Number of scalars in it. */
  get size(): number {
    return this.variable.size;
  }
  /** The current value (the variable itself; do not dispose it). */
  read(): tf.Variable {
    return this.variable;
  }
  /** Assigns a new value of the same shape (the caller keeps ownership of `value`). */
  write(value: tf.Tensor): void {
    this.variable.assign(value);
  }
}
