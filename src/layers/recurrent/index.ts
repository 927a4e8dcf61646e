export { RnnCell, type AddWeight, type StepResult } from './cell.js';
export { type CellOptions, type GatedCellOptions, type ResolvedCell } from './cell_options.js';
export { RNN, type RnnOptions } from './rnn.js';
export { simpleRNN, SimpleRNN, SimpleRNNCell, type SimpleRNNOptions } from './simple_rnn.js';
export { lstm, LSTM, LSTMCell, type LSTMOptions } from './lstm.js';
export { gru, GRU, GRUCell, type GRUOptions } from './gru.js';
export { bidirectional, Bidirectional, type BidirectionalOptions, type MergeMode, type SerializedRnn } from './bidirectional.js';
export { timeDistributed, TimeDistributed, type TimeDistributedOptions, type SerializedLayer } from './time_distributed.js';
