import { OptionError, numberOption } from '@syncopate/core';

/** A network link in the α-β model: a message of M bytes takes latency + M / bandwidth. */
export interface LinkModel {
  /** α, the per-message start-up time, in milliseconds. */
  readonly latencyMs: number;
  /** B, the per-link bandwidth, in Gbit/s (10⁹ bits per second). */
  readonly bandwidthGbps: number;
}

/** α = 50 µs, B = 10 Gbit/s: a data-centre TCP link. Only the ratio α·B matters for choosing. */
export const DEFAULT_LINK: LinkModel = Object.freeze({ latencyMs: 0.05, bandwidthGbps: 10 });

/** Allreduce algorithms built from point-to-point messages. */
export type AllreduceAlgorithm = 'ring' | 'recursive-doubling' | 'binary-tree' | 'hierarchical';

/** Operations {@link estimateTime} can cost. */
export type CostedOperation = AllreduceAlgorithm | 'allgather' | 'reduce-scatter' | 'broadcast';

/** Check a link model's fields, naming `owner` in the error. */
export function checkLink(owner: string, link: Partial<LinkModel> | undefined): LinkModel {
  if (link !== undefined && (link === null || typeof link !== 'object')) throw new OptionError(owner, 'link', 'must be an object { latencyMs, bandwidthGbps }');
  return Object.freeze({
    latencyMs: numberOption(owner, 'link.latencyMs', link?.latencyMs, { min: 0 }, DEFAULT_LINK.latencyMs),
    bandwidthGbps: numberOption(owner, 'link.bandwidthGbps', link?.bandwidthGbps, { above: 0 }, DEFAULT_LINK.bandwidthGbps),
  });
}

/**
 * Modelled time in milliseconds of `operation` on a buffer of `bytes` across `ranks`, in the α-β
 * model of Tang et al., "Communication-Efficient Distributed Deep Learning: A Comprehensive
 * Survey" (2020), §IV-B and Table III, for any n (Table III assumes a power of two):
 *
 * | operation | time |
 * |---|---|
 * | ring allreduce | 2(n − 1)α + 2(n − 1)/n · M/B |
 * | recursive doubling | ⌊log₂ n⌋(α + M/B), plus 2(α + M/B) to fold in the ranks beyond a power of two |
 * | binary tree | 2⌈log₂ n⌉(α + M/B), as Table III prints it |
 * | hierarchical | groups of `groupSize`: tree reduce and broadcast inside (2⌈log₂ g⌉(α + M/B)) plus the best flat allreduce among the n/g leaders — our derivation; the survey gives no formula |
 * | ring allgather / reduce-scatter | (n − 1)α + (n − 1)/n · M/B, with M the whole gathered buffer |
 * | binomial broadcast | ⌈log₂ n⌉(α + M/B) |
 *
 * No computation or contention terms. One rank costs nothing.
 *
 * @example
 * ```ts
 * estimateTime('ring', 4e7, 4, { latencyMs: 0.05, bandwidthGbps: 1 }) // ≈ 480 ms
 * ```
 */
export function estimateTime(operation: CostedOperation, bytes: number, ranks: number, link: LinkModel = DEFAULT_LINK, groupSize = 1): number {
  numberOption('estimateTime', 'bytes', bytes, { min: 0 });
  numberOption('estimateTime', 'ranks', ranks, { min: 1, integer: true });
  const n = ranks;
  if (n === 1) return 0;
  const alpha = link.latencyMs;
  const transfer = (m: number) => m / (link.bandwidthGbps * 125_000); // Gbit/s → bytes per ms
  const log = Math.ceil(Math.log2(n));
  switch (operation) {
    case 'ring':
      return 2 * (n - 1) * alpha + ((2 * (n - 1)) / n) * transfer(bytes);
    case 'recursive-doubling': {
      const folds = (n & (n - 1)) === 0 ? 0 : 2;
      return (Math.floor(Math.log2(n)) + folds) * (alpha + transfer(bytes));
    }
    case 'binary-tree':
      return 2 * log * (alpha + transfer(bytes));
    case 'hierarchical': {
      const g = Math.min(Math.max(1, Math.floor(groupSize)), n);
      const intra = 2 * Math.ceil(Math.log2(g)) * (alpha + transfer(bytes));
      const leaders = Math.ceil(n / g);
      return intra + Math.min(...FLAT.map((a) => estimateTime(a, bytes, leaders, link)));
    }
    case 'allgather':
    case 'reduce-scatter':
      return (n - 1) * alpha + ((n - 1) / n) * transfer(bytes);
    case 'broadcast':
      return log * (alpha + transfer(bytes));
    default:
      throw new OptionError('estimateTime', 'operation', `must be one of ${COSTED.map((o) => `'${o}'`).join(', ')}, got ${String(operation)}`);
  }
}

const FLAT: readonly AllreduceAlgorithm[] = ['ring', 'recursive-doubling', 'binary-tree'];
const COSTED: readonly CostedOperation[] = [...FLAT, 'hierarchical', 'allgather', 'reduce-scatter', 'broadcast'];

/**
 * The flat allreduce algorithm with the smallest {@link estimateTime} for `bytes` on `ranks`
 * (ties go to the earlier candidate). With the defaults this picks recursive doubling for small
 * buffers and the ring for large ones, the survey's advice for "small messages or small-scale
 * clusters".
 */
export function chooseAllreduce(
  bytes: number,
  ranks: number,
  link: LinkModel = DEFAULT_LINK,
  candidates: readonly AllreduceAlgorithm[] = FLAT,
): AllreduceAlgorithm {
  let best = candidates[0]!;
  let bestTime = Infinity;
  for (const algorithm of candidates) {
    const t = estimateTime(algorithm, bytes, ranks, link);
    if (t < bestTime) {
      best = algorithm;
      bestTime = t;
    }
  }
  return best;
}
