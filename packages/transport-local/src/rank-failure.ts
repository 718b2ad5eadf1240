import { TransportError } from '@syncopate/core';

/** `Name: message` of anything thrown. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * One error for a run in which ranks failed, naming first the rank whose failure was not a
 * consequence of another's (its error is not a `RankLostError`), then the ones that followed.
 * `order` gives when each rank failed (earlier first) to break ties.
 */
export function rankFailure(failed: ReadonlyArray<{ rank: number; error: unknown }>, order?: readonly number[]): TransportError {
  const lost = (e: unknown) => (typeof e === 'object' && e !== null && (e as { code?: unknown }).code === 'RANK_LOST' ? 1 : 0);
  const ordered = [...failed].sort(
    (a, b) => lost(a.error) - lost(b.error) || (order ? order[a.rank]! - order[b.rank]! : 0) || a.rank - b.rank,
  );
  const first = ordered[0]!;
  const others = ordered.slice(1).map((f) => f.rank);
  const tail = others.length > 0 ? ` (then rank${others.length > 1 ? 's' : ''} ${others.join(', ')} failed too)` : '';
  return new TransportError(
    `rank ${first.rank} failed: ${messageOf(first.error)}${tail}`,
    ordered.map((f) => f.rank),
    { cause: first.error },
  );
}
