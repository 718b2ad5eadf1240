import { RankLostError, TransportError } from '@syncopate/core';
import type { MpiBinding, MpiInitInfo } from './binding.js';
import type { CallGuard } from './call-guard.js';
import { Deadlines } from './deadlines.js';
import type { MpiTransportSettings } from './mpi-transport-options.js';
import { PeerWatch, processExists } from './peer-watch.js';

/**
 * What a world transport and the sub-transports split from it share: the addon, the settings,
 * the calls in flight, the peer watch, and whether the job can still communicate.
 *
 * MPI cannot cancel a collective that has started, nor skip one on a single rank, nor recover
 * a communicator that lost a member. So when a collective misses its deadline, is aborted, or
 * a rank dies, the session fails: calls in flight reject, later calls reject at once, and
 * disposing the world transport ends the job with `MPI_Abort` and a message naming the cause,
 * because `MPI_Finalize` cannot run while a call is stuck inside MPI.
 */
export class MpiSession {
  readonly watch: PeerWatch;
  /** The one timer behind every call's deadline. */
  readonly deadlines = new Deadlines();
  private failure: Error | undefined;
  private readonly guards = new Set<CallGuard>();
  private ids = 0;

  constructor(
    readonly binding: MpiBinding,
    readonly info: MpiInitInfo,
    readonly settings: MpiTransportSettings,
  ) {
    this.watch = new PeerWatch(info.peers, info.rank, settings.processExists ?? processExists, settings.livenessIntervalMs, (lost) =>
      this.fail(this.lostError(lost, 'its process exited')),
    );
  }

  /** The error that made the session unusable, if one did. */
  get failed(): Error | undefined {
    return this.failure;
  }

  /** Calls being watched right now. */
  get active(): number {
    return this.guards.size;
  }

  /** A fresh id for a receive (the addon cancels receives by id). */
  nextId(): number {
    return ++this.ids;
  }

  /** Watches `guard` until {@link untrack}; the peer watch runs meanwhile. */
  track(guard: CallGuard): void {
    this.guards.add(guard);
    this.watch.hold();
  }

  untrack(guard: CallGuard): void {
    if (this.guards.delete(guard)) this.watch.release();
  }

  /**
   * The error a call gets once the session failed: `cannot run` for a new call, `cannot finish`
   * for one in flight.
   */
  refusal(operation: string, verb: 'cannot run' | 'cannot finish' = 'cannot run'): Error | undefined {
    const cause = this.failure;
    if (!cause) return undefined;
    if (cause instanceof RankLostError) {
      const detail = cause.message.replace(`rank ${cause.rank} was lost: `, '');
      return new RankLostError(cause.rank, `${operation} ${verb}: ${detail}`);
    }
    return new TransportError(`${operation} ${verb}: the MPI transport is unusable since an earlier call failed (${cause.message})`, [], { cause });
  }

  /**
   * Fails the session with `cause` (the first cause wins) and every call in flight with it,
   * except `origin`, the call that failed first and rejects with `cause` itself.
   */
  fail(cause: Error, origin?: CallGuard): void {
    if (this.failure) return;
    this.failure = cause;
    for (const guard of [...this.guards]) if (guard !== origin) guard.fail(this.refusal(guard.operation, 'cannot finish')!);
  }

  /** A {@link RankLostError} for the first of `ranks` (world ranks), naming the others too. */
  lostError(ranks: readonly number[], detail: string): RankLostError {
    const [first, ...others] = ranks as [number, ...number[]];
    const also = others.length > 0 ? `; rank${others.length > 1 ? 's' : ''} ${others.join(', ')} too` : '';
    return new RankLostError(first, `${detail} (${this.watch.where(first)} is gone${also})`);
  }
}
