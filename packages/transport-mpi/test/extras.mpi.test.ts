/**
 * MpiTransport beyond the Transport contract, under mpirun -np 4: gather, allgatherv, reduce-scatter
 * with other ops, large sendrecv, non-blocking handles, hierarchical split, calls of mixed sizes
 * in flight together, collectives issued back to back without awaiting, collectives on two communicators at once, exact reductions of every type
 * and op on both sides of the size the signature check carries, the ring allreduce on the
 * communicator's thread, the lean path of a small allreduce. Once with the collective
 * signature check, once without.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from './ensure-built.js';
import { runMpi, type MpiRun } from './run-mpi.js';

const NAMES = ['gather', 'allgatherv', 'reduceScatterMax', 'sendrecvLarge', 'nonBlockingHandles', 'hierarchicalSplit', 'mixedSizesInFlight', 'backToBack', 'concurrentCommunicators', 'reductionsAroundTheCarryLimit', 'ringAllreduce', 'leanPath', 'wtime'];

beforeAll(() => ensureBuilt(), 120_000);

describe.each(['checked', 'unchecked'])('MpiTransport extras on 4 ranks, collectives %s', (mode) => {
  let run: MpiRun;
  beforeAll(async () => {
    run = await runMpi(new URL('./mpi/extras-rank.mjs', import.meta.url), [mode], { np: 4, timeoutMs: 110_000 });
  }, 120_000);

  it('ends cleanly', () => {
    expect(run.code, run.stderr.slice(-2000)).toBe(0);
  });

  it.each(NAMES)('%s passes on every rank', (name) => {
    const results = run.results.filter((r) => r.name === name).sort((a, b) => Number(a.rank) - Number(b.rank));
    expect(results.map((r) => [r.rank, r.code, r.message])).toEqual([0, 1, 2, 3].map((rank) => [rank, 'OK', '']));
  });
});
