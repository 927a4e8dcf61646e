/**
 * Explanations: which inputs made a model say what it said. Gradient methods (`saliency`,
 * `smoothGrad`, `inputXGradient`, `integratedGradients`, `gradientShap`, `gradCam`),
 * model-agnostic ones (`kernelShap`, `lime`) and adversarial examples (`fgsm`, `pgd`).
 * Every function takes a batch, works on Sequential and functional models (or any function
 * of a tensor) on every backend, and leaves no tensors behind but its results.
 * @module
 */
export type { ExplainModel, Target } from './target.js';
export { saliency, smoothGrad, inputXGradient, type GradientOptions, type SaliencyOptions, type SmoothGradOptions } from './saliency.js';
export { integratedGradients, gradientShap, type IntegratedGradientsOptions, type IntegratedGradientsResult, type GradientShapOptions } from './integrated_gradients.js';
export type { PathMethod } from './path_rules.js';
export { gradCam, type GradCamOptions, type GradCamResult } from './grad_cam.js';
export { kernelShap, type KernelShapOptions, type ShapValues } from './kernel_shap.js';
export { lime, type LimeOptions, type LimeExplanation } from './lime.js';
export { slic, gridSegments, pixelGroups, type Segmentation, type SlicOptions } from './segments.js';
export { fgsm, pgd, type FgsmOptions, type PgdOptions } from './adversarial.js';
