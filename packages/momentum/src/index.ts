/**
 * @packageDocumentation
 * Syncopate momentum plugins: outer optimizers and momentum schemes that act around
 * synchronisation points (SlowMo so far).
 */
export { SlowMo, slowMo, type SlowMoOptions } from './slow-mo.js';
