import { Scheduler, knownOptions, numberOption, type Bucket, type ParamLayout, type PluginSpec } from '@syncopate/core';
import { makePlan } from './plan.js';

/** Options of {@link priority}. */
export interface PriorityOptions {
  /**
   * Size of one partition in bytes (float32). The flat buffer is cut into consecutive slices of
   * this size: a large tensor is split over several slices, small neighbouring tensors share
   * one. Default 512 KiB.
   */
  readonly partitionBytes?: number;
  /**
   * Bytes allowed in flight at once when the buckets are issued with {@link issueWithCredits}
   * (ByteScheduler's credit). Default: four partitions.
   */
  readonly creditBytes?: number;
}

/**
 * Priority scheduling with tensor partitioning (Jayarajan et al., "Priority-based parameter
 * propagation for distributed DNN training" (P3), SysML 2019; Peng et al., "A generic
 * communication scheduler for distributed DNN training acceleration" (ByteScheduler), SOSP 2019).
 *
 * The next forward pass needs the first layer's parameters first, so the slices of the first
 * layers travel first: the plan's order is the layout order. Slicing large tensors lets a
 * high-priority slice start without waiting behind a whole large low-priority tensor, and lets
 * the slices of one tensor pipeline through the collective.
 */
export class PriorityScheduler implements Scheduler {
  readonly name = 'priority';
  constructor(private readonly options: Required<PriorityOptions>) {}

  /** Bytes allowed in flight when issuing this plan's buckets (see {@link issueWithCredits}). */
  get creditBytes(): number {
    return this.options.creditBytes;
  }

  plan(layout: ParamLayout) {
    const slice = Math.max(1, Math.floor(this.options.partitionBytes / 4));
    const total = layout.totalLength;
    const buckets: Bucket[] = [];
    const entries = layout.entries;
    let first = 0; // the first tensor that may still reach into the next slice
    for (let offset = 0; offset < total || buckets.length === 0; offset += slice) {
      const length = Math.min(slice, total - offset);
      const end = offset + length;
      while (first < entries.length && entries[first]!.offset + entries[first]!.length <= offset && !(entries[first]!.length === 0 && entries[first]!.offset === offset)) first++;
      // Every tensor the slice touches; an empty tensor is named by the slice it sits in.
      const tensors: string[] = [];
      for (let i = first; i < entries.length && (entries[i]!.offset < end || total === 0); i++) tensors.push(entries[i]!.name);
      buckets.push(Object.freeze({ index: buckets.length, offset, length, tensors: Object.freeze(tensors) }));
      if (total === 0) break;
    }
    const order = buckets.map((b) => b.index);
    return makePlan(layout, buckets, order, `${this.name}:${this.options.partitionBytes}`);
  }
}

/**
 * Priority scheduling: cut the buffer into partitions of `partitionBytes` and send the first
 * layers' partitions first.
 *
 * @example
 * ```ts
 * plugins: [bsp(), priority({ partitionBytes: 256 << 10 })]
 * ```
 */
export function priority(options: PriorityOptions = {}): PluginSpec<Required<PriorityOptions>> {
  knownOptions('priority', options, ['partitionBytes', 'creditBytes']);
  const partitionBytes = numberOption('priority', 'partitionBytes', options.partitionBytes, { min: 4, integer: true }, 512 << 10);
  const resolved = Object.freeze({
    partitionBytes,
    creditBytes: numberOption('priority', 'creditBytes', options.creditBytes, { min: 4, integer: true }, 4 * partitionBytes),
  });
  const spec: PluginSpec<Required<PriorityOptions>> = {
    kind: 'scheduler',
    name: 'priority',
    options: resolved,
    register(registrar) {
      registrar.register(Scheduler, { useFactory: () => new PriorityScheduler(resolved) });
    },
  };
  return Object.freeze(spec);
}
