import type { TransportStats } from '@syncopate/core';

/**
 * Traffic counters of one rank.
 *
 * Messages are counted exactly. Open MPI does not report what its collectives send, so a
 * collective is counted as the textbook algorithm would send it — ring allreduce,
 * reduce-scatter and allgather, binomial-tree broadcast, direct gather — the same algorithms
 * `@syncopate/transport-local` runs, so figures compare across transports. Open MPI picks other
 * algorithms for some sizes (recursive doubling for small allreduces); the counts are then a
 * model, not a measurement.
 *
 * The ring and tree volumes are those analysed by Thakur, Rabenseifner and Gropp, "Optimization
 * of Collective Communication Operations in MPICH" (IJHPCA, 2005), and Patarasuk and Yuan,
 * "Bandwidth Optimal All-reduce Algorithms for Clusters of Workstations" (JPDC, 2009): a ring
 * allreduce moves 2(n−1)/n of the buffer in and out of every rank, the least any allreduce can.
 */
export class Traffic implements TransportStats {
  bytesSent = 0;
  bytesReceived = 0;
  messagesSent = 0;

  snapshot(): TransportStats {
    return { bytesSent: this.bytesSent, bytesReceived: this.bytesReceived, messagesSent: this.messagesSent };
  }

  message(sent: number, received: number): void {
    this.bytesSent += sent;
    this.bytesReceived += received;
    if (sent > 0) this.messagesSent++;
  }

  /** Ring allreduce of `bytes` over `size` ranks: 2(n−1) steps of about bytes/n each way. */
  allreduce(bytes: number, size: number): void {
    if (size < 2) return;
    const moved = Math.round((2 * (size - 1) * bytes) / size);
    this.add(moved, moved, 2 * (size - 1));
  }

  /** Ring reduce-scatter: each rank sends and receives every block but one (`blockBytes` by rank). */
  reduceScatter(blockBytes: readonly number[], rank: number): void {
    const size = blockBytes.length;
    if (size < 2) return;
    const total = blockBytes.reduce((a, b) => a + b, 0);
    this.add(total - blockBytes[(rank + 1) % size]!, total - blockBytes[rank]!, size - 1);
  }

  /** Ring allgather: a rank forwards every part except its successor's, receives all but its own. */
  allgather(partBytes: readonly number[], rank: number): void {
    const size = partBytes.length;
    if (size < 2) return;
    const total = partBytes.reduce((a, b) => a + b, 0);
    this.add(total - partBytes[(rank + 1) % size]!, total - partBytes[rank]!, size - 1);
  }

  /** Binomial-tree broadcast: each rank receives once (root never) and sends to its children. */
  broadcast(bytes: number, root: number, rank: number, size: number): void {
    const relative = (rank - root + size) % size;
    let children = 0;
    for (let step = 1; step < size; step *= 2) {
      if (relative < step && relative + step < size) children++;
    }
    this.add(children * bytes, relative === 0 ? 0 : bytes, children);
  }

  /** Direct gather: every rank but root sends its part to root. */
  gather(partBytes: readonly number[], root: number, rank: number): void {
    if (rank === root) this.add(0, partBytes.reduce((a, b, r) => (r === root ? a : a + b), 0), 0);
    else this.add(partBytes[rank]!, 0, 1);
  }

  private add(sent: number, received: number, messages: number): void {
    this.bytesSent += sent;
    this.bytesReceived += received;
    this.messagesSent += messages;
  }
}
