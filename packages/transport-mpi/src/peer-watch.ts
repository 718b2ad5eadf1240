import type { MpiPeer } from './binding.js';

/** Whether a process with this id exists on this host. */
export type ProcessExists = (pid: number) => boolean;

/** `kill(pid, 0)`: succeeds, or fails with EPERM, while the process exists. */
export const processExists: ProcessExists = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Tells whether peer ranks are still alive, so that a call waiting for a dead rank ends with
 * an error that names it instead of waiting for its deadline.
 *
 * MPI itself does not say which rank failed: without fault-tolerance extensions a collective
 * with a dead member simply never finishes. So the watch asks the operating system: the process
 * ids of all ranks were exchanged at start-up, and a rank on this host whose process is gone is
 * lost. Ranks on other hosts cannot be checked this way (`unknown`); under `mpirun`'s default
 * settings their death ends the whole job anyway.
 */
export class PeerWatch {
  private timer: ReturnType<typeof setInterval> | undefined;
  private holds = 0;

  constructor(
    private readonly peers: readonly MpiPeer[],
    private readonly self: number,
    private readonly exists: ProcessExists,
    private readonly intervalMs: number,
    private readonly onLost: (ranks: readonly number[]) => void,
  ) {}

  /** World ranks among `ranks` (default: all) whose process is known to be gone. */
  lost(ranks: readonly number[] = this.peers.map((_, r) => r)): number[] {
    const host = this.peers[this.self]?.host;
    return ranks.filter((r) => r !== this.self && this.peers[r]?.host === host && !this.exists(this.peers[r]!.pid));
  }

  /** World ranks among `ranks` on other hosts, whose liveness cannot be checked. */
  unknown(ranks: readonly number[]): number[] {
    const host = this.peers[this.self]?.host;
    return ranks.filter((r) => r !== this.self && this.peers[r]?.host !== host);
  }

  /** `pid 1234 on host` of a world rank, for messages. */
  where(rank: number): string {
    const peer = this.peers[rank];
    return peer ? `pid ${peer.pid} on ${peer.host}` : 'unknown process';
  }

  /**
   * Checks every `intervalMs` while at least one hold is taken (a call is in flight), until
   * {@link release}. The timer starts with the first hold and then keeps ticking (cheaply,
   * unref'd: it never keeps Node alive) until {@link stop}, so that a stream of short calls does
   * not create and clear a timer each.
   */
  hold(): void {
    this.holds++;
    if (!this.timer && this.intervalMs > 0 && Number.isFinite(this.intervalMs)) {
      this.timer = setInterval(() => {
        if (this.holds === 0) return;
        const lost = this.lost();
        if (lost.length > 0) this.onLost(lost);
      }, this.intervalMs);
      this.timer.unref();
    }
  }

  /** Releases one hold. */
  release(): void {
    this.holds--;
  }

  /** Stops the timer. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
