import { CompositionError, type Topology } from '@syncopate/core';

/** Which part of the flat parameters one server owns. */
export interface Shard {
  readonly server: number;
  readonly offset: number;
  readonly length: number;
}

/** The roles of a parameter-server composition on `size` ranks. */
export interface ServerLayout {
  readonly shards: readonly Shard[];
  /** Ranks that train and push (every rank that is not a server), ascending. */
  readonly workers: readonly number[];
}

/**
 * Split `length` parameters into one contiguous, near-equal shard per server of `topology`
 * (in the topology's order), and name the workers. Every rank computes the same layout.
 */
export function serverLayout(owner: string, topology: Topology, size: number, length: number): ServerLayout {
  const servers = [...topology.servers];
  if (servers.length === 0) {
    throw new CompositionError([owner, topology.name], `${owner} needs parameter-server ranks, but topology '${topology.name}' declares none (use star())`);
  }
  if (servers.some((s) => !Number.isInteger(s) || s < 0 || s >= size) || new Set(servers).size !== servers.length) {
    throw new CompositionError([owner, topology.name], `${owner}: topology '${topology.name}' declares servers [${servers.join(', ')}], which are not distinct ranks below ${size}`);
  }
  const workers = Array.from({ length: size }, (_, r) => r).filter((r) => !servers.includes(r));
  if (workers.length === 0) throw new CompositionError([owner, topology.name], `${owner}: every one of the ${size} ranks is a server; at least one worker is needed`);
  const base = Math.floor(length / servers.length);
  const extra = length % servers.length;
  let offset = 0;
  const shards = servers.map((server, i) => {
    const shard = { server, offset, length: base + (i < extra ? 1 : 0) };
    offset += shard.length;
    return shard;
  });
  return { shards, workers };
}
