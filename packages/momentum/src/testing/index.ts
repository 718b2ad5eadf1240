/** Test helpers for @syncopate/momentum: build a momentum plugin without a trainer, and step contexts. */
export { buildMomentum, flatLayout, momentumStepContext } from './plugin-harness.js';
