/**
 * @packageDocumentation
 * Syncopate sync-policy plugins: when ranks synchronise and what they exchange. Policies move
 * tensors only through core's `Exchange`, so every compressor composes with every policy.
 */
export { BulkSynchronousParallel, bsp } from './bsp.js';
export { LocalSgd, localSgd, type LocalSgdOptions } from './local-sgd.js';
