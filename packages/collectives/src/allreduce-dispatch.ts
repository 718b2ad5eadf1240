import type { CallOptions, NumericArray, ReduceOp, Transport } from '@syncopate/core';
import { binaryTreeAllreduce } from './algorithms/binary-tree.js';
import { hierarchicalAllreduce, type FlatAllreduce } from './algorithms/hierarchical-allreduce.js';
import { recursiveDoublingAllreduce } from './algorithms/recursive-doubling-allreduce.js';
import { ringAllreduce } from './algorithms/ring-allreduce.js';
import { chooseAllreduce, type AllreduceAlgorithm, type LinkModel } from './cost-model.js';
import type { RingTuning } from './algorithms/ring-pipeline.js';
import type { PeerLink } from './peer-link.js';

/**
 * How a collective runs allreduce: `native` (the transport's own, or `auto` when it has none),
 * `auto` (the point-to-point algorithm the α-β cost model rates fastest for the buffer's size and
 * the number of ranks), or one algorithm pinned by name.
 */
export type AllreduceChoice = 'native' | 'auto' | AllreduceAlgorithm;

/** Every {@link AllreduceChoice}, for option checks. */
export const ALLREDUCE_CHOICES: readonly AllreduceChoice[] = Object.freeze(['native', 'auto', 'ring', 'recursive-doubling', 'binary-tree', 'hierarchical']);

/** Flat (single-level) algorithms, by name. */
export const FLAT_ALLREDUCE: Readonly<Record<Exclude<AllreduceAlgorithm, 'hierarchical'>, FlatAllreduce>> = Object.freeze({
  ring: ringAllreduce,
  'recursive-doubling': recursiveDoublingAllreduce,
  'binary-tree': binaryTreeAllreduce,
});

/** What {@link runAllreduce} needs to know besides the buffer. */
export interface AllreducePlan {
  readonly choice: AllreduceChoice;
  readonly link: LinkModel;
  /** Groups for `hierarchical`. */
  readonly groups?: readonly (readonly number[])[];
  /** The algorithm among group leaders for `hierarchical`. */
  readonly inter?: 'auto' | Exclude<AllreduceAlgorithm, 'hierarchical'>;
  /** Message size and pipeline depth of the ring algorithms. */
  readonly ring?: RingTuning;
}

/** The algorithm `plan` runs for `bytes` on `size` ranks (`native` when the transport's own is used). */
export function resolveAllreduce(plan: AllreducePlan, transport: Transport, bytes: number): AllreduceAlgorithm | 'native' {
  if (plan.choice === 'native' && transport.collectives.allreduce) return 'native';
  if (plan.choice === 'native' || plan.choice === 'auto') return chooseAllreduce(bytes, transport.size, plan.link);
  return plan.choice;
}

/** Run one allreduce of `buffer` with `op` as `plan` says (not queued: the caller queues). */
export async function runAllreduce(plan: AllreducePlan, transport: Transport, buffer: NumericArray, op: ReduceOp, options?: CallOptions): Promise<void> {
  const algorithm = resolveAllreduce(plan, transport, buffer.byteLength);
  if (algorithm === 'native') return transport.collectives.allreduce!(buffer, op, options);
  const flat = (name: Exclude<AllreduceAlgorithm, 'hierarchical'>, link: PeerLink, b: NumericArray, o: ReduceOp, opts?: CallOptions) =>
    name === 'ring' ? ringAllreduce(link, b, o, opts, plan.ring) : FLAT_ALLREDUCE[name](link, b, o, opts);
  if (algorithm !== 'hierarchical') return flat(algorithm, transport, buffer, op, options);
  const groups = plan.groups ?? [Array.from({ length: transport.size }, (_, r) => r)];
  const inter: FlatAllreduce = (leaders, b, o, opts) => {
    const name = !plan.inter || plan.inter === 'auto' ? chooseAllreduce(b.byteLength, leaders.size, plan.link, ['ring', 'recursive-doubling', 'binary-tree']) : plan.inter;
    return flat(name as Exclude<AllreduceAlgorithm, 'hierarchical'>, leaders, b, o, opts);
  };
  return hierarchicalAllreduce(transport, buffer, op, groups, inter, options);
}
