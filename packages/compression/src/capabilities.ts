import { Capabilities } from '@syncopate/core';

/**
 * Capability offered by error-feedback plugins that keep a residual memory
 * ({@link errorFeedback}, {@link momentumCorrection}). Compressors whose algorithm is defined
 * with error feedback (EF-signSGD, 1-bit SGD, PowerSGD) require it, so a composition that
 * forgets the memory fails at build time instead of training without it.
 */
export const ERROR_FEEDBACK_CAPABILITY = Capabilities.errorFeedback;
