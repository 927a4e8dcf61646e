/**
 * Training callbacks: hooks the fit loop calls at train, epoch and batch boundaries.
 * @module
 */
export { Callback, type Logs, type BatchLogs, type TrainingParams, type CallbackModel, type CallbackHooks } from './callback.js';
export { CallbackList } from './callback_list.js';
export { History } from './history.js';
export { EarlyStopping, earlyStopping, type EarlyStoppingOptions } from './early_stopping.js';
export { LearningRateScheduler, learningRateScheduler, type LearningRateScheduleFn, type LearningRateSchedulerOptions } from './lr_scheduler.js';
export { ReduceLROnPlateau, reduceLROnPlateau, type ReduceLROnPlateauOptions } from './reduce_lr_on_plateau.js';
export { TerminateOnNaN, terminateOnNaN } from './terminate_on_nan.js';
export { ProgressBar, type ProgressBarOptions } from './progress_bar.js';
export { verboseDefault, lineWriter, type WriteFn } from './output.js';
export type { MonitorMode } from './monitor.js';
