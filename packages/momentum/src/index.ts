/**
 * @packageDocumentation
 * Syncopate momentum plugins: outer optimizers and momentum schemes that act around
 * synchronisation points: SlowMo, BMUF, Lookahead, double averaging, DGC's momentum correction,
 * global momentum compression, and the base-optimizer buffer policy.
 */
export { SlowMo, slowMo, type SlowMoOptions } from './slow-mo.js';
export {
  BlockwiseModelUpdateFiltering,
  blockwiseModelUpdateFiltering,
  type BlockwiseModelUpdateFilteringOptions,
  type ResolvedBlockwiseModelUpdateFilteringOptions,
} from './blockwise-model-update-filtering.js';
export { Lookahead, lookahead, type LookaheadOptions, type ResolvedLookaheadOptions } from './lookahead.js';
export { BaseBufferOnly, baseBufferPolicy, type BaseBufferPolicyOptions } from './base-buffer-policy.js';
export { doubleAveraging, type DoubleAveragingOptions } from './double-averaging.js';
export {
  DeepGradientCompressionMomentum,
  deepGradientCompressionMomentum,
  type DeepGradientCompressionMomentumOptions,
  type ResolvedDeepGradientCompressionMomentumOptions,
} from './deep-gradient-compression-momentum.js';
export {
  GlobalMomentumCompression,
  globalMomentumCompression,
  type GlobalMomentumCompressionOptions,
  type ResolvedGlobalMomentumCompressionOptions,
} from './global-momentum-compression.js';
