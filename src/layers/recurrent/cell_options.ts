import { canonicalActivation, getActivation, type ActivationFn, type ActivationName } from '../../engine/activations.js';
import { ValueError } from '../../engine/errors.js';
import { getInitializer, serializeInitializer, type InitializerIdentifier } from '../../engine/initializers.js';
import type { RnnOptions } from './rnn.js';

/** Options shared by SimpleRNN, LSTM and GRU (Keras names and defaults). */
export interface CellOptions extends RnnOptions {
  /** Size of the state and output (> 0). Required. */
  units: number;
  /** Activation of the candidate state and output. Default `'tanh'`. */
  activation?: ActivationName;
  /** Whether to add biases. Default true. */
  useBias?: boolean;
  /** Initializer of the input kernel. Default `'glorotUniform'`. */
  kernelInitializer?: InitializerIdentifier;
  /** Initializer of the recurrent kernel. Default `'orthogonal'`. */
  recurrentInitializer?: InitializerIdentifier;
  /** Initializer of the bias. Default `'zeros'`. */
  biasInitializer?: InitializerIdentifier;
}

/** Options of the gated cells (LSTM, GRU). */
export interface GatedCellOptions extends CellOptions {
  /** Activation of the gates. Default `'sigmoid'`. */
  recurrentActivation?: ActivationName;
}

/** The checked, resolved form of {@link CellOptions}. */
export interface ResolvedCell {
  /** Size of the state and output. */
  units: number;
  /** Canonical name of the output activation. */
  activation: string;
  /** The output activation. */
  act: ActivationFn;
  /** Canonical name of the gates' activation. */
  recurrentActivation: string;
  /** The gates' activation. */
  recAct: ActivationFn;
  /** Whether the cell has biases. */
  useBias: boolean;
  /** Initializer of the input kernel. */
  kernelInitializer: InitializerIdentifier;
  /** Initializer of the recurrent kernel. */
  recurrentInitializer: InitializerIdentifier;
  /** Initializer of the biases. */
  biasInitializer: InitializerIdentifier;
}

/** Checks and fills in defaults; errors name the layer and the option. */
export function resolveCell(o: GatedCellOptions, label: string): ResolvedCell {
  if (!Number.isInteger(o?.units) || o.units <= 0) {
    throw new ValueError(`${label}: 'units' must be a positive integer; got ${String(o?.units)}`);
  }
  const activation = o.activation ?? 'tanh';
  const recurrentActivation = o.recurrentActivation ?? 'sigmoid';
  const act = getActivation(activation, label, 'activation');
  const recAct = getActivation(recurrentActivation, label, 'recurrentActivation');
  const kernelInitializer = o.kernelInitializer ?? 'glorotUniform';
  const recurrentInitializer = o.recurrentInitializer ?? 'orthogonal';
  const biasInitializer = o.biasInitializer ?? 'zeros';
  getInitializer(kernelInitializer, label, 'kernelInitializer');
  getInitializer(recurrentInitializer, label, 'recurrentInitializer');
  getInitializer(biasInitializer, label, 'biasInitializer');
  return {
    units: o.units, act, recAct, useBias: o.useBias ?? true,
    activation: canonicalActivation(activation)!, recurrentActivation: canonicalActivation(recurrentActivation)!,
    kernelInitializer, recurrentInitializer, biasInitializer,
  };
}

/** The saved form of the cell options (without `recurrentActivation`, which SimpleRNN lacks). */
export function cellConfig(c: ResolvedCell): CellOptions {
  return {
    units: c.units,
    activation: c.activation as ActivationName,
    useBias: c.useBias,
    kernelInitializer: serializeInitializer(getInitializer(c.kernelInitializer)),
    recurrentInitializer: serializeInitializer(getInitializer(c.recurrentInitializer)),
    biasInitializer: serializeInitializer(getInitializer(c.biasInitializer)),
  };
}
