import { Scheduler, knownOptions, type ParamLayout, type PluginSpec } from '@syncopate/core';
import { makePlan } from './plan.js';

/** The whole flat buffer as one bucket: one exchange per sync (the trainer's default). */
export class SingleBucketScheduler implements Scheduler {
  readonly name = 'singleBucket';
  plan(layout: ParamLayout) {
    return makePlan(layout, [layout.wholeBucket()], [0], this.name);
  }
}

/**
 * Communicate every tensor in one fused bucket. Fewest messages, no overlap.
 *
 * @example
 * ```ts
 * createTrainer({ transport, model, data, plugins: [singleBucket()] });
 * ```
 */
export function singleBucket(options?: Record<string, never>): PluginSpec<Record<string, never>> {
  knownOptions('singleBucket', options, []);
  const spec: PluginSpec<Record<string, never>> = {
    kind: 'scheduler',
    name: 'singleBucket',
    options: Object.freeze({}),
    register(registrar) {
      registrar.register(Scheduler, { useFactory: () => new SingleBucketScheduler() });
    },
  };
  return Object.freeze(spec);
}
