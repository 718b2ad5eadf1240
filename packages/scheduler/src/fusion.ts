import { Scheduler, choiceOption, knownOptions, numberOption, type Bucket, type ParamLayout, type PluginSpec } from '@syncopate/core';
import { makePlan } from './plan.js';

/** Options of {@link fusion}. */
export interface FusionOptions {
  /** Largest bucket in bytes (float32); a single tensor larger than this gets a bucket of its own. Default 4 MiB. */
  readonly bucketBytes?: number;
  /**
   * Order in which buckets are filled and sent. `reverse` (default) starts from the last layer,
   * whose gradients backprop produces first (Horovod's and PyTorch DDP's choice); `forward`
   * starts from the first.
   */
  readonly order?: 'reverse' | 'forward';
}

/**
 * Tensor fusion: pack consecutive tensors into buckets of at most `bucketBytes`, so small tensors
 * share one message (latency α is paid once) and large ones still travel separately (Sergeev &
 * Del Balso, "Horovod: fast and easy distributed deep learning in TensorFlow", 2018).
 */
export class FusionScheduler implements Scheduler {
  readonly name = 'fusion';
  constructor(private readonly options: Required<FusionOptions>) {}

  plan(layout: ParamLayout) {
    const maxElements = Math.max(1, Math.floor(this.options.bucketBytes / 4));
    const indices = layout.entries.map((e) => e.index);
    if (this.options.order === 'reverse') indices.reverse();
    // Group runs of adjacent tensors (in layout order) so every bucket is a contiguous range.
    const groups: number[][] = [];
    let current: number[] = [];
    let size = 0;
    for (const i of indices) {
      const length = layout.entries[i]!.length;
      if (current.length > 0 && size + length > maxElements) {
        groups.push(current);
        current = [];
        size = 0;
      }
      current.push(i);
      size += length;
    }
    if (current.length > 0) groups.push(current);
    const buckets: Bucket[] = groups
      .map((g) => [Math.min(...g), Math.max(...g)] as const)
      .sort((a, b) => a[0] - b[0])
      .map(([first, last], index) => layout.span(index, first, last));
    const order = buckets.map((b) => b.index);
    if (this.options.order === 'reverse') order.reverse();
    return makePlan(layout, buckets, order, `${this.name}:${this.options.bucketBytes}:${this.options.order}`);
  }
}

/**
 * Tensor fusion into buckets of at most `bucketBytes`.
 *
 * @example
 * ```ts
 * plugins: [fusion({ bucketBytes: 4 << 20 })]
 * ```
 */
export function fusion(options: FusionOptions = {}): PluginSpec<Required<FusionOptions>> {
  knownOptions('fusion', options, ['bucketBytes', 'order']);
  const resolved = Object.freeze({
    bucketBytes: numberOption('fusion', 'bucketBytes', options.bucketBytes, { min: 4, integer: true }, 4 << 20),
    order: choiceOption('fusion', 'order', options.order, ['reverse', 'forward'] as const, 'reverse'),
  });
  const spec: PluginSpec<Required<FusionOptions>> = {
    kind: 'scheduler',
    name: 'fusion',
    options: resolved,
    register(registrar) {
      registrar.register(Scheduler, { useFactory: () => new FusionScheduler(resolved) });
    },
  };
  return Object.freeze(spec);
}
