import { CompositionError, ErrorFeedback, type Requirement, type Resolver } from '@syncopate/core';

/**
 * The capability that error-feedback plugins with a residual memory provide (`errorFeedback()`
 * and `momentumCorrection()` of `@syncopate/compression` declare it under this string).
 * Capabilities are plain strings so that a plugin package need not import another.
 */
export const ERROR_FEEDBACK_RESIDUAL = 'error-feedback:residual';

/** A momentum scheme whose accumulator v is the composition's error-feedback memory. */
export function needsErrorFeedback(name: string): Requirement {
  return Object.freeze({
    capability: ERROR_FEEDBACK_RESIDUAL,
    from: 'error-feedback',
    reason: `${name} accumulates its momentum into the error-feedback memory, so what the compressor drops is sent later (add errorFeedback())`,
  });
}

/**
 * The composition's error feedback, refused when it already applies momentum itself
 * (`momentumCorrection`): momentum would then be applied twice.
 */
export function plainErrorFeedback(name: string, resolver: Resolver): ErrorFeedback {
  const memory = resolver.resolve(ErrorFeedback);
  if (memory.name === 'momentumCorrection') {
    throw new CompositionError(
      [name, memory.name],
      `momentum '${name}' and error-feedback 'momentumCorrection' both apply momentum to the gradients; use errorFeedback() with ${name}, or momentumCorrection() without it`,
    );
  }
  return memory;
}
