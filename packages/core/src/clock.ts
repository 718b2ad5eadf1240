import { token } from './token.js';

/**
 * A source of time in milliseconds. The simulated transport gives each rank a virtual clock
 * that advances by the modelled cost of compute and communication; everything else uses
 * {@link systemClock}. Timings in metrics are always read from the injected clock.
 */
export interface Clock {
  /** Milliseconds since an arbitrary origin; never decreases. */
  now(): number;
}

/** The service key of the {@link Clock} interface. */
export const Clock = token<Clock>('syncopate/Clock');

/** Wall-clock time from `performance.now()`. */
export const systemClock: Clock = Object.freeze({ now: () => performance.now() });
