import { TransportError, type Transport } from '@syncopate/core';

/** Options of {@link withRanks}. */
export interface WithRanksOptions {
  /**
   * Dispose each rank's transport as soon as its `main` settles (default true), so that ranks
   * still waiting on a rank that failed or finished get a `RankLostError` instead of waiting on.
   */
  readonly dispose?: boolean;
}

/**
 * Runs `main` on every rank of an in-process group of transports at once and resolves with the
 * results by rank. Waits for every rank to settle; if any failed, rejects with one
 * `TransportError` naming first the rank whose failure was not caused by another's (a
 * `RankLostError`), with that error as `cause`.
 *
 * @example
 * ```ts
 * const sums = await withRanks(simulatedNetwork({ ranks: 4 }).transports, async (t) => {
 *   const x = new Float32Array([t.rank]);
 *   await t.collectives.allreduce!(x, 'sum');
 *   return x[0];
 * }); // [6, 6, 6, 6]
 * ```
 */
export async function withRanks<T>(
  transports: readonly Transport[] | Promise<readonly Transport[]>,
  main: (transport: Transport, rank: number) => Promise<T> | T,
  options: WithRanksOptions = {},
): Promise<T[]> {
  const group = await transports;
  const dispose = options.dispose ?? true;
  const order: number[] = [];
  const outcomes = await Promise.allSettled(
    group.map(async (transport, rank) => {
      try {
        return await main(transport, rank);
      } catch (error) {
        order.push(rank);
        throw error;
      } finally {
        if (dispose) await transport.dispose();
      }
    }),
  );
  const failed = outcomes.flatMap((o, rank) => (o.status === 'rejected' ? [{ rank, error: o.reason as unknown }] : []));
  if (failed.length === 0) return outcomes.map((o) => (o as PromiseFulfilledResult<T>).value);
  const lost = (e: unknown) => ((e as { code?: unknown } | null)?.code === 'RANK_LOST' ? 1 : 0);
  failed.sort((a, b) => lost(a.error) - lost(b.error) || order.indexOf(a.rank) - order.indexOf(b.rank));
  const first = failed[0]!;
  const message = first.error instanceof Error ? `${first.error.name}: ${first.error.message}` : String(first.error);
  const others = failed.slice(1).map((f) => f.rank);
  throw new TransportError(
    `withRanks: rank ${first.rank} failed: ${message}${others.length > 0 ? ` (then ranks ${others.join(', ')} failed too)` : ''}`,
    failed.map((f) => f.rank),
    { cause: first.error },
  );
}
