import { tf } from '../../backend/tf.js';
import { ShapeError, ValueError, fmtShape } from '../../engine/errors.js';
import { Layer, type CallContext, type LayerOptions } from '../../engine/layer.js';
import { isShapeList, type Shape } from '../../engine/shape.js';
import type { KerasVariables } from '../../engine/keras_variables.js';
import { Activation } from '../activation/activation.js';
import { CompositeLayer } from '../blocks/composite.js';
import { readSerialized } from './serialized.js';
import { Dense } from '../core/dense.js';
import { Dropout } from '../core/dropout.js';

import type { SerializedLayer } from './serialized.js';
export type { SerializedLayer };

/** Options of {@link timeDistributed}. */
export interface TimeDistributedOptions extends LayerOptions {
  /** The layer applied to every time step (input `[batch, time, ...]`). Required. */
  layer: Layer | SerializedLayer;
  /**
   * Classes a saved inner layer may name, for rebuilding from a config, besides the
   * built-in `Dense`, `Dropout` and `Activation`. Default: none.
   */
  layerClasses?: Record<string, new (o: never) => Layer>;
}

/**
 * Applies a layer to every time step independently (Keras `TimeDistributed`): time is
 * folded into the batch, the layer runs once, and the result is unfolded.
 */
export class TimeDistributed extends CompositeLayer {
  readonly className = 'TimeDistributed';
  override supportsMasking = true;
  /** The wrapped layer. */
  readonly layer: Layer;

  constructor(opts: TimeDistributedOptions) {
    super(opts);
    let l = opts?.layer;
    if (!(l instanceof Layer)) {
      const s = readSerialized(l);
      const Ctor = s ? ({ Dense, Dropout, Activation, ...opts.layerClasses } as Record<string, new (o: never) => Layer>)[s.className] : undefined;
      if (!Ctor) throw new ValueError(`${this.label}: 'layer' must be a layer (or a saved layer of a class given in 'layerClasses'); got ${JSON.stringify(s?.className ?? l)}`);
      l = new Ctor(s!.config as never);
    }
    this.layer = this.own(l.name.split('/').pop()!, l);
  }

  private inner(s: Shape): Shape {
    if (s.length < 3) throw new ShapeError(`${this.label}: expected input of rank >= 3 [batch, time, ...], got shape ${fmtShape(s)}`);
    return [null, ...s.slice(2)];
  }

  protected override build(inputShape: Shape | Shape[]): void {
    if (isShapeList(inputShape)) throw new ShapeError(`${this.label}: expected one input, got ${inputShape.length}`);
    this.layer.ensureBuilt(this.inner(inputShape));
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const s = inputShape as Shape;
    const o = this.layer.computeOutputShape(this.inner(s));
    if (isShapeList(o)) throw new ShapeError(`${this.label}: the wrapped layer must have one output`);
    return [s[0]!, s[1]!, ...o.slice(1)];
  }

  call(inputs: tf.Tensor | tf.Tensor[], ctx: CallContext): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    const [b, t] = x.shape as [number, number];
    const folded = tf.reshape(x, [b * t, ...x.shape.slice(2)]);
    const y = this.layer.apply(folded, { training: ctx.training }) as tf.Tensor;
    return tf.reshape(y, [b, t, ...y.shape.slice(1)]);
  }

  /** Keras keeps the wrapped layer's variables under `layer`. */
  override kerasVariables(): KerasVariables {
    return { vars: [], children: [['layer', this.layer.kerasVariables()]] };
  }

  override getConfig(): TimeDistributedOptions {
    // Under its own name (without this layer's prefix), so its weights keep their names.
    const config = { ...(this.layer.getConfig() as Record<string, unknown>), name: this.layer.name.split('/').pop() };
    return { ...super.getConfig(), layer: { className: this.layer.className, config } };
  }
}

/**
 * Applies a layer to every time step.
 * @example
 * ```ts
 * st.layers.timeDistributed({ layer: st.layers.dense({ units: 8 }) })
 * ```
 */
export function timeDistributed(opts: TimeDistributedOptions): TimeDistributed {
  return new TimeDistributed(opts);
}
