import type { AllreduceOptions, CallOptions, NumericArray, ReduceOp, Transport } from '@syncopate/core';
import { binaryTreeAllreduce } from './algorithms/binary-tree.js';
import { hierarchicalAllreduce, type FlatAllreduce } from './algorithms/hierarchical-allreduce.js';
import { recursiveDoublingAllreduce } from './algorithms/recursive-doubling-allreduce.js';
import { ringAllreduce } from './algorithms/ring-allreduce.js';
import { chooseAllreduce, type AllreduceAlgorithm, type LinkModel } from './cost-model.js';
import { ringTuning, type RingTuning } from './algorithms/ring-pipeline.js';
import type { PeerLink } from './peer-link.js';
import { PositionalBlocks } from './positional-blocks.js';

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

/**
 * Run one allreduce of `buffer` with `op` as `plan` says (not queued: the caller queues). The
 * `ring` algorithm over all ranks runs inside the transport when it offers
 * `collectives.ringAllreduce` (the MPI transport's C++ ring: same blocks, segments and result,
 * without a trip through JavaScript per message); elsewhere, and among hierarchical leaders, over
 * point-to-point messages ({@link ringAllreduce}).
 */
export async function runAllreduce(plan: AllreducePlan, transport: Transport, buffer: NumericArray, op: ReduceOp, options?: AllreduceOptions): Promise<void> {
  const algorithm = resolveAllreduce(plan, transport, buffer.byteLength);
  if (algorithm === 'native') return inGlobalBlocks(transport.size, buffer, options, (b, opts) => transport.collectives.allreduce!(b, op, opts));
  const inTransport = transport.collectives.ringAllreduce;
  const ring = (link: PeerLink, b: NumericArray, o: ReduceOp, opts?: CallOptions) =>
    link === transport && inTransport
      ? inTransport.call(transport.collectives, b, o, ringTuning(plan.ring).segmentBytes, opts)
      : ringAllreduce(link, b, o, opts, plan.ring);
  const flat = (name: Exclude<AllreduceAlgorithm, 'hierarchical'>, link: PeerLink, b: NumericArray, o: ReduceOp, opts?: AllreduceOptions) =>
    name === 'ring' ? inGlobalBlocks(link.size, b, opts, (p, po) => ring(link, p, o, po)) : FLAT_ALLREDUCE[name](link, b, o, withoutOffset(opts));
  if (algorithm !== 'hierarchical') return flat(algorithm, transport, buffer, op, options);
  const groups = plan.groups ?? [Array.from({ length: transport.size }, (_, r) => r)];
  const inter: FlatAllreduce = (leaders, b, o, opts) => {
    const name = !plan.inter || plan.inter === 'auto' ? chooseAllreduce(b.byteLength, leaders.size, plan.link, ['ring', 'recursive-doubling', 'binary-tree']) : plan.inter;
    return flat(name as Exclude<AllreduceAlgorithm, 'hierarchical'>, leaders, b, o, opts);
  };
  return hierarchicalAllreduce(transport, buffer, op, groups, inter, options);
}

/**
 * Run a ring-shaped allreduce so that element sums do not depend on the bucketing: with
 * `options.elementOffset`, pack `buffer` into n equal blocks chosen by global position
 * ({@link PositionalBlocks}), run, unpack. Without it, run on `buffer` as it is.
 */
async function inGlobalBlocks(size: number, buffer: NumericArray, options: AllreduceOptions | undefined, run: (b: NumericArray, o?: CallOptions) => Promise<void>): Promise<void> {
  if (options?.elementOffset === undefined || size === 1) return run(buffer, withoutOffset(options));
  const blocks = new PositionalBlocks(options.elementOffset, buffer.length, size);
  const packed = blocks.pack(buffer, size);
  await run(packed, withoutOffset(options));
  blocks.unpack(packed, buffer);
}

/** `options` as plain `CallOptions` for the transport and the position-independent algorithms. */
function withoutOffset(options: AllreduceOptions | undefined): CallOptions | undefined {
  if (options?.elementOffset === undefined) return options;
  const { elementOffset: _, ...rest } = options;
  return rest;
}
