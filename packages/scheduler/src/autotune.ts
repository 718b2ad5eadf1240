import { OptionError } from '@syncopate/core';

/** Options of {@link autotune}. */
export interface AutotuneOptions<C> {
  /** The settings to try, e.g. bucket sizes in bytes. At least one. */
  readonly candidates: readonly C[];
  /** Runs a few training steps with `candidate` and resolves with their measured mean step time in ms. */
  readonly measure: (candidate: C) => Promise<number>;
  /** Measurements per candidate; the median is kept, so one noisy trial cannot decide. Default 3. */
  readonly trials?: number;
}

/** What {@link autotune} found. */
export interface AutotuneResult<C> {
  /** The candidate with the lowest median step time (the first one on a tie). */
  readonly best: C;
  /** Median step time of every candidate, in candidate order. */
  readonly medians: readonly number[];
}

/**
 * Pick the bucket or partition size with the lowest measured step time. ByteScheduler tunes its
 * partition size and credit online with Bayesian optimisation (Peng et al., SOSP 2019); with a
 * handful of candidates a grid of medians is as good, deterministic and needs no model. Every
 * rank must call `measure` with the same candidates in the same order (each measurement runs
 * collectives), and should agree on the times (e.g. take the max over ranks inside `measure`),
 * so that all ranks pick the same size.
 *
 * @example
 * ```ts
 * const { best } = await autotune({ candidates: [64 << 10, 1 << 20, 8 << 20], measure: stepTimeWith });
 * ```
 */
export async function autotune<C>(options: AutotuneOptions<C>): Promise<AutotuneResult<C>> {
  const { candidates, measure } = options;
  if (!Array.isArray(candidates) || candidates.length === 0) throw new OptionError('autotune', 'candidates', 'must be a non-empty array');
  if (typeof measure !== 'function') throw new OptionError('autotune', 'measure', 'must be a function (candidate) => Promise<ms>');
  const trials = options.trials ?? 3;
  if (!Number.isInteger(trials) || trials < 1) throw new OptionError('autotune', 'trials', `must be an integer >= 1, got ${String(trials)}`);
  const medians: number[] = [];
  for (const candidate of candidates) {
    const times: number[] = [];
    for (let t = 0; t < trials; t++) {
      const ms = await measure(candidate);
      if (!(Number.isFinite(ms) && ms >= 0)) throw new OptionError('autotune', 'measure', `must resolve with a step time in ms >= 0, got ${String(ms)} for candidate ${String(candidate)}`);
      times.push(ms);
    }
    times.sort((a, b) => a - b);
    medians.push(times[(trials - 1) >> 1]!);
  }
  let best = 0;
  for (let i = 1; i < medians.length; i++) if (medians[i]! < medians[best]!) best = i;
  return { best: candidates[best]!, medians };
}
