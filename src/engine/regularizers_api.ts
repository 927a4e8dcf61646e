/**
 * Weight penalties added to the loss: `kernelRegularizer: st.regularizers.l2({ l2: 1e-4 })`.
 * @module
 */
export { L1L2, l1, l2, l1l2, type RegularizerIdentifier, type RegularizerSpec } from './regularizers.js';
