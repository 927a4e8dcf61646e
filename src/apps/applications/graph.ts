import type { ActivationName } from '../../engine/activations.js';
import type { Layer } from '../../engine/layer.js';
import type { SymbolicTensor } from '../../engine/symbolic.js';
import { activation } from '../../layers/activation/activation.js';
import { dense } from '../../layers/core/dense.js';
import { input } from '../../layers/core/input.js';
import { globalAveragePooling2d, globalMaxPooling2d } from '../../layers/pooling/index.js';
import { Model } from '../../io/models.js';
import type { CheckedOptions } from './options.js';

/** Applies a layer to one symbolic tensor (or a list, for merges). */
export function ap(layer: Layer, x: SymbolicTensor | SymbolicTensor[]): SymbolicTensor {
  return layer.apply(x) as SymbolicTensor;
}

/**
 * Names for layers Keras leaves unnamed, as a fresh Keras model derives them: the
 * snake_case class name, then `_1`, `_2`… per model.
 */
export class AutoNames {
  private readonly used = new Map<string, number>();
  next(stem: string): string {
    const n = this.used.get(stem) ?? 0;
    this.used.set(stem, n + 1);
    return n === 0 ? stem : `${stem}_${n}`;
  }
}

/** The model's input, named as a fresh Keras model names it. */
export function imageInput(o: CheckedOptions): SymbolicTensor {
  return input({ shape: o.inputShape, name: 'input_layer' });
}

/** Names of the global pooling layers a family uses on top and for the `pooling` option. */
export interface PoolNames {
  top: string;
  avg: string;
  max: string;
}

/** Keras' unnamed pooling layers in a fresh model. */
export const AUTO_POOL: PoolNames = { top: 'global_average_pooling2d', avg: 'global_average_pooling2d', max: 'global_max_pooling2d' };

/**
 * The end Keras puts on most applications: with the top, global average pooling and the
 * `predictions` Dense layer; without, the `pooling` option.
 */
export function finish(x: SymbolicTensor, o: CheckedOptions, names: PoolNames): SymbolicTensor {
  if (o.includeTop) {
    const h = ap(globalAveragePooling2d({ name: names.top }), x);
    return ap(dense({ units: o.classes, activation: o.classifierActivation, name: 'predictions' }), h);
  }
  if (o.pooling === 'avg') return ap(globalAveragePooling2d({ name: names.avg }), x);
  if (o.pooling === 'max') return ap(globalMaxPooling2d({ name: names.max }), x);
  return x;
}

/** An activation layer with Keras' name for it. */
export function act(name: ActivationName, layerName: string): Layer {
  return activation({ activation: name, name: layerName });
}

/** The functional model from the input to the output. */
export function modelOf(inp: SymbolicTensor, out: SymbolicTensor, name: string): Model {
  return new Model({ inputs: inp, outputs: out, name });
}
