import { OptionError, type CallOptions, type NumericArray, type ReduceOp } from '@syncopate/core';
import { subgroupLink, type PeerLink } from '../peer-link.js';
import { binaryTreeBroadcast, binaryTreeReduce } from './binary-tree.js';

/** A flat allreduce run among the group leaders. */
export type FlatAllreduce = (link: PeerLink, buffer: NumericArray, op: ReduceOp, options?: CallOptions) => Promise<void>;

/** Throw an `OptionError` unless `groups` partition the ranks 0…size−1 (each exactly once). */
export function checkGroups(groups: readonly (readonly number[])[], size: number, owner: string): void {
  const seen = new Array<number>(size).fill(0);
  for (const group of groups) {
    if (group.length === 0) throw new OptionError(owner, 'groups', 'must not contain an empty group');
    for (const r of group) {
      if (!Number.isInteger(r) || r < 0 || r >= size) throw new OptionError(owner, 'groups', `hold ranks 0…${size - 1}, got ${r}`);
      seen[r]!++;
    }
  }
  const bad = seen.findIndex((count) => count !== 1);
  if (bad >= 0) throw new OptionError(owner, 'groups', `must hold every rank exactly once; rank ${bad} appears ${seen[bad]} times`);
}

/**
 * Hierarchical allreduce, in place: reduce inside each group (e.g. the ranks of one host) to its
 * first rank, allreduce among those leaders with `inter`, then broadcast inside each group. Only
 * one rank per group crosses the slow inter-host links, so the latency term shrinks with the group
 * size while the inter-group step stays bandwidth-optimal (Jia et al., "Highly Scalable Deep
 * Learning Training System with Mixed-Precision: Training ImageNet in Four Minutes", 2018).
 * The intra-group steps use binary trees.
 */
export async function hierarchicalAllreduce(
  link: PeerLink,
  buffer: NumericArray,
  op: ReduceOp,
  groups: readonly (readonly number[])[],
  inter: FlatAllreduce,
  options?: CallOptions,
): Promise<void> {
  checkGroups(groups, link.size, 'hierarchicalAllreduce');
  const group = groups.find((g) => g.includes(link.rank))!;
  const local = subgroupLink(link, group);
  await binaryTreeReduce(local, buffer, op, options);
  if (local.rank === 0) await inter(subgroupLink(link, groups.map((g) => g[0]!)), buffer, op, options);
  await binaryTreeBroadcast(local, buffer, options);
}
