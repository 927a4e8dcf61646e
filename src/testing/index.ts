/**
 * Tools for testing models and custom layers.
 * @module
 */
export {
  checkGradients, type GradientCheckOptions, type GradientCheckReport, type GradientCheckEntry,
} from './check_gradients.js';
