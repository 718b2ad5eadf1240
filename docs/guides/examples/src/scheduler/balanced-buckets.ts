import { Scheduler, fnv1a64, knownOptions, numberOption, type Bucket, type BucketPlan, type ParamLayout, type PluginSpec } from '@syncopate/core';

/** Options of {@link balancedBuckets}. */
export interface BalancedBucketsOptions {
  /** At most this many buckets, an integer ≥ 1. Default 4. */
  readonly count?: number;
}

/**
 * Tensor fusion into a fixed number of buckets of nearly equal size. Fusing many small tensors
 * into few buffers saves per-message latency (Sergeev & Del Balso, "Horovod: fast and easy
 * distributed deep learning in TensorFlow", 2018, fuse up to a byte threshold); here the number
 * of buckets is fixed instead, and tensors are dealt out in layout order so that each bucket
 * holds about 1/count of the elements, without splitting a tensor. Buckets travel last first,
 * the order in which backpropagation produces their gradients.
 *
 * The plan is a pure function of the layout and `count`: every rank computes the same one, and
 * its hash (compared at start-up) covers every bucket and the order.
 */
export class BalancedBuckets implements Scheduler {
  readonly name = 'balancedBuckets';

  constructor(private readonly count: number) {}

  plan(layout: ParamLayout): BucketPlan {
    const buckets: Bucket[] = [];
    let first = 0;
    let filled = 0;
    layout.entries.forEach((entry, i) => {
      filled += entry.length;
      const target = (layout.totalLength * (buckets.length + 1)) / this.count;
      const last = i === layout.entries.length - 1;
      if (last || (filled >= target && buckets.length < this.count - 1)) {
        buckets.push(layout.span(buckets.length, first, i));
        first = i + 1;
      }
    });
    const order = buckets.map((_, i) => buckets.length - 1 - i);
    const hash = fnv1a64([this.name, this.count, layout.hash(), ...buckets.map((b) => `${b.offset}+${b.length}`), order.join(',')].join('|'));
    return Object.freeze({ buckets: Object.freeze(buckets), order: Object.freeze(order), hash });
  }
}

/**
 * Fuse the tensors into `count` buckets of nearly equal size, sent last first.
 *
 * @example
 * ```ts
 * plugins: [balancedBuckets({ count: 4 }), bsp()]
 * ```
 */
export function balancedBuckets(options: BalancedBucketsOptions = {}): PluginSpec<Required<BalancedBucketsOptions>> {
  knownOptions('balancedBuckets', options, ['count']);
  const resolved = Object.freeze({ count: numberOption('balancedBuckets', 'count', options.count, { min: 1, integer: true }, 4) });
  return Object.freeze<PluginSpec<Required<BalancedBucketsOptions>>>({
    kind: 'scheduler',
    name: 'balancedBuckets',
    options: resolved,
    register(registrar) {
      registrar.register(Scheduler, { useFactory: () => new BalancedBuckets(resolved.count) });
    },
  });
}
