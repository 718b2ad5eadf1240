import type { CallOptions, NumericArray, ReduceOp } from '@syncopate/core';
import { evenBlocks } from '../blocks.js';
import type { PeerLink } from '../peer-link.js';
import { allgatherSteps } from './ring-allgather.js';
import { ringPipeline, ringScratch, type RingPass, type RingTuning } from './ring-pipeline.js';
import { reduceScatterSteps } from './ring-reduce-scatter.js';

/**
 * Ring allreduce, in place: the n − 1 reduce-scatter steps followed by the n − 1 allgather steps,
 * run as one pipeline (the allgather starts sending a segment of this rank's block as soon as the
 * last reduce-scatter step has completed that segment). Each rank sends 2(n − 1)/n of the buffer,
 * which is bandwidth-optimal: time 2(n − 1)α + 2(n − 1)/n · βN in the α-β model (Table III of Tang
 * et al., "Communication-Efficient Distributed Deep Learning: A Comprehensive Survey", 2020).
 * Every rank ends with bit-identical values: each block is reduced once, along the ring, then
 * copied. Blocks larger than `tuning.segmentBytes` (1 MiB) travel as segments.
 *
 * @example
 * ```ts
 * await algorithms.ringAllreduce(transport, gradients, 'sum');
 * ```
 */
export async function ringAllreduce(link: PeerLink, buffer: NumericArray, op: ReduceOp, options?: CallOptions, tuning: RingTuning = {}): Promise<void> {
  const n = link.size;
  if (n === 1) return;
  const blocks = evenBlocks(buffer.length, n);
  const scratch = ringScratch(buffer, Math.max(...blocks.map((b) => b.count)), tuning);
  const reduce = reduceScatterSteps(link.rank, n, scratch, op);
  const gather = allgatherSteps(link.rank, n);
  const phase = (s: number): RingPass => (s < n - 1 ? reduce : gather);
  const local = (s: number) => (s < n - 1 ? s : s - (n - 1));
  await ringPipeline(
    link,
    buffer,
    blocks,
    {
      steps: 2 * (n - 1),
      sendBlock: (s) => phase(s).sendBlock(local(s)),
      recvBlock: (s) => phase(s).recvBlock(local(s)),
      tag: (s) => phase(s).tag(local(s)),
      scratch: (s, slot, count) => phase(s).scratch(local(s), slot, count),
      ...(reduce.combine ? { combine: reduce.combine } : {}),
    },
    options,
    tuning,
  );
}
