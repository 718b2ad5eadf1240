/**
 * @packageDocumentation
 * An out-of-tree Syncopate sync policy that depends on `@syncopate/core` alone: dynamic model
 * averaging (Kamp et al., ECML PKDD 2018) — ranks average only when a model has drifted from the
 * last average by more than a threshold, agreed across ranks through the exchange of one number.
 */
export { DynamicAveraging, dynamicAveraging, type DynamicAveragingOptions } from './dynamic-averaging.js';
