import type { CallScope } from './call-scope.js';

/**
 * Runs a communicator's collectives one at a time, in call order.
 *
 * Why: every rank must run collectives in the same order, and two collectives in flight on one
 * communicator can match each other's messages (measured with Open MPI: silently wrong sums). A
 * call that is cancelled while it waits for its turn gives up at once, but the next call still
 * waits for the one before it, so order is kept.
 */
export class CollectiveQueue {
  private tail: Promise<void> = Promise.resolve();

  run<T>(scope: CallScope, work: () => Promise<T>): Promise<T> {
    const previous = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((resolve) => (release = resolve));
    return (async () => {
      try {
        await untilTurnOrCancelled(previous, scope);
        return await work();
      } finally {
        void previous.then(release);
      }
    })();
  }
}

function untilTurnOrCancelled(turn: Promise<void>, scope: CallScope): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (scope.error) return reject(scope.error);
    const stop = scope.onCancel(reject);
    void turn.then(() => {
      stop();
      if (scope.error) reject(scope.error);
      else resolve();
    });
  });
}
