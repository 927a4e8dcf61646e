// Everything that runs the same in Node and in browsers; the two entry points add to it.
export { tf } from './backend/tf.js';
export { setBackend, getBackend, ready, type BackendName } from './backend/backends.js';
export { StrataError, ValueError, ShapeError, StateError, SerializationError } from './engine/errors.js';
export { Layer, type LayerOptions, type CallContext, type InputSpec, type LayerInput } from './engine/layer.js';
export { LayerWeight, type WeightOwner } from './engine/weight.js';
export { SymbolicTensor, GraphNode, type GraphLayer } from './engine/symbolic.js';
export type { Shape } from './engine/shape.js';
export type { ActivationName } from './engine/activations.js';
export * as layers from './layers/index.js';
export * as initializers from './engine/initializers_api.js';
export * as regularizers from './engine/regularizers_api.js';
export * as testing from './testing/index.js';
export { Network, type PredictOptions, type SummaryOptions } from './models/network.js';
export { SequentialNetwork, type SequentialOptions, type SequentialItem } from './models/sequential.js';
export { FunctionalNetwork, type FunctionalOptions } from './models/functional.js';
export type { LayerSelector } from './models/selector.js';
export type { SummaryRow } from './models/summary.js';
export { sequential, model, Sequential, Model } from './io/models.js';
export * as optimizers from './optimizers/index.js';
export * as losses from './losses/index.js';
export * as metrics from './metrics/index.js';
export * as callbacks from './training/callbacks/index.js';
export type { Logs, BatchLogs, TrainingParams, CallbackModel, CallbackHooks } from './training/callbacks/index.js';
export type { Trainable } from './training/trainable.js';
export type { TrainOnBatchOptions } from './training/trainer.js';
export type {
  CompileOptions, FitOptions, FitDatasetOptions, EvaluateOptions, TensorData, Dataset, DatasetBatch, LoopOptions,
} from './training/options.js';
export * as transfer from './apps/transfer/index.js';
export {
  saveModel, loadModel, modelArtifacts, modelFromArtifacts, registerLayer, LayerRegistry, defaultLayerRegistry,
  loadKerasModel, saveKerasModel,
  type SaveOptions, type SavableModel, type LoadModelOptions, type LoadedModel, type ModelLocation, type LayerClass,
  type LoadKerasOptions, type ZipLimits,
} from './io/index.js';
export {
  gan, GAN, type GanOptions, type GanCompileOptions, type GanFitOptions, type GanSampleOptions, type GanLossName, type GanDataset,
} from './apps/gan/index.js';
export * as io from './io/index.js';
export { setThreads, getThreads, threadsInfo, coreCount, type ThreadsInfo } from './backend/threads.js';
export * as applications from './apps/applications/index.js';
export * as tuner from './apps/tuner/index.js';
export * as tensorboard from './io/tensorboard/index.js';
export * as explain from './apps/explain/index.js';
export * as plot from './apps/plot/index.js';
export type { EvaluateLogs } from './training/trainable.js';
export type { DataLike } from './training/options.js';
export type { PredictOutput } from './training/models.js';
export type { PlainData } from './engine/tensor_checks.js';
export type { PredictInput } from './models/network.js';
export type { Mask, MaskInput } from './engine/mask.js';
export type { KerasVariables } from './engine/keras_variables.js';
export type { ActivationFn } from './engine/activations.js';
