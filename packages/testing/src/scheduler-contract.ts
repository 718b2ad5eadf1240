/**
 * The contract every scheduler passes, as named cases any test runner can run:
 *
 * ```ts
 * for (const c of schedulerContract(fusion, { options: { bucketBytes: 1024 } })) it(c.name, c.run);
 * ```
 *
 * A plan must be a pure function of the layout and the options, because every rank computes its
 * own and the ranks then exchange bucket by bucket in plan order: buckets that tile the buffer
 * exactly, name the tensors they cover and are numbered by position; an order that is a
 * permutation of the buckets; and a hash that is the same for the same layout (on another
 * instance, on a second call) and differs for another layout.
 */
import { ParamLayout, Scheduler, type BucketPlan, type PluginSpec, type TensorSpec } from '@syncopate/core';
import { check } from './compressor-contract-assert.js';
import { instantiate, type CompressorContractService } from './compressor-contract-instantiate.js';
import { checkOptionValidation, checkSpecShape, type ContractCase, type InvalidOption } from './plugin-contract-common.js';
import { sameData } from './policy-contract-checks.js';

/** Options of {@link schedulerContract}. */
export interface SchedulerContractOptions<O> {
  /** The options the scheduler under test is built with. Default: none. */
  readonly options?: O;
  /** Options the factory must refuse with an `OptionError` naming `option`. */
  readonly invalidOptions?: readonly InvalidOption[];
  /** Layouts to plan. Default: one tensor; a small MLP; 40 tensors of mixed sizes, some empty. */
  readonly layouts?: readonly (readonly TensorSpec[])[];
  /** Services its factory resolves. */
  readonly services?: readonly CompressorContractService[];
}

const DEFAULT_LAYOUTS: readonly (readonly TensorSpec[])[] = [
  [{ name: 'w', shape: [10] }],
  [
    { name: 'dense1/kernel', shape: [784, 128] },
    { name: 'dense1/bias', shape: [128] },
    { name: 'dense2/kernel', shape: [128, 10] },
    { name: 'dense2/bias', shape: [10] },
  ],
  Array.from({ length: 40 }, (_, i) => ({ name: `t${i}`, shape: i % 7 === 3 ? [0] : [1 + ((i * 37) % 23), 1 + (i % 5) * 40] })),
];

/** Why `plan` does not fit `layout`, or undefined when it does. */
export function planProblem(layout: ParamLayout, plan: BucketPlan): string | undefined {
  const buckets = plan.buckets;
  if (!(buckets?.length > 0)) return 'the plan has no buckets';
  let end = 0;
  for (const [position, b] of [...buckets].sort((x, y) => x.offset - y.offset).entries()) {
    if (b.offset !== end) return `bucket ${b.index} starts at ${b.offset}, expected ${end} (buckets must tile the buffer without gaps or overlaps; sorted position ${position})`;
    if (!Number.isInteger(b.length) || b.length < 0) return `bucket ${b.index} has length ${b.length}`;
    const unknown = b.tensors.find((name) => !layout.entries.some((e) => e.name === name));
    if (unknown !== undefined) return `bucket ${b.index} names '${unknown}', which is not a tensor of the layout`;
    const covered = layout.entries.filter((e) => e.length > 0 && e.offset < b.offset + b.length && e.offset + e.length > b.offset).map((e) => e.name);
    const named = b.tensors.filter((name) => layout.entry(name).length > 0);
    if (!sameData(named, covered)) return `bucket ${b.index} names tensors [${b.tensors.join(', ')}] but covers [${covered.join(', ')}]`;
    end = b.offset + b.length;
  }
  if (end !== layout.totalLength) return `the buckets cover ${end} of ${layout.totalLength} elements`;
  for (const [position, b] of buckets.entries()) if (b.index !== position) return `buckets[${position}].index is ${b.index}, expected ${position}`;
  const order = [...plan.order].sort((a, b) => a - b);
  if (!sameData(order, buckets.map((_, i) => i))) return `order [${plan.order.join(', ')}] is not a permutation of 0..${buckets.length - 1}`;
  if (typeof plan.hash !== 'string' || plan.hash.length === 0) return 'the plan has no hash';
  return undefined;
}

/** The contract cases of the scheduler made by `factory(options.options)`. */
export function schedulerContract<O>(factory: (options: O) => PluginSpec, options: SchedulerContractOptions<O> = {}): ContractCase[] {
  const spec = factory(options.options as O);
  const make = (): Scheduler => instantiate(spec, Scheduler, options.services);
  const layouts = (options.layouts ?? DEFAULT_LAYOUTS).map((specs) => ParamLayout.of(specs));
  const cases: ContractCase[] = [];
  const add = (name: string, run: () => void) => cases.push({ name, run });

  add('is an inert, frozen scheduler spec that builds a fresh scheduler per composition', () => {
    checkSpecShape(spec, 'scheduler', Scheduler);
    const a = make();
    check(a !== make(), 'each composition must get its own scheduler instance');
    check(a.name === spec.name, `the scheduler's name '${a.name}' differs from its spec's name '${spec.name}'`);
  });

  add('validates its options at once, with an OptionError naming the option', () => {
    checkOptionValidation(factory, options.options, options.invalidOptions);
  });

  add('plans buckets that tile the buffer, name their tensors, and an order that is a permutation', () => {
    for (const [i, layout] of layouts.entries()) {
      const problem = planProblem(layout, make().plan(layout));
      check(!problem, () => `layout ${i} (${layout.entries.length} tensors, ${layout.totalLength} elements): ${problem}`);
    }
  });

  add('plans the same buckets, order and hash on every instance and every call (a pure function of the layout)', () => {
    for (const [i, layout] of layouts.entries()) {
      const a = make();
      const first = a.plan(layout);
      for (const other of [a.plan(layout), make().plan(layout), make().plan(ParamLayout.of(layout.entries))]) {
        check(sameData(other.buckets, first.buckets) && sameData(other.order, first.order), `layout ${i}: two plans of one layout differ`);
        check(other.hash === first.hash, `layout ${i}: plan hash ${other.hash} vs ${first.hash} for the same layout`);
      }
    }
  });

  add('gives different layouts different plan hashes', () => {
    const hashes = layouts.map((layout) => make().plan(layout).hash);
    check(new Set(hashes).size === hashes.length, `plan hashes ${hashes.join(', ')} repeat for different layouts: ranks with different models would not notice at start-up`);
  });

  return cases;
}
